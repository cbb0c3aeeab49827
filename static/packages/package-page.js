/* Package page, progressive enhancement only: ticking an optional extra submits the form's "update the
   total" button at once, so the total follows the ticks. Without JavaScript the button does the same. */
document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches(".package-extras input[type=checkbox]")) {
        return;
    }
    var button = box.form && box.form.querySelector(".package-update-total");
    if (!button) {
        return;
    }
    if (box.form.requestSubmit) {
        box.form.requestSubmit(button);
    } else {
        button.click();
    }
});

/* The calendar's links (days and month arrows) carry the party the page shows. When the visitor edits
   the party and clicks a day without pressing "Update prices", the links follow what is typed, so the
   day is chosen for that party. Without JavaScript the button reloads the page with the new party. */
function packagePartySync(form) {
    var calendar = document.querySelector(".package-calendar");
    if (!calendar) {
        return;
    }
    ["adults", "children_ages", "infants"].forEach(function (name) {
        var input = form.elements[name];
        var value = input ? input.value.trim() : "";
        calendar.querySelectorAll("a[href]").forEach(function (link) {
            var url = new URL(link.getAttribute("href"), window.location.href);
            if (value) {
                url.searchParams.set(name, value);
            } else {
                url.searchParams.delete(name);
            }
            link.setAttribute("href", url.pathname + url.search);
        });
    });
}

document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (form && form.matches(".package-party")) {
        packagePartySync(form);
    }
});
