"""Benchmark of the OCTO API (issue 13) on PostgreSQL. Run from the repo root:

    python bench/bench_octo.py                        # or: make bench
    BENCH_RUNS=30 BENCH_SECONDS=10 BENCH_OCTO_DATABASE_URL=postgres://postgres@127.0.0.1:5432/dmc_bench_octo \
        python bench/bench_octo.py

It uses its own database (BENCH_OCTO_DATABASE_URL; default `<DATABASE_URL>_bench_octo`, or dmc_bench_octo on
127.0.0.1; created and migrated if missing) and prints, query counts beside times:

- POST /availability/calendar for 365 days (Django's test client, in process): p50/p95 and SQL queries for a
  single service, a package of 3 components and one of 10; target under 100 ms and at most 6 queries
  whatever the number of components (a service with timed departures: 7, its start times);
- GET /products for a partner whose contract covers 20 products and one covering 200: queries (equal) and
  p50, without and with octo/pricing + octo/content;
- reserve + confirm through HTTP (a gunicorn of BENCH_WORKERS sync workers on the same database) by
  BENCH_CLIENTS threads on ONE hot slot for BENCH_SECONDS: bookings/s and p50/p95 of a reserve+confirm pair;
  then the same clients on a slot of BENCH_OVERSELL_CAPACITY places until refused: never more confirmed
  than its capacity; beside the capacity service's own hold+confirm throughput on the same kind of slot
  with as many processes (operators.capacity called directly, as bench_capacity.py does).

Failing a target prints MISSED; the script still exits 0 (a bench reports, CI's tests assert).
"""

import datetime as dt
import multiprocessing
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal

from _bootstrap import ROOT, bench_django_setup, bench_operators, bench_trade_cleanup, queries, say, timed

os.environ["ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
bench_django_setup(url_env="BENCH_OCTO_DATABASE_URL", name="bench_octo")
RUNS = int(os.environ.get("BENCH_RUNS", "20"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "6"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
OVERSELL_CAPACITY = int(os.environ.get("BENCH_OVERSELL_CAPACITY", "40"))
PREFIX = "bench-octo-"
CALENDAR_MS, CALENDAR_QUERIES = 100, 6

import requests  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

import operators.capacity as capacity  # noqa: E402
from marketplace.octo.keys import api_key_create  # noqa: E402
from marketplace.trade.models import Contract, TradeBooking, TradePartner  # noqa: E402
from operators.models import Operator, Rate, Season, Service, Slot  # noqa: E402
from packages.models import Package, PackageComponent  # noqa: E402


def cleanup() -> None:
    bench_trade_cleanup(PREFIX)


# --- data ----------------------------------------------------------------------------------------------------


def make_operators(count: int) -> list[Operator]:
    return bench_operators(PREFIX, count, label="OCTO", vat_base=8700000)


def make_services(operators, count: int, *, today: dt.date, days: int, tag: str, capacity_each=20) -> list[Service]:
    """`count` services with a year's season and rates, and one 10:00 departure a day for `days` days."""
    services = Service.objects.bulk_create(
        [
            Service(
                operator=operators[n % len(operators)],
                name=f"Bench OCTO {tag} {n}",
                kind="experience",
                capacity_model="per_person",
                is_active=True,
            )  # fmt: skip
            for n in range(count)
        ]
    )
    seasons = Season.objects.bulk_create(
        [Season(service=s, name="Year", starts_on=today - dt.timedelta(1), ends_on=today + dt.timedelta(400))
         for s in services]
    )  # fmt: skip
    Rate.objects.bulk_create(
        [Rate(season=season, category=category, amount=Decimal(amount))
         for season in seasons for category, amount in (("adult", "45.00"), ("child", "25.00"))]
    )  # fmt: skip
    Slot.objects.bulk_create(
        [
            Slot(service=s, date=today + dt.timedelta(days=d), start_time=dt.time(10, 0), capacity=capacity_each)
            for s in services
            for d in range(days)
        ],
        batch_size=5000,
    )
    return services


def make_package(n: int, services) -> Package:
    package = Package.objects.create(
        title=f"Bench OCTO package {n}", title_it=f"Bench OCTO package {n}", slug=f"{PREFIX}{n}", area="lucca",
        duration_days=max(3, len(services)), markup_kind="percent", markup_value=Decimal("10"),
        status=Package.Status.PUBLISHED,
    )  # fmt: skip
    PackageComponent.objects.bulk_create(
        [
            PackageComponent(package=package, service=s, position=i, day=i % 3 + 1, quantity_rule="per_person")
            for i, s in enumerate(services)
        ]
    )
    return package


def make_partner(name: str, *, today: dt.date, services=(), packages=()) -> tuple[TradePartner, str]:
    """A partner with a contract covering exactly these products, and a key with no practical rate limit."""
    partner = TradePartner.objects.create(
        legal_name=f"Bench {name} GmbH", slug=f"{PREFIX}{name}", country="DE", tax_id="DE136695976",
        address="Bench", billing_email=f"{name}@example.com", status=TradePartner.Status.APPROVED,
    )  # fmt: skip
    contract = Contract.objects.create(
        partner=partner, name="Bench", valid_from=today, valid_to=today + dt.timedelta(400),
        scope=Contract.Scope.CHOSEN, rate_kind=Contract.RateKind.COMMISSION, commission_percent=Decimal("20"),
    )  # fmt: skip
    contract.services.set(services)
    contract.packages.set(packages)
    key, secret = api_key_create(partner=partner, name="Bench")
    key.rate_limit_per_minute = 10**9
    key.save(update_fields=["rate_limit_per_minute"])
    return partner, secret


# --- in-process requests -------------------------------------------------------------------------------------


def api_call(client: Client, secret: str, method: str, path: str, body=None, capabilities: str = ""):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    if capabilities:
        headers["HTTP_OCTO_CAPABILITIES"] = capabilities
    if method == "GET":
        response = client.get(f"/api/octo{path}", **headers)
    else:
        response = client.post(f"/api/octo{path}", body, content_type="application/json", **headers)
    assert response.status_code == 200, (path, response.status_code, response.content[:300])
    return response


def bench_calendar(today: dt.date, operators) -> None:
    single, *components = make_services(operators, 11, today=today, days=366, tag="calendar")
    package3, package10 = make_package(3, components[:3]), make_package(10, components)
    _partner, secret = make_partner("calendar", today=today, services=[single], packages=[package3, package10])
    client = Client()
    say(f"POST /availability/calendar, 365 days ({RUNS} runs; target < {CALENDAR_MS} ms, <= {CALENDAR_QUERIES} "
        "queries whatever the number of components):")  # fmt: skip
    for label, product, limit in (
        ("single service", f"service-{single.pk}", CALENDAR_QUERIES + 1),  # + its start times (timed departures)
        ("package, 3 components", f"package-{package3.pk}", CALENDAR_QUERIES),
        ("package, 10 components", f"package-{package10.pk}", CALENDAR_QUERIES),
    ):
        for capabilities in ("", "octo/pricing"):
            body = {"productId": product, "optionId": "DEFAULT", "localDateStart": today.isoformat(),
                    "localDateEnd": (today + dt.timedelta(days=364)).isoformat()}  # fmt: skip

            def call(body=body, capabilities=capabilities):
                days = api_call(client, secret, "POST", "/availability/calendar", body, capabilities).json()
                assert len(days) == 365, len(days)

            p50, p95 = timed(call, RUNS)
            count = queries(call)
            verdict = "OK" if p95 < CALENDAR_MS and (capabilities or count <= limit) else "MISSED"
            with_pricing = " + octo/pricing" if capabilities else ""
            say(f"  {label + with_pricing:<40} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  {count:>2} queries  "
                f"{verdict if not capabilities else ('OK' if p95 < CALENDAR_MS else 'MISSED')}"
                f"{'' if capabilities else f' (<= {limit} queries)'}")  # fmt: skip


def bench_products(today: dt.date, operators) -> None:
    say(f"GET /products ({RUNS} runs; the query count must not depend on the number of products):")
    services = make_services(operators, 100, today=today, days=40, tag="catalogue")
    components = services[:10]
    packages = [make_package(100 + n, [components[n % 10], components[(n + 1) % 10]]) for n in range(100)]
    _p, few = make_partner("products-20", today=today, services=services[:10], packages=packages[:10])
    _p, many = make_partner("products-200", today=today, services=services, packages=packages)
    client = Client()
    for capabilities in ("", "octo/pricing, octo/content"):
        counts = {}
        for label, secret, expected in (("20 products", few, 20), ("200 products", many, 200)):

            def call(secret=secret, expected=expected, capabilities=capabilities):
                assert len(api_call(client, secret, "GET", "/products", capabilities=capabilities).json()) == expected

            p50, p95 = timed(call, RUNS)
            counts[label] = queries(call)
            say(f"  {label:<13}{' ' + capabilities if capabilities else '':<28} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms"
                f"  {counts[label]:>2} queries")  # fmt: skip
        equal = len(set(counts.values())) == 1
        say(f"  queries 20 vs 200{' with ' + capabilities if capabilities else ''}: "
            f"{'OK (equal)' if equal else 'MISSED (' + ' vs '.join(map(str, counts.values())) + ')'}")  # fmt: skip


# --- through HTTP --------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "marketplace.settings.dev", "DEBUG": "false"}
    env.pop("REDIS_URL", None)
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    # its output (the console e-mails of eager tasks, request logs) to a file: the bench prints figures
    log = tempfile.NamedTemporaryFile("w", prefix="bench_octo_gunicorn_", suffix=".log", delete=False)
    process = subprocess.Popen(
        [gunicorn, "marketplace.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS),
         "--worker-class", "sync", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}/api/octo/openapi.json", timeout=2).raise_for_status()
            return process
        except requests.RequestException:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn exited before answering: see {log.name}") from None
            time.sleep(0.3)
    os.killpg(process.pid, signal.SIGTERM)
    raise SystemExit(f"gunicorn did not answer within 60 s: see {log.name}")


def book_loop(base: str, secret: str, body: dict, *, until: float | None, attempts: int | None, out: list) -> None:
    """One client: reserve + confirm one adult, again and again (until a time, or a number of attempts)."""
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {secret}"
    done, refused, latencies, n = 0, 0, [], 0
    while (until is None or time.perf_counter() < until) and (attempts is None or n < attempts):
        n += 1
        started = time.perf_counter()
        held = session.post(f"{base}/bookings", json=body, timeout=30)
        if held.status_code != 200:
            assert held.status_code == 400 and held.json()["error"] == "UNPROCESSABLE_ENTITY", held.text
            refused += 1
            continue
        confirmed = session.post(f"{base}/bookings/{held.json()['uuid']}/confirm", timeout=30,
                                 json={"contact": {"firstName": "Ada", "lastName": "Lovelace"}})  # fmt: skip
        assert confirmed.status_code == 200 and confirmed.json()["status"] == "CONFIRMED", confirmed.text
        latencies.append((time.perf_counter() - started) * 1000)
        done += 1
    out.append((done, refused, latencies))


def run_clients(
    base, secret, body, *, seconds=None, attempts=None, clients=CLIENTS
) -> tuple[int, int, list[float], float]:
    out: list = []
    started = time.perf_counter()
    until = started + seconds if seconds else None
    threads = [
        threading.Thread(target=book_loop, args=(base, secret, body), kwargs={"until": until, "attempts": attempts,
                                                                              "out": out})
        for _ in range(clients)
    ]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    assert len(out) == clients, "a client failed (see its traceback above)"
    latencies = sorted(ms for _, _, ms in out for ms in ms)
    return sum(d for d, _, _ in out), sum(r for _, r, _ in out), latencies, elapsed


def p95(samples: list[float]) -> float:
    return samples[max(0, int(round(0.95 * len(samples))) - 1)]


def capacity_loop(slot_id: int, client: int, seconds: float, queue) -> None:
    """The capacity service alone: hold one place and confirm it, as a booking does, until the time is up."""
    connections.close_all()  # never share the parent's socket after fork
    done, n = 0, 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        reference = f"{PREFIX}cap:{client}:{n}"
        capacity.capacity_hold(items=[(slot_id, 1)], reference=reference)
        capacity.capacity_confirm(reference=reference)
        done += 1
        n += 1
    connections.close_all()
    queue.put(done)


def capacity_throughput(slot: Slot, clients: int) -> float:
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    connections.close_all()
    processes = [ctx.Process(target=capacity_loop, args=(slot.pk, i, SECONDS, queue)) for i in range(clients)]
    started = time.perf_counter()
    for process in processes:
        process.start()
    total = sum(queue.get() for _ in processes)
    for process in processes:
        process.join()
    return total / (time.perf_counter() - started)


def bench_bookings(today: dt.date, operators) -> None:
    hot, scarce, direct = make_services(operators, 3, today=today, days=40, tag="hot", capacity_each=10**6)
    day = today + dt.timedelta(days=30)
    Slot.objects.filter(service=scarce, date=day).update(capacity=OVERSELL_CAPACITY)
    availability = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0))).isoformat()
    _partner, secret = make_partner("bookings", today=today, services=[hot, scarce])
    port = free_port()
    base = f"http://127.0.0.1:{port}/api/octo"
    connections.close_all()
    server = start_gunicorn(port)
    try:
        say(f"Reserve + confirm through HTTP (gunicorn, {WORKERS} sync workers), {CLIENTS} client threads, one adult "
            "per booking:")  # fmt: skip
        body = {"productId": f"service-{hot.pk}", "optionId": "DEFAULT", "availabilityId": availability,
                "unitItems": [{"unitId": "adult"}]}  # fmt: skip
        run_clients(base, secret, body, attempts=2)  # warm-up: every worker imports, connects, fills caches
        for clients in (1, CLIENTS):
            done, refused, latencies, elapsed = run_clients(base, secret, body, seconds=SECONDS, clients=clients)
            rate = done / elapsed
            say(f"  one hot slot, {clients} client{'s' if clients > 1 else ''}, {SECONDS:.0f} s: {done} bookings, "
                f"{rate:,.1f} bookings/s ({rate * 60:,.0f}/min), reserve+confirm p50 {statistics.median(latencies):.0f}"
                f" ms  p95 {p95(latencies):.0f} ms, {refused} refused")  # fmt: skip

        body = {**body, "productId": f"service-{scarce.pk}"}
        attempts = OVERSELL_CAPACITY // CLIENTS + 5
        done, refused, _lat, _e = run_clients(base, secret, body, attempts=attempts)
        slot = Slot.objects.get(service=scarce, date=day)
        confirmed = TradeBooking.objects.filter(partner__slug=f"{PREFIX}bookings", status="confirmed",
                                                starts_on=day, service=scarce).count()  # fmt: skip
        ok = confirmed == done <= slot.capacity and slot.reserved == confirmed and slot.held == 0
        say(f"  oversell check, a slot of {slot.capacity} places, {CLIENTS} x {attempts} attempts: {done} confirmed, "
            f"{refused} refused; slot reserved {slot.reserved}, held {slot.held}: "
            f"{'OK (never more than its capacity)' if ok else 'MISSED'}")  # fmt: skip
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    slot = Slot.objects.get(service=direct, date=day)
    direct_rate = capacity_throughput(slot, CLIENTS)
    say(f"  capacity service alone (capacity_hold + capacity_confirm), {CLIENTS} processes, one hot slot: "
        f"{direct_rate:,.1f} bookings/s ({direct_rate * 60:,.0f}/min); the API reaches "
        f"{rate / direct_rate:.0%} of it")  # fmt: skip


def main() -> None:
    call_command("migrate", verbosity=0)
    cleanup()
    today = timezone.localdate()
    operators = make_operators(3)
    say(f"OCTO API benchmark: PostgreSQL, {os.cpu_count()} CPUs")
    try:
        bench_calendar(today, operators)
        bench_products(today, operators)
        bench_bookings(today, operators)
    finally:
        cleanup()


if __name__ == "__main__":
    main()
