"""The benchmark harness: scales, registry, timing, subprocess probes and the JSON document.

A benchmark module registers one *group* with :func:`benchmark`, declaring the results it
produces (:class:`Spec`: name, unit, goal) and the façade methods it needs.  The harness

* reports every declared result as ``not_available`` (with the reason) when a needed
  ``Store`` method does not exist yet, or when the benchmark raises :class:`NotAvailable`;
* reports ``error`` (with the exception) when a benchmark crashes — never a made-up figure;
* takes the best of N repetitions for app and baseline alike, interleaved, on the same data;
* profiles the app side on request (``--profile NAME``) into ``build/bench-profiles/``.
"""

from __future__ import annotations

import cProfile
import gc
import io
import json
import os
import platform
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .data import DEFAULT_DATA_DIR, ROOT, DataDir

T0 = time.perf_counter()


def progress(msg: str) -> None:
    """A progress line on stderr (stdout carries only the final JSON document)."""
    print(f"[bench {time.perf_counter() - T0:6.1f}s] {msg}", file=sys.stderr, flush=True)


# --- scales ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Scale:
    name: str
    apps: int  # the headline program size (intake rows, ranking, GUI start and memory): 10k at full
    autosave_saves: int  # single-score saves through the façade
    merge_packages: int  # result packages merged …
    merge_scores: int  # … carrying this many scores in all
    export_apps: int  # applications in the exports benchmark (30 score rows each)
    pdf_sheets: int  # filled score sheets in one PDF
    summary_rows: tuple[int, int]  # committee summary sizes compared (small, large)
    table_rows: int  # rows of the GUI applications table sorted and filtered
    growth: tuple[int, int]  # sizes of the growth benchmark (small, large): merge (scores), ranking (applications)
    growth_import: tuple[int, int]  # … for the intake import (rows)
    growth_export: tuple[int, int]  # … and for the exports (applications)
    reps: int  # best of N (app and baseline alike)
    gui_reps: int  # best of N for the GUI processes
    note: str = ""


SCALES: dict[str, Scale] = {
    "full": Scale("full", apps=10_000, autosave_saves=500, merge_packages=50, merge_scores=100_000, export_apps=10_000,
                  pdf_sheets=1000, summary_rows=(1000, 4000), table_rows=100_000, growth=(10_000, 100_000),
                  growth_import=(10_000, 100_000), growth_export=(10_000, 100_000), reps=3, gui_reps=3,
                  note="the sizes of issue 9"),
    "quick": Scale("quick", apps=1_000, autosave_saves=500, merge_packages=50, merge_scores=10_000, export_apps=100,
                   pdf_sheets=90, summary_rows=(250, 1000), table_rows=10_000, growth=(1_000, 10_000),
                   growth_import=(200, 2_000), growth_export=(100, 1_000), reps=2, gui_reps=2,
                   note="smaller sizes for a run under two minutes (warm data cache, idle machine): 1k applications "
                        "instead of 10k; growth ×10 at smaller sizes instead of 10k→100k (ranking 1k→10k "
                        "applications, merge 1k→10k scores, import 200→2k rows, exports 100→1k applications); "
                        "10k merged scores; "
                        "exports of 100 applications (3k score rows); 90 PDF sheets; summary 250→1k rows; "
                        "a 10k-row table; best of 2"),
    # for tests/core/test_bench_harness.py only: proves the harness runs end to end, figures mean nothing
    "tiny": Scale("tiny", apps=120, autosave_saves=30, merge_packages=3, merge_scores=300, export_apps=60,
                  pdf_sheets=9, summary_rows=(60, 120), table_rows=120, growth=(60, 120), growth_import=(60, 120),
                  growth_export=(60, 120),
                  reps=1, gui_reps=1, note="harness self-test only; the figures are meaningless"),
}


# --- goals, specs, results ------------------------------------------------------------------------
@dataclass(frozen=True)
class Goal:
    kind: str  # "ratio": app ÷ baseline ≤ limit; "absolute": app ≤ limit (in the result's unit)
    limit: float
    text: str

    def check(self, app: float | None, ratio: float | None) -> bool | None:
        value = ratio if self.kind == "ratio" else app
        return None if value is None else value <= self.limit


def ratio_goal(limit: float, text: str) -> Goal:
    return Goal("ratio", limit, text)


def absolute_goal(limit: float, text: str) -> Goal:
    return Goal("absolute", limit, text)


@dataclass(frozen=True)
class Spec:
    """One reported figure: what it measures, in which unit, against which goal."""

    name: str
    title: str
    unit: str
    goal: Goal
    app_label: str = "app"
    baseline_label: str = "baseline"

    def result(self, app: float, baseline: float | None, **kw: Any) -> Result:
        return Result(self, "ok", app=app, baseline=baseline, **kw)

    def not_available(self, reason: str) -> Result:
        return Result(self, "not_available", reason=reason)

    def error(self, reason: str) -> Result:
        return Result(self, "error", reason=reason)

    def skipped(self) -> Result:
        return Result(self, "skipped", reason="skipped on request (--skip, or --only naming other results of its "
                                              "group): not measured in this run")


@dataclass
class Result:
    spec: Spec
    status: str  # ok | not_available | error | skipped (on request: --skip)
    app: float | None = None
    baseline: float | None = None
    reason: str = ""
    notes: str = ""
    figures: dict[str, Any] = field(default_factory=dict)
    size: dict[str, Any] = field(default_factory=dict)
    samples: dict[str, list[float]] = field(default_factory=dict)
    group: str = ""

    @property
    def ratio(self) -> float | None:
        if self.app is None or not self.baseline:
            return None
        return self.app / self.baseline

    def to_json(self) -> dict[str, Any]:
        s = self.spec
        ratio = self.ratio
        doc: dict[str, Any] = {
            "name": s.name,
            "group": self.group,
            "title": s.title,
            "status": self.status,
            "unit": s.unit,
            "app": _round(self.app),
            "baseline": _round(self.baseline),
            "ratio": _round(ratio, 3),
            "goal": s.goal.text,
            "goal_kind": s.goal.kind,
            "goal_limit": s.goal.limit,
            "pass": s.goal.check(self.app, ratio) if self.status == "ok" else None,
            "app_is": s.app_label,
            "baseline_is": s.baseline_label,
        }
        if self.reason:
            doc["reason"] = self.reason
        if self.notes:
            doc["notes"] = self.notes
        if self.size:
            doc["size"] = self.size
        if self.figures:
            doc["figures"] = {k: _round(v) if isinstance(v, float) else v for k, v in self.figures.items()}
        if self.samples:
            doc["samples"] = {k: [_round(x) for x in v] for k, v in self.samples.items()}
        return doc


def _round(v: float | None, digits: int = 4) -> float | None:
    if v is None:
        return None
    if abs(v) >= 100:
        return round(v, 1)
    return float(f"{v:.{digits}g}")


class NotAvailable(Exception):
    """Raised by a benchmark whose feature (or part of it) is not in the core yet."""


# --- registry -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Bench:
    name: str
    order: int
    specs: tuple[Spec, ...]
    requires: tuple[str, ...]
    func: Callable[[Context], list[Result]]
    doc: str


REGISTRY: list[Bench] = []


def benchmark(name: str, *, order: int, specs: tuple[Spec, ...] | list[Spec], requires: tuple[str, ...] = ()):
    """Register a benchmark group ``name`` producing ``specs``; ``requires`` names ``Store`` methods
    (``"area.method"``, e.g. ``"scoring.save_score"``)."""

    def deco(func: Callable[[Context], list[Result]]):
        REGISTRY.append(Bench(name, order, tuple(specs), tuple(requires), func, (func.__doc__ or "").strip()))
        return func

    return deco


def missing_methods(names: tuple[str, ...] | list[str]) -> list[str]:
    from evaluator.store import Store

    return [n for n in names if not Store.offers(n)]


def require(*names: str) -> None:
    """Raise NotAvailable naming the ``Store`` methods that do not exist yet."""
    missing = missing_methods(names)
    if missing:
        raise NotAvailable(f"Store.{', Store.'.join(missing)} does not exist yet")


# --- timing ---------------------------------------------------------------------------------------
@dataclass
class Timing:
    best: float
    samples: list[float]
    #: CPU time of this process in each sample (time.process_time): a supplementary figure, steadier
    #: than the wall clock when other processes share the machine; it leaves out waits (fsync)
    cpu: list[float] = field(default_factory=list)

    @property
    def cpu_best(self) -> float | None:
        return min(self.cpu) if self.cpu else None


def _timed(fn: Callable[[Any], Any], state: Any, cpu: list[float] | None = None) -> float:
    gc.collect()
    c0 = time.process_time()
    t0 = time.perf_counter()
    out = fn(state)
    t = time.perf_counter() - t0
    if cpu is not None:
        cpu.append(time.process_time() - c0)
    # what the operation returned is released after the clocks stop: freeing a 100,000-row result
    # (and the inputs it still refers to) is not the operation, and on both sides it is not counted
    del out
    return t


def cpu_figures(a: Timing, b: Timing | None) -> dict[str, float]:
    """The CPU-time figures of a comparison, for the JSON document's ``figures``."""
    out: dict[str, float] = {}
    if a.cpu_best is not None:
        out["app_cpu_s"] = a.cpu_best
    if b is not None and b.cpu_best is not None:
        out["baseline_cpu_s"] = b.cpu_best
        if a.cpu_best:
            out["cpu_ratio"] = a.cpu_best / b.cpu_best if b.cpu_best else None
    return {k: v for k, v in out.items() if v is not None}


def compare(ctx: Context, name: str, app: Callable[[Any], Any], baseline: Callable[[Any], Any] | None, *,
            app_setup: Callable[[int], Any] | None = None, baseline_setup: Callable[[int], Any] | None = None,
            reps: int | None = None) -> tuple[Timing, Timing | None]:
    """Best of N for ``app`` and ``baseline``, interleaved (app, baseline, app, …).

    ``*_setup(rep)`` runs untimed before each repetition and its return value is passed to the
    timed callable (fresh copies of databases, output paths…).
    """
    n = reps or ctx.reps
    a_samples: list[float] = []
    b_samples: list[float] = []
    a_cpu: list[float] = []
    b_cpu: list[float] = []
    for rep in range(n):
        a_state = app_setup(rep) if app_setup else None
        a_samples.append(_timed(app, a_state, a_cpu))
        if baseline is not None:
            b_state = baseline_setup(rep) if baseline_setup else None
            b_samples.append(_timed(baseline, b_state, b_cpu))
        progress(f"  {name} rep {rep + 1}/{n}: app {a_samples[-1]:.3f} s"
                 + (f", baseline {b_samples[-1]:.3f} s" if b_samples else ""))
    if ctx.wants_profile(name):
        ctx.profile(name, app, app_setup(n) if app_setup else None)
    return (Timing(min(a_samples), a_samples, a_cpu),
            (Timing(min(b_samples), b_samples, b_cpu) if b_samples else None))


# --- subprocesses ---------------------------------------------------------------------------------
def run_probe(module: str, args: list[str], *, env: dict[str, str] | None = None, timeout: float = 900) -> dict:
    """Run ``python -m module args…`` from the project root; return the JSON on its last stdout line."""
    full_env = {**os.environ, **(env or {})}
    full_env["PYTHONPATH"] = str(ROOT) + (os.pathsep + full_env["PYTHONPATH"] if full_env.get("PYTHONPATH") else "")
    proc = subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, env=full_env, capture_output=True,
                          text=True, timeout=timeout)
    lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-6:]
        raise RuntimeError(f"probe {module} {' '.join(args[:2])} failed (exit {proc.returncode}): " + " | ".join(tail))
    return json.loads(lines[-1])


# --- context --------------------------------------------------------------------------------------
class Context:
    def __init__(self, scale: Scale, *, data_dir: Path = DEFAULT_DATA_DIR, reps: int | None = None,
                 profile: tuple[str, ...] = (), profile_dir: Path | None = None, keep_work: bool = False,
                 skip: tuple[str, ...] = ()) -> None:
        self.scale = scale
        self.skip = frozenset(skip)
        self.reps = reps or scale.reps
        self.data = DataDir(Path(data_dir))
        self.data.prepare()
        work_root = ROOT / "build" / "bench-work"
        work_root.mkdir(parents=True, exist_ok=True)
        self.work = Path(tempfile.mkdtemp(prefix=f"{scale.name}-", dir=work_root))
        self.keep_work = keep_work
        self._profile = set(profile)
        self.profile_dir = profile_dir or ROOT / "build" / "bench-profiles"
        self.cache: dict[Any, Any] = {}
        self.profiles: dict[str, str] = {}

    def tmpdir(self, name: str) -> Path:
        d = Path(tempfile.mkdtemp(prefix=name + "-", dir=self.work))
        return d

    def memo(self, key: Any, make: Callable[[], Any]) -> Any:
        if key not in self.cache:
            self.cache[key] = make()
        return self.cache[key]

    def wants_profile(self, name: str) -> bool:
        return "all" in self._profile or any(name == p or name.startswith(p) for p in self._profile)

    def profile(self, name: str, fn: Callable[[Any], Any], state: Any) -> None:
        """Run the app side once more under cProfile; keep the top entries (and the whole profile
        beside them, ``NAME.prof``)."""
        self.profile_dir.mkdir(parents=True, exist_ok=True)
        prof = cProfile.Profile()
        prof.enable()
        try:
            fn(state)
        finally:
            prof.disable()
        out = io.StringIO()
        stats = pstats.Stats(prof, stream=out)
        stats.sort_stats("cumulative").print_stats(30)
        out.write("\n--- by own time ---\n")
        stats.sort_stats("tottime").print_stats(20)
        text = out.getvalue()
        path = self.profile_dir / f"{name}.txt"
        path.write_text(text)
        stats.dump_stats(path.with_suffix(".prof"))  # (the whole profile, for callers and callees)
        self.profiles[name] = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
        progress(f"  profile of {name} written to {path}")

    def close(self) -> None:
        if not self.keep_work:
            shutil.rmtree(self.work, ignore_errors=True)


# --- machine --------------------------------------------------------------------------------------
def machine_info() -> dict[str, Any]:
    import sqlite3

    info: dict[str, Any] = {
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu_model": _cpu_model(),
        "memory_mb": _memory_mb(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "sqlite": sqlite3.sqlite_version,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
    }
    versions = {}
    for dist in ("SQLAlchemy", "openpyxl", "reportlab", "PySide6-Essentials", "cryptography"):
        try:
            from importlib.metadata import version

            versions[dist] = version(dist)
        except Exception:  # noqa: BLE001 - a missing distribution is simply not listed
            pass
    info["libraries"] = versions
    return info


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_mb() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return None


# --- the run --------------------------------------------------------------------------------------
def load_benchmarks() -> list[Bench]:
    from . import (  # noqa: F401 - registration by import
        bench_autosave, bench_bundle, bench_exports, bench_growth, bench_gui, bench_intake, bench_merge, bench_pdf,
        bench_ranking, bench_rounds, bench_follow_up,
    )

    return sorted(REGISTRY, key=lambda b: b.order)


def selected(bench: Bench, only: list[str]) -> bool:
    if not only:
        return True
    return any(o == bench.name or any(o == s.name for s in bench.specs) for o in only)


def implied_skips(benches: list[Bench], only: list[str]) -> list[str]:
    """The results ``only`` leaves out of the groups it names results of (not the groups it names)."""
    return [s.name for b in benches if b.name not in only and any(s.name in only for s in b.specs)
            for s in b.specs if s.name not in only]


def run_suite(scale: Scale, *, only: list[str] | None = None, out: Path | None = None, **ctx_kw: Any) -> dict:
    benches = load_benchmarks()
    only = list(only or [])
    known = {b.name for b in benches} | {s.name for b in benches for s in b.specs}
    unknown = [o for o in [*only, *ctx_kw.get("skip", ())] if o not in known]
    if unknown:
        raise SystemExit(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    # a result named by --only runs without the rest of its group (``--only growth_export`` does not
    # measure the import, merge and ranking growth first); a group named whole runs whole
    asked = frozenset(ctx_kw.get("skip", ()))  # (a group's name here skips it whole)
    ctx_kw["skip"] = (*asked, *implied_skips(benches, only))
    started = datetime.now(timezone.utc)
    machine = machine_info()
    progress(f"scale {scale.name}: {scale.note}")
    ctx = Context(scale, **ctx_kw)
    results: list[Result] = []
    try:
        for bench in benches:
            if not selected(bench, only):
                continue
            progress(f"{bench.name}: {bench.doc.splitlines()[0] if bench.doc else ''}")
            if bench.name in asked or all(s.name in ctx.skip for s in bench.specs):
                progress("  skipped on request (--skip)")
                results.extend(_grouped(s.skipped(), bench) for s in bench.specs)
                continue
            t0 = time.perf_counter()
            results.extend(_run_one(ctx, bench))
            progress(f"{bench.name}: done in {time.perf_counter() - t0:.1f} s")
    finally:
        ctx.close()
    doc = {
        "suite": "maeul-evaluator benchmarks (issue 9)",
        "format": 1,
        "date": started.isoformat(timespec="seconds"),
        "scale": scale.name,
        "scale_note": scale.note,
        "sizes": {k: v for k, v in scale.__dict__.items() if k not in ("name", "note")},
        "repetitions": ctx.reps,
        "machine": machine,
        "duration_s": round(time.perf_counter() - T0, 1),
        "benchmarks": [r.to_json() for r in results],
    }
    if hasattr(os, "getloadavg"):
        machine["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    if ctx.profiles:
        doc["profiles"] = ctx.profiles
    if ctx.skip:
        doc["skipped_on_request"] = sorted(ctx.skip)
    doc["summary"] = {
        status: sum(1 for r in doc["benchmarks"] if _bucket(r) == status)
        for status in ("passed", "failed", "not_available", "error", "skipped")
    }
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        progress(f"wrote {out}")
    return doc


def _bucket(r: dict) -> str:
    if r["status"] != "ok":
        return r["status"]
    return "passed" if r["pass"] else "failed"


def _run_one(ctx: Context, bench: Bench) -> list[Result]:
    try:
        missing = missing_methods(bench.requires)
    except Exception as exc:  # noqa: BLE001 - e.g. the core does not import at all
        traceback.print_exc(file=sys.stderr)
        reason = f"the core failed to import: {type(exc).__name__}: {exc}"
        return [_grouped(s.error(reason), bench) for s in bench.specs]
    if missing:
        reason = f"Store.{', Store.'.join(missing)} does not exist yet"
        progress(f"  not available: {reason}")
        return [_grouped(s.not_available(reason), bench) for s in bench.specs]
    try:
        produced = bench.func(ctx) or []
    except NotAvailable as exc:
        progress(f"  not available: {exc}")
        return [_grouped(s.not_available(str(exc)), bench) for s in bench.specs]
    except Exception as exc:  # noqa: BLE001 - reported in the JSON, never a number
        traceback.print_exc(file=sys.stderr)
        reason = f"{type(exc).__name__}: {exc}"
        return [_grouped(s.error(reason), bench) for s in bench.specs]
    by_name = {r.spec.name: r for r in produced}
    by_name.update({s.name: s.skipped() for s in bench.specs if s.name in getattr(ctx, "skip", ())})
    out = []
    for s in bench.specs:
        r = by_name.get(s.name) or s.error("the benchmark did not report this figure")
        out.append(_grouped(r, bench))
        if r.status == "ok":
            verdict = "PASS" if r.to_json()["pass"] else "FAIL"
            ratio = f" ratio {r.ratio:.2f}" if r.ratio is not None else ""
            progress(f"  {s.name}: app {r.app:.4g} {s.unit}, baseline "
                     f"{'-' if r.baseline is None else f'{r.baseline:.4g}'} {s.unit}{ratio} → {verdict} ({s.goal.text})")
        else:
            progress(f"  {s.name}: {r.status} — {r.reason}")
    return out


def _grouped(r: Result, bench: Bench) -> Result:
    r.group = bench.name
    return r
