"""Shared fixtures.

* Every test gets its own data and log directory (nothing touches the user's real data).
* ``EVALUATOR_BLOCK_QT=1`` makes PySide6 unimportable: ``make test`` runs ``tests/core`` that way,
  which proves the core never needs Qt.
* Databases are real: SQLite files in a temporary directory, and a real PostgreSQL server started
  by the run (``tests/support/pg_pytest.py``).  The demo database is built once per run and copied
  per test.
"""

from __future__ import annotations

import importlib.abc
import os
import shutil
import sys

import pytest

if os.environ.get("EVALUATOR_BLOCK_QT") == "1":

    class _BlockQt(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):  # noqa: ANN001
            if name.split(".")[0] in {"PySide6", "shiboken6", "pytestqt"}:
                raise ImportError(f"{name} is blocked: the core must work without Qt")
            return None

    sys.meta_path.insert(0, _BlockQt())

pytest_plugins = ["tests.support.pg_pytest"]


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path, monkeypatch):
    data = tmp_path / "userdata"
    data.mkdir()
    monkeypatch.setenv("EVALUATOR_DATA_DIR", str(data))
    monkeypatch.setenv("EVALUATOR_LOG_DIR", str(data / "logs"))
    monkeypatch.delenv("EVALUATOR_DB", raising=False)
    monkeypatch.delenv("EVALUATOR_PASSPHRASE", raising=False)
    return data


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    """A demo database (with finalised evaluations), built once per run."""
    from evaluator.demo import build_demo
    from evaluator.store import Store

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    with Store(f"sqlite:///{path}") as st:
        build_demo(st)
    return path


@pytest.fixture(scope="session")
def demo_before_visits_template(tmp_path_factory):
    from evaluator.demo import build_demo
    from evaluator.store import Store

    path = tmp_path_factory.mktemp("demo_bv") / "demo.sqlite3"
    with Store(f"sqlite:///{path}") as st:
        build_demo(st, before_visits=True)
    return path


def _copy_db(src, dst_dir):
    dst = dst_dir / src.name
    shutil.copyfile(src, dst)
    return dst


@pytest.fixture
def demo_path(demo_template, tmp_path):
    return _copy_db(demo_template, tmp_path)


@pytest.fixture
def demo_store(demo_path):
    from evaluator.store import Store

    st = Store(f"sqlite:///{demo_path}")
    yield st
    st.close()


@pytest.fixture
def demo_before_visits_store(demo_before_visits_template, tmp_path):
    from evaluator.store import Store

    st = Store(f"sqlite:///{_copy_db(demo_before_visits_template, tmp_path)}")
    yield st
    st.close()


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_db_url(request, tmp_path):
    """Run the test once on a fresh SQLite file and once on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'any.sqlite3'}"
    return request.getfixturevalue("pg_url")
