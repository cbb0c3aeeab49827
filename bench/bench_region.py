"""Region scale (issue 18): every hot path measured on a small destination and on a whole region, side by side.

    python bench/bench_region.py                  # or: make bench-region (several minutes, ~1.5 GB)
    python bench/bench_region.py --scale 0.05     # a twentieth of the region, for a quick check

It uses its own database (BENCH_REGION_DATABASE_URL; default `<DATABASE_URL>_bench_region`, or
dmc_bench_region on 127.0.0.1), migrated and emptied (TRUNCATE) at the start of every run. First a small destination (50
operators, 137 services with a slot a day for a year: 50,005 slots, 600 reservations, 400 holds, 10
packages plus the measured ones) is built and measured; then it grows, with bulk SQL (INSERT … SELECT
generate_series, secondary indexes rebuilt after the load), to the region: 10,000 operators, 20,000
services, 7.3 million slots, 120,000 reservations, 80,000 holds, 2,000 packages of 3 to 10 components
(`--scale` multiplies these), and the same figures are measured again on the same objects:

- capacity hold and release of one place (p50/p95, queries), and holds per minute with 8 client threads
  on one hot slot;
- the 365-day package calendar of 5 and 10 components, the package page;
- the catalogue (default order, price order, area filter with price descending), a service page;
- the operator's bookings list and month calendar;
- the destination pages (home, area, collection; page cache and fragments off: every query).

Targets (issue 18): every ratio region/small <= 1.5, identical query counts, capacity hold p95 under
20 ms at region size, hot-slot throughput at region size at least 0.8 x the small one.
"""

import argparse
import datetime as dt
import os
import threading
import time
from decimal import Decimal

from _bootstrap import bench_database_url, bench_django_setup, grow_packages, queries, say, timed

PARSER = argparse.ArgumentParser(description=__doc__.split("\n")[0])
PARSER.add_argument("--scale", type=float, default=1.0, help="region size as a fraction of the full one")
PARSER.add_argument("--runs", type=int, default=20, help="timed calls per figure")
PARSER.add_argument("--seconds", type=float, default=5.0, help="duration of the hot-slot throughput figure")
PARSER.add_argument("--clients", type=int, default=8, help="client threads on the hot slot")
ARGS = PARSER.parse_args()

URL = os.environ.get("BENCH_REGION_DATABASE_URL") or bench_database_url("bench_region")
os.environ["BENCH_REGION_DATABASE_URL"] = URL
os.environ["ALLOWED_HOSTS"] = "testserver,localhost"


bench_django_setup(url_env="BENCH_REGION_DATABASE_URL", name="bench_region")

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

import operators.capacity as capacity  # noqa: E402
from operators.exceptions import LockTimeout  # noqa: E402
from operators.models import Municipality, Operator, OperatorMembership, Rate, Season, Service, Slot  # noqa: E402
from operators.pricing import Party  # noqa: E402
from packages.models import Package, PackageComponent  # noqa: E402
from packages.selectors import package_calendar  # noqa: E402
from packages.services import package_publish  # noqa: E402

SMALL = {"operators": 50, "services": 137, "reservations": 600, "holds": 400, "packages": 10}
REGION = {"operators": 10_000, "services": 20_000, "reservations": 120_000, "holds": 80_000, "packages": 2_000}
DAYS = 365
MUNICIPALITIES = list(Municipality.values)
TODAY = timezone.localdate()


def reset() -> None:
    """Migrate (a no-op after the first run) and empty every table the bench fills, so each run starts
    from the same state without paying for a fresh database's migrations."""
    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE operators_operator, catalogue_product, auth_user, wagtailcore_page, wagtailcore_referenceindex "
            "CASCADE"
        )


def grow(counts: dict) -> None:
    """Add operators, services (season, rates, a slot a day for a year), reservations, holds and packages
    until the bench has `counts` of each. Rows the ORM would insert one by one go in with bulk SQL."""
    have_ops, have_services = Operator.objects.count(), Service.objects.count()
    operators = Operator.objects.bulk_create(
        [
            Operator(
                name=f"Region {i}",
                slug=f"region-{i}",
                vat_number=f"{i:011d}",
                kind="guide",
                municipality=MUNICIPALITIES[i % len(MUNICIPALITIES)],
                address="Via Fillungo 1",
                email=f"region{i}@example.com",
                status=Operator.Status.APPROVED,
            )  # fmt: skip
            for i in range(have_ops, counts["operators"])
        ],
        batch_size=2000,
    )
    operators = operators or list(Operator.objects.order_by("pk"))
    services = Service.objects.bulk_create(
        [
            Service(
                operator=operators[i % len(operators)],
                name=f"Region service {i}",
                kind="experience",
                capacity_model="per_person",
            )  # fmt: skip
            for i in range(have_services, counts["services"])
        ],
        batch_size=2000,
    )
    seasons = Season.objects.bulk_create(
        [
            Season(
                service=s, name="Anno", starts_on=TODAY - dt.timedelta(days=1), ends_on=TODAY + dt.timedelta(days=400)
            )
            for s in services
        ],
        batch_size=2000,
    )
    Rate.objects.bulk_create(
        [
            Rate(season=season, category=category, weekdays=weekdays, amount=Decimal(amount + n % 50))
            for n, season in enumerate(seasons)
            for category, weekdays, amount in (("adult", "", 40), ("child", "", 20), ("adult", "56", 50))
        ],
        batch_size=5000,
    )
    first_service = services[0].pk
    with transaction.atomic(), connection.cursor() as cursor:
        before = Slot.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        load_slots(cursor, first_service)
        new = Slot.objects.filter(pk__gt=before).order_by("pk").values_list("pk", flat=True)
        lo, hi = new.first(), new.last()  # contiguous: one INSERT took them from the sequence
        span = hi - lo + 1
        add_res = counts["reservations"] - cursor_count(cursor, "operators_reservation")
        add_holds = counts["holds"] - cursor_count(cursor, "operators_hold")
        # Distinct slots spread over the new range: a prime stride (7,919) through contiguous pks.
        cursor.execute(
            """INSERT INTO operators_reservation (slot_id, reference, quantity, status, created_at)
               SELECT %s + (g * 7919) %% %s, 'region-res:' || %s || ':' || g, 1, 'active', now()
               FROM generate_series(1, %s) g""",
            [lo, span, lo, add_res],
        )
        cursor.execute(
            """INSERT INTO operators_hold (slot_id, reference, quantity, status, expires_at, created_at, closed_at)
               SELECT %s + (g * 7919 + 3) %% %s, 'region-hold:' || %s || ':' || g, 1,
                      CASE WHEN g %% 4 = 0 THEN 'released' WHEN g %% 4 = 1 THEN 'confirmed' ELSE 'active' END,
                      CASE WHEN g %% 20 = 2 THEN now() - interval '1 hour' ELSE now() + interval '1 day' END,
                      now(), CASE WHEN g %% 4 < 2 THEN now() END
               FROM generate_series(1, %s) g""",
            [lo, span, lo, add_holds],
        )
        for table, column, status in (("reservation", "reserved", "active"), ("hold", "held", "active")):
            cursor.execute(
                f"""UPDATE operators_slot s SET {column} = s.{column} + x.q
                    FROM (SELECT slot_id, sum(quantity) q FROM operators_{table}
                          WHERE status = %s AND slot_id >= %s GROUP BY slot_id) x
                    WHERE s.id = x.slot_id""",
                [status, lo],
            )
    add_packages(counts["packages"], services)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would have, after a load this size


def cursor_count(cursor, table: str) -> int:
    cursor.execute(f"SELECT count(*) FROM {table}")
    return cursor.fetchone()[0]


def load_slots(cursor, first_service: int) -> None:
    """A slot a day for a year for every service from `first_service`: one INSERT … SELECT, with the
    slot table's secondary indexes dropped during the load and rebuilt after (much faster than
    maintaining them row by row), and foreign-key triggers off for it (the ids come from the join)."""
    cursor.execute(
        """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), c.conname
           FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.contype = 'u'
           WHERE i.indrelid = 'operators_slot'::regclass AND NOT i.indisprimary"""
    )
    indexes = cursor.fetchall()
    for name, _, constraint in indexes:
        if constraint:
            cursor.execute(f'ALTER TABLE operators_slot DROP CONSTRAINT "{constraint}"')
        else:
            cursor.execute(f'DROP INDEX "{name}"')
    cursor.execute("SET LOCAL session_replication_role = replica")
    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    cursor.execute(
        """INSERT INTO operators_slot
               (service_id, date, start_time, all_day, capacity, held, reserved, closed, blocked, capacity_locked)
           SELECT s.id, %s::date + d, '10:00', false, 20, 0, 0, d %% 23 = 0, false, false
           FROM operators_service s CROSS JOIN generate_series(0, %s) d
           WHERE s.id >= %s ORDER BY s.id, d""",
        [TODAY, DAYS - 1, first_service],
    )
    cursor.execute("SET LOCAL session_replication_role = origin")
    for name, definition, constraint in indexes:
        cursor.execute(definition)
        if constraint:
            cursor.execute(f'ALTER TABLE operators_slot ADD CONSTRAINT "{constraint}" UNIQUE USING INDEX "{name}"')


def add_packages(count: int, services: list[Service]) -> None:
    """Published packages of 3 to 10 components with their Oscar product and a "from" price."""
    grow_packages(
        to=count, prefix="region-", name="Region", services=services,
        components=lambda n: [(services[(n * 11 + i) % len(services)], i % 5 + 1) for i in range(3 + n % 8)],
        area=lambda n: MUNICIPALITIES[n % len(MUNICIPALITIES)], duration_days=lambda n: 1 + n % 7,
        price_from=lambda n: Decimal(100 + (n * 37) % 900),
    )  # fmt: skip


def make_targets() -> dict:
    """The objects measured at both sizes: the first operator (with a login), its services, two packages
    and a hot slot; built once, in the small set."""
    operator = Operator.objects.order_by("pk").first()
    services = list(Service.objects.order_by("pk")[:10])
    packages = {}
    for components in (5, 10):
        package = Package.objects.create(
            title=f"Target {components}", title_it=f"Target {components}", slug=f"target-{components}",
            area="lucca", duration_days=5, markup_value=Decimal("15"),
        )  # fmt: skip
        PackageComponent.objects.bulk_create(
            [
                PackageComponent(package=package, service=services[i], position=i, day=i % 5 + 1)
                for i in range(components)
            ]
        )
        packages[components] = package_publish(package=package)
    user = get_user_model().objects.create_user(username="region-owner", password="x", email="owner@example.com")
    OperatorMembership.objects.create(user=user, operator=operator, role="owner")
    hot_service = Service.objects.create(operator=operator, name="Hot", kind="experience", capacity_model="per_person")
    hot = Slot.objects.create(
        service=hot_service, date=TODAY + dt.timedelta(days=30), start_time=dt.time(10), all_day=False, capacity=10**9
    )
    from tests.cms.factories import build_site

    tree = build_site()
    return {"operator": operator, "service": services[0], "packages": packages, "user": user, "hot": hot.pk,
            "pages": {name: tree[name].url for name in ("home", "area", "collection")}}  # fmt: skip


def hot_throughput(slot_id: int, clients: int, seconds: float, tag: str) -> float:
    """Holds per minute of `clients` threads holding one place at a time on one slot."""
    counts = [0] * clients
    start_at = time.perf_counter() + 0.2
    deadline = start_at + seconds

    def client(k: int) -> None:
        while time.perf_counter() < start_at:
            time.sleep(0.001)
        n = 0
        while time.perf_counter() < deadline:
            try:
                capacity.capacity_hold(items=[(slot_id, 1)], reference=f"hot:{tag}:{k}:{n}")
            except LockTimeout:
                continue  # counted as not done: the client tries again
            n += 1
        counts[k] = n
        connection.close()

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / seconds * 60


def measure(targets: dict, tag: str) -> dict:
    """{figure: (p50 ms, p95 ms, queries)}; throughput as (holds/min, None, None)."""
    runs, figures = ARGS.runs, {}
    slot_ids = list(
        Slot.objects.filter(service=targets["service"], date__gte=TODAY + dt.timedelta(days=2), closed=False)
        .order_by("date")
        .values_list("pk", flat=True)[: runs + 2]
    )
    counter = iter(range(10**6))
    refs = []

    def hold():
        n = next(counter)
        refs.append(f"bench-region:{tag}:{n}")
        capacity.capacity_hold(items=[(slot_ids[n % len(slot_ids)], 1)], reference=refs[-1])

    figures["capacity hold"] = (*timed(hold, runs), queries(hold))
    released = iter(list(refs))

    def release():
        capacity.capacity_release(reference=next(released))

    figures["capacity release"] = (*timed(release, runs), queries(release))
    figures[f"hot-slot holds/min ({ARGS.clients} threads)"] = (
        hot_throughput(targets["hot"], ARGS.clients, ARGS.seconds, tag), None, None
    )  # fmt: skip
    party = Party(adults=2, children_ages=(8,))
    for components, package in targets["packages"].items():

        def year(package=package):
            package_calendar(package=package, start=TODAY, end=TODAY + dt.timedelta(days=364), party=party)

        figures[f"365-day calendar, {components} components"] = (*timed(year, runs), queries(year))
    client = Client()
    settings.CMS_PAGE_CACHE_SECONDS, settings.CMS_FRAGMENT_CACHE_SECONDS = 0, 0  # every query, every time
    package = targets["packages"][5]
    date = (TODAY + dt.timedelta(days=40)).isoformat()
    catalogue = reverse("package-catalogue")
    next_month = (TODAY.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    service = targets["service"]
    pages = {
        "package page (5 components)": (package.product.get_absolute_url(), {"adults": 2, "children_ages": "8", "date": date}),
        "catalogue, default order": (catalogue, {}),
        "catalogue, by price": (catalogue, {"sort": "price"}),
        "catalogue, area + price desc": (catalogue, {"area": "piana-di-lucca", "sort": "-price"}),
        "service page": (reverse("operators-public:service", kwargs={"slug": service.operator.slug, "pk": service.pk}), {}),
        "destination home": (targets["pages"]["home"], {}),
        "destination area": (targets["pages"]["area"], {}),
        "destination collection": (targets["pages"]["collection"], {}),
    }  # fmt: skip
    for label, (url, params) in pages.items():
        figures[label] = page_figure(client, url, params, runs)
    client.force_login(targets["user"])
    month = reverse("operator-area:service-calendar-month", args=[service.pk, next_month.year, next_month.month])
    figures["operator bookings list"] = page_figure(client, reverse("operator-area:booking-list"), {}, runs)
    figures["operator month calendar"] = page_figure(client, month, {}, runs)
    return figures


def page_figure(client, url: str, params: dict, runs: int) -> tuple:
    def get():
        response = client.get(url, params)
        assert response.status_code == 200, (url, response.status_code)

    return (*timed(get, runs), queries(get))


def report(small: dict, region: dict, sizes: str) -> None:
    say(f"\n{'figure':<38}{'small p50':>10}{'p95':>8}{'q':>4} |{'region p50':>11}{'p95':>9}{'q':>4} |{'ratio':>6}")
    misses = []
    for label, (s50, s95, sq) in small.items():
        r50, r95, rq = region[label]
        if sq is None:  # a throughput: higher is better, the ratio is small / region
            ratio = s50 / r50 if r50 else float("inf")
            say(f"{label:<38}{s50:>10,.0f}{'':>8}{'':>4} |{r50:>11,.0f}{'':>9}{'':>4} |{ratio:>6.2f}")
            if r50 < 0.8 * s50:
                misses.append(f"{label}: region {r50:,.0f}/min < 0.8 x small {s50:,.0f}/min")
            continue
        ratio = r50 / s50
        say(f"{label:<38}{s50:>8.1f}ms{s95:>6.1f}ms{sq:>4} |{r50:>9.1f}ms{r95:>7.1f}ms{rq:>4} |{ratio:>6.2f}")
        if ratio > 1.5:
            misses.append(f"{label}: ratio {ratio:.2f} > 1.5")
        if sq != rq:
            misses.append(f"{label}: {sq} queries small, {rq} region")
    hold95 = region["capacity hold"][1]
    if hold95 >= 20:
        misses.append(f"capacity hold p95 at region size {hold95:.1f} ms >= 20 ms")
    say(f"\nsizes: {sizes}")
    say("targets: ratio <= 1.5 (p50), identical queries, capacity hold p95 < 20 ms at region size, "
        "hot-slot throughput at region >= 0.8 x small")  # fmt: skip
    say("  all met" if not misses else "\n".join(f"  MISSED {m}" for m in misses))


def sizes_line() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('operators_slot'))")
        slot_size = cursor.fetchone()[0]
    return (
        f"{Operator.objects.count():,} operators, {Service.objects.count():,} services, {Slot.objects.count():,} "
        f"slots ({slot_size}), {Package.objects.count():,} packages"
    )


def main() -> None:
    reset()
    started = time.perf_counter()
    say(f"Region-scale bench on {connection.settings_dict['NAME']}: scale {ARGS.scale:g}, {ARGS.runs} runs per figure")
    grow(SMALL)
    targets = make_targets()
    small_sizes = sizes_line()
    say(f"small set built in {time.perf_counter() - started:.0f} s: {small_sizes}")
    small = measure(targets, "small")
    region_counts = {key: max(SMALL[key], int(value * ARGS.scale)) for key, value in REGION.items()}
    began = time.perf_counter()
    grow(region_counts)
    region_sizes = sizes_line()
    say(f"region built in {time.perf_counter() - began:.0f} s: {region_sizes}")
    region = measure(targets, "region")
    report(small, region, f"small: {small_sizes}; region: {region_sizes}")
    say(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
