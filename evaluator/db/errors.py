"""Driver errors turned into one clear sentence that names the database.

Every unit of work runs inside :func:`translate_errors`: SQLAlchemy's wrapped errors and the DB-API
drivers' own ``OperationalError`` (the autosave and bulk paths run on the raw cursor) become the
domain errors of :mod:`evaluator.errors` — in use by another program, read-only, disk full, I/O
error, cannot connect, not a database.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import DatabaseError as SADatabaseError

from ..errors import DatabaseInUse, DatabaseUnavailable, NotAnEvaluatorDatabase, ReadOnlyDatabase


def driver_errors() -> tuple[type[BaseException], ...]:
    """The DB-API drivers' own OperationalError classes (stdlib sqlite3, and sqlcipher3 when an
    encrypted database loaded it): the lean autosave path runs on the raw cursor, so its errors
    arrive unwrapped by SQLAlchemy."""
    import sqlite3
    import sys

    errors: tuple[type[BaseException], ...] = (sqlite3.OperationalError,)
    cipher = sys.modules.get("sqlcipher3.dbapi2") or sys.modules.get("sqlcipher3")
    if cipher is not None and isinstance(getattr(cipher, "OperationalError", None), type):
        errors += (cipher.OperationalError,)
    return errors


def _read_only_reason(path: Path | None) -> str:
    """Why ``path`` cannot be written, as a phrase ("the folder F is read-only"), or ''."""
    import os

    if path is None:
        return ""
    folder = path.parent
    try:
        if folder.exists() and not os.access(folder, os.W_OK):
            return f"the folder {folder} is read-only"
        if path.exists() and not os.access(path, os.W_OK):
            return f"the file {path} is read-only"
    except OSError:  # pragma: no cover - cannot even look
        return ""
    return ""


def raise_clear(msg: str, where: str, path: Path | None) -> None:
    """Raise the domain error for a driver message, or return when it is not one we know."""
    low = msg.lower()
    if "database is locked" in low or "database table is locked" in low:
        raise DatabaseInUse(
            f"The {where} is in use by another program, which is still writing to it; nothing was "
            "changed. Close the other program (or wait for it to finish) and try again."
        ) from None
    if "readonly database" in low or "read-only" in low:
        reason = _read_only_reason(path) or "read-only file or folder"
        raise ReadOnlyDatabase(f"The {where} cannot be written ({reason}); nothing was changed.") from None
    if "disk is full" in low or "database or disk is full" in low:
        raise ReadOnlyDatabase(f"The disk holding the {where} is full; nothing was changed.") from None
    if "disk i/o error" in low:
        raise DatabaseUnavailable(
            f"The disk reported an input/output error while the {where} was being written; the work in "
            "progress was not saved. Check the disk (and its free space) and try again."
        ) from None
    if "unable to open database" in low:
        reason = _read_only_reason(path)
        if reason.startswith("the folder"):  # SQLite must create its -wal and -shm files beside the file
            raise ReadOnlyDatabase(
                f"Cannot open the {where}: {reason} (the database needs to write beside its file); nothing "
                "was changed."
            ) from None
        raise DatabaseUnavailable(f"Cannot open the {where}: {msg}.") from None
    if "connection" in low or "could not" in low or "timeout" in low or "refused" in low:
        first = msg.strip().splitlines()[0] if msg.strip() else msg
        raise DatabaseUnavailable(f"Cannot connect to the {where}: {first}.") from None


@contextmanager
def translate_errors(where: str, path: Path | None = None) -> Iterator[None]:
    """Turn driver errors into one clear sentence that names the database.

    Both SQLAlchemy's wrapped errors and the DB-API drivers' own ``OperationalError`` (raised on
    the raw-cursor autosave path) are translated; ``path`` (a SQLite file) lets a read-only folder
    or file be named as the reason."""
    try:
        yield
    except OperationalError as exc:
        raise_clear(str(exc.orig) if exc.orig is not None else str(exc), where, path)
        raise
    except SADatabaseError as exc:
        if "file is not a database" in str(exc):
            raise NotAnEvaluatorDatabase(f"The {where} is not a Maeul Evaluator database.") from None
        raise
    except DBAPIError:
        raise
    except Exception as exc:
        if isinstance(exc, driver_errors()):
            raise_clear(str(exc), where, path)
        raise
