"""SQLite done right: PRAGMAs on every pooled connection, real transactions, safe second process."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import threading
import time

import pytest
from sqlalchemy import text

from evaluator.errors import DatabaseInUse
from evaluator.rubric import parse_rubric
from evaluator.services.programs import TrackSpec
from evaluator.store import Store

from .rubric_samples import small_rubric


def _setup(url: str) -> Store:
    st = Store(url)
    rd = parse_rubric(small_rubric(), "mini.toml")
    st.create_program(code="p", name_ko="시험", tracks=[TrackSpec("activity", "활동", "Activity", rd, quota=1)])
    st.put_evaluator("EV01", "가상")
    for i in range(40):
        st.put_application({"id": f"A{i:02d}", "track": "activity", "title": f"사업{i}"})
        st.assign(f"A{i:02d}", "EV01")
    return st


def test_pragmas_hold_on_every_pooled_connection(sqlite_url):
    st = Store(sqlite_url)
    conns = [st.engine.connect() for _ in range(4)]  # forces several pooled connections
    try:
        for c in conns:
            assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert c.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        for c in conns:
            c.close()
    st.engine.dispose()  # reconnects get them too
    with st.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    st.close()


def test_savepoints_really_roll_back(sqlite_url):
    st = _setup(sqlite_url)
    with st.write() as s:
        s.execute(text("UPDATE application SET title='바깥' WHERE external_id='A00'"))
        nested = s.begin_nested()
        s.execute(text("UPDATE application SET title='안쪽' WHERE external_id='A01'"))
        nested.rollback()
    assert st.application("A00").title == "바깥"
    assert st.application("A01").title == "사업1"  # the savepoint's change is gone
    st.close()


def test_a_failed_unit_of_work_leaves_nothing_behind(sqlite_url):
    st = _setup(sqlite_url)
    before = st.info()
    with pytest.raises(RuntimeError):
        with st.write() as s:
            s.execute(text("UPDATE application SET title='x'"))
            raise RuntimeError("fault injected mid-transaction")
    assert st.info() == before and st.application("A05").title == "사업5"
    st.close()


@pytest.mark.plain_sqlite
def test_writer_blocked_by_another_process_gets_a_clear_in_use_error(sqlite_url, tmp_path, monkeypatch):
    st = _setup(sqlite_url)
    path = sqlite_url.removeprefix("sqlite:///")
    ready = tmp_path / "locked"
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sqlite3, time, pathlib
        c = sqlite3.connect({path!r}, isolation_level=None)
        c.execute("BEGIN IMMEDIATE")
        pathlib.Path({str(ready)!r}).touch()
        time.sleep(30)
    """)])
    try:
        for _ in range(200):
            if ready.exists():
                break
            time.sleep(0.05)
        monkeypatch.setattr("evaluator.db.engine.BUSY_TIMEOUT_S", 0.3)
        second = Store(sqlite_url)  # opening while another program writes works (reads only)
        assert len(second.application_ids()) == 40
        with pytest.raises(DatabaseInUse, match="in use by another program"):
            second.save_score("A00", "EV01", "a", level="수")
        second.close()
    finally:
        holder.kill()
        holder.wait()
    # once the other program is gone, the save goes through and nothing is corrupt
    assert st.save_score("A00", "EV01", "a", level="수").version == 1
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    st.close()


@pytest.mark.plain_sqlite
def test_two_processes_writing_the_same_file_lose_nothing(sqlite_url):
    st = _setup(sqlite_url)
    st.close()
    script = textwrap.dedent("""
        import sys
        from evaluator.store import Store
        url, start = sys.argv[1], int(sys.argv[2])
        st = Store(url)
        for i in range(start, start + 20):
            st.save_score(f"A{i:02d}", "EV01", "a", level="우")
            st.save_score(f"A{i:02d}", "EV01", "b", level="미")
        st.close()
    """)
    procs = [subprocess.Popen([sys.executable, "-c", script, sqlite_url, str(n)]) for n in (0, 20)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    st = Store(sqlite_url)
    assert st.info().scores == 80
    assert st.verify_audit().ok  # writers were serialised: the hash chain did not fork
    path = sqlite_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    st.close()


def test_reads_do_not_block_while_another_thread_writes(sqlite_url):
    st = _setup(sqlite_url)
    errors = []

    def writer():
        try:
            for i in range(10):
                st.save_score(f"A{i:02d}", "EV01", "a", level="양")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    t = threading.Thread(target=writer)
    t.start()
    for _ in range(10):
        assert len(st.application_ids()) == 40
    t.join()
    assert not errors
    st.close()
