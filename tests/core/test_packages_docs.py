"""docs/field-workflow.md works exactly as written: its shell blocks are run in order, in one
folder, through the real command line — from an empty database and a program file to the
committee's sign-off, with no demo (the app's scoring step in between is done through the façade,
as the app does, and the paper sheets the office types in are filled in here)."""

from __future__ import annotations

import pytest

import json
import os
import random
import re
import shlex
from pathlib import Path

from evaluator.cli import main
from evaluator.excel.columns import SCORE_TEMPLATE
from evaluator.paths import resource
from evaluator.store import Store

from .doc_runner import blocks, expected_exit, run_line, write_file
from .packages_fixtures import enter_scores

DOC = Path(resource()).parent / "docs" / "field-workflow.md"

#: the score template's Korean headers → keys
KEY_OF = {c.ko: c.key for c in SCORE_TEMPLATE}


def fill_paper_scores(path: Path) -> None:
    """What the office types in from an evaluator's paper sheets: a level (or points) on every row."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["점수"]  # (the template as the document makes it: in Korean)
    header = [KEY_OF[c.value] for c in ws[1]]
    col = {k: header.index(k) + 1 for k in ("application_id", "evaluator", "allowed", "level", "value", "max_points")}
    for r in range(2, ws.max_row + 1):
        app, ev = ws.cell(r, col["application_id"]).value, ws.cell(r, col["evaluator"]).value
        if not app:
            continue
        rng = random.Random(f"{app}/{ev}/{r}")
        allowed = str(ws.cell(r, col["allowed"]).value or "")
        if "/" in allowed:
            ws.cell(r, col["level"]).value = rng.choice(["수", "우", "우", "미", "양"])
        else:
            ws.cell(r, col["value"]).value = rng.randint(0, int(ws.cell(r, col["max_points"]).value))
    wb.save(path)


@pytest.mark.plain_sqlite
def test_the_field_workflow_document_runs_as_written(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    doc_blocks = blocks(DOC.read_text(encoding="utf-8"))
    assert len(doc_blocks) >= 8
    outputs: list[tuple[str, str]] = []
    for block in doc_blocks:
        if block.kind == "file":
            write_file(block, tmp_path)
            continue
        if any("package export" in ln for ln in block.lines):
            # step 4: the evaluator scores, visits and finalises in the app
            with Store("sqlite:///field.sqlite3", passphrase=os.environ["EVALUATOR_DB_PASSPHRASE"]) as fld:
                enter_scores(fld, "EV01", via_facade=2)
        for line in block.lines:
            if line.startswith("evaluator import scores "):  # the office types the paper sheets in
                fill_paper_scores(tmp_path / shlex.split(line)[3])
            code, out, err = run_line(line, tmp_path, capsys, monkeypatch)
            assert code == expected_exit(line), f"{line}\n{out}\n{err}"
            outputs.append((line, out))
    text = "\n".join(out for _, out in outputs)
    assert "In round 2: 8." in text and "Likely conflicts of interest to confirm" in text
    assert "merged — " in text and "unchanged — already merged" in text
    assert text.count("Audit trail intact") == 2
    assert "Checked 1 merged package: 1 intact, 0 failed." in text
    assert "Round 2 (2차) of program 'seoul-cbp-2013' is signed off by 선정위원장 김서연" in text
    fingerprints = re.findall(r"fingerprint: ([A-Z2-7]{4}(?:-[A-Z2-7]{4}){3})", text)
    assert len(set(fingerprints)) >= 2  # the office's and the evaluator's
    # the office has EV01's eight evaluations from the laptop (marked with the package's fingerprint) and
    # EV02's and EV03's from paper (EV03 recused from one application)
    code = main(["info", "--json", "--db", "office.sqlite3"])
    info = json.loads(capsys.readouterr().out)
    assert code == 0 and info["finalised_evaluations"] == 8 + 8 + 7
    with Store("sqlite:///office.sqlite3") as office:
        done = [a for a in office.people.assignments(evaluator="EV01") if a.state == "finalised"]
        assert len(done) == 8
        assert office.scoring.evaluation(done[0].application_id, "EV01").package_fingerprint
        signed = office.rounds.get("2")
        assert signed.signed_off and signed.signed_off_by == "선정위원장 김서연"
        ranking = office.ranking.rank(round="2")
        assert ranking.signed_off and {r.application_id for r in ranking.all_rows()} == {
            f"2013-2-{t}-0{i}" for t in "AS" for i in range(1, 5)}
        assert next(r for r in ranking.all_rows() if r.application_id == "2013-2-A-04").decision == "not_selected"
    assert (tmp_path / "ranking-2.xlsx").stat().st_size > 0
    assert (tmp_path / "summary-2.pdf").read_bytes().startswith(b"%PDF")


def test_cli_errors_are_one_clear_sentence_and_a_nonzero_exit(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("EVALUATOR_PASSPHRASE", "a long enough passphrase")
    assert main(["demo", "--before-visits", "--db", "office.sqlite3"]) == 0
    capsys.readouterr()
    code = main(["kit", "export", "--evaluator", "EV01", "--out", "k.mekit", "--db", "office.sqlite3"])
    assert code != 0 and "evaluator keys init" in capsys.readouterr().err
    assert main(["keys", "--db", "office.sqlite3"]) == 4  # no key yet
    assert "no key yet" in capsys.readouterr().out
    assert main(["keys", "init", "--db", "office.sqlite3", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert re.match(r"^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$", doc["fingerprint"]) and doc["kind"] == "office"
    assert main(["keys", "show", "--db", "office.sqlite3", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["fingerprint"] == doc["fingerprint"]
    Path("junk.mepkg").write_bytes(b"junk")
    code = main(["merge", "junk.mepkg", "--db", "office.sqlite3", "--json"])
    out, err = capsys.readouterr()
    assert code == 2 and json.loads(out)["packages"][0]["status"] == "rejected"
    assert "REJECTED" not in err  # the report is on stdout
    code = main(["kit", "import", "missing.mekit", "--db", "field.sqlite3"])
    assert code != 0 and "The kit file missing.mekit does not exist" in capsys.readouterr().err
    monkeypatch.delenv("EVALUATOR_PASSPHRASE")
    code = main(["merge", "junk.mepkg", "--db", "office.sqlite3"])  # not a package: said without the key
    assert code == 2 and "is not a Maeul Evaluator result package" in capsys.readouterr().out
    from evaluator.packages.envelope import seal

    with Store("sqlite:///office.sqlite3") as st:  # an envelope to this office: only its key can open it
        Path("sealed.mepkg").write_bytes(seal(b"not an archive", st.keys.identity()))
    code = main(["merge", "sealed.mepkg", "--db", "office.sqlite3"])
    assert code != 0 and "passphrase is needed" in capsys.readouterr().err
    assert main(["conflicts", "--db", "office.sqlite3", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["items"] == []
    code = main(["conflicts", "resolve", "7", "--take", "other", "--db", "office.sqlite3"])
    assert code == 4 and "no merge conflict 7" in capsys.readouterr().err

