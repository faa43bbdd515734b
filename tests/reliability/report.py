"""Print the figures of a reliability run as the Markdown table kept in docs/reliability.md.

    python -m tests.reliability.report build/reliability.jsonl
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict


def table(lines: list[dict]) -> str:
    rows: dict[str, dict] = defaultdict(lambda: {"trials": 0, "inputs": 0, "failures": 0, "extra": defaultdict(int)})
    for d in lines:
        r = rows[d["check"]]
        r["trials"] += int(d.get("trials", 0))
        r["inputs"] += int(d.get("inputs", 0))
        r["failures"] += int(d.get("failures", 0))
        for k, v in d.items():
            if k not in ("check", "trials", "inputs", "failures") and isinstance(v, int):
                r["extra"][k] += v
    out = ["| check | trials | inputs | failures | notes |", "| --- | ---: | ---: | ---: | --- |"]
    for check, r in rows.items():
        notes = ", ".join(f"{k} {v:,}" for k, v in r["extra"].items())
        out.append(f"| {check} | {r['trials']:,} | {r['inputs']:,} | {r['failures']} | {notes} |")
    total = sum(r["trials"] for r in rows.values())
    out.append(f"\n{len(rows)} checks, {total:,} trials, failures: {sum(r['failures'] for r in rows.values())}")
    return "\n".join(out)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        with open(argv[0], encoding="utf-8") as fh:
            lines = [json.loads(x) for x in fh if x.strip()]
    except FileNotFoundError:
        print(f"{argv[0]}: no figures (did the run record any?)", file=sys.stderr)
        return 1
    print(table(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
