"""The benchmark harness cannot silently rot: run it end to end at a tiny scale and check its output.

Only the harness is tested here (the shape of the JSON document, not-available reporting); the
figures themselves are meaningless at this scale and never asserted (performance lives in the
benchmark suite, not in tests).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RESULT_KEYS = {"name", "group", "title", "status", "unit", "app", "baseline", "ratio", "goal", "goal_kind",
               "goal_limit", "pass"}


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bench")
    out = tmp / "bench.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--scale", "tiny", "--only", "autosave", "ranking",
         "--data-dir", str(tmp / "data"), "--out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    return proc, out


def test_prints_one_json_document_and_writes_it(bench_run):
    proc, out = bench_run
    assert proc.returncode == 0, proc.stderr[-2000:]
    printed = json.loads(proc.stdout)  # stdout is exactly one JSON document; progress went to stderr
    assert "[bench" in proc.stderr
    assert json.loads(out.read_text(encoding="utf-8")) == printed


def test_document_shape(bench_run):
    _proc, out = bench_run
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["scale"] == "tiny"
    assert {"cpu_count", "python", "platform"} <= set(doc["machine"])
    assert doc["date"][:2] == "20"
    names = [b["name"] for b in doc["benchmarks"]]
    assert names == ["autosave", "ranking", "ranking_large", "ranking_memory"]
    for b in doc["benchmarks"]:
        assert RESULT_KEYS <= set(b), b
        assert b["status"] in ("ok", "not_available", "error"), b
        if b["status"] == "ok":
            assert b["app"] > 0 and b["baseline"] > 0
            assert b["ratio"] == pytest.approx(b["app"] / b["baseline"], rel=0.01)
            assert isinstance(b["pass"], bool)
        else:
            assert b["reason"] and b["app"] is None and b["pass"] is None
    assert sum(doc["summary"].values()) == len(doc["benchmarks"])


def test_a_missing_feature_is_reported_not_faked():
    from benchmarks.harness import SCALES, Bench, Context, Spec, _run_one, ratio_goal

    spec = Spec("imaginary", "A feature nobody built", "s", ratio_goal(2.0, "≤ 2×"))
    bench = Bench("imaginary", 1, (spec,), ("no_such_method_yet",), lambda ctx: [spec.result(1.0, 1.0)], "")
    ctx = Context.__new__(Context)  # _run_one never touches the context when a method is missing
    ctx.scale = SCALES["tiny"]
    [r] = _run_one(ctx, bench)
    doc = r.to_json()
    assert doc["status"] == "not_available"
    assert "Store.no_such_method_yet" in doc["reason"]
    assert doc["app"] is None and doc["ratio"] is None and doc["pass"] is None


def test_a_result_named_alone_runs_without_the_rest_of_its_group(tmp_path):
    """``--only growth_ranking`` must not spend minutes measuring the import, merge and export
    growth beside it (nor take its figure in a process they filled)."""
    out = tmp_path / "bench.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--scale", "tiny", "--only", "growth_ranking",
         "--data-dir", str(tmp_path / "data"), "--out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    status = {b["name"]: b["status"] for b in json.loads(out.read_text(encoding="utf-8"))["benchmarks"]}
    assert status == {"growth_import": "skipped", "growth_merge": "skipped", "growth_ranking": "ok",
                      "growth_export": "skipped"}
    measured = {line.split("]")[1].split("@")[0].strip() for line in proc.stderr.splitlines() if " rep " in line}
    assert measured == {"ranking"}  # no import, merge or export was run

    from benchmarks.harness import implied_skips, load_benchmarks

    benches = load_benchmarks()
    assert implied_skips(benches, ["growth_export"]) == ["growth_import", "growth_merge", "growth_ranking"]
    assert implied_skips(benches, ["growth"]) == []  # a group named whole runs whole
    assert implied_skips(benches, ["growth", "growth_export"]) == []


def test_growth_compares_the_best_of_as_many_runs_on_each_side():
    """The best of three runs is lower than the best of one by the run-to-run spread: a growth
    figure of one large run against the best of three small ones would be tilted up."""
    from benchmarks.bench_growth import matched
    from benchmarks.harness import Timing

    small = Timing(0.9, [1.2, 0.9, 1.0], [1.1, 0.8, 0.95])
    assert matched(small, 1) == Timing(1.2, [1.2], [1.1])
    assert matched(small, 2) == Timing(0.9, [1.2, 0.9], [1.1, 0.8])
    assert matched(small, 3) is small and matched(small, 5) is small
