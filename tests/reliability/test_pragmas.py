"""The SQLite settings that make a save durable hold on *every* connection the app ever uses.

tests/core/test_sqlite.py checks a few pooled connections once; here every connection is checked:
the pool's overflow, the writer engine, connections opened from worker threads, after repeated
``engine.dispose()`` and after a connection was invalidated (what SQLAlchemy does after a
disconnect), and in a fresh Store on the same file.  Writers take the lock at BEGIN.
"""

from __future__ import annotations

import sqlite3
import threading

import pytest

from evaluator.db.engine import BEGIN_OPTION, BUSY_TIMEOUT_S
from evaluator.store import Store

from .support import db_path, record

EXPECTED = {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1,
            "busy_timeout": int(BUSY_TIMEOUT_S * 1000)}


def _pragmas(conn) -> dict:
    return {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar() for name in EXPECTED}


def _check_all(engine, n: int) -> int:
    """Hold ``n`` connections at once (past the pool size, into its overflow) and check each."""
    conns = [engine.connect() for _ in range(n)]
    try:
        seen = {id(c.connection.dbapi_connection) for c in conns}
        assert len(seen) == n  # really n different connections
        for c in conns:
            assert _pragmas(c) == EXPECTED
    finally:
        for c in conns:
            c.close()
    return n


def test_pragmas_on_every_pooled_overflow_thread_and_reconnected_connection(sqlite_url):
    st = Store(sqlite_url)
    checked = 0
    try:
        pool_size = st.uow.engine.pool.size() + max(0, getattr(st.uow.engine.pool, "_max_overflow", 0))
        n = max(2, min(pool_size, 12))
        writer = st.uow.engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
        for _round in range(3):
            checked += _check_all(st.uow.engine, n)
            for _ in range(2):  # writers one at a time: each holds the write lock from its BEGIN
                with writer.connect() as c:
                    assert _pragmas(c) == EXPECTED
                checked += 1
            st.uow.engine.dispose()  # every later connection is a brand-new one
        # a connection invalidated (as after a disconnect) is replaced by one set up the same way
        with st.uow.engine.connect() as c:
            old = c.connection.dbapi_connection
            c.invalidate()
        with st.uow.engine.connect() as c:
            assert c.connection.dbapi_connection is not old
            assert _pragmas(c) == EXPECTED
            checked += 1
        # connections opened from worker threads (the GUI's background worker)
        results, errors = [], []

        def worker():
            try:
                with st.uow.engine.connect() as c:
                    results.append(_pragmas(c))
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=worker) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors and results == [EXPECTED] * 6
        checked += 6
        # the units of work the app uses see the same
        with st.uow.read() as s:
            assert _pragmas(s.connection()) == EXPECTED
        with st.uow.write() as s:
            assert _pragmas(s.connection()) == EXPECTED
        checked += 2
    finally:
        st.close()
    with Store(sqlite_url) as again:  # a new Store on the same file
        checked += _check_all(again.uow.engine, 3)
    record("PRAGMAs checked on distinct connections (pool, overflow, threads, reconnects)", trials=checked)


def test_a_writer_holds_the_lock_from_begin_and_a_reader_does_not(sqlite_url):
    """``write()`` is BEGIN IMMEDIATE (no deadlocking lock upgrade later); ``read()`` blocks nobody."""
    st = Store(sqlite_url)
    other = sqlite3.connect(str(db_path(sqlite_url)), isolation_level=None, timeout=0)
    try:
        with st.uow.write() as s:
            s.connection()  # BEGIN only, no statement yet: the write lock is already held
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        with st.uow.read() as s:
            s.connection().exec_driver_sql("SELECT count(*) FROM program").scalar()
            other.execute("BEGIN IMMEDIATE")  # a reader never stops a writer
            other.execute("UPDATE setting SET value = value")
            other.execute("COMMIT")
    finally:
        other.close()
        st.close()
