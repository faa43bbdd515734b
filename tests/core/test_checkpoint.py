"""A large write unit's WAL checkpoint runs after the unit, on a thread of its own (SQLite).

What a user cares about: the write is committed (another program opening the file reads it) when
the unit returns, whether or not its pages have been copied into the database file yet; the copy
happens afterwards without anyone waiting for it; every connection keeps SQLite's automatic
checkpoint for ordinary writes; closing the store leaves nothing behind unchecked.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from evaluator.db.checkpoint import AUTOCHECKPOINT_PAGES
from evaluator.store import Store

# (the tests marked plain_sqlite read the file with the plain sqlite3 driver, as another program
# would; the last one runs on an encrypted file, also under `make test-encrypted`)

#: enough rows to fill the log well past SQLite's 1,000-page automatic checkpoint (4 KB pages)
ROWS, BLOB = 3000, 2048


def _fill(s) -> None:
    s.execute(text("CREATE TABLE IF NOT EXISTS bulk_probe (id INTEGER PRIMARY KEY, data BLOB)"))
    s.execute(text("INSERT INTO bulk_probe (data) VALUES (:d)"), [{"d": bytes([i % 251]) * BLOB} for i in range(ROWS)])


def _rows_seen_by_another_program(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT count(*) FROM bulk_probe").fetchone()[0]
    finally:
        con.close()


@pytest.fixture
def store(tmp_path):
    st = Store(f"sqlite:///{(tmp_path / 'office.sqlite3').as_posix()}")
    yield st
    st.close()


def _autocheckpoints(st: Store) -> set[int]:
    """The automatic-checkpoint setting of every connection the pool holds."""
    conns = [st.uow.engine.connect() for _ in range(3)]
    try:
        return {c.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() for c in conns}
    finally:
        for c in conns:
            c.close()


@pytest.mark.plain_sqlite
@pytest.mark.parametrize("unit", ["write_large", "bulk_write"])
def test_a_large_unit_is_committed_at_once_and_checkpointed_after_it(store, monkeypatch, unit):
    path = store.uow.sqlite_path
    asked: list[int] = []
    monkeypatch.setattr(store.uow.checkpointer, "request", lambda: asked.append(1))
    size_before = path.stat().st_size
    with (store.uow.write(large=True) if unit == "write_large" else store.uow.bulk_write()) as s:
        _fill(s)
    # committed: another program reads every row, from the log ...
    assert _rows_seen_by_another_program(path) == ROWS
    # ... which the commit did not copy into the database file (SQLite would have, past 1,000 pages)
    assert path.stat().st_size < size_before + ROWS * BLOB // 2
    assert asked == [1]
    # the checkpoint the unit asked for copies it
    busy, log, done = store.uow.checkpointer.checkpoint()
    assert (busy, done) == (0, log) and log > AUTOCHECKPOINT_PAGES
    assert path.stat().st_size > size_before + ROWS * BLOB
    assert _autocheckpoints(store) == {AUTOCHECKPOINT_PAGES}


@pytest.mark.plain_sqlite
def test_the_background_checkpoint_runs_and_close_waits_for_it(store):
    path = store.uow.sqlite_path
    size_before = path.stat().st_size
    with store.uow.write(large=True) as s:
        _fill(s)
    store.uow.checkpointer.wait()
    assert path.stat().st_size > size_before + ROWS * BLOB  # copied by the thread, nobody waited
    with store.uow.write(large=True) as s:
        s.execute(text("DELETE FROM bulk_probe WHERE id % 2 = 0"))
    store.close()  # waits for the thread, then closes every connection
    assert store.uow.checkpointer._thread is None
    assert _rows_seen_by_another_program(path) == ROWS // 2


@pytest.mark.plain_sqlite
def test_an_ordinary_write_still_checkpoints_in_its_commit(store):
    path = store.uow.sqlite_path
    size_before = path.stat().st_size
    with store.uow.write() as s:
        _fill(s)
    assert path.stat().st_size > size_before + ROWS * BLOB  # SQLite's automatic checkpoint, as before
    assert _autocheckpoints(store) == {AUTOCHECKPOINT_PAGES}


@pytest.mark.plain_sqlite
def test_a_failed_large_unit_leaves_nothing_and_the_connection_as_it_was(store):
    path = store.uow.sqlite_path
    with store.uow.write() as s:
        s.execute(text("CREATE TABLE bulk_probe (id INTEGER PRIMARY KEY, data BLOB)"))
    with pytest.raises(RuntimeError):
        with store.uow.write(large=True) as s:
            _fill(s)
            raise RuntimeError("cancelled")
    assert _rows_seen_by_another_program(path) == 0
    assert _autocheckpoints(store) == {AUTOCHECKPOINT_PAGES}


def test_an_encrypted_file_is_checkpointed_after_a_large_unit_with_its_key(tmp_path):
    """The background checkpoint takes a pooled connection, keyed like every other: on an encrypted
    file it copies the log too, and the rows read back after the store is opened again."""
    pytest.importorskip("sqlcipher3")
    path = tmp_path / "field.sqlite3"
    st = Store(f"sqlite:///{path.as_posix()}", passphrase="checkpoint test passphrase")
    try:
        size_before = path.stat().st_size
        with st.uow.write(large=True) as s:
            _fill(s)
        st.uow.checkpointer.wait()
        assert path.stat().st_size > size_before + ROWS * BLOB  # copied into the file by the thread
    finally:
        st.close()
    with Store(f"sqlite:///{path.as_posix()}", passphrase="checkpoint test passphrase") as again:
        with again.uow.read() as s:
            assert s.execute(text("SELECT count(*) FROM bulk_probe")).scalar() == ROWS
