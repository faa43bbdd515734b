"""The command line's tables speak the language asked for: under ``--lang ko`` their column headers are
Korean (the app's words: 접수번호, 순위, 점수, 선정 결과...) and their columns still line up although
Hangul takes two terminal columns; under ``--lang en`` they are the English headers they always were.
Driven through the real CLI on a demo database made with ``evaluator demo``."""

from __future__ import annotations

import re

import pytest

from evaluator.cli import main
from evaluator.cli.common import display_width, table
from evaluator.messages import using


# the demo database and no language from the locale, as the messages' CLI tests have them
from .test_messages_cli import _no_locale_language, demo_db  # noqa: E402,F401 - fixtures


def run(capsys, *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def tables(out: str) -> list[tuple[str, list[int], list[str]]]:
    """Each table of ``out``: its header line, the display column where each of its columns starts
    (read off the dashes under the header) and its row lines (a cut line ``==== …`` is not a row)."""
    lines = out.splitlines()
    found = []
    for i, line in enumerate(lines):
        if i and re.fullmatch(r"-+(  -+)*", line):
            starts = [m.start() for m in re.finditer(r"-+", line)]
            rows = []
            for row in lines[i + 1:]:
                if not row.strip() or re.fullmatch(r"-+(  -+)*", row):
                    break
                if not row.startswith("===="):
                    rows.append(row)
            found.append((lines[i - 1], starts, rows))
    return found


def at_display_column(line: str, col: int) -> str:
    """The character of ``line`` that covers display column ``col`` ("" past its end)."""
    pos = 0
    for ch in line:
        w = display_width(ch)
        if pos <= col < pos + max(w, 1):
            return ch
        pos += w
    return ""


def assert_lined_up(header: str, starts: list[int], rows: list[str]) -> None:
    for start in starts:
        assert at_display_column(header, start) not in ("", " "), (header, start)
    for line in [header, *rows]:
        for start in starts[1:]:
            # the two spaces between columns sit at the same display columns on every line
            assert at_display_column(line, start - 1) in ("", " ") and \
                at_display_column(line, start - 2) in ("", " "), (line, start)


@pytest.mark.parametrize(("command", "english", "korean", "trailer"), [
    (["rank"], "rank  application  score  norm.  n  spread  stable  decision      flags                  reason",
     ["순위", "접수번호", "점수", "표준화 점수", "평가 수", "편차", "안정도", "선정 결과", "표시", "사유"], 0),
    (["applications"], "ID          round  track     category       title                               group"
     "                         district  requested   final/assigned  status",
     ["접수번호", "차수", "지원유형", "분야", "사업명", "단체명", "자치구", "신청금액", "확정/배정", "상태"], 1),
    (["evaluators"], "ID    name    organisation                 district  role                assigned  finalised  key",
     ["평가위원번호", "이름", "소속", "자치구", "역할", "배정", "확정", "키 지문"], 0),
])
def test_a_table_has_korean_headers_in_korean_and_english_ones_in_english(
        demo_db, capsys, command, english, korean, trailer):  # noqa: F811 - fixture
    """``trailer``: the lines the command prints right under its table (a count), which are no rows."""
    ko = tables(run(capsys, "--lang", "ko", *command, "--db", demo_db))
    assert ko
    header, starts, rows = ko[0]
    assert re.split(r" {2,}", header) == korean
    for header, starts, rows in ko:
        assert not re.search(r"[A-Za-z]", header), header
        assert rows
        assert_lined_up(header, starts, rows[:len(rows) - trailer])

    en = tables(run(capsys, "--lang", "en", *command, "--db", demo_db))
    assert en[0][0] == english
    for header, starts, rows in en:
        assert_lined_up(header, starts, rows[:len(rows) - trailer])


def test_the_ranking_cut_line_and_evaluator_table_are_korean_too(demo_db, capsys):  # noqa: F811 - fixture
    out = run(capsys, "--lang", "ko", "rank", "--db", demo_db)
    headers = [h for h, _, _ in tables(out)]
    assert "평가위원" in headers[-1] and "평균 총점" in headers[-1], headers[-1]
    cut = next(line for line in out.splitlines() if line.startswith("==== "))
    assert "선정선" in cut and display_width(cut) == 64, cut


def test_table_counts_hangul_twice_when_it_pads_a_column():
    with using("ko"):
        text = table([["2012-A-001", "가나다"], ["2012-A-002", "ab"]], ["application", "group"])
    header, dashes, first, second = text.splitlines()
    assert header.startswith("접수번호    단체명")
    assert dashes == "----------  ------"
    assert display_width(first) == display_width(dashes)
    assert second == "2012-A-002  ab"
    with using("en"):
        assert table([["x", "y"]], ["application", "group"]).splitlines()[0] == "application  group"


def test_every_column_header_of_the_command_line_is_in_the_catalogue():
    """A header missing from COLUMNS would show in English under --lang ko: read every table() call
    (and the ranking's ``headers = [...]``) of evaluator/cli and look each header up."""
    import ast
    from pathlib import Path

    import evaluator.cli
    from evaluator.cli.common import COLUMNS

    seen = set()
    for path in Path(evaluator.cli.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            lists = []
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "table" and len(node.args) > 1:
                lists.append(node.args[1])
            if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "headers" for t in node.targets):
                lists.append(node.value)
            for lst in lists:
                if isinstance(lst, ast.List):
                    seen |= {(path.name, e.value) for e in lst.elts
                             if isinstance(e, ast.Constant) and isinstance(e.value, str)}
    assert len(seen) > 80
    assert sorted((f, h) for f, h in seen if h not in COLUMNS and h not in ("", "#")) == []
