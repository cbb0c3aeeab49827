"""The query plans of the capacity service, as docs/locking.md shows them ("Plans at region scale").

    python bench/explain_capacity.py            # against the region bench's database (make bench-region first)

Runs hold, confirm, release, cancel and release_expired once each on the database bench_region.py
left behind (BENCH_REGION_DATABASE_URL, default `<DATABASE_URL>_bench_region`), inside a transaction
that is rolled back, and prints the plan (EXPLAIN, costs off) of every statement they sent. A sequential
scan, or an index scan whose rows are thrown away by a Filter, on operators_slot, operators_hold or
operators_reservation is the sign of a query that grows with the region.
"""

import datetime as dt
import os
import re

from _bootstrap import bench_database_url, bench_django_setup, say

os.environ.setdefault("BENCH_REGION_DATABASE_URL", bench_database_url("bench_region"))
bench_django_setup(url_env="BENCH_REGION_DATABASE_URL", name="bench_region")

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

import operators.capacity as capacity  # noqa: E402
from operators.models import Slot  # noqa: E402

SKIP = re.compile(r"^\s*(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK|SELECT set_config)", re.I)


class Rollback(Exception):
    pass


def explain(label: str, fn, setup=None) -> None:
    """Print the plan of every statement `fn` sends (after `setup`, not shown), then roll back."""
    say(f"\n### {label}")
    try:
        with transaction.atomic():
            if setup:
                setup()
            with CaptureQueriesContext(connection) as captured:
                fn()
            seen = set()
            with connection.cursor() as cursor:
                for query in captured.captured_queries:
                    shape = re.sub(r"\d+|'[^']*'", "?", query["sql"])
                    if SKIP.match(query["sql"]) or shape in seen:  # one plan per statement shape
                        continue
                    seen.add(shape)
                    say(f"\n{query['sql'][:300]}")
                    cursor.execute(f"EXPLAIN (COSTS OFF) {query['sql']}")
                    for (line,) in cursor.fetchall():
                        say(f"    {line}")
            raise Rollback
    except Rollback:
        pass


def main() -> None:
    today = timezone.localdate()
    slots = list(
        Slot.objects.filter(date__gte=today + dt.timedelta(days=5), closed=False, capacity__gte=5)
        .order_by("-pk")
        .values_list("pk", flat=True)[:2]
    )
    ref = "explain:1"

    def hold_again():
        capacity.capacity_hold(items=[(slots[0], 1)], reference=ref)
        capacity.capacity_hold(items=[(slots[1], 2)], reference=ref)  # the re-hold: previous slots locked too

    explain("capacity_hold (a first hold, then a re-hold of the same reference)", hold_again)

    def hold():
        capacity.capacity_hold(items=[(slots[0], 1)], reference=ref)

    explain("capacity_confirm", lambda: capacity.capacity_confirm(reference=ref), setup=hold)
    explain("capacity_release", lambda: capacity.capacity_release(reference=ref), setup=hold)

    def book():
        capacity.capacity_book(items=[(slots[0], 1)], reference=ref)

    explain("capacity_cancel", lambda: capacity.capacity_cancel(reference=ref), setup=book)
    explain("capacity_release_expired", lambda: capacity.capacity_release_expired(batch_size=500))


if __name__ == "__main__":
    main()
