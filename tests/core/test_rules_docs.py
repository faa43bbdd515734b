"""docs/rules.md works exactly as written: its shell blocks run in order, in one folder, through the
real command line — the remodelling social-housing call from an empty database to its ranked list
with eligibility and computed amounts — and the outputs it quotes are what the commands print (the
paper score sheets the office types in are filled in here, with the levels of the hand-computed
table in tests/core/rules_fixtures.py)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from evaluator.excel.columns import RANKING_SUPPORT, SCORE_TEMPLATE
from evaluator.paths import resource
from evaluator.store import Store

from .doc_runner import blocks, expected_exit, run_line, write_file
from .rules_fixtures import OPERATORS

DOC = Path(resource()).parent / "docs" / "rules.md"
LEVEL = {o.id: o.level for o in OPERATORS}

#: the score template's Korean headers → keys
KEY_OF = {c.ko: c.key for c in SCORE_TEMPLATE}


def fill_paper_scores(path: Path) -> None:
    """Every evaluator gives every criterion of an application the level the table says."""
    wb = load_workbook(path)
    ws = wb["점수"]  # (the template as the document makes it: in Korean)
    header = [KEY_OF[c.value] for c in ws[1]]
    app, level = header.index("application_id") + 1, header.index("level") + 1
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, app).value:
            ws.cell(r, level).value = LEVEL[ws.cell(r, app).value]
    wb.save(path)


@pytest.mark.plain_sqlite
def test_the_rules_document_runs_as_written(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    text = DOC.read_text(encoding="utf-8")
    printed: list[str] = []
    for block in blocks(text):
        if block.kind == "file":
            write_file(block, tmp_path)
            continue
        for line in block.lines:
            if line.startswith("evaluator import scores "):
                fill_paper_scores(tmp_path / shlex.split(line)[3])
            code, out, err = run_line(line, tmp_path, capsys, monkeypatch)
            assert code == expected_exit(line), f"{line}\n{out}\n{err}"
            printed.append(out + err)
    everything = "\n".join(printed)
    quoted = re.findall(r"^```text output\n(.*?)^```", text, re.S | re.M)
    assert len(quoted) >= 6
    for q in quoted:
        assert q.strip() in everything, q
    with Store(f"sqlite:///{tmp_path / 'office.sqlite3'}") as st:
        ranking = st.ranking.current(round="2").value.track("remodel")
    assert ranking.budget_used == 596_000_000
    assert sum(r.computed_decision == "ineligible" for r in ranking.rows) == 7
    pdf = "".join(p.extract_text() for p in PdfReader(tmp_path / "summary-2.pdf").pages)
    assert "산정 지원금" in pdf and "74,074,000" in pdf and "접수일 기준 12년" in pdf
    wb = load_workbook(tmp_path / "ranking-2.xlsx")  # (in Korean: the track's sheet is named by its Korean name)
    assert [ws.title for ws in wb.worksheets] == ["요약", ranking.name_ko, "_meta"]
    head = [c.value for c in wb[ranking.name_ko][1]]
    labels = {c.key: c.ko for c in RANKING_SUPPORT}
    assert {labels[k] for k in ("awarded_amount", "support_rate", "support_cap", "support_basis")} <= set(head)
