"""The breadcrumb trail: one tag renders the visible trail and its BreadcrumbList from the same crumbs, so
what search engines read is what visitors see. Apps say the crumbs (cms: PageMetadataMixin.breadcrumbs;
packages: packages.pages.package_breadcrumbs); the last crumb is the page itself."""

from django import template

from marketplace.core.json_ld import breadcrumb_list, json_ld_script

register = template.Library()


@register.inclusion_tag("includes/breadcrumbs.html")
def breadcrumbs(crumbs, nav_class: str = "", container: bool = False):
    """The trail of `crumbs` (marketplace.core.json_ld.Crumb) as <nav> and BreadcrumbList; nothing for a
    trail of one step (the home page). `container` wraps the list in the layout's .container."""
    crumbs = list(crumbs or [])
    if len(crumbs) < 2:
        return {"crumbs": []}
    return {
        "crumbs": crumbs,
        "nav_class": nav_class,
        "container": container,
        "json_ld": json_ld_script(breadcrumb_list(crumbs)),
    }


@register.simple_tag(takes_context=True)
def page_crumbs(context, page):
    """A destination page's crumbs for the visitor's request (links follow the visitor's language)."""
    return page.breadcrumbs(context.get("request"))
