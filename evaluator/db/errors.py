"""Driver errors turned into one clear sentence that names the database.

Every unit of work runs inside :func:`translate_errors`: SQLAlchemy's wrapped errors and the DB-API
drivers' own ``OperationalError`` (the autosave and bulk paths run on the raw cursor) become the
domain errors of :mod:`evaluator.errors` — in use by another program, read-only, disk full, I/O
error, cannot connect, not a database, damaged (with what to do: restore a backup).
"""

from __future__ import annotations

import glob
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import DatabaseError as SADatabaseError

from ..errors import (
    DatabaseDamaged, DatabaseInUse, DatabaseUnavailable, NotAnEvaluatorDatabase, ReadOnlyDatabase, RoleRefused,
)
from ..messages import Message, msg

#: what SQLite (and SQLCipher) say about a damaged file: SQLITE_CORRUPT and its variants
_DAMAGED = ("database disk image is malformed", "malformed database schema", "database corruption")
#: what the PostgreSQL driver says when the server cannot be reached at all (besides "connection …")
_UNREACHABLE = ("failed to resolve host", "could not translate host name", "name or service not known",
                "temporary failure in name resolution", "nodename nor servname", "no route to host",
                "network is unreachable", "server closed the connection")


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


def driver_database_errors() -> tuple[type[BaseException], ...]:
    """The DB-API drivers' DatabaseError classes (a damaged file raises one on the raw cursor too)."""
    import sqlite3
    import sys

    errors: tuple[type[BaseException], ...] = (sqlite3.DatabaseError,)
    cipher = sys.modules.get("sqlcipher3.dbapi2") or sys.modules.get("sqlcipher3")
    if cipher is not None and isinstance(getattr(cipher, "DatabaseError", None), type):
        errors += (cipher.DatabaseError,)
    return errors


def short_path(path: object, limit: int = 120) -> str:
    """A path for a message: whole when short; otherwise its start and end around '…' (a 5,000-character
    name must not fill the screen).  Bytes that are not text are shown as escapes."""
    text = str(path)
    try:  # bytes of a file name that are not UTF-8 arrive as lone surrogates: show them as \xNN
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    if len(text) <= limit:
        return text
    return f"{text[:limit - 40]}…{text[-30:]} ({len(text):,} characters)"


def backups_beside(path: Path | None) -> list[Path]:
    """The upgrade backups kept beside a database file (``NAME.backup-…``), newest first."""
    if path is None:
        return []
    try:
        found = [p for p in path.parent.glob(f"{glob.escape(path.name)}.backup-*") if p.is_file()]
        return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return []


def described(where: str | Message, path: Path | None = None) -> Message:
    """The database a sentence names ("database F", "database D on H:P") as a message, so that it
    is rendered in the sentence's language; ``where`` may be one already."""
    if isinstance(where, Message):
        return where
    if where.startswith("database "):
        return msg("db.where_named", "database {name}", name=where.removeprefix("database "))
    return msg("db.where_other", "{name}", name=where)


def damaged(where: str | Message, path: Path | None, detail: str | Message) -> DatabaseDamaged:
    """The one sentence for a damaged database file: what happened, that nothing was changed, and
    what to do (restore a backup; the newest one beside the file is named when there is one).
    ``detail`` is the driver's own words (as they are) or a message of ours."""
    if path is not None:
        name = short_path(path)
    elif isinstance(where, Message):
        name = where.params.get("name", where.params.get("path", ""))
    else:
        name = where.removeprefix("database ")
    backups = backups_beside(path)
    where_backup = (msg("db.newest_backup_beside", "the newest backup beside it is {backup}",
                        backup=short_path(backups[0])) if backups else
                    msg("db.backup_copy_example", "for example the copy made with 'Back up…'"))
    return DatabaseDamaged(msg(
        "db.damaged",
        "The database file {name} is damaged ({detail}); nothing was changed. Restore it from a backup "
        "({where_backup}), and keep the damaged file aside rather than writing to it.",
        name=name, detail=detail, where_backup=where_backup))


class StoredValueUnreadable(ValueError):
    """A value SQLite handed back whole but whose content is garbage (a page overwritten inside a
    record: SQLite's structure checks pass, the JSON text does not parse)."""


def load_stored_json(text: str | bytes):
    """The SQLite engine's JSON deserializer: a stored JSON value that does not parse is the file's
    damage, said as such by :func:`translate_errors` (never an "unexpected" JSONDecodeError)."""
    import json

    try:
        return json.loads(text)
    except ValueError as exc:  # (a TypeError is SQLAlchemy's cue that SQLite handed back a number as such)
        raise StoredValueUnreadable(str(exc)) from None


#: below this much free space, an I/O error while writing is taken for a full disk
NEARLY_FULL = 1 << 20


def _nearly_full(path: Path | None) -> bool:
    import shutil

    if path is None:
        return False
    try:
        return shutil.disk_usage(path.parent).free < NEARLY_FULL
    except OSError:
        return False


def _read_only_reason(path: Path | None) -> Message | None:
    """Why ``path`` cannot be written, as a phrase ("the folder F is read-only"), or None."""
    import os

    if path is None:
        return None
    folder = path.parent
    try:
        if folder.exists() and not os.access(folder, os.W_OK):
            return msg("db.folder_read_only", "the folder {folder} is read-only", folder=str(folder))
        if path.exists() and not os.access(path, os.W_OK):
            return msg("db.file_read_only", "the file {path} is read-only", path=str(path))
    except OSError:  # pragma: no cover - cannot even look
        return None
    return None


def raise_clear(said: str, where: str | Message, path: Path | None) -> None:
    """Raise the domain error for a driver message, or return when it is not one we know."""
    low = said.lower()
    db = described(where, path)
    if "database is locked" in low or "database table is locked" in low:
        raise DatabaseInUse(msg(
            "db.in_use",
            "The {where} is in use by another program, which is still writing to it; nothing was "
            "changed. Close the other program (or wait for it to finish) and try again.", where=db)) from None
    if "readonly database" in low or "read-only" in low:
        reason = _read_only_reason(path) or msg("db.read_only_file_or_folder", "read-only file or folder")
        raise ReadOnlyDatabase(msg("db.cannot_write", "The {where} cannot be written ({reason}); nothing was changed.",
                                   where=db, reason=reason)) from None
    if "disk is full" in low or "database or disk is full" in low:
        raise ReadOnlyDatabase(msg("db.disk_full", "The disk holding the {where} is full; nothing was changed.",
                                   where=db)) from None
    if "disk i/o error" in low and _nearly_full(path):  # SQLite reports some ENOSPC as an I/O error
        raise ReadOnlyDatabase(msg("db.disk_full", "The disk holding the {where} is full; nothing was changed.",
                                   where=db)) from None
    if "disk i/o error" in low:
        raise DatabaseUnavailable(msg(
            "db.io_error",
            "The disk reported an input/output error while the {where} was being written; the work in "
            "progress was not saved. Check the disk (and its free space) and try again.", where=db)) from None
    if "unable to open database" in low:
        reason = _read_only_reason(path)
        if reason is not None and reason.code == "db.folder_read_only":  # SQLite writes -wal and -shm beside the file
            raise ReadOnlyDatabase(msg(
                "db.cannot_open_folder_read_only",
                "Cannot open the {where}: {reason} (the database needs to write beside its file); nothing "
                "was changed.", where=db, reason=reason)) from None
        raise DatabaseUnavailable(msg("db.cannot_open", "Cannot open the {where}: {error}.", where=db,
                                      error=said)) from None
    if "could not decode to utf-8" in low:  # a text value's bytes are garbage; never quote them (personal data)
        raise damaged(where, path, msg("db.text_not_utf8", "a text value in it is not valid UTF-8")) from None
    if any(text in low for text in _DAMAGED):
        raise damaged(where, path, said.strip().splitlines()[0] if said.strip() else
                      msg("db.corrupt", "corrupt")) from None
    if ("connection" in low or "could not" in low or "timeout" in low or "refused" in low
            or any(text in low for text in _UNREACHABLE)):
        first = said.strip().splitlines()[0] if said.strip() else said
        raise DatabaseUnavailable(msg("db.cannot_connect", "Cannot connect to the {where}: {error}.", where=db,
                                      error=first)) from None


@contextmanager
def translate_errors(where: str | Message, path: Path | None = None) -> Iterator[None]:
    """Turn driver errors into one clear sentence that names the database.

    Both SQLAlchemy's wrapped errors and the DB-API drivers' own ``OperationalError`` (raised on
    the raw-cursor autosave path) are translated; ``path`` (a SQLite file) lets a read-only folder
    or file be named as the reason."""
    try:
        yield
    except StoredValueUnreadable:
        raise damaged(where, path, msg("db.stored_json_unreadable", "a stored value in it cannot be read")) from None
    except OperationalError as exc:
        raise_clear(str(exc.orig) if exc.orig is not None else str(exc), where, path)
        raise
    except SADatabaseError as exc:
        text = str(exc.orig) if exc.orig is not None else str(exc)
        if getattr(exc.orig, "sqlstate", None) == "42501":  # PostgreSQL: insufficient privilege
            first = text.strip().splitlines()[0] if text.strip() else "permission denied"
            raise RoleRefused(msg(
                "db.role_refused",
                "The {where} refused this ({error}): the login's role does not allow it, so nothing "
                "was changed. Roles are given by the database owner with 'evaluator admin grant'.",
                where=described(where, path), error=first)) from None
        if any(t in text.lower() for t in _DAMAGED):
            raise damaged(where, path, text.strip().splitlines()[0]) from None
        if "file is not a database" in text:
            raise NotAnEvaluatorDatabase(msg("db.not_ours", "The {where} is not a Maeul Evaluator database.",
                                             where=described(where, path))) from None
        raise
    except DBAPIError:
        raise
    except Exception as exc:
        if isinstance(exc, driver_errors()):
            raise_clear(str(exc), where, path)
        elif isinstance(exc, driver_database_errors()) and any(t in str(exc).lower() for t in _DAMAGED):
            raise damaged(where, path, str(exc).strip().splitlines()[0]) from None
        raise


def check_not_cut_short(path: Path) -> None:
    """Refuse a plain SQLite file shorter than its own header says (cut in half by a failed copy or
    a full USB stick): SQLite may read its first pages happily and only fail later, mid-work.

    The header's page count is trusted only as SQLite trusts it (non-zero, and its change counter
    equal to the "version valid for" number); a file with a non-empty -wal or -journal beside it is
    left to SQLite's own recovery, which may legitimately complete it."""
    import os
    import struct

    try:
        with open(path, "rb") as fh:
            head = fh.read(100)
        size = os.path.getsize(path)
        for side in ("-wal", "-journal"):
            extra = path.with_name(path.name + side)
            if extra.exists() and extra.stat().st_size > 0:
                return
    except OSError:
        return  # cannot look: SQLite will say what is wrong
    if len(head) < 100 or not head.startswith(b"SQLite format 3\x00"):
        return
    (page_size,) = struct.unpack(">H", head[16:18])
    page_size = 65536 if page_size == 1 else page_size
    counter, pages = struct.unpack(">II", head[24:32])
    (valid_for,) = struct.unpack(">I", head[92:96])
    if pages and counter == valid_for and size < pages * page_size:
        raise damaged(f"database {path}", path,
                      msg("db.cut_short", "the file holds {size:,} bytes but its header says {expected:,}: it was cut short",
                          size=size, expected=pages * page_size))
