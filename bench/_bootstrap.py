"""The shared start of the bench scripts: a database of their own, settings fit for timing, Django set up.

Each bench runs against its own PostgreSQL database (created if missing, migrated by the script) so it
never touches demo or test data, with DEBUG off (the query log would skew timings) and without Redis
(tasks eager, local cache: we measure the database and the code, not the broker).
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def bench_database_url(name: str) -> str:
    """The bench's own database: beside DATABASE_URL's (`<its name>_<name>`, same server) when that is
    PostgreSQL, as `make bench` sets it, else `dmc_<name>` on 127.0.0.1."""
    current = os.environ.get("DATABASE_URL", "")
    if current.startswith("postgres"):
        return f"{current}_{name}"
    return f"postgres://postgres@127.0.0.1:5432/dmc_{name}"


def bench_django_setup(*, url_env: str, name: str) -> None:
    os.environ["DATABASE_URL"] = os.environ.get(url_env) or bench_database_url(name)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.dev")
    os.environ["DEBUG"] = "false"
    os.environ.pop("REDIS_URL", None)
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()


def say(text: str) -> None:
    """The bench's output (its figures are its purpose; ruff's no-print rule is for app code)."""
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def vat(n: int, *, base: int) -> str:
    """A valid Partita IVA for the n-th bench operator (`base` keeps benches' operators apart)."""
    from operators.validators import partita_iva_check_digit

    first = f"{base + n:07d}046"
    return first + str(partita_iva_check_digit(first))


def timed(fn, runs: int) -> tuple[float, float]:
    """(p50, p95) in ms of `runs` calls of `fn`, after one warm-up call."""
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(round(0.95 * len(samples))) - 1)]


def queries(fn) -> int:
    """The SQL queries one call of `fn` runs (counted even with DEBUG off)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured.captured_queries)
