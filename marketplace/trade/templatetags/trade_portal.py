from django import template
from django.urls import reverse

from marketplace.trade.portal_sections import portal_sections

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_extra_sections(context) -> list[dict]:
    """The tabs other apps registered (portal_sections.py), as {label, url, active, description}."""
    request = context.get("request")
    current = getattr(getattr(request, "resolver_match", None), "view_name", "") or ""
    return [
        {"label": s.label, "url": reverse(s.url_name), "active": current.startswith(s.url_name),
         "description": s.description}
        for s in portal_sections(is_admin=bool(context.get("is_admin")))
    ]  # fmt: skip
