"""5. Exports: the ranked list and every score vs bare openpyxl write-only appending the same cells."""

from __future__ import annotations

from pathlib import Path

from .data import copy_db, sqlite_url
from .harness import Context, Spec, Timing, benchmark, compare, cpu_figures, progress, ratio_goal

SPEC = Spec(
    "exports", "Exports: ranked list + every score row (two workbooks)", "s",
    ratio_goal(1.3, "≤ 1.3× bare openpyxl write-only appending the same cells"),
    app_label="store.excel.export_ranking(xlsx) + store.excel.export_scores(xlsx) (export_ranking ranks itself: a read)",
    baseline_label="openpyxl Workbook(write_only=True): append the same rows to the same sheets, save — both files",
)


def read_cells(path: Path) -> list[tuple[str, list[tuple]]]:
    """Every sheet's rows as plain values (the baseline writes exactly these)."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        return [(ws.title, [tuple(r) for r in ws.iter_rows(values_only=True)]) for ws in wb.worksheets]
    finally:
        wb.close()


def bare_write(path: Path, sheets: list[tuple[str, list[tuple]]]) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
    wb.save(path)


def measure_exports(ctx: Context, n: int, *, with_baseline: bool, reps: int | None = None
                    ) -> tuple[Timing, Timing | None, dict]:
    from evaluator.store import Store

    key = ("exports", n, with_baseline)
    if key in ctx.cache:
        return ctx.cache[key]
    d = ctx.tmpdir(f"export{n}")
    store = Store(sqlite_url(copy_db(ctx.data.office_db(n), d, "office.sqlite3")))
    parts: dict = {"ranking_s": [], "scores_s": []}
    produced: dict = {}

    def app(rep):
        import time

        t0 = time.perf_counter()
        store.excel.export_ranking(d / f"ranking-{rep}.xlsx")
        t1 = time.perf_counter()
        store.excel.export_scores(d / f"scores-{rep}.xlsx")
        parts["ranking_s"].append(t1 - t0)
        parts["scores_s"].append(time.perf_counter() - t1)
        produced.setdefault("files", (d / f"ranking-{rep}.xlsx", d / f"scores-{rep}.xlsx"))

    cells: dict = {}

    def baseline(rep):
        bare_write(d / f"bare-ranking-{rep}.xlsx", cells["ranking"])
        bare_write(d / f"bare-scores-{rep}.xlsx", cells["scores"])

    try:
        if with_baseline:
            # one app run first so the baseline can read the cells it must write (untimed)
            progress(f"  exports@{n}: reading back the app's workbooks for the baseline (untimed)")
            app("probe")
            cells["ranking"] = read_cells(produced["files"][0])
            cells["scores"] = read_cells(produced["files"][1])
            parts = {"ranking_s": [], "scores_s": []}
        # a 10k export writes ~5 million cells: two repetitions are plenty there
        a_t, b_t = compare(ctx, f"exports@{n}", app, baseline if with_baseline else None,
                           app_setup=lambda rep: rep, baseline_setup=lambda rep: rep,
                           reps=reps or (min(ctx.reps, 2) if n >= 10_000 else None))
    finally:
        store.close()
    info = {"ranking_s": min(parts["ranking_s"]), "scores_s": min(parts["scores_s"])}
    if cells:
        info["ranking_rows"] = sum(len(rows) for _t, rows in cells["ranking"])
        info["score_rows"] = sum(len(rows) for _t, rows in cells["scores"])
        info["cells"] = sum(len(r) for part in cells.values() for _t, rows in part for r in rows)
    out = (a_t, b_t, info)
    ctx.cache[key] = out
    ctx.cache[("exports", n, False)] = out
    return out


@benchmark("exports", order=50, specs=[SPEC], requires=("excel.export_ranking", "excel.export_scores", "ranking.rank"))
def run(ctx: Context):
    """Exports (ranked list + every score) vs bare openpyxl write-only appending the same cells."""
    n = ctx.scale.export_apps
    a_t, b_t, info = measure_exports(ctx, n, with_baseline=True)
    assert b_t is not None
    return [SPEC.result(
        a_t.best, b_t.best, size={"applications": n, "score_rows_expected": 30 * n},
        figures={"export_ranking_s": info["ranking_s"], "export_scores_s": info["scores_s"], **cpu_figures(a_t, b_t),
                 "ranking_rows_written": info.get("ranking_rows"), "score_rows_written": info.get("score_rows"),
                 "cells": info.get("cells")},
        samples={"app": a_t.samples, "baseline": b_t.samples},
        notes="row counts include header rows and every sheet (summary + one per track); the baseline writes the "
              "values read back from the app's own files, without styles",
    )]
