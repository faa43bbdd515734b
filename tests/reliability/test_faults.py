"""Faults injected inside a unit of work leave the database exactly as it was.

Two injectors, both on the real engine of a real SQLite file:

* **statement** — raise right before or right after the n-th SQL statement of the unit of work
  (every statement boundary, exhaustively, in the full run);
* **VM step** — SQLite's progress handler interrupts the n-th batch of virtual-machine steps, so the
  fault lands *inside* a statement, inside a savepoint, or inside COMMIT, whichever the dice pick.

After each fault the canonical dump (every table, ordered by primary key) must hash to what it
was before, and the same Store must keep working.  A fault caught at a savepoint must undo that
savepoint's work and nothing else.
"""

from __future__ import annotations

import shutil
import traceback
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable

import pytest

from evaluator.demo import build_demo
from evaluator.services import applications as apps_svc
from evaluator.services import scoring
from evaluator.services.common import application_by_id, current_program, evaluator_by_code
from evaluator.errors import TransactionLost
from evaluator.store import Store

from .support import (
    InjectedFault, StepFault, dump_checksum, fault_at_statement, fault_at_step, full_run, integrity, is_injected, record, scores_by_key,
    seeded, trials,
)

HOSTILE = "=cmd|' /C calc'!A0 ＋SUM(1) O<Brien & <b>x</b> \u202e 🙂"


@dataclass(frozen=True)
class Ctx:
    scored: tuple[str, str]  # fully scored draft evaluation
    fresh: tuple[str, str]  # assigned, nothing recorded yet
    finalised: tuple[str, str]
    other: tuple[str, str]  # assigned, nothing recorded yet
    unassigned: tuple[str, str]  # an application and an evaluator not assigned to it
    unassigned2: tuple[str, str]
    criteria: dict[str, list[tuple[str, str, object]]]  # track -> [(criterion, kind, value)]
    track_of: dict[str, str]
    manual_gate: tuple[str, str]  # (application, gate)
    bulk: list[tuple[str, str]]  # untouched pairs for the bulk unit of work


def _values(rd) -> list[tuple[str, str, object]]:
    return [(c.code, "level", rd.levels[1].key) if c.scoring == "levels" else (c.code, "points", c.max_points / 2)
            for c in rd.criteria]


@pytest.fixture(scope="module")
def start(demo_before_visits_template, tmp_path_factory):
    """The before-visits demo with one evaluation fully scored and one finalised."""
    path = tmp_path_factory.mktemp("faults") / "start.sqlite3"
    shutil.copyfile(demo_before_visits_template, path)
    with Store(f"sqlite:///{path}") as st:
        track_of = {r.id: r.track for r in st.applications.list()}
        criteria = {t: _values(st.programs.rubric(t)) for t in set(track_of.values())}
        asg = [(a.application_id, a.evaluator) for a in st.people.assignments() if a.conflict_type is None]
        scored, fresh, finalised, other, *rest = asg
        for pair in (scored, finalised):
            for code, kind, value in criteria[track_of[pair[0]]]:
                st.scoring.save_score(*pair, code, **{kind: value})
        st.scoring.finalise(*finalised)
        assigned = {(a.application_id, a.evaluator) for a in st.people.assignments()}
        evs = [e.code for e in st.people.evaluators()]
        free = [(app, ev) for app in sorted(track_of) for ev in evs if (app, ev) not in assigned]
        gate_app = scored[0]
        gate = next(g.code for g in st.programs.rubric(track_of[gate_app]).gates if g.kind == "manual")
    ctx = Ctx(scored, fresh, finalised, other, free[0], free[1], criteria, track_of, (gate_app, gate), rest[:8])
    return path, ctx


def _bulk(st: Store, ctx: Ctx, *, catch: bool = False) -> list[int]:
    """One unit of work with a savepoint per item (as import and merge do): scores and applications."""
    failed = []
    with st.uow.write() as s:
        p = current_program(s)
        tracks = {t.code: t for t in p.tracks}
        for i, (app_id, ev_code) in enumerate(ctx.bulk):
            try:
                with s.begin_nested():
                    app, ev = application_by_id(s, app_id, p), evaluator_by_code(s, ev_code)
                    for code, kind, value in ctx.criteria[ctx.track_of[app_id]]:
                        scoring.save_score(s, app, ev, code, actor="bulk", device="test", **{kind: value})
                    apps_svc.put_application(s, p, tracks, {"id": f"2012-Z-{i:03d}", "track": app.track.code,
                                                            "title": f"{HOSTILE} {i}", "members": i})
            except Exception as exc:
                if not (catch and is_injected(exc)):
                    raise
                traceback.clear_frames(exc.__traceback__)  # as the merge does: the rolled-back rows go now
                failed.append(i)
    return failed


SCENARIOS: dict[str, Callable[[Store, Ctx], object]] = {
    "autosave: change a score": lambda st, c: st.scoring.save_score(
        *c.scored, c.criteria[c.track_of[c.scored[0]]][0][0], level=None, points=None, comment=HOSTILE),
    "autosave: first score of an evaluation": lambda st, c: st.scoring.save_score(
        *c.fresh, c.criteria[c.track_of[c.fresh[0]]][0][0], **{c.criteria[c.track_of[c.fresh[0]]][0][1]:
                                                               c.criteria[c.track_of[c.fresh[0]]][0][2]}),
    "finalise": lambda st, c: st.scoring.finalise(*c.scored),
    "reopen": lambda st, c: st.scoring.reopen(*c.finalised, "재검토 요청 (test)"),
    "evaluation comment": lambda st, c: st.scoring.set_comment(*c.scored, HOSTILE),
    "abstain": lambda st, c: st.scoring.abstain(*c.other, "이해관계 우려"),
    "site visit": lambda st, c: st.scoring.save_visit(*c.fresh, visited_at=datetime(2012, 4, 20, 10), attendees="5명",
                                                   notes=HOSTILE),
    "declare conflict": lambda st, c: st.people.declare_conflict(*c.unassigned, "personal", HOSTILE),
    "assign": lambda st, c: st.people.assign(*c.unassigned2, planned_visit_on=date(2012, 4, 21)),
    "new application": lambda st, c: st.applications.put(
        {"id": "2012-A-999", "track": "activity", "title": HOSTILE, "group_name": "O<Brien & Co", "members": 7}),
    "update application": lambda st, c: st.applications.put(
        {"id": c.fresh[0], "track": c.track_of[c.fresh[0]], "title": "바뀐 제목 " + HOSTILE}),
    "new evaluator": lambda st, c: st.people.put_evaluator("EV99", "가상 평가자", organisation=HOSTILE),
    "eligibility gate": lambda st, c: st.applications.record_gate(*c.manual_gate, False, HOSTILE),
    "program settings": lambda st, c: st.programs.update_settings({"note": HOSTILE}),
    "bulk unit of work with savepoints": lambda st, c: _bulk(st, c),
}


def _inject(kind: str, st: Store, n: int, after: bool, every: int):
    if kind == "statement":
        return fault_at_statement(st.uow.engine, n, after=after)
    return fault_at_step(st.uow.engine, n, every=every)


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_fault_inside_a_unit_of_work_changes_nothing(name, start, tmp_path):
    template, ctx = start
    scenario = SCENARIOS[name]
    rng, seed = seeded(f"fault:{name}")
    every = 20
    # a clean run on a copy: how many statements and VM-step batches the unit of work takes
    ref = tmp_path / "ref.sqlite3"
    shutil.copyfile(template, ref)
    with Store(f"sqlite:///{ref}") as st:
        st.applications.ids()  # warm the store as the app would be
        with fault_at_statement(st.uow.engine, None) as statements, fault_at_step(st.uow.engine, None, every=every) as steps:
            scenario(st, ctx)
        n_statements, n_steps = len(statements), steps.calls
    before = dump_checksum(template)
    assert dump_checksum(ref) != before, f"scenario {name!r} changed nothing: the test would prove nothing"

    if full_run():  # every statement boundary, before and after, plus sampled VM steps
        plan = [("statement", n, after) for n in range(1, n_statements + 1) for after in (False, True)]
        plan += [("step", rng.randint(1, max(1, n_steps)), True) for _ in range(60)]
    else:
        plan = [("statement", rng.randint(1, max(1, n_statements)), rng.random() < 0.5) for _ in range(2)]
        plan += [("step", rng.randint(1, max(1, n_steps)), True) for _ in range(2)]

    path = tmp_path / "work.sqlite3"
    shutil.copyfile(template, path)
    st = Store(f"sqlite:///{path}")
    st.applications.ids()
    faults = 0
    try:
        for kind, n, after in plan:
            where = f"({name}: fault {kind} {n} {'after' if after else 'before'}, seed {seed})"
            with _inject(kind, st, n, after, every) as probe:
                try:
                    scenario(st, ctx)
                except Exception as exc:  # noqa: BLE001 - must be the injected fault, nothing else
                    assert is_injected(exc), f"a different error surfaced {where}: {exc!r}"
                    fired = True
                else:
                    fired = False
                    assert not probe.fired, f"the injected fault was swallowed and the work went on {where}"
            if fired:
                faults += 1
                assert dump_checksum(path) == before, f"the database changed after a fault {where}"
            else:  # the fault landed past the end (a warm store runs fewer statements): start again
                st.close()
                path = tmp_path / f"work-{kind}-{n}-{int(after)}.sqlite3"
                shutil.copyfile(template, path)
                st = Store(f"sqlite:///{path}")
                st.applications.ids()
        # and the very same store still works
        scenario(st, ctx)
        assert dump_checksum(path) != before
        assert integrity(path) == "ok"
        assert st.verify_audit().ok
    finally:
        st.close()
    assert faults >= 1, f"no fault ever fired for {name!r} (seed {seed})"
    record(f"fault injection: {name}", trials=len(plan), inputs=faults, statements=n_statements)


def _release(statement: str) -> bool:
    return statement.startswith("RELEASE")


def _check_items(path, st: Store, ctx: Ctx, failed: list[int], where: str) -> None:
    after = scores_by_key(path)
    ids = set(st.applications.ids(search="2012-Z-"))
    for i, pair in enumerate(ctx.bulk):
        keys = {(*pair, code) for code, _, _ in ctx.criteria[ctx.track_of[pair[0]]]}
        if i in failed:
            assert not keys & set(after) and f"2012-Z-{i:03d}" not in ids, f"item {i} half-applied {where}"
        else:
            assert keys <= set(after) and f"2012-Z-{i:03d}" in ids, f"item {i} lost {where}"


def _audit_chain_survives_a_rolled_back_savepoint(template, ctx: Ctx, tmp_path) -> bool:
    """Append audit entries, roll a savepoint with one back, append again: does the chain verify?"""
    path = tmp_path / "audit-probe.sqlite3"
    shutil.copyfile(template, path)
    with Store(f"sqlite:///{path}") as st:
        with st.uow.write() as s:
            p = current_program(s)
            pairs = [(application_by_id(s, a, p), evaluator_by_code(s, e)) for a, e in ctx.bulk[:3]]
            code = {pair[0].external_id: ctx.criteria[ctx.track_of[pair[0].external_id]][0] for pair in pairs}

            def save(app, ev):
                c, kind, value = code[app.external_id]
                scoring.save_score(s, app, ev, c, actor="probe", **{kind: value})

            save(*pairs[0])
            with pytest.raises(InjectedFault):
                with s.begin_nested():
                    save(*pairs[1])
                    s.flush()
                    raise InjectedFault("roll this savepoint back")
            save(*pairs[2])
        ok = st.verify_audit().ok
    path.unlink()
    return ok


def test_the_audit_chain_survives_a_savepoint_rolled_back(start, tmp_path):
    """Import and merge roll back a failing row/package to its savepoint and go on: the entries
    appended after that must chain to the last entry that is really there."""
    template, ctx = start
    assert _audit_chain_survives_a_rolled_back_savepoint(template, ctx, tmp_path)


def test_a_fault_caught_at_a_savepoint_undoes_that_item_only(start, tmp_path):
    """What import and merge do per row/package: a failing item is rolled back to its savepoint,
    the others are committed (here the fault is an error raised between two statements)."""
    template, ctx = start
    rng, seed = seeded("savepoint-catch")
    ref = tmp_path / "ref.sqlite3"
    shutil.copyfile(template, ref)
    with Store(f"sqlite:///{ref}") as st:
        with fault_at_statement(st.uow.engine, None, skip=_release) as statements:
            _bulk(st, ctx, catch=True)
    # RELEASE SAVEPOINT inside a transaction does no I/O and cannot fail outside a test (and when
    # it does, SQLAlchemy keeps the savepoint's work): faults go everywhere else.  They are skipped
    # as the work runs, not by their place in the reference run: a store can run a few statements
    # fewer than the reference (caches), and a place counted there can be a RELEASE here.
    points = list(range(1, sum(1 for text in statements if not _release(text)) + 1))
    plan = rng.sample(points, min(len(points), 120)) if full_run() else rng.sample(points, 4)
    before = dump_checksum(template)
    partial = 0
    for n in plan:
        path = tmp_path / f"sp-{n}.sqlite3"
        shutil.copyfile(template, path)
        where = f"(statement {n} of {len(statements)}, seed {seed})"
        with Store(f"sqlite:///{path}") as st:
            after = rng.random() < 0.5
            try:
                with fault_at_statement(st.uow.engine, n, after=after, skip=_release):
                    failed = _bulk(st, ctx, catch=True)
            except Exception as exc:  # the fault hit outside every savepoint: all or nothing
                assert is_injected(exc), f"{exc!r} {where}"
                assert dump_checksum(path) == before, where
            else:
                assert len(failed) <= 1, where
                partial += bool(failed)
                _check_items(path, st, ctx, failed, where)
            assert st.verify_audit().ok, where
        assert integrity(path) == "ok", where
        path.unlink()
    record("fault caught at a savepoint (only that item undone)", trials=len(plan), inputs=partial)


@contextmanager
def _interrupt_inside_insert(engine, nth_insert: int):
    """Interrupt (SQLITE_INTERRUPT) the n-th INSERT mid-statement: SQLite then rolls back the
    *whole* transaction by itself, as it may on SQLITE_FULL, SQLITE_IOERR or SQLITE_NOMEM."""
    from sqlalchemy import event

    fault = StepFault(None, 1)
    count = [0]

    def before(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        if statement.lstrip().upper().startswith("INSERT"):
            count[0] += 1
            if count[0] == nth_insert:
                fault.n = fault.calls + 1
                conn.connection.dbapi_connection.set_progress_handler(fault, 1)

    def after(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        conn.connection.dbapi_connection.set_progress_handler(None, 0)

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield fault
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def test_an_error_that_makes_sqlite_drop_the_transaction_never_half_commits(start, tmp_path):
    """SQLite rolls back the whole transaction on some errors (disk full, I/O error, out of memory,
    interrupt) even inside a savepoint.  Catching such an error at the savepoint and carrying on
    must not commit the later items on their own while the earlier ones are gone: the unit of work
    must fail as a whole, with nothing changed."""
    template, ctx = start
    rng, seed = seeded("savepoint-io")
    before = dump_checksum(template)
    ref = tmp_path / "ref.sqlite3"
    shutil.copyfile(template, ref)
    with Store(f"sqlite:///{ref}") as st:
        with fault_at_statement(st.uow.engine, None) as statements:
            _bulk(st, ctx, catch=True)
    inserts = sum(1 for q in statements if q.lstrip().upper().startswith("INSERT"))
    plan = list(range(1, inserts + 1)) if full_run() else [inserts // 2] + rng.sample(range(1, inserts + 1), 2)
    outcomes = {"item undone": 0, "unit failed": 0}
    for n in plan:
        path = tmp_path / f"io-{n}.sqlite3"
        shutil.copyfile(template, path)
        where = f"(INSERT {n} of {inserts} interrupted, seed {seed})"
        with Store(f"sqlite:///{path}") as st:
            try:
                with _interrupt_inside_insert(st.uow.engine, n) as fault:
                    failed = _bulk(st, ctx, catch=True)
            except Exception as exc:  # noqa: BLE001
                # the engine's transaction guard (evaluator/db/engine.py) or the interrupt itself
                assert isinstance(exc, TransactionLost) or is_injected(exc), f"{exc!r} {where}"
                if isinstance(exc, TransactionLost):
                    assert "nothing was saved" in str(exc) and str(path) in str(exc), exc
                assert dump_checksum(path) == before, f"a failed unit of work left changes {where}"
                outcomes["unit failed"] += 1
            else:
                assert fault.fired, where
                _check_items(path, st, ctx, failed, where)
                outcomes["item undone"] += 1
            assert st.verify_audit().ok, where
        assert integrity(path) == "ok", where
        path.unlink()
    record("error that makes SQLite drop the transaction inside a savepoint", trials=len(plan), **outcomes)


def test_fault_inside_the_demo_build_leaves_an_empty_database(tmp_path):
    """The biggest single unit of work there is today (stand-in for import and merge); the fast
    run builds the demo as it stands before the field study, the full run the whole of it."""
    rng, seed = seeded("demo-fault")
    before_visits = not full_run()
    path = tmp_path / "empty.sqlite3"
    Store(f"sqlite:///{path}").close()
    before = dump_checksum(path)
    every = 2000
    ref = tmp_path / "ref.sqlite3"
    shutil.copyfile(path, ref)
    with Store(f"sqlite:///{ref}") as st, fault_at_step(st.uow.engine, None, every=every) as steps:
        build_demo(st, before_visits=before_visits)
    n = trials(2, 40)
    empty = tmp_path / "empty-template.sqlite3"
    shutil.copyfile(path, empty)
    fired = 0
    st = Store(f"sqlite:///{path}")
    try:
        for trial in range(n):
            k = rng.randint(1, steps.calls)
            where = f"(trial {trial}, step {k} of {steps.calls}, seed {seed})"
            with fault_at_step(st.uow.engine, k, every=every) as fault:
                try:
                    build_demo(st, before_visits=before_visits)
                except Exception as exc:  # noqa: BLE001 - must be the injected fault, nothing else
                    assert is_injected(exc), f"{exc!r} {where}"
                else:
                    # a warm store runs fewer VM steps than the cold reference: the fault landed past
                    # the end and the build is complete — start again from the empty database
                    assert not fault.fired, f"the injected fault was swallowed and the build went on {where}"
                    assert st.programs.exists(), where
                    st.close()
                    shutil.copyfile(empty, path)
                    for side in ("-wal", "-shm"):
                        path.with_name(path.name + side).unlink(missing_ok=True)
                    st = Store(f"sqlite:///{path}")
                    continue
            fired += 1
            assert dump_checksum(path) == before, where
        assert not st.programs.exists()
        build_demo(st, before_visits=before_visits)  # and then it works
    finally:
        st.close()
    assert fired >= n // 2, f"only {fired} of {n} faults fired (seed {seed})"
    assert dump_checksum(path, skip=("setting",)) == dump_checksum(ref, skip=("setting",))
    record("fault injection: demo build (one big unit of work)", trials=n, inputs=fired)
