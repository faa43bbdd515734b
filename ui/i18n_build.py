"""Build step: compile ``resources/translations/*.ts`` into ``.qm`` with Qt's lrelease.

Run by ``make run`` and ``make test`` (``python -m ui.i18n_build``); the ``.qm`` files are build
output and stay out of git.  Re-run only for sources newer than their ``.qm``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from evaluator.paths import resource


def lrelease_path() -> Path:
    import PySide6

    base = Path(PySide6.__file__).parent
    for name in ("lrelease", "lrelease.exe", "Qt/libexec/lrelease"):
        cand = base / name
        if cand.exists():
            return cand
    raise FileNotFoundError("Qt's lrelease was not found in the PySide6 installation")


def build(force: bool = False) -> list[Path]:
    out = []
    for ts in sorted(resource("translations").glob("*.ts")):
        qm = ts.with_suffix(".qm")
        if force or not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
            subprocess.run([str(lrelease_path()), "-silent", str(ts), "-qm", str(qm)], check=True)
            out.append(qm)
    return out


if __name__ == "__main__":
    built = build(force="--force" in sys.argv)
    for qm in built:
        print(f"built {qm}")
