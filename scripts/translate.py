"""Keep our catalogues complete in every language the engine is translated into (a developer tool).

Usage, from the repository root:

    python scripts/translate.py --extract   # makemessages -l it: each app's strings to its own catalogue
    python scripts/translate.py             # fill and check it, fr and de; list what is left (exit 1 if any)
    python scripts/translate.py -l fr       # one language only
    python scripts/translate.py --compile   # compilemessages for our catalogues (the .mo are committed)

English is the source language (the msgids). Italian is the reference catalogue: `--extract` updates the
Italian .po of the root catalogues (locale/: templates/ and marketplace/core; operators/, marketplace/
{payments,bookings}/ and marketplace/shop/checkout/ with theirs); certifications/, cms/ and packages/
extract their own. Every other language's catalogue is then rebuilt from the Italian one, so it holds
exactly the same msgids wherever it lives (tests/core/test_translations.py checks that).

The .po files are the source of every translation (edit them with any .po editor or polib). An entry
still empty is filled from our wording in scripts/wording/<language>.py (the French and German written
when those languages were made ready; the Italian where it differs from the libraries'), else from the
same msgid in another of our catalogues, else from Django's and Oscar's translation of an identical
msgid (our Oscar template overrides reuse Oscar's wording). Whatever is left is listed.
"""

import argparse
import importlib.util
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = "it"
LANGUAGES = ("it", "fr", "de")
PLURAL_FORMS = {
    "it": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    "de": "nplurals=2; plural=(n != 1);",
}
SKIP_DIRS = {".venv", "node_modules", "staticfiles", "media", ".git"}
# Apps and template folders with catalogues of their own, which the root extraction must not swallow.
IGNORE = [".venv/*", "packages/*", "certifications/*", "cms/*", "tests/*", "bench/*", "scripts/*", "static/*",
          "docs/*", "staticfiles/*", "media/*", "private-media/*", "templates/certifications/*", "templates/cms/*",
          "templates/blocks/*"]  # fmt: skip
SITE_PACKAGES = Path(polib.__file__).resolve().parent

Key = tuple[str | None, str]


def catalogues() -> list[Path]:
    """Our catalogue folders (…/locale), found by their Italian .po."""
    found = []
    for path in ROOT.glob(f"**/locale/{REFERENCE}/LC_MESSAGES/django.po"):
        if not SKIP_DIRS.intersection(path.relative_to(ROOT).parts):
            found.append(path.parents[2])
    return sorted(found)


def po_path(catalogue: Path, language: str) -> Path:
    return catalogue / language / "LC_MESSAGES" / "django.po"


def wording(language: str) -> dict[Key, str | tuple[str, ...]]:
    """Our translations for `language`: {msgid or (msgctxt, msgid): msgstr, or (singular, plural) forms}."""
    path = ROOT / "scripts" / "wording" / f"{language}.py"
    if not path.exists():
        return {}
    spec = importlib.util.spec_from_file_location(f"wording_{language}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {(key if isinstance(key, tuple) else (None, key)): value for key, value in module.WORDING.items()}


def library_translations(language: str) -> dict[Key, str | tuple[str, ...]]:
    """Django's and Oscar's translations, reused for identical msgids of our overridden templates."""
    found = {}
    paths = [SITE_PACKAGES / f"django/conf/locale/{language}/LC_MESSAGES/django.po",
             SITE_PACKAGES / f"oscar/locale/{language}/LC_MESSAGES/django.po",
             *SITE_PACKAGES.glob(f"django/contrib/*/locale/{language}/LC_MESSAGES/django.po")]  # fmt: skip
    for path in paths:
        if not path.exists():
            continue
        for entry in polib.pofile(str(path)):
            value = _value(entry)
            if value is not None:
                found.setdefault((entry.msgctxt, entry.msgid), value)
    return found


def our_translations(language: str) -> dict[Key, str | tuple[str, ...]]:
    """What our catalogues in `language` already say, for a msgid that appears in several of them."""
    found = {}
    for catalogue in catalogues():
        path = po_path(catalogue, language)
        if path.exists():
            for entry in polib.pofile(str(path)):
                value = _value(entry)
                if value is not None:
                    found.setdefault((entry.msgctxt, entry.msgid), value)
    return found


def _value(entry: polib.POEntry) -> str | tuple[str, ...] | None:
    if entry.fuzzy or not entry.translated():
        return None
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
    return entry.msgstr


def _set(entry: polib.POEntry, value: str | tuple[str, ...] | None) -> None:
    if entry.msgid_plural:
        forms = value if isinstance(value, tuple) else ("", "")
        entry.msgstr_plural = dict(enumerate(forms))
    else:
        entry.msgstr = value if isinstance(value, str) else ""


def rebuild(catalogue: Path, language: str, ours: dict, library: dict) -> polib.POFile:
    """The catalogue in `language`: the Italian msgids, each with its msgstr (see the module docstring)."""
    reference = polib.pofile(str(po_path(catalogue, REFERENCE)))
    path = po_path(catalogue, language)
    current = {}
    if path.exists():
        current = {(e.msgctxt, e.msgid): _value(e) for e in polib.pofile(str(path)) if not e.obsolete}
    po = polib.POFile()
    po.metadata = {
        "Project-Id-Version": f"dmc-engine {catalogue.parent.relative_to(ROOT).as_posix().replace('.', 'site')}",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": PLURAL_FORMS[language],
    }
    for source in reference:
        if source.obsolete:
            continue
        key = (source.msgctxt, source.msgid)
        entry = polib.POEntry(
            msgid=source.msgid,
            msgid_plural=source.msgid_plural,
            msgctxt=source.msgctxt,
            occurrences=source.occurrences,
            comment=source.comment,
            flags=[flag for flag in source.flags if flag != "fuzzy"],
        )
        _set(entry, current.get(key) or ours.get(key) or library.get(key))
        po.append(entry)
    return po


def fill_reference(catalogue: Path, ours: dict, library: dict) -> tuple[polib.POFile, bool]:
    """The Italian catalogue as extracted, its empty or fuzzy entries filled; True if anything changed."""
    po = polib.pofile(str(po_path(catalogue, REFERENCE)))
    changed = False
    for entry in po:
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            _set(entry, None)
            changed = True
        if not entry.translated():
            key = (entry.msgctxt, entry.msgid)
            _set(entry, ours.get(key) or library.get(key))
            changed = True
    return po, changed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-l", "--language", action="append", choices=LANGUAGES, help="default: all")
    parser.add_argument("--extract", action="store_true", help="run makemessages for the root catalogues first")
    parser.add_argument("--compile", action="store_true", help="only compile the .mo files")
    args = parser.parse_args()
    languages = args.language or list(LANGUAGES)
    if args.compile:
        for catalogue in catalogues():
            for language in languages:
                path = po_path(catalogue, language)
                if path.exists():
                    polib.pofile(str(path)).save_as_mofile(str(path.with_suffix(".mo")))
        return 0
    if args.extract:
        ignores = [f"--ignore={pattern}" for pattern in IGNORE]
        subprocess.run([sys.executable, "manage.py", "makemessages", "-l", REFERENCE, "--no-obsolete", *ignores],
                       cwd=ROOT, check=True)  # fmt: skip
    missing = 0
    for language in languages:
        ours = {**our_translations(language), **wording(language)}
        library = library_translations(language)
        for catalogue in catalogues():
            path = po_path(catalogue, language)
            if language == REFERENCE:
                po, changed = fill_reference(catalogue, ours, library)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                po, changed = rebuild(catalogue, language, ours, library), True
            if changed:
                po.save(str(path))
            left = [entry for entry in po if not entry.translated()]
            missing += len(left)
            print(f"{path.relative_to(ROOT)}: {po.percent_translated()}% translated")  # noqa: T201
            for entry in left:
                print(f"    missing: {entry.msgid!r}")  # noqa: T201
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
