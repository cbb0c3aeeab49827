// Small behaviours of every page, without jQuery or Bootstrap's scripts (loaded deferred, base.html).
// - <a data-action="print"> prints the page, <a data-action="back"> goes back one page: Oscar wrote them as
//   inline onclick="" handlers, which the Content-Security-Policy refuses.
// - The menu button on a phone ([data-nav-toggle] aria-controls="site-nav") opens and closes the menu.
// - html gets the class "js": CSS hides collapsible menus only when this script can open them.
// - A message's close link ([data-dismiss="alert"]) removes it, where Bootstrap's script is not loaded.
(function () {
    "use strict";
    document.documentElement.classList.add("js");  // menus collapsed on a phone only when this script runs
    document.addEventListener("click", function (event) {
        var target = event.target.closest("[data-action], [data-nav-toggle], [data-dismiss='alert']");
        if (!target) { return; }
        if (target.dataset.action === "print") { event.preventDefault(); window.print(); }
        if (target.dataset.action === "back") { event.preventDefault(); window.history.go(-1); }
        if (target.hasAttribute("data-nav-toggle")) {
            var menu = document.getElementById(target.getAttribute("aria-controls"));
            var open = target.getAttribute("aria-expanded") !== "true";
            target.setAttribute("aria-expanded", String(open));
            if (menu) { menu.classList.toggle("show", open); }
        }
        if (target.dataset.dismiss === "alert" && !(window.jQuery && window.jQuery.fn.alert)) {
            event.preventDefault();
            var alert = target.closest(".alert");
            if (alert) { alert.remove(); }
        }
    });
})();
