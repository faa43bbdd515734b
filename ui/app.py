"""Entry point of the desktop app: ``evaluator-gui [--db URL] [--demo]``."""

from __future__ import annotations

import argparse
import sys

from evaluator.version import __version__


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="evaluator-gui", description="Maeul Evaluator desktop app")
    p.add_argument("--db", metavar="URL", help="database URL or SQLite path (default: the user data directory)")
    p.add_argument("--demo", action="store_true",
                   help="open the demo database (created in the user data directory on first run)")
    p.add_argument("--version", action="version", version=f"evaluator-gui {__version__}")
    return p.parse_args(argv)


def open_store(args: argparse.Namespace):
    from evaluator.demo import build_demo
    from evaluator.paths import demo_database_path
    from evaluator.store import Store

    if args.demo and not args.db:
        path = demo_database_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        store = Store(f"sqlite:///{path.as_posix()}")
        if not store.has_program():
            build_demo(store)
        return store
    return Store(args.db)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from PySide6.QtWidgets import QApplication, QMessageBox

    from evaluator.errors import EvaluatorError

    from .main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Maeul Evaluator")
    app.setApplicationVersion(__version__)
    try:
        store = open_store(args)
    except EvaluatorError as exc:
        QMessageBox.critical(None, "Maeul Evaluator", str(exc))
        return 1
    win = MainWindow(store)
    win.show()
    code = app.exec()
    store.close()
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
