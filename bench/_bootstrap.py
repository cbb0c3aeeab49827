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


def grow_packages(*, to: int, prefix: str, name: str, services, components, **fields) -> None:
    """Add published bulk packages (with their Oscar products) until `to` have slugs starting `prefix`.

    Bulk SQL, not the ORM's publish one by one: the catalogue benches need thousands. `components(n)` gives
    package n's list of (service, day); `fields(n)` callables in `fields` give its other columns."""
    from oscar.apps.catalogue.models import Product

    from packages.models import Package, PackageComponent
    from packages.services import package_product_class

    have = Package.objects.filter(slug__startswith=prefix).count()
    numbers = range(have, to)
    if not numbers:
        return
    product_class = package_product_class()
    products = Product.objects.bulk_create(
        [
            Product(
                product_class=product_class,
                structure=Product.STANDALONE,
                upc=f"{name.upper()}-{n}",
                title=f"{name} {n}",
                slug=f"{prefix}product-{n}",
                is_public=True,
            )  # fmt: skip
            for n in numbers
        ],
        batch_size=1000,
    )
    packages = Package.objects.bulk_create(
        [
            Package(
                title=f"{name} {n}",
                title_it=f"{name} {n}",
                slug=f"{prefix}{n}",
                product=product,
                status=Package.Status.PUBLISHED,
                **{key: value(n) for key, value in fields.items()},
            )  # fmt: skip
            for n, product in zip(numbers, products, strict=True)
        ],
        batch_size=1000,
    )
    PackageComponent.objects.bulk_create(
        [
            PackageComponent(package=package, service=service, position=i, day=day)
            for n, package in zip(numbers, packages, strict=True)
            for i, (service, day) in enumerate(components(n))
        ],
        batch_size=5000,
    )


def bench_trade_cleanup(prefix: str) -> None:
    """Remove what a trade-channel bench made under `prefix` (partners, contracts, allotments and their
    holds, bookings, packages, operators and their slots), leaves first. A bench deletes its own
    extras (users, feed tokens) before calling it."""
    from marketplace.trade.models import Allotment, Contract, TradeBooking, TradePartner
    from operators.capacity import capacity_release
    from operators.models import Hold, Operator, Reservation, Slot
    from packages.models import Package, PackageComponent

    for allotment in Allotment.objects.filter(contract__partner__slug__startswith=prefix):
        capacity_release(reference=allotment.capacity_reference)
    TradeBooking.objects.filter(partner__slug__startswith=prefix).delete()
    Allotment.objects.filter(contract__partner__slug__startswith=prefix).delete()
    Contract.objects.filter(partner__slug__startswith=prefix).delete()
    TradePartner.objects.filter(slug__startswith=prefix).delete()
    PackageComponent.objects.filter(package__slug__startswith=prefix).delete()
    Package.objects.filter(slug__startswith=prefix).delete()
    Hold.objects.filter(slot__service__operator__slug__startswith=prefix).delete()
    Reservation.objects.filter(slot__service__operator__slug__startswith=prefix).delete()
    Slot.objects.filter(service__operator__slug__startswith=prefix).delete()
    Operator.objects.filter(slug__startswith=prefix).delete()


def bench_operators(prefix: str, count: int, *, label: str, vat_base: int) -> list:
    """`count` approved guides named "Bench <label> i", slugs `<prefix>i`, valid VAT numbers."""
    from operators.models import Operator

    slug = label.lower().replace(" ", "-")
    return [
        Operator.objects.create(
            name=f"Bench {label} {i}",
            slug=f"{prefix}{i}",
            vat_number=vat(i, base=vat_base),
            kind="guide",
            municipality="lucca",
            status=Operator.Status.APPROVED,
            email=f"bench-{slug}-{i}@example.com",
        )  # fmt: skip
        for i in range(count)
    ]
