"""What a new user ran into, fixed: the running total in the scoring header, Enter after Ctrl+F
opens the visit found, typed planned-visit dates (and a calendar that opens at today), the paper
import that finalises the complete evaluations from the GUI too, and the visit log a rubric can
require before finalising."""

from __future__ import annotations

from datetime import date, datetime

import openpyxl
import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication

from evaluator.excel.columns import SCORE_TEMPLATE
from ui.settings import Settings

from .conftest import select_rows, type_text



@pytest.fixture
def field_window(field_store, make_window):
    Settings().set("identity_evaluator", "EV01")
    return make_window(field_store)


# --- the scoring header's running total ----------------------------------------------------------
def test_the_header_shows_the_running_total_as_criteria_are_scored(field_window):
    today = field_window.screens["today"]
    form = today.open_application(today.model.record(0).application_id)
    rubric = form.rubric
    n = sum(1 for c in rubric.criteria if c.required)
    assert form.total_label.text() == f"현재 총점: 0.0 / 100 (채점할 항목 {n}개)"
    first = rubric.criteria[0]
    form.user_set_value(first.code, rubric.levels[0].key)  # 수: the criterion's maximum
    expected = 100 * first.weight * first.max_points / rubric.weighted_max
    assert form.total_label.text() == f"현재 총점: {expected:.1f} / 100 (채점할 항목 {n - 1}개)"
    form.user_set_value(first.code, None)
    assert form.total_label.text().startswith("현재 총점: 0.0 / 100")


# --- Ctrl+F, type, Enter ----------------------------------------------------------------------------
def test_enter_in_the_search_box_opens_the_visit_found(field_window, qtbot):
    today = field_window.screens["today"]
    target = today.model.record(3)
    qtbot.keyClick(today.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is today.search, timeout=2000)
    type_text(today.search, target.title)
    assert [today.model.record(i).application_id for i in range(today.model.rowCount())] == [target.application_id]
    qtbot.keyClick(today.search, Qt.Key.Key_Return)
    assert today.form is not None and today.form.application_id == target.application_id
    assert today.stack.currentWidget() is today.form


# --- planned visit dates ----------------------------------------------------------------------------
@pytest.fixture
def assignments(demo_before_visits_store, make_window):
    w = make_window(demo_before_visits_store)
    return w.show_screen("assignments"), demo_before_visits_store


def _planned(store, app_id, ev):
    return next(a.planned_visit_on for a in store.people.assignments(application_id=app_id) if a.evaluator == ev)


def test_a_typed_planned_visit_date_is_saved(assignments):
    screen, store = assignments
    select_rows(screen.app_view, [0])
    app_id = screen.selected_ids()[0]
    screen.evaluator_combo.setCurrentIndex(screen.evaluator_combo.findData("EV05"))
    screen.planned.edit.clear()
    type_text(screen.planned.edit, "2013-05-10")
    assert not screen.planned.error.isVisibleTo(screen)
    screen.assign_btn.click()
    assert _planned(store, app_id, "EV05") == date(2013, 5, 10)
    # the other ways people write a date are understood too
    screen.planned.edit.setText("2013.5.11")
    screen.assign_btn.click()
    assert _planned(store, app_id, "EV05") == date(2013, 5, 11)


def test_an_invalid_date_says_so_and_saves_nothing(assignments, dialogs):
    screen, store = assignments
    select_rows(screen.app_view, [1])
    app_id = screen.selected_ids()[0]
    screen.evaluator_combo.setCurrentIndex(screen.evaluator_combo.findData("EV05"))
    before = store.people.assignments(application_id=app_id)
    screen.planned.edit.setText("2013-13-40")
    assert screen.planned.error.isVisibleTo(screen) and "2013-05-10" in screen.planned.error.text()
    dialogs.expect_error()
    screen.assign_btn.click()
    assert len(dialogs.errors) == 1 and "2013-13-40" in dialogs.errors[0] and "날짜" in dialogs.errors[0]
    assert store.people.assignments(application_id=app_id) == before  # nothing saved


def test_the_calendar_opens_at_today_or_at_the_date_typed(assignments):
    screen, _store = assignments
    screen.planned.edit.clear()
    cal = screen.planned.open_calendar()
    today = QDate.currentDate()
    assert (cal.yearShown(), cal.monthShown()) == (today.year(), today.month()) and cal.selectedDate() == today
    cal.close()
    screen.planned.edit.setText("2013-05-10")
    cal = screen.planned.open_calendar()
    assert (cal.yearShown(), cal.monthShown()) == (2013, 5)
    cal.clicked.emit(QDate(2013, 5, 17))
    assert screen.planned.text() == "2013-05-17"


# --- the paper fallback from the GUI -------------------------------------------------------------------
def test_the_paper_import_finalises_the_complete_evaluations_and_reports_in_korean(demo_before_visits_store,
                                                                                  make_window, tmp_path, dialogs):
    store = demo_before_visits_store
    w = make_window(store)
    sheet = tmp_path / "scores.xlsx"
    store.excel.export_template("scores", sheet, evaluator="EV02")  # (Korean: sheet 점수, Korean headers)
    mine = sorted(a.application_id for a in store.people.assignments(evaluator="EV02") if not a.is_conflict)
    done = mine[0]
    wb = openpyxl.load_workbook(sheet)
    ws = wb["점수"]
    keys = [{c.ko: c.key for c in SCORE_TEMPLATE}[c.value] for c in ws[1]]
    for cells in ws.iter_rows(min_row=2):
        row = {k: c.value for k, c in zip(keys, cells)}
        if row["application_id"] == done:
            if row["allowed"].startswith("0–"):
                cells[keys.index("value")].value = 10
            else:
                cells[keys.index("level")].value = "우"
    wb.save(sheet)
    screen = w.show_screen("import")
    screen.finalise_scores.setChecked(True)
    dialogs.files.append(sheet)
    from PySide6.QtWidgets import QPushButton

    screen.findChild(QPushButton, "import_scores").click()
    question = dialogs.shown[-1]
    assert "평가 1건 확정 예정" in question[2] and "그대로 둠(미완료)" in question[2]
    assert store.scoring.evaluation(done, "EV02").state == "finalised"
    assert all(a.state is None for a in store.people.assignments(evaluator="EV02")
               if a.application_id != done and not a.is_conflict)
    title = screen.result_title.text()
    report = screen.result_text.toPlainText()
    assert "평가 1건 확정" in title and f"{len(mine) - 1}건은 그대로 둠(미완료)" in title
    assert f"확정: {done} · EV02" in report and "그대로 둔 평가 (미완료):" in report
    assert "dry run" not in report and "level:" not in report  # not a dump of the report's fields
    rubric = store.programs.rubric(store.applications.get(done).track)
    first = rubric.criteria[0]
    assert f"{done} · EV02 · {first.name_ko}: — → 우 (" in report


# --- a rubric that requires the visit log -------------------------------------------------------------
def test_finalising_lists_what_the_visit_log_lacks(sqlite_url, make_window, dialogs):
    from evaluator.rubric import parse_rubric
    from evaluator.services.programs import TrackSpec
    from evaluator.store import Store
    from ui.screens.applications import EvaluationDialog

    from ..core.test_finalise import VISIT_RUBRIC

    st = Store(sqlite_url)
    try:
        st.programs.create(code="visit", name_ko="방문 필수 사업", name_en="Visit program",
                           tracks=[TrackSpec("activity", "주민모임 활동 지원", "Community activity support",
                                             parse_rubric(VISIT_RUBRIC), 1, 1)])
        st.people.put_evaluator("EV01", "김하나")
        st.applications.put({"id": "V-1", "track": "activity", "title": "골목 사랑방", "district": "종로구"})
        st.people.assign("V-1", "EV01")
        w = make_window(st)
        dlg = EvaluationDialog(w.ctx, "V-1", "EV01", w)
        form = dlg.form
        form.user_set_value("a", "su")
        form.user_set_value("b", "u")
        form.finalise_btn.click()
        _kind, text, details = dialogs.shown[-1]
        assert "필수 항목 3개가 비어 있습니다" in text
        assert "방문 기록: 방문 일시" in details and "방문 기록: 참석자" in details and "방문 기록: 주민 면담" in details
        assert st.scoring.evaluation("V-1", "EV01").state == "draft"
        assert form.visit_box.visited_at.property("missing") and form.visit_box.attendees.property("missing")
        form.user_set_visit("visited_at", datetime(2012, 4, 20, 10, 0))
        form.user_set_visit("attendees", "대표 외 2명")
        form.user_set_check("met", True)
        form.finalise_btn.click()
        assert st.scoring.evaluation("V-1", "EV01").state == "finalised"
        dlg.close()
    finally:
        st.close()
