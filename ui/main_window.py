"""The main window: a navigation list on the left, the current screen on the right, and the menus.

The database decides the mode: an office database shows the office screens, a field database
(made from a kit) the evaluator's.  Opening another database, switching language or changing the
font rebuilds the screens (everything is saved as it changes, so nothing is lost doing so).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QTimer, QUrl, Qt
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QIcon, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (
    QApplication, QFrame, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMainWindow, QMenu, QPushButton,
    QScrollArea, QStackedWidget, QVBoxLayout, QWidget,
)

from evaluator.paths import resource

from .context import AppContext
from .i18n import apply_font, install_language, language, tr
from .settings import Settings
from .style import STYLE
from .worker import TaskManager

log = logging.getLogger(__name__)

# Imported where used, not here: the main window shows before anything else is needed, and what
# the first frame waits for is kept to the window itself (dialogs, the error dialog, the core's
# errors, html and datetime come with the first use).


from evaluator.workflows import open_store, sqlite_file, sqlite_url  # noqa: E402 - light: imports nothing heavy


def load_meta(st, actor: str | None = None) -> dict:
    """Runs on the worker: what the window needs to choose its mode and screens; ``actor`` (the
    person this machine remembers) acts from now on."""
    from evaluator.errors import EvaluatorError

    if actor:
        st.set_actor(actor)
    has_program = st.programs.exists()
    meta = {
        "role": st.role,
        "program": st.programs.get() if has_program else None,
        "evaluators": st.people.evaluators(),
        "url": st.display_url,
        "sqlite_path": st.sqlite_path,
        "field_evaluator": None,
        "key": None,
        "identity": st.identity,
    }
    if meta["role"] == "field":
        kit = st.packages.kit_info()
        meta["field_evaluator"] = kit.evaluator if kit else None
    if has_program:
        try:
            meta["key"] = st.keys.identity()
        except EvaluatorError:  # a field database without its kit yet has no key owner
            log.debug("no key information", exc_info=True)
    return meta


def _settle_heap() -> None:
    """After the screens are (re)built: collect once, then freeze what is left out of the garbage
    collector's reach (``gc.freeze``).

    What is alive then (the modules, the store's engine and mappings, the screens and their Qt
    wrappers: some 150,000 objects) lives as long as these screens.  Unfrozen, every full collection
    walked all of it again, 40-70 ms with the GIL held, and a long job on the worker (an intake
    import) set off several of them: the GUI thread stood still that long each time.  The one
    collection here (after unfreezing what the previous build froze) frees what the replaced screens
    held, so nothing stays frozen that is no longer used.  The core's bulk work keeps this heap
    frozen (``evaluator.heap``)."""
    from evaluator.heap import freeze_program_heap

    freeze_program_heap()


class WelcomeScreen(QWidget):
    """A database with no program yet: say what to do next."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("welcomeScreen")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(40, 30, 40, 30)
        t = QLabel(tr("This database has no program yet"), self)
        t.setObjectName("screenTitle")
        lay.addWidget(t)
        text = QLabel(tr("Start with the demo program (48 fictional applications, 5 evaluators) to find your way "
                         "around, or import a field kit you received from the office."), self)
        text.setWordWrap(True)
        lay.addWidget(text)
        row = QHBoxLayout()
        demo = QPushButton(tr("Create the demo program here"), self)
        demo.setObjectName("createDemo")
        demo.clicked.connect(window.create_demo_here)
        demo.setEnabled(window.ctx.role != "field")
        row.addWidget(demo)
        kit = QPushButton(tr("Import a field kit…"), self)
        kit.setObjectName("importKit")
        kit.clicked.connect(window.import_kit)
        row.addWidget(kit)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addStretch(1)

    def refresh(self) -> None:
        return None


class MainWindow(QMainWindow):
    def __init__(self, store, *, tasks: TaskManager | None = None, settings: Settings | None = None,
                 ask_identity: bool = False) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.settings = settings or Settings()
        # ask who is working once the first office database is open (the app at start; tests open it by hand)
        self._ask_identity = ask_identity
        self._actor_label: QLabel | None = None
        self._passphrases: dict[str, str] = {}  # encrypted databases opened in this session (memory only)
        self.tasks = tasks or TaskManager(parent=self)
        if self.tasks.parent() is None:
            self.tasks.setParent(self)
        self.ctx: AppContext | None = None
        self.meta: dict = {}
        self.screens: dict[str, QWidget] = {}
        self._stale: set[str] = set()
        self._opening = None  # a store opened at start whose screens are not built yet
        self.undo_group = QUndoGroup(self)
        self.setWindowIcon(QIcon(str(resource("icons", "app-256.png"))))
        self.setStyleSheet(STYLE)
        self.resize(1280, 820)
        geometry = self.settings.get("window_geometry")
        if geometry is not None and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        if store is not None:
            self.set_store(store)
        else:  # the store is opened on the worker once the window shows (see open_at_start)
            self.ctx = AppContext(None, self.tasks, self.settings, self)
            self._placeholder(tr("Opening the database…"))

    def _placeholder(self, text: str) -> None:
        label = QLabel(text, self)
        label.setObjectName("openingLabel")
        label.setAlignment(Qt.AlignCenter)
        self.setCentralWidget(label)

    def open_at_start(self, opener, opened=None) -> None:
        """Open the first store on the worker, after the window has shown: ``opener()`` returns
        ``(store, extra)``; then the screens are built and ``opened(extra)`` runs on the GUI thread.
        When opening fails the error is shown and the app leaves with exit code 1."""
        def body(_none):
            result = opener()
            self._opening = result[0]  # closed by closeEvent if the window closes before ``done``
            return result

        def done(result) -> None:
            store, extra = result
            self._opening = None
            self.set_store(store)
            if opened is not None:
                opened(extra)

        def failed(exc: BaseException) -> None:
            from .errors import show_error

            show_error(self, exc)
            QApplication.exit(1)

        op = self.ctx.query(body, done, parent=self).failure(failed)
        # on the first turn of the event loop: the window's first frame is not slowed by the
        # worker importing the core at the same time
        QTimer.singleShot(0, self, op.run_in_background)

    # --- store and mode ---------------------------------------------------------------------------
    def set_store(self, store) -> None:
        if self.ctx is not None:
            self.ctx.deleteLater()
        self.ctx = AppContext(store, self.tasks, self.settings, self)
        self.ctx.status.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.ctx.changed.connect(self._on_changed)
        actor = self.settings.get("identity_name") or None
        self.ctx.query(lambda st: load_meta(st, actor), self._meta_loaded, parent=self).run_in_background()

    @property
    def store(self):
        return self.ctx.store if self.ctx else None

    def _meta_loaded(self, meta: dict) -> None:
        self.meta = meta
        ctx = self.ctx
        ctx.role = meta["role"]
        ctx.program = meta["program"]
        ctx.evaluators = meta["evaluators"]
        ctx.key_info = meta.get("key")
        codes = [e.code for e in meta["evaluators"]]
        chosen = self.settings.get("identity_evaluator")
        if ctx.is_field:
            if meta["field_evaluator"] in codes:
                ctx.evaluator = meta["field_evaluator"]
            elif chosen in codes:
                ctx.evaluator = chosen
            elif len(codes) == 1:
                ctx.evaluator = codes[0]
        else:
            ctx.evaluator = chosen if chosen in codes else None
        path = meta.get("sqlite_path")
        if path:
            self.settings.add_recent(sqlite_url(path))
        self.build()
        who = meta.get("identity")
        if self._ask_identity and not ctx.is_field and who is not None and who.source == "account":
            self._ask_identity = False
            QTimer.singleShot(0, self, self.choose_actor)

    def build(self) -> None:
        """(Re)build menus, header and screens for the current store, mode and language."""
        old = self.centralWidget()
        self.screens = {}
        central = QWidget(self)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self._header())
        body = QHBoxLayout()
        body.setSpacing(0)
        self.nav = QListWidget(central)
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(210)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.nav.setTextElideMode(Qt.ElideRight)
        self.stack = QStackedWidget(central)
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        outer.addLayout(body, 1)
        self._pages: dict[str, QWidget] = {}
        for key, label, screen in self._make_screens():
            self.screens[key] = screen
            item = QListWidgetItem(label)
            item.setData(Qt.UserRole, key)
            self.nav.addItem(item)
            # on a small screen a page scrolls instead of forcing the window to grow
            page = QScrollArea(self.stack)
            page.setObjectName(f"page_{key}")
            page.setWidgetResizable(True)
            page.setFrameShape(QFrame.NoFrame)
            page.setWidget(screen)
            self._pages[key] = page
            self.stack.addWidget(page)
        self.nav.currentRowChanged.connect(self._nav_changed)
        self.setCentralWidget(central)
        if old is not None:
            old.deleteLater()
        self._build_menus()
        self._update_title()
        self._stale = set(self.screens)
        if self.nav.count():
            self.nav.setCurrentRow(0)
        self.statusBar().showMessage(self.meta.get("url", ""))
        QTimer.singleShot(0, self, _settle_heap)  # once the replaced screens are deleted


    def _header(self) -> QFrame:
        from html import escape

        ctx = self.ctx
        bar = QFrame(self)
        bar.setObjectName("headerBar")
        lay = QHBoxLayout(bar)
        lay.setContentsMargins(14, 8, 14, 8)
        program = ctx.program
        name = QLabel(f"<b>{escape(program.name(language()))}</b>" if program else tr("Maeul Evaluator"), bar)
        name.setObjectName("programName")
        lay.addWidget(name, 1)
        if ctx.is_field:
            who = next((e for e in ctx.evaluators if e.code == ctx.evaluator), None)
            text = tr("Field — {evaluator}").format(evaluator=f"{who.code} {who.name}" if who else "?")
        else:
            text = tr("Office")
        badge = QLabel(text, bar)
        badge.setObjectName("modeBadge")
        lay.addWidget(badge)
        from .identity import actor_text

        who = self.meta.get("identity")
        self._actor_label = QLabel(actor_text(who) if who is not None else "", bar)
        self._actor_label.setObjectName("actorBadge")
        lay.addWidget(self._actor_label)
        if who is not None and who.source != "login" and not ctx.is_field:
            change = QPushButton(tr("Who is working?"), bar)
            change.setObjectName("changeActor")
            change.clicked.connect(self.choose_actor)
            lay.addWidget(change)
        return bar

    def choose_actor(self) -> None:
        from .identity import choose_actor

        choose_actor(self)

    def identity_changed(self) -> None:
        """The person acting changed: the header says so (the store already acts as them)."""
        from .identity import actor_text

        who = self.store.identity
        self.meta["identity"] = who
        if self._actor_label is not None:
            self._actor_label.setText(actor_text(who))
        self.ctx.status_message(actor_text(who))

    def _make_screens(self) -> list[tuple[str, str, QWidget]]:
        ctx = self.ctx
        if ctx.program is None:
            return [("welcome", tr("Start"), WelcomeScreen(self))]
        if ctx.is_field:
            from .screens.handback import HandBackScreen
            from .screens.today import TodayScreen

            today = TodayScreen(ctx, self)
            today.formOpened.connect(self._form_opened)
            return [("today", tr("Today's visits"), today), ("handback", tr("Hand back"), HandBackScreen(ctx, self))]
        from .screens.applications import ApplicationsScreen
        from .screens.assignments import AssignmentsScreen
        from .screens.import_wizard import ImportScreen
        from .screens.kits import KitsScreen
        from .screens.outputs import OutputsScreen
        from .screens.progress import ProgressScreen
        from .screens.ranking import RankingScreen

        return [
            ("applications", tr("Applications"), ApplicationsScreen(ctx, self)),
            ("import", tr("Import"), ImportScreen(ctx, self)),
            ("assignments", tr("Assignments and conflicts"), AssignmentsScreen(ctx, self)),
            ("kits", tr("Kits and packages"), KitsScreen(ctx, self)),
            ("ranking", tr("Ranking"), RankingScreen(ctx, self)),
            ("outputs", tr("Outputs"), OutputsScreen(ctx, self)),
            ("progress", tr("Progress"), ProgressScreen(ctx, self)),
        ]

    def _form_opened(self, form) -> None:
        if form is not None:
            self.undo_group.addStack(form.undo_stack)
            self.undo_group.setActiveStack(form.undo_stack)

    def _nav_changed(self, row: int) -> None:
        if row < 0:
            return
        key = self.nav.item(row).data(Qt.UserRole)
        self.stack.setCurrentWidget(self._pages[key])
        if key in self._stale:
            self._stale.discard(key)
            self.screens[key].refresh()

    def show_screen(self, key: str) -> QWidget:
        for row in range(self.nav.count()):
            if self.nav.item(row).data(Qt.UserRole) == key:
                self.nav.setCurrentRow(row)
                return self.screens[key]
        raise KeyError(key)

    def current_screen(self) -> QWidget | None:
        page = self.stack.currentWidget() if hasattr(self, "stack") else None
        return page.widget() if page is not None else None

    def _on_changed(self, changes, initiator) -> None:
        # screens that are not visible refresh when shown next
        current = self.current_screen()
        self._stale |= {k for k, w in self.screens.items() if w is not current}

    def _update_title(self) -> None:
        program = self.ctx.program
        name = program.name(language()) if program else ""
        where = self.meta.get("sqlite_path") or self.meta.get("url", "")
        where = Path(where).name if self.meta.get("sqlite_path") else where
        self.setWindowTitle(" — ".join(x for x in (tr("Maeul Evaluator"), name, str(where)) if x))

    # --- menus ------------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        mb = self.menuBar()
        for old in mb.findChildren(QMenu, options=Qt.FindDirectChildrenOnly):
            old.setParent(None)  # out of the tree now, freed on the next turn of the event loop
            old.deleteLater()
        mb.clear()
        f = mb.addMenu(tr("&File"))
        self._action(f, tr("&New database…"), self.new_database, QKeySequence.New, "actionNew")
        self._action(f, tr("&Open database…"), self.open_database, QKeySequence.Open, "actionOpen")
        recent = f.addMenu(tr("Open &recent"))
        recent.setObjectName("menuRecent")
        for url in self.settings.get("recent_databases"):
            a = recent.addAction(url.removeprefix("sqlite:///"))
            a.triggered.connect(lambda _=False, u=url: self.switch_to(u))
        recent.setEnabled(bool(recent.actions()))
        self._action(f, tr("Open the &demo database"), self.open_demo, None, "actionDemo")
        f.addSeparator()
        self._action(f, tr("&Back up database…"), self.backup_database, None, "actionBackup")
        self._action(f, tr("Re&store from backup…"), self.restore_database, None, "actionRestore")
        f.addSeparator()
        self._action(f, tr("Make a &field database from the demo"), self.make_field_demo, None, "actionFieldDemo")
        self._action(f, tr("Import a field &kit…"), self.import_kit, None, "actionImportKit")
        f.addSeparator()
        self._action(f, tr("&Settings…"), self.open_settings, QKeySequence("Ctrl+,"), "actionSettings")
        f.addSeparator()
        self._action(f, tr("&Quit"), self.close, QKeySequence.Quit, "actionQuit")
        e = mb.addMenu(tr("&Edit"))
        undo = self.undo_group.createUndoAction(self, tr("&Undo"))
        undo.setShortcut(QKeySequence.Undo)
        undo.setObjectName("actionUndo")
        redo = self.undo_group.createRedoAction(self, tr("&Redo"))
        redo.setShortcut(QKeySequence.Redo)
        redo.setObjectName("actionRedo")
        e.addAction(undo)
        e.addAction(redo)
        h = mb.addMenu(tr("&Help"))
        self._action(h, tr("Open the &log folder"), self.open_log_folder, None, "actionLogs")
        self._action(h, tr("&About"), self.about, None, "actionAbout")

    def _action(self, menu, text, slot, shortcut, name) -> QAction:
        a = QAction(text, self)
        a.setObjectName(name)
        if shortcut is not None:
            a.setShortcut(shortcut)
        a.triggered.connect(lambda _=False: slot())
        menu.addAction(a)
        return a

    # --- File menu --------------------------------------------------------------------------------
    def remember_passphrase(self, path: Path, passphrase: str) -> None:
        self._passphrases[str(Path(path).resolve())] = passphrase

    def passphrase_for(self, path: Path) -> str | None | bool:
        """The passphrase for the SQLite file ``path``: None when it is not encrypted, the one typed
        earlier in this session, or asked now; False when the user cancels."""
        from evaluator.workflows import may_be_encrypted

        from . import dialogs

        path = Path(path)
        if not may_be_encrypted(path):
            return None
        known = self._passphrases.get(str(path.resolve()))
        if known is not None:
            return known
        value = dialogs.passphrase(self, tr("Encrypted database"),
                                   tr("{name} is encrypted (or is not a database at all). Its passphrase:").format(
                                       name=path.name))
        return False if value is None else value

    def switch_to(self, url: str, *, prepare=None, passphrase: str | None = None) -> None:
        """Open the database at ``url`` on the worker (``prepare(store)`` runs there too), then rebuild.
        An encrypted field database is opened with ``passphrase``, or one asked for here."""
        self.flush_edits()
        old = self.store
        path = sqlite_file(url)
        if path is not None:
            if passphrase is None:
                passphrase = self.passphrase_for(path)
                if passphrase is False:
                    return

        def swap(_current):
            new = open_store(url, passphrase)
            try:
                if prepare is not None:
                    prepare(new)
            except BaseException:
                new.close()
                raise
            if old is not None:
                old.close()
            return new

        def opened(new) -> None:
            if path is not None and passphrase is not None:  # in memory only: Open recent does not ask again
                self.remember_passphrase(path, passphrase)
            self.set_store(new)

        self.ctx.query(swap, opened, parent=self).run_in_background()

    def new_database(self) -> None:
        from . import dialogs
        from .errors import show_error

        path = dialogs.save_file(self.ctx, self, tr("New database"), tr("Database (*.sqlite3)"),
                                 "evaluator.sqlite3", ".sqlite3")
        if path is None:
            return
        if path.exists():
            show_error(self, FileExistsError(17, tr("A file with this name exists already"), str(path)))
            return
        self.switch_to(sqlite_url(path))

    def open_database(self) -> None:
        from . import dialogs

        path = dialogs.open_file(self.ctx, self, tr("Open database"),
                                 tr("Database (*.sqlite3 *.sqlite *.db);;All files (*)"))
        if path is not None:
            self.switch_to(sqlite_url(path))

    def open_demo(self) -> None:
        from evaluator.demo import build_demo
        from evaluator.paths import demo_database_path

        path = demo_database_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        self.switch_to(sqlite_url(path), prepare=lambda st: None if st.programs.exists() else build_demo(st))

    def create_demo_here(self) -> None:
        from evaluator.demo import build_demo

        self.ctx.job(tr("Creating the demo program"), lambda st, progress, cancel: build_demo(st),
                     lambda _r: self.set_store(self.store), parent=self).run_in_background()

    def backup_database(self) -> None:
        from datetime import datetime

        from . import dialogs
        from .errors import show_error

        path_now = self.meta.get("sqlite_path")
        if not path_now:
            show_error(self, _validation(tr("Backing up from the app works for SQLite databases; back up a "
                                            "PostgreSQL database with pg_dump.")))
            return
        stamp = datetime.now().strftime("%Y%m%d-%H%M")
        suggested = f"{Path(path_now).stem}-backup-{stamp}.sqlite3"
        target = dialogs.save_file(self.ctx, self, tr("Back up database"), tr("Database (*.sqlite3)"), suggested,
                                   ".sqlite3")
        if target is None:
            return
        self.ctx.job(tr("Backing up"), lambda st, progress, cancel: st.backup(target, remember=True),
                     lambda p: self.ctx.status_message(tr("Backed up to {path}").format(path=p)),
                     parent=self).run_in_background()

    def restore_database(self) -> None:
        from . import dialogs
        from .errors import show_error

        current = self.meta.get("sqlite_path")
        if not current:
            show_error(self, _validation(tr("Restoring from the app works for SQLite databases only.")))
            return
        source = dialogs.open_file(self.ctx, self, tr("Restore from backup"),
                                   tr("Database (*.sqlite3 *.sqlite *.db);;All files (*)"))
        if source is None:
            return
        current = Path(current)
        if not dialogs.confirm(self, tr("Restore from backup"),
                               tr("Replace the open database with the backup {source}?").format(source=source.name),
                               tr("The open database is first saved beside it as {name}.before-restore-….").format(
                                   name=current.name)):
            return
        source_key = self.passphrase_for(source)
        if source_key is False:
            return
        self.flush_edits()
        old = self.store

        def restore(_st):
            from evaluator.workflows import restore

            return restore(old, source, passphrase=source_key)

        def done(result) -> None:
            store, safety = result
            if source_key is not None:
                self.remember_passphrase(current, source_key)
            self.set_store(store)
            self.ctx.status_message(tr("Restored from {source}; the previous database is at {safety}.").format(
                source=source, safety=safety))

        self.ctx.query(restore, done, parent=self).run_in_background()

    def make_field_demo(self) -> None:
        """Two clicks: this menu item and the confirmation → a field database for one demo evaluator."""
        from .screens.kits import make_field_database

        make_field_database(self)

    def import_kit(self) -> None:
        from .screens.kits import import_kit_into_new_database

        import_kit_into_new_database(self)

    def open_settings(self) -> None:
        from .settings_dialog import SettingsDialog

        dlg = SettingsDialog(self.ctx, list(getattr(self.ctx, "evaluators", [])), self)
        if dlg.exec() != SettingsDialog.Accepted:
            return
        changed = dlg.apply()
        self.apply_settings(changed)

    def apply_settings(self, changed: dict) -> None:
        app = QApplication.instance()
        if "language" in changed:
            install_language(app, changed["language"])
        if "font_size" in changed:
            apply_font(app, changed["font_size"])
        if changed:
            self.flush_edits()
            self._meta_loaded(self.meta)

    def open_log_folder(self) -> None:
        from evaluator.paths import log_dir

        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def about(self) -> None:
        from evaluator.version import __version__

        from . import dialogs

        dialogs.inform(self, tr("About Maeul Evaluator"),
                       tr("Maeul Evaluator {version} — offline field evaluation, ranking and selection for "
                          "community grant programs.").format(version=__version__),
                       tr("Fonts: Nanum Gothic (SIL Open Font License)."))

    # --- closing ----------------------------------------------------------------------------------
    def flush_edits(self) -> None:
        for screen in self.screens.values():
            flush = getattr(screen, "flush", None)
            if flush is not None:
                flush()
        for dlg in self.findChildren(QWidget, "evaluationDialog"):
            dlg.form.flush()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.ctx is not None and self.ctx.active_jobs:
            from . import dialogs

            if not dialogs.confirm(self, tr("Quit"), tr("A job is still running. Cancel it and quit?")):
                event.ignore()
                return
            for job in list(self.ctx.active_jobs):
                job.cancel()
        self.flush_edits()
        self.settings.set("window_geometry", self.saveGeometry())
        self.settings.sync()
        self.tasks.wait_idle()
        store = self.store if self.store is not None else self._opening
        self.tasks.shutdown()
        if store is not None:
            store.close()
        super().closeEvent(event)


def _validation(message: str):
    from evaluator.errors import ValidationError

    return ValidationError(message)

