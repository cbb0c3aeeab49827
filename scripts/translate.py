"""Our catalogues are the one source of the interface's translations: extract, check, merge, compile.

Usage, from the repository root:

    python scripts/translate.py --extract         # makemessages -l it (translations kept), then fr and de in step
    python scripts/translate.py                   # the completeness check: missing or fuzzy msgstr (exit 1 if any)
    python scripts/translate.py -l fr             # one language only
    python scripts/translate.py --merge FILE.py   # write a helper's IT/FR/DE dicts {msgid: msgstr} into the catalogues
    python scripts/translate.py --compile         # the .mo files (committed: no gettext needed)

English is the source language (the msgids). Italian is the reference catalogue. `--extract` runs
makemessages -l it for the catalogues Django finds by itself (locale/: templates/ and marketplace/core;
operators/, marketplace/{payments,bookings}/ and marketplace/shop/checkout/ with theirs), then adds every
other string marked in our code that no Italian catalogue has yet to the catalogue that owns its file
(OWNERS: certifications/, cms/ and packages/ keep their templates' strings too). Every other language's
catalogue is then rebuilt with exactly the Italian msgids, keeping its msgstr; a new entry takes the same
msgid's translation in another of our catalogues, else Django's or Oscar's (our Oscar template overrides
reuse Oscar's wording). tests/core/test_translations.py checks all of it with `marked_strings()` below.

The .po files are the source of every translation: edit them with any PO editor (Poedit, Lokalize) or a
translation platform (Weblate, Transifex, Crowdin read gettext catalogues as they are), then --compile.
`--merge` is for wording written as Python (IT = {"English msgid": "Italian", ...}; FR = {...};
DE = {...}; a key may be (msgctxt, msgid), a plural's value a tuple of forms): run --extract first, so
the new msgids are in the catalogues, then merge, check and compile.
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


def catalogues(root: Path = ROOT) -> list[Path]:
    """Our catalogue folders (…/locale), found by their Italian .po."""
    found = []
    for path in root.glob(f"**/locale/{REFERENCE}/LC_MESSAGES/django.po"):
        if not SKIP_DIRS.intersection(path.relative_to(root).parts):
            found.append(path.parents[2])
    return sorted(found)


def po_path(catalogue: Path, language: str) -> Path:
    return catalogue / language / "LC_MESSAGES" / "django.po"


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


def our_translations(language: str, root: Path = ROOT) -> dict[Key, str | tuple[str, ...]]:
    """What our catalogues in `language` already say, for a msgid that appears in several of them."""
    found = {}
    for catalogue in catalogues(root):
        path = po_path(catalogue, language)
        if path.exists():
            for entry in polib.pofile(str(path)):
                value = _value(entry)
                if value is not None:
                    found.setdefault((entry.msgctxt, entry.msgid), value)
    return found


def _value(entry: polib.POEntry) -> str | tuple[str, ...] | None:
    if entry.obsolete or entry.fuzzy or not entry.translated():
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


def rebuild(catalogue: Path, language: str, ours: dict, library: dict, root: Path = ROOT) -> polib.POFile:
    """The catalogue in `language`: the Italian msgids, each with its msgstr (see the module docstring)."""
    reference = polib.pofile(str(po_path(catalogue, REFERENCE)))
    path = po_path(catalogue, language)
    current = {}
    if path.exists():
        current = {(e.msgctxt, e.msgid): _value(e) for e in polib.pofile(str(path)) if not e.obsolete}
    po = polib.POFile()
    po.header = (
        f"{language} catalogue: the Italian one's msgids (scripts/translate.py --extract); the msgstr are the source."
    )
    po.metadata = {
        "Project-Id-Version": f"dmc-engine {catalogue.parent.relative_to(root).as_posix().replace('.', 'site')}",
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
    """The Italian catalogue as makemessages left it, a fuzzy guess of msgmerge's cleared and every empty
    entry filled from the same msgid elsewhere; True if anything changed."""
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


def extract(languages: list[str]) -> None:
    """makemessages -l it (it keeps every translation whose msgid is unchanged), strays adopted, then the
    other languages' catalogues given exactly the Italian msgids."""
    # What the catalogues say before makemessages: xgettext misses a few strings our code marks (inside
    # f-strings), which --no-obsolete drops and adopt_strays adds back empty; they get their msgstr back.
    before = {language: our_translations(language) for language in {REFERENCE, *languages}}
    ignores = [f"--ignore={pattern}" for pattern in IGNORE]
    subprocess.run([sys.executable, "manage.py", "makemessages", "-l", REFERENCE, "--no-obsolete", *ignores],
                   cwd=ROOT, check=True)  # fmt: skip
    adopt_strays()
    for language in [REFERENCE, *(code for code in languages if code != REFERENCE)]:
        ours, library = {**before[language], **our_translations(language)}, library_translations(language)
        for catalogue in catalogues():
            path = po_path(catalogue, language)
            if language == REFERENCE:
                po, changed = fill_reference(catalogue, ours, library)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                po, changed = rebuild(catalogue, language, ours, library), True
            if changed:
                po.save(str(path))


def completeness(languages: list[str], root: Path = ROOT) -> dict[Path, dict[str, list[str]]]:
    """{catalogue .po: {"missing": [msgid…], "fuzzy": [msgid…], "not in the Italian": […], "only in the
    Italian": […]}} for every catalogue with something to do. gettext shows a fuzzy msgstr as the English."""
    found: dict[Path, dict[str, list[str]]] = {}
    for catalogue in catalogues(root):
        italian = {(e.msgctxt, e.msgid) for e in polib.pofile(str(po_path(catalogue, REFERENCE))) if not e.obsolete}
        for language in languages:
            path = po_path(catalogue, language)
            if not path.exists():
                found[path] = {"missing": ["(no catalogue: run --extract)"]}
                continue
            entries = [e for e in polib.pofile(str(path)) if not e.obsolete]
            keys = {(e.msgctxt, e.msgid) for e in entries}
            problems = {
                "missing": [e.msgid for e in entries if not e.fuzzy and not e.translated()],
                "fuzzy": [e.msgid for e in entries if e.fuzzy],
                "not in the Italian": [msgid for ctx, msgid in sorted(keys - italian, key=str)],
                "only in the Italian": [msgid for ctx, msgid in sorted(italian - keys, key=str)],
            }
            problems = {kind: msgids for kind, msgids in problems.items() if msgids}
            if problems:
                found[path] = problems
    return found


def _wording_file(path: Path) -> dict[str, dict[Key, str | tuple[str, ...]]]:
    """{language: {(msgctxt, msgid): msgstr or plural forms}} from a Python file of IT, FR and DE dicts."""
    spec = importlib.util.spec_from_file_location(f"wording_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    found = {}
    for language in LANGUAGES:
        words = getattr(module, language.upper(), None) or {}
        found[language] = {(key if isinstance(key, tuple) else (None, key)): value for key, value in words.items()}
    return found


def merge(path: Path, languages: list[str], root: Path = ROOT) -> list[str]:
    """Write a wording file's msgstr into every catalogue that has the msgid (its fuzzy flag dropped: a
    person wrote it); returns "language: msgid" of the words no catalogue has (run --extract first).

    A msgid the catalogue already translates keeps its translation (printed as kept): the site's
    established wording wins over a new file's, so one word reads the same on every page."""
    words = _wording_file(path)
    unknown = []
    for language in languages:
        todo = words.get(language, {})
        used = set()
        for catalogue in catalogues(root):
            po_file = po_path(catalogue, language)
            if not po_file.exists():
                continue
            po, changed = polib.pofile(str(po_file)), False
            for entry in po:
                key = (entry.msgctxt, entry.msgid)
                if entry.obsolete or key not in todo:
                    continue
                value = todo[key]
                used.add(key)
                current = _value(entry)
                if current is not None and current != value:
                    print(f"kept {language}: {entry.msgid!r} = {current!r} (not {value!r})")  # noqa: T201
                    continue
                if entry.msgid_plural and isinstance(value, str):
                    value = (value, value)
                elif not entry.msgid_plural and isinstance(value, tuple):
                    value = value[0]
                _set(entry, value)
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
                changed = True
            if changed:
                po.save(str(po_file))
        unknown += [f"{language}: {msgid!r}" for ctx, msgid in todo if (ctx, msgid) not in used]
    return unknown


def compile_catalogues(languages: list[str], root: Path = ROOT) -> None:
    for catalogue in catalogues(root):
        for language in languages:
            path = po_path(catalogue, language)
            if path.exists():
                polib.pofile(str(path)).save_as_mofile(str(path.with_suffix(".mo")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-l", "--language", action="append", choices=LANGUAGES, help="default: all")
    parser.add_argument("--extract", action="store_true", help="makemessages, then fr and de in step, before the check")
    parser.add_argument("--merge", action="append", type=Path, metavar="FILE.py", help="IT/FR/DE dicts to merge")
    parser.add_argument("--compile", action="store_true", help="compile the .mo files after everything else")
    parser.add_argument("--root", type=Path, default=ROOT, help="the tree whose catalogues to read (default: ours)")
    args = parser.parse_args(argv)
    languages = args.language or list(LANGUAGES)
    root = args.root.resolve()
    if args.extract:
        extract(languages)
    failed = False
    for wording_file in args.merge or []:
        unknown = merge(wording_file, languages, root)
        print(f"{wording_file}: merged")  # noqa: T201
        for word in unknown:
            print(f"    in no catalogue (run --extract first, or the msgid differs from the code's): {word}")  # noqa: T201
        failed = failed or bool(unknown)
    if args.compile:
        compile_catalogues(languages, root)
        return 1 if failed else 0
    problems = completeness(languages, root)
    for path, kinds in problems.items():
        print(f"{path.relative_to(root)}:")  # noqa: T201
        for kind, msgids in kinds.items():
            print(f"    {kind} ({len(msgids)}):")  # noqa: T201
            for msgid in msgids:
                print(f"        {msgid!r}")  # noqa: T201
    count = len(catalogues(root)) * len(languages)
    print(f"{count - len(problems)} of {count} catalogues complete ({', '.join(languages)})")  # noqa: T201
    return 1 if failed or problems else 0


if __name__ == "__main__":
    sys.exit(main())
