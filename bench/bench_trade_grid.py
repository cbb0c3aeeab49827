"""Benchmark of the trade partner's availability grid (issue 12). Run from the repo root:

    python bench/bench_trade_grid.py                  # or: make bench
    BENCH_RUNS=30 BENCH_TRADE_GRID_DATABASE_URL=postgres://postgres@127.0.0.1:5432/dmc_bench_trade_grid \
        python bench/bench_trade_grid.py

It uses its own database (BENCH_TRADE_GRID_DATABASE_URL; default `<DATABASE_URL>_bench_trade_grid`, or
dmc_bench_trade_grid on 127.0.0.1; created and migrated if missing), builds 50 products a contract
covers (40 services of 5 operators, with two departures a day, and 10 packages of 3 of them), an
allotment, and measures the grid for 8 weeks (56 days × 50 products), uncached:

- `trade.grid.trade_grid` alone: p50/p95 time and SQL queries;
- the page (`trade:grid`, through Django's test client, logged in as the partner): p50/p95 and queries.

Target: the page under 300 ms p95, and a query count that does not depend on the number of products.
"""

import datetime as dt
import os
from decimal import Decimal

from _bootstrap import bench_django_setup, bench_operators, bench_trade_cleanup, queries, say, timed

os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
bench_django_setup(url_env="BENCH_TRADE_GRID_DATABASE_URL", name="bench_trade_grid")
RUNS = int(os.environ.get("BENCH_RUNS", "20"))
PREFIX = "bench-trade-"
TARGET_MS = 300

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from marketplace.trade.allotments import allotment_create  # noqa: E402
from marketplace.trade.models import Contract, PartnerMembership, TradePartner  # noqa: E402
from marketplace.trade.selectors import GridFilters, trade_grid  # noqa: E402
from operators.models import Rate, Season, Service, Slot  # noqa: E402
from operators.pricing import Party  # noqa: E402
from packages.models import Package, PackageComponent  # noqa: E402


def cleanup() -> None:
    get_user_model().objects.filter(username__startswith=PREFIX).delete()
    bench_trade_cleanup(PREFIX)


def build(today: dt.date):
    operators = bench_operators(PREFIX, 5, label="trade", vat_base=8600000)
    services = []
    for n in range(40):
        service = Service.objects.create(
            operator=operators[n % 5], name=f"Bench trade service {n}", kind="experience", capacity_model="per_person",
            is_active=True,
        )  # fmt: skip
        season = Season.objects.create(service=service, name="Year", starts_on=today, ends_on=today + dt.timedelta(365))
        Rate.objects.bulk_create(
            [Rate(season=season, category="adult", amount=Decimal("45.00")),
             Rate(season=season, category="child", amount=Decimal("25.00"))]
        )  # fmt: skip
        Slot.objects.bulk_create(
            [
                Slot(service=service, date=today + dt.timedelta(days=d), start_time=t, capacity=20)
                for d in range(70)
                for t in (dt.time(9, 0), dt.time(15, 0))
            ]
        )
        services.append(service)
    packages = []
    for n in range(10):
        package = Package.objects.create(
            title=f"Bench trade package {n}", title_it=f"Bench trade package {n}", slug=f"{PREFIX}{n}",
            area="lucca", duration_days=3, markup_kind="percent", markup_value=Decimal("10"),
            status=Package.Status.PUBLISHED,
        )  # fmt: skip
        for i in range(3):
            PackageComponent.objects.create(
                package=package, service=services[(n * 3 + i) % 40], position=i, day=i + 1, quantity_rule="per_person"
            )
        packages.append(package)
    partner = TradePartner.objects.create(
        legal_name="Bench Reisen GmbH", slug=f"{PREFIX}partner", country="DE", tax_id="DE136695976",
        address="Bench", billing_email="bench@example.com", status=TradePartner.Status.APPROVED,
    )  # fmt: skip
    contract = Contract.objects.create(
        partner=partner, name="Bench", valid_from=today, valid_to=today + dt.timedelta(365),
        scope=Contract.Scope.CHOSEN, rate_kind=Contract.RateKind.COMMISSION, commission_percent=Decimal("20"),
    )  # fmt: skip
    contract.operators.set(operators)
    contract.packages.set(packages)
    allotment_create(
        contract=contract, service=services[0], starts_on=today + dt.timedelta(30), ends_on=today + dt.timedelta(60),
        quantity=4, release_days=7, by=None,
    )  # fmt: skip
    user = get_user_model().objects.create_user(username=f"{PREFIX}user", email="bench-trade@example.com",
                                                password="bench-pass-123")  # fmt: skip
    PartnerMembership.objects.create(user=user, partner=partner, role=PartnerMembership.Role.ADMIN)
    return partner, contract, user


def main() -> None:
    call_command("migrate", verbosity=0)
    cleanup()
    today = timezone.localdate()
    partner, contract, user = build(today)
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        start = today
        cProfile.runctx("trade_grid(partner=partner, contract=contract, start=start, days=56, party=Party(adults=2), filters=GridFilters())", globals(),
                        locals(), sort="cumulative")  # fmt: skip
    try:
        start = today
        party = Party(adults=2)
        rows = trade_grid(partner=partner, contract=contract, start=start, days=56, party=party, filters=GridFilters())
        assert len(rows) == 50, len(rows)

        def grid():
            trade_grid(partner=partner, contract=contract, start=start, days=56, party=party, filters=GridFilters())

        p50, p95 = timed(grid, RUNS)
        say(f"trade_grid 50 products × 56 days: p50 {p50:.1f} ms, p95 {p95:.1f} ms, {queries(grid)} queries")

        client = Client()
        client.force_login(user)
        with translation.override("en"):
            url = reverse("trade:grid") + "?weeks=8"

        def page():
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        p50, p95 = timed(page, RUNS)
        verdict = "OK" if p95 < TARGET_MS else f"OVER the {TARGET_MS} ms target"
        say(
            f"grid page 8 weeks, 50 products:   p50 {p50:.1f} ms, p95 {p95:.1f} ms, {queries(page)} queries ({verdict})"
        )
    finally:
        cleanup()


if __name__ == "__main__":
    main()
