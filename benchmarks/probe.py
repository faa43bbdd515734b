"""Child-process probes for peak memory (``python -m benchmarks.probe KIND ARGS…``).

Method, the same for app and baseline: import everything the operation needs, open what it needs
(the store, the workbook path), then reset the kernel's peak-RSS mark (``/proc/self/clear_refs``
← 5, Linux ≥ 4.0), run the operation once, and report ``VmHWM − RSS before`` — the memory the
operation itself added at its peak, C allocations (SQLite, expat) included.  Where the reset is not
available, ``ru_maxrss`` is used instead (the peak over the process life) and ``reset`` says so.
With ``BENCH_TRACEMALLOC=1`` the same operation runs under :mod:`tracemalloc` instead and the
peak of Python allocations during it is reported (independent of how much freed heap the process
had to reuse; C allocations such as SQLite's page cache are not traced).  Prints one JSON line.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def _status_kb(key: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def measure(op) -> dict:
    import gc
    import os

    if os.environ.get("BENCH_TRACEMALLOC") == "1":
        import tracemalloc

        gc.collect()
        tracemalloc.start()
        t0 = time.perf_counter()
        result = op()
        elapsed = time.perf_counter() - t0
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return {"traced_peak_mb": peak / 2**20, "elapsed_s": elapsed, "result": result}
    gc.collect()
    before = _status_kb("VmRSS")
    reset = _reset_peak()
    t0 = time.perf_counter()
    result = op()
    elapsed = time.perf_counter() - t0
    peak = _status_kb("VmHWM") if reset else None
    if peak is None or before is None:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        before = before or 0
    return {"rss_before_mb": before / 1024, "peak_mb": peak / 1024, "added_mb": (peak - before) / 1024,
            "elapsed_s": elapsed, "reset": reset, "result": result}


def _preload() -> None:
    """Import what either side uses before measuring, so module code is never counted."""
    import openpyxl  # noqa: F401
    import openpyxl.reader.excel  # noqa: F401
    import openpyxl.worksheet._read_only  # noqa: F401


def intake_app(xlsx: str, db: str) -> dict:
    from evaluator.store import Store

    _preload()

    from .bench_intake import import_applications

    store = Store(db)
    return measure(lambda: import_applications(store, xlsx))


def intake_baseline(xlsx: str) -> dict:
    from .bench_intake import bare_read

    _preload()
    return measure(lambda: bare_read(xlsx))


def ranking_app(db: str, n: str) -> dict:
    from evaluator.store import Store

    from .bench_ranking import rank
    from .data import sqlite_url

    store = Store(sqlite_url(Path(db)))
    store.ranking.settings()  # the database opened (and its schema checked) before the mark
    return measure(lambda: len(rank(store, int(n)).all_rows()))


def ranking_baseline(db: str) -> dict:
    from .bench_ranking import bare_ranking

    return measure(lambda: len(bare_ranking(db)))


PROBES = {"intake-app": intake_app, "intake-baseline": intake_baseline, "ranking-app": ranking_app,
          "ranking-baseline": ranking_baseline}


def main(argv: list[str]) -> int:
    kind, *args = argv
    out = PROBES[kind](*args)
    print(json.dumps(out, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
