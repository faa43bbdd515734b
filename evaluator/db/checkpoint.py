"""The WAL checkpoint of a large write, run after the write has returned (SQLite).

In WAL mode a commit is durable once its pages are in the write-ahead log and the log is synced
(``synchronous=FULL``); copying them back into the database file (the *checkpoint*) is
housekeeping.  SQLite runs it by itself inside the ``COMMIT`` that takes the log past 1,000 pages
(``wal_autocheckpoint``): a small write never does, a large one (importing 100,000 applications,
recording a 100,000-application ranking) then waits, inside the user's operation, for thousands of
pages to be copied and the file synced — work that grows with the write's size and that a smaller
write of the same kind leaves to a later commit or to closing the database.

A large write unit (:meth:`evaluator.uow.UnitOfWork.bulk_write`, ``write(large=True)``) switches
the automatic checkpoint off on its own connection for the unit (:func:`deferred`) and, once the
unit is over, asks a :class:`Checkpointer` to checkpoint: a background thread that takes a pooled
connection of its own and runs ``PRAGMA wal_checkpoint(PASSIVE)`` (never waits for readers or
writers, never blocks them; the driver releases the GIL while SQLite works).  Nothing about
durability changes: what was committed is on disk in the log either way, and a log left
uncheckpointed (the process ended first) is read and checkpointed by the next open.  Closing the
database waits for a running checkpoint (:meth:`Checkpointer.close`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

#: SQLite's default ``wal_autocheckpoint`` (pages), what a connection gets back after a large unit
AUTOCHECKPOINT_PAGES = 1000


@contextmanager
def deferred(raw: Any) -> Iterator[None]:
    """No automatic checkpoint on the DB-API connection ``raw`` inside the block (its commit only
    appends to the log); the default is set back at the end, before the connection returns to
    the pool."""
    raw.execute("PRAGMA wal_autocheckpoint=0")
    try:
        yield
    finally:
        raw.execute(f"PRAGMA wal_autocheckpoint={AUTOCHECKPOINT_PAGES}")


class Checkpointer:
    """Runs ``PRAGMA wal_checkpoint(PASSIVE)`` on a thread of its own when asked (at most one
    thread; a request while it runs makes it run once more)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._again = False
        self._closed = False

    def request(self) -> None:
        """Checkpoint soon, on the background thread (returns at once)."""
        with self._lock:
            if self._closed:
                return
            if self._thread is not None:
                self._again = True
                return
            self._thread = threading.Thread(target=self._run, name="evaluator-wal-checkpoint", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            try:
                self.checkpoint()
            except Exception:  # noqa: BLE001 - housekeeping: the next commit or close checkpoints instead
                log.debug("background WAL checkpoint failed", exc_info=True)
            with self._lock:
                if not self._again or self._closed:
                    self._thread = None
                    return
                self._again = False

    def checkpoint(self) -> tuple[int, int, int] | None:
        """One passive checkpoint now, on a pooled connection (keyed when the file is encrypted):
        (busy, pages in the log, pages checkpointed)."""
        conn = self._engine.raw_connection()
        try:
            # (autocommit: the engine hands the driver's connection out without a transaction)
            return conn.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        finally:
            conn.close()

    def wait(self) -> None:
        """Until no checkpoint runs."""
        while True:
            with self._lock:
                thread = self._thread
            if thread is None or thread is threading.current_thread():
                return
            thread.join()

    def close(self) -> None:
        """No more checkpoints; waits for a running one (before the engine is disposed)."""
        with self._lock:
            self._closed = True
        self.wait()
