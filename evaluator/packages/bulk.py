"""Bulk row writes inside a session's transaction: one ``executemany`` per table and kind.

A merge writes thousands of rows; going through the ORM would cost one round trip (and object)
per score.  Rows are tuples in the order of the given columns.  On SQLite they go straight to the
driver's cursor, converted to exactly the storage formats SQLAlchemy's types use (so ORM reads see
no difference; JSON read from a package may be written compact, :meth:`Bulk.compact_json_text`,
which the JSON type reads back as the same value); on PostgreSQL through SQLAlchemy Core's
executemany (psycopg batches them).  The merge's plain reads of ids and texts (:meth:`Bulk.rows`)
and its receipt (:meth:`Bulk.insert_one`) take the same path.
"""

from __future__ import annotations

import json
from json.encoder import c_make_encoder, encode_basestring_ascii  # type: ignore[attr-defined]
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import JSON, Boolean, Date, DateTime, Table, bindparam
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from ..services.autosave import _observed  # (one rule: the driver's fast path only while nothing listens)

from ..uow import note_write


def _sqlite_dt(v: datetime | None) -> str | None:
    return None if v is None else v.isoformat(" ", "microseconds")


def _sqlite_dt_memo() -> Callable[[datetime | None], str | None]:
    """:func:`_sqlite_dt` remembering its last value (a merge stamps thousands of rows with the
    same time)."""
    last: list[Any] = [None, None]

    def convert(v: datetime | None) -> str | None:
        if v is None:
            return None
        if v is not last[0]:
            last[0], last[1] = v, v.isoformat(" ", "microseconds")
        return last[1]

    return convert


def _json_text() -> Callable[[Any], str]:
    """``json.dumps`` (what SQLAlchemy's JSON type stores), its C encoder made once rather than
    once per value: the same text, in half the time for a small value."""
    if c_make_encoder is None:  # (a Python without the C accelerator)
        return json.dumps
    encode = c_make_encoder(None, json.JSONEncoder().default, encode_basestring_ascii, None, ": ", ", ", False, False,
                            True)

    def dumps(v: Any) -> str:
        return "".join(encode(v, 0)) if isinstance(v, (dict, list)) else json.dumps(v)

    return dumps


def _compact_json_text(v: dict | list) -> str:
    """A JSON object or array read from a package as compact JSON text (orjson: four times as
    quick as ``json.dumps``; no spaces, other than ASCII as it is).  SQLAlchemy's JSON type reads
    it back as the same value.  (An integer beyond 64 bits, which orjson does not write, the
    standard library writes.)"""
    try:
        return orjson.dumps(v).decode()
    except TypeError:
        return json.dumps(v)


def _sqlite_converter(col_type: Any) -> Callable[[Any], Any] | None:
    if isinstance(col_type, DateTime):
        return _sqlite_dt_memo()
    if isinstance(col_type, Date):
        return lambda v: None if v is None else v.isoformat()
    if isinstance(col_type, Boolean):
        return lambda v: None if v is None else int(bool(v))
    if isinstance(col_type, JSON):
        return _json_text()
    return None


#: SELECTs compiled for SQLite once: statement -> (SQL text, its parameters' names in order)
_compiled: dict[int, tuple[str, tuple[str, ...]]] = {}


def _sqlite_sql(stmt: Executable) -> tuple[str, tuple[str, ...]]:
    got = _compiled.get(id(stmt))
    if got is None:
        compiled = stmt.compile(dialect=sqlite_dialect.dialect(paramstyle="qmark"))
        got = _compiled[id(stmt)] = (str(compiled), tuple(compiled.positiontup or ()))
    return got


class Bulk:
    """Bulk writes (and plain reads) in the session's transaction.  On SQLite the SQL goes straight
    to the driver's cursor — unless something listens for the engine's statements (fault injection,
    echo): then the same SQL and parameters go through SQLAlchemy's connection
    (``exec_driver_sql``), so that every statement passes its events."""

    def __init__(self, s: Session) -> None:
        self.session = s
        self.conn = s.connection()
        self.sqlite = self.conn.dialect.name == "sqlite"
        self._cur = self.conn.connection.driver_connection.cursor() \
            if self.sqlite and not _observed(self.conn.engine) else None

    #: a time as a SQLite row stores it (for rows written ``converted``)
    timestamp = staticmethod(_sqlite_dt)

    @staticmethod
    def json_text() -> Callable[[Any], str]:
        """A JSON value as a SQLite row stores it (for rows written ``converted``; one encoder for
        many values)."""
        return _json_text()

    @staticmethod
    def compact_json_text() -> Callable[[dict | list], str]:
        """For JSON objects and arrays read from a package: their compact JSON text, which
        SQLAlchemy's JSON type reads back as the same values (for rows written ``converted``)."""
        return _compact_json_text

    def _run(self, sql: str, params: Any, *, many: bool = False) -> Any:
        """Run SQLite SQL (``?`` parameters): a tuple of parameters, or with ``many`` a list of them."""
        if self._cur is not None:
            return self._cur.executemany(sql, params) if many else self._cur.execute(sql, params)
        return self.conn.exec_driver_sql(sql, [tuple(p) for p in params] if many else tuple(params))

    def rows(self, stmt: Executable, params: dict[str, Any]) -> list[tuple]:
        """The rows of a SELECT built once at import (module-level: its compiled form is kept by
        id) whose columns are numbers and texts (no type conversion happens on SQLite, where the
        rows come from the driver as they are)."""
        if self.sqlite:
            sql, names = _sqlite_sql(stmt)
            return [tuple(r) for r in self._run(sql, [params[n] for n in names]).fetchall()]
        return [tuple(r) for r in self.conn.execute(stmt, params)]

    def insert_one(self, table: Table, values: dict[str, Any]) -> int:
        """Insert one row; its id."""
        if self.sqlite:  # (execute, not executemany: only execute sets lastrowid)
            cols = list(values)
            [row] = self._sqlite_rows(table, cols, [tuple(values.values())])
            done = self._run(f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                             row)
            return done.lastrowid
        return self.conn.execute(table.insert(), values).inserted_primary_key[0]

    def _sqlite_rows(self, table: Table, cols: Sequence[str], rows: list[tuple]) -> list[tuple] | list[list]:
        conv = [(i, f) for i, c in enumerate(cols) if (f := _sqlite_converter(table.c[c].type)) is not None]
        if not conv:
            return rows
        out = []
        for r in rows:
            r = list(r)
            for i, f in conv:
                r[i] = f(r[i])
            out.append(r)
        return out

    def insert(self, table: Table, cols: Sequence[str], rows: list[tuple], *, converted: bool = False) -> None:
        """Insert ``rows``; ``converted``: the rows already hold what SQLite stores (timestamps as
        ``isoformat(" ", "microseconds")`` text, no boolean or JSON values) — ignored elsewhere."""
        if not rows:
            return
        note_write(self.session, table.name)
        if self.sqlite:
            sql = f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
            self._run(sql, rows if converted else self._sqlite_rows(table, cols, rows), many=True)
        else:
            self.conn.execute(table.insert(), [dict(zip(cols, r)) for r in rows])

    def update(self, table: Table, cols: Sequence[str], rows: list[tuple], key: str = "id", *,
               converted: bool = False) -> None:
        """``UPDATE table SET cols… WHERE key = ?`` for each row: (value, …, key value)."""
        if not rows:
            return
        note_write(self.session, table.name)
        if self.sqlite:
            sql = f"UPDATE {table.name} SET {', '.join(f'{c} = ?' for c in cols)} WHERE {key} = ?"
            self._run(sql, rows if converted else self._sqlite_rows(table, list(cols) + [key], rows), many=True)
        else:
            stmt = (table.update().where(table.c[key] == bindparam("_key"))
                    .values({c: bindparam(f"_v_{c}") for c in cols}))
            names = [f"_v_{c}" for c in cols] + ["_key"]
            self.conn.execute(stmt, [dict(zip(names, r)) for r in rows])

    def update_all_or_none(self, table: Table, sql: str, rows: list[tuple]) -> bool:
        """SQLite only: run ``sql``, an UPDATE of ``table`` meant to change exactly one row for each
        parameter tuple (its WHERE holds the conditions under which the caller may write it), for
        every tuple in ``rows`` inside a savepoint.  Kept when every tuple changed its one row
        (True); otherwise undone, the database as it was (False)."""
        note_write(self.session, table.name)
        self._run("SAVEPOINT bulk_all_or_none", ())
        done = self._run(sql, rows, many=True)
        if done.rowcount == len(rows):
            self._run("RELEASE bulk_all_or_none", ())
            return True
        self._run("ROLLBACK TO bulk_all_or_none", ())
        self._run("RELEASE bulk_all_or_none", ())
        return False

    def delete(self, table: Table, ids: list[int], key: str = "id") -> None:
        if not ids:
            return
        note_write(self.session, table.name)
        if self.sqlite:
            self._run(f"DELETE FROM {table.name} WHERE {key} = ?", [(i,) for i in ids], many=True)
        else:
            self.conn.execute(table.delete().where(table.c[key] == bindparam("_key")), [{"_key": i} for i in ids])
