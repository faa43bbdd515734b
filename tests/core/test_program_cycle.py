"""An office's year as data, end to end through the command line, with no demo:

* the whole cycle from an empty database — init, program create, an intake sheet with Korean headers
  and a program-defined typed field, evaluators, automatic assignment, kits, scoring in the field,
  packages, merge, rank, the round's sign-off, exports and PDFs;
* a rolling program over three rounds: each application lands in its round, budgets carry over, and
  a signed-off round's decisions stay byte-identical whatever happens after (later rounds ranked, a
  corrected intake sheet, a late package merged, new settings), changed only by an override with
  its reason, audited.
"""

from __future__ import annotations

import json
import re
import sqlite3

import pytest
from openpyxl import load_workbook

from evaluator.store import Store

from .packages_fixtures import enter_scores
from .program_fixtures import EXAMPLE_EVALUATORS, EXAMPLE_INTAKE, app_row, calls, intake_sheet, run
from .reports_fixtures import read_pdf, squash

pytestmark = pytest.mark.plain_sqlite
OFFICE_PASS = "office passphrase, long and secret"
EV_PASS = "evaluator passphrase, also long"


def _json(out: str):
    """A command's JSON document; a list's items (list documents are {"schema": …, "items": […]})."""
    doc = json.loads(out)
    return doc["items"] if isinstance(doc, dict) and set(doc) == {"schema", "items"} else doc


def _decisions(path) -> list[tuple]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("SELECT a.external_id, d.computed, d.computed_reason, d.computed_rank, d.computed_score, "
                           "d.computed_method, d.computed_at, d.override FROM decision d JOIN application a ON "
                           "a.id = d.application_id ORDER BY a.external_id").fetchall()
    finally:
        con.close()


def test_the_whole_cycle_from_an_empty_database_without_the_demo(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "office.pass").write_text(OFFICE_PASS + "\n", encoding="utf-8")
    (tmp_path / "ev.pass").write_text(EV_PASS + "\n", encoding="utf-8")
    office = ["--db", "office.sqlite3"]
    assert run(capsys, "init", *office)[0] == 0
    folder = calls(tmp_path)
    code, out, _ = run(capsys, "program", "create", folder / "programs" / "seoul-cbp-2013-rolling.toml", *office)
    assert code == 0 and "3 rounds" in out and "It is now the current program." in out
    # the intake sheet: title rows, Korean headers, amounts with 원, dotted dates, a total row, typed fields
    code, out, _ = run(capsys, "import", "applications", EXAMPLE_INTAKE, *office)
    assert code == 0 and "added 8" in out and "In round 2: 8." in out  # submitted in late April 2013: 2차
    code, out, _ = run(capsys, "applications", *office, "--json")
    assert {a["round"] for a in _json(out)} == {"2"}
    with Store("sqlite:///office.sqlite3") as st:
        app = st.applications.get("2013-2-S-02")
        assert app.fields == {"founded_year": 2012, "group_type": "협동조합", "funded_before": False,
                              "treasurer_phone": "010-0201-1006"}
        assert app.requested_amount == 18_000_000 and app.extra == {}
    code, out, _ = run(capsys, "evaluators", "import", EXAMPLE_EVALUATORS, *office)
    assert code == 0 and "added 3 evaluators" in out
    code, out, _ = run(capsys, "assign", "--auto", "--per-application", "3", *office, "--json")
    plan = _json(out)
    assert len(plan["added"]) == 24 and set(plan["loads"].values()) == {8}
    likely = {(c["application_id"], c["evaluator"]) for c in plan["likely_conflicts"]}
    assert ("2013-2-S-03", "EV03") in likely  # EV03's organisation is that applicant group
    assert run(capsys, "recuse", "2013-2-S-03", "EV03", "--type", "institutional", "--note", "소속 단체", *office)[0] == 0
    # kits out, scores in the field, packages back
    assert run(capsys, "keys", "init", *office, "--passphrase-file", "office.pass")[0] == 0
    for ev in ("EV01", "EV02", "EV03"):
        code, out, _ = run(capsys, "kit", "export", "--evaluator", ev, "--out", f"{ev}.mekit", *office,
                           "--passphrase-file", "office.pass", "--json")
        kit = _json(out)
        assert code == 0 and kit["program"] == "seoul-cbp-2013"
        assert len(kit["applications"]) == (7 if ev == "EV03" else 8)
        monkeypatch.setenv("EVALUATOR_DB_PASSPHRASE", f"laptop of {ev}")
        field = ["--db", f"{ev}.sqlite3"]
        assert run(capsys, "kit", "import", f"{ev}.mekit", *field)[0] == 0
        assert run(capsys, "keys", "init", *field, "--passphrase-file", "ev.pass", "--key-dir", f"keys-{ev}")[0] == 0
        with Store(f"sqlite:///{ev}.sqlite3", passphrase=f"laptop of {ev}") as fld:
            enter_scores(fld, ev, via_facade=2)
        assert run(capsys, "package", "export", "--out", f"{ev}-1.mepkg", *field, "--passphrase-file", "ev.pass",
                   "--key-dir", f"keys-{ev}")[0] == 0
        assert run(capsys, "keys", "export-public", f"{ev}.pub", *field, "--key-dir", f"keys-{ev}")[0] == 0
        monkeypatch.delenv("EVALUATOR_DB_PASSPHRASE")
        assert run(capsys, "keys", "register", ev, f"{ev}.pub", *office)[0] == 0
    code, out, _ = run(capsys, "merge", "EV01-1.mepkg", "EV02-1.mepkg", "EV03-1.mepkg", *office,
                       "--passphrase-file", "office.pass", "--json")
    assert code == 0 and [p["status"] for p in _json(out)["packages"]] == ["merged"] * 3
    # rank the round, sign it off, export and print
    code, out, _ = run(capsys, "rank", "--round", "2", *office, "--json")
    ranked = _json(out)
    assert code == 0 and ranked["round"] == "2" and ranked["recorded"] and not ranked["signed_off"]
    assert {t["track"]: (t["quota"], t["budget"]) for t in ranked["tracks"]} == {
        "activity": (4, 120_000_000), "space": (3, 150_000_000)}
    assert all(a["evaluations"] >= 2 for a in ranked["applications"])
    code, out, _ = run(capsys, "round", "sign-off", "2", "--by", "선정위원장 김위원", "--note", "2013-06-05 위원회",
                       *office, "--passphrase-file", "office.pass")
    assert code == 0 and "is signed off by 선정위원장 김위원" in out
    code, out, _ = run(capsys, "rank", "--round", "2", *office, "--json")
    assert _json(out)["signed_off"]
    assert run(capsys, "export", "ranking", "ranking-2.xlsx", "--round", "2", *office)[0] == 0
    wb = load_workbook("ranking-2.xlsx", read_only=True)
    meta = {r[0]: r[1] for r in wb["_meta"].iter_rows(values_only=True) if r and r[0]}
    # (a Korean workbook: the track's sheet is found by its stable key, its columns by theirs, in _meta)
    keys = {r[2] for r in wb["_meta"].iter_rows(values_only=True) if len(r) > 6 and r[6] == "activity"}
    assert "group_type" in keys and "treasurer_phone" not in keys  # personal data stays out
    wb.close()
    assert str(meta.get("round")) == "2" and str(meta.get("signed_off")).lower() in ("true", "1")
    for kind in ("summary", "aggregate", "sheets"):
        code, out, _ = run(capsys, "report", kind, "--out", f"{kind}.pdf", *office)
        assert code == 0 and (tmp_path / f"{kind}.pdf").read_bytes().startswith(b"%PDF")
    # the dossier shows the program's typed fields and its own category names
    assert run(capsys, "report", "dossier", "--application", "2013-2-S-02", "--out", "dossier.pdf", *office)[0] == 0
    text = squash(read_pdf(tmp_path / "dossier.pdf").text)
    assert squash("공모의 접수 항목") in text and squash("단체유형 협동조합") in text
    assert squash("이전 지원 여부 아니오") in text and squash("공동육아·돌봄") in text
    code, out, _ = run(capsys, "audit", "verify", *office)
    assert code == 0 and "sign off" in out


def _office_with_three_rounds(tmp_path, capsys) -> list[str]:
    office = ["--db", str(tmp_path / "office.sqlite3")]
    assert run(capsys, "init", *office)[0] == 0
    assert run(capsys, "program", "create", calls(tmp_path) / "programs" / "seoul-cbp-2013-rolling.toml",
               *office)[0] == 0
    rows = []
    for rnd, month in (("1", "02"), ("2", "05"), ("3", "08")):
        for i in range(1, 7):
            track = "activity" if i <= 3 else "space"
            amount = f"{(40 if track == 'activity' else 60) + i * 5},000,000원"
            rows.append(app_row(f"2013-{rnd}-{i:02d}", track, f"2013.{month}.{10 + i:02d}", amount=amount))
    assert run(capsys, "import", "applications", intake_sheet(tmp_path / "year.xlsx", rows), *office)[0] == 0
    assert run(capsys, "evaluators", "import", EXAMPLE_EVALUATORS, *office)[0] == 0
    assert run(capsys, "assign", "--auto", *office)[0] == 0
    with Store(f"sqlite:///{tmp_path / 'office.sqlite3'}") as st:
        for ev in ("EV01", "EV02", "EV03"):
            enter_scores(st, ev, via_facade=0)
    return office


def test_a_rolling_program_over_three_rounds_keeps_signed_off_decisions_byte_identical(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    office = _office_with_three_rounds(tmp_path, capsys)
    db = tmp_path / "office.sqlite3"
    code, out, _ = run(capsys, "round", "list", *office, "--json")
    assert [(r["code"], r["applications"], r["current"]) for r in _json(out)] == [
        ("1", 6, True), ("2", 6, False), ("3", 6, False)]
    (tmp_path / "office.pass").write_text(OFFICE_PASS, encoding="utf-8")
    code, _, err = run(capsys, "round", "sign-off", "1", "--by", "위원장", *office, "--passphrase-file", "office.pass")
    assert code != 0 and "office has no key yet" in err and "evaluator keys init" in err
    assert run(capsys, "keys", "init", *office, "--passphrase-file", "office.pass")[0] == 0
    code, first, _ = run(capsys, "rank", *office, "--json")  # the current round: 1
    first = json.loads(first)
    assert first["round"] == "1" and {a["application_id"][:6] for a in first["applications"]} == {"2013-1"}
    assert run(capsys, "round", "sign-off", "1", "--by", "위원장", *office, "--passphrase-file", "office.pass")[0] == 0
    code, frozen, _ = run(capsys, "rank", "--round", "1", *office, "--json")
    rows_1 = {r[0]: r for r in _decisions(db) if r[0].startswith("2013-1")}
    awarded = {t: sum(int(re.sub(r"\D", "", str(a["requested_amount"]))) for a in first["applications"]
                      if a["track"] == t and a["decision"] == "selected") for t in ("activity", "space")}
    # the sign-off made the awards (the requested amounts here); the office lowers one before the
    # agreement, and the next round's budget draws on the award as it stands
    lowered = next(a for a in first["applications"] if a["track"] == "activity" and a["decision"] == "selected")
    requested = int(re.sub(r"\D", "", str(lowered["requested_amount"])))
    assert run(capsys, "awards", "set", lowered["application_id"], "--amount", str(requested - 1_000_000),
               "--reason", "자부담 증액 협의", *office)[0] == 0
    awarded["activity"] -= 1_000_000
    # the next round: its budget is its own plus what round 1 left of its own (carry-over)
    code, out, _ = run(capsys, "round", "list", *office, "--json")
    r2 = next(r for r in _json(out) if r["code"] == "2")
    assert r2["current"]
    assert {t["track"]: t["available"] for t in r2["tracks"]} == {
        "activity": 120_000_000 + 120_000_000 - awarded["activity"],
        "space": 150_000_000 + 150_000_000 - awarded["space"]}
    code, out, _ = run(capsys, "rank", "--round", "2", *office, "--json")
    assert {t["track"]: t["budget"] for t in _json(out)["tracks"]} == {
        t["track"]: t["available"] for t in r2["tracks"]}
    assert run(capsys, "round", "sign-off", "2", "--by", "위원장", *office, "--passphrase-file", "office.pass")[0] == 0
    # everything that happens later leaves round 1's decisions as they were signed off
    assert run(capsys, "rank", "--round", "3", *office)[0] == 0
    assert run(capsys, "settings", "--method", "median", "--disagreement-threshold", "5", *office)[0] == 0
    with Store(f"sqlite:///{db}") as st:  # a late evaluation changes a round-1 score
        a = next(x for x in st.people.assignments() if x.application_id == "2013-1-01" and x.state == "finalised")
        st.scoring.reopen(a.application_id, a.evaluator, "늦게 도착한 현장 확인")
        rd = st.programs.rubric("activity")
        for c in rd.criteria:
            st.scoring.save_score(a.application_id, a.evaluator, c.code, level=rd.levels[-1].key)
        st.scoring.finalise(a.application_id, a.evaluator)
    corrected = intake_sheet(tmp_path / "corrected.xlsx", [app_row("2013-1-02", "activity", "2013.02.12",
                                                                   amount="1,000,000원")])
    assert run(capsys, "import", "applications", corrected, *office)[0] == 0
    assert run(capsys, "rank", "--round", "3", *office)[0] == 0
    code, again, _ = run(capsys, "rank", "--round", "1", *office, "--json")
    assert again == frozen  # byte-identical, computed_at included
    assert {r[0]: r for r in _decisions(db) if r[0].startswith("2013-1")} == rows_1
    # moving a signed-off round's application into another round is refused
    moved = intake_sheet(tmp_path / "moved.xlsx", [app_row("2013-1-03", "activity", "2013.05.30")])
    code, _, err = run(capsys, "import", "applications", moved, *office)
    assert code == 2 and "would move from round 1 to round 2, but round 1 was signed off" in err
    # an override after the sign-off needs its reason, and says so in the audit trail
    target = next(a["application_id"] for a in json.loads(frozen)["applications"] if a["decision"] != "selected")
    code, _, err = run(capsys, "override", target, "selected", "--reason", "", *office)
    assert code == 2 and "written reason" in err
    assert run(capsys, "override", target, "selected", "--reason", "위원회 재심의", *office)[0] == 0
    code, out, _ = run(capsys, "rank", "--round", "1", *office, "--json")
    row = next(a for a in _json(out)["applications"] if a["application_id"] == target)
    assert (row["decision"], row["override_reason"]) == ("selected", "위원회 재심의")
    assert "위원회 재심의" in row["reason"] and "overridden" in row["flags"]
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        entry = con.execute("SELECT new FROM audit_event WHERE action = 'override' ORDER BY id DESC").fetchone()[0]
    finally:
        con.close()
    assert json.loads(entry)["after_sign_off"] == "1"
    code, _, err = run(capsys, "round", "sign-off", "1", "--by", "위원장", *office, "--passphrase-file", "office.pass")
    assert code == 2 and "was already signed off" in err
    code, _, err = run(capsys, "round", "open", "1", *office)
    assert code == 2 and "cannot be opened again" in err
    code, out, _ = run(capsys, "audit", "verify", *office, "--json")
    assert code == 0 and _json(out)["anchors"] == 2


def test_a_closed_round_takes_no_new_application_and_round_names_are_accepted(tmp_path, capsys):
    office = ["--db", str(tmp_path / "office.sqlite3")]
    assert run(capsys, "init", *office)[0] == 0
    assert run(capsys, "program", "create", calls(tmp_path) / "programs" / "seoul-cbp-2013-rolling.toml",
               *office)[0] == 0
    code, out, _ = run(capsys, "round", "close", "2차", *office)
    assert code == 0 and "Round 2 (2차) is closed." in out
    code, _, err = run(capsys, "import", "applications", EXAMPLE_INTAKE, *office)
    assert code == 2 and "a new application cannot join round 2 (2차), which is closed for intake" in err
    assert run(capsys, "round", "open", "2", *office)[0] == 0
    assert run(capsys, "import", "applications", EXAMPLE_INTAKE, *office)[0] == 0
    # a 차수 column places an application whatever its date
    sheet = intake_sheet(tmp_path / "with-round.xlsx", [app_row("2013-X-01", "space", "2013.04.26") + ["3차"]],
                         header=None)
    wb = load_workbook(sheet)
    wb.active.cell(row=3, column=17, value="차수")
    wb.save(sheet)
    assert run(capsys, "import", "applications", sheet, *office)[0] == 0
    code, out, _ = run(capsys, "applications", "--round", "3", *office, "--json")
    assert [a["id"] for a in _json(out)] == ["2013-X-01"]


def test_a_sign_off_freezes_the_round_on_both_engines(any_db_url, tmp_path):
    """The façade on SQLite and PostgreSQL: a rolling program's round ranked, signed off with the
    office key, and given back frozen — equal field for field — after the settings change."""
    from evaluator.ranking import frozen

    keys = tmp_path / "keys"
    with Store(any_db_url) as st:
        st.programs.create_from_file(calls(tmp_path) / "programs" / "seoul-cbp-2013-rolling.toml")
        st.excel.import_applications(EXAMPLE_INTAKE)
        st.excel.import_evaluators(EXAMPLE_EVALUATORS)
        assert len(st.people.auto_assign(3).value.added) == 24
        for ev in ("EV01", "EV02", "EV03"):
            enter_scores(st, ev, via_facade=1)
        st.keys.ensure(OFFICE_PASS, key_dir=keys)
        ranked = st.ranking.record(round="2").value
        signed = st.rounds.sign_off("2", by="위원장", note="의결", key_dir=keys).value
        assert signed.signed_off and signed.signed_off_by == "위원장" and not st.rounds.get("2").current
        assert [r.code for r in st.rounds.list() if r.current] == ["3"]
        st.ranking.set_settings(method="median", min_score=90)
        again = st.ranking.rank(round="2")
        assert again.signed_off and again.method == ranked.method
        assert [(r.application_id, r.decision, r.score, r.reason) for r in again.all_rows()] == \
               [(r.application_id, r.decision, r.score, r.reason) for r in ranked.all_rows()]
        assert frozen.from_json(frozen.to_json(again)) == again
        assert st.verify_audit().ok and st.verify_audit().anchors == 1


def test_scores_are_saved_in_the_program_the_store_works_on_on_both_engines(any_db_url, tmp_path):
    """The autosave finds its program in plain statements (not the ORM): the database's current
    program, the newest one when the current one is archived, ``--program`` when given — the same
    program as every other command, on SQLite and PostgreSQL (whose driver decodes the JSON
    setting itself)."""
    from evaluator.paths import resource
    from evaluator.services import autosave
    from evaluator.services.common import current_program

    def agree(st) -> int:  # noqa: ANN001
        with st.uow.read() as s:
            assert autosave.program_id(s) == current_program(s).id
            return current_program(s).code

    with Store(any_db_url) as st:
        st.programs.create_from_file(calls(tmp_path) / "programs" / "seoul-cbp-2013-rolling.toml")
        st.excel.import_applications(EXAMPLE_INTAKE)
        st.excel.import_evaluators(EXAMPLE_EVALUATORS)
        st.people.auto_assign(3)
        assert agree(st) == "seoul-cbp-2013"
        st.programs.create_from_file(resource("programs", "seoul-cbp-2012.toml"))
        assert agree(st) == "seoul-cbp-2012-1"  # a new program becomes the current one
        st.programs.use("seoul-cbp-2013")
        assert agree(st) == "seoul-cbp-2013"
        a = st.people.assignments(evaluator="EV01")[0]
        enter_scores(st, "EV01", via_facade=1)  # saved in the rolling program, where EV01 is assigned
        assert st.scoring.evaluation(a.application_id, "EV01") is not None
        st.programs.use("seoul-cbp-2012-1")
        st.programs.archive("seoul-cbp-2012-1")
        assert agree(st) == "seoul-cbp-2013"  # the current one archived: the newest left
        st.uow.program = "seoul-cbp-2012-1"  # --program: an archived program may still be named
        assert agree(st) == "seoul-cbp-2012-1"
