"""Helpers shared by the reliability suite: trial counts, figures, canonical dumps, killable children.

Trial counts: every randomised test asks :func:`trials` for ``(fast, full)``.  ``make test`` runs
the fast count; ``EVALUATOR_RELIABILITY_TRIALS=full`` (what ``make reliability`` sets) runs the full
count; an integer runs exactly that many (for exploring a failure).  Randomness is seeded from
``EVALUATOR_RELIABILITY_SEED`` when set, otherwise freshly, and every failure message names the seed
so the failing trial can be replayed.

Figures: with ``EVALUATOR_RELIABILITY_REPORT=FILE`` every check appends one JSON line
``{"check", "trials", "inputs", "failures"}`` when it passes; ``python -m tests.reliability.report
FILE`` turns them into the table kept in ``docs/reliability.md``.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import select
import signal
import sqlite3
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

TRIALS_ENV = "EVALUATOR_RELIABILITY_TRIALS"
REPORT_ENV = "EVALUATOR_RELIABILITY_REPORT"
SEED_ENV = "EVALUATOR_RELIABILITY_SEED"

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="kill tests fork a writer process (POSIX only)")


# --- trial counts, seeds, figures -----------------------------------------------------------------
def full_run() -> bool:
    return os.environ.get(TRIALS_ENV, "").strip().lower() == "full"


def trials(fast: int, full: int) -> int:
    """How many trials to run: ``fast`` in ``make test``, ``full`` in ``make reliability``."""
    v = os.environ.get(TRIALS_ENV, "").strip().lower()
    if v == "full":
        return full
    if v.isdigit() and int(v) > 0:
        return int(v)
    return fast


def seeded(check: str) -> tuple[random.Random, int]:
    """A random generator for ``check`` and its seed (put the seed in failure messages)."""
    env = os.environ.get(SEED_ENV)
    seed = int(env) if env and env.isdigit() else random.SystemRandom().randrange(2**32)
    return random.Random(f"{seed}:{check}"), seed


def record(check: str, *, trials: int, inputs: int | None = None, failures: int = 0, **extra: Any) -> None:
    """Append one passed check's figures to the report file (when ``make reliability`` asks for it)."""
    path = os.environ.get(REPORT_ENV)
    if not path:
        return
    doc = {"check": check, "trials": trials, "inputs": inputs if inputs is not None else trials,
           "failures": failures, **extra}
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(doc, ensure_ascii=False) + "\n")


# --- SQLite files ---------------------------------------------------------------------------------
def db_path(url_or_path: str | Path) -> Path:
    s = str(url_or_path)
    return Path(s.removeprefix("sqlite:///")) if s.startswith("sqlite:///") else Path(s)


def raw_connect(path: str | Path, passphrase: str | None = None):
    """A plain DB-API connection (stdlib sqlite3, or sqlcipher3 keyed with ``passphrase``)."""
    if passphrase is None:
        return sqlite3.connect(str(path), isolation_level=None, timeout=10)
    from sqlcipher3 import dbapi2

    conn = dbapi2.connect(str(path), isolation_level=None, timeout=10)
    conn.execute("PRAGMA key = '" + passphrase.replace("'", "''") + "'")
    return conn


def integrity(path: str | Path, passphrase: str | None = None) -> str:
    """``PRAGMA integrity_check`` (after WAL recovery, as the next open would do); 'ok' when sound."""
    conn = raw_connect(path, passphrase)
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        fk = conn.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        conn.close()
    text = "; ".join(str(r[0]) for r in rows)
    return text if not fk else f"{text}; foreign key violations: {fk[:5]}"


def _tables(conn) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]


def _order_by(conn, table: str) -> str:
    info = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
    pk = [r[1] for r in sorted((r for r in info if r[5]), key=lambda r: r[5])]
    cols = pk or [r[1] for r in info]
    return ", ".join(f'"{c}"' for c in cols)


def _cell(v: Any) -> Any:
    if isinstance(v, bytes):
        return {"hex": v.hex()}
    if isinstance(v, float):
        return {"float": v.hex()}
    return v


def canonical_dump(path: str | Path, *, passphrase: str | None = None, skip: tuple[str, ...] = (),
                   columns: dict[str, list[str]] | None = None) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every table's columns and rows, ordered by primary key: two databases with the same dump
    hold the same data whatever their page layout.  ``columns`` restricts tables/columns (for
    comparing across schema revisions)."""
    conn = raw_connect(path, passphrase)
    try:
        out: dict[str, tuple[list[str], list[tuple]]] = {}
        for t in _tables(conn):
            if t in skip or (columns is not None and t not in columns):
                continue
            cols = columns[t] if columns is not None else [r[1] for r in conn.execute(f'PRAGMA table_info("{t}")')]
            sel = ", ".join(f'"{c}"' for c in cols)
            rows = [tuple(_cell(v) for v in r)
                    for r in conn.execute(f'SELECT {sel} FROM "{t}" ORDER BY {_order_by(conn, t)}')]
            out[t] = (cols, rows)
        return out
    finally:
        conn.close()


def dump_checksum(path: str | Path, **kw: Any) -> str:
    h = hashlib.sha256()
    for table, (cols, rows) in sorted(canonical_dump(path, **kw).items()):
        h.update(json.dumps([table, cols], ensure_ascii=False).encode())
        for r in rows:
            h.update(json.dumps(r, ensure_ascii=False, sort_keys=True).encode() + b"\n")
    return h.hexdigest()


def schema_columns(path: str | Path, passphrase: str | None = None) -> dict[str, list[str]]:
    conn = raw_connect(path, passphrase)
    try:
        return {t: [r[1] for r in conn.execute(f'PRAGMA table_info("{t}")')] for t in _tables(conn)}
    finally:
        conn.close()


def table_counts(path: str | Path, passphrase: str | None = None) -> dict[str, int]:
    conn = raw_connect(path, passphrase)
    try:
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in _tables(conn)}
    finally:
        conn.close()


def scores_by_key(path: str | Path) -> dict[tuple[str, str, str], tuple[str | None, float | None, int]]:
    """(application, evaluator, criterion) -> (level, points, version) straight from the file."""
    conn = raw_connect(path)
    try:
        rows = conn.execute("""
            SELECT a.external_id, ev.code, c.code, s.level, s.points, s.version
            FROM score s JOIN evaluation e ON e.id = s.evaluation_id
            JOIN assignment asg ON asg.id = e.assignment_id
            JOIN application a ON a.id = asg.application_id
            JOIN evaluator ev ON ev.id = asg.evaluator_id
            JOIN criterion c ON c.id = s.criterion_id""").fetchall()
    finally:
        conn.close()
    return {(r[0], r[1], r[2]): (r[3], r[4], r[5]) for r in rows}


# --- killable writer processes --------------------------------------------------------------------
@dataclass
class ChildRun:
    """What a killed (or finished) child acknowledged, line by line, before it died."""

    lines: list[str] = field(default_factory=list)
    #: when each line reached the parent (seconds after the fork)
    times: list[float] = field(default_factory=list)
    exit_status: int = 0
    killed: bool = False
    stderr: str = ""

    @property
    def crashed_by_bug(self) -> bool:
        """The child died of something other than our SIGKILL or a clean exit."""
        return not self.killed and self.exit_status != 0

    def seconds_between(self, first: str, last: str) -> float:
        return self.times[self.lines.index(last)] - self.times[self.lines.index(first)]


def run_child_until(work: Callable[[Callable[[str], None]], None], *, kill_after: float | None,
                    start_clock_on: str | None = None, limit: float = 120.0,
                    stderr_path: Path | None = None) -> ChildRun:
    """Fork a child that runs ``work(ack)``; ``ack(line)`` reaches the parent only after it is
    written to the pipe (so it is sent strictly after the acknowledged call returned).

    The parent SIGKILLs the child ``kill_after`` seconds after the child acknowledged
    ``start_clock_on`` (or after the fork when None); ``kill_after=None`` lets it finish.
    """
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: never return into pytest
        code = 0
        try:
            os.close(r)
            if stderr_path is not None:
                fd = os.open(stderr_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                os.dup2(fd, 2)

            def ack(line: str) -> None:
                data = (line + "\n").encode()
                while data:
                    data = data[os.write(w, data):]

            work(ack)
        except BaseException:  # noqa: BLE001 - report, then exit non-zero
            try:
                os.write(2, traceback.format_exc().encode())
            finally:
                code = 1
        finally:
            os._exit(code)
    os.close(w)
    run = ChildRun()
    buf = b""
    t0 = time.monotonic()
    clock_from = t0 if start_clock_on is None else None
    deadline_hard = t0 + limit
    alive = True
    arrived: list[float] = []
    try:
        while True:
            now = time.monotonic()
            if alive and kill_after is not None and clock_from is not None and now >= clock_from + kill_after:
                os.kill(pid, signal.SIGKILL)
                run.killed = True
                alive = False
            if now > deadline_hard and alive:
                os.kill(pid, signal.SIGKILL)
                alive = False
                raise AssertionError(f"child did not finish within {limit:.0f} s")
            wait = 0.5
            if alive and kill_after is not None and clock_from is not None:
                wait = max(0.0, min(wait, clock_from + kill_after - now))
            ready, _, _ = select.select([r], [], [], wait)
            if ready:
                chunk = os.read(r, 65536)
                if not chunk:
                    break  # EOF: the child is gone
                buf += chunk
                arrived.extend([time.monotonic() - t0] * chunk.count(b"\n"))
                if clock_from is None and start_clock_on is not None and (start_clock_on + "\n").encode() in buf:
                    clock_from = time.monotonic()
    finally:
        os.close(r)
        _, status = os.waitpid(pid, 0)
        run.exit_status = status
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL and kill_after is not None:
            run.killed = True
        elif os.WIFEXITED(status):
            run.killed = False
            run.exit_status = os.WEXITSTATUS(status)
    text = buf.decode()
    complete = text.split("\n")
    run.lines = complete[:-1]  # a torn last line (no newline) was never acknowledged
    run.times = arrived[: len(run.lines)]
    if stderr_path is not None and stderr_path.exists():
        run.stderr = stderr_path.read_text(errors="replace")
    return run


# --- fault injection ------------------------------------------------------------------------------
class InjectedFault(Exception):
    """Raised by :func:`fault_at_statement` in the middle of a unit of work."""


class StatementFault(list):
    """The statements seen so far (a list) and whether the fault fired."""

    fired = False


@contextmanager
def fault_at_statement(engine, n: int | None, *, after: bool = True,
                       skip: Callable[[str], bool] | None = None) -> Iterator[StatementFault]:
    """Count SQL statements on ``engine`` (and every engine derived from it with
    ``execution_options``); raise :class:`InjectedFault` at statement ``n`` (1-based), right after
    it ran (``after=True``) or just before.  Yields the list of statements seen.  Statements for
    which ``skip(statement)`` is true are seen but not counted (no fault lands on them)."""
    from sqlalchemy import event

    seen = StatementFault()
    counted = [0]

    def before(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        seen.append(statement)
        if skip is not None and skip(statement):
            return
        counted[0] += 1
        if not after and n is not None and counted[0] == n:
            seen.fired = True
            raise InjectedFault(f"fault injected before statement {n}: {statement[:60]}")

    def after_(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        if skip is not None and skip(statement):
            return
        if after and n is not None and counted[0] == n and not seen.fired:
            seen.fired = True
            raise InjectedFault(f"fault injected after statement {n}: {statement[:60]}")

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after_)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after_)


def calibrate(work: Callable[[Callable[[str], None]], None], first: str, last: str, **kw: Any) -> float:
    """How long the child's job takes on this machine now (from ack ``first`` to ack ``last``), by
    one uninterrupted run: kill moments are then drawn across that window, so a loaded machine
    does not push every kill before the commit."""
    run = run_child_until(work, kill_after=None, **kw)
    assert not run.crashed_by_bug and last in run.lines, run.stderr
    return run.seconds_between(first, last)


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


class StepFault:
    """SQLite's progress handler as a fault injector: ``n``-th call (every ``every`` VM steps, on
    every connection of the engine) interrupts whatever statement runs — mid-statement, mid-commit,
    raw cursor or ORM alike.  ``n=None`` only counts.  Fires once."""

    def __init__(self, n: int | None, every: int) -> None:
        self.n, self.every, self.calls, self.fired = n, every, 0, False

    def __call__(self) -> int:
        self.calls += 1
        if self.n is not None and not self.fired and self.calls >= self.n:
            self.fired = True
            return 1
        return 0


@contextmanager
def fault_at_step(engine, n: int | None, *, every: int = 50) -> Iterator[StepFault]:
    from sqlalchemy import event

    fault = StepFault(n, every)

    def on_checkout(dbapi_conn, _rec, _proxy):  # noqa: ANN001
        dbapi_conn.set_progress_handler(fault, every)

    def on_checkin(dbapi_conn, _rec):  # noqa: ANN001
        if dbapi_conn is not None:
            dbapi_conn.set_progress_handler(None, 0)

    event.listen(engine, "checkout", on_checkout)
    event.listen(engine, "checkin", on_checkin)
    try:
        yield fault
    finally:
        event.remove(engine, "checkout", on_checkout)
        event.remove(engine, "checkin", on_checkin)


def is_injected(exc: BaseException) -> bool:
    """The exception is the fault we injected (possibly wrapped by SQLAlchemy), not something else."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, InjectedFault) or "interrupted" in str(exc):
            return True
        exc = getattr(exc, "orig", None) or exc.__cause__ or exc.__context__
    return False
