"""Lighthouse scores of the production shape served locally: what a tourist's phone gets from our pages.

    python bench/bench_lighthouse.py [--runs 3] [--pages home,package] [--langs en] [--presets mobile]
    python bench/bench_lighthouse.py --base-url http://127.0.0.1:8000   # a running `make demo` instead

Why: speed and search ranking are measured by Lighthouse on a phone; the figures are only worth comparing
when they come from what production serves (production settings, gunicorn, whitenoise with hashed,
gzip- and brotli-compressed static files, DEBUG off), not from the development server. So this script:

1. installs Lighthouse 12 from npm into bench/lighthouse/ when it is missing (`npm ci` against the committed
   package-lock.json); it runs Debian's /usr/bin/chromium (CHROME_PATH) and never downloads a browser;
2. builds a demo site in a work directory (an SQLite file, media, static root): `migrate` and `load_demo`
   with SITE_URL=http://127.0.0.1:PORT, kept between runs (built again when a demo loader changed, or
   with `--fresh`), then `collectstatic` with marketplace.settings.production (when a static file changed);
3. serves it with gunicorn on 127.0.0.1:PORT, production settings with throw-away secrets, no TLS redirect
   (plain HTTP on loopback) and map tiles off (MAP_TILE_URL empty: offline, as the issue's targets say);
4. finds the pages in the database (home, an area, a collection, the catalogue, a package, a service
   page; Italian and English URLs of the same objects) and checks that each answers 200;
5. runs Lighthouse on each page, language and preset (mobile: Lighthouse's default, a throttled mid-range
   phone; desktop: --preset=desktop) `--runs` times and prints the median of each figure: the four
   category scores, LCP, FCP, TBT, CLS and the bytes transferred (the home page's is its first load:
   Lighthouse starts each run with an empty cache);
6. writes every run's figures and the failing audits (ids of the audits that lose points in a category
   under 100) as JSON to bench/results/lighthouse-<UTC date and time>.json (or `--output`).

`--base-url` skips 2 and 3 and measures a server already running (e.g. `make demo`); the pages are then
found through the default settings and DATABASE_URL, i.e. the demo's db.sqlite3.

The scores move with the machine's load (Lighthouse simulates the throttling from what it observed): on a
shared machine, compare medians of several runs, not single figures.
"""

import argparse
import datetime
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE_DIR = ROOT / "bench" / "lighthouse"
LIGHTHOUSE_BIN = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
RESULTS_DIR = ROOT / "bench" / "results"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking"
PAGES = ("home", "area", "collection", "catalogue", "package", "service")
LANGS = ("it", "en")
PRESETS = ("mobile", "desktop")
CATEGORIES = {"performance": "Perf", "accessibility": "A11y", "best-practices": "BP", "seo": "SEO"}
# Lighthouse audit id -> our column (milliseconds, except CLS and bytes).
METRICS = {
    "largest-contentful-paint": "LCP",
    "first-contentful-paint": "FCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
    "total-byte-weight": "bytes",
}
DEMO_DONE = "load_demo.done"

# Run by `manage.py shell -c` in the site's settings: prints {page: {lang: path}} as JSON.
DISCOVER = """
import json
from django.urls import reverse
from django.utils import translation
from cms.languages import page_url_in_language
from cms.models.areas import AreaPage
from cms.models.collections import CollectionPage
from packages.models import Package
from operators.selectors import service_qs_public

area = AreaPage.objects.live().public().order_by("path").first()
collection = CollectionPage.objects.live().public().order_by("path").first()
package = (
    Package.objects.filter(status=Package.Status.PUBLISHED, single_service__isnull=True, product__isnull=False)
    .order_by("pk").first()
)
service = service_qs_public().order_by("pk").first()
found = {}
for lang in LANGS:
    with translation.override(lang):
        urls = {
            "home": "/%s/" % lang,
            "area": area and page_url_in_language(area, lang),
            "collection": collection and page_url_in_language(collection, lang),
            "catalogue": reverse("catalogue:index"),
            "package": package and package.get_absolute_url(),
            "service": service and reverse(
                "operators-public:service", kwargs={"slug": service.operator.slug, "pk": service.pk}
            ),
        }
    for page, url in urls.items():
        found.setdefault(page, {})[lang] = url or None
print("DISCOVERED " + json.dumps(found))
"""


def say(text: str = "") -> None:
    """The bench's output (its figures are its purpose; ruff's no-print rule is for app code)."""
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def csv(choices):
    def parse(value: str) -> list[str]:
        items = [item.strip() for item in value.split(",") if item.strip()]
        unknown = sorted(set(items) - set(choices))
        if unknown:
            raise argparse.ArgumentTypeError(f"unknown {', '.join(unknown)} (choose from {', '.join(choices)})")
        return items

    return parse


def ensure_lighthouse() -> None:
    if LIGHTHOUSE_BIN.exists():
        return
    if not shutil.which("npm"):
        sys.exit("npm is needed to install Lighthouse (apt-get install npm)")
    say(f"Installing Lighthouse into {LIGHTHOUSE_DIR.relative_to(ROOT)} (npm ci)")
    env = {**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"}
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=LIGHTHOUSE_DIR, env=env, check=True)


def site_env(workdir: Path, port: int) -> dict[str, str]:
    """Production settings (marketplace.settings.production) with throw-away secrets, on loopback HTTP."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "marketplace.settings.production",
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECRET_KEY": "bench-" + secrets.token_urlsafe(50),
        "STRIPE_SECRET_KEY": "sk_test_bench",
        "STRIPE_PUBLISHABLE_KEY": "pk_test_bench",
        "STRIPE_WEBHOOK_SECRET": "whsec_bench",
        "MEDIA_ROOT": str(workdir / "media"),
        "PRIVATE_MEDIA_ROOT": str(workdir / "private-media"),
        "STATIC_ROOT": str(workdir / "static"),
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback; TLS is the proxy's job
        "SECURE_HSTS_SECONDS": "0",
        "MAP_TILE_URL": "",  # offline: no tile server
        "DEBUG": "false",
        "REDIS_URL": "",
    }


def manage(env: dict[str, str], *args: str, log: Path) -> str:
    """Run manage.py, its output appended to `log`; stop with the log's tail if it fails."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    with log.open("a") as out:
        out.write(f"$ manage.py {' '.join(args)}\n{result.stdout}{result.stderr}\n")
    if result.returncode:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-30:])
        sys.exit(f"manage.py {' '.join(args)} failed (full output in {log}):\n{tail}")
    return result.stdout


def demo_changed_since(marker: Path) -> bool:
    """Whether a demo loader (or a demo image) changed after the site was built from them."""
    if not marker.exists():
        return False
    built = marker.stat().st_mtime
    apps = ("marketplace", "cms", "operators", "packages", "certifications")
    return any(path.stat().st_mtime > built for app in apps for path in (ROOT / app).rglob("demo*"))


def prepare_site(workdir: Path, env: dict[str, str], *, fresh: bool) -> None:
    if not fresh and demo_changed_since(workdir / DEMO_DONE):
        say("The demo loaders changed since this site was built: building it again")
        fresh = True
    if fresh and workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    log = workdir / "setup.log"
    started = time.monotonic()
    say(f"Site in {workdir} (setup output in {log.name})")
    manage(env, "migrate", "--noinput", "-v0", log=log)
    if not (workdir / DEMO_DONE).exists():
        say("  load_demo (a few minutes the first time; kept for the next runs, --fresh rebuilds)")
        manage(env, "load_demo", "--quiet-logins", log=log)
        (workdir / DEMO_DONE).write_text(datetime.datetime.now(datetime.UTC).isoformat())
    if static_changed_since(workdir / "static" / "staticfiles.json"):
        say("  collectstatic (hashed names, .gz and .br: a few minutes)")
        manage(env, "collectstatic", "--noinput", "-v0", log=log)
        (workdir / "static" / "staticfiles.json").touch()
    say(f"  ready in {time.monotonic() - started:.0f} s")


def static_changed_since(manifest: Path) -> bool:
    """Whether collectstatic must run: no manifest yet, or a static source (or the libraries' pins) is newer."""
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    sources = [ROOT / "pyproject.toml", *(ROOT / "static").rglob("*")]
    for app in ("marketplace", "cms", "operators", "packages", "certifications"):
        sources += [path for folder in (ROOT / app).rglob("static") for path in folder.rglob("*")]
    return any(path.stat().st_mtime > built for path in sources)


def discover(env: dict[str, str], langs: list[str]) -> dict[str, dict[str, str | None]]:
    code = f"LANGS = {tuple(langs)!r}\n{DISCOVER}"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    for line in result.stdout.splitlines():
        if line.startswith("DISCOVERED "):
            return json.loads(line.removeprefix("DISCOVERED "))
    sys.exit(f"Could not find the demo pages:\n{result.stdout}{result.stderr}")


def wait_for(url: str, process: subprocess.Popen | None, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            sys.exit(f"gunicorn stopped (exit {process.returncode}): see its log")
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.5)
    sys.exit(f"{url} did not answer within {timeout:.0f} s")


def status_of(url: str) -> int:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "br, gzip"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def run_lighthouse(url: str, preset: str, out: Path) -> dict:
    command = [
        str(LIGHTHOUSE_BIN),
        url,
        "--output=json",
        f"--output-path={out}",
        f"--chrome-flags={CHROME_FLAGS}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--quiet",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode or not out.exists():
        raise RuntimeError(f"lighthouse failed on {url} ({preset}): {result.stderr[-2000:]}")
    return json.loads(out.read_text())


def summarise(report: dict) -> dict:
    """One run's scores (0-100), metrics and failing audits (by category) from Lighthouse's JSON report."""
    audits = report["audits"]
    run = {
        "scores": {
            key: None if category["score"] is None else round(category["score"] * 100)
            for key, category in report["categories"].items()
        },
        "metrics": {column: audits[audit_id].get("numericValue") for audit_id, column in METRICS.items()},
        "failing": {},
        "details": {},
        "runtime_error": (report.get("runtimeError") or {}).get("code"),
    }
    for key, category in report["categories"].items():
        if category["score"] is None or category["score"] >= 1:
            continue
        failing = []
        for ref in category["auditRefs"]:
            audit = audits[ref["id"]]
            score, mode = audit.get("score"), audit.get("scoreDisplayMode")
            if score is None or mode in ("notApplicable", "informative", "manual", "error"):
                continue
            # Lighthouse's own pass mark: 0.9 for graded audits (metrics, savings), 1 for pass/fail ones.
            if score < (1 if mode == "binary" else 0.9):
                failing.append(ref["id"])
                run["details"][ref["id"]] = {
                    "title": audit.get("title"),
                    "display": audit.get("displayValue"),
                    "items": audit_items(audit),
                }
        run["failing"][key] = failing
    return run


def audit_items(audit: dict, limit: int = 8) -> list[str]:
    """What an audit blames (resource URLs, element selectors and snippets), for whoever fixes it."""
    items = []
    for item in (audit.get("details") or {}).get("items") or []:
        if not isinstance(item, dict):
            continue
        node = item.get("node") if isinstance(item.get("node"), dict) else {}
        source = item.get("sourceLocation") if isinstance(item.get("sourceLocation"), dict) else {}
        text = (
            item.get("url")
            or node.get("selector")
            or node.get("snippet")
            or item.get("description")  # a console error's message
            or source.get("url")
            or item.get("label")
        )
        if isinstance(text, str) and text not in items:
            items.append(text)
        if len(items) >= limit:
            break
    return items


def median_of(runs: list[dict]) -> dict:
    """Each figure's median over the runs; the failing audits of the run with the median performance."""

    def med(values):
        values = [value for value in values if value is not None]
        return statistics.median(values) if values else None

    by_performance = sorted(runs, key=lambda run: run["scores"].get("performance") or 0)
    return {
        "scores": {key: med([run["scores"].get(key) for run in runs]) for key in CATEGORIES},
        "metrics": {column: med([run["metrics"][column] for run in runs]) for column in METRICS.values()},
        "failing": by_performance[len(by_performance) // 2]["failing"],
        "details": by_performance[len(by_performance) // 2]["details"],
    }


def table(rows: list[dict]) -> list[str]:
    header = ["page", "lang", "preset", *CATEGORIES.values(), "LCP s", "FCP s", "TBT ms", "CLS", "KiB"]
    lines = []
    for row in rows:
        median = row["median"]
        metrics = median["metrics"]

        def fmt(value, scale=1.0, digits=0):
            return "-" if value is None else f"{value / scale:.{digits}f}"

        lines.append(
            [
                row["page"],
                row["lang"],
                row["preset"],
                *(fmt(median["scores"][key]) for key in CATEGORIES),
                fmt(metrics["LCP"], 1000, 1),
                fmt(metrics["FCP"], 1000, 1),
                fmt(metrics["TBT"]),
                fmt(metrics["CLS"], 1, 3),
                fmt(metrics["bytes"], 1024),
            ]
        )
    widths = [max(len(str(line[i])) for line in [header, *lines]) for i in range(len(header))]
    return [
        "  ".join(cell.ljust(widths[i]) if i < 3 else cell.rjust(widths[i]) for i, cell in enumerate(line))
        for line in [header, *lines]
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (median); default 3")
    parser.add_argument("--pages", type=csv(PAGES), default=list(PAGES), help=f"among {','.join(PAGES)}")
    parser.add_argument("--langs", type=csv(LANGS), default=list(LANGS), help=f"among {','.join(LANGS)}")
    parser.add_argument("--presets", type=csv(PRESETS), default=list(PRESETS), help=f"among {','.join(PRESETS)}")
    parser.add_argument("--port", type=int, default=8101, help="gunicorn's port on 127.0.0.1 (default 8101)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "dmc-bench-lighthouse",
        help="the demo site's database, media and static files (kept between runs)",
    )
    parser.add_argument("--fresh", action="store_true", help="rebuild the demo site (migrate, load_demo)")
    parser.add_argument("--base-url", help="measure this running server (e.g. make demo's) instead")
    parser.add_argument("--output", type=Path, help="the JSON results' path (default bench/results/...)")
    args = parser.parse_args()

    ensure_lighthouse()
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is needed (apt-get install chromium)")

    server = None
    if args.base_url:
        base = args.base_url.rstrip("/")
        env = {**os.environ}
        env.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'db.sqlite3'}")
        shape = f"running server {base}"
    else:
        base = f"http://127.0.0.1:{args.port}"
        workdir = args.workdir.resolve()
        env = site_env(workdir, args.port)
        prepare_site(workdir, env, fresh=args.fresh)
        shape = "production settings, gunicorn, whitenoise (compressed, hashed static files), map tiles off"
    urls = discover(env, args.langs)

    results_dir = Path(tempfile.mkdtemp(prefix="lighthouse-"))
    try:
        if not args.base_url:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", args.port)) == 0:
                    sys.exit(f"Something already answers on 127.0.0.1:{args.port}: pick another --port")
            log = (workdir / "gunicorn.log").open("w")
            server = subprocess.Popen(
                [
                    *(str(Path(sys.executable).parent / "gunicorn"), "marketplace.wsgi:application"),
                    *("--bind", f"127.0.0.1:{args.port}", "--workers", str(args.workers)),
                    *("--access-logfile", "-", "--error-logfile", "-"),
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            say(f"gunicorn on {base} (pid {server.pid}, log {workdir / 'gunicorn.log'})")
        wait_for(base + "/healthz", server)
        rows = measure(args, base, urls, results_dir)
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        shutil.rmtree(results_dir, ignore_errors=True)

    say()
    say(f"Lighthouse 12, median of {args.runs} run(s); {shape}")
    for line in table(rows):
        say(line)
    for row in rows:
        if row["page"] == "home":
            kib = row["median"]["metrics"]["bytes"]
            if kib is not None:
                say(f"Home page first load ({row['lang']}, {row['preset']}): {kib / 1024:.0f} KiB transferred")
    say()
    say("Failing audits (categories under 100; the median run's):")
    for row in rows:
        for category, ids in row["median"]["failing"].items():
            say(f"  {row['page']} {row['lang']} {row['preset']} {category}: {', '.join(ids) or '(none listed)'}")

    output = args.output
    if output is None:
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H%M%SZ")
        output = RESULTS_DIR / f"lighthouse-{stamp}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(
        json.dumps({"base_url": base, "shape": shape, "runs": args.runs, "results": rows}, indent=2) + "\n"
    )
    say(f"\nJSON: {output}")


def measure(args, base: str, urls: dict, results_dir: Path) -> list[dict]:
    rows = []
    for page in args.pages:
        for lang in args.langs:
            path = urls.get(page, {}).get(lang)
            if not path:
                say(f"  {page} {lang}: no such page in the demo data, skipped")
                continue
            url = base + path
            # A first request per worker warms the page cache and memo, as on a site with visitors.
            statuses = {status_of(url) for _ in range(args.workers + 1)}
            if statuses != {200}:
                sys.exit(f"{url} answered {sorted(statuses)}, not 200")
            for preset in args.presets:
                runs = []
                for n in range(args.runs):
                    report = run_lighthouse(url, preset, results_dir / f"{page}-{lang}-{preset}-{n}.json")
                    runs.append(summarise(report))
                median = median_of(runs)
                scores = " ".join(f"{CATEGORIES[key]} {value}" for key, value in median["scores"].items())
                say(f"  {page:<10} {lang} {preset:<7} {scores}  {url}")
                rows.append({"page": page, "lang": lang, "preset": preset, "url": url, "median": median, "runs": runs})
    return rows


if __name__ == "__main__":
    main()
