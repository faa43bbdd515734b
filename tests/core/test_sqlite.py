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
    st.programs.create(code="p", name_ko="시험", tracks=[TrackSpec("activity", "활동", "Activity", rd, quota=1)])
    st.people.put_evaluator("EV01", "가상")
    for i in range(40):
        st.applications.put({"id": f"A{i:02d}", "track": "activity", "title": f"사업{i}"})
        st.people.assign(f"A{i:02d}", "EV01")
    return st


def test_pragmas_hold_on_every_pooled_connection(sqlite_url):
    st = Store(sqlite_url)
    conns = [st.uow.engine.connect() for _ in range(4)]  # forces several pooled connections
    try:
        for c in conns:
            assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert c.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        for c in conns:
            c.close()
    st.uow.engine.dispose()  # reconnects get them too
    with st.uow.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    st.close()


def test_savepoints_really_roll_back(sqlite_url):
    st = _setup(sqlite_url)
    with st.uow.write() as s:
        s.execute(text("UPDATE application SET title='바깥' WHERE external_id='A00'"))
        nested = s.begin_nested()
        s.execute(text("UPDATE application SET title='안쪽' WHERE external_id='A01'"))
        nested.rollback()
    assert st.applications.get("A00").title == "바깥"
    assert st.applications.get("A01").title == "사업1"  # the savepoint's change is gone
    st.close()


def test_a_failed_unit_of_work_leaves_nothing_behind(sqlite_url):
    st = _setup(sqlite_url)
    before = st.info()
    with pytest.raises(RuntimeError):
        with st.uow.write() as s:
            s.execute(text("UPDATE application SET title='x'"))
            raise RuntimeError("fault injected mid-transaction")
    assert st.info() == before and st.applications.get("A05").title == "사업5"
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
        assert len(second.applications.ids()) == 40
        with pytest.raises(DatabaseInUse, match="in use by another program"):
            second.scoring.save_score("A00", "EV01", "a", level="수")
        second.close()
    finally:
        holder.kill()
        holder.wait()
    # once the other program is gone, the save goes through and nothing is corrupt
    assert st.scoring.save_score("A00", "EV01", "a", level="수").value.version == 1
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
            st.scoring.save_score(f"A{i:02d}", "EV01", "a", level="우")
            st.scoring.save_score(f"A{i:02d}", "EV01", "b", level="미")
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
                st.scoring.save_score(f"A{i:02d}", "EV01", "a", level="양")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    t = threading.Thread(target=writer)
    t.start()
    for _ in range(10):
        assert len(st.applications.ids()) == 40
    t.join()
    assert not errors
    st.close()


# --- the autosave path on the driver connection ----------------------------------------------------
_SAVES = [("A00", "a", {"level": "수"}), ("A00", "b", {"level": "우", "comment": "면담 O'Brien \"x\""}),
          ("A00", "a", {"level": "미"}), ("A01", "a", {"level": "가", "comment": "=1+1"}),
          ("A00", "b", {"level": None}), ("A00", "b", {"level": "양", "expected_version": 2}),
          ("A01", "a", {"level": "가"})]  # the last one changes nothing


def _rows(st: Store, tables=("evaluation", "score", "audit_event")) -> dict:
    with st.uow.engine.connect() as c:
        return {t: c.exec_driver_sql(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in tables}


def _twin_stores(tmp_path) -> tuple[Store, Store]:
    """Two stores on copies of one database (same device id, same rows)."""
    import shutil

    first = tmp_path / "first.sqlite3"
    _setup(f"sqlite:///{first}").close()
    second = tmp_path / "second.sqlite3"
    shutil.copyfile(first, second)
    return Store(f"sqlite:///{first}"), Store(f"sqlite:///{second}")


def test_autosave_writes_the_same_rows_on_the_driver_and_through_sqlalchemy(tmp_path):
    """A save runs on the driver connection, or through SQLAlchemy's Connection while something
    listens for statements: the rows written (values and storage formats, hashes included) are the
    same byte for byte."""
    from datetime import datetime

    from sqlalchemy import event

    from evaluator.db.models import deterministic

    lean, observed = _twin_stores(tmp_path)
    seen: list[str] = []
    event.listen(observed.uow.engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    results = []
    for st in (lean, observed):
        with deterministic("autosave-twins", datetime(2024, 5, 20, 10)):
            results.append([st.scoring.save_score(app, "EV01", crit, **kw).value for app, crit, kw in _SAVES])
    assert results[0] == results[1]
    assert [r.version for r in results[0]] == [1, 1, 2, 1, 2, 3, 1]
    assert lean.scoring._autosaver._kept is not None  # the lean store saved on its kept connection
    assert any(s.startswith("INSERT INTO audit_event") for s in seen)  # the other's statements were seen
    assert _rows(lean) == _rows(observed)
    assert lean.verify_audit().ok and observed.verify_audit().ok
    lean.close()
    observed.close()


def test_a_fault_inside_a_save_on_the_kept_connection_changes_nothing(sqlite_url):
    """SQLite's progress handler on the connection kept for saves interrupts the n-th batch of VM
    steps of a save — in a statement or in COMMIT, n after n: the save fails, nothing of it is in
    the database, and the next save goes through on the same connection."""
    import sqlite3 as stdlib_sqlite3

    st = _setup(sqlite_url)
    st.scoring.save_score("A00", "EV01", "a", level="수")
    kept = st.scoring._autosaver._kept
    driver = kept.driver_connection
    levels = ["우", "미", "양", "가"]
    faults = 0
    for n in range(1, 400):
        before = _rows(st)
        calls = [0]

        def fault() -> int:
            calls[0] += 1
            return 1 if calls[0] == n else 0

        driver.set_progress_handler(fault, 5)
        try:
            saved = st.scoring.save_score("A00", "EV01", "b", level=levels[n % 4], comment=f"시도 {n}").value
        except Exception as exc:  # noqa: BLE001 - must be the interrupt, nothing else
            assert "interrupt" in str(exc).lower(), exc
            assert isinstance(exc, stdlib_sqlite3.OperationalError) or "sqlcipher" in type(exc).__module__
            faults += 1
            assert _rows(st) == before, f"a failed save (fault {n}) left something behind"
            assert not driver.in_transaction
        else:
            break
        finally:
            driver.set_progress_handler(None, 0)
    assert faults >= 3, "the fault never landed inside a save"
    assert saved.version == 1 and st.scoring._autosaver._kept is kept
    assert st.scoring.save_score("A00", "EV01", "b", level="수").value.version == 2
    assert st.verify_audit().ok
    st.close()


def test_two_threads_autosaving_at_once_lose_nothing(sqlite_url):
    """One thread saves on the kept connection, the other finds it busy and takes one from the
    pool: every save lands once, with its version, and the audit chain does not fork."""
    st = _setup(sqlite_url)
    errors: list[BaseException] = []
    levels = ["수", "우", "미", "양", "가"]

    def writer(crit: str) -> None:
        try:
            for i in range(40):
                assert st.scoring.save_score(f"A{i % 4:02d}", "EV01", crit, level=levels[i % 5]).value.version == i // 4 + 1
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(c,)) for c in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert st.info().scores == 8
    v = st.verify_audit()
    assert v.ok and v.entries >= 80
    st.close()


def test_closing_the_store_gives_back_the_connection_kept_for_saves(sqlite_url):
    st = _setup(sqlite_url)
    st.scoring.save_score("A00", "EV01", "a", level="수")
    assert st.uow.engine.pool.checkedout() == 1
    st.close()
    assert st.uow.engine.pool.checkedout() == 0 and st.scoring._autosaver._kept is None
