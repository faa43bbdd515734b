"""Entry point of the desktop app: ``evaluator-gui [--db URL] [--demo]``."""

from __future__ import annotations

import argparse
import logging
import sys

from evaluator.version import __version__

log = logging.getLogger(__name__)


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="evaluator-gui", description="Maeul Evaluator desktop app")
    p.add_argument("--db", metavar="URL", help="database URL or SQLite path (default: the user data directory)")
    p.add_argument("--demo", action="store_true",
                   help="open the demo database (created in the user data directory on first run)")
    p.add_argument("--version", action="version", version=f"evaluator-gui {__version__}")
    return p.parse_args(argv)


def open_store(args: argparse.Namespace, passphrase: str | None = None):
    """The store to open; with ``--demo`` the demo database (created empty here, filled by the
    window on the worker so the window shows at once)."""
    from evaluator.paths import demo_database_path
    from evaluator.workflows import open_store, sqlite_url

    if args.demo and not args.db:
        path = demo_database_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return open_store(sqlite_url(path))
    return open_store(args.db, passphrase)


def ask_passphrase(args: argparse.Namespace) -> tuple[bool, str | None, object]:
    """For ``--db`` naming an encrypted field database: ask its passphrase before the window opens.
    Returns (go on?, passphrase or None, the file's path or None)."""
    if not args.db:
        return True, None, None
    from evaluator.workflows import may_be_encrypted, sqlite_file

    path = _plain_sqlite_path(args.db)
    if path is False:  # not a plain path or sqlite:/// URL: the full parser decides (imports SQLAlchemy)
        path = sqlite_file(args.db)
    if path is None or not may_be_encrypted(path):
        return True, None, None
    from . import dialogs
    from .i18n import tr

    value = dialogs.passphrase(None, tr("Encrypted database"),
                               tr("{name} is encrypted (or is not a database at all). Its passphrase:").format(
                                   name=path.name))
    return value is not None, value, path


def _plain_sqlite_path(db: str):
    """The SQLite file named by ``db`` when it is a plain path or a plain ``sqlite:///PATH`` URL,
    None when it names another kind of database, False when only the full URL parser can tell
    (keeps SQLAlchemy out of the start: the store is imported on the worker after the window shows)."""
    from pathlib import Path

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


def setup_application(app=None, settings=None):
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
    install_language(app, settings.language)
    apply_font(app, settings.get("font_size"))
    return app, settings


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from .errors import install_excepthook
    from .main_window import MainWindow

    app, settings = setup_application()
    install_excepthook()
    go, passphrase, path = ask_passphrase(args)
    if not go:
        return 1
    # the window shows at once; the store (SQLAlchemy, the core's modules, the schema check) is
    # imported and opened on the worker, then the screens are built
    win = MainWindow(None, settings=settings, ask_identity=True)
    if passphrase is not None:
        win.remember_passphrase(path, passphrase)
    win.show()

    def opener():
        store = open_store(args, passphrase)
        try:
            needs_demo = bool(args.demo and not args.db and not store.programs.exists())
        except BaseException:
            store.close()
            raise
        return store, needs_demo

    def opened(needs_demo: bool) -> None:
        if needs_demo:
            win.create_demo_here()  # first run: fill the demo on the worker, with a progress dialog

    win.open_at_start(opener, opened)
    return app.exec()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
