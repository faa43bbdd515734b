"""Personal data on PostgreSQL: the login is the identity and the server enforces each role
(coordinator, chair, viewer — three real logins), and a purge leaves no trace in the database's
files."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from evaluator.audit.personal import TOMBSTONE
from evaluator.cli import main
from evaluator.demo import build_demo
from evaluator.errors import RoleRefused
from evaluator.store import Store

from .excel_fixtures import LO_MESSY
from .privacy_fixtures import NAMES, PHOTO_MARK, PURGE_DAY, found_in, plant

pytestmark = pytest.mark.postgres


def _as(url: str, login: str) -> str:
    return make_url(url).set(username=login, password=None).render_as_string(hide_password=False)


def _raw(url: str, login: str) -> psycopg.Connection:
    u = make_url(url)
    return psycopg.connect(host=u.host, port=u.port, user=login, dbname=u.database, autocommit=True)


@pytest.fixture
def office(request):
    """A PostgreSQL office holding the demo (built once per run, copied per test)."""
    from tests.support.pg_pytest import pg_clone

    def build(url: str) -> None:
        with Store(url) as st:
            build_demo(st)

    return pg_clone(request, "demo", build)[0]


def test_three_logins_and_the_server_enforces_their_roles(office, tmp_path, capsys):
    for user, role in (("kim_coord", "coordinator"), ("lee_chair", "chair"), ("park_view", "viewer")):
        assert main(["admin", "grant", user, role, "--db", office]) == 0, capsys.readouterr().err
    assert "now the viewer of this database" in capsys.readouterr().out
    assert main(["admin", "roles", "--db", office, "--json"]) == 0
    assert {(r["login"], r["role"]) for r in json.loads(capsys.readouterr().out)["items"]} == {
        ("kim_coord", "coordinator"), ("lee_chair", "chair"), ("park_view", "viewer")}

    # the viewer reads, and its views are logged by its own session; every write is refused by the server
    with Store(_as(office, "park_view")) as st:
        assert (st.identity.name, st.identity.role) == ("park_view", "viewer")
        assert len(st.applications.list()) == 48
        st.privacy.view_application("2012-A-001")
        assert st.privacy.access_log()[-1].actor == "park_view"
        assert st.ranking.current(stability=False).changes.kinds == frozenset()  # a read for a viewer
        with pytest.raises(RoleRefused, match="permission denied for table evaluator"):
            st.people.put_evaluator("EV09", "가상위원")
        with pytest.raises(RoleRefused, match="permission denied"):
            st.scoring.reopen("2012-A-001", "EV01", "정정")
    with _raw(office, "park_view") as conn:  # PostgreSQL itself, whatever program the login uses
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE application SET title = 'x'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM access_event")

    # the coordinator imports and edits, but neither overrides nor signs off, and never rewrites the trails
    with Store(_as(office, "kim_coord")) as st:
        assert st.identity.role == "coordinator"
        st.excel.import_applications(LO_MESSY)
        st.people.put_evaluator("EV09", "가상위원")
        with pytest.raises(RoleRefused, match="only a chair overrides"):
            st.ranking.override("2012-A-001", "selected", "위원회 의결")
        with pytest.raises(RoleRefused, match="only a chair signs a round off"):
            st.privacy.set_retention(signed_off_on="2012-05-01")
    with _raw(office, "kim_coord") as conn:
        for sql in ("UPDATE audit_event SET reason = 'x'", "DELETE FROM audit_event", "DELETE FROM access_event"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(sql)

    # the chair overrides and signs off, but does not change applications, evaluations or scores
    with Store(_as(office, "lee_chair")) as st:
        st.ranking.override("2012-A-001", "selected", "위원회 의결")
        st.privacy.set_retention(signed_off_on="2012-05-01")
        assert st.ranking.overrides()[0]["by"] == "lee_chair"
        a = next(x for x in st.people.assignments() if x.state == "finalised")
        with pytest.raises(RoleRefused, match="permission denied for table evaluation"):
            st.scoring.reopen(a.application_id, a.evaluator, "정정")
        with pytest.raises(RoleRefused, match="permission denied for table evaluator"):
            st.people.put_evaluator("EV10", "또 다른 위원")

    with Store(office) as st:
        v = st.verify_audit()
        assert v.ok, v.problems[:3]
        actors = {e.actor for e in st.privacy.access_log()}
        assert "park_view" in actors
    assert main(["admin", "revoke", "park_view", "--db", office]) == 0
    with _raw(office, "park_view") as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT count(*) FROM application")


def test_only_the_owner_grants_roles(office):
    main(["admin", "grant", "park_view", "viewer", "--db", office])
    with Store(_as(office, "park_view")) as st:
        from evaluator.errors import PermissionDenied

        with pytest.raises(PermissionDenied, match="Only the owner of the database"):
            st.privacy.grant("someone", "chair")


def _database_files(pg_server, url: str) -> list[Path]:
    data_dir = getattr(pg_server, "data_dir", None)
    if data_dir is None:
        pytest.skip("the PostgreSQL server's files are not on this machine (--pg-url)")
    with _raw(url, make_url(url).username) as conn:
        oid = conn.execute("SELECT oid FROM pg_database WHERE datname = current_database()").fetchone()[0]
    return sorted(p for p in (Path(data_dir) / "base" / str(oid)).iterdir() if p.is_file())


def test_purge_on_postgresql_leaves_no_trace_in_the_database_files(office, pg_server, tmp_path):
    with Store(office) as st:
        planted = plant(st)
        assert st.verify_audit().ok
    with _raw(office, make_url(office).username) as conn:
        conn.execute("ANALYZE")  # (as autovacuum does: its statistics sample column values)
        conn.execute("CHECKPOINT")
    before = {n for f in _database_files(pg_server, office) for n in found_in(f)}
    assert set(NAMES + (PHOTO_MARK,)) <= before  # they are there to be found
    with Store(office) as st:
        r = st.privacy.purge(PURGE_DAY).value
        assert planted.application in [d.application_id for d in r.plan.due]
        assert r.compacted.startswith("VACUUM FULL") and "owner" not in r.compacted
        assert st.verify_audit().ok
        assert st.applications.get(planted.application).representative == TOMBSTONE
    with _raw(office, make_url(office).username) as conn:
        conn.execute("CHECKPOINT")  # (dropped relation files are removed at the next checkpoint)
    left = {f.name: found_in(f) for f in _database_files(pg_server, office)}
    assert {k: v for k, v in left.items() if v} == {}
