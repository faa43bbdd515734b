"""The office's flow through real widgets: import the intake sheet (preview, mapping, problems, commit),
assign evaluators in bulk and declare conflicts, watch progress, type in a paper score sheet."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from PySide6.QtWidgets import QApplication

from ui.screens.applications import EvaluationDialog

from .conftest import flush_events, select_rows


def write_intake(path, rows, *, title="2012년 마을공동체 지원사업 접수현황", extra_header="비고"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "접수현황"
    ws["A1"] = title
    ws.merge_cells("A1:H1")
    headers = ["접수번호", "사업유형", "분야", "사업명", "단체명", "대표자", "자치구", "참여인원", "신청금액", "접수일",
               extra_header]
    ws.append([])
    ws.append(headers)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


GOOD = [
    ["2012-A-101", "주민모임 활동 지원", "마을카페·모임", "골목 책수다 모임", "책수다", "가나다", "마포구", 7, "3,000,000원",
     "2012.04.11", "재신청"],
    ["2012-S-101", "space", "마을축제", "＝SUM(1,2) 마을 모임", "O<Brien & 이웃", "라마바", "강동구", "12", 5000000,
     "2012-04-12", ""],
]
BAD = GOOD + [["2012-A-102", "주민모임 활동 지원", "마을카페·모임", "잘못된 금액", "모임", "사아자", "없는구", "x", "abc",
               "2012.13.40", ""]]


@pytest.fixture
def office(demo_store, make_window):
    w = make_window(demo_store)
    return w, demo_store


def test_import_wizard_shows_problems_then_imports(office, tmp_path, dialogs, qtmodeltester):
    w, store = office
    screen = w.show_screen("import")
    bad = write_intake(tmp_path / "bad.xlsx", BAD)
    dialogs.files.append(bad)
    screen.choose()
    assert screen.pages.currentIndex() == 1
    assert screen.preview.header_row == 3
    assert not screen.import_btn.isEnabled()
    problems = [screen.problems.item(i).text() for i in range(screen.problems.count())]
    # every problem names its row, in Korean in the Korean UI, with the bad value quoted as typed
    assert any("6행" in p for p in problems) and not any(" row " in p for p in problems), problems
    assert any("열 참여인원: 'x'은(는) 인원수가 아닙니다" in p for p in problems), problems
    assert any("알 수 없는 열은 신청서마다 따로 보관합니다: 비고" in p for p in problems), problems
    assert screen.mapping.rowCount() == 11
    qtmodeltester.check(screen.rows_model)
    # the unknown column is kept aside; the user maps it to nothing ("ignore") and checks again
    assert store.applications.ids(search="2012-A-101") == []
    screen.reset()

    good = write_intake(tmp_path / "good.xlsx", GOOD)
    screen.load(good)
    assert screen.import_btn.isEnabled(), [screen.problems.item(i).text() for i in range(screen.problems.count())]
    assert screen.preview.would_add == 2
    assert screen.rows_model.rowCount() == 2
    screen.import_btn.click()
    assert screen.pages.currentIndex() == 2
    assert "2" in screen.result_title.text()
    a = store.applications.get("2012-A-101")
    assert a.requested_amount == 3_000_000 and a.submitted_on == date(2012, 4, 11) and a.district == "마포구"
    s = store.applications.get("2012-S-101")
    assert s.group_name == "O<Brien & 이웃"
    # the applications screen hears about the new rows
    apps = w.show_screen("applications")
    assert "2012-A-101" in apps.model.ids and apps.model.rowCount() == 50


def test_bulk_assign_declare_conflict_and_load(office, dialogs):
    w, store = office
    screen = w.show_screen("assignments")
    view = screen.app_view
    ids = screen.apps.ids
    target = [i for i in ids if not any(a.evaluator == "EV02" for a in store.people.assignments(application_id=i))][:3]
    assert len(target) == 3
    select_rows(view, [ids.index(app_id) for app_id in target])
    assert screen.selected_ids() == target
    screen.evaluator_combo.setCurrentIndex(screen.evaluator_combo.findData("EV02"))
    before = next(e.assigned for e in store.people.evaluators() if e.code == "EV02")
    screen.assign_btn.click()
    for app_id in target:
        assert any(a.evaluator == "EV02" and not a.is_conflict for a in store.people.assignments(application_id=app_id))
    assert next(e.assigned for e in store.people.evaluators() if e.code == "EV02") == before + 3
    load_row = next(r for r in screen.load.rows if r.code == "EV02")
    assert load_row.assigned == before + 3
    # declare a conflict on one application, then assigning them again is refused with a located message
    one = [i for i in ids if not any(a.evaluator == "EV05" for a in store.people.assignments(application_id=i))][0]
    select_rows(view, [ids.index(one)])
    screen.evaluator_combo.setCurrentIndex(screen.evaluator_combo.findData("EV05"))
    screen.conflict_type.setCurrentIndex(screen.conflict_type.findData("financial"))
    screen.conflict_note.setText("신청 단체에 후원")
    screen.conflict_btn.click()
    conflict = next(a for a in store.people.assignments(application_id=one) if a.evaluator == "EV05")
    assert conflict.conflict_type == "financial" and conflict.conflict_note == "신청 단체에 후원"
    assert any(r.conflict_type == "financial" for r in screen.current.rows)
    dialogs.expect_error()
    screen.assign_btn.click()
    assert dialogs.errors and one in dialogs.errors[-1]


def test_progress_dashboard_counts(office):
    w, store = office
    screen = w.show_screen("progress")
    total = sum(r.assigned for r in screen.evaluators.rows)
    assert total == store.info().assignments
    assert sum(r.finalised for r in screen.evaluators.rows) == store.info().finalised_evaluations
    assert {r.key for r in screen.tracks.rows} == {"activity", "space"}
    assert "100 %" in screen.summary.text()


def test_office_types_in_a_paper_sheet_after_reopening(office, dialogs, qtbot):
    w, store = office
    screen = w.show_screen("applications")
    screen.table.selectRow(0)
    app_id = screen.model.ids[0]
    dlg = screen.open_evaluation(0)
    assert isinstance(dlg, EvaluationDialog)
    form = dlg.form
    assert form.state == "finalised"
    dialogs.texts.append("종이 평가표와 대조하여 수정")
    form.reopen_btn.click()
    code = form.rubric.criteria[0].code
    ev = form.evaluator
    form.user_set_value(code, form.rubric.levels[4].key)
    assert next(s for s in store.scoring.evaluation(app_id, ev).scores if s.criterion == code).level == form.rubric.levels[4].key
    form.finalise_btn.click()
    assert store.scoring.evaluation(app_id, ev).state == "finalised"
    dlg.close()


def test_hostile_applicant_text_is_shown_as_typed(office, dialogs):
    """Demo application 2012-A-024 is titled '엄마 & 아빠 <b>마을</b> 책놀이터': never markup anywhere."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel

    w, store = office
    app = store.applications.get("2012-A-024")
    assert "<b>" in app.title
    screen = w.show_screen("applications")
    screen.search.setText("2012-A-024")
    flush_events(QApplication.instance())  # the detail is read once the table is drawn
    assert app.title in screen.detail.toPlainText()  # the detail pane escapes it
    dlg = screen.open_evaluation(0)
    form = dlg.form
    assert app.title in form.title.text().replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    assert "&lt;b&gt;" in form.title.text()
    shown = [lab for lab in form.findChildren(QLabel) if lab.text() == app.group_name]
    assert shown and all(lab.textFormat() == Qt.PlainText for lab in shown)
    dialogs.texts.append("<img src=x> 사유 & 메모")
    form.reopen_btn.click()
    assert store.scoring.evaluation("2012-A-024", form.evaluator).state == "draft"
    dialogs.texts.append("<img src=x> 사유 & 메모")
    form.abstain_btn.click()
    assert form.abstain_banner.textFormat() == Qt.PlainText and "<img src=x>" in form.abstain_banner.text()
    dlg.close()
