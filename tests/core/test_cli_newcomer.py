"""The mistakes a new staff member makes on the command line, each answered with one clear sentence."""

from __future__ import annotations

import json

import pytest

from evaluator.cli import main
from evaluator.store import Store

from .awards_fixtures import signed_off, signed_off_template, signed_off_url  # noqa: F401 (fixtures)
from .test_monitoring_field import field_cycle  # noqa: F401 (fixture)
from .packages_fixtures import office, tiny  # noqa: F401 (fixtures)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_listing_applications_of_a_misspelt_track_or_round_says_so_instead_of_listing_none(capsys, demo_path):
    db = f"sqlite:///{demo_path}"
    code, out, err = run(capsys, "applications", "--track", "activty", "--db", db)
    assert code == 4 and "0 applications" not in out
    assert "has no track 'activty' (tracks: activity, space)" in err
    code, out, err = run(capsys, "applications", "--round", "3", "--db", db)
    assert code == 4 and "has no round '3' (rounds: 1)" in err
    # a round by its Korean name, as rank --round and import --round take it
    items = json.loads(run(capsys, "applications", "--round", "1차", "--track", "space", "--json", "--db", db)[1])["items"]
    assert len(items) == 24 and {i["round"] for i in items} == {"1"}
    # a category by its Korean name, as the intake sheet gives it; a misspelt one is named
    cafes = json.loads(run(capsys, "applications", "--category", "마을카페·모임", "--json", "--db", db)[1])["items"]
    assert cafes and {i["category"] for i in cafes} == {"cafe"}
    assert json.loads(run(capsys, "applications", "--category", "cafe", "--json", "--db", db)[1])["items"] == cafes
    code, _, err = run(capsys, "applications", "--category", "카페", "--db", db)
    assert code == 4 and "has no category '카페' (categories: cafe, care, " in err, err
    # a district as the intake sheet takes it (종로, Jongno-gu), not only as stored (종로구)
    district = items[0]["district"]
    same = json.loads(run(capsys, "applications", "--district", district, "--json", "--db", db)[1])["items"]
    short = json.loads(run(capsys, "applications", "--district", district.removesuffix("구"), "--json",
                           "--db", db)[1])["items"]
    assert same and short == same


def test_a_kit_given_to_merge_and_a_package_given_to_kit_import_say_which_file_goes_where(tiny, office, tmp_path):
    from evaluator.messages import using
    from evaluator.packages.errors import KitRejected
    from evaluator.workflows import import_kit

    from .packages_fixtures import db_checksum

    root, _, _, pkg = tiny
    kit = root / "tiny.mekit"
    before = db_checksum(office.url)
    [r] = office.packages.merge([kit]).value
    assert r.rejected and r.reason == ("Package tiny.mekit is a field kit, not a result package: a kit goes to the "
                                       "evaluator's laptop ('evaluator kit import'); the office merges the result "
                                       "package (.mepkg) the laptop exports."), r.reason
    assert db_checksum(office.url) == before
    field = tmp_path / "field.sqlite3"
    with using("ko"):
        with pytest.raises(KitRejected) as caught:
            import_kit(pkg, f"sqlite:///{field}")
        assert "키트 tiny.mepkg: 현장 키트가 아니라 결과 패키지입니다" in str(caught.value), str(caught.value)
    assert not field.exists()


def test_a_file_that_is_not_there_is_one_sentence_in_the_language_in_effect(tiny, office, tmp_path):
    """Not the operating system's English 'No such file or directory' inside a Korean sentence."""
    from evaluator.errors import ValidationError
    from evaluator.messages import using
    from evaluator.packages.errors import KitRejected
    from evaluator.workflows import import_kit

    missing = tmp_path / "EV01-1.mepkg"
    with using("ko"):
        [r] = office.packages.merge([missing]).value
        assert r.rejected and r.reason == f"결과 패키지 파일 {missing}이(가) 없습니다.", r.reason
        with pytest.raises(KitRejected) as caught:
            import_kit(tmp_path / "EV01.mekit", f"sqlite:///{tmp_path / 'field.sqlite3'}")
        assert str(caught.value) == f"현장 키트 파일 {tmp_path / 'EV01.mekit'}이(가) 없습니다."
        with pytest.raises(ValidationError) as caught:
            office.scoring.add_attachment("T-1", "EV01", tmp_path / "site.jpg")
        assert str(caught.value) == f"파일 {tmp_path / 'site.jpg'}이(가) 없습니다."
    assert not (tmp_path / "field.sqlite3").exists()


@pytest.fixture
def office_signed_off(signed_off):
    """The finalised demo with round 1 signed off (its 19 awards made)."""
    with Store(f"sqlite:///{signed_off[0]}") as st:
        yield st


def test_a_monitoring_visit_missing_its_ratings_names_the_criteria_not_their_codes(office_signed_off):
    """The sentence listed the checklist by name but the unrated criteria by code (as_planned …),
    English codes inside the Korean sentence."""
    from evaluator.errors import ValidationError
    from evaluator.messages import using

    office = office_signed_off
    a = office.awards.list()[0]
    office.awards.set(a.application_id, agreed_on="2012-06-20", starts_on="2012-07-01", reason="협약")
    office.monitoring.set_plan()
    office.monitoring.assign(["EV01", "EV02"])
    with using("ko"):
        try:
            office.monitoring.record(a.application_id, 1, visited_at="2012-10-02 10:00", attendees="대표 외 4명",
                                     checklist={"activity_held": True, "receipts_kept": True}, finalise=True)
        except ValidationError as exc:
            text = str(exc)
        else:
            raise AssertionError("an unrated visit was finalised")
    assert text.endswith("빠진 것: 계획 대비 활동 진행, 핵심 구성원 외 주민 참여, 예산 집행의 적정성."), text


@pytest.mark.parametrize("signed_off_url", ["sqlite"], indirect=True)
def test_the_merge_line_counts_the_monitoring_visits_and_photos_it_brought(field_cycle):
    """It said '0 added, 0 updated, …' for a package that filled monitoring visits (its totals are
    the evaluation's records), so the office thought the visits had not come."""
    from evaluator.messages import using

    from .awards_fixtures import OFFICE_PASS

    db, keys, packages = field_cycle
    with Store(db) as office:
        [r] = office.packages.merge([packages["EV01"]], passphrase=OFFICE_PASS, key_dir=keys).value
        assert r.status == "merged" and r.added == 0
        with using("en"):
            assert r.summary().endswith("; monitoring visits: 1 added, 4 updated, 0 unchanged; monitoring photos: "
                                        "0 added"), r.summary()
        with using("ko"):
            assert r.summary().endswith("; 모니터링 방문 추가 1, 갱신 4, 변경 없음 0; 모니터링 사진 추가 0"), r.summary()


def test_a_database_that_is_not_ours_or_locked_is_a_database_problem_exit_3(capsys, tmp_path):
    """docs/cli.md: exit 3 for a database that is not ours — a workbook given as --db, or an
    encrypted field database without its passphrase (no terminal to ask on)."""
    sheet = tmp_path / "intake.xlsx"
    sheet.write_bytes(b"PK\x03\x04" + b"not a database" * 200)
    code, _, err = run(capsys, "applications", "--db", str(sheet))
    assert code == 3 and f"The database {sheet} is not a Maeul Evaluator database" in err
    assert sheet.read_bytes() == b"PK\x03\x04" + b"not a database" * 200


def test_signing_a_round_off_on_a_laptop_says_so_before_asking_for_a_passphrase(capsys, tiny, tmp_path, monkeypatch):
    """It asked for the key's passphrase first (the laptop has the evaluator's key), and without
    one said only 'A passphrase is needed'."""
    import shutil

    root = tiny[0]
    field = tmp_path / "field.sqlite3"
    shutil.copyfile(root / "tiny-field.sqlite3", field)
    monkeypatch.setenv("EVALUATOR_DATA_DIR", str(root))  # where the laptop's key file is (keys/)
    monkeypatch.delenv("EVALUATOR_PASSPHRASE", raising=False)
    code, _, err = run(capsys, "round", "sign-off", "1", "--by", "위원장", "--db", str(field))
    assert code != 0 and "Cannot sign a round off in a field database; do it in the office database." in err, err


def test_an_intake_sheet_whose_headers_are_not_found_points_the_command_line_to_map(capsys, demo_path, tmp_path):
    """It said 'map the columns in the import wizard', a window the command line does not have."""
    import openpyxl

    path = tmp_path / "신청서.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["번호", "제목", "모임"])
    wb.active.append(["D-1", "골목 화단", "꽃밭모임"])
    wb.save(path)
    code, _, err = run(capsys, "import", "applications", str(path), "--dry-run", "--db", str(demo_path))
    assert code == 2 and "map the columns (--map 'HEADER=FIELD' on the command line" in err, err
    code, _, err = run(capsys, "--lang", "ko", "import", "applications", str(path), "--dry-run", "--db", str(demo_path))
    assert code == 2 and "명령줄에서는 --map '머리글=필드'" in err, err


def test_recusing_an_evaluator_who_already_scored_says_the_scores_no_longer_count(capsys, demo_path):
    """The ranking changes under the office's eyes: the import of such a conflict warns, and so does
    the command now."""
    db = str(demo_path)
    code, out, _ = run(capsys, "recuse", "2012-A-001", "EV01", "--type", "personal", "--db", db)
    assert code == 0 and "The 7 scores EV01 gave 2012-A-001 stay on record but no longer count in its ranking." in out
    code, out, _ = run(capsys, "--lang", "ko", "recuse", "2012-A-002", "EV01", "--type", "personal", "--db", db)
    assert code == 0 and "평가위원 EV01의 점수 7건은 기록으로 남지만" in out, out
    code, out, _ = run(capsys, "recuse", "2012-A-001", "EV02", "--type", "other", "--db", db)  # (never assigned)
    assert code == 0 and "will not evaluate 2012-A-001" in out and "stay on record" not in out
    # the recused evaluations are no longer counted as finalised work (it read 3/2, and EV01 'finalised' > 'assigned')
    [app] = [a for a in json.loads(run(capsys, "applications", "--json", "--db", db)[1])["items"]
             if a["id"] == "2012-A-001"]
    assert app["finalised"] == app["evaluators"] == 2
    ev01 = {e["code"]: e for e in json.loads(run(capsys, "evaluators", "--json", "--db", db)[1])["items"]}["EV01"]
    assert ev01["finalised"] == ev01["assigned"]


def test_a_database_in_a_korean_folder_is_named_in_korean_not_percent_encoded(capsys, tmp_path):
    """'Database sqlite:////…/%ED%95%9C%EA%B8%80 …' is what SQLAlchemy renders; people read 한글."""
    folder = tmp_path / "도봉구 마을자치과"
    folder.mkdir()
    db = folder / "사무국.sqlite3"
    code, out, _ = run(capsys, "init", "--db", str(db))
    assert code == 0 and f"sqlite:///{db.as_posix()}" in out and "%E" not in out, out
    code, out, _ = run(capsys, "info", "--db", f"sqlite:///{db}")
    assert code == 0 and f"Database:        sqlite:///{db.as_posix()} (office)" in out, out


def test_a_report_asked_for_as_a_workbook_is_refused_not_written_as_a_pdf_named_xlsx(capsys, demo_path, tmp_path):
    """'report summary --out summary.xlsx' wrote a PDF under the workbook's name (Excel then says the
    file is damaged); a workbook export refuses a name that is not .xlsx the same way."""
    folder = tmp_path / "out"
    folder.mkdir()
    code, _, err = run(capsys, "report", "summary", "--out", str(folder / "summary.xlsx"), "--db", str(demo_path))
    assert code == 2 and "Cannot write summary.xlsx: reports are PDF files (.pdf)." in err, err
    assert list(folder.iterdir()) == []
    code, _, err = run(capsys, "report", "summary", "--out", str(folder / "summary.PDF"), "--db", str(demo_path))
    assert code == 0 and (folder / "summary.PDF").read_bytes().startswith(b"%PDF")


def test_an_evaluator_added_by_hand_with_a_short_district_is_found_as_a_likely_conflict(capsys, demo_path):
    """'evaluators add … --district 종로' kept '종로' while applications say '종로구', so the automatic
    assignment's likely conflicts missed them; a sheet's evaluators were normalised already."""
    db = str(demo_path)
    apps = json.loads(run(capsys, "applications", "--json", "--db", db)[1])["items"]
    district = apps[0]["district"]  # e.g. 종로구
    short = district.removesuffix("구")
    assert run(capsys, "evaluators", "add", "EV90", "--name", "가상위원", "--district", short, "--db", db)[0] == 0
    listed = {e["code"]: e for e in json.loads(run(capsys, "evaluators", "--json", "--db", db)[1])["items"]}
    assert listed["EV90"]["district"] == district
    run(capsys, "assign", apps[0]["id"], "EV90", "--db", db)
    out = run(capsys, "likely-conflicts", "--db", db)[1]
    assert f"{apps[0]['id']} × EV90: EV90 is from {district}" in out, out
    # a place outside Seoul stays as written
    assert run(capsys, "evaluators", "add", "EV91", "--name", "가상위원2", "--district", "수원시", "--db", db)[0] == 0
    listed = {e["code"]: e for e in json.loads(run(capsys, "evaluators", "--json", "--db", db)[1])["items"]}
    assert listed["EV91"]["district"] == "수원시"


def test_the_merge_prints_the_package_fingerprint_the_laptop_printed(capsys, tiny, tmp_path, monkeypatch):
    """docs/field-workflow.md: the laptop prints the package's fingerprint, 'which the office sees again
    when merging' — the desktop app showed it, the command line did not."""
    import shutil

    from .packages_fixtures import PASS, copy_db

    _, key_dir, src, pkg = tiny
    with Store(f"sqlite:///{copy_db(src, tmp_path / 'first.sqlite3')}") as st:  # the fingerprint to expect
        [r] = st.packages.merge([pkg], passphrase=PASS, key_dir=key_dir).value
    office = copy_db(src, tmp_path / "office.sqlite3")
    shutil.copytree(key_dir, tmp_path / "keys")  # the office key where the command line looks for it
    monkeypatch.setenv("EVALUATOR_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("EVALUATOR_PASSPHRASE", PASS)
    code, out, err = run(capsys, "merge", str(pkg), "--db", str(office))
    assert code == 0 and r.fingerprint and "merged — " in out, (out, err)
    assert f"\n  package fingerprint {r.fingerprint}" in out, out


def test_a_passphrase_missing_in_a_script_says_which_one(capsys, tiny, tmp_path, monkeypatch):
    """On a laptop (the evaluator's key) and in the office (the office key) 'A passphrase is needed'
    alone left a newcomer guessing which of their passphrases to put in the file."""
    from .packages_fixtures import copy_db

    _, _, src, pkg = tiny
    monkeypatch.delenv("EVALUATOR_PASSPHRASE", raising=False)
    office = copy_db(src, tmp_path / "office.sqlite3")
    code, _, err = run(capsys, "merge", str(pkg), "--db", str(office))
    assert code == 1 and "A passphrase is needed (Office key passphrase): use --passphrase-file FILE" in err, err
    code, _, err = run(capsys, "--lang", "ko", "merge", str(pkg), "--db", str(office))
    assert code == 1 and "암호가 필요합니다(사무국 키 암호)." in err, err
