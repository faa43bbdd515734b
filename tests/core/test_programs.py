"""Programs as data: program files, several programs in one database, program updates, evaluators,
automatic assignment, eligibility gates and withdrawals — through the command line, on real
SQLite files and real xlsx files."""

from __future__ import annotations

import json
from datetime import date

import pytest

from evaluator.errors import ProgramFileError
from evaluator.programfile import load_program_file, parse_program
from evaluator.store import Store

from .program_fixtures import (
    DEMO_PROGRAM, EXAMPLE_EVALUATORS, EXAMPLE_INTAKE, ROLLING, app_row, calls, dump, evaluators_sheet, intake_sheet,
    program_file, rolling_text, run,
)

pytestmark = pytest.mark.plain_sqlite


def _json(out: str):
    """A command's JSON document; a list's items (list documents are {"schema": …, "items": […]})."""
    doc = json.loads(out)
    return doc["items"] if isinstance(doc, dict) and set(doc) == {"schema", "items"} else doc


def _db(tmp_path, capsys) -> str:
    db = tmp_path / "office.sqlite3"
    assert run(capsys, "init", "--db", db)[0] == 0
    return str(db)


# --- the program file -----------------------------------------------------------------------------
def test_the_shipped_program_files_are_valid_and_say_what_the_issue_asks():
    demo = load_program_file(DEMO_PROGRAM)
    assert demo.code == "seoul-cbp-2012-1" and demo.intake == "fixed"
    assert [(t.code, t.quota, t.reserve_size, t.min_score) for t in demo.tracks] == [
        ("activity", 10, 3, 60.0), ("space", 9, 3, 60.0)]
    assert (demo.ranking["method"], demo.ranking["trim_min_evaluators"]) == ("trimmed", 5)
    rolling = load_program_file(ROLLING)
    assert rolling.intake == "rolling" and [r.name_ko for r in rolling.rounds] == ["1차", "2차", "3차"]
    assert [(r.opens_on.month, r.closes_on.month) for r in rolling.rounds] == [(1, 3), (4, 6), (7, 10)]
    assert all(set(r.tracks) == {"activity", "space"} and all(t.budget for t in r.tracks.values())
               for r in rolling.rounds)
    assert [r.code for r in rolling.rounds if r.holds(date(2013, 4, 26))] == ["2"]
    # the rubric files are named by relative path and their versions recorded
    assert {t.rubric_file for t in rolling.tracks} == {"../rubrics/activity.toml", "../rubrics/space.toml"}
    assert len(rolling.content_hash) == 64 and rolling.version == rolling.content_hash[:12]


def test_a_program_file_reports_every_problem_at_once_with_file_and_key(tmp_path):
    text = rolling_text(**{
        'intake = "rolling"': 'intake = "rolling"\nofice_ko = "오타"',
        'quota = 12 ': 'quota = -1 ',
        'rubric = "../rubrics/space.toml"': 'rubric = "../rubrics/missing.toml"',
        'closes_on = 2013-03-31': 'closes_on = 2013-04-15',  # overlaps 2차
        'type = "year"': 'type = "yaer"',
        '[rounds.tracks.space]\nquota = 3\nbudget = 150_000_000\n\n[[rounds]]\ncode = "2"':
            '[rounds.tracks.spaec]\nquota = 3\n\n[[rounds]]\ncode = "2"',
    })
    with pytest.raises(ProgramFileError) as err:
        parse_program(text, source_name="call.toml", base_dir=calls(tmp_path) / "programs")
    where = {p.field: p.message for p in err.value.problems}
    assert str(err.value).startswith("Program file call.toml has 6 problems:")
    assert where["ofice_ko"] == "is not a known key (typo?)"
    assert where["tracks[0].quota"] == "must be at least 0, got -1"
    assert "missing.toml" in where["tracks[1].rubric"] and "does not exist" in where["tracks[1].rubric"]
    assert where["fields[0].type"].startswith("must be one of text, integer, money")
    assert "'spaec' is not a track of this program" in where["rounds[0].tracks.spaec"]
    assert "overlaps round '1'" in where["rounds[1].opens_on"]
    assert all(p.file == "call.toml" and p.code.startswith("program.") for p in err.value.problems)
    assert "call.toml, tracks[1] (space).rubric" in str(err.value)


def test_a_rubric_file_with_errors_is_reported_inside_the_program_files_problems(tmp_path):
    folder = calls(tmp_path)
    bad = (folder / "rubrics" / "space.toml").read_text(encoding="utf-8").replace("max = 20", "max = -20", 1)
    (folder / "rubrics" / "space.toml").write_text(bad, encoding="utf-8")
    with pytest.raises(ProgramFileError) as err:
        load_program_file(folder / "programs" / "seoul-cbp-2013-rolling.toml")
    assert any(p.file == "space.toml" and p.field.endswith(".max") for p in err.value.problems)


def test_program_create_with_errors_a_duplicate_code_or_an_unknown_program_changes_nothing(tmp_path, capsys):
    db = _db(tmp_path, capsys)
    bad = program_file(tmp_path, "bad.toml", rolling_text(**{'quota = 9': 'quota = "nine"'}))
    before = dump(tmp_path / "office.sqlite3")
    code, out, err = run(capsys, "program", "create", bad, "--db", db)
    assert code == 2 and "bad.toml, tracks[1] (space).quota: must be a whole number, got 'nine'" in err
    assert dump(tmp_path / "office.sqlite3") == before
    good = calls(tmp_path) / "programs" / "seoul-cbp-2013-rolling.toml"
    assert run(capsys, "program", "create", good, "--db", db)[0] == 0
    before = dump(tmp_path / "office.sqlite3")
    code, out, err = run(capsys, "program", "create", good, "--db", db, "--json")
    assert code == 2 and "already has a program 'seoul-cbp-2013'" in err
    assert _json(out)["problems"][0]["field"] == "code"
    code, _, err = run(capsys, "applications", "--program", "no-such-call", "--db", db)
    assert code == 4 and err.strip() == ("error: There is no program 'no-such-call' in this database "
                                         "(programs: seoul-cbp-2013).")
    code, _, err = run(capsys, "--program", "nope", "round", "list", "--db", db)  # before the verb as well
    assert code == 4 and "There is no program 'nope'" in err
    assert dump(tmp_path / "office.sqlite3") == before


def test_an_application_whose_date_falls_in_no_round_is_named_and_nothing_is_imported(tmp_path, capsys):
    db = _db(tmp_path, capsys)
    assert run(capsys, "program", "create", calls(tmp_path) / "programs" / "seoul-cbp-2013-rolling.toml",
               "--db", db)[0] == 0
    sheet = intake_sheet(tmp_path / "late.xlsx", [
        app_row("2013-X-01", "activity", "2013.04.26"),
        app_row("2013-X-02", "space", "2013.11.05"),  # after 3차 closes
        app_row("2013-X-03", "space", "2013.05.02", founded="작년", group_type="동호회"),
    ])
    before = dump(tmp_path / "office.sqlite3")
    code, out, err = run(capsys, "import", "applications", sheet, "--db", db, "--json")
    assert code == 2
    problems = _json(out)["problems"]
    assert {(p["row"], p["field"], p["code"]) for p in problems} == {
        (5, "submitted_on", "intake.no_round_for_date"), (6, "founded_year", "value.not_year"),
        (6, "group_type", "value.unknown_label")}
    assert "submitted on 2013-11-05, which falls in no round of program 'seoul-cbp-2013' (rounds: 1 2013-01-02 – " \
           "2013-03-31, 2 2013-04-01 – 2013-06-30, 3 2013-07-01 – 2013-10-31)" in err
    assert "Sheet '접수현황' row 6, column 설립연도: '작년' is not a year (e.g. 2010)" in err
    assert dump(tmp_path / "office.sqlite3") == before


# --- several programs in one database -------------------------------------------------------------
def test_two_programs_in_one_database_never_mix(tmp_path, capsys):
    db = _db(tmp_path, capsys)
    folder = calls(tmp_path)
    assert run(capsys, "program", "create", folder / "programs" / "seoul-cbp-2012.toml", "--db", db)[0] == 0
    assert run(capsys, "import", "applications", intake_sheet(tmp_path / "a.xlsx", [
        ["2012-A-001", "activity", "기타", "같은 번호", "모임", "", "", "", "종로구", 5, "1,000,000원", 0, "2012.04.01",
         "", "", ""]], header=None), "--db", db)[0] == 0
    assert run(capsys, "program", "create", folder / "programs" / "seoul-cbp-2013-rolling.toml", "--db", db)[0] == 0
    # the same application ID in both programs is two applications
    assert run(capsys, "import", "applications", intake_sheet(tmp_path / "b.xlsx", [
        app_row("2012-A-001", "space", "2013.04.26"), app_row("2013-2-S-09", "space", "2013.05.01")]),
        "--db", db)[0] == 0
    assert run(capsys, "evaluators", "import", EXAMPLE_EVALUATORS, "--db", db)[0] == 0
    assert run(capsys, "assign", "--auto", "--per-application", "2", "--db", db)[0] == 0  # the current: 2013
    code, out, _ = run(capsys, "program", "list", "--db", db, "--json")
    listed = {p["code"]: p for p in _json(out)}
    assert listed["seoul-cbp-2013"]["current"] and not listed["seoul-cbp-2012-1"]["current"]
    assert (listed["seoul-cbp-2013"]["applications"], listed["seoul-cbp-2012-1"]["applications"]) == (2, 1)
    code, out, _ = run(capsys, "applications", "--program", "seoul-cbp-2012-1", "--db", db, "--json")
    assert [(a["id"], a["track"], a["evaluators"]) for a in _json(out)] == [("2012-A-001", "activity", 0)]
    code, out, _ = run(capsys, "applications", "--db", db, "--json")
    assert {(a["id"], a["track"], a["evaluators"]) for a in _json(out)} == {
        ("2012-A-001", "space", 2), ("2013-2-S-09", "space", 2)}
    # loads count per program
    code, out, _ = run(capsys, "evaluators", "--program", "seoul-cbp-2012-1", "--db", db, "--json")
    assert {e["assigned"] for e in _json(out)} == {0}
    # a kit of one program carries only its applications; its package is refused by the other
    pass_file = tmp_path / "office.pass"
    pass_file.write_text("office passphrase, long and secret\n", encoding="utf-8")
    assert run(capsys, "keys", "init", "--db", db, "--passphrase-file", pass_file)[0] == 0
    code, out, _ = run(capsys, "kit", "export", "--evaluator", "EV01", "--out", tmp_path / "EV01.mekit", "--db", db,
                       "--json")
    kit = _json(out)
    assert code == 0 and kit["program"] == "seoul-cbp-2013" and set(kit["applications"]) <= {"2012-A-001",
                                                                                            "2013-2-S-09"}
    from evaluator.workflows import import_kit

    from .packages_fixtures import enter_scores

    field_db = tmp_path / "field.sqlite3"
    import_kit(tmp_path / "EV01.mekit", f"sqlite:///{field_db}")
    with Store(f"sqlite:///{field_db}") as fld:
        fld.keys.ensure("evaluator passphrase, long too")
        enter_scores(fld, "EV01")
        fld.packages.export_package(tmp_path / "EV01-1.mepkg")
        fld.keys.export_public(tmp_path / "EV01.pub")
    assert run(capsys, "keys", "register", "EV01", tmp_path / "EV01.pub", "--db", db)[0] == 0
    code, out, _ = run(capsys, "merge", tmp_path / "EV01-1.mepkg", "--program", "seoul-cbp-2012-1", "--db", db,
                       "--passphrase-file", pass_file, "--json")
    report = _json(out)["packages"][0]
    assert code == 2 and report["status"] == "rejected"
    assert "is for program 'seoul-cbp-2013', not this office's program 'seoul-cbp-2012-1'" in report["reason"]
    code, out, _ = run(capsys, "merge", tmp_path / "EV01-1.mepkg", "--db", db, "--passphrase-file", pass_file,
                       "--json")
    assert code == 0 and _json(out)["packages"][0]["status"] == "merged"
    code, out, _ = run(capsys, "packages", "--db", db, "--json")
    assert len(_json(out)) == 1
    code, out, _ = run(capsys, "packages", "--program", "seoul-cbp-2012-1", "--db", db, "--json")
    assert _json(out) == []
    # rankings and outputs stay apart
    code, out, _ = run(capsys, "rank", "--db", db, "--json", "--no-stability")
    assert {a["application_id"] for a in _json(out)["applications"]} == {"2012-A-001", "2013-2-S-09"}
    code, out, _ = run(capsys, "rank", "--program", "seoul-cbp-2012-1", "--db", db, "--json", "--no-stability")
    ranked = _json(out)["applications"]
    assert [(a["application_id"], a["track"], a["evaluations"]) for a in ranked] == [("2012-A-001", "activity", 0)]
    # `program use` switches every command's default; an archived program is nobody's default
    assert run(capsys, "program", "use", "seoul-cbp-2012-1", "--db", db)[0] == 0
    code, out, _ = run(capsys, "applications", "--db", db, "--json")
    assert [a["track"] for a in _json(out)] == ["activity"]
    assert run(capsys, "program", "archive", "seoul-cbp-2012-1", "--db", db)[0] == 0
    code, out, _ = run(capsys, "program", "show", "--db", db, "--json")
    assert _json(out)["code"] == "seoul-cbp-2013"
    code, _, err = run(capsys, "program", "use", "seoul-cbp-2012-1", "--db", db)
    assert code == 2 and "is archived" in err
    code, out, _ = run(capsys, "program", "show", "seoul-cbp-2012-1", "--db", db, "--json")
    assert code == 0 and _json(out)["archived"]


# --- program update -------------------------------------------------------------------------------
def test_program_update_says_what_changes_and_refuses_what_would_invalidate_work(tmp_path, capsys):
    db = _db(tmp_path, capsys)
    folder = calls(tmp_path)
    path = folder / "programs" / "seoul-cbp-2013-rolling.toml"
    assert run(capsys, "program", "create", path, "--db", db)[0] == 0
    # before any work: names, quotas, budgets and even the rubric may change
    path.write_text(rolling_text(**{'quota = 12 ': 'quota = 14 ', 'name_en = "Round 3"': 'name_en = "Third round"'})
                    .replace('rubric = "../rubrics/space.toml"', 'rubric = "../rubrics/space2.toml"'),
                    encoding="utf-8")
    space2 = (folder / "rubrics" / "space.toml").read_text(encoding="utf-8").replace('min_score = 60', 'min_score = 65')
    (folder / "rubrics" / "space2.toml").write_text(space2, encoding="utf-8")
    code, out, _ = run(capsys, "program", "update", path, "--dry-run", "--db", db)
    assert code == 0 and "would change in 3 ways" in out and "Dry run: nothing was written." in out
    assert "tracks[0] (activity).quota: 12 → 14" in out and "tracks[1] (space).rubric: version" in out
    before = dump(tmp_path / "office.sqlite3")
    assert run(capsys, "program", "update", path, "--dry-run", "--db", db)[0] == 0
    assert dump(tmp_path / "office.sqlite3") == before  # a dry run writes nothing
    code, out, _ = run(capsys, "program", "update", path, "--db", db, "--json")
    assert code == 0 and _json(out)["applied"]
    code, out, _ = run(capsys, "program", "show", "--db", db, "--json")
    shown = _json(out)
    assert shown["tracks"][0]["quota"] == 14 and shown["rounds"][2]["name_en"] == "Third round"
    # then work is done: applications in 2차, a kit goes out
    assert run(capsys, "import", "applications", EXAMPLE_INTAKE, "--db", db)[0] == 0
    assert run(capsys, "evaluators", "import", EXAMPLE_EVALUATORS, "--db", db)[0] == 0
    assert run(capsys, "assign", "--auto", "--db", db)[0] == 0
    pass_file = tmp_path / "office.pass"
    pass_file.write_text("office passphrase, long and secret\n", encoding="utf-8")
    assert run(capsys, "keys", "init", "--db", db, "--passphrase-file", pass_file)[0] == 0
    assert run(capsys, "kit", "export", "--evaluator", "EV01", "--out", tmp_path / "k.mekit", "--db", db)[0] == 0
    path.write_text(rolling_text(**{
        'quota = 12 ': 'quota = 14 ',
        'closes_on = 2013-06-30': 'closes_on = 2013-04-25', 'opens_on = 2013-07-01': 'opens_on = 2013-04-26',
        'name_en = "Round 3"': 'name_en = "Third round"',
        '[[categories]]\ncode = "business"': '[[categories]]\ncode = "maeul_business"',
    }), encoding="utf-8")
    before = dump(tmp_path / "office.sqlite3")
    code, out, err = run(capsys, "program", "update", path, "--dry-run", "--db", db)
    assert code == 2
    assert "REFUSED tracks[1] (space).rubric: the rubric cannot change (version" in out and \
           "1 field kit of this program went out with the old one" in out
    assert "REFUSED categories: category 'business' is the category of 1 application; it cannot be removed" in out
    assert "REFUSED rounds[1] (2).opens_on: the new window 2013-04-01 – 2013-04-25 leaves out 4 applications placed " \
           "in round '2' by their dates (e.g. 2013-2-S-01, submitted on 2013-04-26)" in out
    code, out, err = run(capsys, "program", "update", path, "--db", db)
    assert code == 2 and "nothing was changed" in err and "tracks[1] (space).rubric" in err
    assert dump(tmp_path / "office.sqlite3") == before


# --- evaluators, assignment, gates, withdrawals ---------------------------------------------------
def test_evaluators_are_added_imported_and_removed_only_without_work(tmp_path, capsys):
    db = _db(tmp_path, capsys)
    assert run(capsys, "program", "create", calls(tmp_path) / "programs" / "seoul-cbp-2013-rolling.toml",
               "--db", db)[0] == 0
    assert run(capsys, "import", "applications", EXAMPLE_INTAKE, "--db", db)[0] == 0
    code, out, _ = run(capsys, "evaluators", "import", EXAMPLE_EVALUATORS, "--db", db)
    assert code == 0 and "added 3 evaluators (EV01, EV02, EV03)" in out
    code, out, _ = run(capsys, "evaluators", "add", "EV04", "--name", "최동욱", "--organisation", "(사)샘플연구원",
                       "--district", "종로구", "--db", db)
    assert code == 0 and "Added evaluator EV04 (최동욱, (사)샘플연구원)." in out
    code, _, err = run(capsys, "evaluators", "add", "EV04", "--name", "다른 사람", "--db", db)
    assert code == 2 and "already an evaluator EV04" in err
    bad = evaluators_sheet(tmp_path / "bad.xlsx", [["EV09", "", "소속", "", "", "not-an-email", ""]])
    code, _, err = run(capsys, "evaluators", "import", bad, "--db", db)
    assert code == 2 and "row 2, column 이메일: 'not-an-email' is not an e-mail address" in err
    assert run(capsys, "assign", "2013-2-A-01", "EV04", "--db", db)[0] == 0
    code, _, err = run(capsys, "evaluators", "remove", "EV04", "--db", db)
    assert code == 2 and "Evaluator EV04 (최동욱) holds work: 1 assignment in program 'seoul-cbp-2013'" in err
    assert run(capsys, "unassign", "2013-2-A-01", "EV04", "--db", db)[0] == 0
    assert run(capsys, "evaluators", "remove", "EV04", "--db", db)[0] == 0
    code, out, _ = run(capsys, "evaluators", "--db", db, "--json")
    assert [e["code"] for e in _json(out)] == ["EV01", "EV02", "EV03"]
    assert _json(out)[1]["district"] == "강북구"


def test_auto_assignment_balances_the_load_never_assigns_a_conflict_and_lists_likely_ones(tmp_path, capsys):
    db = _db(tmp_path, capsys)
    assert run(capsys, "program", "create", calls(tmp_path) / "programs" / "seoul-cbp-2013-rolling.toml",
               "--db", db)[0] == 0
    rows = [app_row(f"2013-A-{i:02d}", "activity" if i % 2 else "space", f"2013.05.{i:02d}",
                    group="새싹품앗이" if i == 3 else "", district="강북구" if i == 4 else "종로구")
            for i in range(1, 12)]
    rows[4][7] = "office@maeul.example"  # 2013-A-05 shares EV05's e-mail domain
    assert run(capsys, "import", "applications", intake_sheet(tmp_path / "in.xlsx", rows), "--db", db)[0] == 0
    evs = evaluators_sheet(tmp_path / "ev.xlsx", [
        ["EV01", "김서연", "예시대학교", "", "서초구", "ev01@example.org", ""],
        ["EV02", "박준호", "새싹품앗이", "", "마포구", "ev02@example.org", ""],
        ["EV03", "이민정", "가상구청", "", "강북구", "ev03@example.org", ""],
        ["EV04", "최동욱", "샘플연구원", "", "", "", ""],
        ["EV05", "정하늘", "마을센터", "", "", "ev05@maeul.example", "010-0000-0000"],
    ])
    assert run(capsys, "evaluators", "import", evs, "--db", db)[0] == 0
    assert run(capsys, "recuse", "2013-A-01", "EV01", "--type", "personal", "--note", "가족", "--db", db)[0] == 0
    code, out, _ = run(capsys, "assign", "--auto", "--per-application", "3", "--db", db, "--json")
    doc = _json(out)
    assert code == 0 and len(doc["added"]) == 33 and not doc["short"]
    loads = doc["loads"]
    assert max(loads.values()) - min(loads.values()) <= 1 and sum(loads.values()) == 33
    assert ["2013-A-01", "EV01"] not in doc["added"]
    likely = {(c["application_id"], c["evaluator"]): c for c in doc["likely_conflicts"]}
    assert likely[("2013-A-03", "EV02")]["reasons"] == ["organisation"]
    assert likely[("2013-A-04", "EV03")]["reasons"] == ["district"]
    assert set(likely[("2013-A-05", "EV05")]["reasons"]) == {"email_domain", "phone"}
    # listed, not applied: nothing was declared, and each says whether the evaluator has the application
    code, out, _ = run(capsys, "assignments", "--db", db, "--json")
    pairs = _json(out)
    assert sum(1 for a in pairs if a["conflict_type"]) == 1
    held = {(a["application_id"], a["evaluator"]) for a in pairs if not a["conflict_type"]}
    assert all(c["assigned"] == (key in held) for key, c in likely.items())
    # (among equally loaded evaluators one without a likely conflict goes first: fewer than all are assigned)
    assert sum(c["assigned"] for c in likely.values()) < len(likely)
    # running it again changes nothing; a manual assignment of a declared conflict is refused
    code, out, _ = run(capsys, "assign", "--auto", "--db", db, "--json")
    assert _json(out)["added"] == []
    code, _, err = run(capsys, "assign", "2013-A-01", "EV01", "--db", db)
    assert code != 0 and "declared a personal conflict of interest" in err


def test_a_manual_gate_and_a_withdrawal_are_recorded_shown_and_ranked_accordingly(tmp_path, capsys):
    db = _db(tmp_path, capsys)
    assert run(capsys, "program", "create", calls(tmp_path) / "programs" / "seoul-cbp-2013-rolling.toml",
               "--db", db)[0] == 0
    assert run(capsys, "import", "applications", EXAMPLE_INTAKE, "--db", db)[0] == 0
    assert run(capsys, "evaluators", "import", EXAMPLE_EVALUATORS, "--db", db)[0] == 0
    assert run(capsys, "assign", "--auto", "--db", db)[0] == 0
    from .packages_fixtures import enter_scores

    with Store(f"sqlite:///{db}") as st:
        for ev in ("EV01", "EV02", "EV03"):
            enter_scores(st, ev, via_facade=0)
    code, out, _ = run(capsys, "gate", "2013-2-S-01", "use_period", "fail", "--note", "임대 기간 1년 미만", "--db", db)
    assert code == 0 and "recorded as FAILED — 임대 기간 1년 미만" in out
    code, _, err = run(capsys, "gate", "2013-2-S-01", "no_such_gate", "pass", "--db", db)
    assert code == 4 and "has no eligibility gate 'no_such_gate' (gates: use_period (manual), " in err
    code, _, err = run(capsys, "withdraw", "2013-2-A-04", "--reason", " ", "--db", db)
    assert code == 2 and "needs its reason" in err
    assert run(capsys, "withdraw", "2013-2-A-04", "--reason", "단체 사정으로 철회", "--db", db)[0] == 0
    code, out, _ = run(capsys, "rank", "--db", db, "--json", "--no-stability")
    rows = {a["application_id"]: a for a in _json(out)["applications"]}
    assert rows["2013-2-S-01"]["decision"] == "ineligible" and rows["2013-2-S-01"]["failed_gates"] == ["use_period"]
    assert rows["2013-2-A-04"]["decision"] == "not_selected" and "withdrawn" in rows["2013-2-A-04"]["flags"]
    assert rows["2013-2-A-04"]["reason"].endswith("reason: 단체 사정으로 철회")
    code, out, _ = run(capsys, "applications", "--status", "withdrawn", "--db", db, "--json")
    assert [a["id"] for a in _json(out)] == ["2013-2-A-04"]
    code, out, _ = run(capsys, "gate", "2013-2-S-01", "--db", db, "--json")
    gates = {g["code"]: g for g in _json(out)}
    assert gates["use_period"]["passed"] is False and gates["use_period"]["note"] == "임대 기간 1년 미만"
    code, out, _ = run(capsys, "audit", "verify", "--db", db)
    assert code == 0


def test_a_program_files_text_is_checked_before_it_is_a_file_and_nothing_is_written(tmp_path):
    """The desktop app's guided form validates as it is typed: the text, with rubric paths relative to
    the folder the file will be written to, gets the program file's own checks and problems."""
    folder = calls(tmp_path) / "programs"
    with Store(f"sqlite:///{tmp_path / 'office.sqlite3'}") as st:
        pd = st.programs.check_text(ROLLING.read_text(encoding="utf-8"), source_name="new.toml", base_dir=folder)
        bad = rolling_text(**{'quota = 12 ': 'quota = -1 ',
                              'rubric = "../rubrics/space.toml"': 'rubric = "nowhere.toml"'})
        with pytest.raises(ProgramFileError) as err:
            st.programs.check_text(bad, source_name="new.toml", base_dir=folder)
        assert not st.programs.exists()
    assert pd.code == "seoul-cbp-2013" and [r.code for r in pd.rounds] == ["1", "2", "3"]
    where = sorted(p.where for p in err.value.problems)
    assert where == ["new.toml, tracks[0] (activity).quota", "new.toml, tracks[1] (space).rubric"], where
    assert all(p.file == "new.toml" for p in err.value.problems)
    assert sorted(f.name for f in folder.iterdir()) == sorted(f.name for f in ROLLING.parent.glob("*.toml"))
