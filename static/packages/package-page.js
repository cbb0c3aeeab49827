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
