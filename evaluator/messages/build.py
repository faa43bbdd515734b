"""Build the core's message catalogue: extract, update, check and compile (Babel does the work).

``python -m evaluator.messages.build``          compile ``resources/messages/ko/*.po`` to ``ko.mo``
``python -m evaluator.messages.build update``   extract every ``msg(code, english)`` from ``evaluator/``,
                                                write the English template ``messages.pot``, add the new
                                                messages to the Korean file of their area (empty, to be
                                                translated) and drop the ones the code no longer says
``python -m evaluator.messages.build check``    what the tests check: every message in both catalogues

Babel is needed here only (the ``build`` and ``test`` extras); the app reads the compiled ``.mo``
with the standard library's gettext.
"""

from __future__ import annotations

import io
import os
import string
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..paths import resource

KEYWORDS = {"msg": ((1, "c"), 2)}  # msg(code, english, **params): the code is gettext's context
PACKAGE = Path(__file__).resolve().parent.parent  # evaluator/
TRANSLATED = ("ko",)


def catalogue_dir() -> Path:
    return resource("messages")


def po_files(lang: str) -> list[Path]:
    return sorted((catalogue_dir() / lang).glob("*.po"))


def template_path() -> Path:
    return catalogue_dir() / "messages.pot"


def stale(lang: str) -> bool:
    """Whether ``<lang>.mo`` is missing or older than one of its ``.po`` sources."""
    mo = catalogue_dir() / f"{lang}.mo"
    sources = po_files(lang)
    if not sources:
        return False
    try:
        built = mo.stat().st_mtime
    except OSError:
        return True
    return any(p.stat().st_mtime > built for p in sources)


@dataclass(frozen=True)
class Extracted:
    code: str
    english: str
    file: str  # relative to the repository, e.g. "evaluator/awards/service.py"
    line: int

    @property
    def area(self) -> str:
        """The ``.po`` file the message belongs in: the core package it is said in (``core`` for
        the top-level modules)."""
        parts = Path(self.file).parts
        return parts[1] if len(parts) > 2 else "core"


def extract(root: Path = PACKAGE) -> list[Extracted]:
    """Every ``msg(code, english)`` in the package's Python files, in file order."""
    from babel.messages.extract import extract_from_dir

    found = []
    for filename, lineno, message, _comments, context in extract_from_dir(
            str(root), method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=(), strip_comment_tags=True):
        if context is None or not isinstance(message, str):
            continue  # msg() with a non-literal code or text: the source check reports it
        found.append(Extracted(context, message, f"{root.name}/{filename}", lineno))
    return found


def _read(path: Path):
    from babel.messages.pofile import read_po

    with open(path, "rb") as fh:
        return read_po(fh, locale=path.parent.name, abort_invalid=True)


def load(lang: str) -> dict[tuple[str, str], tuple[str, Path]]:
    """(code, english) → (translation, file) over every ``.po`` file of ``lang``."""
    out: dict[tuple[str, str], tuple[str, Path]] = {}
    for path in po_files(lang):
        for m in _read(path):
            if not m.id or m.context is None:
                continue
            key = (m.context, m.id)
            if key in out and out[key][0] != m.string:
                raise SystemExit(f"{path}: message {m.context!r} is translated differently in {out[key][1]}")
            out[key] = (m.string, path)
    return out


def placeholders(text: str) -> set[str]:
    """The parameter names ``text`` formats (``{app}``, ``{amount:,}`` → app, amount)."""
    names = set()
    for _literal, field, _spec, _conv in string.Formatter().parse(text):
        if field is not None:
            names.add(field.split(".")[0].split("[")[0])
    return names


def problems(lang: str = "ko", root: Path = PACKAGE) -> list[str]:
    """What keeps the catalogue from being complete, one line each (empty when it is)."""
    out: list[str] = []
    found = extract(root)
    english_of: dict[str, Extracted] = {}
    for e in found:
        first = english_of.setdefault(e.code, e)
        if first.english != e.english:
            out.append(f"{e.file}:{e.line}: code {e.code!r} has another English text at {first.file}:{first.line}")
        try:
            list(string.Formatter().parse(e.english))
        except ValueError as exc:
            out.append(f"{e.file}:{e.line}: {e.code}: the English text is not a valid format string ({exc})")
    have = load(lang)
    wanted = {(e.code, e.english): e for e in found}
    for key, e in wanted.items():
        got = have.get(key)
        if got is None or not got[0].strip():
            out.append(f"{e.file}:{e.line}: {e.code} has no {lang} text: {e.english!r}")
            continue
        try:
            theirs = placeholders(got[0])
        except ValueError as exc:
            out.append(f"{got[1].name}: {e.code}: the {lang} text is not a valid format string ({exc})")
            continue
        if theirs != placeholders(e.english):
            out.append(f"{got[1].name}: {e.code}: the {lang} text names {sorted(theirs)}, "
                       f"the English {sorted(placeholders(e.english))}")
    for key, (_text, path) in have.items():
        if key not in wanted:
            out.append(f"{path.name}: {key[0]} is no longer said by the code (run the build's update)")
    if _template_text(found) != (template_path().read_text("utf-8") if template_path().exists() else ""):
        out.append(f"{template_path().name} is not the English of the code (run the build's update)")
    return out


def _template_text(found: Iterable[Extracted]) -> str:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    cat = Catalog(project="Maeul Evaluator", fuzzy=False, charset="utf-8")
    for e in found:
        cat.add(e.english, context=e.code)
    buf = io.BytesIO()
    write_po(buf, cat, omit_header=True, sort_output=True, no_location=True, width=0)
    return buf.getvalue().decode("utf-8")


def update(langs: Iterable[str] = TRANSLATED, root: Path = PACKAGE) -> dict[str, int]:
    """Write the template; add new messages (untranslated) to each language's file of their area;
    drop messages the code no longer says.  Returns counts."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    found = extract(root)
    _write(template_path(), _template_text(found).encode("utf-8"))
    counts = {"messages": len({(e.code, e.english) for e in found}), "added": 0, "dropped": 0}
    wanted = {(e.code, e.english): e for e in found}
    for lang in langs:
        folder = catalogue_dir() / lang
        folder.mkdir(parents=True, exist_ok=True)
        have = load(lang)
        files: dict[Path, Catalog] = {p: _read(p) for p in po_files(lang)}
        for key, (_t, path) in have.items():
            if key not in wanted:
                files[path].delete(key[1], context=key[0])
                counts["dropped"] += 1
        for key, e in wanted.items():
            if key in have:
                continue
            path = folder / f"{e.area}.po"
            if path not in files:
                files[path] = Catalog(locale=lang, project="Maeul Evaluator", fuzzy=False, charset="utf-8")
            files[path].add(e.english, "", context=e.code)
            counts["added"] += 1
        for path, cat in files.items():
            buf = io.BytesIO()
            write_po(buf, cat, omit_header=True, sort_output=True, no_location=True, width=0)
            _write(path, buf.getvalue())
    return counts


def compile_catalogue(lang: str) -> Path:
    """Compile every ``.po`` of ``lang`` into ``<lang>.mo`` (written whole, or not at all)."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    cat = Catalog(locale=lang, fuzzy=False, charset="utf-8")
    for (code, english), (translated, _path) in load(lang).items():
        if translated.strip():
            cat.add(english, translated, context=code)
    buf = io.BytesIO()
    write_mo(buf, cat)
    target = catalogue_dir() / f"{lang}.mo"
    _write(target, buf.getvalue())
    from . import reload

    reload()
    return target


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    verb = args[0] if args else "compile"
    if verb == "update":
        print(update())
        return 0
    if verb == "check":
        found = problems()
        print("\n".join(found) or "the catalogue is complete")
        return 1 if found else 0
    if verb == "compile":
        for lang in TRANSLATED:
            if po_files(lang):
                print(compile_catalogue(lang))
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
