"""The main window: a navigation list on the left, the current screen on the right, and the menus.

The database decides the mode: an office database shows the office screens, a field database
(made from a kit) the evaluator's.  Opening another database, switching language or changing the
font rebuilds the screens (everything is saved as it changes, so nothing is lost doing so).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QEvent, QTimer, QUrl, Qt
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QIcon, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (
    QApplication, QFrame, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMainWindow, QMenu, QPushButton,
    QScrollArea, QSizePolicy, QSplitter, QStackedWidget, QVBoxLayout, QWidget,
)

from evaluator.paths import resource

from .context import PROGRAMS, AppContext
from .i18n import apply_font, install_language, language, tr
from .settings import Settings
from .style import style_sheet
from .worker import TaskManager

log = logging.getLogger(__name__)

# Imported where used, not here: the main window shows before anything else is needed, and what
# the first frame waits for is kept to the window itself (dialogs, the error dialog, the core's
# errors, html and datetime come with the first use).


# ``evaluator.workflows`` (with the core's errors, messages and jobs it imports) comes with the first
# database opened, on the worker's turn, not before the window's first frame: these four stand in.
def is_server_url(url: str) -> bool:
    from evaluator.workflows import is_server_url as server

    return server(url)


def open_store(url: str, passphrase: str | None = None):
    from evaluator.workflows import open_store as open_

    return open_(url, passphrase)


def sqlite_file(url: str):
    from evaluator.workflows import sqlite_file as file

    return file(url)


def sqlite_url(path) -> str:
    from evaluator.workflows import sqlite_url as url

    return url(path)

#: how many times a wrong passphrase is asked again before the app gives up on that database
PASSPHRASE_TRIES = 3
#: the files ``evaluator-gui FILE`` (and the file manager, through the registered types) hands over
KIT_SUFFIXES = (".mekit",)
PACKAGE_SUFFIXES = (".mepkg",)
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def plain_sqlite_path(db: str):
    """The SQLite file named by ``db`` when it is a plain path or a plain ``sqlite:///PATH`` URL,
    None when it names another kind of database, False when only the full URL parser can tell
    (keeps SQLAlchemy out of the start: the store is imported on the worker after the window shows)."""
    text = db.strip() if isinstance(db, str) else ""
    if not text or "%" in text:  # empty, or percent-escapes that SQLAlchemy's URL parser decodes
        return False
    if "://" not in text:
        if ":" in text.split("/", 1)[0] and not Path(text).drive:
            return False
        return Path(Path(text).expanduser().as_posix())
    scheme, rest = text.split("://", 1)
    if scheme == "sqlite" and rest.startswith("/") and len(rest) > 1 and "?" not in rest and rest != "/:memory:":
        return Path(rest[1:])
    if scheme.startswith("postgresql"):
        return None
    return False


def database_file(url: str) -> Path | None:
    """The SQLite file of ``url`` (None for a server), without SQLAlchemy when the URL is plain."""
    path = plain_sqlite_path(url)
    return sqlite_file(url) if path is False else path


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
        "programs": st.programs.list() if has_program else [],
        "evaluators": st.people.evaluators(),
        "url": st.display_url,
        "sqlite_path": st.sqlite_path,
        "field_evaluator": None,
        "key": None,
        "identity": st.identity,
        "server_url": None,
    }
    if st.sqlite_path is None:
        from evaluator.workflows import without_password

        meta["server_url"] = without_password(st.url)
    if meta["role"] == "field":
        kit = st.packages.kit_info()
        meta["field_evaluator"] = kit.evaluator if kit else None
        # the Monitoring visits screen only on a laptop whose kit carried follow-up visits
        meta["monitoring"] = has_program and bool(st.monitoring.visits())
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
        text = QLabel(tr("Create your office's program from its program file (or with the guided form), start with "
                         "the demo program (48 fictional applications, 5 evaluators) to find your way around, or "
                         "import a field kit you received from the office."), self)
        text.setWordWrap(True)
        lay.addWidget(text)
        row = QHBoxLayout()
        demo = QPushButton(tr("Create the demo program here"), self)
        demo.setObjectName("createDemo")
        demo.clicked.connect(lambda _=False: window.create_demo_here())
        demo.setEnabled(window.ctx.role != "field")
        row.addWidget(demo)
        new = QPushButton(tr("New program…"), self)
        new.setObjectName("newProgram")
        new.clicked.connect(lambda _=False: window.new_program())
        new.setEnabled(window.ctx.role != "field")
        row.addWidget(new)
        kit = QPushButton(tr("Import a field kit…"), self)
        kit.setObjectName("importKit")
        kit.clicked.connect(lambda _=False: window.import_kit())
        row.addWidget(kit)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addStretch(1)

    def refresh(self) -> None:
        return None


class StartScreen(QWidget):
    """No database is open (the app started without one it could open): what to open next."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("startScreen")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(40, 30, 40, 30)
        t = QLabel(tr("No database is open"), self)
        t.setObjectName("screenTitle")
        lay.addWidget(t)
        text = QLabel(tr("Open your database, create a new one, connect to the office server or import a field kit "
                         "you received from the office."), self)
        text.setWordWrap(True)
        lay.addWidget(text)
        for name, label, slot in (
                ("startOpen", tr("Open database…"), window.open_database),
                ("startNew", tr("New database…"), window.new_database),
                ("startServer", tr("Connect to server…"), window.connect_to_server),
                ("startDemo", tr("Open the demo database"), window.open_demo),
                ("startKit", tr("Import a field kit…"), window.import_kit)):
            b = QPushButton(label, self)
            b.setObjectName(name)
            b.clicked.connect(lambda _=False, f=slot: f())
            row = QHBoxLayout()
            row.addWidget(b)
            row.addStretch(1)
            lay.addLayout(row)
        recent = window.settings.get("recent_databases")
        if recent:
            head = QLabel(tr("Recent databases"), self)
            head.setObjectName("muted")
            lay.addWidget(head)
            for url in recent[:5]:
                b = QPushButton(_recent_label(url), self)
                b.setObjectName("startRecent")
                b.setFlat(True)
                b.setAccessibleName(tr("Open {database}").format(database=_recent_label(url)))
                b.clicked.connect(lambda _=False, u=url: window.open_recent(u))
                row = QHBoxLayout()
                row.addWidget(b)
                row.addStretch(1)
                lay.addLayout(row)
        lay.addStretch(1)

    def refresh(self) -> None:
        return None


def _recent_label(url: str) -> str:
    return url.removeprefix("sqlite:///")


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
        self._pending_files: list[Path] = []  # files handed over before the screens were built
        self._switching = False  # a database is being opened on the worker
        self.switcher = None  # the header's program and round switcher (office, with a program)
        self.undo_group = QUndoGroup(self)
        self.setWindowIcon(QIcon(str(resource("icons", "app-256.png"))))
        self._palette_key = None
        self._apply_style()
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
        When opening fails the error is shown and the start screen offers what to open instead."""
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

            self._opening = None
            show_error(self, exc)
            self.show_start()

        op = self.ctx.query(body, done, parent=self).failure(failed)
        # on the first turn of the event loop: the window's first frame is not slowed by the
        # worker importing the core at the same time
        QTimer.singleShot(0, self, op.run_in_background)

    def show_start(self) -> None:
        """No database open: the start screen (open, new, connect, demo, kit, recent)."""
        if self.store is not None:
            return
        self.meta = {}
        self.build()

    # --- style --------------------------------------------------------------------------------------
    def _apply_style(self) -> None:
        """The style sheet from the application's palette and font size (again when the system changes
        theme, or the font size changes in Settings)."""
        palette = QApplication.palette()
        key = (palette.cacheKey(), QApplication.font().pointSizeF())
        if key != self._palette_key:
            self._palette_key = key
            self.setStyleSheet(style_sheet(palette))

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == QEvent.ApplicationPaletteChange:
            self._apply_style()
        super().changeEvent(event)

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
        ctx.programs = meta.get("programs", [])
        ctx.round = _round_shown(ctx.program, ctx.round)
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
        elif meta.get("server_url"):  # a server: remembered without its password
            self.settings.add_recent(meta["server_url"])
        self.build()
        who = meta.get("identity")
        if self._ask_identity and not ctx.is_field and who is not None and who.source == "account":
            self._ask_identity = False
            QTimer.singleShot(0, self, self.choose_actor)

    def build(self) -> None:
        """(Re)build menus, header and screens for the current store, mode and language."""
        self.save_layout()
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
        self.nav.setAccessibleName(tr("Screens"))
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
            page.setFocusPolicy(Qt.NoFocus)  # not a Tab stop of its own (it still scrolls to the control Tab reaches)
            page.setWidget(screen)
            self._pages[key] = page
            self.stack.addWidget(page)
        self.nav.setFixedWidth(self._nav_width())
        self.nav.currentRowChanged.connect(self._nav_changed)
        self.setCentralWidget(central)
        if old is not None:
            old.deleteLater()
        self._build_menus()
        self._update_title()
        self._stale = set(self.screens)
        self._compact_rows()
        self._layout_lang = language()  # the language of these screens' headers
        self.restore_layout()
        if self.nav.count():
            self.nav.setCurrentRow(0)
            # the keyboard starts somewhere: the first screen's own choice (the field app: today's
            # visits, where Enter opens one), else the list of screens
            first = self.screens[self.nav.item(0).data(Qt.UserRole)]
            start = getattr(first, "initial_focus", None)
            (start() if start is not None else self.nav).setFocus(Qt.OtherFocusReason)
        self.statusBar().showMessage(self.meta.get("url", ""))
        QTimer.singleShot(0, self, _settle_heap)  # once the replaced screens are deleted
        if self._pending_files:
            pending, self._pending_files = self._pending_files, []
            for path in pending:
                QTimer.singleShot(0, self, lambda p=path: self.open_file(p))

    def _compact_rows(self) -> None:
        """Table rows as tall as the font needs (the style's default left the tables half empty), and
        Tab leaves the read-only tables."""
        from PySide6.QtWidgets import QTableView

        from PySide6.QtWidgets import QAbstractItemView

        height = max(22, self.fontMetrics().height() + 8)
        for screen in self.screens.values():
            for view in screen.findChildren(QTableView):
                view.verticalHeader().setDefaultSectionSize(height)
                if view.editTriggers() == QAbstractItemView.NoEditTriggers:
                    # a list to choose from: arrows move in it, Tab goes on to the next control (Qt's
                    # default walks every cell and wraps, so Tab never left the table)
                    view.setTabKeyNavigation(False)

    def _nav_width(self) -> int:
        """As wide as the longest screen name needs (the window is left for the screens)."""
        self.nav.ensurePolished()  # the style sheet's larger font, not the application's, draws the names
        fm = self.nav.fontMetrics()
        widest = max((fm.horizontalAdvance(self.nav.item(i).text()) for i in range(self.nav.count())), default=100)
        return max(150, min(230, widest + 44))

    # --- window state ---------------------------------------------------------------------------------
    def _layout_widgets(self):
        """The splitters and table headers whose layout is remembered, by a stable name."""
        from PySide6.QtWidgets import QTableView

        central = self.centralWidget()
        if central is None:
            return
        # column widths fit the headers of one language: those of the Korean screens (kept under the
        # names they always had) would cut the English headers, and the other way round
        lang = getattr(self, "_layout_lang", None) or language()
        columns = "" if lang == "ko" else f"@{lang}"
        for key, screen in self.screens.items():
            for sp in screen.findChildren(QSplitter):
                if sp.objectName():
                    yield f"{key}/{sp.objectName()}", sp
            for view in screen.findChildren(QTableView):
                if view.objectName() and getattr(view, "remember_columns", True):
                    yield f"{key}/{view.objectName()}{columns}", view.horizontalHeader()

    def save_layout(self) -> None:
        """Splitter positions and column widths (and order, hidden columns) into the settings."""
        states = dict(self.settings.get("layout_states"))
        for name, w in self._layout_widgets():
            states[name] = w.saveState()
        if states:
            self.settings.set("layout_states", states)
        self.settings.set("window_state", self.saveState())

    def restore_layout(self) -> None:
        states = self.settings.get("layout_states")
        for name, w in self._layout_widgets():
            state = states.get(name)
            if state is not None and not state.isEmpty():
                w.restoreState(state)
                owner = w.parent() if not isinstance(w, QSplitter) else w
                setattr(owner, "layout_restored", True)


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
        name.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)  # a long name is cut, the window stays
        name.setToolTip(program.name(language()) if program else "")
        lay.addWidget(name, 1)
        self.switcher = None
        if program is not None and not ctx.is_field:
            from .switcher import ProgramSwitcher

            self.switcher = ProgramSwitcher(bar)
            self.switcher.set_state(ctx.programs, program, ctx.round)
            self.switcher.programChosen.connect(self.switch_program)
            self.switcher.roundChosen.connect(self.switch_round)
            lay.addWidget(self.switcher)
        if ctx.is_field:
            who = next((e for e in ctx.evaluators if e.code == ctx.evaluator), None)
            text = tr("Field — {evaluator}").format(evaluator=f"{who.code} {who.name}" if who else "?")
        else:
            text = tr("Office")
        badge = QLabel(text, bar)
        badge.setObjectName("modeBadge")
        lay.addWidget(badge)
        from .identity import actor_text
        from .widgets import ElidedLabel

        who = self.meta.get("identity")
        # ends in "…" (whole in its tooltip) when a large font leaves it less room than it needs
        self._actor_label = ElidedLabel(actor_text(who) if who is not None else "", bar)
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
        if ctx.store is None:
            return [("start", tr("Start"), StartScreen(self))]
        if ctx.program is None:
            return [("welcome", tr("Start"), WelcomeScreen(self))]
        if ctx.is_field:
            from .screens.handback import HandBackScreen
            from .screens.monitoring import FieldMonitoringScreen
            from .screens.today import TodayScreen

            today = TodayScreen(ctx, self)
            today.formOpened.connect(self._form_opened)
            follow_up = [("monitoring", tr("Monitoring visits"), FieldMonitoringScreen(ctx, self))] \
                if self.meta.get("monitoring") else []
            return [("today", tr("Today's visits"), today), *follow_up,
                    ("handback", tr("Hand back"), HandBackScreen(ctx, self))]
        from .screens.applications import ApplicationsScreen
        from .screens.assignments import AssignmentsScreen
        from .screens.awards import AwardsScreen
        from .screens.import_wizard import ImportScreen
        from .screens.kits import KitsScreen
        from .screens.outputs import OutputsScreen
        from .screens.program import ProgramScreen
        from .screens.progress import ProgressScreen
        from .screens.ranking import RankingScreen

        return [
            ("applications", tr("Applications"), ApplicationsScreen(ctx, self)),
            ("import", tr("Import"), ImportScreen(ctx, self)),
            ("assignments", tr("Assignments and conflicts"), AssignmentsScreen(ctx, self)),
            ("kits", tr("Kits and packages"), KitsScreen(ctx, self)),
            ("ranking", tr("Ranking"), RankingScreen(ctx, self)),
            ("awards", tr("Awards and follow-up"), AwardsScreen(ctx, self)),
            ("outputs", tr("Outputs"), OutputsScreen(ctx, self)),
            ("progress", tr("Progress"), ProgressScreen(ctx, self)),
            ("program", tr("Program and rounds"), ProgramScreen(ctx, self)),
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
        if PROGRAMS in changes and self.store is not None and self.ctx.program is not None:
            self.ctx.query(lambda st: (st.programs.get(), st.programs.list()), self._programs_loaded,
                           parent=self).run_in_background()

    # --- the program and round shown --------------------------------------------------------------
    def _programs_loaded(self, loaded) -> None:
        """A write changed programs or rounds (a round signed off, a program made): the header follows."""
        program, programs = loaded
        ctx = self.ctx
        ctx.program, ctx.programs = program, programs
        ctx.round = _round_shown(program, ctx.round)
        if self.switcher is not None:
            self.switcher.set_state(programs, program, ctx.round)
        self._update_title()

    def switch_program(self, code: str) -> None:
        """Show program ``code``: the store works on it (nothing is written) and the screens are rebuilt,
        showing its current round."""
        if self.ctx.program is not None and code == self.ctx.program.code:
            return
        self.flush_edits()

        def op(st):
            st.programs.select(code)
            return load_meta(st)

        def done(meta) -> None:
            self.ctx.round = None
            self._meta_loaded(meta)
            self.ctx.status_message(tr("Showing program {program}.").format(program=meta["program"].name(language())))

        self.ctx.query(op, done, parent=self).run_in_background()

    def switch_round(self, code: str) -> None:
        """Show round ``code`` on every screen (the one shown now at once, the others when shown)."""
        if code == self.ctx.round:
            return
        self.ctx.round = code
        if self.switcher is not None:
            self.switcher.set_state(self.ctx.programs, self.ctx.program, code)
        current = self.current_screen()
        self._stale = {k for k, w in self.screens.items() if w is not current}
        if current is not None:
            current.refresh()

    def new_program(self) -> None:
        """File → New program…: from a program file or the guided form; the new program is then shown."""
        from .screens.new_program import NewProgramDialog

        dlg = NewProgramDialog(self.ctx, self)
        if dlg.exec() != NewProgramDialog.Accepted or dlg.created is None:
            return
        code = dlg.created.code

        def op(st):
            st.programs.select(code)
            return load_meta(st)

        def done(meta) -> None:
            self.ctx.round = None
            self._meta_loaded(meta)

        self.ctx.query(op, done, parent=self).run_in_background()

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
        self._action(f, tr("&Connect to server…"), self.connect_to_server, None, "actionConnect")
        recent = f.addMenu(tr("Open &recent"))
        recent.setObjectName("menuRecent")
        for url in self.settings.get("recent_databases"):
            a = recent.addAction(_recent_label(url))
            a.triggered.connect(lambda _=False, u=url: self.open_recent(u))
        recent.setEnabled(bool(recent.actions()))
        self._action(f, tr("Open the &demo database"), self.open_demo, None, "actionDemo")
        f.addSeparator()
        has_store = self.store is not None
        self._action(f, tr("New &program…"), self.new_program, None, "actionNewProgram").setEnabled(
            has_store and not self.ctx.is_field)
        f.addSeparator()
        self._action(f, tr("&Back up database…"), self.backup_database, None, "actionBackup").setEnabled(has_store)
        self._action(f, tr("Re&store from backup…"), self.restore_database, None, "actionRestore").setEnabled(has_store)
        f.addSeparator()
        self._action(f, tr("Make a &field database from the demo"), self.make_field_demo, None,
                     "actionFieldDemo").setEnabled(has_store)
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

    def passphrase_for(self, path: Path, *, again: int = 0) -> str | None | bool:
        """The passphrase for the SQLite file ``path``: None when it is not encrypted, the one typed
        earlier in this session, or asked now; False when the user cancels.  ``again``: a wrong one was
        typed and this many tries are left (the question says so)."""
        from evaluator.workflows import may_be_encrypted

        from . import dialogs

        path = Path(path)
        if not again and not may_be_encrypted(path):
            return None
        known = None if again else self._passphrases.get(str(path.resolve()))
        if known is not None:
            return known
        if again:
            label = tr("The passphrase did not open {name}. Try again (%n tries left):", "", again).format(
                name=path.name)
        else:
            label = tr("{name} is encrypted (or is not a database at all). Its passphrase:").format(name=path.name)
        value = dialogs.passphrase(self, tr("Encrypted database"), label)
        return False if value is None else value

    def switch_to(self, url: str, *, prepare=None, passphrase: str | None = None, then=None,
                  tries: int = PASSPHRASE_TRIES) -> None:
        """Open the database at ``url`` on the worker (``prepare(store)`` runs there too and its value
        goes to ``then`` once the screens show), then rebuild.  An encrypted field database is opened
        with ``passphrase``, or one asked for here; a wrong one is asked again (``tries`` in all).  When
        the database cannot be opened the open one stays (or, with none, the start screen shows)."""
        self.flush_edits()
        old = self.store
        path = database_file(url)
        if path is not None and passphrase is None:
            passphrase = self.passphrase_for(path)
            if passphrase is False:
                self.show_start()
                return

        def swap(_current):
            new = open_store(url, passphrase)
            try:
                extra = prepare(new) if prepare is not None else None
            except BaseException:
                new.close()
                raise
            if old is not None:
                old.close()
            return new, extra

        def opened(result) -> None:
            self._switching = False
            new, extra = result
            if path is not None and passphrase is not None:  # in memory only: Open recent does not ask again
                self.remember_passphrase(path, passphrase)
            self.set_store(new)
            if then is not None:
                then(extra)

        def failed(exc: BaseException) -> None:
            from evaluator.workflows import wrong_passphrase

            from .errors import show_error

            self._switching = False
            if path is not None and passphrase is not None and wrong_passphrase(exc, "database"):
                self._passphrases.pop(str(Path(path).resolve()), None)
                left = tries - 1
                if left > 0:
                    again = self.passphrase_for(path, again=left)
                    if again is not False:
                        self.switch_to(url, prepare=prepare, passphrase=again, then=then, tries=left)
                        return
            show_error(self, exc)  # the last try, or the person gave up: what happened, once
            self.show_start()

        self._switching = True
        self.ctx.query(swap, opened, parent=self).failure(failed).run_in_background()

    def open_recent(self, url: str) -> None:
        """A database from File → Open recent: a server asks its password (never remembered on disk)."""
        if is_server_url(url):
            self.connect_to_server(url)
        else:
            self.switch_to(url)

    def connect_to_server(self, url: str | None = None) -> None:
        """File → Connect to server…: host, port, database, user and the password (kept in memory for
        this session only; Open recent remembers the connection without it)."""
        from . import dialogs
        from .errors import show_error

        answer = dialogs.server_connection(self, url)
        if answer is None:
            return
        from evaluator.workflows import with_password

        target, password = answer

        def failed_then_ask(exc: BaseException) -> None:
            show_error(self, exc)
            self.connect_to_server(target)

        self.flush_edits()
        old = self.store

        def swap(_current):
            new = open_store(with_password(target, password))
            if old is not None:
                old.close()
            return new

        self.ctx.query(swap, self.set_store, parent=self).failure(failed_then_ask).run_in_background()

    def open_file_when_ready(self, path: str | Path) -> None:
        """A file the system hands over (macOS sends it as an event, possibly before the database
        has opened): opened now, or once the screens are built."""
        if self._switching or self._opening is not None or (self.store is not None and not self.screens):
            self._pending_files.append(Path(path))
        else:
            self.open_file(path)

    def open_file(self, path: str | Path) -> None:
        """A file handed to ``evaluator-gui FILE`` (or opened from the file manager): a field kit goes
        to the kit import, a result package is merged, an intake workbook goes to the import screen,
        anything else is opened as a database."""
        from . import dialogs

        path = Path(path)
        suffix = path.suffix.lower()
        if suffix in KIT_SUFFIXES:
            self.import_kit(path)
            return
        if suffix in PACKAGE_SUFFIXES + WORKBOOK_SUFFIXES:
            if self.store is None or self.ctx.is_field or "kits" not in self.screens:
                dialogs.inform(self, tr("Open a file"),
                               tr("{name} is opened in the office database; open the office database first, then "
                                  "open the file again.").format(name=path.name))
                return
            if suffix in PACKAGE_SUFFIXES:
                self.show_screen("kits").merge([path])
            else:
                self.show_screen("import").load(path)
            return
        self.switch_to(sqlite_url(path))

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

    def import_kit(self, kit: Path | None = None) -> None:
        from .screens.kits import import_kit_into_new_database

        import_kit_into_new_database(self, kit)

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
            self._apply_style()  # its text sizes follow the font's
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
        self.save_layout()
        self.settings.sync()
        self.tasks.wait_idle()
        store = self.store if self.store is not None else self._opening
        self.tasks.shutdown()
        if store is not None:
            store.close()
        super().closeEvent(event)


def _round_shown(program, wanted: str | None) -> str | None:
    """The round to show: ``wanted`` when the program has it, else the program's current round."""
    if program is None:
        return None
    if wanted and any(r.code == wanted for r in program.rounds):
        return wanted
    current = program.current_round or (program.rounds[-1] if program.rounds else None)
    return current.code if current is not None else None


def _validation(message: str):
    from evaluator.errors import ValidationError

    return ValidationError(message)

