"""Importing intake sheets: a messy LibreOffice sheet imports cleanly; a sheet with ten errors reports
all ten and changes nothing; re-imports update by ID; all or nothing on SQLite and PostgreSQL."""

from __future__ import annotations

import zipfile
from datetime import date

import pytest

from evaluator.errors import Cancelled, ValidationError
from evaluator.jobs import CancelToken

from .excel_fixtures import (
    LO_MESSY, LO_TEN_ERRORS, before_visits, intake_rows, load, state, write_sheet,  # noqa: F401
)


def test_fixtures_were_written_by_libreoffice_not_openpyxl():
    for f in (LO_MESSY, LO_TEN_ERRORS):
        with zipfile.ZipFile(f) as zf:
            app = zf.read("docProps/app.xml").decode()
        assert "LibreOffice" in app and "openpyxl" not in app


def test_messy_libreoffice_sheet_imports_cleanly(before_visits):
    st = before_visits
    rep = st.excel.import_applications(LO_MESSY).value
    assert rep.sheet == "접수현황" and not rep.dry_run
    assert rep.added == ("2012-A-101", "2012-A-102", "2012-S-101", "2012-S-102", "2012-A-103", "2012-A-104")
    assert rep.unknown_columns == ("담당자 메모",)
    warned = " ".join(str(w) for w in rep.warnings)
    assert "row 12" in warned and "합계" in warned and "row 13" in warned and "연번" in warned

    a = st.applications.get("2012-A-101")
    assert (a.track, a.category, a.title, a.district) == ("activity", "cafe", "골목 사랑방 수다모임", "종로구")
    assert (a.members, a.requested_amount, a.self_contribution) == (24, 5_000_000, 900_000)
    assert a.submitted_on == date(2012, 4, 10)
    assert a.summary == "어르신과 청년이 함께하는 찻자리.\n분기별 소식지 발간."
    assert a.extra == {"담당자 메모": "서류 보완 요청"}
    b = st.applications.get("2012-A-102")  # ID had stray spaces; English district; numbers and a real date cell
    assert (b.district, b.members, b.requested_amount, b.self_contribution) == ("마포구", 21, 3_900_000, 1_170_000)
    assert b.submitted_on == date(2012, 4, 4)
    c = st.applications.get("2012-S-101")  # 1,500만원, 서울 성북구, "12 명"
    assert (c.track, c.category, c.district, c.members, c.requested_amount) == ("space", "business", "성북구", 12,
                                                                                15_000_000)
    d = st.applications.get("2012-S-102")  # track by spaced Korean label, full-width spaces, an Excel serial date
    assert (d.track, d.category, d.title, d.district) == ("space", "festival", "마을 축제 사랑방", "강남구")
    assert d.submitted_on == date(2012, 4, 11) and d.requested_amount == 8_000_000
    e = st.applications.get("2012-A-103")  # hostile text is stored as text, verbatim
    assert e.title == '=HYPERLINK("http://example.invalid","클릭")' and e.group_name == "+82 모임"
    assert e.representative == "@admin" and e.extra == {"담당자 메모": "=1+1"}
    assert st.applications.get("2012-A-104").phone == "01012345678"
    assert st.info().applications == 54


def test_ten_errors_are_all_reported_with_their_locations_and_nothing_is_written(before_visits):
    before = state(before_visits)
    with pytest.raises(ValidationError) as ei:
        before_visits.excel.import_applications(LO_TEN_ERRORS)
    err = ei.value
    assert "lo_ten_errors.xlsx" in err.message and "nothing was imported" in err.message
    got = [str(p) for p in err.problems]
    expected = [
        ("row 5, column 신청금액(원)", "'abc' is not an amount"),
        ("row 6, column 접수일", "'2012.13.45' is not a valid date"),
        ("row 7, column 사업유형", "'청년 창업 지원' is not a known track"),
        ("row 8, column 분야", "'스포츠' is not a known category"),
        ("row 9, column 자치구", "'부산진구' is not one of Seoul's 25 districts"),
        ("row 10, column 접수 번호", "duplicate application ID '2012-A-201' (also in row 4)"),
        ("row 11, column 사업명", "needs a project title"),
        ("row 12, column 이메일", "'not-an-email' is not an e-mail address"),
        ("row 13, column 참여인원", "'열두명' is not a number of people"),
        ("row 14, column 접수 번호", "application ID (접수번호) is missing"),
    ]
    assert len(got) == 10, got
    for (where, what), line in zip(expected, got):
        assert line.startswith(f"Sheet '접수현황' {where}: ") and what in line, line
    assert state(before_visits) == before


def test_dry_run_then_reimport_updates_by_id_and_reports_changes(before_visits, tmp_path):
    st = before_visits
    st.excel.import_applications(LO_MESSY)
    audit_before = st.info().audit_events
    rows = [["접수 현황 (수정본)"], ["접수번호", "사업명", "신청금액", "자부담", "자치구", "사업유형", "담당자 메모"],
            ["2012-A-101", "골목 사랑방 수다모임", "4,500,000원", "900,000원", "종로구", "activity", "보완 완료"],
            ["2012-A-102", "품앗이 공동육아 (수정)", 3900000, "1,170,000", "Mapo-gu", "activity", None],
            ["2012-S-101", "동네 부엌 공간", "1,500만원", "3,000,000", "성북구", "space", None],
            ["2012-A-105", "새로 들어온 사업", "1,000,000원", 0, "중구", "주민모임 활동 지원", None]]
    f = write_sheet(tmp_path / "fixed.xlsx", rows)
    dry = st.excel.import_applications(f, dry_run=True).value
    assert dry.dry_run and dry.added == ("2012-A-105",) and dry.updated == ("2012-A-101", "2012-A-102")
    assert dry.unchanged == ("2012-S-101",)
    assert dry.changes["2012-A-101"]["requested_amount"] == (5_000_000, 4_500_000)
    assert dry.changes["2012-A-101"]["extra"] == ({"담당자 메모": "서류 보완 요청"}, {"담당자 메모": "보완 완료"})
    assert dry.changes["2012-A-102"] == {"title": ("품앗이 공동육아", "품앗이 공동육아 (수정)")}
    assert st.info().audit_events == audit_before and st.info().applications == 54  # the dry run wrote nothing
    rep = st.excel.import_applications(f).value
    assert (rep.added, rep.updated, rep.unchanged) == (dry.added, dry.updated, dry.unchanged)
    assert st.applications.get("2012-A-101").requested_amount == 4_500_000
    assert st.applications.get("2012-A-102").extra == {}  # a blank cell in a present column clears the value
    assert st.applications.get("2012-A-101").phone == "010-0347-0001"  # columns not in the sheet are left alone
    assert st.info().audit_events == audit_before + 1  # one audit entry for the whole import
    again = st.excel.import_applications(f).value
    assert again.added == () and again.updated == () and len(again.unchanged) == 4
    assert st.info().audit_events == audit_before + 1  # an unchanged re-import writes nothing


def test_preview_shows_columns_and_rows_and_accepts_a_mapping(before_visits, tmp_path):
    rows = [["접수번호", "사업유형", "사업명", "지원요청액", "비고", "No"],
            ["2012-M-001", "activity", "매핑 시험", "2,000,000원", "메모", 1]]
    f = write_sheet(tmp_path / "map.xlsx", rows, title="Sheet1")
    p = before_visits.excel.preview_applications(f)
    assert p.header_row == 1 and p.sheet == "Sheet1" and p.ok
    assert [(c.header, c.letter, c.field) for c in p.columns] == [
        ("접수번호", "A", "id"), ("사업유형", "B", "track"), ("사업명", "C", "title"), ("지원요청액", "D", None),
        ("비고", "E", None), ("No", "F", "-")]
    assert p.unknown_columns == ("지원요청액", "비고") and p.would_add == 1 and p.total_rows == 1
    assert p.rows[0]["extra"] == {"지원요청액": "2,000,000원", "비고": "메모"}
    mapping = {"지원요청액": "requested_amount", "E": "-"}
    p2 = before_visits.excel.preview_applications(f, mapping)
    assert p2.rows[0]["requested_amount"] == 2_000_000 and p2.unknown_columns == ()
    before_visits.excel.import_applications(f, mapping=mapping)
    assert before_visits.applications.get("2012-M-001").requested_amount == 2_000_000
    gui = {c.letter: c.field or "" for c in p.columns}  # the import wizard sends every column by letter
    gui["D"] = "requested_amount"
    p3 = before_visits.excel.preview_applications(f, gui)
    assert p3.header_row == 1 and p3.rows[0]["requested_amount"] == 2_000_000 and p3.unknown_columns == ("비고",)
    bad = before_visits.excel.preview_applications(f, {"지원요청액": "members"})
    assert not bad.ok and "'2,000,000원' is not a number of people" in str(bad.problems[0])


def test_letter_mapping_keeps_the_header_below_the_titles(before_visits):
    p = before_visits.excel.preview_applications(LO_MESSY)
    gui = {c.letter: c.field or "" for c in p.columns}
    gui["R"] = "-"  # ignore 담당자 메모
    p2 = before_visits.excel.preview_applications(LO_MESSY, gui)
    assert p2.header_row == 4 and p2.unknown_columns == () and p2.total_rows == 6 and p2.ok
    assert "extra" not in p2.rows[0]


def test_header_found_below_titles_in_any_visible_sheet_and_clear_error_without_one(before_visits, tmp_path):
    f = write_sheet(tmp_path / "two.xlsx", [["안내문만 있는 시트"]], title="표지",
                    extra={"data": intake_rows(3)})
    rep = before_visits.excel.import_applications(f).value
    assert rep.sheet == "data" and len(rep.added) == 3
    f2 = write_sheet(tmp_path / "none.xlsx", [["이름", "주소"], ["가", "나"]])
    with pytest.raises(ValidationError, match="No intake table found in none.xlsx"):
        before_visits.excel.import_applications(f2)


def test_an_error_after_many_written_batches_rolls_everything_back(any_db_url, tmp_path):
    from evaluator.demo import build_demo
    from evaluator.store import Store

    with Store(any_db_url) as st:
        build_demo(st, before_visits=True)
        rows = intake_rows(450)
        rows.append(["2012-T-9999", "activity", "기타", "마지막 행 오류", "모임", "종로구", 5, "천만원쯤", 0, "2012.04.12"])
        f = write_sheet(tmp_path / "late.xlsx", rows)
        before = st.info().as_dict()
        with pytest.raises(ValidationError) as ei:
            st.excel.import_applications(f)
        assert [p.where for p in ei.value.problems] == ["Sheet '접수현황' row 454, column 신청금액"]
        assert st.info().as_dict() == before
        rows[-1][7] = "10,000,000원"
        write_sheet(f, rows)
        rep = st.excel.import_applications(f).value
        assert len(rep.added) == 451 and st.info().applications == 48 + 451
        assert st.applications.get("2012-T-9999").requested_amount == 10_000_000
        assert st.verify_audit().ok


def test_cancel_during_import_writes_nothing(before_visits, tmp_path):
    f = write_sheet(tmp_path / "big.xlsx", intake_rows(1200))
    token = CancelToken()
    seen = []

    def progress(fraction, message):
        seen.append(fraction)
        if len(seen) > 2:
            token.cancel()

    before = state(before_visits)
    with pytest.raises(Cancelled):
        before_visits.excel.import_applications(f, progress=progress, cancel=token)
    assert state(before_visits) == before


def test_intake_template_has_lists_and_imports_back(before_visits, tmp_path):
    f = tmp_path / "intake.xlsx"
    rep = before_visits.excel.export_template("intake", f)
    assert rep.kind == "template-intake"
    wb = load(f)
    ws = wb["접수현황"]
    headers = [c.value for c in ws[1]]
    assert headers[:4] == ["접수번호", "사업유형", "분야", "사업명"]
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists["B2"] == "'_lists'!$A$2:$A$3" and lists["C2"] == "'_lists'!$B$2:$B$7"
    assert lists["I2"] == "'_lists'!$C$2:$C$26"
    assert wb["_lists"].sheet_state == "hidden" and wb["_meta"].sheet_state == "hidden"
    assert [r[2] for r in wb["_lists"].iter_rows(min_row=2, values_only=True)][:2] == ["종로구", "중구"]
    # a staff member fills two rows with values picked from the lists
    ws.append(["2012-N-001", "주민모임 활동 지원", "마을축제", "템플릿으로 접수", "모임", "대표", "02-000-0000",
               "t@example.org", "중구", "명동", "주소", 7, 1500000, 100000, "개요", date(2012, 4, 12)])
    ws.append(["2012-N-002", "마을공동체 공간 조성·운영", "기타", "두 번째", None, None, None, None, "강동구"])
    wb.save(f)
    out = before_visits.excel.import_applications(f).value
    assert out.added == ("2012-N-001", "2012-N-002") and out.warnings == ()
    assert before_visits.applications.get("2012-N-002").track == "space"
    en = tmp_path / "intake-en.xlsx"
    before_visits.excel.export_template("intake", en, lang="en")
    assert [c.value for c in load(en)["applications"][1]][:2] == ["Application ID", "Track"]


def test_field_database_refuses_intake(tmp_path):
    from evaluator.errors import PermissionDenied
    from evaluator.store import Store

    with Store(f"sqlite:///{tmp_path / 'field.sqlite3'}", role="field") as st:
        with pytest.raises(PermissionDenied):
            st.excel.import_applications(LO_MESSY)


def test_duplicates_are_found_across_batches_with_the_first_row(before_visits, tmp_path):
    rows = intake_rows(260)
    rows.append(list(rows[3]))  # 2012-T-0001 again, 200+ rows (several batches) later
    rows.append(list(rows[150]))
    f = write_sheet(tmp_path / "dups.xlsx", rows)
    assert len(before_visits.excel.preview_applications(f).problems) == 2
    with pytest.raises(ValidationError) as ei:
        before_visits.excel.import_applications(f)
    got = [str(p) for p in ei.value.problems]
    assert got == [
        "Sheet '접수현황' row 264, column 접수번호: duplicate application ID '2012-T-0001' (also in row 4)",
        "Sheet '접수현황' row 265, column 접수번호: duplicate application ID '2012-T-0148' (also in row 151)",
    ]


def test_id_bookkeeping_is_exact():
    from evaluator.excel.intake import IdList, SeenIds

    seen = SeenIds()
    ids = [f"ID-{i}" for i in range(1000)]
    for n, i in enumerate(ids):
        assert seen.first_row(i) is None
        seen.add(i, n + 2)
        if n % 37 == 0:
            seen.seal()
    seen.seal()
    assert all(seen.first_row(i) == n + 2 for n, i in enumerate(ids))
    assert seen.first_row("ID-1000") is None and list(seen.order) == ids
    lst = IdList()
    for i in ids[:5]:
        lst.append(i)
    lst.seal()
    lst.append("last")
    assert list(lst) == ids[:5] + ["last"] and len(lst) == 6 and lst.text() == ", ".join(ids[:5] + ["last"])


def test_escaped_control_characters_are_dropped_from_text_and_refused_in_ids(before_visits, tmp_path):
    rows = intake_rows(3)
    rows[3][3] = "골목_x0000_ 사랑방_x0007_"  # title: an escaped NUL and BEL (as Excel writes them)
    rows[4][4] = "모임_x000D_\n둘"  # a CRLF line break as Excel writes it, in a one-line field
    rows[5][0] = "2012-T-_x0000_0003"
    f = write_sheet(tmp_path / "controls.xlsx", rows)
    before = state(before_visits)
    with pytest.raises(ValidationError) as ei:
        before_visits.excel.import_applications(f)
    [p] = ei.value.problems
    assert p.where == "Sheet '접수현황' row 6, column 접수번호" and "U+0000" in p.message
    assert state(before_visits) == before
    rows[5][0] = "2012-T-0003"
    rep = before_visits.excel.import_applications(write_sheet(tmp_path / "controls2.xlsx", rows)).value
    assert len(rep.added) == 3
    assert before_visits.applications.get("2012-T-0001").title == "골목 사랑방"
    assert before_visits.applications.get("2012-T-0002").group_name == "모임 둘"


def test_progress_follows_the_sheet_even_without_a_dimension(before_visits, tmp_path):
    # openpyxl's write-only mode (like many exporters) writes no <dimension>: progress comes from how
    # far the parser is through the sheet's XML, so a long import still moves the bar
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("접수현황")
    for r in intake_rows(3000):
        ws.append(r)
    f = tmp_path / "nodim.xlsx"
    wb.save(f)
    seen: list[float] = []
    rep = before_visits.excel.import_applications(f, dry_run=True, progress=lambda x, _m: seen.append(x)).value
    assert len(rep.added) == 3000
    middle = [x for x in seen if 0 < x < 1]
    assert len(middle) >= 4 and middle == sorted(middle) and seen[-1] == 1.0, seen
