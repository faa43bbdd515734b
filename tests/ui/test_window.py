"""The main window around the screens: modes, settings (language, font size, identity), window
geometry, recent databases, and the File menu (new, open, back up, restore)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from evaluator.store import Store
from evaluator.workflows import import_kit
from ui.i18n import install_language
from ui.main_window import MainWindow
from ui.settings import Settings


def nav_texts(w):
    return [w.nav.item(i).text() for i in range(w.nav.count())]


def trigger(w, name):
    from PySide6.QtGui import QAction

    action = w.findChild(QAction, name)
    assert action is not None, name
    action.trigger()


def test_office_database_opens_the_office_screens(demo_store, make_window):
    w = make_window(demo_store)
    assert list(w.screens) == ["applications", "import", "assignments", "kits", "ranking", "awards", "outputs",
                               "progress", "program"]
    assert demo_store.programs.get().name_ko in w.windowTitle()
    for key in w.screens:
        w.show_screen(key)  # every screen builds and refreshes without an error dialog


def test_korean_by_default_and_english_from_settings(demo_store, make_window, dialogs, qapp):
    w = make_window(demo_store)
    korean = nav_texts(w)
    assert korean[0] == QCoreApplication.translate("", "Applications") != "Applications"
    assert any("\uac00" <= ch <= "\ud7a3" for ch in korean[0])  # Hangul

    def choose_english(dlg):
        dlg.language.setCurrentIndex(dlg.language.findData("en"))
        dlg.font_size.setValue(14)
        return True

    dialogs.on_exec["settingsDialog"] = choose_english
    try:
        trigger(w, "actionSettings")
        assert nav_texts(w)[0] == "Applications"
        assert QApplication.font().pointSize() == 14
        s = Settings()
        assert s.language == "en" and s.get("font_size") == 14
        # Qt's own catalogue follows (standard buttons)
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    finally:
        install_language(qapp, "ko")
        from ui.i18n import apply_font

        apply_font(qapp, 10)
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") != "Cancel"  # qtbase_ko is installed too


def test_window_geometry_and_recent_databases_are_remembered(demo_store, demo_path, qtbot, sync_tasks):
    w = MainWindow(demo_store, tasks=sync_tasks)
    qtbot.addWidget(w)
    w.show()
    w.resize(w.width(), 577)  # (the offscreen test screen is 800×600; the height is what fits)
    w.close()
    s = Settings()
    assert not s.get("window_geometry").isEmpty()
    assert any(str(demo_path) in u for u in s.get("recent_databases"))
    from ui.worker import SyncExecutor, TaskManager

    with Store(f"sqlite:///{demo_path}") as again:
        w2 = MainWindow(again, tasks=TaskManager(SyncExecutor()))
        qtbot.addWidget(w2)
        assert w2.height() == 577
        w2.close()


def test_back_up_and_restore(demo_store, demo_path, make_window, tmp_path, dialogs):
    w = make_window(demo_store)
    backup = tmp_path / "backups" / "office-backup.sqlite3"
    dialogs.files.append(backup)
    trigger(w, "actionBackup")
    assert backup.exists()
    con = sqlite3.connect(backup)
    assert con.execute("select count(*) from application").fetchone()[0] == 48
    con.close()
    # a change after the backup …
    w.store.applications.put({"id": "2012-A-900", "track": "activity", "title": "백업 뒤에 추가"})
    assert w.store.info().applications == 49
    # … is gone after restoring; the replaced database is kept beside it
    dialogs.files.append(backup)
    trigger(w, "actionRestore")
    assert w.store.info().applications == 48
    kept = list(demo_path.parent.glob(f"{demo_path.name}.before-restore-*"))
    assert len(kept) == 1
    con = sqlite3.connect(kept[0])
    assert con.execute("select count(*) from application").fetchone()[0] == 49
    con.close()


def test_new_database_then_a_kit_then_open_recent(demo_store, demo_path, kit_world, make_window, tmp_path,
                                                  dialogs):
    w = make_window(demo_store)
    new = tmp_path / "new.sqlite3"
    dialogs.files.append(new)
    trigger(w, "actionNew")
    assert list(w.screens) == ["welcome"]
    assert new.exists()
    # the welcome screen says what to do; importing a field kit makes a field database and opens it
    from PySide6.QtWidgets import QPushButton

    field = tmp_path / "laptop.sqlite3"
    dialogs.files += [kit_world["kit"], field]
    asked = []

    def protect(dlg):  # a new field database is encrypted by default: OK stays off until the passphrase is typed
        asked.append(dlg.fields.encrypt.isChecked())
        assert not dlg.buttons.button(dlg.buttons.StandardButton.Ok).isEnabled()
        dlg.fields.db_passphrase.setText("laptop passphrase")
        dlg.fields.db_again.setText("laptop passphrase")
        return dlg.buttons.button(dlg.buttons.StandardButton.Ok).isEnabled()

    dialogs.on_exec["newDatabasePassphraseDialog"] = protect
    w.screens["welcome"].findChild(QPushButton, "importKit").click()
    assert asked == [True]
    assert w.ctx.is_field and w.ctx.evaluator == "EV01" and field.exists()
    assert not field.read_bytes().startswith(b"SQLite format 3")  # encrypted at rest
    # open the office database again from the file dialog and find all three in File → Open recent
    dialogs.files.append(demo_path)
    trigger(w, "actionOpen")
    assert w.meta["sqlite_path"] == demo_path and not w.ctx.is_field
    recent = Settings().get("recent_databases")
    for p in (new, field, demo_path):
        assert any(str(p) in u for u in recent)
    from PySide6.QtWidgets import QMenu

    menu = w.findChild(QMenu, "menuRecent")
    assert len(menu.actions()) >= 3
    menu.actions()[1].trigger()  # the field database again, from the menu
    assert w.ctx.is_field


def test_opening_a_file_that_is_not_a_database_explains_what_to_do(demo_store, make_window, tmp_path, dialogs):
    w = make_window(demo_store)
    junk = tmp_path / "notes.sqlite3"
    junk.write_bytes(b"this is not a database" * 100)
    dialogs.expect_error()
    dialogs.files.append(junk)
    # it could be an encrypted field database: the app asks its passphrase, and again after a wrong one
    dialogs.texts += ["a guess", None]
    trigger(w, "actionOpen")
    assert dialogs.texts == []
    assert dialogs.errors and "notes.sqlite3" in dialogs.errors[-1]
    assert w.store.info().applications == 48  # still on the office database


def test_an_encrypted_field_database_asks_its_passphrase_again_after_a_wrong_one(
        demo_store, demo_path, kit_world, make_window, tmp_path, dialogs):
    from PySide6.QtCore import QCoreApplication as Q

    field = tmp_path / "locked.sqlite3"
    import_kit(kit_world["kit"], f"sqlite:///{field}", passphrase="correct horse")
    before = field.read_bytes()
    w = make_window(demo_store)
    # three wrong passphrases: asked three times, then one error, and the office database stays open
    dialogs.expect_error()
    dialogs.files.append(field)
    dialogs.texts += ["wrong horse", "wrong pony", "wrong mule"]
    trigger(w, "actionOpen")
    assert dialogs.texts == [] and len(dialogs.errors) == 1
    assert "locked.sqlite3" in dialogs.errors[-1] and "암호가 틀렸거나" in dialogs.errors[-1]  # the core's, in Korean
    assert w.store.info().applications == 48 and field.read_bytes() == before
    # cancel: nothing happens
    dialogs.files.append(field)
    dialogs.texts.append(None)
    trigger(w, "actionOpen")
    assert not w.ctx.is_field and len(dialogs.errors) == 1
    # a typo, then the right one: the second question says the first did not open it
    asked = []
    from PySide6.QtWidgets import QInputDialog

    patched = QInputDialog.getText

    def record(parent, title, label, *a, **k):
        asked.append(label)
        return patched(parent, title, label, *a, **k)

    import pytest

    mp = pytest.MonkeyPatch()
    mp.setattr(QInputDialog, "getText", staticmethod(record))
    try:
        dialogs.files.append(field)
        dialogs.texts += ["correct hors", "correct horse"]
        trigger(w, "actionOpen")
    finally:
        mp.undo()
    assert w.ctx.is_field and w.ctx.evaluator == "EV01"
    again = Q.translate("", "The passphrase did not open {name}. Try again (%n tries left):", "", 2)
    assert asked[1] == again.format(name="locked.sqlite3") and "2" in asked[1]


def test_a_wrong_passphrase_at_start_is_asked_again_then_the_start_screen_shows(
        kit_world, tmp_path, qtbot, sync_tasks, dialogs):
    """evaluator-gui --db locked.sqlite3 with a wrong passphrase: the app does not close; it asks
    again (three tries), then shows the start screen, from which another database can be opened."""
    field = tmp_path / "locked.sqlite3"
    import_kit(kit_world["kit"], f"sqlite:///{field}", passphrase="correct horse")
    w = MainWindow(None, tasks=sync_tasks)
    qtbot.addWidget(w)
    w.show()
    dialogs.expect_error()
    dialogs.texts += ["no", "nope", "never"]
    w.switch_to(str(field))
    assert dialogs.texts == [] and len(dialogs.errors) == 1
    assert list(w.screens) == ["start"] and w.store is None
    from PySide6.QtWidgets import QPushButton

    start = w.screens["start"]
    assert start.findChild(QPushButton, "startOpen") is not None
    dialogs.files.append(field)
    dialogs.texts.append("correct horse")
    start.findChild(QPushButton, "startOpen").click()
    assert w.ctx.is_field
    w.close()


# --- start: the window shows first, the database opens on the worker -------------------------------
def test_the_window_shows_at_once_and_the_screens_follow_when_the_database_has_opened(
        demo_path, qtbot, sync_tasks):
    from PySide6.QtWidgets import QLabel

    w = MainWindow(None, tasks=sync_tasks)
    qtbot.addWidget(w)
    w.show()
    opening = w.findChild(QLabel, "openingLabel")
    assert opening is not None and opening.text() == QCoreApplication.translate("", "Opening the database…")
    assert w.screens == {}
    extras = []
    w.open_at_start(lambda: (Store(f"sqlite:///{demo_path}"), "first run"), extras.append)
    assert w.screens == {}  # nothing happens before the event loop turns: the first frame comes first
    qtbot.waitUntil(lambda: "applications" in w.screens)
    assert extras == ["first run"]
    assert w.store.info().applications == 48
    w.close()


def test_a_database_that_cannot_be_opened_at_start_is_reported_and_the_start_screen_shows(
        tmp_path, qtbot, sync_tasks, dialogs, monkeypatch):
    from evaluator.errors import DatabaseUnavailable

    exits = []
    monkeypatch.setattr(QApplication, "exit", staticmethod(lambda code=0: exits.append(code)))
    dialogs.expect_error()
    w = MainWindow(None, tasks=sync_tasks)
    qtbot.addWidget(w)
    w.show()

    def opener():
        raise DatabaseUnavailable(f"Cannot open database {tmp_path / 'gone' / 'x.sqlite3'}: the folder does not exist.")

    w.open_at_start(opener)
    qtbot.waitUntil(lambda: "start" in w.screens)
    assert any("gone" in e for e in dialogs.errors)
    assert exits == [] and list(w.screens) == ["start"]  # the app stays, offering what to open instead
    w.close()


def test_closing_the_window_while_the_database_opens_closes_the_store(demo_path, qtbot):
    """The real worker: the user closes the window while the database is still opening; closing
    waits for it and closes the store the window never got to use."""
    import threading

    release = threading.Event()
    opened, closed = [], []

    def opener():
        release.wait(10)
        st = Store(f"sqlite:///{demo_path}")
        real_close = st.close
        st.close = lambda: (closed.append(st), real_close())
        opened.append(st)
        return st, None

    w = MainWindow(None)
    qtbot.addWidget(w)
    w.show()
    w.open_at_start(opener)
    qtbot.waitUntil(lambda: w.tasks.busy)  # the worker is opening the database
    threading.Timer(0.2, release.set).start()
    w.close()  # waits for the worker, then closes what it opened
    assert w.screens == {}
    assert len(opened) == 1 and closed == opened


def test_the_quick_path_check_at_start_agrees_with_the_url_parser():
    """ui.app reads a plain SQLite path without importing SQLAlchemy (faster start); wherever it
    answers, its answer is the full parser's."""
    from evaluator.db.engine import parse_url, sqlite_path
    from evaluator.errors import EvaluatorError
    from ui.app import _plain_sqlite_path

    cases = ["office.sqlite3", "/tmp/a b.sqlite3", "~/x.db", "sqlite:///rel.db", "sqlite:////abs/x.db",
             "sqlite:///a%20b.db", "/tmp/a%20b.db", "sqlite:///x.db?mode=ro", "sqlite:///:memory:", "sqlite://",
             "postgresql+psycopg://u@h/d", "postgresql://u@h/d", "foo:bar", "mysql://x/y", "sqlite:///마을.db", ""]
    for case in cases:
        quick = _plain_sqlite_path(case)
        if quick is False:
            continue
        try:
            full = sqlite_path(parse_url(case))
        except EvaluatorError:
            full = "error"
        assert quick == full, case


def test_the_heap_of_the_built_window_is_kept_out_of_collections_until_the_next_rebuild(demo_store, make_window,
                                                                                       qapp):
    """What is alive when the screens are built is frozen out of the garbage collector (a full
    collection does not walk it again); a rebuild puts it back within reach, so what the old screens
    held can be collected."""
    import gc
    import weakref

    from .conftest import flush_events

    class Holder:
        pass

    w = make_window(demo_store)
    flush_events(qapp)
    assert gc.get_freeze_count() > 0
    held = Holder()
    held.me = held  # a reference cycle: only the collector can free it
    ref = weakref.ref(held)
    w.apply_settings({"language": "ko"})  # rebuilds the screens: ``held`` is alive, so it is frozen
    flush_events(qapp)
    del held
    gc.collect()
    assert ref() is not None  # garbage now, but frozen
    w.apply_settings({"language": "ko"})  # the next rebuild
    flush_events(qapp)
    gc.collect()
    assert ref() is None


def test_what_the_first_frame_waits_for_is_the_window_alone():
    """Starting the app imports the window and what it shows first; the core's storage, the
    spreadsheets, the screens, the dialogs and the table models come after the window has shown."""
    import os
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import ui.app, ui.main_window\n"
        "heavy = ('sqlalchemy', 'evaluator.store', 'openpyxl', 'reportlab', 'ui.screens', 'ui.models', "
        "'ui.dialogs', 'ui.problems', 'ui.widgets')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True,
                         cwd=str(Path(__file__).resolve().parents[2]))
    assert out.stdout.strip() == "[]", out.stdout


def test_splitters_and_columns_are_remembered(demo_store, demo_path, qtbot, sync_tasks, qapp):
    """Splitter positions and column layouts (widths, hidden columns) are saved in the settings with
    the window's state (window/state is written) and come back in the next window."""
    from PySide6.QtWidgets import QSplitter

    from ui.worker import SyncExecutor, TaskManager

    from .conftest import flush_events

    w = MainWindow(demo_store, tasks=sync_tasks)
    qtbot.addWidget(w)
    w.show()
    w.resize(1280, 820)
    apps = w.show_screen("applications")
    split = apps.findChild(QSplitter, "applicationsSplit")
    split.setSizes([600, 500])
    sizes = split.sizes()
    apps.table.setColumnHidden(5, True)  # district
    apps.table.setColumnWidth(0, 133)
    w.close()
    s = Settings()
    assert not s.get("window_state").isEmpty()
    assert "applications/applicationsSplit" in s.get("layout_states")
    with Store(f"sqlite:///{demo_path}") as again:
        w2 = MainWindow(again, tasks=TaskManager(SyncExecutor()))
        qtbot.addWidget(w2)
        w2.show()
        w2.resize(1280, 820)
        flush_events(qapp)
        apps2 = w2.show_screen("applications")
        assert apps2.findChild(QSplitter, "applicationsSplit").sizes() == sizes
        assert apps2.table.isColumnHidden(5) and apps2.table.columnWidth(0) == 133
        w2.close()


def test_settings_show_the_language_of_this_run_and_the_saved_one_when_they_differ(demo_store, make_window, dialogs,
                                                                                 qapp):
    """``evaluator-gui --lang en`` with Korean saved: Settings show English (the language in use), say
    that it is this run's and that Korean is saved; OK keeps Korean saved unless asked to keep English."""
    from ui.i18n import language

    Settings().set("language", "ko")
    install_language(qapp, "en")  # what setup_application does with --lang en
    seen = {}

    def look(dlg):
        seen.update(shown=dlg.language.currentData(), note=dlg.language_note.text(),
                    note_shown=not dlg.language_note.isHidden(), remember=dlg.remember_language.text())
        return True

    try:
        w = make_window(demo_store)
        dialogs.on_exec["settingsDialog"] = look
        trigger(w, "actionSettings")
        assert seen["shown"] == "en" and seen["note_shown"]
        assert seen["note"] == "English (this session, from --lang); saved: 한국어"
        assert Settings().language == "ko" and language() == "en"  # OK alone changed nothing

        def keep_english(dlg):
            dlg.remember_language.setChecked(True)
            return True

        dialogs.on_exec["settingsDialog"] = keep_english
        trigger(w, "actionSettings")
        assert Settings().language == "en" and language() == "en"

        dialogs.on_exec["settingsDialog"] = look  # the same language saved and in use: no note
        trigger(w, "actionSettings")
        assert seen["shown"] == "en" and not seen["note_shown"]
    finally:
        install_language(qapp, "ko")


def test_settings_say_in_korean_when_this_runs_language_is_not_the_saved_one(demo_store, make_window, dialogs, qapp):
    """``--lang ko`` with English saved: the note reads in Korean, and choosing English switches and saves."""
    from ui.i18n import language

    Settings().set("language", "en")
    seen = {}

    def look(dlg):
        seen.update(shown=dlg.language.currentData(), note=dlg.language_note.text(),
                    note_shown=not dlg.language_note.isHidden())
        dlg.language.setCurrentIndex(dlg.language.findData("en"))
        return True

    try:
        w = make_window(demo_store)
        dialogs.on_exec["settingsDialog"] = look
        trigger(w, "actionSettings")
        assert seen["shown"] == "ko" and seen["note_shown"]
        assert "한국어" in seen["note"] and "English" in seen["note"] and "--lang" in seen["note"]
        assert "this session" not in seen["note"]  # translated
        assert language() == "en" and nav_texts(w)[0] == "Applications" and Settings().language == "en"
    finally:
        install_language(qapp, "ko")
