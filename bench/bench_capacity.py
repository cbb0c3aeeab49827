"""Benchmark of the capacity service on PostgreSQL (issue 3). Run from the repo root:

    python bench/bench_capacity.py                 # or: make bench
    BENCH_SECONDS=10 BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/dmc_bench python bench/bench_capacity.py

It uses its own database (BENCH_DATABASE_URL; default `<DATABASE_URL>_bench`, or dmc_bench on
127.0.0.1; created and migrated if missing) so it never touches demo or test data, and prints:

- holds per minute with 1 and 8 concurrent clients (processes) on one hot slot, and on slots spread
  over 10 services;
- how long the slot row lock is held per hold (p50, p95): from the moment `SELECT … FOR UPDATE`
  returns to the commit;
- the time to generate one year of slots (every day, two start times) for 100 services.

Targets on a 2-core machine: >= 3,000 holds/min on one hot slot, >= 3x that spread, lock hold p95
< 20 ms, a year of slots for 100 services < 10 s.
"""

import datetime as dt
import multiprocessing
import os
import statistics
import time

from _bootstrap import bench_django_setup, say, vat

bench_django_setup(url_env="BENCH_DATABASE_URL", name="bench")
SECONDS = float(os.environ.get("BENCH_SECONDS", "6"))
PREFIX = "bench:"

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.utils import timezone  # noqa: E402

import operators.capacity as capacity  # noqa: E402
from operators.models import AvailabilityRule, Hold, Operator, Reservation, Service, Slot  # noqa: E402
from operators.services import rule_generate_slots  # noqa: E402


def cleanup() -> None:
    Hold.objects.filter(reference__startswith=PREFIX).delete()
    Reservation.objects.filter(reference__startswith=PREFIX).delete()
    Operator.objects.filter(slug__startswith="bench-").delete()


def make_services(count: int, tag: str) -> list[Service]:
    operator = Operator.objects.create(
        name=f"Bench {tag}", slug=f"bench-{tag}", vat_number=vat(hash(tag) % 900000, base=9000000), kind="other",
        municipality="lucca", address="Piazza Napoleone", email="bench@example.com", status="approved",
    )  # fmt: skip
    return [
        Service.objects.create(
            operator=operator, name=f"Bench service {i}", kind="experience", capacity_model="per_person"
        )  # fmt: skip
        for i in range(count)
    ]


def client_loop(slot_ids: list[int], client: int, seconds: float, queue) -> None:
    """One client: hold one place at a time until the time is up; report count and lock hold times."""
    connections.close_all()  # never share the parent's socket after fork
    original = capacity.slots_lock
    locked_at: list[float] = []

    def timed_lock(ids, **kwargs):
        rows = original(ids, **kwargs)
        locked_at.append(time.perf_counter())
        return rows

    capacity.slots_lock = timed_lock
    lock_holds, done, n = [], 0, 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        slot_id = slot_ids[(client + n) % len(slot_ids)]
        capacity.capacity_hold(items=[(slot_id, 1)], reference=f"{PREFIX}{client}:{n}")
        lock_holds.append(time.perf_counter() - locked_at[-1])
        done += 1
        n += 1
    connections.close_all()
    queue.put((done, lock_holds))


def run_scenario(label: str, slot_ids: list[int], clients: int) -> dict:
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    connections.close_all()
    processes = [ctx.Process(target=client_loop, args=(slot_ids, i, SECONDS, queue)) for i in range(clients)]
    start = time.perf_counter()
    for p in processes:
        p.start()
    results = [queue.get() for _ in processes]
    for p in processes:
        p.join()
    elapsed = time.perf_counter() - start
    total = sum(done for done, _ in results)
    holds = sorted(h for _, hs in results for h in hs)
    p50 = statistics.median(holds) * 1000
    p95 = holds[int(len(holds) * 0.95) - 1] * 1000
    per_minute = total / elapsed * 60
    say(
        f"{label:<24} {clients:>2} clients  {per_minute:>9,.0f} holds/min   "
        f"lock hold p50 {p50:5.2f} ms  p95 {p95:5.2f} ms"
    )
    return {"per_minute": per_minute, "p50": p50, "p95": p95}


def main() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    cleanup()
    day = timezone.localdate() + dt.timedelta(days=30)
    hot_service, *_ = make_services(1, "hot")
    hot = Slot.objects.create(service=hot_service, date=day, start_time=dt.time(10), all_day=False, capacity=10**9)
    spread_services = make_services(10, "spread")
    spread = [
        Slot.objects.create(service=s, date=day, start_time=dt.time(10), all_day=False, capacity=10**9).pk
        for s in spread_services
    ]
    say(f"Capacity service benchmark: PostgreSQL, {SECONDS:.0f} s per scenario, {os.cpu_count()} CPUs")
    results = {}
    for clients in (1, 8):
        results[("hot", clients)] = run_scenario("one hot slot", [hot.pk], clients)
        results[("spread", clients)] = run_scenario("spread over 10 services", spread, clients)

    services = make_services(100, "year")
    start_day = timezone.localdate() + dt.timedelta(days=1)
    rules = [
        AvailabilityRule.objects.create(
            service=s,
            starts_on=start_day,
            ends_on=start_day + dt.timedelta(days=364),
            start_times="10:00,15:00",
            capacity=12,
        )  # fmt: skip
        for s in services
    ]
    started = time.perf_counter()
    created = sum(rule_generate_slots(rule=rule).created for rule in rules)
    generation = time.perf_counter() - started
    started = time.perf_counter()
    for rule in rules:
        rule_generate_slots(rule=rule)
    regeneration = time.perf_counter() - started
    say(f"one year of slots for 100 services: {created:,} slots in {generation:.2f} s (re-run: {regeneration:.2f} s)")

    hot8, spread8 = results[("hot", 8)], results[("spread", 8)]
    worst_p95 = max(r["p95"] for r in results.values())
    say("targets:")
    say(f"  hot slot >= 3,000/min: {'OK' if hot8['per_minute'] >= 3000 else 'MISSED'} ({hot8['per_minute']:,.0f})")
    ratio = spread8["per_minute"] / hot8["per_minute"]
    say(
        f"  spread >= 3 x 3,000/min: {'OK' if spread8['per_minute'] >= 9000 else 'MISSED'} "
        f"({spread8['per_minute']:,.0f}/min, {ratio:.1f}x the hot slot's figure)"
    )
    say(f"  lock hold p95 < 20 ms: {'OK' if worst_p95 < 20 else 'MISSED'} ({worst_p95:.2f} ms worst)")
    say(f"  year of slots < 10 s: {'OK' if generation < 10 else 'MISSED'} ({generation:.2f} s)")
    cleanup()


if __name__ == "__main__":
    main()
