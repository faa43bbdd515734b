"""Walking the screens with the keyboard only: Tab leaves every list for the next control, the visit
time's Now button is a Tab stop, and the import's column choices follow their table."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox, QScrollArea, QTableView

from ui.settings import Settings

from .conftest import flush_events


def focus(widget, qtbot):
    widget.window().activateWindow()
    widget.setFocus(Qt.OtherFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=2000)


def test_tab_leaves_every_list_of_the_office_screens(demo_store, make_window, qtbot, qapp):
    w = make_window(demo_store)
    w.resize(1280, 720)
    stuck = []
    for key in w.screens:
        screen = w.show_screen(key)
        flush_events(qapp)
        for view in screen.findChildren(QTableView):
            if not view.isVisibleTo(screen) or view.editTriggers() != QAbstractItemView.NoEditTriggers:
                continue
            focus(view, qtbot)
            qtbot.keyClick(view, Qt.Key_Tab)
            if QApplication.focusWidget() is view:
                stuck.append(f"{key}/{view.objectName()}")
    assert stuck == []


def test_tab_from_todays_visits_reaches_open_visit_and_no_page_is_a_tab_stop(field_store, make_window, qtbot):
    Settings().set("identity_evaluator", "EV01")
    w = make_window(field_store)
    today = w.screens["today"]
    focus(today.table, qtbot)
    qtbot.keyClick(today.table, Qt.Key_Tab)
    assert QApplication.focusWidget() is today.open_btn
    assert all(page.focusPolicy() == Qt.NoFocus for page in w.findChildren(QScrollArea)
               if page.objectName().startswith("page_"))


def test_the_visit_time_is_set_to_now_with_the_keyboard(field_store, make_window, qtbot):
    Settings().set("identity_evaluator", "EV01")
    w = make_window(field_store)
    today = w.screens["today"]
    form = today.open_application(today.model.record(0).application_id)
    assert form.visit_box.time() is None
    focus(form.visited_at, qtbot)
    for _ in range(8):  # Tab walks the date and time's parts, then goes on
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
        if QApplication.focusWidget() is not form.visited_at:
            break
    assert QApplication.focusWidget() is form.visit_box.now_button
    qtbot.keyClick(form.visit_box.now_button, Qt.Key_Space)
    assert form.visit_box.time() is not None
    qtbot.keyClick(form.visit_box.now_button, Qt.Key_Tab)
    assert QApplication.focusWidget() is form.attendees


def test_tab_walks_the_imports_column_choices_in_order(demo_store, make_window, qtbot, tmp_path):
    from .test_office_flow import GOOD, write_intake

    w = make_window(demo_store)
    imp = w.show_screen("import")
    imp.load(write_intake(tmp_path / "접수현황.xlsx", GOOD))
    combos = [imp.mapping.cellWidget(r, 2) for r in range(imp.mapping.rowCount())]
    assert combos and all(isinstance(c, QComboBox) for c in combos)
    focus(imp.mapping, qtbot)
    walked = []
    for _ in combos:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
        walked.append(QApplication.focusWidget())
    assert walked == combos
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
    assert QApplication.focusWidget() is imp.rows_view
    # a screen reader says which column each choice is for
    first = imp.mapping.item(0, 1).text()
    assert "A" in combos[0].accessibleName() and first in combos[0].accessibleName()


def test_tab_leaves_the_lists_of_the_automatic_assignment(demo_store, make_window, qtbot, dialogs):
    from ui.screens.auto_assign import AutoAssignDialog

    w = make_window(demo_store)
    w.show_screen("assignments")
    dlg = AutoAssignDialog(w.ctx, None, w)
    dlg.show()
    stuck = []
    for view in (dlg.conflict_view, dlg.load_view):
        dlg.activateWindow()
        view.setFocus(Qt.OtherFocusReason)
        qtbot.waitUntil(lambda v=view: QApplication.focusWidget() is v, timeout=2000)
        qtbot.keyClick(view, Qt.Key_Tab)
        if QApplication.focusWidget() is view:
            stuck.append(view.objectName())
    dlg.close()
    assert stuck == []
