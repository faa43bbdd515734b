"""Start-up time of the bundled app against the same start from source (issue 8: ≤ 1.5×).

    python installer/startup_time.py [--bundle dist/maeul-evaluator] [--runs 5] [--json] [--max-ratio 1.5]

Both are whole-process starts measured the same way, from the same entry script
(``installer/launcher.py``) and in the same clean environment (temporary HOME and
EVALUATOR_DATA_DIR holding a ready demo database, cwd outside the checkout, QT_QPA_PLATFORM
offscreen unless ``--platform`` says otherwise):

* source: ``<venv python> installer/launcher.py gui --demo``
* bundle: ``dist/maeul-evaluator/evaluator-gui --demo``

``gui``: from spawning the process to the main window's first paint (the launcher's
EVALUATOR_STARTUP_PROBE writes the time and quits); ``gui_exit``: until the process has exited;
``gui_cpu``: CPU seconds (user + system) of that GUI process — steadier than wall time on a busy
machine (Unix only); ``cli``: ``evaluator info --json`` on the demo database, spawn to exit.  Runs alternate source and
bundle after one warm-up each (so both read from a warm disk cache); medians are reported.

The benchmark suite calls :func:`measure`; exit status 1 with ``--max-ratio`` when the GUI ratio
exceeds it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAUNCHER = ROOT / "installer" / "launcher.py"
DEFAULT_BUNDLE = ROOT / "dist" / "maeul-evaluator"
LIMIT = 1.5


def _env(tmp: Path, platform: str) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp / "home"),
        "LANG": "C.UTF-8",
        "TMPDIR": str(tmp),
        "EVALUATOR_DATA_DIR": str(tmp / "data"),
        "QT_QPA_PLATFORM": platform,
    }
    for keep in ("DISPLAY", "WAYLAND_DISPLAY", "XDG_RUNTIME_DIR", "SYSTEMROOT", "WINDIR"):
        if keep in os.environ:  # a real display (--platform xcb) and what Windows needs to run anything
            env[keep] = os.environ[keep]
    return env


def _children_cpu() -> float:
    """CPU seconds (user + system) used so far by waited-for child processes (0 where unknown)."""
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def _time_gui(cmd: list[str], env: dict[str, str], cwd: Path, probe: Path) -> tuple[float, float, float]:
    probe.unlink(missing_ok=True)
    cpu0 = _children_cpu()
    t0 = time.time()
    proc = subprocess.run(cmd, env={**env, "EVALUATOR_STARTUP_PROBE": str(probe)}, cwd=cwd,
                          capture_output=True, text=True, timeout=300)
    t_exit = time.time() - t0
    cpu = _children_cpu() - cpu0
    if proc.returncode != 0 or not probe.exists():
        raise RuntimeError(f"{cmd[0]} did not show its window and exit cleanly "
                           f"(exit {proc.returncode}): {proc.stderr.strip()[-400:]}")
    return json.loads(probe.read_text())["shown"] - t0, t_exit, cpu


def _time_cli(cmd: list[str], env: dict[str, str], cwd: Path) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=300)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed (exit {proc.returncode}): {proc.stderr.strip()[-400:]}")
    return elapsed


def measure(bundle: Path = DEFAULT_BUNDLE, runs: int = 5, python: str = sys.executable,
            platform: str = "offscreen") -> dict:
    """Median start-up times (seconds) from source and from the bundle, and their ratios."""
    exe = ".exe" if sys.platform == "win32" else ""
    gui_bundle, cli_bundle = bundle / f"evaluator-gui{exe}", bundle / f"evaluator{exe}"
    if not gui_bundle.exists():
        raise FileNotFoundError(f"{gui_bundle} not found: build the bundle first (make installer)")
    with tempfile.TemporaryDirectory(prefix="evaluator-startup-") as t:
        tmp = Path(t)
        for d in ("home", "data", "work"):
            (tmp / d).mkdir()
        env, cwd, probe = _env(tmp, platform), tmp / "work", tmp / "shown.json"
        db = "sqlite:///" + (tmp / "data" / "demo.sqlite3").as_posix()
        commands = {
            "source": {"gui": [python, str(LAUNCHER), "gui", "--demo"],
                       "cli": [python, str(LAUNCHER), "cli", "info", "--json", "--db", db]},
            "bundle": {"gui": [str(gui_bundle), "--demo"],
                       "cli": [str(cli_bundle), "info", "--json", "--db", db]},
        }
        # the demo database the GUI opens with --demo, made once (not part of any timing)
        subprocess.run([python, str(LAUNCHER), "cli", "demo", "--db", db], env=env, cwd=cwd, check=True,
                       capture_output=True)
        times = {side: {"gui": [], "gui_exit": [], "gui_cpu": [], "cli": []} for side in commands}
        for side in commands:  # warm-up: disk cache, Python byte-code caches, fontconfig cache
            _time_gui(commands[side]["gui"], env, cwd, probe)
            _time_cli(commands[side]["cli"], env, cwd)
        for _ in range(runs):
            for side, cmd in commands.items():
                shown, exited, cpu = _time_gui(cmd["gui"], env, cwd, probe)
                times[side]["gui"].append(shown)
                times[side]["gui_exit"].append(exited)
                times[side]["gui_cpu"].append(cpu)
                times[side]["cli"].append(_time_cli(cmd["cli"], env, cwd))
    result: dict = {"runs": runs, "platform": platform, "limit": LIMIT, "bundle": str(bundle)}
    for what in ("gui", "gui_exit", "gui_cpu", "cli"):
        src = statistics.median(times["source"][what])
        bun = statistics.median(times["bundle"][what])
        if not src:  # gui_cpu where the OS does not report it
            continue
        result[what] = {"source_s": round(src, 3), "bundle_s": round(bun, 3), "ratio": round(bun / src, 3),
                        "source_all": [round(x, 3) for x in times["source"][what]],
                        "bundle_all": [round(x, 3) for x in times["bundle"][what]]}
    result["ok"] = result["gui"]["ratio"] <= LIMIT
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="start-up time: bundled app vs. the same start from source")
    p.add_argument("--bundle", type=Path, default=DEFAULT_BUNDLE, help="the one-folder bundle (default: %(default)s)")
    p.add_argument("--runs", type=int, default=5, help="timed runs per side after one warm-up (default: 5)")
    p.add_argument("--python", default=sys.executable, help="interpreter for the source start (default: this one)")
    p.add_argument("--platform", default="offscreen", help="QT_QPA_PLATFORM (default: offscreen)")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.add_argument("--max-ratio", type=float, default=None, help="exit 1 if bundle/source GUI start exceeds this")
    args = p.parse_args(argv)
    res = measure(args.bundle, args.runs, args.python, args.platform)
    if args.json:
        print(json.dumps(res, indent=2))
    else:
        labels = {"gui": "GUI: start → main window painted", "gui_exit": "GUI: start → window shown → exit",
                  "gui_cpu": "GUI: CPU time, start → exit", "cli": "CLI: evaluator info --json"}
        print(f"median of {res['runs']} runs each (QT_QPA_PLATFORM={res['platform']})")
        for what, label in labels.items():
            if what not in res:
                continue
            r = res[what]
            print(f"  {label:<36} source {r['source_s']:6.3f} s   bundle {r['bundle_s']:6.3f} s   ratio {r['ratio']:.2f}")
        print(f"limit: bundle ≤ {LIMIT}× source for the GUI start → {'OK' if res['ok'] else 'TOO SLOW'}")
    if args.max_ratio is not None and res["gui"]["ratio"] > args.max_ratio:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
