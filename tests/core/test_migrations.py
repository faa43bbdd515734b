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


def _audit_indexes(conn) -> dict[str, list]:
    from sqlalchemy import inspect

    insp = inspect(conn)
    # (PostgreSQL also lists the index behind each unique constraint)
    return {"indexes": sorted(i["name"] for i in insp.get_indexes("audit_event") if not i.get("duplicates_constraint")),
            "unique": sorted(u["name"] for u in insp.get_unique_constraints("audit_event"))}


@pytest.mark.plain_sqlite
def test_0003_drops_the_audit_indexes_keeps_every_entry_and_goes_back(any_db_url):
    """Revision 0003 (audit_event without secondary indexes) on both engines: up from 0002 with
    every entry and the chain intact, and down again with the indexes restored."""
    from alembic import command
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from evaluator import audit
    from evaluator.db.models import AuditEvent

    migrate.load_all_models()
    cfg = migrate.alembic_config()
    eng = create_engine(any_db_url)

    def alembic(fn, target):
        with eng.begin() as conn:
            cfg.attributes["connection"] = conn
            fn(cfg, target)

    def rows():
        with Session(eng) as s:
            return [(e.id, e.uuid, e.entity_uuid, e.old, e.new, e.prev_hash, e.hash)
                    for e in s.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()]

    try:
        alembic(command.upgrade, "0002")
        with eng.connect() as conn:
            assert _audit_indexes(conn) == {"indexes": ["ix_audit_event_entity_uuid"],
                                            "unique": ["uq_audit_event_hash", "uq_audit_event_uuid"]}
        with Session(eng) as s, s.begin():
            audit.append_many(s, [{"actor": "EV01", "action": "score", "entity": "score", "entity_uuid": f"u-{i}",
                                   "old": None if i % 2 else {"level": "u"}, "new": {"level": "수", "n": i}}
                                  for i in range(25)])
        before = rows()
        alembic(command.upgrade, "0003")
        with eng.connect() as conn:
            assert _audit_indexes(conn) == {"indexes": [], "unique": []}
        assert rows() == before
        with Session(eng) as s:
            assert audit.verify(s).ok and audit.verify(s).entries == 25
        alembic(command.downgrade, "0002")
        with eng.connect() as conn:
            assert _audit_indexes(conn) == {"indexes": ["ix_audit_event_entity_uuid"],
                                            "unique": ["uq_audit_event_hash", "uq_audit_event_uuid"]}
        assert rows() == before
    finally:
        eng.dispose()


@pytest.mark.plain_sqlite
def test_0004_adds_the_anchor_table_keeps_every_entry_and_goes_back(any_db_url, tmp_path):
    """Revision 0004 (audit_anchor) on both engines: up from 0003 with every entry intact, an anchor
    signed and checked on the new table, and down again without the table (the chain still whole)."""
    from alembic import command
    from sqlalchemy import inspect, select
    from sqlalchemy.orm import Session

    from evaluator import audit
    from evaluator.audit import anchors, check
    from evaluator.db.models import AuditEvent
    from evaluator.packages import keys as K
    from evaluator.packages.kit import OFFICE_KEYS, office_keys_document
    from evaluator.services.common import set_setting

    migrate.load_all_models()
    cfg = migrate.alembic_config()
    eng = create_engine(any_db_url)

    def alembic(fn, target):
        with eng.begin() as conn:
            cfg.attributes["connection"] = conn
            fn(cfg, target)

    def rows():
        with Session(eng) as s:
            return [(e.id, e.uuid, e.new, e.prev_hash, e.hash)
                    for e in s.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()]

    try:
        alembic(command.upgrade, "0003")
        with Session(eng) as s, s.begin():
            audit.append_many(s, [{"actor": "EV01", "action": "score", "entity": "score", "entity_uuid": f"u-{i}",
                                   "new": {"level": "수", "n": i}} for i in range(25)])
        before = rows()
        alembic(command.upgrade, "0004")
        with eng.connect() as conn:
            assert "audit_anchor" in inspect(conn).get_table_names()
        assert rows() == before
        identity = K.generate_identity(tmp_path / "keys", "a passphrase long enough", owner=K.OFFICE)
        with Session(eng) as s, s.begin():
            set_setting(s, OFFICE_KEYS, office_keys_document(identity.info))
            signed = anchors.seal(s, identity, "merge", actor="office", device="d")
        alembic(command.upgrade, "head")  # (the full check reads the tables of later revisions too)
        with Session(eng) as s:
            v = check.verify(s)
        assert v.ok and v.anchors == 1 and v.last_anchor == signed and signed.entries == 26
        alembic(command.downgrade, "0003")
        with eng.connect() as conn:
            assert "audit_anchor" not in inspect(conn).get_table_names()
        assert rows()[:25] == before
        with Session(eng) as s:
            assert audit.verify(s).ok and audit.verify(s).entries == 26
    finally:
        eng.dispose()
