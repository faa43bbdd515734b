"""Where things live: bundled resources, the user's data and log directories."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "MaeulEvaluator"
APP_AUTHOR = "MaeulEvaluator"


def resources_dir() -> Path:
    """The ``resources/`` folder: beside the package in a checkout, inside the bundle when frozen."""
    override = os.environ.get("EVALUATOR_RESOURCES")
    if override:
        return Path(override)
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def display_name(path: str | os.PathLike) -> str:
    """A file's name as text that can be stored, hashed and printed: bytes of the name that are not
    UTF-8 (they reach Python as lone surrogates on Linux) become ``\\xNN`` escapes."""
    name = Path(path).name
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        try:
            return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:
            return name.encode("utf-8", "backslashreplace").decode("utf-8")


def data_dir() -> Path:
    """The user's data directory (``EVALUATOR_DATA_DIR`` overrides it, e.g. in tests)."""
    override = os.environ.get("EVALUATOR_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    return path


def log_dir() -> Path:
    override = os.environ.get("EVALUATOR_LOG_DIR")
    if override:
        return Path(override)
    if os.environ.get("EVALUATOR_DATA_DIR"):
        return Path(os.environ["EVALUATOR_DATA_DIR"]) / "logs"
    return Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


def default_database_path() -> Path:
    return data_dir() / "evaluator.sqlite3"


def demo_database_path() -> Path:
    return data_dir() / "demo.sqlite3"


def default_database_url() -> str:
    return "sqlite:///" + default_database_path().as_posix()
