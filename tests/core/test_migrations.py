"""Migrations and models agree: a database upgraded from the oldest fixture has exactly the schema
that a new database gets (no model change without its migration), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

import json
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



def _alembic_on(eng, cfg):
    """``alembic(command.upgrade, "0007")``: run an Alembic command on ``eng`` in one transaction."""
    def alembic(fn, target):
        with eng.begin() as conn:
            cfg.attributes["connection"] = conn
            fn(cfg, target)
    return alembic

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

    alembic = _alembic_on(eng, cfg)

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

    alembic = _alembic_on(eng, cfg)

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


@pytest.mark.plain_sqlite
def test_0005_makes_each_program_one_round_holding_its_applications_and_goes_back(any_db_url):
    """Revision 0005 (programs as data) on both engines: up from 0004, each program gets one round
    (its window the program's dates) holding every application and the categories it was made with;
    no value changes; and down again without the new tables and columns."""
    from alembic import command
    from sqlalchemy import inspect, text

    migrate.load_all_models()
    cfg = migrate.alembic_config()
    eng = create_engine(any_db_url)

    alembic = _alembic_on(eng, cfg)

    try:
        alembic(command.upgrade, "0004")
        with eng.begin() as conn:
            for pid, code in ((1, "p-2012"), (2, "p-2013")):
                conn.execute(text("INSERT INTO program (id, uuid, code, name_ko, name_en, status, opened_on, closed_on, "
                                  "settings, created_at) VALUES (:id, :uuid, :code, '사업', '', 'intake', '2012-03-12', "
                                  "'2012-04-12', '{}', '2012-03-01 09:00:00')"),
                             {"id": pid, "uuid": f"00000000-0000-4000-8000-00000000000{pid}", "code": code})
                conn.execute(text("INSERT INTO rubric (id, program_id, code, name_ko, name_en, content_hash, min_score, "
                                  "source, checklist, levels) VALUES (:id, :id, 'r', '표', '', 'h', 60, '', '[]', '[]')"),
                             {"id": pid})
                conn.execute(text("INSERT INTO track (id, program_id, code, position, name_ko, name_en, rubric_id, "
                                  "quota, reserve_size) VALUES (:id, :id, 'activity', 0, '활동', '', :id, 2, 1)"),
                             {"id": pid})
                for n in range(3):
                    conn.execute(text(
                        "INSERT INTO application (uuid, program_id, track_id, external_id, category, title, group_name, "
                        "representative, phone, email, district, neighbourhood, address, summary, status, extra, "
                        "created_at, updated_at) VALUES (:uuid, :p, :p, :ext, 'cafe', '제목', '', '', '', '', '종로구', "
                        "'', '', '', 'received', '{}', '2012-03-02 09:00:00', '2012-03-02 09:00:00')"),
                        {"uuid": f"10000000-0000-4000-8000-0000000000{pid}{n}", "p": pid, "ext": f"A-{n}"})
        alembic(command.upgrade, "0005")
        with eng.connect() as conn:
            rounds = conn.execute(text("SELECT program_id, code, name_ko, status, opens_on, closes_on "
                                       "FROM program_round ORDER BY program_id")).all()
            assert [(r[0], r[1], r[2], r[3]) for r in rounds] == [(1, "1", "1차", "open"), (2, "1", "1차", "open")]
            assert str(rounds[0][4]) == "2012-03-12" and str(rounds[0][5]) == "2012-04-12"
            linked = conn.execute(text("SELECT a.program_id, r.program_id FROM application a JOIN program_round r "
                                       "ON r.id = a.round_id")).all()
            assert len(linked) == 6 and all(a == b for a, b in linked)
            cats = conn.execute(text("SELECT categories FROM program WHERE id = 1")).scalar()
            cats = json.loads(cats) if isinstance(cats, str) else cats
            assert [c["code"] for c in cats] == ["cafe", "care", "energy_safety", "business", "festival", "other"]
            assert conn.execute(text("SELECT intake, settings FROM program WHERE id = 2")).one()[0] == "fixed"
        alembic(command.downgrade, "0004")
        with eng.connect() as conn:
            insp = inspect(conn)
            assert "program_round" not in insp.get_table_names()
            assert "round_id" not in {c["name"] for c in insp.get_columns("application")}
            assert conn.execute(text("SELECT count(*) FROM application")).scalar() == 6
    finally:
        eng.dispose()


def test_0007_adds_the_award_and_monitoring_tables_and_goes_back(any_db_url):
    """Revision 0007 (awards) on both engines: only new tables, nothing existing changes, and down
    again without them."""
    from alembic import command
    from alembic.script import ScriptDirectory
    from sqlalchemy import inspect

    migrate.load_all_models()
    cfg = migrate.alembic_config()
    before = ScriptDirectory.from_config(cfg).get_revision("0007").down_revision
    eng = create_engine(any_db_url)

    alembic = _alembic_on(eng, cfg)

    new = {"award", "disbursement", "support_entry", "monitoring_visit"}
    try:
        alembic(command.upgrade, before)
        with eng.connect() as conn:
            old_tables = set(inspect(conn).get_table_names())
        alembic(command.upgrade, "0007")
        with eng.connect() as conn:
            assert set(inspect(conn).get_table_names()) == old_tables | new
        alembic(command.downgrade, before)
        with eng.connect() as conn:
            assert set(inspect(conn).get_table_names()) == old_tables
    finally:
        eng.dispose()


def test_the_0005_fixture_upgrades_and_its_sign_off_awards_the_selected(tmp_path):
    """The demo written at 0005 (one round, not signed off) opens at the head with no awards, and
    signing its round off then awards each selected application."""
    work = tmp_path / "demo.sqlite3"
    shutil.copyfile(FIXTURE.with_name("schema-0005-demo.sqlite3"), work)
    with Store(f"sqlite:///{work}") as st:
        assert st.schema.upgraded_from == "0005" and st.awards.list() == []
        st.keys.ensure("office passphrase, long and secret", key_dir=tmp_path / "keys")
        st.rounds.sign_off("1", by="위원장", key_dir=tmp_path / "keys")
        selected = {r.application_id for r in st.ranking.rank(round="1").all_rows() if r.decision == "selected"}
        assert {a.application_id for a in st.awards.list()} == selected and len(selected) == 19
        assert st.verify_audit().ok


def test_0008_adds_the_monitoring_photo_column_and_goes_back(any_db_url):
    """Revision 0008 (monitoring photos) on both engines: ``attachment`` gains a nullable
    ``monitoring_visit_id`` with its index and foreign key (a visit deleted takes its photos), and
    down again without the column."""
    from alembic import command
    from sqlalchemy import inspect

    migrate.load_all_models()
    cfg = migrate.alembic_config()
    eng = create_engine(any_db_url)

    alembic = _alembic_on(eng, cfg)

    def columns(conn) -> set[str]:
        return {c["name"] for c in inspect(conn).get_columns("attachment")}

    try:
        alembic(command.upgrade, "0007")
        with eng.connect() as conn:
            assert "monitoring_visit_id" not in columns(conn)
        alembic(command.upgrade, "0008")
        with eng.connect() as conn:
            insp = inspect(conn)
            assert "monitoring_visit_id" in columns(conn)
            assert "ix_attachment_monitoring_visit_id" in {i["name"] for i in insp.get_indexes("attachment")}
            fk = {f["name"]: f for f in insp.get_foreign_keys("attachment")}[
                "fk_attachment_monitoring_visit_id_monitoring_visit"]
            assert fk["referred_table"] == "monitoring_visit" and fk["constrained_columns"] == ["monitoring_visit_id"]
            assert (fk.get("options") or {}).get("ondelete", "").upper() == "CASCADE"
        alembic(command.downgrade, "0007")
        with eng.connect() as conn:
            assert "monitoring_visit_id" not in columns(conn)
    finally:
        eng.dispose()
