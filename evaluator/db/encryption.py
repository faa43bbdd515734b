"""Encryption at rest for SQLite field databases: SQLCipher through the ``sqlcipher3`` package.

A field laptop can be lost; its database holds applicants' names, phone numbers and addresses.
An encrypted database is an ordinary SQLite database whose every page is encrypted by SQLCipher
(AES-256, key derived from the passphrase with PBKDF2-HMAC-SHA512): the file does not start with
``SQLite format 3`` and no text of it is readable without the passphrase.

How it is used:

* ``make_engine(url, passphrase=…)`` (``evaluator.db.engine``) opens every pooled connection with
  :func:`connect`, which sends ``PRAGMA key`` before anything else and checks the passphrase at
  once; the usual WAL / FULL / foreign-key PRAGMAs follow on that connection as on any other.
* :func:`encrypt_copy` / :func:`decrypt_copy` turn a plain database into an encrypted one and back
  (field kits ship encrypted copies); :func:`export` is what ``evaluator.db.backup`` copies an open
  encrypted database with, under the same key (upgrade backups, "back up to…", restore).

Where ``sqlcipher3`` cannot be installed, every entry point raises :class:`EncryptionUnavailable`
with one plain sentence; nothing falls back to writing an unencrypted file.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any, Callable

from ..errors import DatabaseError, ValidationError
from ..messages import msg

#: the first 16 bytes of every plain SQLite database file
SQLITE_HEADER = b"SQLite format 3\x00"


class EncryptionUnavailable(DatabaseError):
    """Encrypted databases need ``sqlcipher3``, which is not installed on this computer."""


class WrongPassphrase(DatabaseError):
    """The passphrase does not open this encrypted database (or the file is not one)."""


class NotEncrypted(DatabaseError):
    """A passphrase was given for a plain (unencrypted) database."""


def dbapi() -> ModuleType:
    """The SQLCipher DB-API module, or :class:`EncryptionUnavailable`."""
    try:
        from sqlcipher3 import dbapi2
    except ImportError as exc:
        raise EncryptionUnavailable(msg(
            "db.sqlcipher_missing",
            "Encrypted databases need the 'sqlcipher3' package, which is not installed on this computer "
            "({error}); install Maeul Evaluator with its encryption support, or open an unencrypted database.",
            error=str(exc))) from None
    _quiet(dbapi2)
    return dbapi2


_quietened = False


def _quiet(mod: ModuleType) -> None:
    """Stop SQLCipher's own log lines ("ERROR CORE sqlcipher_page_cipher: hmac check failed …"),
    which it writes to stderr by default (level WARN since SQLCipher 4.6): a wrong passphrase must
    reach the user as our one sentence, not after three lines of library noise.  The level is
    process-wide, so it is set once; :func:`connect` sets it again on each connection in case a
    library reset it.  Every SQLCipher error still reaches us as an exception."""
    global _quietened
    if _quietened:
        return
    try:
        conn = mod.connect(":memory:")
        try:
            conn.execute(QUIET_LOG)
        finally:
            conn.close()
    except mod.DatabaseError:  # an older SQLCipher without the pragma logs nothing by default
        pass
    _quietened = True


#: SQLCipher ≥ 4.6: the library's own log off (its default writes WARN and ERROR lines to stderr)
QUIET_LOG = "PRAGMA cipher_log_level = NONE"


def available() -> bool:
    try:
        dbapi()
    except EncryptionUnavailable:
        return False
    return True


def is_plain_sqlite(path: str | Path) -> bool:
    """True when ``path`` starts with the plain SQLite header (so it is certainly not encrypted)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == SQLITE_HEADER
    except OSError:
        return False


def may_be_encrypted(path: str | Path) -> bool:
    """True when ``path`` is a non-empty file that is not a plain SQLite database: an encrypted
    database looks like this (and so does any other file that is not a database)."""
    p = Path(path)
    try:
        return p.is_file() and p.stat().st_size >= 512 and not is_plain_sqlite(p)
    except OSError:
        return False


def _literal(passphrase: str) -> str:
    """The passphrase as an SQL string literal (quotes doubled), after checking it is usable."""
    if not isinstance(passphrase, str) or not passphrase:
        raise ValidationError(msg("db.passphrase_empty", "The database passphrase is empty; choose a passphrase of "
                                  "at least one character."))
    if "\x00" in passphrase:
        raise ValidationError(msg("db.passphrase_nul", "The database passphrase contains a NUL character, which "
                                  "cannot be used."))
    return "'" + passphrase.replace("'", "''") + "'"


def key_statement(passphrase: str) -> str:
    return f"PRAGMA key = {_literal(passphrase)}"


def _is_not_a_database(exc: Exception) -> bool:
    text = str(exc).lower()
    return "file is not a database" in text or "file is encrypted" in text


def connect(path: str | Path, passphrase: str, *, timeout: float = 5.0, check_same_thread: bool = False) -> Any:
    """A SQLCipher connection to ``path`` keyed with ``passphrase`` (a new file is created
    encrypted).  A wrong passphrase raises :class:`WrongPassphrase` here, not at some later query."""
    mod = dbapi()
    path = Path(path)
    statement = key_statement(passphrase)
    if is_plain_sqlite(path):
        raise NotEncrypted(msg(
            "db.not_encrypted",
            "The database {path} is not encrypted; open it without a passphrase (or make an encrypted copy of it).",
            path=str(path)))
    conn = mod.connect(str(path), timeout=timeout, check_same_thread=check_same_thread)
    try:
        conn.execute(QUIET_LOG)
        conn.execute(statement)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except mod.DatabaseError as exc:
        conn.close()
        if _is_not_a_database(exc):
            raise WrongPassphrase(msg(
                "db.wrong_passphrase",
                "The passphrase does not open the database {path}: it is wrong, or the file is not an encrypted "
                "Maeul Evaluator database; nothing was changed.", path=str(path))) from None
        raise
    except BaseException:
        conn.close()
        raise
    return conn


def engine_args(path: str | Path, passphrase: str, *, timeout: float) -> dict[str, Any]:
    """Extra ``create_engine`` arguments that make every pooled connection a keyed SQLCipher one."""
    mod = dbapi()
    _literal(passphrase)  # refuse an unusable passphrase before any file is touched

    def creator() -> Any:
        return connect(path, passphrase, timeout=timeout)

    return {"module": mod, "creator": creator}


def is_encrypted_engine(engine: Any) -> bool:
    """Was ``engine`` made with a passphrase (its driver is SQLCipher)?"""
    dialect = getattr(engine, "dialect", None)
    mod = getattr(dialect, "dbapi", None) or getattr(dialect, "loaded_dbapi", None)
    return getattr(mod, "__name__", "").startswith("sqlcipher3")


def export(conn: Any, target: Path, key_sql: str | None) -> None:
    """Copy the database open on ``conn`` into the new file ``target`` (SQLCipher's own export):
    keyed with ``key_sql`` (an SQL literal; ``"''"`` for a plain copy), or with the open
    database's own key when None."""
    literal_path = "'" + str(target).replace("'", "''") + "'"
    key = "" if key_sql is None else f" KEY {key_sql}"
    conn.execute(f"ATTACH DATABASE {literal_path} AS export_target{key}")
    try:
        conn.execute("SELECT sqlcipher_export('export_target')")
        version = conn.execute("PRAGMA main.user_version").fetchone()[0]
        conn.execute(f"PRAGMA export_target.user_version = {int(version)}")
    finally:
        conn.execute("DETACH DATABASE export_target")


def _fresh_target(target: str | Path) -> Path:
    target = Path(target).expanduser().resolve()
    if target.exists():
        raise ValidationError(msg("db.target_exists", "{target} already exists; choose a new file name so nothing "
                                  "is overwritten.", target=str(target)))
    if not target.parent.is_dir():
        raise ValidationError(msg("db.target_folder_missing", "Cannot write {target}: the folder {folder} does not "
                                  "exist.", target=str(target), folder=str(target.parent)))
    return target


def _finish(target: Path, opener: Callable[[], Any]) -> Path:
    """Put the new copy in WAL mode like every database the app writes, and check it."""
    conn = opener()
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise DatabaseError(msg("db.copy_integrity_failed", "The copy {target} failed its integrity check; it "
                                    "was not kept.", target=str(target)))
    except BaseException:
        conn.close()
        target.unlink(missing_ok=True)
        raise
    conn.close()
    return target


def encrypt_copy(source: str | Path, target: str | Path, passphrase: str) -> Path:
    """Write an encrypted copy of the plain database ``source`` to the new file ``target``."""
    mod = dbapi()
    key_sql = _literal(passphrase)
    source = Path(source)
    if not is_plain_sqlite(source):
        raise ValidationError(msg("db.not_plain_sqlite", "{source} is not a plain SQLite database, so it cannot be "
                                  "encrypted.", source=str(source)))
    target = _fresh_target(target)
    conn = mod.connect(str(source))
    try:
        export(conn, target, key_sql)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    finally:
        conn.close()
    return _finish(target, lambda: connect(target, passphrase))


def decrypt_copy(source: str | Path, passphrase: str, target: str | Path) -> Path:
    """Write a plain copy of the encrypted database ``source`` to the new file ``target``."""
    target = _fresh_target(target)
    conn = connect(source, passphrase)
    try:
        export(conn, target, "''")
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    finally:
        conn.close()
    import sqlite3

    return _finish(target, lambda: sqlite3.connect(str(target)))
