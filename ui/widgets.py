"""Small shared widgets: a file drop zone, a screen title, a plain-text view of a core result."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel


class DropZone(QLabel):
    """Accepts files dropped from the file manager (only the given suffixes)."""

    filesDropped = Signal(list)

    def __init__(self, text: str, suffixes: tuple[str, ...], parent=None) -> None:
        super().__init__(text, parent)
        self.setObjectName("dropZone")
        self.setAlignment(Qt.AlignCenter)
        self.setWordWrap(True)
        self.setAcceptDrops(True)
        self.setMinimumHeight(80)
        self.suffixes = tuple(s.lower() for s in suffixes)

    def _paths(self, mime) -> list[Path]:
        if not mime.hasUrls():
            return []
        out = []
        for url in mime.urls():
            if url.isLocalFile():
                p = Path(url.toLocalFile())
                if not self.suffixes or p.suffix.lower() in self.suffixes:
                    out.append(p)
        return out

    def _hover(self, on: bool) -> None:
        self.setProperty("hover", on)
        self.style().unpolish(self)
        self.style().polish(self)

    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if self._paths(event.mimeData()):
            event.acceptProposedAction()
            self._hover(True)
        else:
            event.ignore()

    def dragLeaveEvent(self, event) -> None:  # noqa: N802
        self._hover(False)

    def dropEvent(self, event) -> None:  # noqa: N802
        self._hover(False)
        paths = self._paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.filesDropped.emit(paths)


def plain(label: QLabel) -> QLabel:
    """Show the text as typed: applicant data such as ``<b>`` or ``<img src=…>`` is never markup."""
    label.setTextFormat(Qt.PlainText)
    return label


def rich_escaped(text: str) -> str:
    """Text for a widget that decides on its own whether text is HTML (QMessageBox): escaped, so it
    is always shown literally."""
    from html import escape

    return "<p>" + escape(text).replace("\n", "<br>") + "</p>"


def title_label(text: str, parent=None) -> QLabel:
    lab = QLabel(text, parent)
    lab.setObjectName("screenTitle")
    return lab


def describe_result(obj: Any, indent: int = 0) -> str:
    """A readable plain-text rendering of a core result (dataclass, dict, list, scalar)."""
    pad = "  " * indent
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        lines = []
        for f in dataclasses.fields(obj):
            v = getattr(obj, f.name)
            if isinstance(v, (list, tuple, dict)) or dataclasses.is_dataclass(v):
                if not v:
                    continue
                lines.append(f"{pad}{f.name.replace('_', ' ')}:")
                lines.append(describe_result(v, indent + 1))
            else:
                lines.append(f"{pad}{f.name.replace('_', ' ')}: {_scalar(v)}")
        return "\n".join(lines)
    if isinstance(obj, dict):
        lines = []
        for k, v in obj.items():
            if isinstance(v, (list, tuple, dict)) or dataclasses.is_dataclass(v):
                lines.append(f"{pad}{k}:")
                lines.append(describe_result(v, indent + 1))
            else:
                lines.append(f"{pad}{k}: {_scalar(v)}")
        return "\n".join(lines)
    if isinstance(obj, (list, tuple)):
        return "\n".join(
            (f"{pad}- " + describe_result(v, indent + 1).lstrip()) if dataclasses.is_dataclass(v) or isinstance(v, dict)
            else f"{pad}- {_scalar(v)}" for v in obj)
    return f"{pad}{_scalar(obj)}"


def _scalar(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, (date, datetime)):
        return v.isoformat(sep=" ", timespec="minutes") if isinstance(v, datetime) else v.isoformat()
    if isinstance(v, float):
        return f"{v:.2f}"
    return str(v)
