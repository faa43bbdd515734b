"""The office screens on a small laptop (1280×720), in Korean and in English: the screen names fit the
navigation, and no screen is wider than the room the window leaves it (no sideways scrolling)."""

from __future__ import annotations

import pytest

from ui.i18n import install_language

from .conftest import flush_events

LAPTOP = (1280, 720)


@pytest.fixture(params=["ko", "en"])
def lang(request, qapp):
    install_language(qapp, request.param)
    yield request.param
    install_language(qapp, "ko")


def test_every_screen_name_fits_the_navigation(demo_store, make_window, qapp, lang):
    w = make_window(demo_store)
    w.resize(*LAPTOP)
    flush_events(qapp)
    fm = w.nav.fontMetrics()  # the navigation's own (style sheet) font
    room = w.nav.viewport().width() - 2 * 14 - 4  # the item's padding and the selection mark
    cut = [w.nav.item(i).text() for i in range(w.nav.count())
           if fm.horizontalAdvance(w.nav.item(i).text()) > room]
    assert cut == []


def test_no_office_screen_is_wider_than_a_laptop_window(demo_store, make_window, qapp, lang):
    w = make_window(demo_store)
    w.resize(*LAPTOP)
    too_wide = {}
    for key in w.screens:
        screen = w.show_screen(key)
        flush_events(qapp)
        room = w._pages[key].viewport().width()
        if screen.minimumSizeHint().width() > room:
            too_wide[key] = (screen.minimumSizeHint().width(), room)
    assert too_wide == {}


def test_the_dialogs_show_their_fields_hints_whole(demo_store, make_window, qapp, lang):
    """A field's hint (its placeholder) is what says what to type: it is not cut off."""
    from PySide6.QtWidgets import QLineEdit

    from evaluator.workflows import KitProtection
    from ui.dialogs import NewDatabasePassphraseDialog, ServerDialog
    from ui.screens.kits import FieldDemoDialog, KitUnlockDialog, RegisterKeyDialog
    from ui.screens.ranking import OverrideDialog

    w = make_window(demo_store)
    ctx = w.ctx
    ranking = w.show_screen("ranking")
    made = [OverrideDialog(ranking.model.rows[0], w), ServerDialog(w), RegisterKeyDialog(ctx.evaluators, None, None, w),
            NewDatabasePassphraseDialog(w, "x.sqlite3"), FieldDemoDialog(ctx, ctx.evaluators, w),
            KitUnlockDialog(__import__("pathlib").Path("kit.mekit"), KitProtection("passphrase", "EV01"), w)]
    cut = []
    for dlg in made:
        dlg.show()
        flush_events(qapp)
        for e in dlg.findChildren(QLineEdit):
            hint = e.placeholderText()
            if e.isVisible() and hint and e.fontMetrics().horizontalAdvance(hint) > e.width() - 12:
                cut.append(f"{dlg.objectName()}/{e.objectName()}: {hint}")
        dlg.close()
    assert cut == []


def test_the_drop_zones_show_their_whole_text(demo_store, make_window, qapp, lang):
    from ui.widgets import DropZone

    w = make_window(demo_store)
    w.resize(*LAPTOP)
    short = []
    for key in ("kits", "import"):
        screen = w.show_screen(key)
        flush_events(qapp)
        for zone in screen.findChildren(DropZone):
            if zone.isVisible() and zone.height() < zone.heightForWidth(zone.width()):
                short.append((key, zone.height(), zone.heightForWidth(zone.width())))
    assert short == []


def test_switching_language_does_not_cut_the_column_headers(demo_store, demo_path, qtbot, sync_tasks, qapp):
    """The ranking's columns, sized to the Korean headers and remembered, do not cut the English ones
    after the language changes (each language keeps its own column widths)."""
    from PySide6.QtCore import Qt

    from ui.main_window import MainWindow

    def headers_cut(w) -> list[str]:
        table = w.show_screen("ranking").table
        flush_events(qapp)
        header, model = table.horizontalHeader(), table.model()
        fm = header.fontMetrics()
        return [model.headerData(i, Qt.Horizontal) for i in range(model.columnCount() - 1)
                if not header.isSectionHidden(i)
                and header.sectionSize(i) < fm.horizontalAdvance(model.headerData(i, Qt.Horizontal))]

    korean = MainWindow(demo_store, tasks=sync_tasks)
    qtbot.addWidget(korean)
    korean.show()
    korean.resize(*LAPTOP)
    assert headers_cut(korean) == []
    korean.close()  # remembers the column widths
    install_language(qapp, "en")
    try:
        from evaluator.store import Store
        from ui.worker import SyncExecutor, TaskManager

        with Store(f"sqlite:///{demo_path}") as again:
            english = MainWindow(again, tasks=TaskManager(SyncExecutor()))
            qtbot.addWidget(english)
            english.show()
            english.resize(*LAPTOP)
            assert headers_cut(english) == []
            english.close()
    finally:
        install_language(qapp, "ko")


def test_the_paper_sheet_dialog_fits_the_screen(demo_store, make_window, qapp, qtbot):
    """Typing a paper sheet in opens the scoring form in a window of its own: never larger than the
    screen it opens on (its bottom and buttons were cut off on a 720-pixel-high laptop)."""
    w = make_window(demo_store)
    screen = w.show_screen("applications")
    screen.table.selectRow(0)
    qtbot.waitUntil(lambda: len(screen.assignments.rows) > 0, timeout=3000)  # the detail loads after a pause
    dlg = screen.open_evaluation(0)
    room = w.screen().availableGeometry()
    assert 0 < dlg.width() <= room.width() and 0 < dlg.height() <= room.height()
    dlg.close()


def test_a_larger_font_in_settings_enlarges_the_level_buttons_and_descriptions(field_store, make_window, qapp,
                                                                                dialogs):
    """The font size for a laptop in sunlight: the style sheet's own sizes (level buttons, the level
    descriptions beside them, titles, the navigation) grow with it instead of staying as they were."""
    from PySide6.QtGui import QAction

    from ui.i18n import apply_font
    from ui.settings import Settings

    Settings().set("identity_evaluator", "EV01")
    w = make_window(field_store)

    def sizes():
        today = w.show_screen("today")
        form = today.open_application(today.model.record(0).application_id)
        flush_events(qapp)
        picker = next(iter(form.rows.values())).picker
        button, description = next(iter(picker.buttons.values())), next(iter(picker.descriptions.values()))
        for widget in (button, description, w.nav):
            widget.ensurePolished()
        found = (button.font().pointSizeF(), description.font().pointSizeF(), w.nav.font().pointSizeF())
        form.closed.emit()
        return found

    before = sizes()

    def larger(dlg):
        dlg.font_size.setValue(14)
        return True

    dialogs.on_exec["settingsDialog"] = larger
    try:
        w.findChild(QAction, "actionSettings").trigger()
        after = sizes()
    finally:
        apply_font(qapp, 10)
    assert all(a >= b * 1.35 for a, b in zip(after, before)), (before, after)


def test_the_application_pane_shows_every_gate_and_evaluator_on_a_laptop(demo_store, make_window, qapp):
    """Beside the list, the selected application's evaluators and eligibility gates are whole on a
    1280×720 window (the gates showed one row and a half of three); the details above them scroll."""
    w = make_window(demo_store)
    w.resize(*LAPTOP)
    screen = w.show_screen("applications")
    screen.table.selectRow(6)  # 2012-A-007: four evaluators (one conflicted), three gates
    flush_events(qapp)
    assert screen.gates.rowCount() == 3 and screen.assignments.rowCount() == 4
    for view, model in ((screen.gate_view, screen.gates), (screen.assign_view, screen.assignments)):
        last = view.visualRect(model.index(model.rowCount() - 1, 0))
        assert last.bottom() <= view.viewport().height(), view.objectName()


def _open_each_track(w, qapp):
    """The scoring form of the first visit of each track (each track has its own rubric and checklist)."""
    today = w.show_screen("today")
    seen = {}
    for row in range(today.model.rowCount()):
        visit = today.model.record(row)
        if visit.track not in seen:
            seen[visit.track] = visit.application_id
    for track, app_id in seen.items():
        form = today.open_application(app_id)
        flush_events(qapp)
        yield track, form
        form.closed.emit()


def test_the_scoring_form_fits_a_laptop_window_without_sideways_scrolling(field_store, make_window, qapp, lang):
    """At 1280×720 the scoring form is as wide as the window leaves it: the space rubric's long English
    checklist items stand one below the other instead of pushing the form 13 pixels wider."""
    from ui.settings import Settings

    Settings().set("identity_evaluator", "EV01")
    w = make_window(field_store)
    w.resize(*LAPTOP)
    scrolls = {}
    for track, form in _open_each_track(w, qapp):
        bar = form.scroll.horizontalScrollBar()
        if bar.maximum() > 0 or form.minimumSizeHint().width() > w._pages["today"].viewport().width():
            scrolls[track] = (bar.maximum(), form.minimumSizeHint().width())
    assert w.width() == LAPTOP[0] and len(scrolls) == 0, scrolls


def _cut_columns(view) -> list[str]:
    """The visible columns of ``view`` whose header, or whose track or status, does not fit its width."""
    from PySide6.QtCore import Qt

    from ui.i18n import language
    from ui.labels import status_labels

    header, model = view.horizontalHeader(), view.model()
    fm, cell_margins = view.fontMetrics(), 8
    cut = []
    for col in range(model.columnCount()):
        if header.isSectionHidden(col):
            continue
        title = model.headerData(col, Qt.Horizontal)
        if header.sectionSize(col) < header.sectionSizeHint(col):  # the header's text and sort arrow
            cut.append(title)
        key = model.columns[col].key
        texts = ([t.name(language()) for t in model.ctx.program.tracks] if key == "track"
                 else list(status_labels().values()) if key == "status" else [])
        cut += [f"{title}: {t}" for t in texts if header.sectionSize(col) < fm.horizontalAdvance(t) + cell_margins]
    return cut


def test_the_application_lists_show_whole_headers_tracks_and_statuses_in_either_language(demo_store, make_window,
                                                                                         qapp, lang):
    """The Applications and Assignments tables had widths tuned for the Korean headers: in English
    "Application ID", "Requested (KRW)", "Evaluations", the statuses and the tracks (both "Community …")
    were cut.  Their widths follow the language shown; the title takes what is left."""
    w = make_window(demo_store)
    w.resize(*LAPTOP)
    cut = {}
    for key, view in (("applications", "table"), ("assignments", "app_view")):
        screen = w.show_screen(key)
        flush_events(qapp)
        table = getattr(screen, view)
        cut[key] = _cut_columns(table)
        title = next(i for i, c in enumerate(table.model().columns) if c.key == "title")
        # the title is not squeezed to a few letters either
        assert table.columnWidth(title) >= 10 * table.fontMetrics().horizontalAdvance("가"), key
    assert cut == {"applications": [], "assignments": []}


def test_column_widths_a_person_set_in_english_come_back_in_english(demo_store, demo_path, qtbot, sync_tasks, qapp):
    """The widths worked out for the language are a start: a column the person narrowed in English is
    as narrow when the English window opens again, and the Korean window keeps its own widths."""
    from evaluator.store import Store
    from ui.main_window import MainWindow
    from ui.worker import SyncExecutor, TaskManager

    def open_window(store):
        win = MainWindow(store, tasks=TaskManager(SyncExecutor()))
        qtbot.addWidget(win)
        win.show()
        win.resize(*LAPTOP)
        return win, win.show_screen("applications").table

    install_language(qapp, "en")
    try:
        english, table = open_window(demo_store)
        fitted = table.columnWidth(1)
        table.setColumnWidth(1, 70)  # the person narrows the track column
        english.close()
        with Store(f"sqlite:///{demo_path}") as again:
            english, table = open_window(again)
            assert table.columnWidth(1) == 70
            english.close()
        install_language(qapp, "ko")
        with Store(f"sqlite:///{demo_path}") as again:
            korean, table = open_window(again)
            assert table.columnWidth(1) not in (70, fitted)  # Korean's own (shorter) track names
            korean.close()
    finally:
        install_language(qapp, "ko")


@pytest.fixture
def large_font(qapp):
    """The 14 pt font of Settings (for a laptop in sunlight), back to the default afterwards."""
    from ui.i18n import apply_font

    apply_font(qapp, 14)
    yield 14
    apply_font(qapp, 10)


def _wider_than_the_window(w, qapp) -> dict:
    too_wide = {}
    for key in w.screens:
        screen = w.show_screen(key)
        flush_events(qapp)
        page = w._pages[key]
        if page.horizontalScrollBar().maximum() > 0 or screen.minimumSizeHint().width() > page.viewport().width():
            too_wide[key] = (screen.minimumSizeHint().width(), page.viewport().width())
    return too_wide


def test_every_office_screen_fits_a_laptop_window_at_the_large_font(demo_store, make_window, qapp, lang, large_font):
    """At 14 pt the window stayed 1449 pixels wide in English (the "Acting: …" line of the header) and
    the Applications, Import, Ranking, Awards, Outputs and Progress screens needed more than 1280: their
    filters, toolbars, long check boxes and summary lines now give way, wrap or end in "…"."""
    w = make_window(demo_store)
    w.resize(*LAPTOP)
    flush_events(qapp)
    assert w.width() == LAPTOP[0]
    assert _wider_than_the_window(w, qapp) == {}


def test_the_field_screens_and_scoring_form_fit_a_laptop_window_at_the_large_font(field_store, make_window, qapp,
                                                                                   lang, large_font):
    from ui.settings import Settings

    Settings().set("identity_evaluator", "EV01")
    w = make_window(field_store)
    w.resize(*LAPTOP)
    flush_events(qapp)
    assert w.width() == LAPTOP[0]
    assert _wider_than_the_window(w, qapp) == {}
    for track, form in _open_each_track(w, qapp):
        assert form.scroll.horizontalScrollBar().maximum() == 0, track


def test_a_long_check_box_wraps_shows_its_whole_text_and_toggles_from_it(demo_store, make_window, qapp, qtbot,
                                                                          large_font):
    """Outputs' "Include the applicants' contact data (…)" at 14 pt in English: on two lines within the
    screen, as tall as its wrapped text, and a click on its second line ticks it like a click on the box."""
    from PySide6.QtCore import QPoint, Qt

    install_language(qapp, "en")
    try:
        w = make_window(demo_store)
        w.resize(*LAPTOP)
        screen = w.show_screen("outputs")
        flush_events(qapp)
        box = screen.include_personal
        one_line = box.fontMetrics().height()
        assert box.width() <= w._pages["outputs"].viewport().width()
        assert box.height() >= box.heightForWidth(box.width()) >= 2 * one_line
        assert not box.isChecked()
        qtbot.mouseClick(box, Qt.LeftButton, pos=QPoint(box.width() // 3, box.height() - one_line // 2))
        assert box.isChecked()
    finally:
        install_language(qapp, "ko")
