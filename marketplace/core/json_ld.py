"""schema.org JSON-LD inside a page: one way to write it safely.

The JSON goes into a <script> element, where the HTML parser ends the script at the first `</script>`
whatever the JSON says, and `<!--` changes how it reads on. So `<`, `>` and `&` in any text (a name an
operator typed, a page title) are written as JSON escapes (\\u003C…), which JSON parsers read back as the
same characters. Every JSON-LD of the site (pages, website, packages, operators, services, labels) goes
through here, and every URL in it is on the public origin (marketplace.core.origin), never the request's
host. The pieces several apps' entities share (the site's Organization, breadcrumbs, item lists) are here;
each app builds its own entities (cms/models, packages/pages.py, operators/schema_org.py).
"""

import json
from dataclasses import dataclass

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from marketplace.core.origin import public_url

_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_text(data) -> SafeString:
    """`data` as JSON text safe inside <script type="application/ld+json">."""
    return mark_safe(json.dumps(data, ensure_ascii=False, default=str).translate(_ESCAPES))


def json_ld_script(data) -> SafeString:
    """`data` as a whole <script type="application/ld+json"> element."""
    return mark_safe(f'<script type="application/ld+json">{json_ld_text(data)}</script>')


# --- shared pieces of the site's entities -------------------------------------------------------------

SCHEMA = "https://schema.org"
# Where every place of the destination is: the operators' addresses, the events, the OCTO feed.
REGION = "Toscana"
COUNTRY = "IT"
IN_STOCK = "https://schema.org/InStock"
OUT_OF_STOCK = "https://schema.org/OutOfStock"


def organization_id() -> str:
    """The @id of the site's Organization (site_json_ld): other entities point at it (publisher, seller)."""
    return public_url("/") + "#organization"


def organization_ref() -> dict:
    """The site's Organization as a reference with the name and url Google reads in place of the @id."""
    return {"@type": "Organization", "@id": organization_id(), "name": settings.DMC_NAME, "url": public_url("/")}


@dataclass(frozen=True)
class Crumb:
    """One step of a page's breadcrumb trail: its name and its site-relative link ("/en/…"), as the
    visible trail links it. The last crumb is the page itself."""

    name: str
    url: str


def breadcrumb_list(crumbs: list[Crumb]) -> dict:
    """The BreadcrumbList of a visible trail (includes/breadcrumbs.html renders both from the same crumbs)."""
    return {
        "@context": SCHEMA,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": str(crumb.name), "item": public_url(crumb.url)}
            for position, crumb in enumerate(crumbs, start=1)
        ],
    }


def item_list(urls: list[str], *, start: int = 1) -> dict:
    """A summary-page ItemList (Google's carousel): each ListItem its position and its page's URL."""
    return {
        "@context": SCHEMA,
        "@type": "ItemList",
        "numberOfItems": len(urls),
        "itemListElement": [
            {"@type": "ListItem", "position": position, "url": public_url(url)}
            for position, url in enumerate(urls, start=start)
        ],
    }


def _company_identity(request):
    """The company identity editors keep in Wagtail (cms.legal), or None without cms."""
    from django.apps import apps

    if not apps.is_installed("cms"):
        return None
    from cms.legal import company_identity

    return company_identity(request) or None


def organization_json_ld(request=None) -> dict:
    """The site's Organization: the destination company that sells the packages, with its logo (a square
    PNG of 128 px, above Google's 112 px minimum) and, when the company identity says them, its legal name,
    VAT number, address and a customer-service contact point in the languages the site serves."""
    from django.templatetags.static import static

    data = {
        "@type": "Organization",
        "@id": organization_id(),
        "name": settings.DMC_NAME,
        "url": public_url("/"),
        "logo": {"@type": "ImageObject", "url": public_url(static("img/dmc-logo.png")), "width": 128, "height": 128},
    }
    identity = _company_identity(request)
    if identity is None:
        return data
    for key, value in (
        ("legalName", identity.legal_name),
        ("vatID", identity.vat_number),
        ("address", identity.address_line),
        ("telephone", identity.phone),
        ("email", identity.email),
    ):
        if value:
            data[key] = value
    if identity.phone or identity.email:
        contact = {
            "@type": "ContactPoint",
            "contactType": "customer service",
            "availableLanguage": [code for code, _name in settings.LANGUAGES],
        }
        if identity.phone:
            contact["telephone"] = identity.phone
        if identity.email:
            contact["email"] = identity.email
        data["contactPoint"] = [contact]
    return data


def website_json_ld() -> dict:
    """The WebSite in the page's language, with the site search as its SearchAction."""
    from django.urls import NoReverseMatch, reverse
    from django.utils import translation

    language = translation.get_language() or settings.LANGUAGE_CODE
    data = {
        "@type": "WebSite",
        "@id": public_url("/") + "#website",
        "name": settings.DMC_NAME,
        "url": public_url("/"),
        "inLanguage": language,
        "publisher": {"@id": organization_id()},
    }
    try:
        search = reverse("cms:search")
    except NoReverseMatch:  # a site without cms has no search page to point at
        return data
    data["potentialAction"] = {
        "@type": "SearchAction",
        "target": {"@type": "EntryPoint", "urlTemplate": public_url(search) + "?q={search_term_string}"},
        "query-input": "required name=search_term_string",
    }
    return data


def postal_address(*, street: str = "", locality: str = "", postal_code: str = "") -> dict:
    """A PostalAddress in the destination (Tuscany, Italy), with the parts the data has."""
    data = {"@type": "PostalAddress"}
    for key, value in (("streetAddress", street), ("addressLocality", locality), ("postalCode", postal_code)):
        if value:
            data[key] = value
    data.update(addressRegion=REGION, addressCountry=COUNTRY)
    return data
