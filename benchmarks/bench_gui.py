"""7 and 9. The desktop app, offscreen, as whole processes (see :mod:`benchmarks.gui_probe`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .data import ROOT, copy_db, sqlite_url
from .harness import Context, NotAvailable, Spec, absolute_goal, benchmark, missing_methods, progress, ratio_goal

START = Spec(
    "gui_start", "GUI: process start to main window shown (office database)", "s",
    ratio_goal(2.0, "≤ 2× a bare PySide6 QMainWindow process start"),
    app_label="python → ui.app.main(--db) → main window shown, event loop turned (offscreen)",
    baseline_label="python → QApplication + QMainWindow shown, event loop turned (offscreen)",
)
SORT = Spec(
    "gui_sort_filter", "GUI: sort and filter the applications table", "s",
    ratio_goal(5.0, "≤ 5× a minimal Python model sorting/filtering its own list"),
    app_label="5 user actions on the Applications screen (header clicks, search box), each until rows show",
    baseline_label="the same 5 actions on a minimal QAbstractTableModel over a Python list of the same rows",
)
STALL = Spec(
    "gui_import_stall", "GUI: longest GUI-thread stall during an intake import", "ms",
    absolute_goal(100.0, "longest heartbeat gap ≤ 100 ms"),
    app_label="5 ms heartbeat QTimer; Import screen: preview, import, screens reloading",
    baseline_label="5 ms heartbeat QTimer while a Python thread runs a bare openpyxl pass of the same file",
)
JOBS = Spec(
    "gui_job_stall", "GUI: longest GUI-thread stall during exports, PDF generation and a merge", "ms",
    absolute_goal(60.0, "longest heartbeat gap ≤ 60 ms (issues 7 and 22: export, merge, PDF)"),
    app_label="5 ms heartbeat QTimer; Outputs screen: ranked lists, all scores (xlsx), committee summary (PDF); "
              "filled score sheets (PDF); Kits screen: merge of the result packages — the worst job",
    baseline_label="5 ms heartbeat QTimer while a Python thread runs a bare openpyxl pass of the intake file",
)
MEMORY = Spec(
    "gui_memory", "GUI: peak memory with the office database open", "MB",
    absolute_goal(300.0, "peak RSS ≤ 300 MB"),
    app_label="VmHWM of the app process, 2 s after its applications table showed rows",
    baseline_label="VmHWM of a bare QMainWindow process",
)


def gui_env(ctx: Context) -> dict[str, str]:
    home = ctx.tmpdir("gui-home")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "EVALUATOR_DATA_DIR": str(home),
           "EVALUATOR_LOG_DIR": str(home / "logs"), "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("EVALUATOR_BLOCK_QT", None)
    env.pop("EVALUATOR_DB", None)
    # who is working, as a user answers once on a new machine: without it the app asks at start (an
    # office database opened under an operating-system account) and the probe would wait on that dialog
    (home / "evaluator-gui.ini").write_text("[identity]\nname=Bench coordinator\n", encoding="utf-8")
    return env


def compile_sources() -> int:
    """Bring the project's bytecode up to date (untimed, before the first probe); returns how many
    modules needed it.

    The probes run with PYTHONDONTWRITEBYTECODE=1 (as the development shells here do), so a module
    whose ``.pyc`` is missing or older than its source is compiled from source at *every* start —
    a cost an installed app (PyInstaller ships bytecode) never pays and the bare-PySide6 baseline
    (compiled when pip installed it) does not pay either.  ``compileall`` writes the ignored
    ``__pycache__`` files atomically, as any import would without that variable."""
    import compileall
    import importlib.util

    stale = 0
    for pkg in ("evaluator", "ui", "benchmarks"):
        for src in (ROOT / pkg).rglob("*.py"):
            pyc = Path(importlib.util.cache_from_source(str(src)))
            if not pyc.exists() or pyc.stat().st_mtime < src.stat().st_mtime:
                stale += 1
        compileall.compile_dir(str(ROOT / pkg), quiet=2)
    return stale


def probe_timeout(ctx: Context) -> float:
    return 90.0 if ctx.scale.apps <= 1000 else 600.0


def spawn(ctx: Context, kind: str, *args: str, profile: Path | None = None) -> dict:
    """Run a GUI probe; returns the final document plus ``wall_<event>`` = spawn → event line.

    With ``profile``, the probe's GUI thread runs under cProfile and the top entries go there."""
    timeout = probe_timeout(ctx)
    env = gui_env(ctx)
    env["BENCH_GUI_TIMEOUT"] = str(timeout - 5)
    if profile is not None:
        env["BENCH_PROFILE"] = str(profile)
    with tempfile.TemporaryFile(mode="w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-X", "faulthandler", "-m", "benchmarks.gui_probe", kind, *args],
                                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=err, text=True)
        doc: dict = {}
        assert proc.stdout is not None
        for line in proc.stdout:
            t = time.perf_counter() - t0
            try:
                msg = json.loads(line)
            except ValueError:
                continue
            if "event" in msg:
                doc[f"wall_{msg['event']}_s"] = t
            else:
                doc.update(msg)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
        if doc.get("message_boxes"):
            progress(f"  the app showed {len(doc['message_boxes'])} message box(es) during {kind}: "
                     f"{doc['message_boxes'][0][:160]}")
        if "error" in doc or proc.returncode != 0:
            err.seek(0)
            text = err.read()
            logs = ROOT / "build" / "bench-logs"
            logs.mkdir(parents=True, exist_ok=True)
            log = logs / f"{kind}-{time.strftime('%Y%m%d-%H%M%S')}.txt"
            app_log = Path(env["EVALUATOR_LOG_DIR"]) / "evaluator-gui.log"
            if app_log.exists():
                text += "\n--- the app's log (last 60 lines) ---\n" + "\n".join(
                    app_log.read_text(errors="replace").splitlines()[-60:])
            log.write_text(text)
            what = doc.get("error") or f"exit {proc.returncode}" + (" (crashed: signal "
                                                                     f"{-proc.returncode})" if proc.returncode < 0 else "")
            raise ProbeFailed(f"gui probe {kind} failed: {what}; its stderr is in {log.relative_to(ROOT)}")
        return doc


class ProbeFailed(RuntimeError):
    pass


def profile_probe(ctx: Context, name: str, kind: str, *args: str) -> None:
    """One more app run under cProfile when ``--profile`` asks for ``name`` (never timed)."""
    if not ctx.wants_profile(name):
        return
    ctx.profile_dir.mkdir(parents=True, exist_ok=True)
    path = ctx.profile_dir / f"{name}.txt"
    try:
        spawn(ctx, kind, *args, profile=path)
    except ProbeFailed as exc:
        progress(f"  profile of {name} failed: {exc}")
        return
    ctx.profiles[name] = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
    progress(f"  profile of {name} written to {path}")


def repeated(ctx: Context, name: str, kinds: list[tuple[str, tuple[str, ...]]], reps: int, describe) -> tuple[list, list, list]:
    """Run app and bare probes ``reps`` times, interleaved; a failed run is recorded, not fatal."""
    runs: list[list[dict]] = [[] for _ in kinds]
    failures: list[str] = []
    for rep in range(reps):
        for i, (kind, args) in enumerate(kinds):
            try:
                runs[i].append(spawn(ctx, kind, *args))
            except ProbeFailed as exc:
                failures.append(str(exc))
                progress(f"  {name} rep {rep + 1}/{reps}: {exc}")
        if all(r for r in runs) and len(runs[0]) == rep + 1:
            progress(f"  {name} rep {rep + 1}/{reps}: {describe(*(r[-1] for r in runs))}")
    if not runs[0] or not all(runs):
        raise RuntimeError("; ".join(failures[-2:]) or "no run succeeded")
    return runs[0], runs[1], failures


def boxes(runs: list[dict]) -> dict:
    """Message boxes the app showed (the probe dismisses them so the measurement goes on)."""
    seen = [m for r in runs for m in r.get("message_boxes", ())]
    return {"app_message_boxes": sorted(set(seen))} if seen else {}


class _Skipped(Exception):
    """A part of the group skipped on request (--skip): the harness reports it."""


def _qt_available() -> str | None:
    try:
        import PySide6  # noqa: F401
    except ImportError as exc:
        return f"PySide6 is not importable: {exc}"
    if not (ROOT / "ui" / "app.py").exists():
        return "ui/app.py does not exist"
    return None


@benchmark("gui", order=70, specs=[START, SORT, STALL, JOBS, MEMORY], requires=("applications.ids", "applications.rows"))
def run(ctx: Context):
    """The desktop app offscreen: start, table sort/filter, import and job stalls, peak memory."""
    why = _qt_available()
    if why:
        raise NotAvailable(why)
    sc = ctx.scale
    results = []
    stale = compile_sources()
    progress(f"  bytecode of evaluator/, ui/, benchmarks/ brought up to date (untimed; {stale} modules needed it)")

    # --- start and memory (same processes) --------------------------------------------------------
    try:
        if START.name in ctx.skip and MEMORY.name in ctx.skip:
            raise _Skipped
        d = ctx.tmpdir("gui-start")
        url = sqlite_url(copy_db(ctx.data.office_db(sc.apps), d, "office.sqlite3"))
        app_runs, bare_runs, failed = repeated(
            ctx, "gui_start", [("start-app", (url, "2.0")), ("start-bare", ("0.5",))], ctx.scale.gui_reps,
            lambda a, b: f"app shown {a['wall_shown_s']:.2f} s (rows {a.get('wall_ready_s', float('nan')):.2f} s), "
                         f"bare {b['wall_shown_s']:.2f} s; app peak {a['peak_mb']:.0f} MB")
        profile_probe(ctx, START.name, "start-app", url, "2.0")
        shown = [r["wall_shown_s"] for r in app_runs]
        ready = [r.get("wall_ready_s") for r in app_runs if r.get("wall_ready_s") is not None]
        bare = [r["wall_shown_s"] for r in bare_runs]
        size = {"database_applications": sc.apps}
        results.append(START.result(
            min(shown), min(bare), size=size, samples={"app": shown, "baseline": bare},
            figures={"app_rows_visible_s": min(ready) if ready else None,
                     "rows_visible_ratio": (min(ready) / min(bare)) if ready else None,
                     **({"failed_runs": failed} if failed else {}), **boxes(app_runs)},
            notes="'shown' = the Show event of the main window plus one event-loop turn, timed by the parent from "
                  "process spawn; app_rows_visible_s = until the applications table shows its first rows; the "
                  "project's bytecode is compiled first (untimed), as an installed app's is",
        ))
        results.append(MEMORY.result(
            max(r["peak_mb"] for r in app_runs), max(r["peak_mb"] for r in bare_runs), size=size,
            figures={"app_rss_at_end_mb": max(r.get("rss_mb", 0) for r in app_runs)},
            notes="whole-process peak RSS (VmHWM), the largest over the repetitions",
        ))
    except _Skipped:
        pass  # the harness reports both as skipped
    except Exception as exc:  # noqa: BLE001
        results += [START.error(f"{type(exc).__name__}: {exc}"), MEMORY.error(f"{type(exc).__name__}: {exc}")]

    # --- sort and filter --------------------------------------------------------------------------
    try:
        if SORT.name in ctx.skip:
            raise _Skipped
        n = sc.table_rows
        d = ctx.tmpdir("gui-table")
        url = sqlite_url(copy_db(ctx.data.office_db(n), d, "office.sqlite3"))
        app_runs, bare_runs, failed = repeated(
            ctx, "gui_sort_filter", [("table-app", (url,)), ("table-bare", (url,))], ctx.scale.gui_reps,
            lambda a, b: f"app {a['total_s']:.3f} s, bare {b['total_s']:.3f} s")
        profile_probe(ctx, SORT.name, "table-app", url)
        best_app = min(app_runs, key=lambda r: r["total_s"])
        best_bare = min(bare_runs, key=lambda r: r["total_s"])
        figures = {f"app {a['action']}": a["s"] for a in best_app["actions"]}
        figures |= {f"baseline {a['action']}": a["s"] for a in best_bare["actions"]}
        if failed:
            figures["failed_runs"] = failed
        figures |= boxes(app_runs)
        results.append(SORT.result(
            best_app["total_s"], best_bare["total_s"], size={"table_rows": n}, figures=figures,
            samples={"app": [r["total_s"] for r in app_runs], "baseline": [r["total_s"] for r in bare_runs]},
            notes="actions: sort by title, by title descending, by requested amount descending, search '햇살', "
                  "clear the search; each timed until the first rows are on screen",
        ))
    except _Skipped:
        pass
    except Exception as exc:  # noqa: BLE001
        results.append(SORT.error(f"{type(exc).__name__}: {exc}"))

    # --- GUI-thread stall during an import --------------------------------------------------------
    missing = missing_methods(("excel.import_applications",))
    if missing:
        results.append(STALL.not_available(f"Store.{', Store.'.join(missing)} does not exist yet"))
        return results
    try:
        if STALL.name in ctx.skip:
            raise _Skipped
        n = sc.apps
        xlsx = str(ctx.data.intake_xlsx(n))
        app_runs, bare_runs, failed = [], [], []
        for rep in range(ctx.scale.gui_reps):
            d = ctx.tmpdir("gui-stall")
            url = sqlite_url(copy_db(ctx.data.program_db(), d, "office.sqlite3"))
            try:
                a, b, f = repeated(ctx, "gui_import_stall", [("stall-app", (xlsx, url)), ("stall-bare", (xlsx,))], 1,
                                   lambda a, b: f"app max gap {a['max_gap_ms']:.0f} ms (job {a['job_s']:.1f} s), "
                                                f"bare {b['max_gap_ms']:.0f} ms")
            except RuntimeError as exc:
                failed.append(str(exc))
                continue
            app_runs += a
            bare_runs += b
            failed += f
        if not app_runs:
            raise RuntimeError("; ".join(failed[-2:]))
        if ctx.wants_profile(STALL.name):
            url = sqlite_url(copy_db(ctx.data.program_db(), ctx.tmpdir("gui-stall"), "office.sqlite3"))
            profile_probe(ctx, STALL.name, "stall-app", xlsx, url)
        best_app = min(app_runs, key=lambda r: r["max_gap_ms"])
        best_bare = min(bare_runs, key=lambda r: r["max_gap_ms"])
        results.append(STALL.result(
            best_app["max_gap_ms"], best_bare["max_gap_ms"], size={"rows": n},
            figures={"app_p99_gap_ms": best_app.get("p99_gap_ms"), "app_gaps_over_100ms": best_app.get("gaps_over_100ms"),
                     "app_job_s": best_app.get("job_s"), "app_preview_s": best_app.get("preview_s"),
                     "app_path": best_app.get("path"), "app_marks_s": best_app.get("marks_s"),
                     "app_worst_stalls": best_app.get("worst_stalls"),
                     "baseline_p99_gap_ms": best_bare.get("p99_gap_ms"),
                     **({"failed_runs": failed} if failed else {}), **boxes(app_runs)},
            samples={"app": [r["max_gap_ms"] for r in app_runs], "baseline": [r["max_gap_ms"] for r in bare_runs]},
        ))
    except _Skipped:
        pass
    except Exception as exc:  # noqa: BLE001
        results.append(STALL.error(f"{type(exc).__name__}: {exc}"))
    if JOBS.name not in ctx.skip:
        results.append(job_stalls(ctx))
    return results


def _describe_jobs(a: dict, b: dict) -> str:
    return (", ".join(f"{j['job']} {j['max_gap_ms']:.0f} ms ({j['job_s']:.1f} s)" for j in a["jobs"])
            + f"; bare {b['max_gap_ms']:.0f} ms")


def job_stalls(ctx: Context):
    """Issue 7: the GUI thread during the long jobs other than the import — the Excel exports and the
    committee summary from the Outputs screen, filled score sheets, and the merge of the benchmark's
    result packages from the Kits screen (two app processes: the merge needs its own office database)."""
    from .data import PASSPHRASE

    missing = missing_methods(("excel.export_ranking", "excel.export_scores", "reports.summary", "reports.filled_sheets",
                               "packages.merge"))
    if missing:
        return JOBS.not_available(f"Store.{', Store.'.join(missing)} does not exist yet")
    sc = ctx.scale
    try:
        d = ctx.tmpdir("gui-jobs")
        outputs = [{"job": "export_ranking"}, {"job": "export_scores"}, {"job": "report_summary"},
                   {"job": "sheets", "applications": -(-sc.pdf_sheets // 3)}]
        ms = ctx.data.merge_set(sc.merge_scores, sc.merge_packages)
        merge = [{"job": "merge", "packages": [str(p) for p in ms.packages()], "key_dir": str(ms.key_dir),
                  "passphrase": PASSPHRASE}]
        (d / "outputs.json").write_text(json.dumps(outputs))
        (d / "merge.json").write_text(json.dumps(merge))
        xlsx = str(ctx.data.intake_xlsx(sc.apps))
        per_job: dict[str, list[dict]] = {}
        bare_runs: list[dict] = []
        failed: list[str] = []
        for rep in range(min(ctx.scale.gui_reps, 2)):
            url_out = sqlite_url(copy_db(ctx.data.office_db(sc.export_apps), ctx.tmpdir("gui-jobs"), "office.sqlite3"))
            url_merge = sqlite_url(copy_db(ms.office, ctx.tmpdir("gui-jobs"), "merge.sqlite3"))
            try:
                a1, b, f1 = repeated(ctx, "gui_job_stall", [("jobs-app", (url_out, str(d / "outputs.json"))),
                                                            ("stall-bare", (xlsx,))], 1, _describe_jobs)
                a2, _b, f2 = repeated(ctx, "gui_job_stall", [("jobs-app", (url_merge, str(d / "merge.json"))),
                                                             ("stall-bare", (xlsx,))], 1, _describe_jobs)
            except RuntimeError as exc:
                failed.append(str(exc))
                continue
            for run in a1 + a2:
                for j in run["jobs"]:
                    per_job.setdefault(j["job"], []).append(j)
            bare_runs += b + _b
            failed += f1 + f2
        if not per_job:
            raise RuntimeError("; ".join(failed[-2:]))
        if ctx.wants_profile(JOBS.name):
            url = sqlite_url(copy_db(ctx.data.office_db(sc.export_apps), ctx.tmpdir("gui-jobs"), "office.sqlite3"))
            profile_probe(ctx, JOBS.name, "jobs-app", url, str(d / "outputs.json"))
        # each job's best run (as the other GUI figures), then the worst job is the figure
        best = {name: min(runs, key=lambda r: r["max_gap_ms"]) for name, runs in per_job.items()}
        worst = max(best.values(), key=lambda r: r["max_gap_ms"])
        best_bare = min(bare_runs, key=lambda r: r["max_gap_ms"])
        figures = {f"app {name} max_gap_ms": r["max_gap_ms"] for name, r in best.items()}
        figures |= {f"app {name} job_s": r["job_s"] for name, r in best.items()}
        figures |= {f"app {name} gaps_over_100ms": r.get("gaps_over_100ms") for name, r in best.items()}
        figures |= {"app_worst_job": worst["job"], "app_worst_stalls": worst.get("worst_stalls"),
                    **({"failed_runs": failed} if failed else {})}
        return JOBS.result(
            worst["max_gap_ms"], best_bare["max_gap_ms"],
            size={"export_applications": sc.export_apps, "summary_applications": sc.export_apps,
                  "sheets": 3 * -(-sc.pdf_sheets // 3), "packages": sc.merge_packages, "merged_scores": sc.merge_scores},
            figures=figures,
            samples={"app": [max(j["max_gap_ms"] for j in runs) for runs in zip(*per_job.values())],
                     "baseline": [r["max_gap_ms"] for r in bare_runs]},
            notes="each job with its own heartbeat, from the click (or drop) until one second after the job ended "
                  "(the screens reload after a merge); the figure is the worst job's longest gap, its best run",
        )
    except Exception as exc:  # noqa: BLE001
        return JOBS.error(f"{type(exc).__name__}: {exc}")
