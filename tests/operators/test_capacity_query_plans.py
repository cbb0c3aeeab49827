"""Every query on the capacity path is an index lookup, whatever the size of the tables (issue 18).

At small sizes a sequential scan of the slot table costs a few milliseconds, so the race tests and the
benches cannot notice one; at region size (7 million slots) it held the slot locks for 1.5 s. This test
fills the tables enough for the planner to prefer indexes, runs each capacity function, and EXPLAINs
every statement it issued: no sequential scan, and no index scan without an index condition (a walk of
the whole primary key, filtered), of the slot, hold or reservation table.
"""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from operators.capacity import (
    capacity_book,
    capacity_cancel,
    capacity_confirm,
    capacity_hold,
    capacity_release,
    capacity_release_expired,
)
from operators.models import Hold, Reservation, Slot

from .factories import ServiceFactory, SlotFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

CAPACITY_TABLES = {model._meta.db_table for model in (Slot, Hold, Reservation)}
FILLER = 5_000


@pytest.fixture
def crowded_tables():
    """5,000 slots, holds and reservations that belong to other references, then fresh statistics."""
    service = ServiceFactory()
    first = timezone.localdate() + dt.timedelta(days=400)
    slots = Slot.objects.bulk_create(
        [Slot(service=service, date=first + dt.timedelta(days=n // 4), start_time=dt.time(8 + n % 4)) for n in range(FILLER)],
        batch_size=5000,
    )  # fmt: skip
    long_ago = timezone.now() - dt.timedelta(days=30)
    holds = Hold.objects.bulk_create(
        [Hold(slot=slot, reference=f"basket-line:old-{slot.pk}", quantity=1, expires_at=long_ago,
              status=Hold.Status.CONFIRMED) for slot in slots],
        batch_size=5000,
    )  # fmt: skip
    Reservation.objects.bulk_create(
        [Reservation(slot_id=hold.slot_id, hold=hold, reference=hold.reference, quantity=1) for hold in holds],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        for table in sorted(CAPACITY_TABLES):
            cursor.execute(f"ANALYZE {table}")


def _nodes(plan):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def whole_table_scans(sql: str) -> list[str]:
    """The scans of a capacity table in `sql`'s plan that do not look rows up by an index condition."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    bad = []
    for node in _nodes(plan[0]["Plan"]):
        if node.get("Relation Name") not in CAPACITY_TABLES:
            continue
        if node["Node Type"] == "Seq Scan" or (
            node["Node Type"] in ("Index Scan", "Index Only Scan") and "Index Cond" not in node
        ):
            bad.append(f"{node['Node Type']} on {node['Relation Name']} (filter: {node.get('Filter')})")
    return bad


def assert_index_lookups(run):
    """Run `run()` and check the plan of every SELECT, UPDATE and DELETE it issued."""
    with CaptureQueriesContext(connection) as queries:
        run()
    statements = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE"))
    ]
    assert statements, "nothing was captured"
    problems = {sql: bad for sql in statements if (bad := whole_table_scans(sql))}
    assert problems == {}


def test_the_slot_lock_of_a_re_hold_uses_the_primary_key(crowded_tables):
    first, second = SlotFactory(capacity=5), SlotFactory(capacity=5)
    capacity_hold(items=[(first, 1)], reference="basket-line:1")
    # A re-hold locks the requested slot AND the one the reference already holds: the OR shape.
    with CaptureQueriesContext(connection) as queries:
        capacity_hold(items=[(second, 2)], reference="basket-line:1")
    lock = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert len(lock) == 1
    assert whole_table_scans(lock[0]) == []
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.held, second.held) == (0, 2)


def test_every_capacity_function_reads_and_writes_by_index(crowded_tables):
    now = timezone.now()
    slots = [SlotFactory(capacity=5) for _ in range(3)]
    assert_index_lookups(lambda: capacity_hold(items=[(slots[0], 1), (slots[1], 1)], reference="basket-line:2"))
    assert_index_lookups(lambda: capacity_hold(items=[(slots[1], 2)], reference="basket-line:2"))  # re-hold
    assert_index_lookups(lambda: capacity_confirm(reference="basket-line:2"))
    assert_index_lookups(lambda: capacity_cancel(reference="basket-line:2"))
    assert_index_lookups(lambda: capacity_book(items=[(slots[2], 1)], reference="partner-booking:3"))
    assert_index_lookups(lambda: capacity_hold(items=[(slots[0], 1)], reference="basket-line:4"))
    assert_index_lookups(lambda: capacity_release(reference="basket-line:4"))
    capacity_hold(items=[(slots[2], 1)], reference="basket-line:5", expires_at=now - dt.timedelta(minutes=1), now=now)
    assert_index_lookups(lambda: capacity_release_expired())
    assert [s.held for s in Slot.objects.filter(pk__in=[s.pk for s in slots]).order_by("pk")] == [0, 0, 0]
