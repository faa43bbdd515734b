"""Entry point of the desktop app: ``evaluator-gui [--db URL] [--demo]``."""

from __future__ import annotations

import argparse
import logging
import sys

from evaluator.version import __version__

log = logging.getLogger(__name__)


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="evaluator-gui", description="Maeul Evaluator desktop app")
    p.add_argument("file", nargs="?", metavar="FILE",
                   help="a field kit (.mekit) to import, a result package (.mepkg) to merge, an intake workbook "
                        "(.xlsx) to import, or a database to open")
    p.add_argument("--db", metavar="URL", help="database URL or SQLite path (default: the user data directory)")
    p.add_argument("--demo", action="store_true",
                   help="open the demo database (created in the user data directory on first run)")
    p.add_argument("--lang", choices=("ko", "en"),
                   help="the language of this run (default: the one chosen in Settings, else the system's; Korean "
                        "when it is neither)")
    p.add_argument("--version", action="version", version=f"evaluator-gui {__version__}")
    return p.parse_args(argv)


def start(win, args: argparse.Namespace) -> None:
    """What the window opens first (on the first turn of the event loop, after it has shown): the
    database (``--db``, the demo or the default one; an encrypted one asks its passphrase, again after
    a wrong one), then the FILE given: a kit, a package or a workbook goes to its flow."""
    from pathlib import Path

    from evaluator.paths import default_database_url, demo_database_path
    from evaluator.workflows import sqlite_url

    from .main_window import KIT_SUFFIXES, PACKAGE_SUFFIXES, WORKBOOK_SUFFIXES

    file = Path(args.file) if args.file else None
    db = args.db
    if file is not None and file.suffix.lower() not in KIT_SUFFIXES + PACKAGE_SUFFIXES + WORKBOOK_SUFFIXES:
        db, file = str(file), None  # a database file

    def then(needs_demo) -> None:
        if needs_demo:
            win.create_demo_here()  # first run: fill the demo on the worker, with a progress dialog
        if file is not None:
            win.open_file(file)

    if args.demo and not db:
        path = demo_database_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        win.switch_to(sqlite_url(path), prepare=lambda st: not st.programs.exists(), then=then)
    else:
        win.switch_to(db or default_database_url(), then=then)


def _plain_sqlite_path(db: str):
    """Kept for callers of the old name: :func:`ui.main_window.plain_sqlite_path`."""
    from .main_window import plain_sqlite_path

    return plain_sqlite_path(db)


def guard_pyside_refcounts() -> bool:
    """Work around PySide6 6.12.0 on CPython 3.11: a Python override of a Qt virtual that returns
    None (every ``paintEvent``, ``keyPressEvent``, ``QUndoCommand.redo`` …) loses one reference to
    None, so after a few thousand repaints None is deallocated and the interpreter aborts
    ("Fatal Python error: none_dealloc").  From CPython 3.12 on None, True and False are immortal and
    the bug is harmless; here we give them the same practically-infinite reference count.
    PySide6 6.11 does not have the bug.  Returns True when the guard was applied."""
    import PySide6

    if sys.version_info >= (3, 12) or not PySide6.__version__.startswith("6.12."):
        return False
    import ctypes  # only here: not needed (nor its import time) where the bug does not exist

    for obj in (None, True, False):
        ctypes.c_ssize_t.from_address(id(obj)).value += 1 << 40
    log.warning("PySide6 %s on Python %s: reference-count guard applied", PySide6.__version__,
                sys.version.split()[0])
    return True


def setup_application(app=None, settings=None, lang: str | None = None):
    """Create/configure the QApplication: name, fonts, language, font size, logging."""
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from evaluator.paths import resource

    from .errors import setup_logging
    from .i18n import apply_font, install_language, register_fonts
    from .settings import Settings

    guard_pyside_refcounts()
    app = app or QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Maeul Evaluator")
    app.setOrganizationName("MaeulEvaluator")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(QIcon(str(resource("icons", "app-256.png"))))
    settings = settings or Settings()
    setup_logging()
    families = register_fonts()
    log.info("evaluator-gui %s starting; fonts %s", __version__, families)
    install_language(app, lang or settings.language)
    apply_font(app, settings.get("font_size"))
    return app, settings


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from PySide6.QtCore import QTimer

    from .errors import install_excepthook
    from .main_window import MainWindow

    app, settings = setup_application(lang=args.lang)
    install_excepthook()
    # the window shows at once; the store (SQLAlchemy, the core's modules, the schema check) is
    # imported and opened on the worker, then the screens are built
    win = MainWindow(None, settings=settings, ask_identity=True)
    win.show()
    if sys.platform == "darwin":
        # macOS hands over a double-clicked kit or package as an event.  Only there: a filter on the
        # application sees every event of every widget (thousands per screen built, each a call into
        # Python that waits for the GIL while the worker runs), and no other platform sends this one
        opener = FileOpener(win, app)
        app.installEventFilter(opener)
    QTimer.singleShot(0, win, lambda: start(win, args))
    return app.exec()


def FileOpener(win, parent):  # noqa: N802 - a QObject class made when first needed (Qt is imported late)
    from PySide6.QtCore import QEvent, QObject

    class _FileOpener(QObject):
        """Qt's file-open event (macOS: a file double-clicked in the Finder, or dropped on the Dock icon)."""

        def eventFilter(self, watched, event) -> bool:  # noqa: N802
            if event.type() == QEvent.FileOpen and event.file():
                win.open_file_when_ready(event.file())
                return True
            return False

    return _FileOpener(parent)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
