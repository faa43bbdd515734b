"""The unit of work every façade area is built on: one database, its sessions, who is acting.

:class:`UnitOfWork` opens the database (parsing the URL, creating or upgrading the schema), and
hands out units of work: :meth:`read` (a read-only session, rolled back at the end) and
:meth:`write` (``BEGIN IMMEDIATE`` on SQLite, committed at the end, rolled back on any error).
Driver errors inside either become one clear sentence (:mod:`evaluator.db.errors`).

A write records which tables its statements touched, so the façade can tell the caller what
changed (:class:`evaluator.changes.Changes`), computed here rather than declared by whoever asked:
the session's connection gets a statement listener of its own for the unit's lifetime (never the
engine, whose lean autosave path must stay free of listeners), and bulk writes straight to the
driver's cursor note their table with :func:`note_write`.

The areas (``store.scoring``, ``store.packages`` …) receive the unit of work; none of them imports
:mod:`evaluator.store`.
"""

from __future__ import annotations

import re
import uuid as uuidlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from .changes import Changes, Outcome
from .db import checkpoint
from .db.engine import BEGIN_OPTION, make_engine, parse_url, sqlite_path
from .db.errors import translate_errors
from .db.migrate import SchemaState, ensure_schema
from .db.settings import get_setting, set_setting
from .domain import FIELD, OFFICE
from .errors import PermissionDenied
from .messages import Message, msg
from .paths import default_database_url

if TYPE_CHECKING:
    from .privacy.identity import Actor

T = TypeVar("T")

#: ``session.info`` key of the set of tables a write unit touched
WRITTEN = "evaluator_written_tables"
#: ``session.info`` key of the program this store works on (``--program CODE``; None: the
#: database's current program), read by :func:`evaluator.services.common.current_program`
PROGRAM = "evaluator_program"
_DML = re.compile(r"\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+"
                  r"[\"`\[]?(\w+)", re.IGNORECASE)


def note_write(session: Session, table: str) -> None:
    """Record that ``table`` was written in ``session``'s unit of work (for writes that go to the
    driver's cursor directly, which no listener sees)."""
    written = session.info.get(WRITTEN)
    if written is not None:
        written.add(table)


def _on_statement(written: set[str]) -> Callable[..., None]:
    def listener(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        m = _DML.match(statement)
        if m is not None:
            written.add(m.group(1).lower())

    return listener


#: ``session.info`` key of (the written-tables set, its statement listener): one listener per unit
_LISTENER = "evaluator_statement_listener"


@event.listens_for(Session, "after_begin")
def _track_connection(session: Session, transaction: Any, connection: Any) -> None:
    """Listen for the unit's statements on ``connection`` — once: this runs again at every
    savepoint the unit begins (a merge begins one per package), and each listener added would see
    every later statement."""
    written = session.info.get(WRITTEN)
    if written is None:
        return
    cached = session.info.get(_LISTENER)
    if cached is None or cached[0] is not written:
        cached = session.info[_LISTENER] = (written, _on_statement(written))
    if not event.contains(connection, "before_cursor_execute", cached[1]):
        event.listen(connection, "before_cursor_execute", cached[1])


class UnitOfWork:
    """One open database: engine, read and write units of work, error translation, actor and device."""

    def __init__(self, url: str | None = None, *, upgrade: bool = True, role: str | None = None,
                 actor: str | None = None, passphrase: str | None = None) -> None:
        #: the program every unit of work is about (its code), None for the database's current one
        self.program: str | None = None
        self.url_object = parse_url(url or default_database_url())
        path = sqlite_path(self.url_object)
        if path is not None and url is None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self.url = self.url_object.render_as_string(hide_password=False)
        # (SQLAlchemy percent-encodes a file name's Korean letters; a person reads the name as it is)
        self.display_url = (f"sqlite:///{path.as_posix()}" if path is not None
                            else self.url_object.render_as_string(hide_password=True))
        self.sqlite_path: Path | None = path  # names a read-only folder or file in error messages
        self.where = f"database {path}" if path else (
            f"database {self.url_object.database} on {self.url_object.host or 'localhost'}:"
            f"{self.url_object.port or 5432}")
        # with a passphrase a SQLite file is opened (or created) encrypted at rest (evaluator.db.encryption)
        self.engine = make_engine(self.url_object, passphrase=passphrase)
        self._closers: list[Callable[[], None]] = []
        #: SQLite: the checkpoint of a large write unit, run after the unit (evaluator.db.checkpoint)
        self.checkpointer = checkpoint.Checkpointer(self.engine) if path is not None else None
        try:
            with self.translate():
                self.schema: SchemaState = ensure_schema(self.engine, upgrade=upgrade)
            self._sessions = sessionmaker(self.engine, expire_on_commit=False)
            self.writer_engine = self.engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
            self._writer_sessions = sessionmaker(self.writer_engine, expire_on_commit=False)
            self.device, current_role = self._identity(role)
            self.identity: Actor = self._who(actor, current_role)
        except BaseException:
            self.engine.dispose()
            raise

    def _identity(self, role: str | None) -> tuple[str, str]:
        """This database's device id and role, written on first open only."""
        with self.read() as s:
            device, current_role = get_setting(s, "device_id"), get_setting(s, "role")
        if device is None or current_role is None:
            with self.write() as s:
                if get_setting(s, "device_id") is None:
                    set_setting(s, "device_id", str(uuidlib.uuid4()))
                if get_setting(s, "role") is None:
                    set_setting(s, "role", role or OFFICE)
                device, current_role = get_setting(s, "device_id"), get_setting(s, "role")
        return device, current_role

    def _who(self, name: str | None, role: str) -> Actor:
        """Who acts in this session (:mod:`evaluator.privacy.identity`): the PostgreSQL login, or
        on SQLite the person named (``name``; on a field database, else, the kit's evaluator) with
        the operating-system account, or that account alone."""
        from .privacy import identity

        with self.read() as s:
            if self.engine.dialect.name == "postgresql":
                return identity.postgres_login(s, self.url_object.database or "")
            if role == FIELD:
                kit = get_setting(s, "kit") or {}
                name = name or kit.get("evaluator")
                return identity.Actor(name or identity.os_account(), identity.EVALUATOR, identity.os_account(),
                                      "person" if name else "account")
            if name:
                return identity.Actor(name, identity.person_role(s, name) or "", identity.os_account(), "person")
        account = identity.os_account()
        return identity.Actor(account, "", account, "account")

    @property
    def actor(self) -> str:
        """How the audit trail names who acts (the person with their account, or the login)."""
        return self.identity.label

    def act_as(self, name: str) -> Actor:
        """The person ``name`` acts from now on (their role from the people of this database).  On
        PostgreSQL the database login is the identity and stays so: acting as someone else means
        connecting as them."""
        if self.engine.dialect.name != "postgresql":
            self.identity = self._who(name, self.role)
        return self.identity

    # --- units of work ----------------------------------------------------------------------------
    def translate(self):
        """Driver errors inside become one clear sentence naming this database."""
        return translate_errors(self.where, self.sqlite_path)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work (for the core; never for the GUI)."""
        with self.translate():
            with self._sessions() as s:
                s.info[PROGRAM] = self.program
                try:
                    yield s
                finally:
                    s.rollback()

    @contextmanager
    def write(self, *, large: bool = False) -> Iterator[Session]:
        """A writing unit of work: BEGIN IMMEDIATE on SQLite, commit at the end, rollback on error.
        After it, :meth:`outcome` tells what it changed.

        ``large`` (a unit that may write thousands of pages, e.g. a ranking's decisions of record):
        on SQLite its commit leaves the WAL checkpoint to a background thread, after the unit
        (:mod:`evaluator.db.checkpoint`; as durable: the commit is in the synced log)."""
        if large and self.checkpointer is not None:
            with self.translate():
                conn = self.writer_engine.connect()
                try:
                    with checkpoint.deferred(conn.connection.driver_connection), \
                            Session(bind=conn, expire_on_commit=False,
                                    info={WRITTEN: set(), PROGRAM: self.program}) as s, s.begin():
                        yield s
                finally:
                    conn.close()
                    self.checkpointer.request()
            return
        with self.translate():
            with self._writer_sessions() as s:
                s.info[WRITTEN] = set()
                s.info[PROGRAM] = self.program
                with s.begin():
                    yield s

    @contextmanager
    def bulk_write(self) -> Iterator[Session]:
        """A write unit of work for merging thousands of rows.

        On SQLite the connection's foreign-key enforcement is switched off for it (outside the
        transaction, where SQLite allows it, and back on before the connection returns to the
        pool): every id a merge writes comes from rows it has just read in the same transaction,
        and checking each of 100,000 score rows again would cost more than the rows themselves.
        Its commit leaves the WAL checkpoint to a background thread, after the unit (see
        :meth:`write`, ``large``)."""
        if self.engine.dialect.name != "sqlite":
            with self.write() as s:
                yield s
            return
        with self.translate():
            conn = self.writer_engine.connect()
            raw = conn.connection.driver_connection
            cache = raw.execute("PRAGMA cache_size").fetchone()[0]
            temp = raw.execute("PRAGMA temp_store").fetchone()[0]
            raw.execute("PRAGMA foreign_keys=OFF")
            raw.execute("PRAGMA cache_size=-65536")  # 64 MB: a merge touches every page of the indexes it grows
            # each package merges in a savepoint, which copies every page it changes first (SQLite's
            # sub-journal): in memory rather than through a temporary file
            raw.execute("PRAGMA temp_store=MEMORY")
            try:
                raw.execute("PRAGMA wal_autocheckpoint=0")  # (set back below)
                with Session(bind=conn, expire_on_commit=False, info={WRITTEN: set(), PROGRAM: self.program}) as s, \
                        s.begin():
                    yield s
            finally:
                try:
                    raw.execute(f"PRAGMA cache_size={int(cache)}")
                    raw.execute(f"PRAGMA temp_store={int(temp)}")
                    raw.execute("PRAGMA foreign_keys=ON")
                    raw.execute(f"PRAGMA wal_autocheckpoint={checkpoint.AUTOCHECKPOINT_PAGES}")
                except Exception:  # noqa: BLE001 - never hand out a connection without its checks
                    conn.invalidate()
                conn.close()
                if self.checkpointer is not None:
                    self.checkpointer.request()

    @staticmethod
    def changes(s: Session) -> Changes:
        """What the (finished) write unit ``s`` changed."""
        return Changes.of_tables(s.info.get(WRITTEN, ()))

    @classmethod
    def outcome(cls, s: Session, value: T) -> Outcome[T]:
        """``value`` with what the write unit ``s`` changed."""
        return Outcome(value, cls.changes(s))

    # --- identity ---------------------------------------------------------------------------------
    @property
    def role(self) -> str:
        with self.read() as s:
            return get_setting(s, "role", OFFICE)

    @property
    def is_field(self) -> bool:
        return self.role == FIELD

    def require_office(self, what: str | Message) -> None:
        """Refuse ``what`` (an action, e.g. "export a kit"; a message to be said in Korean too) in a
        field database."""
        if self.role != OFFICE:
            raise PermissionDenied(msg("core.office_only", "Cannot {what} in a field database; do it in the office "
                                       "database.", what=what))

    # --- life -------------------------------------------------------------------------------------
    def on_close(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` when the database is closed (areas give back what they keep open)."""
        self._closers.append(fn)

    def close(self) -> None:
        for fn in reversed(self._closers):
            fn()
        self._closers.clear()
        if self.checkpointer is not None:
            self.checkpointer.close()  # (a running checkpoint ends before its connection is closed)
        self.engine.dispose()


class Area:
    """Base of the façade's areas: each is given the unit of work and nothing else of the store."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def _audit(self, s: Session, **entry: Any) -> None:
        """Append an audit entry as the acting person on this device (:func:`evaluator.audit.append`)."""
        from . import audit

        audit.append(s, actor=self._uow.actor, device=self._uow.device, **entry)

    def _log_access(self, **entry: Any) -> None:
        """One entry in the access log, in a unit of work of its own
        (:func:`evaluator.privacy.access.log`: action, what, subjects, fields, fingerprint, reason)."""
        from .privacy import access

        with self._uow.write() as s:
            access.log(s, actor=self._uow.identity, device=self._uow.device, **entry)

    def _log_output(self, path: str | Path, **entry: Any) -> None:
        """Log the file just written at ``path`` (its SHA-256 is the entry's fingerprint); when the
        entry cannot be written the file is removed again, so no output leaves without its trace."""
        from .privacy import access

        if not entry.get("subjects"):
            return  # an output about nobody (an empty template)
        try:
            self._log_access(fingerprint=access.file_fingerprint(path), **entry)
        except BaseException:
            Path(path).unlink(missing_ok=True)
            raise
