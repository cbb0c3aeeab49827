"""The observatory's fact tables and the official flows imported beside them.

Two grains, because a booking's guests and money are not the sum of its days:

- `BookingFact`: one row per booking of any channel (a shop order line's package, a trade booking
  from the portal or the API), with its party, origin, lead time, stay and money. Bookings, guests,
  revenue, channels, partners, origins and cancellation rates are counted here.
- `BookingDayFact`: one row per booked component per day (what an operator delivers on a date),
  with the operator, service kind, municipality and area, the places and the guest-nights. Areas,
  operators, kinds, nights and occupancy are counted here. It repeats the booking's dimensions that
  filters use (channel, partner, dates, origin, status) so a filtered figure is one indexed scan.

Both are derived: `facts.refresh_*` rewrites a booking's rows on each change, the nightly task
rebuilds everything, and nothing else writes them. They hold no personal data (no names, e-mails,
phones or booking references), so every figure and export is safe to aggregate from them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    WEB = "web", _("Web shop")
    PORTAL = "portal", _("Partner portal")
    API = "api", _("API (OCTO)")


class Source(models.TextChoices):
    SHOP = "shop", _("Shop order")
    TRADE = "trade", _("Trade booking")


class FactStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    PENDING = "pending", _("Waiting for the operator")
    CANCELLED = "cancelled", _("Cancelled")


class Area(models.TextChoices):
    """The destination's two "ambiti": each municipality belongs to one (operators.models.area_of)."""

    PIANA_DI_LUCCA = "piana-di-lucca", "Piana di Lucca"
    CASENTINO = "casentino", "Casentino"


class BookingFact(models.Model):
    """One booking of any channel, as the observatory counts it. Money in EUR, VAT included:
    `gross` is what the customer or partner's client pays at retail, `trade_net` what a partner pays
    the DMC (empty on the web), `owed` what the operators are owed for their parts, `margin` what the
    DMC keeps (`gross` or `trade_net`, less `owed`), `retained` what a cancelled booking still brought
    in (the fee kept after the refund; 0 when nothing was kept)."""

    source = models.CharField(max_length=5, choices=Source.choices)
    source_id = models.PositiveBigIntegerField()
    channel = models.CharField(max_length=6, choices=Channel.choices)
    partner = models.ForeignKey("trade.TradePartner", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="+")  # fmt: skip
    package = models.ForeignKey("packages.Package", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey("operators.Service", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="+")  # fmt: skip
    status = models.CharField(max_length=10, choices=FactStatus.choices)
    booked_on = models.DateField(help_text=_("The day the booking was made (Europe/Rome)."))
    cancelled_on = models.DateField(null=True, blank=True)
    travel_start = models.DateField()
    travel_end = models.DateField()
    lead_days = models.PositiveIntegerField(help_text=_("Days between booking and travel."))
    stay_nights = models.PositiveSmallIntegerField(default=0, help_text=_("Nights of accommodation booked."))
    adults = models.PositiveSmallIntegerField(default=0)
    children = models.PositiveSmallIntegerField(default=0)
    infants = models.PositiveSmallIntegerField(default=0)
    origin_country = models.CharField(max_length=2, blank=True, help_text=_("ISO 3166 code; empty when unknown."))
    gross = models.DecimalField(max_digits=12, decimal_places=2)
    trade_net = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    owed = models.DecimalField(max_digits=12, decimal_places=2)
    margin = models.DecimalField(max_digits=12, decimal_places=2)
    retained = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("booking fact")
        verbose_name_plural = _("booking facts")
        constraints = [models.UniqueConstraint(fields=["source", "source_id"], name="observatory_fact_source")]
        indexes = [
            models.Index(fields=["travel_start"], name="obs_booking_travel"),
            models.Index(fields=["booked_on"], name="obs_booking_booked"),
            models.Index(fields=["partner", "travel_start"], name="obs_booking_partner"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.source_id} {self.travel_start}"

    @property
    def guests(self) -> int:
        return self.adults + self.children + self.infants


class BookingDayFact(models.Model):
    """One booked component on one day. `guests` is the party using it, `guest_nights` the same on an
    accommodation night (else 0), `places` the slot places it took (rooms for a hotel sold by room),
    `gross` the component's retail price and `owed` the operator's share of it.

    The `first_in_*` flags mark the booking's first row within its area, municipality, operator and
    service kind, so "guests by area" sums each booking's party once per area without a DISTINCT."""

    booking = models.ForeignKey(BookingFact, on_delete=models.CASCADE, related_name="days")
    # The booking's dimensions, repeated for filters (kept equal by facts.refresh_*).
    channel = models.CharField(max_length=6, choices=Channel.choices)
    partner = models.ForeignKey("trade.TradePartner", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="+")  # fmt: skip
    package = models.ForeignKey("packages.Package", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=FactStatus.choices)
    booked_on = models.DateField()
    origin_country = models.CharField(max_length=2, blank=True)
    # The component and the day.
    operator = models.ForeignKey("operators.Operator", on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey("operators.Service", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    municipality = models.CharField(max_length=30)
    area = models.CharField(max_length=20, choices=Area.choices)
    date = models.DateField()
    places = models.PositiveIntegerField()
    guests = models.PositiveSmallIntegerField()
    guest_nights = models.PositiveSmallIntegerField(default=0)
    gross = models.DecimalField(max_digits=12, decimal_places=2)
    owed = models.DecimalField(max_digits=12, decimal_places=2)
    is_extra = models.BooleanField(default=False)
    first_in_area = models.BooleanField(default=False)
    first_in_municipality = models.BooleanField(default=False)
    first_in_operator = models.BooleanField(default=False)
    first_in_kind = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("booked day")
        verbose_name_plural = _("booked days")
        indexes = [
            models.Index(fields=["date"], name="obs_day_date"),
            models.Index(fields=["booked_on"], name="obs_day_booked"),
            models.Index(fields=["operator", "date"], name="obs_day_operator"),
        ]

    def __str__(self) -> str:
        return f"{self.service_id} {self.date} × {self.places}"


class OfficialFlow(models.Model):
    """Official arrivals and nights ("arrivi" and "presenze") of one municipality, month and origin, as
    the regional statistics office publishes them. Italian guests come by region (`origin_kind` region,
    ISTAT region name in `origin`), foreign guests by country (ISO 3166 code). An import replaces every
    row of the months (and municipalities) it covers."""

    class OriginKind(models.TextChoices):
        REGION = "region", _("Italian region")
        COUNTRY = "country", _("Country")

    municipality = models.CharField(_("municipality"), max_length=30)
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    origin_kind = models.CharField(max_length=7, choices=OriginKind.choices)
    origin = models.CharField(_("origin"), max_length=60)
    arrivals = models.PositiveIntegerField(_("arrivals"))
    nights = models.PositiveIntegerField(_("nights"))
    imported_at = models.DateTimeField(auto_now_add=True)
    source_name = models.CharField(_("file"), max_length=200, blank=True)

    class Meta:
        ordering = ["month", "municipality", "origin_kind", "origin"]
        verbose_name = _("official flow")
        verbose_name_plural = _("official flows")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "month", "origin_kind", "origin"], name="observatory_flow_unique"
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.month:%Y-%m} {self.origin}: {self.arrivals}/{self.nights}"
