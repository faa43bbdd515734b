"""The evaluator's flow on a field database: Today → visit and scoring form (keyboard only) →
finalise; undo/redo, abstain, reopen with a reason, and nothing lost when the window closes mid-edit."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from evaluator.store import Store
from ui.screens.scoring import PointsPicker
from ui.settings import Settings

from .conftest import flush_events, type_text


@pytest.fixture
def field_window(field_store, make_window):
    Settings().set("identity_evaluator", "EV01")
    w = make_window(field_store)
    return w


def open_first(window):
    today = window.screens["today"]
    app_id = today.model.record(0).application_id
    form = today.open_application(app_id)
    assert form.rubric is not None
    return today, form, app_id


def focus(widget, qtbot):
    widget.window().activateWindow()
    widget.setFocus(Qt.OtherFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=2000)


def test_field_database_opens_in_field_mode_with_todays_visits(field_window, field_store):
    w = field_window
    assert list(w.screens) == ["today", "handback"]
    today = w.screens["today"]
    mine = [a for a in field_store.people.assignments(evaluator="EV01") if not a.is_conflict]
    assert today.model.rowCount() == len(mine) > 0
    planned = [today.model.record(i).planned for i in range(today.model.rowCount())]
    assert planned == sorted(planned)
    # search goes to the core and narrows the list
    first = today.model.record(0)
    today.search.setText(first.application_id)
    assert [today.model.record(i).application_id for i in range(today.model.rowCount())] == [first.application_id]
    today.search.clear()
    assert today.model.rowCount() == len(mine)


def test_score_every_criterion_with_the_keyboard_then_finalise(field_window, field_store, qtbot, dialogs):
    today, form, app_id = open_first(field_window)
    rubric = form.rubric
    keys = ["1", "2", "3", "2", "1", "4", "5"][: len(rubric.criteria)]
    points_typed = "12"
    focus(form.rows[rubric.criteria[0].code].picker, qtbot)
    for i, key in enumerate(keys):
        picker = QApplication.focusWidget()
        assert picker is form.rows[rubric.criteria[i].code].picker
        if isinstance(picker, PointsPicker):
            qtbot.keyClicks(picker, points_typed)
        else:
            qtbot.keyClick(picker, key)
        qtbot.keyClick(picker, Qt.Key_Tab)  # → the comment
        if i == 0:
            type_text(QApplication.focusWidget(), "모임 5명 확인")
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)  # → next criterion
    # every keystroke is already in the database: no Save button anywhere
    info = field_store.scoring.evaluation(app_id, "EV01")
    got = {s.criterion: (s.level, s.points) for s in info.scores}
    want = {c.code: ((rubric.levels[int(k) - 1].key, rubric.points_for_level(c, rubric.levels[int(k) - 1].key))
                     if c.scoring == "levels" else (None, float(points_typed)))
            for c, k in zip(rubric.criteria, keys)}
    assert got == want
    assert info.scores[0].comment == "모임 5명 확인"
    assert info.missing == ()
    assert form.total_label.text().endswith("/ 100")
    # Ctrl+Enter → confirmation (answered Yes) → finalised
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    info = field_store.scoring.evaluation(app_id, "EV01")
    assert info.state == "finalised"
    assert form.state == "finalised"
    row0 = form.rows[rubric.criteria[0].code]
    # locked, yet readable: the comment is read-only text (not a greyed-out disabled field)
    assert row0.comment.isReadOnly() and row0.comment.isEnabled() and row0.comment.text() == "모임 5명 확인"
    assert not row0.picker.isEnabled() or row0.picker.isReadOnly()
    assert any(app_id in text for _k, text, _i in dialogs.shown)
    # back to Today: the row now says finalised
    form.closed.emit()
    row = next(i for i in range(today.model.rowCount()) if today.model.record(i).application_id == app_id)
    assert today.model.record(row).state == "finalised"


def test_finalise_lists_missing_criteria_and_refuses(field_window, field_store, qtbot, dialogs):
    _today, form, app_id = open_first(field_window)
    first = form.rubric.criteria[0]
    form.user_set_value(first.code, form.rubric.levels[0].key)
    form.finalise_btn.click()
    assert field_store.scoring.evaluation(app_id, "EV01").state == "draft"
    title, text, details = dialogs.shown[-1]
    missing = [c for c in form.rubric.criteria if c.required and c.code != first.code]
    assert str(len(missing)) in text
    for c in missing:
        assert c.name_ko in details
    assert form.rows[missing[0].code].property("missing") is True


def test_undo_and_redo_go_through_the_core(field_window, field_store, qtbot):
    _today, form, app_id = open_first(field_window)
    code = form.rubric.criteria[0].code
    picker = form.rows[code].picker
    focus(picker, qtbot)
    qtbot.keyClick(picker, "1")
    qtbot.keyClick(picker, "3")
    level = lambda: {s.criterion: s.level for s in field_store.scoring.evaluation(app_id, "EV01").scores}.get(code)  # noqa: E731
    assert level() == form.rubric.levels[2].key
    form.undo_stack.undo()
    assert level() == form.rubric.levels[0].key
    assert picker.key == form.rubric.levels[0].key
    form.undo_stack.undo()
    assert level() is None
    form.undo_stack.redo()
    form.undo_stack.redo()
    assert level() == form.rubric.levels[2].key
    # a comment typed character by character is one undo step
    comment = form.rows[code].comment
    focus(comment, qtbot)
    qtbot.keyClicks(comment, "abc")
    form.undo_stack.undo()
    info = field_store.scoring.evaluation(app_id, "EV01")
    assert info.scores[0].comment == ""
    assert comment.text() == ""
    assert info.scores[0].level == form.rubric.levels[2].key  # the score stays


def test_visit_log_is_saved_as_typed(field_window, field_store, qtbot):
    _today, form, app_id = open_first(field_window)
    focus(form.attendees, qtbot)
    type_text(form.attendees, "대표자 외 4명")
    first_check = next(iter(form.checks.values()))
    first_check.setChecked(True)
    form.notes.setPlainText("현장 확인 완료")
    form.visited_at.setDateTime(form.visited_at.dateTime().currentDateTime())
    visit = field_store.scoring.visit(app_id, "EV01")
    assert visit["attendees"] == "대표자 외 4명"
    assert visit["notes"] == "현장 확인 완료"
    assert visit["visited_at"] is not None
    assert any(visit["checklist"].values())
    # reopening the form shows what was saved
    form.closed.emit()
    form2 = field_window.screens["today"].open_application(app_id)
    assert form2.attendees.text() == "대표자 외 4명"
    assert form2.notes.toPlainText() == "현장 확인 완료"


def test_abstain_and_reopen_need_reasons(field_window, field_store, qtbot, dialogs):
    _today, form, app_id = open_first(field_window)
    dialogs.texts.append(None)  # cancelled: nothing happens
    form.abstain_btn.click()
    assert field_store.scoring.evaluation(app_id, "EV01") is None or not field_store.scoring.evaluation(app_id, "EV01").abstained
    dialogs.texts.append("신청 단체 대표와 친척 관계")
    form.abstain_btn.click()
    info = field_store.scoring.evaluation(app_id, "EV01")
    assert info.abstained and info.abstain_reason == "신청 단체 대표와 친척 관계"
    form = field_window.screens["today"].form
    assert form.abstain_banner.isVisibleTo(form)
    # an abstained evaluation can be finalised without scores
    form.finalise_btn.click()
    assert field_store.scoring.evaluation(app_id, "EV01").state == "finalised"
    # reopening needs a reason: an empty one is refused
    dialogs.texts.append("   ")
    form.reopen_btn.click()
    assert field_store.scoring.evaluation(app_id, "EV01").state == "finalised"
    dialogs.texts.append("점수 입력 누락 확인")
    form.reopen_btn.click()
    assert field_store.scoring.evaluation(app_id, "EV01").state == "draft"
    from evaluator.db.models import AuditEvent
    from sqlalchemy import select

    with field_store.uow.read() as s:
        reasons = list(s.execute(select(AuditEvent.reason).where(AuditEvent.action == "reopen")).scalars())
    assert "점수 입력 누락 확인" in reasons


def test_closing_the_window_mid_edit_loses_nothing(field_store, qtbot):
    """With the real background worker: type, close at once, reopen the file — it is all there."""
    from ui.main_window import MainWindow

    Settings().set("identity_evaluator", "EV01")
    w = MainWindow(field_store)  # real worker thread
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: "today" in w.screens and w.screens["today"].model.rowCount() > 0, timeout=10000)
    today = w.screens["today"]
    app_id = today.model.record(0).application_id
    form = today.open_application(app_id)
    qtbot.waitUntil(lambda: form.rubric is not None, timeout=10000)
    code = form.rubric.criteria[0].code
    expected_level = form.rubric.levels[1].key
    focus(form.rows[code].picker, qtbot)
    qtbot.keyClick(form.rows[code].picker, "2")
    comment = form.rows[code].comment
    focus(comment, qtbot)
    type_text(comment, "마지막 글자까지 저장")
    w.close()  # no waiting for the worker: closeEvent flushes and waits
    flush_events(None)
    with Store(field_store.url) as again:
        info = again.scoring.evaluation(app_id, "EV01")
    score = next(s for s in info.scores if s.criterion == code)
    assert score.level == expected_level
    assert score.comment == "마지막 글자까지 저장"
