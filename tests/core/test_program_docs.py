"""docs/programs.md works exactly as written: its program files are saved and its shell blocks run
in order, in one folder, through the real command line; the outputs it quotes are what the
commands print."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from evaluator.paths import resource
from evaluator.store import Store

from .doc_runner import blocks, expected_exit, run_line, write_file

DOC = Path(resource()).parent / "docs" / "programs.md"


@pytest.mark.plain_sqlite
def test_the_programs_document_runs_as_written(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    text = DOC.read_text(encoding="utf-8")
    doc_blocks = blocks(text)
    assert sum(b.kind == "file" for b in doc_blocks) == 2 and sum(b.kind == "sh" for b in doc_blocks) >= 5
    printed: list[str] = []
    for block in doc_blocks:
        if block.kind == "file":
            write_file(block, tmp_path)
            continue
        for line in block.lines:
            code, out, err = run_line(line, tmp_path, capsys, monkeypatch)
            assert code == expected_exit(line), f"{line}\n{out}\n{err}"
            printed.append(out + err)
    everything = "\n".join(printed)
    quoted = re.findall(r"^```text output\n(.*?)^```", text, re.S | re.M)
    assert len(quoted) == 2
    for q in quoted:
        assert q.strip() in everything, q
    with Store(f"sqlite:///{tmp_path / 'office.sqlite3'}") as st:
        assert [p.code for p in st.programs.list()] == ["gangbuk-2014", "seoul-cbp-2013"]
        own = st.programs.get()
        assert own.code == "gangbuk-2014" and own.tracks[0].quota == 6 and own.tracks[0].budget == 60_000_000
        assert [r.code for r in own.rounds] == ["h1", "h2"] and own.fields[0].key == "youth_members"
        assert {c.code for c in own.categories} == {"cafe", "care", "education", "other"}
        rolling = st.programs.get("seoul-cbp-2013")
        assert [(r.code, r.applications, r.closes_on.isoformat()) for r in rolling.rounds] == [
            ("1", 0, "2013-03-31"), ("2", 8, "2013-06-30"), ("3", 0, "2013-10-31")]  # the refused change left it
