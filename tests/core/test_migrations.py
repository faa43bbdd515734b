"""Migrations and models agree: a database upgraded from the oldest fixture has exactly the schema
that a new database gets (no model change without its migration), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

import shutil
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

from evaluator.db import migrate
from evaluator.db.models import Base
from evaluator.store import Store

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "db" / "schema-0001-demo.sqlite3"


def _diffs(url: str) -> list:
    migrate.load_all_models()
    eng = create_engine(url)
    try:
        with eng.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            return compare_metadata(ctx, Base.metadata)
    finally:
        eng.dispose()


def test_upgraded_fixture_has_the_same_schema_as_a_new_database(tmp_path):
    work = tmp_path / "old.sqlite3"
    shutil.copyfile(FIXTURE, work)
    with Store(f"sqlite:///{work}") as st:
        assert st.schema.revision == migrate.head_revision()
    assert _diffs(f"sqlite:///{work}") == []


@pytest.mark.plain_sqlite
def test_new_database_matches_the_models_on_both_engines(any_db_url):
    with Store(any_db_url) as st:
        assert st.info().schema_revision == migrate.head_revision()
    assert _diffs(any_db_url) == []


def test_migration_chain_is_linear():
    assert len(migrate.known_revisions()) >= 2
    migrate.head_revision()  # asserts a single head
