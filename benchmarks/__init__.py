"""The benchmark suite (issue 9): every headline figure as a ratio against the bare library.

Run ``python -m benchmarks --scale quick|full [--only NAME …]`` (``make bench-quick`` /
``make bench``).  Progress goes to stderr; the last thing on stdout is ONE JSON document, also
written to ``build/bench.json``.  See ``docs/performance.md`` for the figures and how to read them.

Layout:

* :mod:`benchmarks.harness` — scales, the registry, timing (best of N), subprocess probes, the
  JSON document;
* :mod:`benchmarks.data` — the deterministic program generator (rubric TOML, intake xlsx, SQLite
  database, result packages), cached under ``build/bench-data/`` per size;
* ``benchmarks/bench_*.py`` — one module per area; a benchmark whose feature is not in the core
  yet reports ``status: "not_available"`` with the reason, never a number;
* :mod:`benchmarks.probe` and :mod:`benchmarks.gui_probe` — the code run in child processes
  (peak memory, whole-process GUI start, GUI-thread stalls).
"""
