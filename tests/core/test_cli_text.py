"""What the command line says, read as a user reads it: a count of one in the singular (English;
Korean names the count once), bad input exits 2 naming the file, an unknown --actor is refused,
and a workbook of another program is refused once, naming the program and its tracks."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from evaluator.cli import main
from evaluator.messages import msg, using
from evaluator.messages.build import extract, load

from .excel_fixtures import intake_rows, write_sheet

ROOT = Path(__file__).resolve().parents[2]
HOUSING = ROOT / "resources" / "programs" / "seoul-remodel-social-housing-2017.toml"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- 1. a count of one ------------------------------------------------------------------------------
def test_one_application_is_one_application_in_english_and_one_건_in_korean(capsys, demo_path):
    db = f"sqlite:///{demo_path}"
    code, out, _ = run(capsys, "--lang", "en", "applications", "--search", "2012-A-001", "--db", db)
    assert code == 0 and out.rstrip().endswith("\n1 application"), out
    code, out, _ = run(capsys, "--lang", "en", "applications", "--track", "space", "--db", db)
    assert out.rstrip().endswith("\n24 applications")
    code, out, _ = run(capsys, "--lang", "ko", "applications", "--search", "2012-A-001", "--db", db)
    assert code == 0 and out.rstrip().endswith("\n신청 1건"), out


def test_a_program_of_one_track_and_a_sheet_of_one_row_read_in_the_singular(capsys, demo_path, tmp_path):
    code, out, _ = run(capsys, "--lang", "en", "program", "check", str(HOUSING))
    assert code == 0 and ", 1 track (remodel" in out and "1 tracks" not in out
    assert "3 rounds, 3 categories, 8 typed fields" in out
    code, out, _ = run(capsys, "--lang", "ko", "program", "check", str(HOUSING))
    assert code == 0 and "지원유형 1개" in out
    sheet = write_sheet(tmp_path / "one.xlsx", intake_rows(1, start=901))
    code, out, _ = run(capsys, "--lang", "en", "import", "applications", str(sheet), "--dry-run",
                       "--db", f"sqlite:///{demo_path}")
    assert code == 0 and "(sheet '접수현황', 1 row): would add 1," in out, out


def test_every_plural_choice_has_two_english_forms_and_korean_names_the_count_once():
    korean = load("ko")
    choices = 0
    for e in extract():
        for _field, spec in re.findall(r"\{(\w+):([^{}]*\|[^{}]*)\}", e.english):
            choices += 1
            one, other = spec.split("|")
            assert one and other and one != other, f"{e.file}:{e.line}: {e.code}"
            assert "|" not in korean[(e.code, e.english)][0], f"{e.code}: Korean has no plural forms"
    assert choices > 50
    m = msg("t.rows", "{count:,} {count:row|rows} {count:was|were} read", count=1)
    assert str(m) == "1 row was read"
    assert str(msg("t.rows", "{count:,} {count:row|rows} {count:was|were} read", count=1200)) == "1,200 rows were read"
    with using("ko"):
        assert str(m) == "1 row was read"  # a code not in the catalogue: its English, still in the singular


# --- 2. bad input exits 2 (docs/cli.md), naming the file --------------------------------------------
def test_a_workbook_export_named_xls_exits_2_naming_the_file_and_writes_nothing(capsys, demo_path, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    db = f"sqlite:///{demo_path}"
    code, out, err = run(capsys, "--lang", "en", "export", "ranking", str(folder / "r.xls"), "--db", db)
    assert code == 2 and err.strip() == "error: Cannot write r.xls: Excel exports are .xlsx files.", err
    code, _, err = run(capsys, "--lang", "ko", "export", "ranking", str(folder / "r.xls"), "--db", db)
    assert code == 2 and "r.xls에 쓸 수 없습니다. 엑셀 내보내기는 .xlsx 파일입니다." in err, err
    assert list(folder.iterdir()) == []
    assert run(capsys, "export", "ranking", str(folder / "r.xlsx"), "--db", db)[0] == 0


@pytest.mark.parametrize("content", [b"not a key at all\n", b'{"format": "something-else"}',
                                     b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"])
def test_registering_a_file_that_is_not_a_key_exits_2_naming_the_file(capsys, demo_path, tmp_path, content):
    bad = tmp_path / "EV01-key.txt"
    bad.write_bytes(content)
    db = f"sqlite:///{demo_path}"
    code, _, err = run(capsys, "--lang", "en", "keys", "register", "EV01", str(bad), "--db", db)
    assert code == 2 and f"The file {bad} is not a" in err and err.count("\n") == 1, err
    code, _, err = run(capsys, "--lang", "ko", "keys", "register", "EV01", str(bad), "--db", db)
    assert code == 2 and f"파일 {bad}" in err, err
    code, out, _ = run(capsys, "evaluators", "--json", "--db", db)
    assert [e["key_fingerprint"] for e in json.loads(out)["items"] if e["code"] == "EV01"] == [None]


# --- 3. --actor names a registered person ------------------------------------------------------------
def test_an_unknown_actor_is_refused_before_anything_is_done_and_a_registered_one_acts(capsys, demo_path,
                                                                                       monkeypatch):
    from evaluator.store import Store

    db = f"sqlite:///{demo_path}"
    with Store(db) as st:
        before = st.verify_audit().entries
    code, out, err = run(capsys, "--lang", "en", "override", "2012-A-001", "selected", "--reason", "의결",
                         "--actor", "이서욘", "--db", db)
    assert code == 4 and out == "", out
    assert "There is no person '이서욘' in this database (--actor); 'evaluator people' lists the people" in err
    assert "'evaluator people add NAME --role coordinator|chair|viewer' registers one. Nothing was done." in err
    code, _, err = run(capsys, "--lang", "ko", "info", "--actor", "이서욘", "--db", db)
    assert code == 4 and "등록된 처리자 중에 '이서욘'이(가) 없습니다(--actor)" in err, err
    monkeypatch.setenv("EVALUATOR_ACTOR", "이서욘")
    code, _, err = run(capsys, "--lang", "en", "info", "--db", db)
    assert code == 4 and "($EVALUATOR_ACTOR)" in err, err
    monkeypatch.delenv("EVALUATOR_ACTOR")
    with Store(db) as st:
        assert st.ranking.overrides() == [] and st.verify_audit().entries == before  # nothing was done
    # registered, the same name acts and signs the override
    assert run(capsys, "people", "add", "이서욘", "--role", "chair", "--db", db)[0] == 0
    code, _, err = run(capsys, "override", "2012-A-001", "selected", "--reason", "의결", "--actor", "이서욘",
                       "--db", db)
    assert code == 0, err
    with Store(db) as st:
        [o] = st.ranking.overrides()
        assert o["by"].startswith("이서욘")
    # the command that makes a database takes any name: nobody can be registered in it yet
    assert run(capsys, "init", "--actor", "처음 만든 사람", "--db", str(demo_path.with_name("new.sqlite3")))[0] == 0


# --- 4. a workbook of another program ----------------------------------------------------------------
def test_a_workbook_of_another_program_is_refused_once_naming_the_program_and_its_tracks(capsys, tmp_path):
    from evaluator.store import Store

    from .excel_fixtures import state

    db = str(tmp_path / "housing.sqlite3")
    assert main(["demo", "--program", "social-housing", "--db", db]) == 0
    capsys.readouterr()
    with Store(db) as st:
        before = state(st)
    sheet = write_sheet(tmp_path / "cbp.xlsx", intake_rows(6))  # the Community Building Project's tracks
    code, _, err = run(capsys, "--lang", "en", "import", "applications", str(sheet), "--db", db)
    assert code == 2, err
    assert "is not a known track" not in err and err.count("seoul-remodel-2017") == 1, err
    assert ("Sheet '접수현황' column 사업유형: no row's track is one of program 'seoul-remodel-2017' (Seoul "
            "remodelling-type social housing — 2017 rolling call): the sheet says 'activity', 'space', and the "
            "program's track is 리모델링형 사회주택 (remodel). Is the workbook for another program?") in err, err
    code, out, _ = run(capsys, "import", "applications", str(sheet), "--json", "--db", db)
    [other] = [p for p in json.loads(out)["problems"] if p["field"] == "track"]
    assert other["code"] == "intake.other_program" and other["params"]["program"] == "seoul-remodel-2017"
    code, _, err = run(capsys, "--lang", "ko", "import", "applications", str(sheet), "--db", db)
    assert code == 2 and "어느 행의 지원유형도 공모 'seoul-remodel-2017'(서울시 리모델링형 사회주택" in err, err
    assert "이 공모의 지원유형(1개)은 리모델링형 사회주택 (remodel)입니다" in err
    with Store(db) as st:
        assert state(st) == before  # all or nothing: the database is as it was
    # a sheet of this program with one misspelt track: that row's own problem, as before
    rows = intake_rows(3)
    rows[3][1], rows[4][1], rows[5][1] = "remodel", "remodle", "리모델링형 사회주택"
    code, _, err = run(capsys, "--lang", "en", "import", "applications", str(write_sheet(tmp_path / "typo.xlsx", rows)),
                       "--dry-run", "--db", db)
    assert "row 5, column 사업유형: 'remodle' is not a known track; use one of 리모델링형 사회주택 (remodel)" in err, err
    assert "no row's track" not in err
