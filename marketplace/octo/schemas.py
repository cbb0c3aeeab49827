"""OCTO's response types as pydantic models: ninja validates every answer against them, and they are the
OpenAPI document's component schemas. Capability fields are optional and left out when not asked
(routes use exclude_unset). Field lists from octotravel/octo-types (docs/octo.md)."""

from __future__ import annotations

from ninja import Schema


class Pricing(Schema):
    original: int
    retail: int
    net: int | None
    currency: str
    currencyPrecision: int
    includedTaxes: list[dict]


class Contact(Schema):
    website: str | None
    email: str | None
    telephone: str | None
    address: str | None


class Supplier(Schema):
    id: str
    name: str
    endpoint: str
    contact: Contact


class UnitRestrictions(Schema):
    minAge: int
    maxAge: int | None
    idRequired: bool
    minQuantity: int | None
    maxQuantity: int | None
    paxCount: int
    accompaniedBy: list[str]


class Unit(Schema):
    id: str
    internalName: str
    reference: str | None
    type: str
    requiredContactFields: list[str]
    restrictions: UnitRestrictions
    title: str | None = None
    titlePlural: str | None = None
    subtitle: str | None = None
    pricingFrom: list[Pricing] | None = None


class OptionRestrictions(Schema):
    minUnits: int
    maxUnits: int | None


class Option(Schema):
    id: str
    default: bool
    internalName: str
    reference: str | None
    availabilityLocalStartTimes: list[str]
    cancellationCutoff: str
    cancellationCutoffAmount: int
    cancellationCutoffUnit: str
    requiredContactFields: list[str]
    restrictions: OptionRestrictions
    units: list[Unit]
    pricingFrom: list[Pricing] | None = None


class Product(Schema):
    id: str
    internalName: str
    reference: str | None
    locale: str
    timeZone: str
    allowFreesale: bool
    instantConfirmation: bool
    instantDelivery: bool
    availabilityRequired: bool
    availabilityType: str
    deliveryFormats: list[str]
    deliveryMethods: list[str]
    redemptionMethod: str
    options: list[Option]
    defaultCurrency: str | None = None
    availableCurrencies: list[str] | None = None
    pricingPer: str | None = None
    title: str | None = None
    shortDescription: str | None = None
    description: str | None = None
    features: list[dict] | None = None
    faqs: list[dict] | None = None
    media: list[dict] | None = None
    locations: list[dict] | None = None
    categoryLabels: list[str] | None = None
    durationMinutesFrom: int | None = None
    durationMinutesTo: int | None = None
    commentary: list[dict] | None = None


class UnitPrice(Schema):
    unitId: str
    original: int
    retail: int
    net: int
    currency: str
    currencyPrecision: int
    includedTaxes: list[dict]


class CalendarDay(Schema):
    localDate: str
    available: bool
    status: str
    vacancies: int | None
    capacity: int | None
    openingHours: list[dict]
    unitPricingFrom: list[UnitPrice] | None = None


class Availability(Schema):
    id: str
    localDateTimeStart: str
    localDateTimeEnd: str
    allDay: bool
    available: bool
    status: str
    vacancies: int | None
    capacity: int | None
    maxUnits: int | None
    utcCutoffAt: str
    openingHours: list[dict]
    unitPricing: list[UnitPrice] | None = None


class FullContact(Schema):
    fullName: str | None
    firstName: str | None
    lastName: str | None
    emailAddress: str | None
    phoneNumber: str | None
    locales: list[str]
    postalCode: str | None
    country: str | None
    notes: str | None


class DeliveryOption(Schema):
    deliveryFormat: str
    deliveryValue: str


class Ticket(Schema):
    redemptionMethod: str
    utcRedeemedAt: str | None
    deliveryOptions: list[DeliveryOption]


class Cancellation(Schema):
    refund: str
    reason: str | None
    utcCancelledAt: str


class UnitItem(Schema):
    uuid: str
    resellerReference: str | None
    supplierReference: str | None
    unitId: str
    status: str
    utcRedeemedAt: str | None
    contact: FullContact
    ticket: Ticket | None


class Booking(Schema):
    id: str
    uuid: str
    testMode: bool
    resellerReference: str | None
    supplierReference: str | None
    status: str
    utcCreatedAt: str
    utcUpdatedAt: str
    utcExpiresAt: str | None
    utcRedeemedAt: str | None
    utcConfirmedAt: str | None
    productId: str
    optionId: str
    cancellable: bool
    cancellation: Cancellation | None
    freesale: bool
    availabilityId: str | None
    availability: Availability | None
    contact: FullContact
    notes: str | None
    deliveryMethods: list[str]
    voucher: Ticket | None
    unitItems: list[UnitItem]
    pricing: Pricing | None = None


class Error(Schema):
    """OCTO's error body: a code, a message for people and, with an INVALID_*_ID code, the offending id."""

    error: str
    errorMessage: str
    productId: str | None = None
    optionId: str | None = None
    unitId: str | None = None
    availabilityId: str | None = None
    uuid: str | None = None
