"""The committee's override reasons are personal data of the application's people: the reason an
override replaces is sealed in its audit entry (docs/privacy.md), so a purge destroys it like the
rest and does not count it among the entries written before revision 0006."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from evaluator.audit.personal import MARK, TOMBSTONE, Resolver
from evaluator.cli import main
from evaluator.db.models import AuditEvent
from evaluator.store import Store

from .privacy_fixtures import PURGE_DAY, plant
from .test_privacy_postgres import _as
from .test_privacy_postgres import office as pg_office  # noqa: F401 - fixture

FIRST = "홍길순 대표 면담 결과 예비 후보로 둠"
SECOND = "위원회 재논의: 미선정 유지"


def _override_entries(path: Path) -> list[tuple[dict, dict]]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [(json.loads(old), json.loads(new)) for old, new in con.execute(
            "SELECT old, new FROM audit_event WHERE action = 'override' ORDER BY id")]
    finally:
        con.close()


def test_the_reason_an_override_replaces_is_sealed_and_destroyed_by_a_purge(demo_path):
    with Store(f"sqlite:///{demo_path}") as st:
        app = plant(st).application
        st.ranking.override(app, "reserve", FIRST)
        st.ranking.override(app, "not_selected", SECOND)
        # the second entry holds the first reason only as a commitment, never in the clear
        _, second = _override_entries(demo_path)
        assert MARK in second[0]["reason"] and FIRST not in json.dumps(second, ensure_ascii=False)
        plan = st.privacy.purge_plan(PURGE_DAY)
        assert app in {d.application_id for d in plan.due}
        assert plan.legacy_entries == 0
        with st.uow.read() as s:  # read back through the trail while the application's data is kept
            assert Resolver(s).resolve(second[0])["reason"] == FIRST
        report = st.privacy.purge(PURGE_DAY).value
        assert report.plan.legacy_entries == 0 and report.counts["sealed_values"] >= 1
        assert st.verify_audit().ok
    # after the purge the commitment leads nowhere: the value and the salt are gone
    con = sqlite3.connect(f"file:{demo_path}?mode=ro", uri=True)
    try:
        kept = [json.loads(v) for (v,) in con.execute("SELECT value FROM audit_personal")]
    finally:
        con.close()
    assert FIRST not in kept
    with Store(f"sqlite:///{demo_path}") as st, st.uow.read() as s:
        assert Resolver(s).resolve(second[0])["reason"] == TOMBSTONE


@pytest.mark.postgres
def test_the_chair_seals_the_replaced_reason_on_postgresql(pg_office, capsys):
    """The chair's login may write the sealed value (the server's grants allow it): the second
    override is not refused, and the trail still verifies."""
    assert main(["admin", "grant", "lee_chair", "chair", "--db", pg_office]) == 0, capsys.readouterr().err
    with Store(_as(pg_office, "lee_chair")) as st:
        st.ranking.override("2012-A-001", "reserve", FIRST)
        st.ranking.override("2012-A-001", "selected", SECOND)
        assert st.ranking.overrides()[0]["reason"] == SECOND
    with Store(pg_office) as st:
        assert st.verify_audit().ok
        with st.uow.read() as s:
            old = s.execute(select(AuditEvent.old).where(AuditEvent.action == "override")
                            .order_by(AuditEvent.id.desc())).scalars().first()
            assert MARK in old["reason"] and Resolver(s).resolve(old)["reason"] == FIRST
