"""Benchmark of the package page and the availability calendar (issue 4). Run from the repo root:

    python bench/bench_packages.py                  # or: make bench
    BENCH_RUNS=50 BENCH_PACKAGES_DATABASE_URL=postgres://postgres@127.0.0.1:5432/dmc_bench_packages \
        python bench/bench_packages.py

It uses its own database (BENCH_PACKAGES_DATABASE_URL; default `<DATABASE_URL>_bench_packages`, or
dmc_bench_packages on 127.0.0.1; created and migrated if missing) and prints, for catalogues of 10, 1,000 and 10,000 packages and
for packages of 1, 5 and 10 components (each with a year of slots):

- the 365-day and 30-day availability calendar (`package_calendar`): p50/p95 time and SQL queries;
- the package page (Oscar's product page with our calendar, a party and a chosen date, through
  Django's test client, uncached): p50/p95 time and SQL queries.

Targets: query counts that do not grow with the catalogue nor with the components; a 365-day
calendar of a 5-component package in at most 6 queries and under 50 ms p95, at most twice the time
of a 30-day one; the package page under 150 ms p95.
"""

import datetime as dt
import os
from decimal import Decimal

from _bootstrap import bench_django_setup, grow_packages, queries, say, timed, vat

os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
bench_django_setup(url_env="BENCH_PACKAGES_DATABASE_URL", name="bench_packages")
RUNS = int(os.environ.get("BENCH_RUNS", "30"))
SIZES = [int(x) for x in os.environ.get("BENCH_SIZES", "10,1000,10000").split(",")]
PREFIX = "bench-"

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from oscar.apps.catalogue.models import Product  # noqa: E402

from operators.models import Operator, Rate, Season, Service, Slot  # noqa: E402
from operators.pricing import Party  # noqa: E402
from packages.models import Package, PackageComponent  # noqa: E402
from packages.selectors import package_calendar  # noqa: E402
from packages.services import package_publish  # noqa: E402


def cleanup() -> None:
    PackageComponent.objects.filter(package__slug__startswith=PREFIX).delete()
    Package.objects.filter(slug__startswith=PREFIX).delete()
    Product.objects.filter(upc__startswith="BENCH-").delete()
    Product.objects.filter(slug__startswith=PREFIX).delete()
    Slot.objects.filter(service__operator__slug__startswith=PREFIX).delete()
    Operator.objects.filter(slug__startswith=PREFIX).delete()


def make_services(count: int, today: dt.date) -> list[Service]:
    """`count` services of 5 operators, each with a season, rates and two departures a day for a year."""
    operators = [
        Operator.objects.create(
            name=f"Bench {i}",
            slug=f"{PREFIX}{i}",
            vat_number=vat(i, base=8000000),
            kind="guide",
            municipality="lucca",
            address="Via Fillungo 1",
            email=f"bench{i}@example.com",
            status=Operator.Status.APPROVED,
        )  # fmt: skip
        for i in range(5)
    ]
    services = []
    for i in range(count):
        service = Service.objects.create(
            operator=operators[i % 5], name=f"Bench service {i}", kind="experience", capacity_model="per_person"
        )
        season = Season.objects.create(
            service=service, name="Anno", starts_on=today - dt.timedelta(days=1), ends_on=today + dt.timedelta(days=400)
        )
        Rate.objects.bulk_create(
            [Rate(season=season, category="adult", amount=Decimal(40 + i)),
             Rate(season=season, category="child", amount=Decimal(20 + i)),
             Rate(season=season, category="adult", weekdays="56", amount=Decimal(50 + i))]
        )  # fmt: skip
        Slot.objects.bulk_create(
            [
                Slot(
                    service=service,
                    date=today + dt.timedelta(days=d),
                    start_time=t,
                    all_day=False,
                    capacity=0 if d % 17 == 0 else 20,
                    closed=d % 23 == 0,
                )  # fmt: skip
                for d in range(380)
                for t in (dt.time(10, 0), dt.time(15, 0))
            ],
            batch_size=2000,
        )
        services.append(service)
    return services


def make_package(slug: str, services: list[Service], components: int) -> Package:
    package = Package.objects.create(
        title=slug, title_it=slug, slug=slug, area="lucca", duration_days=5, markup_value=Decimal("15")
    )
    PackageComponent.objects.bulk_create(
        [
            PackageComponent(package=package, service=services[i % len(services)], position=i, day=(i % 5) + 1)
            for i in range(components)
        ]
    )
    return package_publish(package=package)


def grow_catalogue(to: int, services: list[Service]) -> None:
    """Add bulk packages (5 components each, with their Oscar products) until the catalogue has `to`."""
    grow_packages(
        to=to, prefix=PREFIX, name="Bench", services=services,
        components=lambda n: [(services[(n + i) % len(services)], i + 1) for i in range(5)],
        area=lambda n: "lucca",
    )  # fmt: skip


def main() -> None:
    call_command("migrate", verbosity=0)
    cleanup()
    today = timezone.localdate()
    say(f"Setting up 10 services with {380 * 2} slots each …")
    services = make_services(10, today)
    targets = {n: make_package(f"{PREFIX}target-{n}", services, n) for n in (1, 5, 10)}
    party = Party(adults=2, children_ages=(8,))
    client = Client()
    say(f"{'catalogue':>9} {'comp':>4} | {'cal365 p50':>10} {'p95':>7} {'q':>3} | {'cal30 p50':>9} {'p95':>7} "
        f"{'q':>3} | {'page p50':>8} {'p95':>7} {'q':>3}")  # fmt: skip
    for size in SIZES:
        grow_catalogue(size, services)
        for components, package in targets.items():

            def year(package=package):
                package_calendar(package=package, start=today, end=today + dt.timedelta(days=364), party=party)

            def month(package=package):
                package_calendar(package=package, start=today, end=today + dt.timedelta(days=29), party=party)

            url = package.product.get_absolute_url()
            params = {"adults": 2, "children_ages": "8", "date": (today + dt.timedelta(days=40)).isoformat()}

            def page(url=url, params=params):
                response = client.get(url, params)
                assert response.status_code == 200, response.status_code

            y50, y95 = timed(year, RUNS)
            m50, m95 = timed(month, RUNS)
            p50, p95 = timed(page, RUNS)
            say(f"{size:>9} {components:>4} | {y50:>8.1f}ms {y95:>5.1f}ms {queries(year):>3} | {m50:>7.1f}ms "
                f"{m95:>5.1f}ms {queries(month):>3} | {p50:>6.1f}ms {p95:>5.1f}ms {queries(page):>3}")  # fmt: skip
    cleanup()


if __name__ == "__main__":
    main()
