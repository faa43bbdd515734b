"""The one backup routine: a consistent copy of an open SQLite database, encrypted or not.

Used by the upgrade on open (``migrate.ensure_schema``), by "Back up…" and restore in the desktop
app and by ``evaluator backup`` / ``evaluator restore`` (``evaluator.workflows``).

* A plain database is copied with SQLite's online backup API through the engine's own driver
  connection (consistent even in WAL mode, while other connections read and write).
* An encrypted database (SQLCipher) is copied with ``sqlcipher_export`` into a file attached with
  the same key: SQLite's backup API cannot copy between SQLCipher files, and the stdlib driver
  cannot read them at all (a copy made with it is an empty, useless file).

The copy is written to a temporary name beside the target, checked (``integrity_check``), synced
and only then renamed into place: a failure (full disk, wrong key, cancelled) leaves no file.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from ..errors import DatabaseError, ValidationError
from . import encryption
from .engine import sqlite_path
from ..messages import msg


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def backup_path(source: Path, rev: str) -> Path:
    """Where the upgrade from schema revision ``rev`` keeps its backup: ``NAME.backup-REV-STAMP``."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = source.with_name(f"{source.name}.backup-{rev}-{stamp}")
    n = 1
    while path.exists():  # a second upgrade attempt within the same second keeps the first backup
        n += 1
        path = source.with_name(f"{source.name}.backup-{rev}-{stamp}-{n}")
    return path


def backup(engine: Engine, target: str | os.PathLike, *, overwrite: bool = False) -> Path:
    """Copy the SQLite database open in ``engine`` to the new file ``target``.

    An encrypted database's copy is encrypted with the same key (it opens with the same
    passphrase).  ``target`` must not exist unless ``overwrite`` (then it is replaced only once the
    copy is complete).  Returns the path written."""
    source = sqlite_path(engine.url)
    if source is None:
        raise ValidationError(msg("db.backup_sqlite_only", "Backing up from the app works for SQLite files only; "
                                  "back up a PostgreSQL database with pg_dump."))
    target = Path(target).expanduser().resolve()
    if target == Path(source).resolve():
        raise ValidationError(msg("db.backup_is_database", "The backup file {target} is the database itself; "
                                  "choose another file.", target=str(target)))
    if target.exists() and not overwrite:
        raise ValidationError(msg("db.target_exists", "{target} already exists; choose a new file name so nothing "
                                  "is overwritten.", target=str(target)))
    target.parent.mkdir(parents=True, exist_ok=True)
    encrypted = encryption.is_encrypted_engine(engine)
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    _remove(partial)
    raw = engine.raw_connection()
    try:
        conn = raw.driver_connection
        if encrypted:
            encryption.export(conn, partial, None)
        else:
            dst = sqlite3.connect(str(partial))
            try:
                conn.backup(dst)
            finally:
                dst.close()
        _check(partial, conn if encrypted else None)
        _fsync(partial)
        os.replace(partial, target)
    except BaseException:
        _remove(partial)
        raise
    finally:
        raw.close()
    return target


def _check(path: Path, encrypted_conn: Any | None) -> None:
    """The copy opens (with the same key when encrypted) and passes SQLite's integrity check."""
    if encrypted_conn is not None:
        encrypted_conn.execute(f"ATTACH DATABASE {_sql_literal(str(path))} AS backup_check")
        try:
            ok = encrypted_conn.execute("PRAGMA backup_check.integrity_check").fetchone()[0]
        finally:
            encrypted_conn.execute("DETACH DATABASE backup_check")
    else:
        c = sqlite3.connect(str(path))
        try:
            ok = c.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            c.close()
    if ok != "ok":
        raise DatabaseError(msg("db.backup_integrity_failed", "The backup copy {name} failed its integrity check; "
                                "it was not kept.", name=path.name))


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + "-journal"), path.with_name(path.name + "-wal"),
              path.with_name(path.name + "-shm")):
        try:
            p.unlink()
        except FileNotFoundError:
            pass
