"""The one place a trade (net) price is computed: always derived from the retail price.

Retail comes from the one retail price function (packages.pricing.package_price, through
packages.products.Bookable for a service sold alone too); the contract turns it into the partner's net:

- commission contracts: net = retail × (100 − commission) / 100, rounded to the cent;
- net-rate contracts: the net price of each traveller's price category for the product in the season
  containing the date (ContractNetPrice), counted with the price categories of the product's first
  included service (its age bands decide who is a child or an infant). A price per UNIT, where given,
  is charged per place the party takes of that service (a room, a private guide) instead of per
  person. A senior with no senior price pays the adult one; an infant with no infant price pays
  nothing. Chosen optional extras are added at their retail price (a net contract prices the
  product, not the extras). A date or a category without a net price is not sold: TradeNotPriced.

The portal, the API, the statements and the bookings all call `trade_price` or `contract_net`, never a
formula of their own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from marketplace.core.money import money_round
from operators.models import PriceCategory
from operators.pricing import Party
from packages.models import Package
from packages.pricing import PackageNotPriced, PackagePrice, component_places_needed
from packages.products import Bookable

from .models import Contract, ContractNetPrice

ZERO = Decimal("0.00")
CURRENCY = "EUR"


class TradeNotPriced(Exception):
    """The product has no retail price, or no net price under this contract, for that date and party."""

    def __init__(self, message: str = "no trade price"):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class TradePrice:
    retail: Decimal
    net: Decimal
    retail_price: PackagePrice  # the components' retail amounts (an operator is owed from these)
    currency: str = CURRENCY

    @property
    def discount(self) -> Decimal:
        return self.retail - self.net


def contract_net_prices(*, contract: Contract) -> list[ContractNetPrice]:
    """Every net price of a net-rate contract, in one query (empty for commission contracts): load once
    per request and pass to `contract_net` for many products and days."""
    if contract.rate_kind != Contract.RateKind.NET:
        return []
    return list(contract.net_prices.all())


def _product_rows(rows: Iterable[ContractNetPrice], item: Bookable, on: dt.date) -> dict[str, Decimal]:
    for_product = [
        r
        for r in rows
        if r.starts_on <= on <= r.ends_on
        and (r.package_id == item.package.pk if item.package is not None else r.service_id == item.service.pk)
    ]
    return {r.category: r.amount for r in for_product}


def contract_net(
    *,
    contract: Contract,
    item: Bookable,
    on: dt.date,
    party: Party,
    retail: Decimal,
    extras_retail: Decimal = ZERO,
    net_prices: list[ContractNetPrice] | None = None,
) -> Decimal:
    """The partner's net for `item` on `on` for `party`, from its retail total (`retail`, extras
    included; `extras_retail` says how much of it the chosen extras are). Raises TradeNotPriced.

    No query for commission contracts; net-rate contracts read `net_prices` (contract_net_prices) when
    given, so a grid of many products and days costs one query for all of them."""
    if contract.rate_kind == Contract.RateKind.COMMISSION:
        return money_round(retail * (100 - (contract.commission_percent or ZERO)) / 100)
    rows = _product_rows(net_prices if net_prices is not None else contract_net_prices(contract=contract), item, on)
    if not rows:
        raise TradeNotPriced(f"no net price for {item.key} on {on}")
    included = [c for c in item.components() if not c.is_optional]
    if not included:
        raise TradeNotPriced(f"{item.key} has nothing to book")
    reference = included[0]
    if PriceCategory.UNIT in rows:
        return money_round(rows[PriceCategory.UNIT] * component_places_needed(component=reference, party=party))
    total = ZERO
    for category, count in party.categories(reference.service).items():
        if not count:
            continue
        amount = rows.get(category)
        if amount is None and category == PriceCategory.SENIOR:
            amount = rows.get(PriceCategory.ADULT)
        if amount is None and category == PriceCategory.INFANT:
            amount = ZERO
        if amount is None:
            raise TradeNotPriced(f"no {category} net price for {item.key} on {on}")
        total += amount * count
    return money_round(total + extras_retail)


def trade_price(
    *,
    contract: Contract,
    product,
    on: dt.date,
    party: Party,
    extras: Iterable[int] = (),
    start_time: dt.time | None = None,
    net_prices: list[ContractNetPrice] | None = None,
) -> TradePrice:
    """Retail and net of one booking: `product` is a Bookable, a Package or a Service. Raises
    TradeNotPriced when the product has no retail price or no net price that day."""
    item = product if isinstance(product, Bookable) else _bookable(product)
    try:
        retail = item.price(on=on, party=party, extras=extras, start_time=start_time)
    except PackageNotPriced as exc:
        raise TradeNotPriced(f"no retail price for {item.key} on {on}") from exc
    extras_retail = ZERO
    if retail.extras:
        try:
            extras_retail = retail.total - item.price(on=on, party=party, start_time=start_time).total
        except PackageNotPriced as exc:
            raise TradeNotPriced(f"no retail price for {item.key} on {on}") from exc
    net = contract_net(
        contract=contract,
        item=item,
        on=on,
        party=party,
        retail=retail.total,
        extras_retail=extras_retail,
        net_prices=net_prices,
    )
    return TradePrice(retail=retail.total, net=net, retail_price=retail)


def _bookable(product) -> Bookable:
    return Bookable(package=product) if isinstance(product, Package) else Bookable(service=product)
