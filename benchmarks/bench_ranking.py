"""4. Ranking with stability analysis vs a bare SQL ``GROUP BY`` + Python sort of the same totals."""

from __future__ import annotations

import inspect
import sqlite3

from .data import copy_db, sqlite_url
from .harness import Context, Spec, Timing, benchmark, compare, cpu_figures, progress, ratio_goal, run_probe

SPEC = Spec(
    "ranking", "Ranking of every track with the stability analysis", "s",
    ratio_goal(3.0, "≤ 3× a bare SQL GROUP BY + Python sort of the same totals (absolute time reported)"),
    app_label="store.ranking.record() on the office database (aggregation, flags, gates, quotas, stability analysis)",
    baseline_label="sqlite3: per-evaluation totals GROUP BY, per-application mean GROUP BY, Python sort per track",
)

LARGE = Spec(
    "ranking_large", "Ranking with the stability analysis at the growth benchmark's large size", "s",
    ratio_goal(3.0, "≤ 3× the same bare SQL GROUP BY + Python sort at the large size (100k applications)"),
    app_label="store.ranking.record() on the large office database (the growth benchmark's large side)",
    baseline_label="the same sqlite3 GROUP BY + Python sort on the large database",
)
MEMORY = Spec(
    "ranking_memory", "Ranking at the large size: peak memory of the operation", "MB",
    ratio_goal(2.0, "peak memory ≤ 2× the bare SQL GROUP BY + sort's at the large size"),
    app_label="peak RSS growth (VmHWM − RSS before) during store.ranking.record(), child process",
    baseline_label="peak RSS growth during the bare SQL GROUP BY + Python sort, child process",
)

BASELINE_SQL = """
SELECT t.track_id, a.external_id, AVG(t.total) AS score, COUNT(*) AS n, a.submitted_on
FROM (
    SELECT asg.application_id AS app_id, ap.track_id AS track_id, SUM(s.points) AS total
    FROM score s
    JOIN evaluation e ON e.id = s.evaluation_id
    JOIN assignment asg ON asg.id = e.assignment_id
    JOIN application ap ON ap.id = asg.application_id
    WHERE e.state = 'finalised' AND e.abstained = 0 AND asg.conflict_type IS NULL
    GROUP BY e.id
) t
JOIN application a ON a.id = t.app_id
GROUP BY t.app_id
"""


def rank_kwargs(rank) -> dict:
    """Ask for the stability analysis if the ranking API takes it as a parameter."""
    params = inspect.signature(rank).parameters
    return {name: True for name in ("stability", "with_stability", "stability_analysis") if name in params}


def rank(store, n: int):
    # what the office does: rank with the program's method and store the decisions of record
    result = store.ranking.record(**rank_kwargs(store.ranking.record)).value
    rows = result.all_rows()
    if len(rows) != n:
        raise RuntimeError(f"rank() returned {len(rows)} rows for {n} applications")
    return result


def bare_ranking(path) -> list:
    con = sqlite3.connect(path)
    try:
        rows = con.execute(BASELINE_SQL).fetchall()
    finally:
        con.close()
    by_track: dict[int, list] = {}
    for r in rows:
        by_track.setdefault(r[0], []).append(r)
    ranked = []
    for track in sorted(by_track):
        ordered = sorted(by_track[track], key=lambda r: (-r[2], r[4] or "", r[1]))
        ranked.extend((track, i + 1, r[1], r[2]) for i, r in enumerate(ordered))
    return ranked


def measure_ranking(ctx: Context, n: int, *, with_baseline: bool, reps: int | None = None
                    ) -> tuple[Timing, Timing | None, dict]:
    """rank() on a fresh copy of the n-application office database per repetition (memoised)."""
    from evaluator.store import Store

    key = ("ranking", n, with_baseline)
    if key in ctx.cache:
        return ctx.cache[key]
    src = ctx.data.office_db(n)
    d = ctx.tmpdir(f"rank{n}")
    stores: list = []
    last: list = []  # the last repetition's result
    info: dict = {}

    def setup(rep: int):
        last.clear()
        for st in stores:
            st.close()
        stores.clear()
        st = Store(sqlite_url(copy_db(src, d, "office.sqlite3")))
        stores.append(st)
        return st

    def app(st):
        # the clock stops when the ranking returns: the result is kept (released by the next
        # setup) and what the benchmark itself reads of it is read after the repetitions, untimed
        last[:] = [rank(st, n)]

    base_path = copy_db(src, d, "baseline.sqlite3")
    try:
        a_t, b_t = compare(ctx, f"ranking@{n}", app, (lambda _s: bare_ranking(base_path)) if with_baseline else None,
                           app_setup=setup, reps=reps)
        rows = last[0].all_rows()
        info["with_stability"] = sum(1 for r in rows if getattr(r, "stability", None) is not None)
        info["selected"] = sum(1 for r in rows if r.decision == "selected")
    finally:
        last.clear()
        for st in stores:
            st.close()
    out = (a_t, b_t, info)
    ctx.cache[key] = out
    ctx.cache[("ranking", n, False)] = out
    return out


@benchmark("ranking", order=40, specs=[SPEC, LARGE, MEMORY], requires=("ranking.record",))
def run(ctx: Context):
    """Ranking with the stability analysis vs bare SQL GROUP BY + Python sort (and at the large size)."""
    results = [SPEC.skipped() if SPEC.name in ctx.skip else _ratio(ctx, SPEC, ctx.scale.apps, None)]
    large = ctx.scale.growth[1]
    if LARGE.name not in ctx.skip:
        # best of the suite's N at the large size too (the growth benchmark reuses this measurement)
        results.append(_ratio(ctx, LARGE, large, ctx.reps))
    if MEMORY.name not in ctx.skip:
        results.append(_memory(ctx, large))
    return results


def _ratio(ctx: Context, spec: Spec, n: int, reps: int | None):
    a_t, b_t, info = measure_ranking(ctx, n, with_baseline=True, reps=reps)
    assert b_t is not None
    notes = "absolute time of the app side is the 'app' figure"
    if not info.get("with_stability"):
        notes += "; NOTE: no row carried a stability figure — the stability analysis may not have run"
    return spec.result(a_t.best, b_t.best, size={"applications": n, "evaluations": 3 * n, "scores": 30 * n},
                       figures={"app_seconds": a_t.best, "rows_with_stability": info.get("with_stability"),
                                "selected": info.get("selected"), "rank_kwargs": rank_kwargs_text(),
                                **cpu_figures(a_t, b_t)},
                       samples={"app": a_t.samples, "baseline": b_t.samples}, notes=notes)


def _memory(ctx: Context, n: int):
    """Peak RSS growth of one ranking and of the bare baseline, each in a child process on its own copy."""
    progress(f"  ranking_memory@{n}: child processes (peak RSS growth) for app and baseline")
    src = ctx.data.office_db(n)
    app = run_probe("benchmarks.probe", ["ranking-app", str(copy_db(src, ctx.tmpdir("rank-mem"), "office.sqlite3")),
                                         str(n)], timeout=1800)
    base = run_probe("benchmarks.probe", ["ranking-baseline", str(copy_db(src, ctx.tmpdir("rank-mem"), "base.sqlite3"))],
                     timeout=1800)
    return MEMORY.result(
        app["added_mb"], base["added_mb"], size={"applications": n},
        figures={"app_peak_rss_mb": app["peak_mb"], "baseline_peak_rss_mb": base["peak_mb"],
                 "app_rss_before_mb": app["rss_before_mb"], "baseline_rss_before_mb": base["rss_before_mb"],
                 "app_elapsed_s": app["elapsed_s"], "baseline_elapsed_s": base["elapsed_s"]},
        notes="RSS growth = VmHWM after − RSS before, the peak mark reset just before (/proc/self/clear_refs); "
              "each side imports what it needs and opens its database before the mark"
              + ("" if app["reset"] and base["reset"] else "; peak-mark reset unavailable: ru_maxrss over the "
                                                            "process life"),
    )


def rank_kwargs_text() -> str:
    from evaluator.ranking.ops import Ranking

    kw = rank_kwargs(Ranking.record)
    return "ranking.record(" + ", ".join(f"{k}=True" for k in kw) + ")"
