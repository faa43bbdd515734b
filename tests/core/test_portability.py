"""The test suite imports on Windows: nothing at module level needs a POSIX-only module (pwd,
grp, resource, fcntl, termios) — checked here by collecting the suite with those modules made
unimportable, as they are on Windows (the PostgreSQL harness imported ``pwd`` unconditionally)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
POSIX_ONLY = ("pwd", "grp", "resource", "fcntl", "termios")

CHILD = f"""
import sys
for name in {POSIX_ONLY!r}:
    sys.modules[name] = None  # what Windows has of them
import pytest
sys.exit(pytest.main(["--collect-only", "-q", "-p", "no:cacheprovider", "-p", "no:pytest-qt",
                      "tests/core", "tests/reliability"]))
"""


def test_the_suite_collects_without_posix_only_modules():
    env = {**os.environ, "EVALUATOR_BLOCK_QT": "1"}
    r = subprocess.run([sys.executable, "-c", CHILD], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    assert "error" not in r.stdout.lower().split("collected")[-1], r.stdout[-2000:]
    assert " tests collected" in r.stdout or " test collected" in r.stdout
