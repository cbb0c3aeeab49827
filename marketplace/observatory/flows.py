"""The official arrivals and nights ("arrivi" and "presenze"), imported from the CSV files the regional
statistics office publishes (Regione Toscana / ISTAT, "movimento dei clienti negli esercizi ricettivi").

`flows_import(file, source_name=...)` reads one file and either keeps all of it or nothing: every line is
checked first, and a file with any bad line is refused with the line numbers and reasons (the first
`MAX_ERRORS`), so a half-imported month never sits beside the DMC's sales. A good file replaces every
existing row of the (municipality, month) pairs it covers and leaves the other months alone, so staff can
import a corrected month again, or one month at a time. The accepted columns are documented for staff in
docs/observatory.md ("Official flows") and on the upload page (`COLUMNS`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from operators.models import Municipality

from .models import OfficialFlow

MAX_ERRORS = 50  # listed; the count says how many more
MAX_BYTES = 20 * 1024 * 1024
SAMPLE_PATH = Path(__file__).parent / "samples" / "flussi-ufficiali-esempio.csv"

# ISTAT municipality codes ("codice comune", 6 digits: province then municipality).
ISTAT_CODES = {
    "046017": Municipality.LUCCA,
    "046007": Municipality.CAPANNORI,
    "046001": Municipality.ALTOPASCIO,
    "046021": Municipality.MONTECARLO,
    "046034": Municipality.VILLA_BASILICA,
    "046026": Municipality.PORCARI,
    "051004": Municipality.BIBBIENA,
    "051031": Municipality.POPPI,
    "051041": Municipality.PRATOVECCHIO_STIA,
    "051015": Municipality.CHIUSI_DELLA_VERNA,
    "051010": Municipality.CASTEL_SAN_NICCOLO,
}

# Italian regions as ISTAT names them (tourism tables split Trentino-Alto Adige into its two provinces).
REGIONS = [
    "Piemonte", "Valle d'Aosta", "Lombardia", "Trentino-Alto Adige", "Provincia autonoma di Bolzano",
    "Provincia autonoma di Trento", "Veneto", "Friuli-Venezia Giulia", "Liguria", "Emilia-Romagna", "Toscana",
    "Umbria", "Marche", "Lazio", "Abruzzo", "Molise", "Campania", "Puglia", "Basilicata", "Calabria", "Sicilia",
    "Sardegna",
]  # fmt: skip
REGION_ALIASES = {
    "valle d'aosta/vallee d'aoste": "Valle d'Aosta", "aosta valley": "Valle d'Aosta",
    "trentino-alto adige/sudtirol": "Trentino-Alto Adige", "trentino-south tyrol": "Trentino-Alto Adige",
    "bolzano": "Provincia autonoma di Bolzano", "bolzano/bozen": "Provincia autonoma di Bolzano",
    "provincia autonoma di bolzano/bozen": "Provincia autonoma di Bolzano", "alto adige": "Provincia autonoma di Bolzano",
    "trento": "Provincia autonoma di Trento", "piedmont": "Piemonte", "lombardy": "Lombardia",
    "friuli venezia giulia": "Friuli-Venezia Giulia", "tuscany": "Toscana", "latium": "Lazio",
    "apulia": "Puglia", "sicily": "Sicilia", "sardinia": "Sardegna",
}  # fmt: skip

# Header names (accents, case, spaces and dashes ignored) -> the column they fill.
HEADERS = {
    "comune": "comune", "municipality": "comune", "codice_comune": "comune", "codice_istat": "comune",
    "cod_comune": "comune", "istat": "comune", "anno": "anno", "year": "anno", "mese": "mese", "month": "mese",
    "periodo": "periodo", "period": "periodo", "provenienza_tipo": "provenienza_tipo",
    "tipo_provenienza": "provenienza_tipo", "origin_kind": "provenienza_tipo", "provenienza": "provenienza",
    "origin": "provenienza", "paese_regione": "provenienza", "arrivi": "arrivi", "arrivals": "arrivi",
    "presenze": "presenze", "nights": "presenze", "pernottamenti": "presenze",
}  # fmt: skip
KIND_WORDS = {
    "italia": OfficialFlow.OriginKind.REGION, "italiani": OfficialFlow.OriginKind.REGION,
    "italy": OfficialFlow.OriginKind.REGION, "it": OfficialFlow.OriginKind.REGION,
    "regione": OfficialFlow.OriginKind.REGION, "region": OfficialFlow.OriginKind.REGION,
    "estero": OfficialFlow.OriginKind.COUNTRY, "stranieri": OfficialFlow.OriginKind.COUNTRY,
    "abroad": OfficialFlow.OriginKind.COUNTRY, "foreign": OfficialFlow.OriginKind.COUNTRY,
    "paese": OfficialFlow.OriginKind.COUNTRY, "country": OfficialFlow.OriginKind.COUNTRY,
}  # fmt: skip
MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        [("gennaio", "january", "gen", "jan"), ("febbraio", "february", "feb"), ("marzo", "march", "mar"),
         ("aprile", "april", "apr"), ("maggio", "may", "mag"), ("giugno", "june", "giu", "jun"),
         ("luglio", "july", "lug", "jul"), ("agosto", "august", "ago", "aug"),
         ("settembre", "september", "set", "sep"), ("ottobre", "october", "ott", "oct"),
         ("novembre", "november", "nov"), ("dicembre", "december", "dic", "dec")],
        start=1,
    )
    for name in names
}  # fmt: skip
NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}  # CLDR's groupings and placeholders
TOTAL_WORDS = {"totale", "total", "totale italiani", "totale stranieri", "totale complessivo", "italia", "italy"}
_INTEGER = re.compile(r"\d+|\d{1,3}(?:[. \u00a0']\d{3})+")
_PERIOD = re.compile(r"(\d{4})[-/.](\d{1,2})|(\d{1,2})[-/.](\d{4})")

# What the upload page and docs/observatory.md show: (column, what it holds).
COLUMNS = [
    ("comune", gettext_lazy("The municipality: its name (accents and case do not matter) or its ISTAT code, "
                            "e.g. Villa Basilica or 046034.")),
    ("anno, mese", gettext_lazy("The year (e.g. 2026) and the month (1–12 or its Italian or English name); "
                                "or one column periodo as YYYY-MM.")),
    ("provenienza_tipo", gettext_lazy("Optional: italia or estero, where the origin is an Italian region or a "
                                      "country.")),
    ("provenienza", gettext_lazy("An Italian region (e.g. Lombardia) or a country: its ISO code (DE) or its "
                                 "Italian or English name (Germania, Germany). No total lines.")),
    ("arrivi", gettext_lazy("Arrivals: a whole number (thousands may be written 1.234).")),
    ("presenze", gettext_lazy("Nights: a whole number, at least the arrivals.")),
]  # fmt: skip


@dataclass
class LineError:
    line: int  # 1 is the header line
    message: str


@dataclass
class ImportResult:
    """What an import did: `ok` with what was kept, or the errors (and nothing kept)."""

    ok: bool
    errors: list[LineError] = field(default_factory=list)
    error_count: int = 0
    rows: int = 0
    replaced: int = 0  # rows of the same (municipality, month) pairs deleted
    months: list[dt.date] = field(default_factory=list)
    municipalities: list[str] = field(default_factory=list)
    arrivals: int = 0
    nights: int = 0

    @property
    def municipality_names(self) -> list[str]:
        return [Municipality(code).label for code in self.municipalities]


def _key(text: str) -> str:
    """Lower case, no accents, single spaces: how names are compared."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(text.lower().replace("’", "'").split())


def _header_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", _key(text)).strip("_")


@cache
def _municipalities() -> dict[str, str]:
    names = {}
    for code, label in Municipality.choices:
        names[_key(code.replace("-", " "))] = code
        names[_key(label)] = code
        names[_key(label.split(" (")[0])] = code
    names[_key("Pratovecchio e Stia")] = Municipality.PRATOVECCHIO_STIA
    names[_key("Bibbiena")] = Municipality.BIBBIENA
    for istat, code in ISTAT_CODES.items():
        names[istat] = code
        names[istat.lstrip("0")] = code
    return names


@cache
def _regions() -> dict[str, str]:
    names = {_key(name): name for name in REGIONS}
    names.update({_key(alias): name for alias, name in REGION_ALIASES.items()})
    names.update({_key(name).replace("-", " "): name for name in REGIONS})
    return names


@cache
def _countries() -> dict[str, str]:
    """ISO codes and the Italian and English names (Babel's CLDR data) -> ISO 3166 alpha-2 code."""
    from babel import Locale

    names = {}
    for language in ("en", "it"):
        for code, name in Locale(language).territories.items():
            if len(code) == 2 and code.isalpha():
                if code not in NOT_COUNTRIES:
                    names.setdefault(_key(name), code)
    for code in Locale("en").territories:
        if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES:
            names[code.lower()] = code
    names.update({"uk": "GB", "usa": "US", "stati uniti d'america": "US", "germania": "DE", "olanda": "NL"})
    return names


def _integer(value: str, name: str) -> int:
    value = value.strip()
    if not _INTEGER.fullmatch(value):
        raise ValueError(_("%(column)s is not a whole number: “%(value)s”.") % {"column": name, "value": value})
    return int(re.sub(r"\D", "", value))


def _month(row: dict) -> dt.date:
    if row.get("periodo"):
        match = _PERIOD.fullmatch(row["periodo"].strip())
        if not match:
            raise ValueError(_("periodo must be YYYY-MM: “%(value)s”.") % {"value": row["periodo"]})
        year, month = (match[1], match[2]) if match[1] else (match[4], match[3])
        year, month = int(year), int(month)
    else:
        year_text, month_text = (row.get("anno") or "").strip(), (row.get("mese") or "").strip()
        if not year_text.isdigit() or len(year_text) != 4:
            raise ValueError(_("anno must be a year such as 2026: “%(value)s”.") % {"value": year_text})
        year = int(year_text)
        month = int(month_text) if month_text.isdigit() else MONTH_NAMES.get(_key(month_text).rstrip("."), 0)
    if not 1 <= month <= 12:
        raise ValueError(_("No such month: “%(value)s”.") % {"value": row.get("periodo") or row.get("mese")})
    if not 1990 <= year <= dt.date.today().year + 1:
        raise ValueError(_("The year %(year)s is out of range.") % {"year": year})
    return dt.date(year, month, 1)


def _origin(row: dict) -> tuple[str, str]:
    """(origin_kind, origin): an Italian region's ISTAT name, or a country's ISO code."""
    value = (row.get("provenienza") or "").strip()
    kind_text = _key(row.get("provenienza_tipo") or "")
    kind = KIND_WORDS.get(kind_text) if kind_text else None
    if kind_text and kind is None:
        raise ValueError(_("provenienza_tipo must be italia or estero: “%(value)s”.") % {"value": kind_text})
    key = _key(value)
    if not key:
        raise ValueError(_("provenienza is empty."))
    if key in TOTAL_WORDS or key.startswith("totale"):
        raise ValueError(_("“%(value)s” is a total: give regions and countries only.") % {"value": value})
    region = _regions().get(key) or _regions().get(key.replace("-", " "))
    country = _countries().get(key)
    if kind == OfficialFlow.OriginKind.REGION or (kind is None and region):
        if not region:
            raise ValueError(_("“%(value)s” is not an Italian region.") % {"value": value})
        return OfficialFlow.OriginKind.REGION, region
    if not country:
        raise ValueError(_("“%(value)s” is neither an Italian region nor a country.") % {"value": value})
    if country == "IT":
        raise ValueError(_("Italian guests come by region, not as Italy."))
    return OfficialFlow.OriginKind.COUNTRY, country


def _read_text(file) -> str:
    data = file.read(MAX_BYTES + 1)
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    if len(data) > MAX_BYTES:
        raise ValueError(_("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)})
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(_("The file is not UTF-8 text (byte %(position)s).") % {"position": error.start}) from None


def _rows(text: str):
    """(line number, {column: value}) of each data line, the delimiter sniffed (";" or ",")."""
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") and ";" in first else ","
    if "\t" in first and delimiter not in first:
        delimiter = "\t"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise ValueError(_("The file is empty."))
    columns = [HEADERS.get(_header_key(name)) for name in header]
    missing = [name for name in ("comune", "provenienza", "arrivi", "presenze") if name not in columns]
    if "periodo" not in columns and not {"anno", "mese"} <= set(columns):
        missing.append("anno, mese / periodo")
    if missing:
        raise ValueError(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    for values in reader:
        line = reader.line_num
        if not any(value.strip() for value in values):
            continue
        if len(values) != len(header):
            yield line, None
            continue
        yield line, {column: value for column, value in zip(columns, values, strict=True) if column}


def flows_parse(file) -> tuple[list[OfficialFlow], list[LineError], int]:
    """The file's rows as unsaved OfficialFlow, the errors found (the first MAX_ERRORS) and their count."""
    errors: list[LineError] = []
    count = 0

    def fail(line: int, message: str) -> None:
        nonlocal count
        count += 1
        if len(errors) < MAX_ERRORS:
            errors.append(LineError(line, message))

    try:
        rows = list(_rows(_read_text(file)))
    except (ValueError, csv.Error) as error:
        fail(1, str(error))
        return [], errors, count
    flows, seen = [], {}
    for line, row in rows:
        if row is None:
            fail(line, _("The line does not have as many cells as the header."))
            continue
        try:
            # "Castel San Niccolo'": old systems write an accent as an apostrophe.
            municipality = _municipalities().get(_key(row["comune"]).replace("-", " ").replace("'", ""))
            if municipality is None:
                raise ValueError(_("Unknown municipality: “%(value)s”.") % {"value": row["comune"].strip()})
            month = _month(row)
            origin_kind, origin = _origin(row)
            arrivals, nights = _integer(row["arrivi"], "arrivi"), _integer(row["presenze"], "presenze")
            if nights < arrivals:
                raise ValueError(_("presenze (%(nights)s) are fewer than arrivi (%(arrivals)s): each arrival "
                                   "spends at least one night.") % {"nights": nights, "arrivals": arrivals})  # fmt: skip
        except ValueError as error:
            fail(line, str(error))
            continue
        key = (municipality, month, origin_kind, origin)
        if key in seen:
            fail(line, _("The same municipality, month and origin as line %(line)s.") % {"line": seen[key]})
            continue
        seen[key] = line
        flows.append(OfficialFlow(municipality=municipality, month=month, origin_kind=origin_kind, origin=origin,
                                  arrivals=arrivals, nights=nights))  # fmt: skip
    if not flows and not count:
        fail(1, _("The file has no data lines."))
    return flows, errors, count


def flows_import(file, *, source_name: str = "") -> ImportResult:
    """Import one file of official flows (binary or text file object): all of it, or nothing when any
    line is bad. The (municipality, month) pairs it covers are replaced; other months are untouched."""
    flows, errors, count = flows_parse(file)
    if count:
        return ImportResult(ok=False, errors=errors, error_count=count)
    pairs = {(flow.municipality, flow.month) for flow in flows}
    for flow in flows:
        flow.source_name = source_name[:200]
    with transaction.atomic():
        replaced = 0
        by_month: dict[dt.date, set[str]] = {}
        for municipality, month in pairs:
            by_month.setdefault(month, set()).add(municipality)
        for month, municipalities in by_month.items():
            replaced += OfficialFlow.objects.filter(month=month, municipality__in=municipalities).delete()[0]
        OfficialFlow.objects.bulk_create(flows)
    return ImportResult(
        ok=True, rows=len(flows), replaced=replaced, months=sorted({month for _m, month in pairs}),
        municipalities=sorted({municipality for municipality, _m in pairs}),
        arrivals=sum(flow.arrivals for flow in flows), nights=sum(flow.nights for flow in flows),
    )  # fmt: skip


def flows_import_path(path: str | Path | None = None) -> ImportResult:
    """Import a file from disk (the demo loads the sample file: the default)."""
    path = Path(path or SAMPLE_PATH)
    with path.open("rb") as file:
        return flows_import(file, source_name=path.name)
