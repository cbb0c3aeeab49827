"""The legal pages (terms of sale, privacy notice) and the company's identity that the law asks every page
to show: editors keep both in Wagtail, so a new VAT number or a revised contract is never a code change."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.search import index

from .base import DestinationPage

LEGAL_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "hr"]


class LegalKind(models.TextChoices):
    TERMS = "terms", _("Terms of sale")
    PRIVACY = "privacy", _("Privacy notice")


class LegalPage(DestinationPage):
    """One legal text of the company in one language. Its `kind` is what the stable URLs (`legal-terms`,
    `legal-privacy`, cms/views.py) look for, so the checkout can link the terms whatever the page's slug."""

    kind = models.CharField(_("kind"), max_length=20, choices=LegalKind.choices)
    last_updated = models.DateField(_("last updated"), null=True, blank=True)
    body = RichTextField(_("text"), features=LEGAL_FEATURES)

    content_panels = DestinationPage.content_panels + [
        FieldPanel("kind"),
        FieldPanel("last_updated"),
        FieldPanel("body"),
    ]
    search_fields = DestinationPage.search_fields + [index.SearchField("body"), index.FilterField("kind")]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("legal page")
        verbose_name_plural = _("legal pages")


@register_setting(icon="info-circle")
class CompanyIdentity(BaseSiteSetting):
    """Who sells: the organiser of the packages (Codice del Turismo, art. 34 and 47) that every page's
    footer, the legal pages and the fallback of the legal URLs show."""

    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    address = models.TextField(_("registered address"), blank=True)
    vat_number = models.CharField(_("VAT number"), max_length=40, blank=True)
    registration = models.CharField(
        _("registration"),
        max_length=200,
        blank=True,
        help_text=_("Companies register (REA), tour operator licence, insurance policy."),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("legal_name"), FieldPanel("address"), FieldPanel("vat_number"), FieldPanel("registration")],
            heading=_("Company"),
        ),
        MultiFieldPanel([FieldPanel("phone"), FieldPanel("email")], heading=_("Contact")),
    ]

    class Meta:
        verbose_name = _("company identity")
