"""The PostgreSQL test harness itself: a real server, UTF8, one fresh database per test."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

pytestmark = pytest.mark.postgres

HANGUL = "마을공동체"


def _engine(url: str) -> sa.Engine:
    assert url.startswith("postgresql+psycopg://")
    return sa.create_engine(url, poolclass=sa.pool.NullPool)


def test_roundtrip_hangul_on_utf8_server(pg_url):
    engine = _engine(pg_url)
    try:
        with engine.begin() as conn:
            assert conn.execute(sa.text("SHOW server_encoding")).scalar_one() == "UTF8"
            conn.execute(sa.text("CREATE TABLE village (id serial PRIMARY KEY, name text NOT NULL)"))
            conn.execute(sa.text("INSERT INTO village (name) VALUES (:name)"), {"name": HANGUL})
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT name FROM village")).scalar_one() == HANGUL
            assert conn.execute(sa.text("SELECT length(name) FROM village")).scalar_one() == len(HANGUL)
            assert conn.execute(sa.text("SELECT name FROM village WHERE name LIKE '마을%'")).scalar_one() == HANGUL
    finally:
        engine.dispose()


@pytest.fixture
def second_pg_url(pg_server):
    name = f"harness_second_{uuid.uuid4().hex[:12]}"
    yield pg_server.create_database(name)
    pg_server.drop_database(name)


def test_pg_url_databases_are_independent(pg_url, second_pg_url):
    assert pg_url != second_pg_url
    first, second = _engine(pg_url), _engine(second_pg_url)
    try:
        with first.begin() as conn:
            conn.execute(sa.text("CREATE TABLE only_here (x int)"))
            conn.execute(sa.text("INSERT INTO only_here VALUES (1)"))
        with second.connect() as conn:
            assert not sa.inspect(conn).has_table("only_here")
            assert sa.inspect(conn).get_table_names() == []
        with first.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM only_here")).scalar_one() == 1
    finally:
        first.dispose()
        second.dispose()


def test_each_test_starts_with_an_empty_database(pg_url):
    engine = _engine(pg_url)
    try:
        with engine.connect() as conn:
            assert sa.inspect(conn).get_table_names() == []
    finally:
        engine.dispose()


def test_drop_database_disconnects_leftover_connections(pg_server):
    name = f"harness_leftover_{uuid.uuid4().hex[:12]}"
    url = pg_server.create_database(name)
    engine = sa.create_engine(url)  # pooled: keeps its connection open after use
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        pg_server.drop_database(name)  # must not fail with "being accessed by other users"
    finally:
        engine.dispose()
