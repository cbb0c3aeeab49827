"""Which contract applies to a partner's booking, what a contract covers, and which contracts overlap.

Contracts of one partner never overlap in time on the same product (`contract_overlaps`, a form
error in the back office), so `partner_contract_for` finds at most one contract for a product and day.

A product is a package or a service (a `packages.products.Bookable` is accepted for either).
Scopes: ALL covers every package and service, PACKAGES every package, CHOSEN the chosen packages, the
chosen services and every service of the chosen operators.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from operators.models import Operator, Service
from packages.models import Package
from packages.products import Bookable

from .models import Contract, TradePartner


def _product(product) -> tuple[Package | None, Service | None]:
    if isinstance(product, Bookable):
        return product.package, product.service
    if isinstance(product, Package):
        return product, None
    if isinstance(product, Service):
        return None, product
    raise TypeError(f"not a product: {product!r}")


def _ids(values) -> set[int]:
    return {v if isinstance(v, int) else v.pk for v in values or ()}


def contract_covers(*, contract: Contract, product) -> bool:
    """Whether the contract sells this package or service (its dates aside). The shop's automatic
    single-service packages never: partners book those services as services (contract_packages)."""
    package, service = _product(product)
    if package is not None and package.single_service_id:
        return False
    if contract.scope == Contract.Scope.ALL:
        return True
    if contract.scope == Contract.Scope.PACKAGES:
        return package is not None
    if package is not None:
        return contract.packages.filter(pk=package.pk).exists()
    return (
        contract.services.filter(pk=service.pk).exists() or contract.operators.filter(pk=service.operator_id).exists()
    )


def partner_contracts_in_force(*, partner: TradePartner, on: dt.date) -> QuerySet[Contract]:
    """The partner's contracts valid on `on` (none when the partner is not approved)."""
    if partner.status != TradePartner.Status.APPROVED:
        return Contract.objects.none()
    return partner.contracts.filter(valid_from__lte=on, valid_to__gte=on).order_by("valid_from", "pk")


def partner_contract_for(*, partner: TradePartner, product, on: dt.date) -> Contract | None:
    """The contract under which `partner` books `product` for `on`, or None (not covered that day)."""
    for contract in partner_contracts_in_force(partner=partner, on=on):
        if contract_covers(contract=contract, product=product):
            return contract
    return None


def contract_packages(*, contract: Contract) -> QuerySet[Package]:
    """The published packages the contract covers (not the shop's automatic single-service packages:
    partners book those services as services, contract_services)."""
    published = Package.objects.filter(status=Package.Status.PUBLISHED, single_service__isnull=True)
    if contract.scope in (Contract.Scope.ALL, Contract.Scope.PACKAGES):
        return published
    return published.filter(pk__in=contract.packages.values("pk"))


def contract_services(*, contract: Contract) -> QuerySet[Service]:
    """The active services of approved operators the contract covers (with their operator)."""
    sellable = Service.objects.filter(is_active=True, operator__status=Operator.Status.APPROVED).select_related(
        "operator"
    )
    if contract.scope == Contract.Scope.ALL:
        return sellable
    if contract.scope == Contract.Scope.PACKAGES:
        return sellable.none()
    return sellable.filter(
        Q(pk__in=contract.services.values("pk")) | Q(operator_id__in=contract.operators.values("pk"))
    )


def _shares_products(
    scope: str, packages: set[int], operators: set[int], services: set[int], other: Contract, service_operator: dict
) -> bool:
    """Whether two scopes cover a product in common (`other` with its chosen rows prefetched)."""
    scopes = {scope, other.scope}
    if Contract.Scope.ALL in scopes:
        return True
    other_packages = {p.pk for p in other.packages.all()}
    if scope == Contract.Scope.PACKAGES or other.scope == Contract.Scope.PACKAGES:
        if scopes == {Contract.Scope.PACKAGES}:
            return True
        return bool(packages if other.scope == Contract.Scope.PACKAGES else other_packages)
    other_operators = {o.pk for o in other.operators.all()}
    other_services = {s.pk for s in other.services.all()}
    if packages & other_packages or services & other_services or operators & other_operators:
        return True
    return any(service_operator.get(s) in other_operators for s in services) or any(
        service_operator.get(s) in operators for s in other_services
    )


def contract_overlaps(
    *,
    contract: Contract,
    packages: Iterable = (),
    operators: Iterable = (),
    services: Iterable = (),
) -> list[Contract]:
    """The partner's other contracts that overlap `contract` in dates AND in products.

    `contract` may be unsaved (a form being validated): its chosen packages, operators and services
    are passed in (ids or objects), as they are not saved yet."""
    packages, operators, services = _ids(packages), _ids(operators), _ids(services)
    others = (
        Contract.objects.filter(
            partner_id=contract.partner_id, valid_from__lte=contract.valid_to, valid_to__gte=contract.valid_from
        )
        .exclude(pk=contract.pk)
        .prefetch_related("packages", "operators", "services")
        .order_by("valid_from", "pk")
    )
    others = list(others)
    if not others:
        return []
    every_service = services | {s.pk for other in others for s in other.services.all()}
    service_operator = dict(Service.objects.filter(pk__in=every_service).values_list("pk", "operator_id"))
    return [
        other
        for other in others
        if _shares_products(contract.scope, packages, operators, services, other, service_operator)
    ]
