"""Packages assembled by DMC staff from operators' services, and what was booked of them.

A package owns no capacity and no prices of its own: each component points at an operator's
`Service`, whose slots (capacity) and rates (prices) stay in `operators`. The package adds the
assembly (which service on which day, for how many), the DMC's markup and the cancellation policy.
The one price function is `packages.pricing.package_price`; availability is computed from the
components' slots (`packages.selectors.package_calendar`).

Each published package is mirrored by an Oscar `Product` of class "Package" (`product`), kept in
step by `packages.services.package_sync_product`, so the shop's catalogue, basket, checkout and
orders work unchanged. Booked packages are recorded in `PackageBooking` (one per order line) and
`PackageBookingPart` (what each operator must deliver, at which price and commission).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.core.money import money_round
from operators.models import Municipality, Operator, Service


class Theme(models.TextChoices):
    WINE = "wine", _("Food and wine")
    WALKING = "walking", _("Walking and pilgrim routes")
    CYCLING = "cycling", _("Cycling")
    NATURE = "nature", _("Nature and forests")
    HERITAGE = "heritage", _("Art, villas and heritage")
    SPIRITUALITY = "spirituality", _("Monasteries and spirituality")
    FAMILY = "family", _("Families")


# What the shop's catalogue lists (selectors.package_qs_catalogue): the predicate of its partial indexes.
CATALOGUE_LISTED = Q(status="published", product__isnull=False, price_from__isnull=False)


class Package(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class MarkupKind(models.TextChoices):
        PERCENT = "percent", _("Percent of the components' prices")
        FIXED = "fixed", _("Fixed amount per booking (EUR)")

    title = models.CharField(_("title"), max_length=200)  # translated
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)  # translated
    description = models.TextField(_("description"), blank=True)  # translated
    duration_days = models.PositiveSmallIntegerField(_("duration (days)"), default=1, validators=[MinValueValidator(1)])
    area = models.CharField(
        _("destination area"), max_length=30, choices=Municipality.choices,
        help_text=_("The municipality the package starts from (same codes as the operators')."),
    )  # fmt: skip
    themes = models.CharField(_("themes"), max_length=200, blank=True, help_text=_("Comma-separated theme codes."))
    included = models.TextField(_("included"), blank=True, help_text=_("One item per line."))  # translated
    excluded = models.TextField(_("not included"), blank=True, help_text=_("One item per line."))  # translated
    meeting_point = models.CharField(_("meeting point"), max_length=255, blank=True)  # translated
    markup_kind = models.CharField(_("markup"), max_length=10, choices=MarkupKind.choices, default=MarkupKind.PERCENT)
    markup_value = models.DecimalField(
        _("markup value"), max_digits=10, decimal_places=2, default=Decimal("0.00"), validators=[MinValueValidator(0)]
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    on_request = models.BooleanField(
        _("on request"), default=False,
        help_text=_("Trade bookings wait for the operators' confirmation even where each service is bookable at once."),
    )  # fmt: skip
    price_from = models.DecimalField(
        _("price from (EUR, 2 adults)"), max_digits=10, decimal_places=2, null=True, blank=True, editable=False,
        help_text=_("Lowest price over the next year, computed on publishing: the listings' 'from' price."),
    )  # fmt: skip
    product = models.OneToOneField(
        "catalogue.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="package", editable=False
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set on the one-component packages made automatically to sell an operator's service alone in the shop
    # (packages.services.service_package_sync): the service's words, no markup. Empty on staff packages.
    single_service = models.OneToOneField(
        Service, null=True, blank=True, on_delete=models.PROTECT, related_name="single_package", editable=False,
        verbose_name=_("single service"),
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("package")
        verbose_name_plural = _("packages")
        constraints = [
            models.CheckConstraint(condition=Q(markup_value__gte=0), name="packages_package_markup_not_negative"),
        ]
        # The catalogue's orders (selectors.CATALOGUE_SORTS: the title in the reader's language, the price
        # both ways) over what it lists, so a page of 12 reads 12 index entries instead of sorting every
        # published package (180 ms at 20,000 packages, 0.1 ms with these; docs/packages.md).
        indexes = [
            models.Index(fields=[field, "id"], name=f"packages_catalogue_{field}", condition=CATALOGUE_LISTED)
            for field in ("title_it", "title_en", "title_fr", "title_de", "price_from")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.product.get_absolute_url() if self.product_id else ""

    @property
    def theme_list(self) -> list[str]:
        return [code.strip() for code in self.themes.split(",") if code.strip()]

    @property
    def theme_labels(self) -> list[str]:
        labels = dict(Theme.choices)
        return [str(labels.get(code, code)) for code in self.theme_list]

    @property
    def included_list(self) -> list[str]:
        return [item.strip() for item in (self.included or "").splitlines() if item.strip()]

    @property
    def excluded_list(self) -> list[str]:
        return [item.strip() for item in (self.excluded or "").splitlines() if item.strip()]

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_single_service(self) -> bool:
        """A service sold alone (one component, made automatically), not a package assembled by staff."""
        return self.single_service_id is not None


class PackagePhoto(models.Model):
    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("image"), upload_to="packages/photos/%Y/%m/")
    caption = models.CharField(_("caption"), max_length=200, blank=True)  # translated
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.caption or self.image.name


class PackageComponent(models.Model):
    """One service of a package on one of its days, and how many of it a party needs.

    Quantity rules: PER_PERSON follows the service's own capacity model (people for a tour, rooms of
    `max_occupancy` for a per-unit service); PER_ROOM books one unit per `room_size` people whatever the
    service says (twin rooms in a hotel selling per unit); PER_GROUP books one place for the party (a
    private guide); OPTIONAL is an extra the traveller may choose on the package page: when chosen it
    counts like PER_PERSON (the service's own capacity model), is priced in and held with the rest;
    when not chosen it is neither priced nor held."""

    class QuantityRule(models.TextChoices):
        PER_PERSON = "per_person", _("One per person (as the service counts)")
        PER_ROOM = "per_room", _("One room per N people")
        PER_GROUP = "per_group", _("One per group")
        OPTIONAL = "optional", _("Optional extra (not included)")

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="components")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="package_components")
    day = models.PositiveSmallIntegerField(_("day"), default=1, validators=[MinValueValidator(1)],
                                           help_text=_("1 is the package's first day."))  # fmt: skip
    start_time = models.TimeField(
        _("start time"), null=True, blank=True, help_text=_("Empty: the first departure of the day with room.")
    )
    quantity_rule = models.CharField(
        _("quantity"), max_length=12, choices=QuantityRule.choices, default=QuantityRule.PER_PERSON
    )
    room_size = models.PositiveSmallIntegerField(
        _("people per room"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    note = models.CharField(_("note for travellers"), max_length=255, blank=True)  # translated

    class Meta:
        ordering = ["day", "position", "pk"]
        verbose_name = _("component")
        verbose_name_plural = _("components")
        constraints = [
            models.CheckConstraint(
                condition=~Q(quantity_rule="per_room") | Q(room_size__gte=1), name="packages_component_room_size"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.package}: day {self.day} {self.service.name}"

    @property
    def day_offset(self) -> int:
        return self.day - 1

    @property
    def is_optional(self) -> bool:
        return self.quantity_rule == self.QuantityRule.OPTIONAL


class CancellationTier(models.Model):
    """ "Up to `days_before` days before departure, `refund_percent` back". The tier with the most days
    that still applies wins; after the last tier nothing is refunded."""

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="cancellation_tiers")
    days_before = models.PositiveSmallIntegerField(_("until days before departure"))
    refund_percent = models.PositiveSmallIntegerField(_("refund (%)"), validators=[MaxValueValidator(100)])

    class Meta:
        ordering = ["-days_before"]
        constraints = [
            models.UniqueConstraint(fields=["package", "days_before"], name="packages_tier_unique"),
            models.CheckConstraint(condition=Q(refund_percent__lte=100), name="packages_tier_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.refund_percent}% until {self.days_before} days before"

    @property
    def sentence(self) -> str:
        """The tier in the active language, as the package page, the cancel page and the voucher word it."""
        return _("%(percent)s%% refunded if you cancel at least %(days)s days before departure") % {
            "percent": self.refund_percent,
            "days": self.days_before,
        }


class PackageSupplierTerms(models.Model):
    """What the DMC keeps of an operator's component prices (on our side: `operators` stays ignorant
    of packages). Operators without terms get settings.PACKAGES_DEFAULT_COMMISSION_PERCENT."""

    operator = models.OneToOneField(Operator, on_delete=models.CASCADE, related_name="package_terms")
    commission_percent = models.DecimalField(
        _("commission (%)"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = _("supplier terms")
        verbose_name_plural = _("supplier terms")

    def __str__(self) -> str:
        return f"{self.operator}: {self.commission_percent}%"


class PackageBooking(models.Model):
    """A package sold on one order line: its date, party and price as paid, and its state."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")

    order_line = models.OneToOneField("order.Line", on_delete=models.CASCADE, related_name="package_booking")
    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="bookings")
    starts_on = models.DateField(_("first day"))
    party = models.JSONField(_("party"))
    price = models.DecimalField(_("price (EUR, VAT included)"), max_digits=10, decimal_places=2)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    refund_amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.package} {self.starts_on} ({self.status})"

    @property
    def capacity_reference(self) -> str:
        return f"order-line:{self.order_line_id}"


class PackageBookingPart(models.Model):
    """What one operator must deliver for a booking, at the price and commission agreed then.

    Snapshotting amount and commission keeps statements true when rates or terms change later;
    `is_extra` keeps "the traveller chose this optional extra" true when the package is edited later."""

    booking = models.ForeignKey(PackageBooking, on_delete=models.CASCADE, related_name="parts")
    component = models.ForeignKey(PackageComponent, null=True, on_delete=models.SET_NULL, related_name="+")
    operator = models.ForeignKey(Operator, on_delete=models.PROTECT, related_name="package_parts")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="package_parts")
    slot = models.ForeignKey("operators.Slot", on_delete=models.PROTECT, related_name="package_parts")
    date = models.DateField()
    start_time = models.TimeField()
    all_day = models.BooleanField(default=True)
    places = models.PositiveIntegerField()
    amount = models.DecimalField(_("component price"), max_digits=10, decimal_places=2)
    commission_percent = models.DecimalField(max_digits=5, decimal_places=2)
    is_extra = models.BooleanField(
        _("optional extra"), default=False, help_text=_("Chosen by the traveller on top of the package.")
    )
    # Checked in at the meeting point (operators.checkin): when and by which member of the operator.
    redeemed_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    redeemed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("checked in by"))  # fmt: skip

    class Meta:
        ordering = ["date", "start_time", "pk"]
        indexes = [models.Index(fields=["operator", "date"], name="packages_part_operator_date")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="packages_part_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.service.name} {self.date} × {self.places}"

    @property
    def commission(self) -> Decimal:
        return money_round(self.amount * self.commission_percent / 100)

    @property
    def net(self) -> Decimal:
        return self.amount - self.commission
