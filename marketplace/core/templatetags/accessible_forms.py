"""One way to render a form field's input accessibly, for every shared form template."""

from django import template

register = template.Library()

FILE_WIDGETS = {"fileinput", "clearablefileinput", "multiplefileinput"}
BARE_WIDGETS = {"checkboxinput", "radioselect", "checkboxselectmultiple"}


def field_widget_attrs(field, css: str = "") -> dict[str, str]:
    """The input's extra attributes: Bootstrap's class for its kind, and when the field has errors
    `aria-invalid` and `aria-describedby` naming the error (`<id>_error`, includes/form_field_errors.html)
    before the help text (`<id>_helptext`), so assistive technology reads why the value was refused."""
    widget = field.field.widget
    kind = widget.__class__.__name__.lower()
    classes = [widget.attrs.get("class", "")]
    if kind in FILE_WIDGETS:
        classes.append("form-control-file")
    elif kind not in BARE_WIDGETS:
        classes.append(css)
    described = []
    attrs = {}
    if field.errors:
        classes.append("is-invalid")
        attrs["aria-invalid"] = "true"
        described.append(f"{field.auto_id}_error")
    if field.help_text:
        described.append(f"{field.auto_id}_helptext")
    if widget.attrs.get("aria-describedby"):
        described.append(widget.attrs["aria-describedby"])
    if described:
        attrs["aria-describedby"] = " ".join(described)
    css_class = " ".join(c for c in classes if c)
    if css_class:
        attrs["class"] = css_class
    return attrs


@register.simple_tag
def form_widget(field, css: str = "form-control"):
    """The field's input with `field_widget_attrs`."""
    return field.as_widget(attrs=field_widget_attrs(field, css))
