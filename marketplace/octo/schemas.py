"""OCTO's response types as pydantic models: ninja validates every answer against them, and they are the
OpenAPI document's component schemas. Capability fields are optional and left out when not asked
(routes use exclude_unset). Field lists from octotravel/octo-types (docs/octo.md)."""

from __future__ import annotations

from ninja import Schema


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
