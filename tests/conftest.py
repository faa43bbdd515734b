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

# ``EVALUATOR_TEST_ENCRYPTED=1`` (``make test-encrypted``) runs the suite with every SQLite database
# the app creates encrypted at rest (SQLCipher): each Store opens new and encrypted files with this
# passphrase, plain files (committed fixtures) as they are.  Tests that read a database file with the
# plain ``sqlite3`` driver on purpose are marked ``plain_sqlite`` and skipped in that mode.
TEST_PASSPHRASE = "test suite's encryption passphrase"
ENCRYPTED_RUN = os.environ.get("EVALUATOR_TEST_ENCRYPTED") == "1"

if ENCRYPTED_RUN:
    import evaluator.uow as _store_module  # where the Store makes its engine
    from evaluator.db import encryption as _encryption
    from evaluator.db.engine import make_engine as _plain_make_engine
    from evaluator.db.engine import parse_url as _parse_url
    from evaluator.db.engine import sqlite_path as _sqlite_path

    def _encrypting_make_engine(url, *, echo=False, passphrase=None):
        if passphrase is None:
            path = _sqlite_path(_parse_url(url) if isinstance(url, str) else url)
            if path is not None and not _encryption.is_plain_sqlite(path):
                passphrase = TEST_PASSPHRASE
        return _plain_make_engine(url, echo=echo, passphrase=passphrase)

    _store_module.make_engine = _encrypting_make_engine


def pytest_collection_modifyitems(config, items):
    if not ENCRYPTED_RUN:
        return
    skip = pytest.mark.skip(reason="reads the database file with the plain sqlite3 driver (EVALUATOR_TEST_ENCRYPTED)")
    for item in items:
        if "plain_sqlite" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path, monkeypatch):
    data = tmp_path / "userdata"
    data.mkdir()
    monkeypatch.setenv("EVALUATOR_DATA_DIR", str(data))
    monkeypatch.setenv("EVALUATOR_LOG_DIR", str(data / "logs"))
    monkeypatch.delenv("EVALUATOR_DB", raising=False)
    monkeypatch.delenv("EVALUATOR_PASSPHRASE", raising=False)
    # the command line's messages follow the locale: the tests read them in English, whatever the
    # machine's locale (tests of the language set it themselves)
    monkeypatch.setenv("EVALUATOR_LANG", "en")
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):  # and the desktop app starts in its default, Korean
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    if ENCRYPTED_RUN:  # the CLI (also in subprocesses) opens encrypted databases with it
        monkeypatch.setenv("EVALUATOR_DB_PASSPHRASE", TEST_PASSPHRASE)
    else:
        monkeypatch.delenv("EVALUATOR_DB_PASSPHRASE", raising=False)
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
