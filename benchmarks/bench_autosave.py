"""2. Autosave: single-score saves through ``Store.save_score`` vs a raw sqlite3 commit loop."""

from __future__ import annotations

import gc
import math
import sqlite3
import time
from datetime import datetime

from .data import CRITERIA, LEVELS, _uuid, applications, copy_db, sqlite_url
from .harness import Context, Spec, Timing, benchmark, cpu_figures, progress, ratio_goal

SPEC = Spec(
    "autosave", "Autosave: single-score saves, each committed before returning", "s",
    ratio_goal(2.0, "≤ 2× a raw sqlite3 single-row commit loop with the same PRAGMAs"),
    app_label="Store.save_score × N (each its own transaction: validate, score row, evaluation version, audit entry)",
    baseline_label="sqlite3: BEGIN IMMEDIATE; INSERT one score row; COMMIT × N (WAL, synchronous=FULL)",
)

BENCH_EVALUATOR = "EVB01"
BLOCK = 50


def add_bench_evaluations(store, app_ids: list[str], *, with_evaluations: bool) -> dict[str, int]:
    """Assign a benchmark evaluator to ``app_ids`` (bulk, untimed); optionally create draft evaluations.

    Returns {application id: evaluation id} (empty without evaluations).
    """
    from sqlalchemy import func, insert, select

    from evaluator.db.models import Application, Assignment, Evaluation, Evaluator

    now = datetime(2024, 5, 20, 10)
    with store.uow.write() as s:
        ev_id = s.execute(select(Evaluator.id).where(Evaluator.code == BENCH_EVALUATOR)).scalar()
        if ev_id is None:
            ev_id = (s.execute(select(func.max(Evaluator.id))).scalar() or 0) + 1
            s.execute(insert(Evaluator), [{"id": ev_id, "uuid": _uuid(6, ev_id),
                                           "code": BENCH_EVALUATOR, "name": "벤치 평가위원", "active": True}])
        ids = dict(s.execute(select(Application.external_id, Application.id)
                             .where(Application.external_id.in_(app_ids))).all())
        first = (s.execute(select(func.max(Assignment.id))).scalar() or 0) + 1
        rows = [{"id": first + n, "uuid": _uuid(7, first + n), "application_id": ids[a],
                 "evaluator_id": ev_id, "created_at": now} for n, a in enumerate(app_ids)]
        s.execute(insert(Assignment), rows)
        if not with_evaluations:
            return {}
        first_e = (s.execute(select(func.max(Evaluation.id))).scalar() or 0) + 1
        s.execute(insert(Evaluation), [{"id": first_e + n, "uuid": _uuid(8, first_e + n),
                                        "assignment_id": r["id"], "state": "draft", "updated_at": now}
                                       for n, r in enumerate(rows)])
        return {a: first_e + n for n, a in enumerate(app_ids)}


def raw_connection(path) -> sqlite3.Connection:
    """A bare sqlite3 connection set up like the app's (WAL, synchronous=FULL, foreign keys)."""
    con = sqlite3.connect(path, isolation_level=None, timeout=5.0)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=5000"):
        con.execute(f"PRAGMA {pragma}")
    return con


@benchmark("autosave", order=20, specs=[SPEC], requires=("scoring.save_score",))
def run(ctx: Context):
    """Autosave: N single-score saves through the façade vs a raw sqlite3 single-row commit loop."""
    from evaluator.store import Store

    sc = ctx.scale
    n_saves = sc.autosave_saves
    per_rep = math.ceil(n_saves / len(CRITERIA))
    reps = ctx.reps + 1  # one more set for --profile
    src = ctx.data.office_db(sc.apps)
    app_ids = [a["id"] for a in applications(sc.apps)][: per_rep * reps]
    if len(app_ids) < per_rep * reps:
        raise RuntimeError(f"the {sc.apps}-application program is too small for {n_saves} saves × {reps}")
    d = ctx.tmpdir("autosave")
    app_db = copy_db(src, d, "app.sqlite3")
    raw_db = copy_db(src, d, "raw.sqlite3")
    store = Store(sqlite_url(app_db))
    add_bench_evaluations(store, app_ids, with_evaluations=False)
    with Store(sqlite_url(raw_db)) as raw_store:
        eval_ids = add_bench_evaluations(raw_store, app_ids, with_evaluations=True)
        crit_ids = _criterion_ids(raw_store)
    con = raw_connection(raw_db)

    def saves(rep: int):
        out = []
        for a in app_ids[rep * per_rep:(rep + 1) * per_rep]:
            for n, (code, _ko, _en) in enumerate(CRITERIA):
                out.append((a, code, LEVELS[(n + len(out)) % len(LEVELS)]))
        return out[:n_saves]

    def app(batch):
        for a, code, level in batch:
            store.scoring.save_score(a, BENCH_EVALUATOR, code, level=level[0])

    def baseline(batch):
        for n, (a, code, level) in enumerate(batch):
            con.execute("BEGIN IMMEDIATE")
            con.execute(
                "INSERT INTO score (uuid, evaluation_id, criterion_id, level, points, comment, author, version, "
                "updated_at, device) VALUES (?, ?, ?, ?, ?, '', ?, 1, ?, 'bench')",
                (f"raw-{a}-{code}", eval_ids[a], crit_ids[code], level[0], 10 * level[3] / 100.0, BENCH_EVALUATOR,
                 datetime.now().isoformat(sep=" ")),
            )
            con.execute("COMMIT")

    def interleaved(rep: int) -> tuple[float, float]:
        """App and baseline alternate in blocks of 50 saves, so a burst of disk load from other
        processes hits both sides alike (fsync time dominates both)."""
        batch = saves(rep)
        a = b = 0.0
        for lo in range(0, len(batch), BLOCK):
            block = batch[lo:lo + BLOCK]
            c0, t0 = time.process_time(), time.perf_counter()
            app(block)
            c1, t1 = time.process_time(), time.perf_counter()
            baseline(block)
            c2, t2 = time.process_time(), time.perf_counter()
            a, b = a + (t1 - t0), b + (t2 - t1)
            cpu[0] += c1 - c0
            cpu[1] += c2 - c1
        return a, b

    a_samples, b_samples = [], []
    a_cpu, b_cpu = [], []
    cpu = [0.0, 0.0]
    try:
        for rep in range(ctx.reps):
            gc.collect()
            cpu[:] = [0.0, 0.0]
            a, b = interleaved(rep)
            a_samples.append(a)
            b_samples.append(b)
            a_cpu.append(cpu[0])
            b_cpu.append(cpu[1])
            progress(f"  autosave rep {rep + 1}/{ctx.reps}: app {a:.3f} s, baseline {b:.3f} s")
        if ctx.wants_profile(SPEC.name):
            ctx.profile(SPEC.name, app, saves(ctx.reps))
    finally:
        con.close()
        store.close()
    a_t, b_t = Timing(min(a_samples), a_samples, a_cpu), Timing(min(b_samples), b_samples, b_cpu)
    return [SPEC.result(
        a_t.best, b_t.best, size={"saves": n_saves, "database_applications": sc.apps},
        figures={"app_ms_per_save": 1000 * a_t.best / n_saves, "baseline_ms_per_save": 1000 * b_t.best / n_saves,
                 **cpu_figures(a_t, b_t)},
        samples={"app": a_t.samples, "baseline": b_t.samples},
        notes="both write to a copy of the same office database on the same disk; every save is one fsynced "
              f"commit; app and baseline alternate in blocks of {BLOCK} saves and each side's blocks are summed",
    )]


def _criterion_ids(store) -> dict[str, int]:
    from sqlalchemy import select

    from evaluator.db.models import Criterion

    with store.uow.read() as s:
        return dict(s.execute(select(Criterion.code, Criterion.id)).all())
