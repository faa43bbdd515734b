"""The demo program: right counts, fictional data, deterministic, before-visits variant."""

from __future__ import annotations

import pytest

import hashlib
import re
import sqlite3

from evaluator.demo import build_demo
from evaluator.domain import SEOUL_DISTRICTS
from evaluator.store import Store


def canonical_dump(path) -> str:
    """Hash of every table's rows (minus the per-machine device id), ordered by primary key."""
    h = hashlib.sha256()
    with sqlite3.connect(path) as c:
        tables = [r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        for t in tables:
            rows = c.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
            if t == "setting":
                rows = [r for r in rows if r[0] != "device_id"]
            h.update(f"{t}:{rows!r}".encode())
    return h.hexdigest()


def test_demo_matches_the_real_round(demo_store):
    info = demo_store.info()
    assert info.applications == 48 and info.applications_per_track == {"activity": 24, "space": 24}
    assert info.evaluators == 5 and info.conflicts == 3
    assert info.evaluations == info.finalised_evaluations == info.assignments
    program = demo_store.programs.get()
    assert program.name_en == "Seoul Community Building Project — 2012 round 1"
    assert {t.code: (t.quota, t.reserve_size) for t in program.tracks} == {"activity": (10, 3), "space": (9, 3)}
    rows = demo_store.applications.list()
    assert {r.district for r in rows} == set(SEOUL_DISTRICTS)  # all 25 gu
    assert {r.category for r in rows} == {"cafe", "care", "energy_safety", "business", "festival", "other"}
    assert all(r.evaluators >= 3 for r in rows)


def test_conflicted_evaluators_are_never_assigned(demo_store):
    pairs = demo_store.people.assignments()
    conflicts = {(a.application_id, a.evaluator) for a in pairs if a.is_conflict}
    assert len(conflicts) == 3
    for a in pairs:
        if (a.application_id, a.evaluator) in conflicts:
            assert a.state is None  # no evaluation ever started


def test_scores_are_varied_and_complete(demo_store):
    totals = []
    for a in demo_store.people.assignments():
        if a.is_conflict:
            continue
        ev = demo_store.scoring.evaluation(a.application_id, a.evaluator)
        assert ev.state == "finalised" and not ev.missing
        totals.append(ev.total)
    assert min(totals) < 55 and max(totals) > 85  # plausible spread, not all alike
    assert len({round(t) for t in totals}) > 20


def test_personal_data_is_fictional(demo_store):
    for r in demo_store.applications.list():
        a = demo_store.applications.get(r.id)
        assert re.fullmatch(r"010-0\d{3}-\d{4}", a.phone), a.phone
        assert a.email.endswith(("@example.org", "@example.com")), a.email
    for e in demo_store.people.evaluators():
        assert e.email.endswith(("@example.org", "@example.com"))


@pytest.mark.plain_sqlite
def test_demo_is_the_same_database_every_time(tmp_path, demo_template):
    other = tmp_path / "again.sqlite3"
    with Store(f"sqlite:///{other}") as st:
        build_demo(st)
    assert canonical_dump(other) == canonical_dump(demo_template)


def test_before_visits_has_the_program_but_no_scores(demo_before_visits_store):
    info = demo_before_visits_store.info()
    assert info.applications == 48 and info.assignments >= 48 * 3
    assert info.evaluations == 0 and info.scores == 0
    assert demo_before_visits_store.verify_audit().ok
