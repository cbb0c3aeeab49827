"""Benchmark of the observatory's dashboard (issue 15). Run from the repo root:

    python bench/bench_observatory.py                 # or: make bench
    BENCH_OBSERVATORY_SIZES=1000,100000 python bench/bench_observatory.py

It uses its own database (BENCH_OBSERVATORY_DATABASE_URL; default `<DATABASE_URL>_bench_observatory`, or
dmc_bench_observatory on 127.0.0.1; created and migrated if missing), makes 40 operators in the 11
municipalities with 80 services, 20 packages, 10 trade partners and two years of open slots, then fills
the fact tables straight with SQL (INSERT … SELECT generate_series: no booking is made, only the facts
the dashboard reads) to 1,000, 100,000 and 1,000,000 bookings of 3 or 4 day rows each, spread over two
years, three channels, ten partners, ten countries, with children, infants and cancellations. After
each size: ANALYZE, then `dashboard(Scope(), Filters())` (staff, the last 12 whole months) timed
uncached (median of 3 after a warm-up) with its query count, and the same for one partner and one
operator. It prints a table and the growth factor from 100,000 to 1,000,000, then empties the facts
and removes what it made.

Target: under 1 s at 100,000 bookings, the same query count at every size.
"""

import os
import statistics
import time

from _bootstrap import bench_django_setup, queries, say, vat

bench_django_setup(url_env="BENCH_OBSERVATORY_DATABASE_URL", name="bench_observatory")
SIZES = [int(n) for n in os.environ.get("BENCH_OBSERVATORY_SIZES", "1000,100000,1000000").split(",")]
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
PREFIX = "bench-obs-"
TARGET_MS = 1000

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from marketplace.observatory.figures import Filters, Scope, dashboard  # noqa: E402
from marketplace.observatory.models import BookingDayFact, BookingFact  # noqa: E402
from marketplace.trade.models import TradePartner  # noqa: E402
from operators.models import PIANA_DI_LUCCA, Municipality, Operator, Service  # noqa: E402
from packages.models import Package  # noqa: E402

KINDS = ["accommodation", "experience", "food-wine", "rental", "transfer", "ticket"]
COUNTRIES = ["IT", "IT", "IT", "DE", "US", "FR", "NL", "GB", "CH", "AT", "BE", "ES"]


def cleanup() -> None:
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE observatory_bookingdayfact, observatory_bookingfact")
    Package.objects.filter(slug__startswith=PREFIX).delete()
    TradePartner.objects.filter(slug__startswith=PREFIX).delete()
    Operator.objects.filter(slug__startswith=PREFIX).delete()  # services and slots cascade


def build() -> tuple[list[int], list[int]]:
    municipalities = list(Municipality.values)
    operators = [
        Operator.objects.create(
            name=f"Bench obs {i}",
            slug=f"{PREFIX}{i}",
            vat_number=vat(i, base=8700000),
            kind="guide",
            municipality=municipalities[i % len(municipalities)],
            status=Operator.Status.APPROVED,
            email=f"bench-obs-{i}@example.com",
        )  # fmt: skip
        for i in range(40)
    ]
    services = Service.objects.bulk_create(
        [
            Service(
                operator=operators[i % 40],
                name=f"Bench obs service {i}",
                kind=KINDS[i % len(KINDS)],
                capacity_model="per_person",
                is_active=True,
            )  # fmt: skip
            for i in range(80)
        ]
    )
    packages = Package.objects.bulk_create(
        [
            Package(title=f"Bench obs package {i}", title_it=f"Bench obs package {i}", slug=f"{PREFIX}{i}")
            for i in range(20)
        ]
    )
    partners = TradePartner.objects.bulk_create(
        [
            TradePartner(
                legal_name=f"Bench obs partner {i}",
                slug=f"{PREFIX}{i}",
                country=COUNTRIES[3 + i % 9],
                tax_id=f"BENCH-{i}",
                address="1 Bench Street",
                billing_email=f"bench-obs-{i}@example.com",
                status=TradePartner.Status.APPROVED,
            )  # fmt: skip
            for i in range(10)
        ]
    )
    today = timezone.localdate()
    with connection.cursor() as cursor:
        # Two years of open slots, 20 places a day, for the occupancy table.
        cursor.execute(
            """INSERT INTO operators_slot (service_id, date, start_time, all_day, capacity, held, reserved, closed,
                                           blocked, capacity_locked)
               SELECT s.id, d::date, '00:00', true, 20, 0, 0, false, false, false
               FROM operators_service s, generate_series(%s::date - 730, %s::date, '1 day') d
               WHERE s.id = ANY(%s)""",
            [today, today, [s.pk for s in services]],
        )
        # The services by number, accommodation apart, with their operator's municipality and area.
        cursor.execute("DROP TABLE IF EXISTS bench_obs_services")
        cursor.execute(
            """CREATE TEMP TABLE bench_obs_services AS
               SELECT (row_number() OVER (PARTITION BY s.kind = 'accommodation' ORDER BY s.id) - 1)::int AS n,
                      s.kind = 'accommodation' AS night, s.id, s.operator_id, s.kind, o.municipality,
                      CASE WHEN o.municipality = ANY(%s) THEN 'piana-di-lucca' ELSE 'casentino' END AS area
               FROM operators_service s JOIN operators_operator o ON o.id = s.operator_id WHERE s.id = ANY(%s)""",
            [list(PIANA_DI_LUCCA), [s.pk for s in services]],
        )
    return [p.pk for p in packages], [p.pk for p in partners]


FACT_TABLES = ("observatory_bookingfact", "observatory_bookingdayfact")


def _drop_indexes(cursor) -> list[str]:
    """Drop the fact tables' secondary indexes (not the primary and unique keys) and return their
    definitions: a bulk load then builds each index once instead of row by row."""
    cursor.execute(
        """SELECT i.indexname, i.indexdef FROM pg_indexes i
           JOIN pg_class c ON c.relname = i.indexname JOIN pg_index x ON x.indexrelid = c.oid
           WHERE i.tablename = ANY(%s) AND NOT x.indisunique""",
        [list(FACT_TABLES)],
    )
    found = cursor.fetchall()
    for name, _definition in found:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _name, definition in found]


def grow(to: int, have: int, packages: list[int], partners: list[int]) -> float:
    """Add bookings `have`+1 … `to` and their day rows; returns the seconds it took."""
    today = timezone.localdate()
    base = today.replace(day=1).replace(year=today.year - 2)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:  # the indexes come back even if it fails
        indexes = _drop_indexes(cursor)
        # The rows are consistent by construction: skip the foreign keys' per-row triggers while inserting.
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            "SELECT count(*) FILTER (WHERE night), count(*) FILTER (WHERE NOT night) FROM bench_obs_services"
        )
        nights, others = cursor.fetchone()
        # g: the booking's number. Travel days over two years, lead time 0-240 days,
        # 60 % web, 30 % portal, 10 % API; 3 or 4 days, one in five a day trip; 1 in 12 cancelled.
        cursor.execute(
            """INSERT INTO observatory_bookingfact (source, source_id, channel, partner_id, package_id, service_id,
                   status, booked_on, cancelled_on, travel_start, travel_end, lead_days, stay_nights, adults,
                   children, infants, origin_country, gross, trade_net, owed, margin, retained, refreshed_at)
               SELECT 'shop', g, ch, CASE WHEN ch = 'web' THEN NULL ELSE (%(partners)s::int[])[1 + g %% 10] END,
                      (%(packages)s::int[])[1 + g %% 20], NULL,
                      CASE WHEN g %% 12 = 0 THEN 'cancelled' ELSE 'confirmed' END,
                      travel - lead, CASE WHEN g %% 12 = 0 THEN travel - lead / 2 END, travel, travel + days - 1,
                      lead, stay, adults, children, infants, (%(countries)s::text[])[1 + (g * 7) %% 12],
                      price, CASE WHEN ch = 'web' THEN NULL ELSE round(price * 0.8, 2) END, round(price * 0.75, 2),
                      round(price * 0.25, 2), CASE WHEN g %% 12 = 0 THEN round(price * 0.1, 2) ELSE 0 END, now()
               FROM (
                   SELECT g, days, CASE WHEN g %% 5 = 0 THEN 0 ELSE days - 1 END AS stay,
                          CASE WHEN g %% 10 < 6 THEN 'web' WHEN g %% 10 < 9 THEN 'portal' ELSE 'api' END AS ch,
                          %(base)s::date + ((g * 7919) %% 730)::int AS travel,
                          ((g * 31) %% 241)::int AS lead, (1 + g %% 3)::int AS adults, CASE WHEN g %% 4 = 0 THEN 2 ELSE 0 END AS children,
                          CASE WHEN g %% 9 = 0 THEN 1 ELSE 0 END AS infants, (100 + (g %% 400))::numeric AS price
                   FROM (SELECT g, (3 + g %% 2)::int AS days FROM generate_series(%(first)s::bigint, %(last)s::bigint) g) numbers
               ) b""",
            {"partners": partners, "packages": packages, "countries": COUNTRIES, "base": base,
             "first": have + 1, "last": to},
        )  # fmt: skip
        cursor.execute(
            """INSERT INTO observatory_bookingdayfact (booking_id, channel, partner_id, package_id, status, booked_on,
                   origin_country, operator_id, service_id, kind, municipality, area, date, places, guests,
                   guest_nights, gross, owed, is_extra, first_in_area, first_in_municipality, first_in_operator,
                   first_in_kind)
               SELECT b.id, b.channel, b.partner_id, b.package_id, b.status, b.booked_on, b.origin_country,
                      s.operator_id, s.id, s.kind, s.municipality, s.area, b.travel_start + d,
                      b.adults + b.children, b.adults + b.children + b.infants,
                      CASE WHEN s.night THEN b.adults + b.children + b.infants ELSE 0 END,
                      round(b.gross / (b.travel_end - b.travel_start + 1), 2),
                      round(b.owed / (b.travel_end - b.travel_start + 1), 2), false,
                      d = 0, true, true, d = 0 OR s.night = false
               FROM observatory_bookingfact b
               CROSS JOIN LATERAL generate_series(0, b.travel_end - b.travel_start) d
               JOIN bench_obs_services s ON s.night = (d < b.stay_nights)
                    AND s.n = (b.source_id + d * 7) %% CASE WHEN d < b.stay_nights THEN %(nights)s ELSE %(others)s END
               WHERE b.source_id BETWEEN %(first)s AND %(last)s""",
            {"nights": nights, "others": others, "first": have + 1, "last": to},
        )
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("SET maintenance_work_mem = '256MB'")
        for definition in indexes:
            cursor.execute(definition)
        cursor.execute("ANALYZE observatory_bookingfact")
        cursor.execute("ANALYZE observatory_bookingdayfact")
        cursor.execute("ANALYZE operators_slot")
    return time.perf_counter() - started


def median_ms(fn) -> float:
    fn()
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    call_command("migrate", verbosity=0)
    cleanup()
    packages, partners = build()
    operator = Operator.objects.filter(slug=f"{PREFIX}0").values_list("pk", flat=True).get()
    scopes = {"staff": Scope(), "partner": Scope(partner_id=partners[0]), "operator": Scope(operator_id=operator)}
    results = []
    have = 0
    try:
        for size in SIZES:
            seconds = grow(size, have, packages, partners)
            have = size
            row = {"size": size, "insert": seconds, "days": BookingDayFact.objects.count()}
            assert BookingFact.objects.count() == size
            for name, scope in scopes.items():
                row[name] = median_ms(lambda scope=scope: dashboard(scope, Filters()))
                row[f"{name}_q"] = queries(lambda scope=scope: dashboard(scope, Filters()))
            results.append(row)
            say(f"{size:>9,} bookings ({row['days']:,} day rows, inserted in {seconds:.1f} s): staff "
                f"{row['staff']:.0f} ms / {row['staff_q']} queries, partner {row['partner']:.0f} ms / "
                f"{row['partner_q']} q, operator {row['operator']:.0f} ms / {row['operator_q']} q")  # fmt: skip
    finally:
        if not os.environ.get("BENCH_OBSERVATORY_KEEP"):
            cleanup()
    say("")
    say("bookings   | day rows  | staff ms | queries | partner ms | queries | operator ms | queries")
    for row in results:
        say(f"{row['size']:>10,} | {row['days']:>9,} | {row['staff']:>8.0f} | {row['staff_q']:>7} | "
            f"{row['partner']:>10.0f} | {row['partner_q']:>7} | {row['operator']:>11.0f} | {row['operator_q']:>7}")  # fmt: skip
    by_size = {row["size"]: row for row in results}
    if 100_000 in by_size:
        verdict = "OK" if by_size[100_000]["staff"] < TARGET_MS else f"OVER the {TARGET_MS} ms target"
        say(f"staff dashboard at 100,000 bookings: {by_size[100_000]['staff']:.0f} ms ({verdict})")
    if 100_000 in by_size and 1_000_000 in by_size:
        say(f"growth factor 100,000 -> 1,000,000: staff x{by_size[1_000_000]['staff'] / by_size[100_000]['staff']:.1f}, "
            f"partner x{by_size[1_000_000]['partner'] / by_size[100_000]['partner']:.1f}, "
            f"operator x{by_size[1_000_000]['operator'] / by_size[100_000]['operator']:.1f}")  # fmt: skip
    counts = {(row["staff_q"], row["partner_q"], row["operator_q"]) for row in results}
    say("query count identical at every size: " + ("yes" if len(counts) == 1 else f"NO {sorted(counts)}"))


if __name__ == "__main__":
    main()
