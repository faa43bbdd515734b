"""Shared fixtures of the GUI tests (pytest-qt, offscreen).

* one QApplication for the run (pytest-qt's ``qapp``), set up like the real app: bundled fonts,
  Korean translations, the log file in the per-test log directory;
* ``sync_tasks``: a TaskManager whose executor runs each operation at once on the calling thread, so
  tests are deterministic (a few tests use the real background worker on purpose);
* ``dialogs``: QMessageBox / QFileDialog / QInputDialog patched — tests queue the answers, and a
  test fails if an error dialog appeared that it did not expect;
* every test fails if it leaves a worker thread or an active timer behind, or if anything tried to
  open a network connection.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QInputDialog, QMessageBox  # noqa: E402
from shiboken6 import isValid  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session", autouse=True)
def _gui_app(qapp):
    from ui.app import setup_application
    from ui.i18n import install_language
    from ui.i18n_build import build

    build()
    setup_application(qapp)
    install_language(qapp, "ko")
    yield qapp


@pytest.fixture(autouse=True)
def _per_test_logging(_isolated_dirs):
    from ui.errors import setup_logging, teardown_logging

    setup_logging()
    yield
    teardown_logging()


# --- no network ---------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Fails the test if anything tries to open a network connection (the app must work offline)."""
    attempts: list[str] = []
    real_connect = socket.socket.connect

    def guarded_connect(self, address):  # noqa: ANN001
        if self.family == getattr(socket, "AF_UNIX", None):
            return real_connect(self, address)
        attempts.append(f"socket.connect{address!r}")
        raise OSError("network use is forbidden in the desktop app")

    def guarded_create_connection(address, *a, **k):  # noqa: ANN001
        attempts.append(f"socket.create_connection{address!r}")
        raise OSError("network use is forbidden in the desktop app")

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect)
    monkeypatch.setattr(socket, "create_connection", guarded_create_connection)
    yield attempts
    assert not attempts, f"the UI tried to use the network: {attempts}"


# --- leaks ----------------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def no_leaks(qapp):
    """Fails a test that leaves a worker thread or an active timer behind."""
    from ui import worker

    before = set(threading.enumerate())
    yield
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    qapp.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    threads = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    timers = [t for t in list(worker.live_timers) if isValid(t) and t.isActive()]
    for t in timers:
        t.stop()
    assert not threads, f"threads left running: {[t.name for t in threads]}"
    assert not timers, f"{len(timers)} timers left running"


# --- dialogs --------------------------------------------------------------------------------------
class Dialogs:
    """Answers for the standard dialogs, queued by the test; a record of what was shown."""

    def __init__(self) -> None:
        self.files: list = []  # answers for QFileDialog (path, list of paths, or None = cancel)
        self.texts: list = []  # answers for QInputDialog.getText (str or None = cancel)
        self.confirms: list[bool] = []  # answers for Yes/No questions (default: Yes)
        self.on_exec: dict[str, object] = {}  # objectName -> callable(dialog) -> result, for custom dialogs
        self.shown: list[tuple[str, str, str]] = []  # (objectName/kind, text, informative text)
        self.errors: list[str] = []
        self.expect_errors = False

    def expect_error(self) -> None:
        self.expect_errors = True

    def messages(self) -> list[str]:
        return [f"{t}\n{i}" for _k, t, i in self.shown]


@pytest.fixture(autouse=True)
def dialogs(monkeypatch):
    d = Dialogs()

    def next_file(kind):
        assert d.files, f"unexpected file dialog ({kind}); queue an answer in dialogs.files"
        return d.files.pop(0)

    def get_open(*a, **k):
        p = next_file("open")
        return (str(p) if p else "", "")

    def get_opens(*a, **k):
        p = next_file("open many")
        return ([str(x) for x in p] if p else [], "")

    def get_save(*a, **k):
        p = next_file("save")
        return (str(p) if p else "", "")

    def get_dir(*a, **k):
        p = next_file("folder")
        return str(p) if p else ""

    def get_text(*a, **k):
        assert d.texts, "unexpected text prompt; queue an answer in dialogs.texts"
        v = d.texts.pop(0)
        return ("", False) if v is None else (v, True)

    def box_exec(self):
        name = self.objectName() or "messageBox"
        d.shown.append((name, self.text(), self.informativeText()))
        if name == "errorDialog":
            d.errors.append(f"{self.text()} | {self.informativeText()} | {self.detailedText()}")
            return QMessageBox.Ok
        buttons = self.standardButtons()
        if buttons & QMessageBox.Yes:
            answer = d.confirms.pop(0) if d.confirms else True
            return QMessageBox.Yes if answer else QMessageBox.No
        return QMessageBox.Ok

    def static_box(kind):
        def f(parent, title, text, *a, **k):
            d.shown.append((kind, text, ""))
            if kind == "question":
                return QMessageBox.Yes if (d.confirms.pop(0) if d.confirms else True) else QMessageBox.No
            return QMessageBox.Ok
        return staticmethod(f)

    def dialog_exec(self):
        handler = d.on_exec.get(self.objectName())
        assert handler is not None, f"unexpected dialog {self.objectName()!r}; set dialogs.on_exec[name]"
        result = handler(self)
        if result:
            self.accept()
        else:
            self.reject()
        return QDialog.Accepted if result else QDialog.Rejected

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(get_open))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(get_opens))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(get_save))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(get_dir))
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    monkeypatch.setattr(QMessageBox, "exec", box_exec)
    for kind in ("question", "warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, kind, static_box(kind))
    monkeypatch.setattr(QDialog, "exec", dialog_exec)
    opened_urls: list = []
    from PySide6.QtGui import QDesktopServices

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened_urls.append(url) or True))
    d.opened_urls = opened_urls
    yield d
    if not d.expect_errors:
        assert not d.errors, f"unexpected error dialog(s): {d.errors}"


# --- app pieces -----------------------------------------------------------------------------------
@pytest.fixture
def sync_tasks():
    from ui.worker import SyncExecutor, TaskManager

    tasks = TaskManager(SyncExecutor())
    yield tasks
    if isValid(tasks):
        tasks.shutdown()


@pytest.fixture
def make_window(qtbot, sync_tasks):
    """Open the main window on a store (synchronous worker); closed at the end of the test."""
    from ui.main_window import MainWindow

    windows = []

    def make(store, tasks=None):
        w = MainWindow(store, tasks=tasks or sync_tasks)
        qtbot.addWidget(w)
        w.show()
        windows.append(w)
        return w

    yield make
    for w in windows:
        if isValid(w) and w.isVisible():
            w.close()


OFFICE_PASSPHRASE = "office-passphrase"
EVALUATOR_PASSPHRASE = "evaluator-passphrase"


@pytest.fixture(scope="session")
def kit_world(demo_before_visits_template, tmp_path_factory):
    """Built once: an office database (demo before the visits) with its office key, EV01's kit, and
    the field database imported from that kit — the real office → field path."""
    from evaluator.store import Store
    from evaluator.workflows import import_kit

    root = tmp_path_factory.mktemp("kitworld")
    keys = root / "keys"
    office = root / "office.sqlite3"
    shutil.copyfile(demo_before_visits_template, office)
    with Store(f"sqlite:///{office}") as st:
        st.keys.ensure(OFFICE_PASSPHRASE, key_dir=keys)
        st.packages.export_kit("EV01", root / "kit-EV01.mekit")
    field = root / "field.sqlite3"
    import_kit(root / "kit-EV01.mekit", f"sqlite:///{field}")
    return {"office": office, "field": field, "keys": keys, "kit": root / "kit-EV01.mekit"}


def _with_keys(kit_world, data_dir: Path) -> None:
    shutil.copytree(kit_world["keys"], data_dir / "keys", dirs_exist_ok=True)


@pytest.fixture
def field_store(kit_world, tmp_path, _isolated_dirs):
    """EV01's field database, made from a kit (per-test copy)."""
    from evaluator.store import Store

    path = tmp_path / "field.sqlite3"
    shutil.copyfile(kit_world["field"], path)
    _with_keys(kit_world, _isolated_dirs)
    st = Store(f"sqlite:///{path}")
    yield st
    st.close()


@pytest.fixture
def kit_office_store(kit_world, tmp_path, _isolated_dirs):
    """The office database the field kit came from (its office key in the per-test key folder)."""
    from evaluator.store import Store

    path = tmp_path / "office.sqlite3"
    shutil.copyfile(kit_world["office"], path)
    _with_keys(kit_world, _isolated_dirs)
    st = Store(f"sqlite:///{path}")
    yield st
    st.close()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory):
    """Where screenshots go: a temporary folder, or ``EVALUATOR_SCREENSHOTS`` (e.g. docs/images)."""
    target = os.environ.get("EVALUATOR_SCREENSHOTS")
    if target:
        p = Path(target)
        p.mkdir(parents=True, exist_ok=True)
        return p
    return tmp_path_factory.mktemp("screenshots")


def flush_events(qapp, rounds: int = 3) -> None:
    for _ in range(rounds):
        QApplication.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)


def type_text(widget, text: str) -> None:
    """Type ``text`` into ``widget`` key by key, Hangul included (QTest only knows ASCII keys)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QKeyEvent

    for ch in text:
        for kind in (QEvent.KeyPress, QEvent.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key_unknown, Qt.NoModifier, ch))


def select_rows(view, rows: list[int]) -> None:
    """Select exactly ``rows`` (QTableView.selectRow honours whatever modifier keys Qt believes are
    held, which a previous keyboard test may have left behind)."""
    from PySide6.QtCore import QItemSelectionModel

    sm = view.selectionModel()
    sm.clearSelection()
    for r in rows:
        sm.select(view.model().index(r, 0), QItemSelectionModel.Select | QItemSelectionModel.Rows)
    if rows:
        sm.setCurrentIndex(view.model().index(rows[0], 0), QItemSelectionModel.NoUpdate)
