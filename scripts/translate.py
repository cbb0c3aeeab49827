"""Keep our catalogues complete in every language the engine is translated into (a developer tool).

Usage, from the repository root:

    python scripts/translate.py --extract   # makemessages -l it: each app's strings to its own catalogue
    python scripts/translate.py             # fill and check it, fr and de; list what is left (exit 1 if any)
    python scripts/translate.py -l fr       # one language only
    python scripts/translate.py --compile   # compilemessages for our catalogues (the .mo are committed)

English is the source language (the msgids). Italian is the reference catalogue. `--extract` runs
makemessages -l it for the catalogues Django finds by itself (locale/: templates/ and marketplace/core;
operators/, marketplace/{payments,bookings}/ and marketplace/shop/checkout/ with theirs), then adds every
other string marked in our code that no Italian catalogue has yet to the catalogue that owns its file
(OWNERS: certifications/, cms/ and packages/ keep their templates' strings too). Every other language's
catalogue is then rebuilt from the Italian one, so it holds exactly the same msgids wherever it lives.
tests/core/test_translations.py checks all of it with `marked_strings()` below.

The .po files are the source of every translation (edit them with any .po editor or polib). An entry
still empty is filled from our wording in scripts/wording/<language>.py (the French and German written
when those languages were made ready; the Italian where it differs from the libraries'), else from the
same msgid in another of our catalogues, else from Django's and Oscar's translation of an identical
msgid (our Oscar template overrides reuse Oscar's wording). Whatever is left is listed.
"""

import argparse
import ast
import importlib.util
import io
import os
import subprocess
import sys
import tokenize
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
# Who owns the strings of a file, by path prefix (first match); everything else goes to locale/ (the site's).
OWNERS = [
    ("packages/", "packages/locale"),
    ("templates/packages/", "packages/locale"),
    ("templates/admin/packages/", "packages/locale"),
    ("certifications/", "certifications/locale"),
    ("templates/certifications/", "certifications/locale"),
    ("cms/", "cms/locale"),
    ("templates/cms/", "cms/locale"),
    ("templates/blocks/", "cms/locale"),
    ("operators/", "operators/locale"),
    ("marketplace/payments/", "marketplace/payments/locale"),
    ("marketplace/bookings/", "marketplace/bookings/locale"),
    ("marketplace/shop/checkout/", "marketplace/shop/checkout/locale"),
]
CODE_DIRS = ["marketplace", "operators", "packages", "certifications", "cms"]
GETTEXT = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy",
           "pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}  # fmt: skip

Key = tuple[str | None, str]


def _marked(name: str, strings: list, where: str) -> tuple | None:
    """A gettext call's string arguments (None where not a literal) as (msgctxt, msgid, msgid_plural)."""
    context = name.startswith(("p", "np"))
    if context:
        if len(strings) < 2 or strings[0] is None:
            return None
        msgctxt, strings = strings[0], strings[1:]
    else:
        msgctxt = None
    if not strings or strings[0] is None:
        return None
    plural = strings[1] if "ngettext" in name and len(strings) > 1 else ""
    return (msgctxt, strings[0], plural or "", where)


def _python_strings(path: Path, relative: str) -> list[tuple]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name in GETTEXT:
                strings = [
                    a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args
                ]
                found.append(_marked(name, strings, f"{relative}:{node.lineno}"))
    return [item for item in found if item]


def _template_strings(path: Path, relative: str) -> list[tuple]:
    """Django's templatize (what makemessages feeds xgettext), read with Python's tokenizer."""
    from django.utils.translation.template import templatize

    code = templatize(path.read_text(), origin=str(path))
    code = "\n".join(line.lstrip() for line in code.splitlines())  # its indentation means nothing
    skip = {tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.COMMENT}
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(code).readline) if t.type not in skip]
    found = []
    for i, token in enumerate(tokens[:-1]):
        if token.type == tokenize.NAME and token.string in GETTEXT and tokens[i + 1].string == "(":
            strings, j = [], i + 2
            while j < len(tokens) and tokens[j].type == tokenize.STRING:
                strings.append(ast.literal_eval(tokens[j].string))
                j += 2 if j + 1 < len(tokens) and tokens[j + 1].string == "," else 1
            found.append(_marked(token.string, strings, f"{relative}:{token.start[0]}"))
    return [item for item in found if item]


def marked_strings() -> dict[Key, tuple]:
    """Every string our code marks for translation: {(msgctxt, msgid): (msgid_plural, "path:line")}.

    Python files by their gettext calls, templates through Django's templatize: the same strings
    makemessages extracts, with no need for gettext's tools. Migrations are not read (their verbose names
    are plain strings)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.dev")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    files = [p for d in CODE_DIRS for p in (ROOT / d).rglob("*.py") if "migrations" not in p.parts]
    templates = [p for d in ["templates", *CODE_DIRS] for p in (ROOT / d).rglob("*")
                 if p.suffix in (".html", ".txt", ".xml") and (d == "templates" or "templates" in p.parts)]  # fmt: skip
    found: dict[Key, tuple] = {}
    for path in sorted(files) + sorted(templates):
        relative = path.relative_to(ROOT).as_posix()
        read = _python_strings if path.suffix == ".py" else _template_strings
        for msgctxt, msgid, plural, where in read(path, relative):
            found.setdefault((msgctxt, msgid), (plural, where))
    return found


def owner(relative: str) -> Path:
    """The catalogue folder that keeps the strings of a file."""
    return ROOT / next((folder for prefix, folder in OWNERS if relative.startswith(prefix)), "locale")


def adopt_strays() -> int:
    """Add the marked strings no Italian catalogue has to the catalogue that owns their file."""
    known = {(e.msgctxt, e.msgid) for c in catalogues() for e in polib.pofile(str(po_path(c, REFERENCE)))}
    strays: dict[Path, list] = {}
    for key, (plural, where) in marked_strings().items():
        if key not in known:
            strays.setdefault(owner(where), []).append((key, plural, where))
    for folder, entries in strays.items():
        po = polib.pofile(str(po_path(folder, REFERENCE)))
        for (msgctxt, msgid), plural, where in entries:
            path, line = where.rsplit(":", 1)
            entry = polib.POEntry(msgctxt=msgctxt, msgid=msgid, msgid_plural=plural, occurrences=[(path, line)])
            if plural:
                entry.msgstr_plural = {0: "", 1: ""}
            if "%(" in msgid or "%s" in msgid or "%d" in msgid:
                entry.flags.append("python-format")
            po.append(entry)
        po.save(str(po_path(folder, REFERENCE)))
        print(f"{po_path(folder, REFERENCE).relative_to(ROOT)}: {len(entries)} new strings")  # noqa: T201
    return sum(len(entries) for entries in strays.values())


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
    po.header = (
        f"{language} catalogue, rebuilt from the Italian one by scripts/translate.py (the msgstr are the source)."
    )
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
        adopt_strays()
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
