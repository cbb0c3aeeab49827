"""Benchmark of a trade partner's year-long availability feed (iCal, issue 13). Run from the repo root:

    python bench/bench_ical_feed.py                   # or: make bench
    BENCH_RUNS=30 BENCH_ICAL_FEED_DATABASE_URL=postgres://postgres@127.0.0.1:5432/dmc_bench_ical_feed \
        python bench/bench_ical_feed.py

It uses its own database (BENCH_ICAL_FEED_DATABASE_URL; default `<DATABASE_URL>_bench_ical_feed`, or
dmc_bench_ical_feed on 127.0.0.1; created and migrated if missing) and builds one service with two
departures a day for a year (730 slots), a shorter one (30 slots), a package of three services, a partner
with a commission contract and an allotment, then measures, uncached:

- the feed of the year-long service through Django's test client (the URL a calendar app polls):
  p50/p95 and SQL queries; the same for the 30-slot service (the query count must be the same);
- the package's year-long feed (365 start days).

Target: under 100 ms p95 for the year, a query count that does not depend on the number of slots.
"""

import datetime as dt
import os
from decimal import Decimal

from _bootstrap import bench_django_setup, bench_operators, bench_trade_cleanup, queries, say, timed

os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
bench_django_setup(url_env="BENCH_ICAL_FEED_DATABASE_URL", name="bench_ical_feed")
RUNS = int(os.environ.get("BENCH_RUNS", "20"))
PREFIX = "bench-ical-"
TARGET_MS = 100

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from marketplace.calendars.models import CalendarFeedToken  # noqa: E402
from marketplace.calendars.tokens import feed_token  # noqa: E402
from marketplace.trade.allotments import allotment_create  # noqa: E402
from marketplace.trade.models import Contract, TradePartner  # noqa: E402
from operators.models import Rate, Season, Service, Slot  # noqa: E402
from packages.models import Package, PackageComponent  # noqa: E402


def cleanup() -> None:
    CalendarFeedToken.objects.filter(partner__slug__startswith=PREFIX).delete()
    bench_trade_cleanup(PREFIX)


def service(operator, name: str, today: dt.date, days: int, times) -> Service:
    row = Service.objects.create(operator=operator, name=name, kind="experience", capacity_model="per_person",
                                 is_active=True, duration_minutes=120)  # fmt: skip
    season = Season.objects.create(service=row, name="Year", starts_on=today, ends_on=today + dt.timedelta(400))
    Rate.objects.bulk_create(
        [Rate(season=season, category="adult", amount=Decimal("45.00")),
         Rate(season=season, category="child", amount=Decimal("25.00"))]
    )  # fmt: skip
    Slot.objects.bulk_create(
        [
            Slot(service=row, date=today + dt.timedelta(days=d), start_time=t, capacity=20)
            for d in range(days)
            for t in times
        ]
    )
    return row


def build(today: dt.date):
    operator = bench_operators(PREFIX, 1, label="iCal", vat_base=8700000)[0]
    two_a_day = (dt.time(9, 0), dt.time(15, 0))
    year = service(operator, "Bench iCal walk", today, 365, two_a_day)
    month = service(operator, "Bench iCal short walk", today, 15, two_a_day)
    stays = [service(operator, f"Bench iCal stay {n}", today, 370, (dt.time(0, 0),)) for n in range(3)]
    package = Package.objects.create(
        title="Bench iCal package", title_it="Bench iCal package", slug=f"{PREFIX}package", area="lucca",
        duration_days=3, markup_kind="percent", markup_value=Decimal("10"), status=Package.Status.PUBLISHED,
    )  # fmt: skip
    for i, stay in enumerate(stays):
        PackageComponent.objects.create(
            package=package, service=stay, position=i, day=i + 1, quantity_rule="per_person"
        )
    partner = TradePartner.objects.create(
        legal_name="Bench iCal Reisen GmbH", slug=f"{PREFIX}partner", country="DE", tax_id="DE136695976",
        address="Bench", billing_email="bench-ical@example.com", status=TradePartner.Status.APPROVED,
    )  # fmt: skip
    contract = Contract.objects.create(
        partner=partner, name="Bench", valid_from=today, valid_to=today + dt.timedelta(400),
        scope=Contract.Scope.ALL, rate_kind=Contract.RateKind.COMMISSION, commission_percent=Decimal("20"),
    )  # fmt: skip
    allotment_create(
        contract=contract, service=year, starts_on=today + dt.timedelta(30), ends_on=today + dt.timedelta(90),
        quantity=4, release_days=7, by=None,
    )  # fmt: skip
    return partner, year, month, package


def main() -> None:
    call_command("migrate", verbosity=0)
    cleanup()
    today = timezone.localdate()
    partner, year, month, package = build(today)
    # Fresh rows: until autovacuum analyzes them the planner believes the holds and slots tables hold one
    # row and picks a nested loop that takes 250 ms over the allotment's holds; a live database is analyzed.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    try:
        token = feed_token(kind=CalendarFeedToken.Kind.AVAILABILITY, partner=partner).token
        client = Client()
        results = []
        for label, key in (("service, 730 slots", f"service-{year.pk}"), ("service, 30 slots", f"service-{month.pk}"),
                           ("package, 365 days", f"package-{package.pk}")):  # fmt: skip
            url = reverse("calendar-feeds:availability", args=[token, key])

            def feed(url=url):
                response = client.get(url)
                assert response.status_code == 200, response.status_code
                return response

            events = feed().content.count(b"BEGIN:VEVENT")
            p50, p95 = timed(feed, RUNS)
            count = queries(feed)
            results.append(count)
            verdict = "OK" if p95 < TARGET_MS else f"OVER the {TARGET_MS} ms target"
            say(f"availability feed, {label} ({events} events): p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
                f"{count} queries ({verdict})")  # fmt: skip
        if results[0] != results[1]:
            say(f"query count depends on the number of slots: {results[0]} vs {results[1]}")
            raise SystemExit(1)
        if os.environ.get("BENCH_PROFILE"):
            import cProfile

            url = reverse("calendar-feeds:availability", args=[token, f"service-{year.pk}"])
            cProfile.runctx("client.get(url)", globals(), locals(), sort="cumulative")
    finally:
        cleanup()


if __name__ == "__main__":
    main()
