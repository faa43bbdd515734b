"""Entry script of the bundled app: one program, two executables.

The PyInstaller spec (``installer/maeul_evaluator.spec``) builds two executables from this one
script into one folder — ``evaluator-gui`` (windowed on Windows/macOS) and ``evaluator`` (console) —
sharing the same ``_internal/`` libraries and resources.  Each one dispatches on its own name, so
``evaluator …`` is exactly ``python -m evaluator …`` and ``evaluator-gui …`` is the desktop app.

From a checkout it runs as ``python installer/launcher.py gui|cli ARGS…`` (the start-up benchmark
uses that, so the bundle and the source start through the same code).

``EVALUATOR_STARTUP_PROBE=FILE`` (GUI only, for the smoke test and the start-up benchmark): when
the main window has painted for the first time, write ``{"shown": <time.time()>}`` to FILE and quit
the app cleanly.  Without the variable nothing here touches the app.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def _program() -> tuple[str, list[str]]:
    """("gui" | "cli", remaining arguments) from the executable's name, or from argv[1] in a checkout."""
    if getattr(sys, "frozen", False):
        name = Path(sys.executable).name.lower()
        return ("gui" if name.startswith("evaluator-gui") else "cli"), sys.argv[1:]
    args = sys.argv[1:]
    if args and args[0] in ("gui", "cli"):
        return args[0], args[1:]
    raise SystemExit("usage: python installer/launcher.py gui|cli [ARGS…]")


def _install_startup_probe(path: str) -> None:
    """Quit after the main window's first paint, recording when it happened (see module docstring)."""
    import json
    import time

    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

    app = QApplication.instance() or QApplication(sys.argv[:1])

    class FirstPaint(QObject):
        done = False

        def eventFilter(self, obj, event):  # noqa: N802 - Qt's name
            if (not self.done and event.type() == QEvent.Type.Paint and isinstance(obj, QWidget)
                    and isinstance(obj.window(), QMainWindow) and obj.window().isVisible()):
                self.done = True
                Path(path).write_text(json.dumps({"shown": time.time()}), encoding="utf-8")
                QTimer.singleShot(0, app.quit)
            return False

    probe = FirstPaint(app)
    app.installEventFilter(probe)
    app._evaluator_startup_probe = probe  # keep it alive as long as the app


def main() -> int:
    which, args = _program()
    if which == "cli":
        from evaluator.cli import main as cli_main

        return cli_main(args)
    probe = os.environ.get("EVALUATOR_STARTUP_PROBE")
    if probe and not {"-h", "--help", "--version"} & set(args):
        _install_startup_probe(probe)
    from ui.app import main as gui_main

    return gui_main(args)


if __name__ == "__main__":
    sys.exit(main())
