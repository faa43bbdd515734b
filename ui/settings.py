"""Per-machine UI settings, each declared once with its default (Picard's ``options.py`` habit).

They live in ``QSettings`` (INI format).  When ``EVALUATOR_DATA_DIR`` is set (the tests do) the file
sits there, so a test run never touches the user's real settings.  Per-database preferences belong
in the database, not here.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, NamedTuple

from PySide6.QtCore import QByteArray, QSettings

from evaluator.paths import APP_NAME, data_dir

LANGUAGES = ("ko", "en")
MAX_RECENT = 8



def system_default_language() -> str:
    """The language of a first start: the system locale's (``ko_*`` Korean, ``en_*`` English),
    Korean when it is neither (``C``, another language)."""
    from evaluator.messages import system_language

    env = {k: v for k, v in os.environ.items() if k != "EVALUATOR_LANG"}  # the command line's override
    return system_language(default="ko", environ=env)

class Option(NamedTuple):
    key: str
    default: Any
    kind: type


OPTIONS: dict[str, Option] = {
    "language": Option("ui/language", "", str),  # "": the system locale's, Korean when it is neither
    "font_size": Option("ui/font_size", 10, int),
    "data_folder": Option("paths/data_folder", "", str),
    "last_folder": Option("paths/last_folder", "", str),
    "identity_name": Option("identity/name", "", str),
    "identity_evaluator": Option("identity/evaluator", "", str),
    "recent_databases": Option("files/recent", [], list),
    "window_geometry": Option("window/geometry", QByteArray(), QByteArray),
    "window_state": Option("window/state", QByteArray(), QByteArray),
    #: splitter positions and table column layouts, by "screen/objectName"
    "layout_states": Option("window/layouts", {}, dict),
}


def _qsettings() -> QSettings:
    if os.environ.get("EVALUATOR_DATA_DIR"):
        return QSettings(str(Path(os.environ["EVALUATOR_DATA_DIR"]) / "evaluator-gui.ini"), QSettings.IniFormat)
    return QSettings(QSettings.IniFormat, QSettings.UserScope, APP_NAME, "evaluator-gui")


class Settings:
    def __init__(self, qsettings: QSettings | None = None) -> None:
        self._q = qsettings or _qsettings()

    def get(self, name: str) -> Any:
        opt = OPTIONS[name]
        value = self._q.value(opt.key, opt.default)
        if value is None:
            return opt.default
        if opt.kind is list:
            if isinstance(value, str):
                return [value] if value else []
            return list(value)
        if opt.kind is dict:
            return {str(k): v for k, v in value.items()} if isinstance(value, dict) else {}
        if opt.kind is int:
            try:
                return int(value)
            except (TypeError, ValueError):
                return opt.default
        if opt.kind is str:
            return str(value)
        return value

    def set(self, name: str, value: Any) -> None:
        self._q.setValue(OPTIONS[name].key, value)

    def sync(self) -> None:
        self._q.sync()

    @property
    def language(self) -> str:
        lang = self.get("language")
        return lang if lang in LANGUAGES else system_default_language()

    def data_folder(self) -> Path:
        folder = self.get("data_folder")
        return Path(folder) if folder else data_dir()

    def last_folder(self) -> str:
        return self.get("last_folder") or str(self.data_folder())

    def remember_folder(self, path: str | Path) -> None:
        p = Path(path)
        self.set("last_folder", str(p if p.is_dir() else p.parent))

    def add_recent(self, url: str) -> None:
        recent = [u for u in self.get("recent_databases") if u != url]
        self.set("recent_databases", [url, *recent][:MAX_RECENT])
