"""The trade channel's records. Rules live in the service modules (docs/trade.md); this file only
says what is stored.

A product a partner books is a package or a single service (exactly one of the two foreign keys).
Places are never counted here: allotments and bookings own capacity *references*
(`Allotment.capacity_reference`, `TradeBooking.capacity_reference`) whose holds and reservations live
in operators.capacity, the only writer of held and reserved places.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from marketplace.core.history import history_tags
from marketplace.core.money import format_money
from operators.models import Operator, PriceCategory, Service
from packages.models import Package

PRODUCT_IS_ONE = Q(package__isnull=False, service__isnull=True) | Q(package__isnull=True, service__isnull=False)


class TradePartner(models.Model):
    """A company that sources the destination at trade rates: an incoming tour operator, a travel agency."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending approval")
        APPROVED = "approved", _("Approved")
        SUSPENDED = "suspended", _("Suspended")
        REJECTED = "rejected", _("Rejected")

    legal_name = models.CharField(_("legal name"), max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166 code, e.g. DE, NL, US."))
    tax_id = models.CharField(
        _("VAT number or tax id"), max_length=40, help_text=_("EU VAT number with its country prefix, or the tax id.")
    )
    address = models.TextField(_("address"))
    licence_number = models.CharField(
        _("licence or IATA/ABTA number"), max_length=60, blank=True,
        help_text=_("The travel-trade licence, IATA, ABTA, ASTA or similar number."),
    )  # fmt: skip
    billing_email = models.EmailField(_("billing e-mail"))
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    status_reason = models.TextField(_("reason"), blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["legal_name"]
        verbose_name = _("trade partner")
        verbose_name_plural = _("trade partners")

    def __str__(self) -> str:
        return self.legal_name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.APPROVED


class PartnerMembership(models.Model):
    """A user working for a partner (one partner per user). The portal's object permissions come from here."""

    class Role(models.TextChoices):
        ADMIN = "admin", pgettext_lazy("partner user", "Administrator")
        BOOKER = "booker", pgettext_lazy("partner user", "Booker")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_membership")
    partner = models.ForeignKey(TradePartner, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.BOOKER)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user} @ {self.partner} ({self.role})"


class PartnerInvitation(models.Model):
    """A partner admin's invitation of a colleague; the token is stored hashed, as operators' are."""

    partner = models.ForeignKey(TradePartner, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    role = models.CharField(
        max_length=10, choices=PartnerMembership.Role.choices, default=PartnerMembership.Role.BOOKER
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.email} -> {self.partner} ({self.role})"


class Contract(models.Model):
    """What the DMC sells one partner, at which rate, on which terms, for a period.

    Net prices are never stored for the commission kind: they are derived from the retail price by
    `trade.pricing.trade_price`. Contracts of one partner never overlap in time on the same product
    (`trade.contracts.contract_overlaps`, a form error)."""

    class Scope(models.TextChoices):
        ALL = "all", _("Every package and service")
        PACKAGES = "packages", _("Every package")
        CHOSEN = "chosen", _("Chosen packages, operators and services")

    class RateKind(models.TextChoices):
        COMMISSION = "commission", _("Commission off the retail price")
        NET = "net", _("Net prices per product, season and category")

    class PaymentTerms(models.TextChoices):
        ON_ACCOUNT = "on_account", _("On account (monthly statement, credit limit)")
        PREPAYMENT = "prepayment", _("Prepayment")

    partner = models.ForeignKey(TradePartner, on_delete=models.CASCADE, related_name="contracts")
    name = models.CharField(_("name"), max_length=200, help_text=_("e.g. 'Summer 2027'."))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to (included)"))
    scope = models.CharField(_("products"), max_length=10, choices=Scope.choices, default=Scope.ALL)
    packages = models.ManyToManyField(Package, blank=True, related_name="trade_contracts", verbose_name=_("packages"))
    operators = models.ManyToManyField(
        Operator, blank=True, related_name="trade_contracts", verbose_name=_("operators (all their services)")
    )
    services = models.ManyToManyField(Service, blank=True, related_name="trade_contracts", verbose_name=_("services"))
    rate_kind = models.CharField(_("rate"), max_length=12, choices=RateKind.choices, default=RateKind.COMMISSION)
    commission_percent = models.DecimalField(
        _("commission (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )  # fmt: skip
    payment_terms = models.CharField(
        _("payment terms"), max_length=12, choices=PaymentTerms.choices, default=PaymentTerms.ON_ACCOUNT
    )
    credit_limit = models.DecimalField(
        _("credit limit (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True,
        help_text=_("On account only: bookings that would take the open balance above it are refused."),
    )  # fmt: skip
    general_sale = models.BooleanField(
        _("may book general availability"), default=True,
        help_text=_("Off: the partner books only from its allotments."),
    )  # fmt: skip
    amendments_allowed = models.BooleanField(_("party and travellers may be amended"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partner", "-valid_from"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            models.CheckConstraint(condition=Q(valid_to__gte=F("valid_from")), name="trade_contract_dates"),
            models.CheckConstraint(
                condition=~Q(rate_kind="commission") | Q(commission_percent__isnull=False),
                name="trade_contract_commission_set",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner}: {self.name}"

    def get_additional_data(self) -> dict:
        """What this change belongs to in the history (marketplace.core.history)."""
        return history_tags(contract=self.pk, partner=self.partner_id)


class ContractNetPrice(models.Model):
    """An explicit net price of one product, for one price category, over a season of the contract."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="net_prices")
    package = models.ForeignKey(Package, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    starts_on = models.DateField(_("season from"))
    ends_on = models.DateField(_("season to (included)"))
    category = models.CharField(_("category"), max_length=10, choices=PriceCategory.choices)
    amount = models.DecimalField(
        _("net price (EUR)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        ordering = ["contract", "starts_on", "category"]
        verbose_name = _("net price")
        verbose_name_plural = _("net prices")
        constraints = [
            models.CheckConstraint(condition=PRODUCT_IS_ONE, name="trade_netprice_one_product"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="trade_netprice_dates"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="trade_netprice_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.package or self.service} {self.category} {format_money(self.amount)}"

    def get_additional_data(self) -> dict:
        """What this change belongs to in the history (marketplace.core.history)."""
        return history_tags(contract=self.contract_id)


class ContractCancellationTier(models.Model):
    """The contract's own cancellation policy, read like the packages' tiers: up to `days_before` days
    before the date, `refund_percent` of the net is not charged; after the last tier everything is."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="cancellation_tiers")
    days_before = models.PositiveSmallIntegerField(_("until days before"))
    refund_percent = models.PositiveSmallIntegerField(_("not charged (%)"), validators=[MaxValueValidator(100)])

    class Meta:
        ordering = ["-days_before"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "days_before"], name="trade_tier_unique"),
            models.CheckConstraint(condition=Q(refund_percent__lte=100), name="trade_tier_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.refund_percent}% until {self.days_before} days before"

    def get_additional_data(self) -> dict:
        """What this change belongs to in the history (marketplace.core.history)."""
        return history_tags(contract=self.contract_id)


class Allotment(models.Model):
    """Places of a service reserved for one partner on every matching slot of a date range.

    The places are a hold in operators.capacity under `capacity_reference`, one per slot, expiring at
    that slot's release time (`release_days` before it starts): unbooked places go back to general sale
    by the capacity service's own expiry. A partner booking moves places from this hold to its own
    reservation under the slot lock (operators.capacity.capacity_take)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        RELEASED = "released", _("Released")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="allotments")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="allotments")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to (included)"))
    weekdays = models.CharField(
        _("weekdays"), max_length=7, blank=True, help_text=_("Digits 0 (Monday) to 6 (Sunday); empty for every day.")
    )
    start_time = models.TimeField(_("departure"), null=True, blank=True, help_text=_("Empty: every departure."))
    quantity = models.PositiveIntegerField(_("places per slot"), validators=[MinValueValidator(1)])
    release_days = models.PositiveSmallIntegerField(_("release (days before)"), default=21)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("allotment")
        verbose_name_plural = _("allotments")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="trade_allotment_dates"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="trade_allotment_quantity"),
        ]

    def __str__(self) -> str:
        return f"{self.contract.partner}: {self.quantity} × {self.service.name} {self.starts_on}–{self.ends_on}"

    def get_additional_data(self) -> dict:
        """What this change belongs to in the history (marketplace.core.history)."""
        return history_tags(contract=self.contract_id, service=self.service_id)

    @property
    def capacity_reference(self) -> str:
        return f"allotment:{self.pk}"


class TradeBooking(models.Model):
    """A partner's booking of one product on one date for one party, from the portal or the API.

    ON_HOLD is the API's reserve (places held until `hold_expires_at`); PENDING waits for the operators
    of on-request services until `decision_deadline`; CONFIRMED has reservations; DECLINED, CANCELLED and
    EXPIRED hold nothing. Amounts are snapshots taken when booked (retail from the one price function,
    net through the contract), so statements stay true when prices change later."""

    class Channel(models.TextChoices):
        PORTAL = "portal", _("Partner portal")
        API = "api", _("API")

    class Status(models.TextChoices):
        ON_HOLD = "on_hold", _("On hold")
        PENDING = "pending", _("Waiting for the operator")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("booking code"), max_length=12, unique=True, editable=False)
    partner = models.ForeignKey(TradePartner, on_delete=models.PROTECT, related_name="bookings")
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="bookings")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.PORTAL)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")  # fmt: skip
    package = models.ForeignKey(Package, null=True, blank=True, on_delete=models.PROTECT, related_name="trade_bookings")
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.PROTECT, related_name="trade_bookings")
    starts_on = models.DateField(_("date"))
    start_time = models.TimeField(_("departure"), null=True, blank=True)
    party = models.JSONField(_("party"))
    extras = models.JSONField(_("extras"), default=list, blank=True)  # package component ids
    lead_first_name = models.CharField(_("lead traveller's first name"), max_length=100)
    lead_last_name = models.CharField(_("lead traveller's last name"), max_length=100)
    lead_email = models.EmailField(_("lead traveller's e-mail"), blank=True)
    lead_phone = models.CharField(_("lead traveller's phone"), max_length=40, blank=True)
    travellers = models.JSONField(_("other travellers"), default=list, blank=True)
    guest_country = models.CharField(
        _("guests' country of residence"),
        max_length=2,
        blank=True,
        help_text=_("ISO 3166 code; empty: the partner's own country is counted."),
    )
    partner_reference = models.CharField(_("your reference"), max_length=100, blank=True, db_index=True)
    notes = models.TextField(_("notes"), blank=True)

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, db_index=True)
    retail_amount = models.DecimalField(_("retail price (EUR)"), max_digits=10, decimal_places=2)
    net_amount = models.DecimalField(_("net price (EUR)"), max_digits=10, decimal_places=2)
    cancellation_fee = models.DecimalField(_("cancellation fee (EUR)"), max_digits=10, decimal_places=2, null=True,
                                           blank=True)  # fmt: skip
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    decision_deadline = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")  # fmt: skip

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("trade booking")
        verbose_name_plural = _("trade bookings")
        constraints = [models.CheckConstraint(condition=PRODUCT_IS_ONE, name="trade_booking_one_product")]
        indexes = [models.Index(fields=["partner", "starts_on"], name="trade_booking_partner_date")]

    def __str__(self) -> str:
        return f"{self.code} {self.package or self.service} {self.starts_on}"

    @property
    def capacity_reference(self) -> str:
        return f"trade:{self.pk}"

    @property
    def product(self):
        return self.package or self.service


class TradeBookingPart(models.Model):
    """What one operator delivers for a trade booking: the slot, the places, the amounts agreed then.

    `amount` is the component's retail price and `commission_percent` the DMC's supplier terms, exactly
    as on a shop order's parts, so the operator is owed the same for a place whichever channel sold it;
    the partner's discount is the DMC's. `from_allotment` counts the places taken from the partner's
    allotment. `decision` is the operator's answer on an on-request part."""

    class Decision(models.TextChoices):
        NOT_NEEDED = "", _("Confirmed at once")
        WAITING = "waiting", _("Waiting")
        CONFIRMED = "confirmed", _("Confirmed by the operator")
        DECLINED = "declined", _("Declined by the operator")

    booking = models.ForeignKey(TradeBooking, on_delete=models.CASCADE, related_name="parts")
    component = models.ForeignKey("packages.PackageComponent", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")  # fmt: skip
    operator = models.ForeignKey(Operator, on_delete=models.PROTECT, related_name="trade_parts")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="trade_parts")
    slot = models.ForeignKey("operators.Slot", on_delete=models.PROTECT, related_name="trade_parts")
    date = models.DateField()
    start_time = models.TimeField()
    all_day = models.BooleanField(default=True)
    places = models.PositiveIntegerField()
    from_allotment = models.PositiveIntegerField(default=0)
    amount = models.DecimalField(_("component price"), max_digits=10, decimal_places=2)
    commission_percent = models.DecimalField(max_digits=5, decimal_places=2)
    is_extra = models.BooleanField(default=False)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.NOT_NEEDED, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")  # fmt: skip
    # Checked in at the meeting point (operators.checkin): when and by which member of the operator.
    redeemed_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    redeemed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("checked in by"))  # fmt: skip

    class Meta:
        ordering = ["date", "start_time", "pk"]
        indexes = [models.Index(fields=["operator", "date"], name="trade_part_operator_date")]
        constraints = [
            models.CheckConstraint(condition=Q(from_allotment__lte=F("places")), name="trade_part_allotment")
        ]

    def __str__(self) -> str:
        return f"{self.service.name} {self.date} × {self.places}"


class StatementSettlement(models.Model):
    """Staff's record that a partner paid a month's statement: on-account credit counts unsettled months."""

    partner = models.ForeignKey(TradePartner, on_delete=models.CASCADE, related_name="settlements")
    month = models.DateField(help_text=_("The first day of the month settled."))
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    settled_at = models.DateTimeField(auto_now_add=True)
    settled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["partner", "month"], name="trade_settlement_unique")]

    def __str__(self) -> str:
        return f"{self.partner} {self.month:%Y-%m}: {format_money(self.amount)}"
