"""Running a document's examples exactly as written, in one folder, one block after another.

* a fenced ``sh`` block: each line is a command; ``evaluator …`` goes through the real command line
  (``evaluator.cli.main``), ``export NAME=VALUE`` sets a variable for the lines after it, anything
  else runs in bash; a line ending in ``# exit N`` must exit with N, every other line with 0;
* a fenced ``toml`` block whose info string names a file (```` ```toml file=calls/x.toml ````) is
  written to that file when the blocks before it have run — the file a reader would save.
"""

from __future__ import annotations

import re
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

from evaluator.cli import main

_FENCE = re.compile(r"^```([^\n]*)\n(.*?)^```", re.S | re.M)
_EXIT = re.compile(r"#\s*exit\s+(\d+)\s*$")


@dataclass
class Block:
    kind: str  # "sh" | "file"
    text: str
    path: str = ""

    @property
    def lines(self) -> list[str]:
        return [ln for ln in self.text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def blocks(text: str) -> list[Block]:
    out = []
    for info, body in _FENCE.findall(text):
        words = info.split()
        if words[:1] == ["sh"]:
            out.append(Block("sh", body))
        elif words[:1] == ["toml"]:
            target = next((w.split("=", 1)[1] for w in words[1:] if w.startswith("file=")), None)
            if target:
                out.append(Block("file", body, target))
    return out


def expected_exit(line: str) -> int:
    m = _EXIT.search(line)
    return int(m.group(1)) if m else 0


def run_line(line: str, cwd: Path, capsys, monkeypatch) -> tuple[int, str, str]:
    if line.startswith("export "):  # the shell keeps it for the next lines; so does this runner
        name, _, value = line[len("export "):].partition("=")
        monkeypatch.setenv(name, shlex.split(value)[0])
        return 0, "", ""
    if line.startswith("evaluator "):
        argv = shlex.split(line, comments=True)[1:]
        code = main(argv)
        out, err = capsys.readouterr()
        return code, out, err
    proc = subprocess.run(["bash", "-c", line], cwd=cwd, capture_output=True, text=True)
    return proc.returncode, proc.stdout, proc.stderr


def write_file(block: Block, cwd: Path) -> None:
    path = cwd / block.path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(block.text, encoding="utf-8")
