"""The remodelling social-housing call run end to end from the shipped file, without code (issue 18's
"done means"): program create, the intake sheet, evaluators, automatic assignment, kits, scoring in
the field on each evaluator's own field database through the store, signed packages, merge, the
ranking with computed amounts under the threshold-budget selection, the round's sign-off, and the
Excel ranking and the committee summary PDF read back.  The levels each evaluator gives are those of
the hand-computed table (tests/core/rules_fixtures.py), so the outcome is known exactly."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from evaluator.store import Store

from .program_fixtures import EXAMPLE_EVALUATORS, calls, run
from .reports_fixtures import read_pdf, squash
from .rules_fixtures import INTAKE, OPERATORS

pytestmark = pytest.mark.plain_sqlite
OFFICE_PASS = "office passphrase, long and secret"
EV_PASS = "evaluator passphrase, also long"
LEVEL = {o.id: o.level for o in OPERATORS}
BY_ID = {o.id: o for o in OPERATORS}


def _score_in_the_field(fld: Store, evaluator: str) -> int:
    """On the evaluator's laptop: a visit, every criterion at the table's level, finalised."""
    n = 0
    for a in fld.people.assignments(evaluator=evaluator):
        if a.conflict_type is not None:
            continue
        rd = fld.programs.rubric(fld.applications.get(a.application_id).track)
        for c in rd.criteria:
            fld.scoring.save_score(a.application_id, evaluator, c.code, level=LEVEL[a.application_id])
        fld.scoring.save_visit(a.application_id, evaluator, attendees="사업자 대표 외 1명",
                               checklist={c.code: True for c in rd.checklist}, notes="건축물 현장 확인.")
        fld.scoring.finalise(a.application_id, evaluator)
        n += 1
    return n


def test_the_remodelling_call_runs_end_to_end_from_the_shipped_file(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "office.pass").write_text(OFFICE_PASS + "\n", encoding="utf-8")
    (tmp_path / "ev.pass").write_text(EV_PASS + "\n", encoding="utf-8")
    office = ["--db", "office.sqlite3"]
    assert run(capsys, "init", *office)[0] == 0
    folder = calls(tmp_path)
    code, out, _ = run(capsys, "program", "create", folder / "programs" / "seoul-remodel-social-housing-2017.toml",
                       *office)
    assert code == 0 and "3 rounds" in out
    code, out, _ = run(capsys, "import", "applications", INTAKE, *office)
    assert code == 0 and "added 14" in out and "In round 2: 14." in out
    assert run(capsys, "evaluators", "import", EXAMPLE_EVALUATORS, *office)[0] == 0
    code, out, _ = run(capsys, "assign", "--auto", "--per-application", "3", *office, "--json")
    assert code == 0 and len(json.loads(out)["added"]) == 14 * 3
    # kits out, scores in the field, signed packages back
    assert run(capsys, "keys", "init", *office, "--passphrase-file", "office.pass")[0] == 0
    scored = 0
    for ev in ("EV01", "EV02", "EV03"):
        code, out, _ = run(capsys, "kit", "export", "--evaluator", ev, "--out", f"{ev}.mekit", *office,
                           "--passphrase-file", "office.pass", "--json")
        assert code == 0 and json.loads(out)["program"] == "seoul-remodel-2017"
        monkeypatch.setenv("EVALUATOR_DB_PASSPHRASE", f"laptop of {ev}")
        field = ["--db", f"{ev}.sqlite3"]
        assert run(capsys, "kit", "import", f"{ev}.mekit", *field)[0] == 0
        assert run(capsys, "keys", "init", *field, "--passphrase-file", "ev.pass", "--key-dir", f"keys-{ev}")[0] == 0
        with Store(f"sqlite:///{ev}.sqlite3", passphrase=f"laptop of {ev}") as fld:
            scored += _score_in_the_field(fld, ev)
        assert run(capsys, "package", "export", "--out", f"{ev}-1.mepkg", *field, "--passphrase-file", "ev.pass",
                   "--key-dir", f"keys-{ev}")[0] == 0
        assert run(capsys, "keys", "export-public", f"{ev}.pub", *field, "--key-dir", f"keys-{ev}")[0] == 0
        monkeypatch.delenv("EVALUATOR_DB_PASSPHRASE")
        assert run(capsys, "keys", "register", ev, f"{ev}.pub", *office)[0] == 0
    assert scored == 14 * 3
    code, out, _ = run(capsys, "merge", "EV01-1.mepkg", "EV02-1.mepkg", "EV03-1.mepkg", *office,
                       "--passphrase-file", "office.pass", "--json")
    assert code == 0 and [p["status"] for p in json.loads(out)["packages"]] == ["merged"] * 3
    # the ranking: gates, computed amounts, the threshold-budget selection with fill
    code, out, _ = run(capsys, "rank", "--round", "2", *office, "--json")
    ranked = json.loads(out)
    assert code == 0 and ranked["recorded"] and not ranked["signed_off"]
    (track,) = ranked["tracks"]
    assert (track["selection"], track["fill"], track["budget"], track["budget_used"]) == (
        "threshold-budget", True, 600_000_000, 596_000_000)
    rows = {a["application_id"]: a for a in ranked["applications"]}
    assert [i for i, a in rows.items() if a["decision"] == "selected"] == [
        "2017-2-R-04", "2017-2-R-01", "2017-2-R-02", "2017-2-R-05"]
    for o in OPERATORS:
        a = rows[o.id]
        if o.fails:
            assert (a["decision"], a["failed_gates"]) == ("ineligible", [o.fails])
        else:
            assert (a["support"]["awarded"], a["support"]["cap"], a["support"]["limited_by"]) == (
                o.awarded, o.cap, o.limited_by)
    assert rows["2017-2-R-14"]["decision"] == "not_selected"
    assert "지원금 168,000,000원이 남은 예산 124,000,000원 초과" in rows["2017-2-R-14"]["reason_ko"]
    # the committee signs the round off; its ranking is then frozen, amounts included
    code, out, _ = run(capsys, "round", "sign-off", "2", "--by", "선정위원장 김위원", "--note", "2017-10-20 위원회",
                       *office, "--passphrase-file", "office.pass")
    assert code == 0 and "is signed off by 선정위원장 김위원" in out
    code, out, _ = run(capsys, "rank", "--round", "2", *office, "--json")
    frozen = json.loads(out)
    assert frozen["signed_off"] and {a["application_id"]: (a["decision"], (a.get("support") or {}).get("awarded"))
                                     for a in frozen["applications"]} == {
        i: (a["decision"], (a.get("support") or {}).get("awarded")) for i, a in rows.items()}
    # each selected operator is awarded its computed support amount, not what it asked for
    with Store("sqlite:///office.sqlite3") as st:
        assert {a.application_id: a.amount for a in st.awards.list()} == {
            "2017-2-R-04": 150_000_000, "2017-2-R-01": 200_000_000, "2017-2-R-02": 126_000_000,
            "2017-2-R-05": 120_000_000}
    # the Excel ranking and the committee summary, read back
    # (the English layout: keys in row 1, decisions as codes; the Korean default is tested in test_excel_lang.py)
    assert run(capsys, "export", "ranking", "ranking-2.xlsx", "--round", "2", "--lang", "en", *office)[0] == 0
    wb = load_workbook("ranking-2.xlsx", read_only=True)
    meta = {r[0]: r[1] for r in wb["_meta"].iter_rows(values_only=True) if r and r[0]}
    sheet = list(wb["remodel"].iter_rows(values_only=True))
    wb.close()
    assert str(meta.get("round")) == "2" and str(meta.get("signed_off")).lower() in ("true", "1")
    head = sheet[0]
    by_id = {r[head.index("application_id")]: dict(zip(head, r)) for r in sheet[1:]}
    r4 = by_id["2017-2-R-04"]
    assert (r4["decision"], r4["requested_amount"], r4["awarded_amount"], r4["support_rate"], r4["support_cap"],
            r4["support_limited_by"]) == ("selected", 200_000_000, 150_000_000, 0.7, 150_000_000, "cap")
    assert by_id["2017-2-R-12"]["failed_gates"] == "rent" and by_id["2017-2-R-12"]["awarded_amount"] is None
    code, _, _ = run(capsys, "report", "summary", "--round", "2", "--out", "summary-2.pdf", *office)
    assert code == 0
    text = squash(read_pdf(tmp_path / "summary-2.pdf").text)
    assert squash("산정 지원금") in text and "74,074,000" in text and "596,000,000" in text
    assert squash("기준 점수·예산 600,000,000원") in text  # the cut line names the selection
    assert squash("접수일 기준 12년, 15년 이상 필요") in text
    code, out, _ = run(capsys, "audit", "verify", *office)
    assert code == 0 and "sign off" in out
