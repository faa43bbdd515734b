"""1. Intake import: ``Store.import_applications`` vs a bare openpyxl read-only pass (time, memory)."""

from __future__ import annotations

from pathlib import Path

from .data import copy_db, sqlite_url
from .harness import Context, Spec, Timing, benchmark, compare, cpu_figures, progress, ratio_goal, run_probe

TIME = Spec(
    "intake_import_time", "Intake import of the applications sheet", "s",
    ratio_goal(1.5, "≤ 1.5× a bare openpyxl read-only iter_rows(values_only=True) pass"),
    app_label="Store.import_applications(xlsx) into the program's empty office database",
    baseline_label="openpyxl.load_workbook(read_only=True) + iter_rows(values_only=True) over the same file",
)
MEMORY = Spec(
    "intake_import_memory", "Intake import: peak memory of the operation", "MB",
    ratio_goal(2.0, "peak memory ≤ 2× the bare openpyxl pass"),
    app_label="peak of Python allocations (tracemalloc) during Store.import_applications, child process",
    baseline_label="peak of Python allocations (tracemalloc) during the bare openpyxl pass, child process",
)


def import_applications(store, path: str | Path) -> int:
    """Run the façade import and check that it imported every row (a refused import is no figure)."""
    report = store.excel.import_applications(str(path)).value
    added = getattr(report, "added", None)
    if added is None:
        raise RuntimeError(f"import_applications returned {type(report).__name__} without 'added'")
    problems = getattr(report, "problems", ()) or ()
    if problems:
        raise RuntimeError(f"the import reported {len(problems)} problems, first: {problems[0]}")
    return len(added)


def bare_read(path: str | Path) -> int:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        n = 0
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                for _v in row:
                    n += 1
        return n
    finally:
        wb.close()


def measure_import(ctx: Context, n: int, *, with_baseline: bool, reps: int | None = None) -> tuple[Timing, Timing | None]:
    """Import the n-row intake sheet into a fresh copy of the empty program database (memoised)."""
    from evaluator.store import Store

    key = ("import", n, with_baseline)
    if key in ctx.cache:
        return ctx.cache[key]
    xlsx = ctx.data.intake_xlsx(n)
    empty = ctx.data.program_db()
    d = ctx.tmpdir(f"import{n}")
    stores: list = []

    def setup(rep: int):
        for st in stores:
            st.close()
        stores.clear()
        st = Store(sqlite_url(copy_db(empty, d, "office.sqlite3")))
        stores.append(st)
        return st

    def app(st):
        added = import_applications(st, xlsx)
        if added != n:
            raise RuntimeError(f"the import added {added} applications, expected {n}")

    try:
        out = compare(ctx, f"intake_import_time@{n}", app, (lambda _s: bare_read(xlsx)) if with_baseline else None,
                      app_setup=setup, reps=reps)
    finally:
        for st in stores:
            st.close()
    ctx.cache[key] = out
    ctx.cache[("import", n, False)] = out
    return out


@benchmark("intake", order=10, specs=[TIME, MEMORY], requires=("excel.import_applications",))
def run(ctx: Context):
    """Intake import of the applications sheet vs a bare openpyxl read-only pass (time and peak memory)."""
    n = ctx.scale.apps
    a_t, b_t = measure_import(ctx, n, with_baseline=True)
    assert b_t is not None
    size = {"rows": n, "columns": 16}
    results = [TIME.result(a_t.best, b_t.best, size=size, samples={"app": a_t.samples, "baseline": b_t.samples},
                           figures={"app_rows_per_s": n / a_t.best, "baseline_rows_per_s": n / b_t.best,
                                    **cpu_figures(a_t, b_t)})]
    progress("  peak memory: child processes (tracemalloc peak, and RSS growth) for app and baseline")
    xlsx = str(ctx.data.intake_xlsx(n))
    mem: dict = {}
    for method, env in (("traced", {"BENCH_TRACEMALLOC": "1"}), ("rss", {})):
        db = copy_db(ctx.data.program_db(), ctx.tmpdir("import-mem"), "office.sqlite3")
        mem[("app", method)] = run_probe("benchmarks.probe", ["intake-app", xlsx, sqlite_url(db)], env=env)
        mem[("base", method)] = run_probe("benchmarks.probe", ["intake-baseline", xlsx], env=env)
        if mem[("app", method)]["result"] != n:
            raise RuntimeError(f"the import in the memory probe added {mem[('app', method)]['result']} applications, "
                               f"expected {n}")
    app_rss, base_rss = mem[("app", "rss")], mem[("base", "rss")]
    results.append(MEMORY.result(
        mem[("app", "traced")]["traced_peak_mb"], mem[("base", "traced")]["traced_peak_mb"], size=size,
        figures={"app_rss_growth_mb": app_rss["added_mb"], "baseline_rss_growth_mb": base_rss["added_mb"],
                 "app_peak_rss_mb": app_rss["peak_mb"], "baseline_peak_rss_mb": base_rss["peak_mb"],
                 "app_rss_before_mb": app_rss["rss_before_mb"], "baseline_rss_before_mb": base_rss["rss_before_mb"]},
        notes="the goal figure is tracemalloc's peak during the operation (modules imported and the database opened "
              "before it starts); rss_growth = VmHWM after − RSS before with the peak mark reset just before "
              "(/proc/self/clear_refs), which under-counts a process that reuses heap freed earlier (the app's "
              "imports and migrations leave some)"
              + ("" if app_rss["reset"] else "; peak-mark reset unavailable: ru_maxrss over the process life"),
    ))
    return results
