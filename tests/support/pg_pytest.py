"""pytest plugin: a real PostgreSQL server for the run, a fresh database per test.

Load it from the top-level conftest with ``pytest_plugins = ["tests.support.pg_pytest"]``.

Fixtures:

* ``pg_server`` (session) -- one private server (``tests.support.pgserver.PostgresServer``)
  started on first use and stopped at the end of the run (also on Ctrl-C / SIGTERM).  With
  ``--pg-url URL`` or ``EVALUATOR_TEST_PG_URL=URL`` an existing server is used instead.
* ``pg_url`` (function) -- a new, uniquely named, empty UTF8 database on that server; yields its
  SQLAlchemy URL (``postgresql+psycopg://...``) and drops it after the test.
* :func:`pg_clone` -- a new database holding what a builder made (the demo, a signed-off round):
  built once per run into a template database, then copied per test by ``CREATE DATABASE …
  TEMPLATE`` (a demo built on the server takes seconds; a copy, a fraction of one).

When the server binaries are missing (and cannot be installed) the tests that need PostgreSQL are
skipped with one line saying why -- except under CI (``CI=true``/``CI=1``), where that is a
failure: CI must never silently skip the PostgreSQL tests.
"""

from __future__ import annotations

import os
import re
import signal
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.support.pgserver import (
    ExistingPostgres,
    PostgresError,
    PostgresServer,
    ensure_postgres_installed,
)

URL_ENV = "EVALUATOR_TEST_PG_URL"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("postgresql", "PostgreSQL test server")
    group.addoption(
        "--pg-url",
        dest="evaluator_pg_url",
        default=None,
        help=f"use this existing PostgreSQL server (SQLAlchemy URL; also ${URL_ENV}) instead of starting one",
    )


def _under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _unavailable(reason: str) -> None:
    """Skip (locally) or fail (under CI) every test that needs PostgreSQL."""
    if _under_ci():
        pytest.fail(f"PostgreSQL is required under CI but unavailable: {_one_line(reason)}", pytrace=False)
    pytest.skip(_one_line(reason))


def _install_sigterm_handler(server: PostgresServer) -> None:
    """A SIGTERM'd pytest (CI timeout, kill) would leave the server running: stop it first."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        return

    def _on_sigterm(signum, frame):  # noqa: ANN001
        try:
            server.stop()
        finally:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)

    signal.signal(signal.SIGTERM, _on_sigterm)


@pytest.fixture(scope="session")
def pg_server(request: pytest.FixtureRequest) -> Iterator[PostgresServer | ExistingPostgres]:
    """The PostgreSQL server of this run (private, or ``--pg-url``/``$EVALUATOR_TEST_PG_URL``)."""
    external = request.config.getoption("evaluator_pg_url", default=None) or os.environ.get(URL_ENV)
    if external:
        server = ExistingPostgres(external)
        try:
            server.check()
        except PostgresError as exc:
            # asked for explicitly, so never a silent skip
            pytest.fail(f"{URL_ENV}/--pg-url: {_one_line(exc)}", pytrace=False)
        yield server
        return

    available, reason = ensure_postgres_installed()
    if not available:
        _unavailable(reason)

    server = PostgresServer()
    previous_sigterm = signal.getsignal(signal.SIGTERM) if threading.current_thread() is threading.main_thread() else None
    try:
        try:
            server.start()
        except PostgresError as exc:
            # binaries are there but the server would not start: a real problem, never a skip
            pytest.fail(f"could not start the PostgreSQL test server: {exc}", pytrace=False)
        _install_sigterm_handler(server)
        yield server
    finally:
        server.stop()
        if previous_sigterm is not None:
            signal.signal(signal.SIGTERM, previous_sigterm)


def _database_name(test_name: str) -> str:
    stem = re.sub(r"[^a-z0-9]+", "_", test_name.lower()).strip("_")[:36]
    return f"t_{stem}_{uuid.uuid4().hex[:12]}"  # <= 63 bytes, lower case, no quoting surprises


@pytest.fixture
def pg_url(pg_server: PostgresServer | ExistingPostgres, request: pytest.FixtureRequest) -> Iterator[str]:
    """SQLAlchemy URL of a fresh, empty database created for this test (dropped afterwards)."""
    name = _database_name(request.node.name)
    url = pg_server.create_database(name)
    try:
        yield url
    finally:
        pg_server.drop_database(name)


@pytest.fixture(scope="session")
def _pg_templates(pg_server: PostgresServer | ExistingPostgres) -> Iterator[dict[str, tuple[str, Any]]]:
    """The template databases :func:`pg_clone` built this run (dropped at its end)."""
    built: dict[str, tuple[str, Any]] = {}
    yield built
    for name, _made in built.values():
        pg_server.drop_database(name)


def pg_clone(request: pytest.FixtureRequest, key: str, build: Callable[[str], Any]) -> tuple[str, Any]:
    """A fresh database for this test holding what ``build(url)`` makes, and what it returned.

    The first call of a run with ``key`` builds into a template database; every call copies it
    (dropped after the test). ``build`` must leave no connection open (close its ``Store``); what it
    returns (a key folder, say) is shared by every copy, so a test that writes into it copies it."""
    server = request.getfixturevalue("pg_server")
    built = request.getfixturevalue("_pg_templates")
    if key not in built:
        template = f"tmpl_{re.sub(r'[^a-z0-9]+', '_', key.lower())[:30]}_{uuid.uuid4().hex[:12]}"
        url = server.create_database(template)
        try:
            made = build(url)
        except BaseException:
            server.drop_database(template)
            raise
        built[key] = (template, made)
    template, made = built[key]
    name = _database_name(request.node.name)
    url = server.create_database(name, template=template)
    request.addfinalizer(lambda: server.drop_database(name))
    return url, made
