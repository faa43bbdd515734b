"""Issue 8: the bundled app's start to the main window shown ≤ 1.5× the same start from source.

Both are whole-process starts measured the same way by ``installer/startup_time.py`` (the same
entry script, a clean environment, offscreen, medians of alternating runs after a warm-up).  The
bundle must be built first (``make installer``): without ``dist/maeul-evaluator`` the result is
reported as not available, never as a pass.
"""

from __future__ import annotations

import importlib.util

from .data import ROOT
from .harness import Context, Spec, benchmark, progress, ratio_goal

BUNDLE = ROOT / "dist" / "maeul-evaluator"

SPEC = Spec(
    "bundle_start", "Installer bundle: start to the main window shown (offscreen, demo database)", "s",
    ratio_goal(1.5, "≤ 1.5× the same start from source (issue 8)"),
    app_label="dist/maeul-evaluator/evaluator-gui --demo (median)",
    baseline_label="python installer/launcher.py gui --demo from source (median)",
)


def _startup_time():
    spec = importlib.util.spec_from_file_location("startup_time", ROOT / "installer" / "startup_time.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


@benchmark("bundle", order=95, specs=[SPEC])
def run(ctx: Context):
    """Bundle start vs source start (needs `make installer` first)."""
    if not (BUNDLE / "evaluator-gui").exists() and not (BUNDLE / "evaluator-gui.exe").exists():
        return [SPEC.not_available(f"{BUNDLE} is not built: run 'make installer' first")]
    runs = 3 if ctx.scale.name == "quick" else 5
    progress(f"bundle start: {runs} runs each from source and from the bundle")
    figures = _startup_time().measure(BUNDLE, runs=runs)
    gui = figures["gui"]
    result = SPEC.result(gui["bundle_s"], gui["source_s"],
                         samples={"app": gui["bundle_all"], "baseline": gui["source_all"]},
                         notes=f"{runs} runs each, medians; CLI 'info' start: "
                               f"{figures['cli']['bundle_s']} s vs {figures['cli']['source_s']} s")
    if "gui_cpu" in figures:  # CPU seconds of the GUI process: steadier on a shared machine
        cpu = figures["gui_cpu"]
        result.figures.update(app_cpu_s=cpu["bundle_s"], baseline_cpu_s=cpu["source_s"], cpu_ratio=cpu["ratio"])
    return [result]
