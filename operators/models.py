"""Local operators, the services they sell, their rates and the slots where capacity is counted.

The one rule this module exists for (DESIGN.md "the one invariant"): every place is counted in
exactly one table, `Slot` (`held` and `reserved` against `capacity`). Nothing here changes those
counters; only `operators.capacity` does, under row locks. The `CheckConstraint` on `Slot` is the
backstop that turns a bug elsewhere into an IntegrityError instead of an oversold day.

`Hold` and `Reservation` rows say who took the places: each carries a free-form `reference`
("basket-line:12", "order-line:7", "partner-booking:3") chosen by the caller, so the shop, the trade
channel and the API can share the same capacity without this app knowing their models.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from marketplace.core.dates import format_day
from marketplace.core.history import history_tags
from marketplace.core.money import format_money

from .validators import validate_partita_iva, validate_weekdays

ROME = ZoneInfo("Europe/Rome")


class Municipality(models.TextChoices):
    """The destination's municipalities: the six of the Piana di Lucca and the Casentino valley's."""

    LUCCA = "lucca", "Lucca"
    CAPANNORI = "capannori", "Capannori"
    ALTOPASCIO = "altopascio", "Altopascio"
    MONTECARLO = "montecarlo", "Montecarlo"
    VILLA_BASILICA = "villa-basilica", "Villa Basilica"
    PORCARI = "porcari", "Porcari"
    BIBBIENA = "bibbiena", "Bibbiena (Casentino)"
    POPPI = "poppi", "Poppi (Casentino)"
    PRATOVECCHIO_STIA = "pratovecchio-stia", "Pratovecchio Stia (Casentino)"
    CHIUSI_DELLA_VERNA = "chiusi-della-verna", "Chiusi della Verna (Casentino)"
    CASTEL_SAN_NICCOLO = "castel-san-niccolo", "Castel San Niccolò (Casentino)"


PIANA_DI_LUCCA = {
    Municipality.LUCCA,
    Municipality.CAPANNORI,
    Municipality.ALTOPASCIO,
    Municipality.MONTECARLO,
    Municipality.VILLA_BASILICA,
    Municipality.PORCARI,
}


def area_of(municipality: str) -> str:
    """The destination area ("ambito") of a municipality: "piana-di-lucca" or "casentino"."""
    return "piana-di-lucca" if municipality in PIANA_DI_LUCCA else "casentino"


class Operator(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending approval")
        APPROVED = "approved", _("Approved")
        SUSPENDED = "suspended", _("Suspended")
        REJECTED = "rejected", _("Rejected")

    class Kind(models.TextChoices):
        HOTEL = "hotel", _("Hotel")
        BNB = "bnb", _("B&B")
        AGRITURISMO = "agriturismo", _("Agriturismo")
        GUIDE = "guide", _("Tour guide")
        WINERY = "winery", _("Winery")
        RESTAURANT = "restaurant", _("Restaurant")
        RENTAL = "rental", _("Bike rental")
        TRANSFER = "transfer", _("Transfer")
        MUSEUM = "museum", _("Museum or attraction")
        OTHER = "other", _("Other")

    name = models.CharField(_("company name"), max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    vat_number = models.CharField(_("Partita IVA"), max_length=11, unique=True, validators=[validate_partita_iva])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    municipality = models.CharField(_("municipality"), max_length=30, choices=Municipality.choices)
    address = models.CharField(_("address"), max_length=255)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )  # fmt: skip
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )  # fmt: skip
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)  # translated: description_it, description_en

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    status_reason = models.TextField(_("reason"), blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("operator")
        verbose_name_plural = _("operators")

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict:
        """What this change belongs to in the history (marketplace.core.history)."""
        return history_tags(operator=self.pk)

    @property
    def is_sellable(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def area(self) -> str:
        return "Piana di Lucca" if self.municipality in PIANA_DI_LUCCA else "Casentino"


class OperatorMembership(models.Model):
    """A user working for an operator. Object-level permissions in the operator area come from here."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        STAFF = "staff", _("Staff")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="operator_memberships")
    operator = models.ForeignKey(Operator, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.STAFF)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "operator"], name="operators_membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.operator} ({self.role})"

    def get_additional_data(self) -> dict:
        """What this change belongs to in the history (marketplace.core.history)."""
        return history_tags(operator=self.operator_id)


class OperatorInvitation(models.Model):
    """An owner's invitation to join the team, sent to an e-mail address. Nobody joins a team without
    accepting: the invited person opens the emailed link, logs in or signs up with that address and
    accepts; only then is the membership created. The link's token is stored hashed (`token_hash`)."""

    operator = models.ForeignKey(Operator, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    role = models.CharField(max_length=10, choices=OperatorMembership.Role.choices,
                            default=OperatorMembership.Role.STAFF)  # fmt: skip
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")  # fmt: skip

    def __str__(self) -> str:
        return f"{self.email} -> {self.operator} ({self.role})"


class OperatorPhoto(models.Model):
    operator = models.ForeignKey(Operator, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="operators/photos/%Y/%m/")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.caption or self.image.name


class Service(models.Model):
    class Kind(models.TextChoices):
        ACCOMMODATION = "accommodation", _("Accommodation")
        EXPERIENCE = "experience", _("Guided tour or experience")
        TRANSFER = "transfer", _("Transfer")
        FOOD_WINE = "food-wine", _("Food and wine")
        RENTAL = "rental", _("Rental")
        TICKET = "ticket", _("Ticket")

    class CapacityModel(models.TextChoices):
        PER_PERSON = "per_person", _("Per person")
        PER_UNIT = "per_unit", _("Per unit (room, bike, vehicle) with max occupancy")
        PER_GROUP = "per_group", _("Per group (one booking takes one place)")
        FREESALE = "freesale", _("Freesale (no limit)")

    operator = models.ForeignKey(Operator, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(_("name"), max_length=200)  # translated
    description = models.TextField(_("description"), blank=True)  # translated
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    capacity_model = models.CharField(_("capacity model"), max_length=20, choices=CapacityModel.choices)
    max_occupancy = models.PositiveSmallIntegerField(
        _("max occupancy per unit"), null=True, blank=True, help_text=_("Only for per-unit services.")
    )
    min_party = models.PositiveSmallIntegerField(_("minimum party"), default=1, validators=[MinValueValidator(1)])
    max_party = models.PositiveSmallIntegerField(_("maximum party"), null=True, blank=True)
    cutoff_hours = models.PositiveIntegerField(_("bookable until (hours before start)"), default=0)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    languages = models.CharField(_("languages"), max_length=60, blank=True, help_text=_("e.g. it,en,fr"))
    meeting_point = models.CharField(_("meeting point"), max_length=255, blank=True)
    infants_take_place = models.BooleanField(
        _("infants take a place"), default=False, help_text=_("Off: infants ride on a lap and use no place.")
    )
    infant_max_age = models.PositiveSmallIntegerField(_("infants up to age"), default=2)
    child_max_age = models.PositiveSmallIntegerField(_("children up to age"), default=12)
    is_active = models.BooleanField(_("active"), default=True)
    on_request = models.BooleanField(
        _("on request"), default=False,
        help_text=_("Trade bookings wait for your confirmation (small agriturismi, private guides)."),
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["operator__name", "name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.CheckConstraint(
                condition=~Q(capacity_model="per_unit") | Q(max_occupancy__gte=1),
                name="operators_service_unit_has_occupancy",
            ),
            models.CheckConstraint(
                condition=Q(max_party__isnull=True) | Q(max_party__gte=F("min_party")),
                name="operators_service_party_range",
            ),
            models.CheckConstraint(
                condition=Q(child_max_age__gt=F("infant_max_age")), name="operators_service_age_bands"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.operator})"

    def get_additional_data(self) -> dict:
        """What this change belongs to in the history (marketplace.core.history)."""
        return history_tags(service=self.pk, operator=self.operator_id)

    @property
    def is_freesale(self) -> bool:
        return self.capacity_model == self.CapacityModel.FREESALE

    @property
    def language_list(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]


class PriceCategory(models.TextChoices):
    """Who a rate is for. Ages are per service (`infant_max_age`, `child_max_age`); seniors are declared."""

    ADULT = "adult", _("Adult")
    CHILD = "child", _("Child")
    INFANT = "infant", _("Infant")
    SENIOR = "senior", _("Senior")
    UNIT = "unit", _("Per unit or group")


class Season(models.Model):
    """A date range with its own prices. Where seasons overlap the shortest one wins (a fair week
    inside the summer), so operators add exceptions without cutting their main season in two."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="seasons")
    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to (included)"))

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="operators_season_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {format_day(self.starts_on)} – {format_day(self.ends_on)}"

    def get_additional_data(self) -> dict:
        """What this change belongs to in the history (marketplace.core.history)."""
        return history_tags(service=self.service_id)


class Rate(models.Model):
    """A price for one category in a season, for every day or only for some weekdays.

    A weekday-specific rate beats the every-day rate of the same season (weekend surcharge)."""

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="rates")
    category = models.CharField(_("category"), max_length=10, choices=PriceCategory.choices)
    weekdays = models.CharField(
        _("weekdays"), max_length=7, blank=True, validators=[validate_weekdays],
        help_text=_("Digits 0 (Monday) to 6 (Sunday); empty for every day."),
    )  # fmt: skip
    amount = models.DecimalField(_("price (EUR, VAT included)"), max_digits=10, decimal_places=2,
                                 validators=[MinValueValidator(0)])  # fmt: skip

    class Meta:
        ordering = ["season", "category", "weekdays"]
        constraints = [
            models.UniqueConstraint(fields=["season", "category", "weekdays"], name="operators_rate_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="operators_rate_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {format_money(self.amount)}"

    def get_additional_data(self) -> dict:
        """What this change belongs to in the history (marketplace.core.history)."""
        return history_tags(service=self.season.service_id)


class AvailabilityRule(models.Model):
    """ "Every Saturday and Sunday, 1 April to 31 October, at 10:00 and 15:00, 12 places".

    Rules only generate slots (`services.rule_generate_slots`); bookings live on the slots, so editing
    or re-running a rule never touches what is held or booked."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="rules")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to (included)"))
    weekdays = models.CharField(
        _("weekdays"), max_length=7, blank=True, validators=[validate_weekdays],
        help_text=_("Digits 0 (Monday) to 6 (Sunday); empty for every day."),
    )  # fmt: skip
    start_times = models.CharField(
        _("start times"),
        max_length=200,
        blank=True,
        help_text=_("e.g. 10:00,15:00; empty for all-day (nights, rentals)."),
    )
    capacity = models.PositiveIntegerField(_("places or units"), null=True, blank=True,
                                           help_text=_("Empty only for freesale services."))  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="operators_rule_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.service.name}: {self.starts_on}–{self.ends_on} {self.start_times or _('all day')}"

    def get_additional_data(self) -> dict:
        """What this change belongs to in the history (marketplace.core.history)."""
        return history_tags(service=self.service_id)

    def times(self) -> list[dt.time]:
        if not self.start_times.strip():
            return [ALL_DAY]
        return sorted({dt.time.fromisoformat(part.strip()) for part in self.start_times.split(",") if part.strip()})

    def dates(self):
        days = {int(d) for d in self.weekdays} if self.weekdays else set(range(7))
        day = self.starts_on
        while day <= self.ends_on:
            if day.weekday() in days:
                yield day
            day += dt.timedelta(days=1)


ALL_DAY = dt.time(0, 0)


class Slot(models.Model):
    """One bookable day or departure of a service: THE table where capacity is counted.

    `capacity` is NULL for freesale. `held` (baskets, unpaid) and `reserved` (paid, booked) are
    changed only by `operators.capacity` under `SELECT … FOR UPDATE`. `closed` is the operator's
    switch, `blocked` comes from an imported external calendar (re-import recomputes it).
    `capacity_locked` marks a capacity the operator set by hand: re-running a rule leaves it alone."""

    # No index of its own: the unique (service, date, start_time) index leads with it and serves every read
    # by service, the month reads bounded by date too (docs/locking.md, "Plans at region scale").
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="slots", db_index=False)
    rule = models.ForeignKey(AvailabilityRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="slots")
    date = models.DateField()
    start_time = models.TimeField(default=ALL_DAY)
    all_day = models.BooleanField(default=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    held = models.PositiveIntegerField(default=0)
    reserved = models.PositiveIntegerField(default=0)
    closed = models.BooleanField(default=False)
    blocked = models.BooleanField(default=False)
    capacity_locked = models.BooleanField(default=False)

    class Meta:
        ordering = ["date", "start_time"]
        constraints = [
            models.UniqueConstraint(fields=["service", "date", "start_time"], name="operators_slot_unique"),
            models.CheckConstraint(condition=Q(held__gte=0) & Q(reserved__gte=0), name="operators_slot_not_negative"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=F("held") + F("reserved")),
                name="operators_slot_not_oversold",
            ),
        ]
        indexes = [models.Index(fields=["date", "service"], name="operators_slot_date_service")]

    def __str__(self) -> str:
        when = format_day(self.date) if self.all_day else f"{format_day(self.date)} {self.start_time:%H:%M}"
        return f"{self.service.name} {when}"

    def get_additional_data(self) -> dict:
        """What this change belongs to in the history (marketplace.core.history)."""
        return history_tags(service=self.service_id)

    @property
    def free(self) -> int | None:
        """Places left counting every unreleased hold; None means unlimited (freesale)."""
        if self.capacity is None:
            return None
        return self.capacity - self.held - self.reserved

    @property
    def starts_at(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.start_time, tzinfo=ROME)


class Hold(models.Model):
    """Places taken for a while (a basket, an unpaid partner booking) under a caller's reference."""

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("places held", "Active")
        CONFIRMED = "confirmed", pgettext_lazy("places held", "Confirmed")
        RELEASED = "released", pgettext_lazy("places held", "Released")
        EXPIRED = "expired", pgettext_lazy("places held", "Expired")

    # No index of its own: operators_hold_slot_expiry (slot, status, expires_at) leads with it.
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="holds", db_index=False)
    reference = models.CharField(max_length=100, db_index=True)
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=1), name="operators_hold_quantity")]
        indexes = [
            models.Index(fields=["status", "expires_at"], name="operators_hold_expiry"),
            models.Index(fields=["slot", "status", "expires_at"], name="operators_hold_slot_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.quantity} on slot {self.slot_id} ({self.status})"


class Reservation(models.Model):
    """Places booked for good (a paid order line, a confirmed partner booking) under a reference."""

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("places booked", "Booked")
        CANCELLED = "cancelled", pgettext_lazy("places booked", "Cancelled")

    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="reservations")
    hold = models.OneToOneField(Hold, null=True, blank=True, on_delete=models.SET_NULL, related_name="reservation")
    reference = models.CharField(max_length=100, db_index=True)
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=1), name="operators_reservation_quantity")]

    def __str__(self) -> str:
        return f"{self.reference}: {self.quantity} on slot {self.slot_id} ({self.status})"


class ExternalCalendar(models.Model):
    """An operator's external iCal feed (channel manager, another booking site) blocking a service."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="external_calendars")
    url = models.URLField(_("iCal URL"), max_length=500, blank=True)
    last_imported_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)  # the hourly re-import's last failure, shown to the operator

    def __str__(self) -> str:
        return self.url or _("iCal file for %(service)s") % {"service": self.service}

    def get_additional_data(self) -> dict:
        """What this change belongs to in the history (marketplace.core.history)."""
        return history_tags(service=self.service_id)


class ExternalBlock(models.Model):
    """A date range an external calendar says is taken (end exclusive, as in iCal all-day events)."""

    calendar = models.ForeignKey(ExternalCalendar, on_delete=models.CASCADE, related_name="blocks")
    starts_on = models.DateField()
    ends_on = models.DateField()
    summary = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["starts_on"]

    def __str__(self) -> str:
        return f"{self.starts_on}–{self.ends_on} {self.summary}"
