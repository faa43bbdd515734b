"""Open a database: create and stamp a new one, back up and upgrade an older one, refuse a newer one.

Like Anki and calibre, the schema is upgraded when a database is opened, inside one transaction,
after a backup; a database written by a newer version of the app is refused.  Migrations are
Alembic scripts shipped inside the package (``evaluator/db/migrations``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import OperationalError

from ..errors import DatabaseTooNew, MigrationFailed, NotAnEvaluatorDatabase
from ..messages import Message, msg
from .engine import BEGIN_OPTION, sqlite_path
from .models import Base

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


@dataclass(frozen=True)
class SchemaState:
    revision: str
    created: bool = False
    upgraded_from: str | None = None
    backup: Path | None = None


#: modules that add tables to ``Base.metadata`` besides ``evaluator.db.models``
MODEL_MODULES = ("evaluator.db.models", "evaluator.packages.models", "evaluator.privacy.models")


def load_all_models() -> None:
    import importlib

    for name in MODEL_MODULES:
        importlib.import_module(name)


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, f"migrations have {len(heads)} heads"
    return heads[0]


def known_revisions() -> set[str]:
    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def ensure_schema(engine: Engine, *, upgrade: bool = True) -> SchemaState:
    """Bring the database at ``engine`` to the current schema (see module docstring)."""
    load_all_models()
    where = _describe(engine)
    head = head_revision()
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            rev = current_revision(conn) if "alembic_version" in tables else None
            conn.rollback()
    except SADatabaseError as exc:
        if "file is not a database" in str(exc) or "file is encrypted" in str(exc):
            raise NotAnEvaluatorDatabase(msg(
                "db.not_sqlite_or_encrypted",
                "{where} is not a Maeul Evaluator database (not an SQLite file) — unless it is an encrypted "
                "field database: then open it with its passphrase.", where=where)) from None
        raise
    if rev is None:
        if tables - {"alembic_version"}:
            raise NotAnEvaluatorDatabase(msg(
                "db.foreign_tables",
                "{where} already holds tables ({tables}…) but no Maeul Evaluator "
                "schema; choose another file or an empty database.", where=where,
                tables=", ".join(sorted(tables)[:5])))
        _create(engine)
        log.info("created schema %s in %s", head, where)
        return SchemaState(head, created=True)
    if rev == head:
        return SchemaState(rev)
    if rev not in known_revisions():
        raise DatabaseTooNew(msg(
            "db.too_new",
            "{where} was written by a newer version of Maeul Evaluator (schema revision {rev}); "
            "this version knows schema revisions up to {head}. Install the newer version to open it.",
            where=where, rev=rev, head=head))
    if not upgrade:
        return SchemaState(rev)
    backup = None
    if engine.dialect.name == "sqlite":  # the one backup routine: an encrypted file's copy keeps its key
        from .backup import backup as backup_database, backup_path

        backup = backup_database(engine, backup_path(sqlite_path(engine.url), rev))
    try:
        _upgrade(engine)
    except Exception as exc:  # noqa: BLE001 - any failure must leave the original untouched
        # let go of the file: Alembic's op proxy can keep the failed migration's connection alive
        from alembic import op as _op

        try:
            _op._remove_proxy()
        except Exception:  # noqa: BLE001 - no proxy left behind
            pass
        engine.dispose()
        raise MigrationFailed(
            msg("db.upgrade_failed_backup",
                "Upgrading {where} from schema revision {rev} failed ({error}); the database was left as it was"
                " and a backup is at {backup}.", where=where, rev=rev, error=str(exc), backup=str(backup))
            if backup else
            msg("db.upgrade_failed", "Upgrading {where} from schema revision {rev} failed ({error}); the database "
                "was left as it was.", where=where, rev=rev, error=str(exc))
        ) from exc
    log.info("upgraded %s from %s to %s (backup %s)", where, rev, head, backup)
    return SchemaState(head, upgraded_from=rev, backup=backup)


def _create(engine: Engine) -> None:
    cfg = alembic_config()
    with engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"}).begin() as conn:
        Base.metadata.create_all(conn)
        cfg.attributes["connection"] = conn
        command.stamp(cfg, "head")


def _upgrade(engine: Engine) -> None:
    cfg = alembic_config()
    with engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"}).connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            # batch migrations recreate tables; with foreign keys on, dropping a parent table would
            # cascade-delete children.  The pragma only changes outside a transaction.
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise MigrationFailed(msg("db.foreign_key_check_failed", "foreign key check failed after upgrade: {rows}",
                                                  rows=str(broken[:3])))
        finally:
            if sqlite:
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")


def _describe(engine: Engine) -> Message:
    path = sqlite_path(engine.url)
    if path is not None:
        return msg("db.database_file", "Database {path}", path=str(path))
    u = engine.url
    return msg("db.database_on_server", "Database {name} on {host}:{port}", name=u.database,
               host=u.host or "localhost", port=u.port or 5432)


__all__ = ["SchemaState", "ensure_schema", "head_revision", "current_revision", "OperationalError"]
