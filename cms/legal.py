"""Where the legal pages are and who the company is, for the footer, the stable legal URLs and the checkout.

The checkout and the emails link the terms of sale by URL name (`legal-terms`), never by a page's slug an
editor may change: `legal_page` finds the live page of that kind in the visitor's language, or in the
default language while that one has none (the page router's rule, cms/languages.py)."""

from dataclasses import dataclass

from django.conf import settings
from wagtail.models import Site

from cms.memo import memoized


@dataclass(frozen=True)
class Identity:
    legal_name: str
    address: str
    vat_number: str
    registration: str
    phone: str
    email: str

    @property
    def address_line(self) -> str:
        """The address on one line, for the footer."""
        return ", ".join(line.strip() for line in self.address.splitlines() if line.strip())

    def __bool__(self) -> bool:
        return any((self.legal_name, self.address, self.vat_number, self.phone, self.email))


EMPTY = Identity("", "", "", "", "", "")


def company_identity(request=None) -> Identity:
    """The request's site's company identity (Wagtail site setting), remembered per process like the
    pages' routing (cms/memo.py): the footer of a page served from its fragments costs no query. Saving
    the setting bumps the page generation (cms/receivers.py), so the footer never shows an old VAT number."""
    from cms.models import CompanyIdentity

    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return EMPTY

    def find() -> Identity:
        row = CompanyIdentity.objects.filter(site=site).first()
        if row is None:
            return EMPTY
        return Identity(row.legal_name, row.address, row.vat_number, row.registration, row.phone, row.email)

    return memoized(("company-identity", site.pk), find)


def legal_page(kind: str, request=None):
    """The live legal page of `kind` the visitor should read: in their language's pages, else in the
    default language's, else None."""
    from cms.languages import content_locale
    from cms.models import LegalPage

    pages = LegalPage.objects.live().public().filter(kind=kind).select_related("locale").order_by("path")
    locale = content_locale(request)
    page = pages.filter(locale=locale).first()
    if page is None:
        page = pages.filter(locale__language_code=settings.LANGUAGE_CODE).first() or pages.first()
    return page
