"""Engines for SQLite (embedded, default) and PostgreSQL (office).

SQLite is set up the way its documentation and SQLAlchemy's recommend for a desktop app that must
never lose an acknowledged write:

* ``journal_mode=WAL`` (readers never block the writer), ``synchronous=FULL`` (a committed
  transaction survives power loss), ``foreign_keys=ON``, ``secure_delete=ON`` (deleted content is
  zeroed, not left in free pages) — on *every* pooled connection;
* the stdlib driver's own transaction handling is switched off and we emit ``BEGIN`` ourselves, so
  SAVEPOINTs work and writers take the lock up front with ``BEGIN IMMEDIATE`` (no deadlocking
  upgrade from a read lock);
* a bounded busy timeout, after which a second program holding the lock gets a clear
  "database is in use" error instead of a hang — never corruption.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from ..errors import DatabaseUnavailable, InvalidDatabaseURL, TransactionLost
from .errors import check_not_cut_short, load_stored_json, short_path
from ..messages import Message, msg

log = logging.getLogger(__name__)

#: seconds a writer waits for another process's lock before giving up with DatabaseInUse
BUSY_TIMEOUT_S = 5.0
#: execution option naming the BEGIN flavour for SQLite connections
BEGIN_OPTION = "evaluator_sqlite_begin"

SQLITE_PRAGMAS = (
    ("journal_mode", "WAL"),
    ("synchronous", "FULL"),
    ("foreign_keys", "ON"),
    # deleted content (a removed photo, a purged name) is overwritten with zeros, not left in free
    # pages; a purge then rewrites the whole file (VACUUM, evaluator.privacy.purge)
    ("secure_delete", "ON"),
)


def parse_url(url: str) -> URL:
    """Validate a ``--db`` value and return a SQLAlchemy URL (plain paths become SQLite URLs)."""
    if not isinstance(url, str) or not url.strip():
        raise InvalidDatabaseURL(msg("db.url_empty", "The database URL is empty; use sqlite:///PATH or "
                                     "postgresql+psycopg://USER@HOST/NAME."))
    text = url.strip()
    if "://" not in text:
        if ":" in text.split("/", 1)[0] and not Path(text).drive:
            raise InvalidDatabaseURL(msg(
                "db.not_a_url",
                "'{url}' is not a database URL; use sqlite:///PATH or postgresql+psycopg://USER@HOST/NAME.",
                url=short_path(url)))
        text = "sqlite:///" + Path(text).expanduser().as_posix()
    try:
        parsed = make_url(text)
    except (ArgumentError, ValueError) as exc:
        raise InvalidDatabaseURL(msg(
            "db.not_a_url_because",
            "'{url}' is not a database URL ({error}); use sqlite:///PATH or postgresql+psycopg://USER@HOST/NAME.",
            url=short_path(url), error=str(exc))) from None
    backend = parsed.get_backend_name()
    _check_text(url, parsed)
    if backend == "postgresql":
        if parsed.get_driver_name() != "psycopg":
            parsed = parsed.set(drivername="postgresql+psycopg")
        if not parsed.database:
            raise InvalidDatabaseURL(msg("db.url_no_database", "'{url}' names no database; add /DBNAME to the "
                                         "PostgreSQL URL.", url=short_path(url)))
    elif backend == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            raise InvalidDatabaseURL(msg(
                "db.url_in_memory",
                "'{url}' is an in-memory SQLite database; give a file path (sqlite:///PATH) so nothing is lost.",
                url=short_path(url)))
        _check_sqlite_path(url, Path(parsed.database))
        _check_sqlite_options(url, parsed)
    else:
        raise InvalidDatabaseURL(msg("db.url_unsupported", "'{url}': unsupported database '{backend}'; use SQLite "
                                     "or PostgreSQL.", url=short_path(url), backend=backend))
    return parsed


#: the longest file or folder name file systems take: 255 bytes (Linux, macOS), 255 UTF-16 units (NTFS)
NAME_MAX = 255
#: the longest path: PATH_MAX on Linux (bytes); Windows' long-path limit (UTF-16 units)
PATH_MAX = 32767 if os.name == "nt" else 4096


def _unit() -> Message:
    """What :data:`NAME_MAX` and :data:`PATH_MAX` count, for a sentence."""
    return (msg("db.unit_characters", "characters") if os.name == "nt" else msg("db.unit_bytes", "bytes"))


def _size(text: str) -> int:
    """How file systems count a name's length: UTF-16 units on Windows, bytes elsewhere."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2 if os.name == "nt" else len(os.fsencode(text))


def _check_text(url: str, parsed: URL) -> None:
    """A --db value must be text SQLite and PostgreSQL can take: a file name with bytes that are not
    UTF-8 (arriving as lone surrogates from the command line) cannot be handed to either."""
    for part in (parsed.database, parsed.host, parsed.username):
        if part is None:
            continue
        try:
            part.encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidDatabaseURL(msg(
                "db.path_not_utf8",
                "The database path {path} contains bytes that are not UTF-8 text (shown as \\xNN); "
                "SQLite needs a UTF-8 file name. Rename the file or folder (or choose another path) and try again; "
                "nothing was created.", path=short_path(url))) from None


def _check_sqlite_path(url: str, path: Path) -> None:
    """Refuse, in one sentence, a path no file system takes (before anything is created)."""
    for part in path.parts:
        if _size(part) > NAME_MAX:
            raise InvalidDatabaseURL(msg(
                "db.name_too_long",
                "The database path {path} has a file or folder name longer than {limit} {unit}, "
                "which the file system does not allow; choose a shorter name. Nothing was created.",
                path=short_path(url), limit=NAME_MAX, unit=_unit()))
    if _size(str(path)) > PATH_MAX:
        raise InvalidDatabaseURL(msg(
            "db.path_too_long",
            "The database path {path} is too long for the file system (at most {limit:,} {unit}); "
            "choose a shorter path. Nothing was created.", path=short_path(url), limit=PATH_MAX, unit=_unit()))


#: SQLite URL options SQLAlchemy's driver reads as numbers, and what they must be
_SQLITE_NUMERIC_OPTIONS = {"timeout": float, "cached_statements": int, "detect_types": int}


def _check_sqlite_options(url: str, parsed: URL) -> None:
    for name, kind in _SQLITE_NUMERIC_OPTIONS.items():
        value = parsed.query.get(name)
        if value is None:
            continue
        values = value if isinstance(value, tuple) else (value,)
        for v in values:
            try:
                number = kind(v)
            except (TypeError, ValueError):
                raise InvalidDatabaseURL(msg(
                    "db.option_not_number",
                    "'{url}': the option {name}={value} is not a number; give a number "
                    "(e.g. ?{name}=5) or leave the option out.", url=short_path(url), name=name, value=str(v))) from None
            if number != number or number < 0:  # NaN or negative
                raise InvalidDatabaseURL(msg("db.option_negative", "'{url}': the option {name}={value} must be a "
                                             "number ≥ 0.", url=short_path(url), name=name, value=str(v)))


def sqlite_path(url: URL) -> Path | None:
    return Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None


def make_engine(url: str | URL, *, echo: bool = False, passphrase: str | None = None) -> Engine:
    """An engine for ``url``; with ``passphrase`` a SQLite file is opened (or created) encrypted
    with SQLCipher (see :mod:`evaluator.db.encryption`)."""
    parsed = parse_url(url) if isinstance(url, str) else url
    try:
        if parsed.get_backend_name() == "sqlite":
            return _sqlite_engine(parsed, echo, passphrase)
        if passphrase is not None:
            raise InvalidDatabaseURL(msg(
                "db.passphrase_sqlite_only",
                "A passphrase encrypts SQLite field databases only; protect a PostgreSQL server with its own "
                "disk encryption and access control."))
        return _postgres_engine(parsed, echo)
    except NoSuchModuleError as exc:  # pragma: no cover - missing driver
        raise InvalidDatabaseURL(msg("db.no_driver", "No driver for '{driver}': {error}.", driver=parsed.drivername,
                                     error=str(exc))) from None
    except (TypeError, ValueError) as exc:  # an option of the URL the driver cannot take
        raise InvalidDatabaseURL(msg(
            "db.bad_option",
            "'{url}' has an option the database driver cannot use ({error}); remove or correct it.",
            url=short_path(parsed.render_as_string(hide_password=True)), error=str(exc))) from None


def _sqlite_engine(url: URL, echo: bool, passphrase: str | None = None) -> Engine:
    path = sqlite_path(url)
    assert path is not None
    try:
        folder_exists = path.parent.is_dir()
    except OSError as exc:  # a path the system cannot even look at (too long, not allowed)
        raise DatabaseUnavailable(msg("db.cannot_open_path", "Cannot open database {path}: {error}.",
                                      path=short_path(path), error=str(exc.strerror or exc))) from None
    if not folder_exists:
        raise DatabaseUnavailable(msg("db.folder_missing", "Cannot open database {path}: the folder {folder} "
                                      "does not exist.", path=short_path(path), folder=short_path(path.parent)))
    encrypted: dict = {}
    if passphrase is None:
        check_not_cut_short(path)
    else:  # SQLCipher: every pooled connection is keyed before anything else
        from .encryption import engine_args

        encrypted = engine_args(path, passphrase, timeout=BUSY_TIMEOUT_S)
    engine = create_engine(
        url,
        echo=echo,
        # one file, one desktop process: a small pool, and connections usable from the worker thread
        connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False},
        pool_pre_ping=False,
        json_deserializer=load_stored_json,
        **encrypted,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # noqa: ANN001
        # take transaction control away from the stdlib driver (it would defer BEGIN and break
        # SAVEPOINT); we emit BEGIN in the "begin" hook below.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        try:
            for name, value in SQLITE_PRAGMAS:
                cur.execute(f"PRAGMA {name}={value}")
            cur.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        finally:
            cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # noqa: ANN001
        mode = conn.get_execution_options().get(BEGIN_OPTION, "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    _guard_transaction(engine, path)
    return engine


def _guard_transaction(engine: Engine, path: Path) -> None:
    """Refuse to go on once SQLite has dropped the transaction by itself.

    On some errors (disk full, I/O error, out of memory, interrupt) SQLite rolls back the *whole*
    transaction, even inside a savepoint.  Code that catches the error at its savepoint and carries
    on would then run the later items in autocommit mode, each committed on its own, while the
    earlier ones are gone.  So before every SAVEPOINT, ROLLBACK TO, RELEASE and COMMIT the DB-API
    connection must still be inside the transaction we began; if it is not, the unit of work fails
    as a whole (nothing of it was saved)."""

    def check(conn) -> None:  # noqa: ANN001
        try:
            dbapi_conn = conn.connection.dbapi_connection
        except Exception:  # noqa: BLE001 - closed or invalidated: SQLAlchemy reports that itself
            return
        if dbapi_conn is not None and not dbapi_conn.in_transaction:
            log.warning("SQLite dropped the transaction on %s after an error; the unit of work fails", path)
            raise TransactionLost(msg(
                "db.transaction_lost",
                "The database {path} rolled back the whole unit of work after an error; nothing was saved.",
                path=str(path)))

    @event.listens_for(engine, "savepoint")
    def _on_savepoint(conn, _name):  # noqa: ANN001
        check(conn)

    @event.listens_for(engine, "rollback_savepoint")
    def _on_rollback_savepoint(conn, _name, _context):  # noqa: ANN001
        check(conn)

    @event.listens_for(engine, "release_savepoint")
    def _on_release_savepoint(conn, _name, _context):  # noqa: ANN001
        check(conn)

    @event.listens_for(engine, "commit")
    def _on_commit(conn):  # noqa: ANN001
        check(conn)


def _postgres_engine(url: URL, echo: bool) -> Engine:
    return create_engine(
        url,
        echo=echo,
        pool_pre_ping=True,
        connect_args={"connect_timeout": 5, "application_name": "maeul-evaluator"},
    )
