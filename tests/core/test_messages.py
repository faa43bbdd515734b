"""The core's message catalogue (issue 21): every sentence the core says is in both languages.

* the catalogue check: every ``msg(code, english)`` in ``evaluator/`` has a Korean text naming the
  same parameters, no code has two English texts, the Korean files hold nothing the code no longer
  says, and the English template is the code's (``python -m evaluator.messages.build check``);
* the source check: no user-facing sentence is written outside the catalogue — an error's message
  or hint, a problem's message, a note or warning a result carries, a line the command line prints —
  so a new English-only sentence fails here with its file and line;
* the behaviour: the command line speaks Korean with ``--lang ko`` and under a ``ko_*`` locale,
  English with ``--lang en``; the JSON error carries the message code; a message is rendered in the
  language in effect when it is read, not when it was raised.
"""

from __future__ import annotations

import ast
import importlib
import json
import pkgutil
import re
from pathlib import Path

import pytest

import evaluator
from evaluator import errors as E
from evaluator.cli import main
from evaluator.messages import build, msg, system_language, using

ROOT = Path(evaluator.__file__).resolve().parent
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


def test_every_message_has_its_korean_text_and_the_template_is_current():
    problems = build.problems("ko")
    assert not problems, "the message catalogue is incomplete (python -m evaluator.messages.build update, " \
                         "then translate):\n" + "\n".join(problems[:60])


def _error_classes() -> set[str]:
    for mod in pkgutil.walk_packages(evaluator.__path__, "evaluator."):
        if ".migrations" in mod.name or mod.name.endswith("__main__"):
            continue
        importlib.import_module(mod.name)
    names, todo = set(), [E.EvaluatorError]
    while todo:
        cls = todo.pop()
        names.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return names


def _is_sentence(node: ast.AST | None) -> bool:
    """Text written in place: a string literal with English words, an f-string, or text glued
    together from such parts."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(ENGLISH_WORD.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_is_sentence(v) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return _is_sentence(node.left) or _is_sentence(node.right)
    if isinstance(node, ast.IfExp):
        return _is_sentence(node.body) or _is_sentence(node.orelse)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("format", "join"):
        return _is_sentence(node.func.value)
    return False


def _name(func: ast.AST) -> str:
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


#: where sentences are built: (call name, positional index, keyword) of the text argument
_CLI_OUTPUT = {"print": (0, None), "out": (1, "text"), "note": (0, None)}
_COLLECTORS = ("notes", "warnings", "messages")
#: helpers whose argument is a phrase their sentence quotes: (call name → positional index)
_NAMING = {"require_office": 0, "require_reason": 1,
           "progress": 1}  # what a long job is doing, shown under its progress bar


def _violations(path: Path, errors: set[str]) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"), str(path))
    rel = path.relative_to(ROOT.parent)
    in_cli = rel.parts[1] == "cli"
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        texts: list[ast.AST] = []
        if name == "msg":
            if len(node.args) < 2 or not all(isinstance(a, ast.Constant) and isinstance(a.value, str)
                                             for a in node.args[:2]):
                out.append(f"{rel}:{node.lineno}: msg() needs a literal code and a literal English text")
            continue
        if name in errors or name == "Problem":
            texts += node.args[:2] if name == "Problem" else node.args[:1]
            texts += [k.value for k in node.keywords if k.arg in ("message", "hint")]
        elif isinstance(node.func, ast.Attribute) and node.func.attr in ("append", "extend") \
                and _name(node.func.value) in _COLLECTORS:
            texts += node.args[:1]
        elif name in _NAMING:  # a phrase a sentence quotes ("create a program"), a job's step: in both languages
            index = _NAMING[name]
            texts += node.args[index:index + 1]
        elif in_cli and name in _CLI_OUTPUT:
            index, keyword = _CLI_OUTPUT[name]
            texts += node.args[index:index + 1] + [k.value for k in node.keywords if k.arg == keyword]
        out += [f"{rel}:{t.lineno}: {ast.unparse(t)[:90]}" for t in texts if _is_sentence(t)]
    return out


def _area(path: Path) -> str:
    rel = path.relative_to(ROOT)
    return rel.parts[0] if len(rel.parts) > 1 else "core"


AREAS = sorted({_area(p) for p in ROOT.rglob("*.py") if "migrations" not in p.parts and "__pycache__" not in p.parts}
               - {"messages"})


@pytest.mark.parametrize("area", AREAS)
def test_no_user_facing_sentence_is_written_outside_the_catalogue(area):
    errors = _error_classes()
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts or _area(path) != area:
            continue
        found += _violations(path, errors)
    assert not found, f"{len(found)} sentences are not in the catalogue (use msg(code, english, **params)):\n" + \
        "\n".join(found[:80])


# --- behaviour ------------------------------------------------------------------------------------
def test_a_message_is_rendered_in_the_language_in_effect_when_it_is_read():
    err = E.DatabaseUnavailable(msg("cli.error", "error: {error}", error="x"))
    with using("ko"):
        assert str(err) == "오류: x"
    with using("en"):
        assert str(err) == "error: x"
    assert err.code == "cli.error"


def test_a_problem_carries_its_code_and_renders_its_place_in_either_language():
    p = E.Problem(msg("cli.error", "error: {error}", error="abc"), sheet="접수현황", row=7, column="신청금액")
    assert (p.code, p.params, p.message) == ("cli.error", {"error": "abc"}, "error: abc")
    assert p.render("en") == "Sheet '접수현황' row 7, column 신청금액: error: abc"
    assert p.render("ko") == "시트 '접수현황' 7행, 열 신청금액: 오류: abc"


@pytest.mark.parametrize(("env", "expected"), [
    ({"LANG": "ko_KR.UTF-8"}, "ko"), ({"LC_ALL": "en_US.UTF-8", "LANG": "ko_KR.UTF-8"}, "en"),
    ({"LANG": "C.UTF-8"}, "en"), ({}, "en"), ({"LANGUAGE": "ko:en", "LANG": "en_US"}, "ko"),
    ({"EVALUATOR_LANG": "ko", "LANG": "en_US.UTF-8"}, "ko"), ({"LANG": "fr_FR.UTF-8"}, "en"),
])
def test_the_command_line_language_follows_the_locale(env, expected):
    assert system_language(environ=env) == expected


def test_the_command_line_speaks_the_language_asked_for(tmp_path, capsys, monkeypatch):
    missing = tmp_path / "missing.sqlite3"
    monkeypatch.delenv("EVALUATOR_LANG", raising=False)
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    assert main(["info", "--db", str(missing)]) == 3
    assert capsys.readouterr().err.startswith("오류: ")
    assert main(["--lang", "en", "info", "--db", str(missing)]) == 3
    assert capsys.readouterr().err.startswith("error: ")
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert main(["info", "--db", str(missing), "--json"]) == 3
    doc = json.loads(capsys.readouterr().out)
    assert doc["type"] == "DatabaseUnavailable" and doc.get("code"), doc


def test_a_checkout_without_the_build_compiles_the_catalogue_on_first_use(tmp_path, monkeypatch):
    """No ko.mo yet (a fresh checkout run without make): the first Korean message compiles it, once."""
    import shutil

    from evaluator import messages
    from evaluator.paths import resource

    shutil.copytree(resource("messages", "ko"), tmp_path / "messages" / "ko")
    monkeypatch.setenv("EVALUATOR_RESOURCES", str(tmp_path))
    messages.reload()
    try:
        assert not (tmp_path / "messages" / "ko.mo").exists()
        assert msg("cli.error", "error: {error}", error="x").render("ko") == "오류: x"
        assert (tmp_path / "messages" / "ko.mo").exists()
    finally:
        monkeypatch.undo()
        messages.reload()


def test_a_label_given_in_both_languages_follows_the_message():
    """A rubric's or program's own label (``localised(ko, en)``) is said in the message's language,
    and a problem keeps its English in its params."""
    from evaluator.messages import localised

    m = msg("monitoring.cannot_finalise", "{where} cannot be finalised yet: missing {missing}.", where="v1",
            missing=localised("방문 일시", "visit date"))
    assert m.render("en") == "v1 cannot be finalised yet: missing visit date."
    assert "방문 일시" in m.render("ko") and "visit" not in m.render("ko")
    assert E.Problem(m).params["missing"] == "visit date"
