from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderTravellers(models.Model):
    """Who travels on an order, in place of Oscar's shipping address.

    A separate one-to-one row (not fields on a forked Order) so the shop keeps Oscar's order model
    untouched; `order.travellers` reads it. Other travellers are a list of names because the party
    size belongs to the booked lines (packages), which validate it through their handler.
    """

    order = models.OneToOneField("order.Order", on_delete=models.CASCADE, related_name="travellers")
    lead_first_name = models.CharField(_("first name"), max_length=100)
    lead_last_name = models.CharField(_("last name"), max_length=100)
    lead_phone = models.CharField(_("phone"), max_length=40)
    country = models.CharField(
        _("country of residence"),
        max_length=2,
        blank=True,
        help_text=_("ISO 3166 code of where the lead traveller lives: the observatory counts guests by origin."),
    )
    other_travellers = models.JSONField(_("other travellers"), default=list, blank=True)
    policy_accepted_at = models.DateTimeField(_("cancellation policy accepted at"))
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        help_text=_("The language the tourist booked in: their emails and travel voucher are written in it."),
    )

    class Meta:
        verbose_name = _("order travellers")
        verbose_name_plural = _("order travellers")

    def __str__(self) -> str:
        return self.lead_name

    @property
    def lead_name(self) -> str:
        return f"{self.lead_first_name} {self.lead_last_name}".strip()
