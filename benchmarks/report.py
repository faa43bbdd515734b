"""Render a benchmark JSON document as the Markdown table of docs/performance.md.

``python -m benchmarks.report [build/bench.json]`` prints the machine line and the table.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def fmt(v, unit: str = "") -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        text = f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}" if abs(v) < 10 else f"{v:.1f}"
    else:
        text = str(v)
    return f"{text} {unit}".strip()


def machine_line(doc: dict) -> str:
    m = doc["machine"]
    load = m.get("load_average_at_start")
    load_end = m.get("load_average_at_end")
    return (f"{doc['date']} · scale **{doc['scale']}** · {m.get('cpu_model', '?')}, {m['cpu_count']} CPUs, "
            f"{m.get('memory_mb', '?')} MB · Python {m['python']} · {m['platform']} · SQLite {m.get('sqlite')} · "
            f"load average {load[0] if load else '?'} at start, {load_end[0] if load_end else '?'} at end · "
            f"run took {doc['duration_s']:.0f} s")


def table(doc: dict) -> str:
    rows = ["| benchmark | app | baseline | ratio | goal | result |", "|---|---:|---:|---:|---|---|"]
    for b in doc["benchmarks"]:
        if b["status"] != "ok":
            result = f"{b['status'].replace('_', ' ')}: {b.get('reason', '')}"
            rows.append(f"| `{b['name']}` | — | — | — | {b['goal']} | {result} |")
            continue
        verdict = "**pass**" if b["pass"] else "**FAIL**"
        ratio = "—" if b["ratio"] is None else f"{b['ratio']:.2f}×"
        rows.append(f"| `{b['name']}` | {fmt(b['app'], b['unit'])} | {fmt(b['baseline'], b['unit'])} | {ratio} | "
                    f"{b['goal']} | {verdict} |")
    return "\n".join(rows)


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / "build" / "bench.json"
    text = path.read_text(encoding="utf-8")
    start = text.find("\n{") + 1 if not text.startswith("{") else 0  # make may echo its command first
    doc = json.loads(text[start:])
    print(machine_line(doc))
    print()
    print(table(doc))
    s = doc.get("summary", {})
    print()
    print(", ".join(f"{v} {k.replace('_', ' ')}" for k, v in s.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
