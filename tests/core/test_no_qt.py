"""The core never imports Qt: every module imports in a process where PySide6 cannot be imported."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import textwrap

import evaluator


def test_every_core_module_imports_with_qt_unimportable():
    modules = sorted(m.name for m in pkgutil.walk_packages(evaluator.__path__, "evaluator.")
                     if ".migrations" not in m.name and not m.name.endswith("__main__"))
    assert len(modules) > 10
    code = textwrap.dedent(f"""
        import importlib, importlib.abc, sys
        class Block(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ("PySide6", "shiboken6"):
                    raise ImportError("Qt is not available here")
        sys.meta_path.insert(0, Block())
        for name in {modules!r}:
            importlib.import_module(name)
        assert not any(m.split(".")[0] in ("PySide6", "shiboken6", "ui") for m in sys.modules), "Qt leaked in"
        print("ok", len({modules!r}))
    """)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("ok")


def test_ui_never_imports_sqlalchemy_directly():
    from pathlib import Path

    ui = Path(evaluator.__file__).resolve().parent.parent / "ui"
    offenders = [p.name for p in ui.rglob("*.py")
                 if any(line.lstrip().startswith(("import sqlalchemy", "from sqlalchemy"))
                        for line in p.read_text(encoding="utf-8").splitlines())]
    assert offenders == []


#: the core modules the desktop app may import: the façade, the workflows above it, and plain values
UI_PUBLIC = {
    "evaluator", "evaluator.store", "evaluator.workflows", "evaluator.domain", "evaluator.errors",
    "evaluator.changes", "evaluator.jobs", "evaluator.paths", "evaluator.version", "evaluator.heap",
    "evaluator.demo", "evaluator.ranking.labels", "evaluator.awards.model", "evaluator.messages",
}


def _is_module(name: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, AttributeError, ValueError):
        return False


def test_the_desktop_app_imports_only_the_public_core_modules():
    import ast
    from pathlib import Path

    ui = Path(evaluator.__file__).resolve().parent.parent / "ui"
    used: dict[str, set[str]] = {}
    for p in ui.rglob("*.py"):
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                # ``from evaluator.ranking import labels`` imports the module evaluator.ranking.labels
                names = [f"{node.module}.{a.name}" if _is_module(f"{node.module}.{a.name}") else node.module
                         for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for n in names:
                if n == "evaluator" or n.startswith("evaluator."):
                    used.setdefault(n, set()).add(p.name)
    assert used, "the desktop app imports nothing of the core?"
    assert {m: sorted(f) for m, f in used.items() if m not in UI_PUBLIC} == {}
