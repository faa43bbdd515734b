"""Small modal questions, all through Qt's standard dialogs (the tests patch these classes)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from .i18n import tr
from .widgets import rich_escaped


def _start(ctx, start: str | Path | None) -> str:
    return str(start) if start else ctx.settings.last_folder()


def open_file(ctx, parent: QWidget | None, title: str, filters: str, start=None) -> Path | None:
    path, _ = QFileDialog.getOpenFileName(parent, title, _start(ctx, start), filters)
    if not path:
        return None
    ctx.settings.remember_folder(path)
    return Path(path)


def open_files(ctx, parent: QWidget | None, title: str, filters: str, start=None) -> list[Path]:
    paths, _ = QFileDialog.getOpenFileNames(parent, title, _start(ctx, start), filters)
    if paths:
        ctx.settings.remember_folder(paths[0])
    return [Path(p) for p in paths]


def save_file(ctx, parent: QWidget | None, title: str, filters: str, suggested: str, suffix: str = "") -> Path | None:
    start = Path(ctx.settings.last_folder()) / suggested
    path, _ = QFileDialog.getSaveFileName(parent, title, str(start), filters)
    if not path:
        return None
    p = Path(path)
    if suffix and not p.suffix:
        p = p.with_suffix(suffix)
    ctx.settings.remember_folder(p)
    return p


def folder(ctx, parent: QWidget | None, title: str, start=None) -> Path | None:
    path = QFileDialog.getExistingDirectory(parent, title, _start(ctx, start))
    if not path:
        return None
    ctx.settings.set("last_folder", path)
    return Path(path)


def text(parent: QWidget | None, title: str, label: str, *, required: bool = True, initial: str = "") -> str | None:
    """A one-line answer (e.g. a reason); None when cancelled or left empty while required."""
    value, ok = QInputDialog.getText(parent, title, label, QLineEdit.Normal, initial)
    if not ok:
        return None
    value = value.strip()
    if required and not value:
        QMessageBox.warning(parent, title, tr("A reason is required; nothing was changed."))
        return None
    return value


def passphrase(parent: QWidget | None, title: str, label: str) -> str | None:
    value, ok = QInputDialog.getText(parent, title, label, QLineEdit.Password, "")
    return value if ok and value else None


def confirm(parent: QWidget | None, title: str, message: str, details: str = "") -> bool:
    box = QMessageBox(QMessageBox.Question, title, "", QMessageBox.Yes | QMessageBox.No, parent)
    box.setTextFormat(Qt.RichText)
    box.setText(rich_escaped(message))
    box.setDefaultButton(QMessageBox.No)
    if details:
        box.setInformativeText(rich_escaped(details))
    return box.exec() == QMessageBox.Yes


def inform(parent: QWidget | None, title: str, message: str, details: str = "") -> None:
    box = QMessageBox(QMessageBox.Information, title, "", QMessageBox.Ok, parent)
    box.setTextFormat(Qt.RichText)
    box.setText(rich_escaped(message))
    if details:
        box.setInformativeText(rich_escaped(details))
    box.exec()


def not_available(parent: QWidget | None, what: str) -> None:
    inform(parent, tr("Not available yet"),
           tr("{what} is not available in this version of the program yet.").format(what=what),
           tr("Everything else keeps working; this part arrives with a later update."))
