// Small behaviours that Oscar wrote as inline onclick="" handlers, which the Content-Security-Policy refuses:
// <a data-action="print"> prints the page, <a data-action="back"> goes back one page.
document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-action]");
    if (!target) { return; }
    if (target.dataset.action === "print") { event.preventDefault(); window.print(); }
    if (target.dataset.action === "back") { event.preventDefault(); window.history.go(-1); }
});
