"""``python -m benchmarks --scale quick|full [--only NAME …]`` — see docs/performance.md."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .data import DEFAULT_DATA_DIR, ROOT
from .harness import SCALES, load_benchmarks, run_suite


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description="Maeul Evaluator benchmark suite (issue 9)")
    p.add_argument("--scale", choices=sorted(SCALES), default="quick",
                   help="full = the sizes of issue 9; quick = smaller, under two minutes (default)")
    p.add_argument("--only", nargs="+", metavar="NAME", default=[],
                   help="run only these groups or results (see --list)")
    p.add_argument("--list", action="store_true", help="list the benchmark groups and their results, then exit")
    p.add_argument("--reps", type=int, help="repetitions (best of N) instead of the scale's default")
    p.add_argument("--out", type=Path, default=ROOT / "build" / "bench.json",
                   help="where to write the JSON document (default build/bench.json)")
    p.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR,
                   help="cache of generated data (default build/bench-data)")
    p.add_argument("--profile", nargs="+", metavar="NAME", default=[],
                   help="also run the app side of these results once under cProfile (build/bench-profiles/); "
                        "'all' for every one")
    p.add_argument("--skip", nargs="+", metavar="NAME", default=[],
                   help="do not measure these groups or results (reported as 'skipped'), e.g. growth_export "
                        "at full scale, whose 100k side writes 3 million score rows")
    p.add_argument("--keep-work", action="store_true", help="keep the temporary work directory (build/bench-work)")
    args = p.parse_args(argv)
    if args.list:
        for b in load_benchmarks():
            needs = f"  [needs Store.{', Store.'.join(b.requires)}]" if b.requires else ""
            print(f"{b.name}{needs}")
            for s in b.specs:
                print(f"    {s.name:28} {s.goal.text}")
        return 0
    doc = run_suite(SCALES[args.scale], only=args.only, out=args.out, data_dir=args.data_dir, reps=args.reps,
                    profile=tuple(args.profile), keep_work=args.keep_work, skip=tuple(args.skip))
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
