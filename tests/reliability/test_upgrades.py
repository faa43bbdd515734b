"""Upgrades: every earlier schema revision opens with every record intact, and a failed upgrade
leaves the original file untouched with the backup beside it.

``tests/fixtures/db/schema-NNNN-demo.sqlite3`` holds one database per earlier schema revision
(never rewritten; a new one is added with each revision).  Whenever the current head differs from a
fixture's revision the test runs the real migrations; while they are equal it checks that opening
is a no-op.  The failure tests always exercise a real upgrade: they append a probe revision (one
that rebuilds the ``application`` table, as batch migrations on SQLite do) to a copy of the
migration scripts, so there is always something to upgrade and something to break.
"""

from __future__ import annotations

import gc
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from evaluator.db import migrate
from evaluator.errors import MigrationFailed
from evaluator.store import Store

from .support import canonical_dump, dump_checksum, integrity, record, schema_columns, table_counts

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "db"
FIXTURE_FILES = sorted(FIXTURES.glob("schema-*-demo.sqlite3"))


def _revision_of(path: Path) -> str:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        conn.close()


def _common(old: dict[str, list[str]], new: dict[str, list[str]]) -> dict[str, list[str]]:
    return {t: [c for c in cols if c in new[t]] for t, cols in old.items() if t in new and t != "alembic_version"}


def test_there_is_a_fixture_for_every_earlier_revision():
    revisions = {_revision_of(f) for f in FIXTURE_FILES}
    assert revisions, "no fixture databases found"
    known = migrate.known_revisions()
    assert revisions <= known
    # every revision except the head must have its fixture (the head's is added with the next revision)
    missing = known - revisions - {migrate.head_revision()}
    assert not missing, f"add tests/fixtures/db/schema-REV-demo.sqlite3 for revisions {sorted(missing)}"


#: encrypted copies of the same fixtures (``schema-NNNN-demo.encrypted.sqlite3``), as a field laptop
#: holds them since ``kit import`` encrypts by default; their passphrase is in the folder's README
ENCRYPTED_FILES = sorted(FIXTURES.glob("schema-*-demo.encrypted.sqlite3"))
FIXTURE_PASSPHRASE = "fixture passphrase"
PLAIN_AND_ENCRYPTED = [(f, None) for f in FIXTURE_FILES] + [(f, FIXTURE_PASSPHRASE) for f in ENCRYPTED_FILES]


def _fixture_revision(path: Path) -> str:
    return re.match(r"schema-(\d+)-demo", path.name).group(1)


#: the fixtures written before revision 0005 made programs data (what that revision's upgrade turns
#: into one program with one round)
BEFORE_PROGRAMS = [(f, p) for f, p in PLAIN_AND_ENCRYPTED if _fixture_revision(f) < "0005"]
#: the fixtures written before revision 0006 (personal data): their audit entries hold values in the clear
BEFORE_PRIVACY = [(f, p) for f, p in PLAIN_AND_ENCRYPTED if _fixture_revision(f) < "0006"]


def test_every_plain_fixture_has_its_encrypted_twin():
    assert {_fixture_revision(f) for f in ENCRYPTED_FILES} == {_fixture_revision(f) for f in FIXTURE_FILES}


@pytest.mark.parametrize(("fixture", "passphrase"), PLAIN_AND_ENCRYPTED, ids=lambda v: getattr(v, "name", None))
def test_an_earlier_database_opens_with_every_record_intact(fixture, passphrase, tmp_path):
    if passphrase is not None:
        pytest.importorskip("sqlcipher3")
    work = tmp_path / fixture.name
    shutil.copyfile(fixture, work)
    old_rev, head = _fixture_revision(fixture), migrate.head_revision()
    old_columns = schema_columns(fixture, passphrase)
    old_counts = table_counts(fixture, passphrase)
    old_dump = canonical_dump(fixture, passphrase=passphrase, columns=_common(old_columns, old_columns))
    with Store(f"sqlite:///{work}", passphrase=passphrase) as st:
        state = st.schema
        assert state.revision == head and not state.created
        if old_rev == head:  # nothing to upgrade: opening must change nothing at all
            assert state.upgraded_from is None and state.backup is None
        else:
            assert state.upgraded_from == old_rev
            assert state.backup is not None and state.backup.parent == work.parent
            # the backup is the original, and opens with the same passphrase
            assert canonical_dump(state.backup, passphrase=passphrase) == canonical_dump(fixture, passphrase=passphrase)
            assert integrity(state.backup, passphrase) == "ok"
        info = st.info()
        assert st.verify_audit().ok
    assert integrity(work, passphrase) == "ok"
    new_counts = table_counts(work, passphrase)
    assert {t: new_counts[t] for t in old_counts if t != "alembic_version"} == \
           {t: n for t, n in old_counts.items() if t != "alembic_version"}
    assert canonical_dump(work, passphrase=passphrase,
                          columns=_common(old_columns, schema_columns(work, passphrase))) == old_dump
    assert info.applications == old_counts["application"] and info.audit_events == old_counts["audit_event"]
    record(f"upgrade from schema revision {old_rev}{' (encrypted)' if passphrase else ''} (records compared)", trials=1,
           inputs=sum(n for t, n in old_counts.items()))


@pytest.mark.parametrize(("fixture", "passphrase"), BEFORE_PROGRAMS, ids=lambda v: getattr(v, "name", None))
def test_an_earlier_database_becomes_one_program_with_one_round_holding_every_application(fixture, passphrase,
                                                                                            tmp_path):
    """Revision 0005 (programs as data): the demo program of every earlier schema becomes one
    program with one round that holds all its applications, with the categories it was made with;
    its ranking (per round now) gives the same decisions as the fixture's own method did."""
    if passphrase is not None:
        pytest.importorskip("sqlcipher3")
    work = tmp_path / fixture.name
    shutil.copyfile(fixture, work)
    old_counts = table_counts(fixture, passphrase)
    with Store(f"sqlite:///{work}", passphrase=passphrase) as st:
        programs = st.programs.list()
        assert len(programs) == 1
        p = programs[0]
        assert p.current and p.intake == "fixed" and not p.archived and p.version == ""
        assert [(r.code, r.name_ko, r.status, r.applications) for r in p.rounds] == [
            ("1", "1차", "open", old_counts["application"])]
        assert (p.rounds[0].opens_on, p.rounds[0].closes_on) == (p.opened_on, p.closed_on)
        assert [c.code for c in p.categories] == ["cafe", "care", "energy_safety", "business", "festival", "other"]
        assert p.settings["method"] == "mean"  # the settings it had: the upgrade changes no value
        result = st.ranking.rank(stability=False)
        assert result.round == "1" and len(result.all_rows()) == old_counts["application"]
        assert {t.track: t.selected for t in result.tracks} == {"activity": 10, "space": 9}
        # the office can bring it under its program file: nothing refused, the method of record adopted
        from evaluator.paths import resource

        update = st.programs.update_from_file(resource("programs", "seoul-cbp-2012.toml")).value
        assert update.applied and not update.refused and "ranking.method: 'mean' → 'trimmed'" in update.changes
        assert st.programs.get().version == update.version and st.verify_audit().ok
    record(f"upgrade from schema revision {_fixture_revision(fixture)}{' (encrypted)' if passphrase else ''} "
           "(one program, one round)", trials=1, inputs=old_counts["application"])


@pytest.mark.parametrize("fixture", FIXTURE_FILES, ids=lambda p: p.name)
def test_an_upgraded_database_goes_on_autosaving_onto_the_same_audit_chain(fixture, tmp_path):
    """After the upgrade (0003 rebuilt ``audit_event`` without its secondary indexes) the next
    saves chain onto the last entry written before it, versions go on, and all of it survives a
    reopen."""
    work = tmp_path / fixture.name
    shutil.copyfile(fixture, work)
    conn = sqlite3.connect(f"file:{fixture}?mode=ro", uri=True)
    try:
        old_head, old_entries = conn.execute("SELECT hash, (SELECT count(*) FROM audit_event) FROM audit_event "
                                             "ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        conn.close()
    with Store(f"sqlite:///{work}") as st:
        a = next(x for x in st.people.assignments() if x.conflict_type is None)
        rubric = st.programs.rubric(st.applications.get(a.application_id).track)
        crit = rubric.criteria[0]
        st.scoring.reopen(a.application_id, a.evaluator, "재검토 (upgrade test)")
        current = next(s for s in st.scoring.evaluation(a.application_id, a.evaluator).scores if s.criterion == crit.code)
        version = current.version
        if crit.scoring == "levels":
            kind, values = "level", [lv.key for lv in rubric.levels if lv.key != current.level][:2]
        else:
            kind, values = "points", [p for p in (0.0, crit.max_points, crit.max_points / 2) if p != current.points][:2]
        for n, value in enumerate(values, 1):
            saved = st.scoring.save_score(a.application_id, a.evaluator, crit.code, **{kind: value}).value
            assert saved.version == version + n
    conn = sqlite3.connect(f"file:{work}?mode=ro", uri=True)
    try:
        chain = conn.execute("SELECT prev_hash, action FROM audit_event WHERE id > ? ORDER BY id",
                             (old_entries,)).fetchall()
    finally:
        conn.close()
    assert chain[0] == (old_head, "reopen") and [c[1] for c in chain] == ["reopen", "score", "score"]
    with Store(f"sqlite:///{work}") as st:
        v = st.verify_audit()
        assert v.ok and v.entries == old_entries + 3
        assert st.scoring.save_score(a.application_id, a.evaluator, crit.code, **{kind: values[0]}).value.version == \
            version + len(values) + 1
    assert integrity(work) == "ok"


# --- a failed upgrade -----------------------------------------------------------------------------
PROBE = '''"""reliability probe: rebuild the application table and add a table (test only)"""
import os
from alembic import op
import sqlalchemy as sa

revision = "zz_probe"
down_revision = {down!r}
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("application", recreate="always") as batch:
        batch.add_column(sa.Column("probe_note", sa.Text(), nullable=True))
    op.create_table("reliability_probe", sa.Column("id", sa.Integer(), primary_key=True))
    op.execute("INSERT INTO reliability_probe (id) VALUES (1)")
    op.execute("UPDATE application SET probe_note = 'probe'")
    if os.environ.get("EVALUATOR_PROBE_FAIL") == "inside":
        raise RuntimeError("fault injected inside the migration, after it rebuilt a table")


def downgrade() -> None:
    op.drop_table("reliability_probe")
    with op.batch_alter_table("application") as batch:
        batch.drop_column("probe_note")
'''


@pytest.fixture
def probe_migrations(tmp_path, monkeypatch):
    """The shipped migrations plus a probe revision on top, used instead of the shipped ones."""
    d = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, d, ignore=shutil.ignore_patterns("__pycache__"))
    (d / "versions" / "zz_probe.py").write_text(PROBE.format(down=migrate.head_revision()), encoding="utf-8")
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", d)
    assert migrate.head_revision() == "zz_probe"
    return d


def _wal_copy(fixture: Path, dst: Path) -> Path:
    """The fixture as the app leaves a database: in WAL mode, checkpointed, closed."""
    shutil.copyfile(fixture, dst)
    conn = sqlite3.connect(dst, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return dst


def _open_fails(path: Path) -> str:
    """Open ``path``, expect MigrationFailed, and return its message."""
    with pytest.raises(MigrationFailed) as err:
        Store(f"sqlite:///{path}")
    msg = str(err.value)
    del err
    gc.collect()
    return msg


def _still_held(path: Path) -> bool:
    """Does some connection still hold the file open? (Leaving WAL mode needs it to be the only one.)"""
    conn = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:
        mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        conn.execute("PRAGMA journal_mode=WAL")
        return mode != "delete"
    except sqlite3.OperationalError:
        return True
    finally:
        conn.close()


def _let_go(path: Path) -> None:
    """Close whatever connection a failed open left behind (see the test below)."""
    from sqlalchemy.engine import Engine

    for obj in gc.get_objects():
        if isinstance(obj, Engine) and obj.url.database == str(path):
            obj.dispose()


def _backups(path: Path) -> list[Path]:
    return sorted(path.parent.glob(path.name + ".backup-*"))


@pytest.mark.parametrize("where", ["inside the migration", "after the migration, before commit"])
def test_a_failed_upgrade_leaves_the_original_untouched_with_a_backup_beside_it(
        where, probe_migrations, tmp_path, monkeypatch):
    fixture = FIXTURE_FILES[-1]
    work = _wal_copy(fixture, tmp_path / "office.sqlite3")
    original_bytes = work.read_bytes()
    original_dump = dump_checksum(work)
    rev = _revision_of(work)
    if where.startswith("inside"):
        monkeypatch.setenv("EVALUATOR_PROBE_FAIL", "inside")
    else:
        real = migrate.command.upgrade

        def upgrade_then_fail(cfg, target, **kw):
            real(cfg, target, **kw)
            raise RuntimeError("fault injected after the upgrade ran, before it was committed")

        monkeypatch.setattr(migrate.command, "upgrade", upgrade_then_fail)
    msg = _open_fails(work)
    _let_go(work)
    assert str(work) in msg and f"revision {rev}" in msg and "left as it was" in msg and "backup" in msg
    backups = _backups(work)
    assert len(backups) == 1 and str(backups[0]) in msg
    assert re.fullmatch(re.escape(work.name) + rf"\.backup-{re.escape(rev)}-\d{{8}}-\d{{6}}", backups[0].name)
    # the original: byte for byte what it was (the WAL left behind holds nothing committed)
    for suffix in ("-wal", "-shm"):
        side = work.with_name(work.name + suffix)
        if side.exists():
            conn = sqlite3.connect(work, isolation_level=None)
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.close()
    assert work.read_bytes() == original_bytes, "the original file changed"
    assert dump_checksum(work) == original_dump and _revision_of(work) == rev
    # the backup is a sound, complete copy
    assert integrity(backups[0]) == "ok" and dump_checksum(backups[0]) == original_dump
    # and once the fault is gone the upgrade goes through with every record intact
    monkeypatch.undo()
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", probe_migrations)
    with Store(f"sqlite:///{work}") as st:
        assert st.schema.upgraded_from == rev and st.schema.revision == "zz_probe"
        assert st.verify_audit().ok
    old_cols = schema_columns(backups[0])
    assert canonical_dump(work, columns=_common(old_cols, schema_columns(work))) == \
           canonical_dump(backups[0], columns=_common(old_cols, old_cols))
    record(f"failed upgrade ({where}): original byte-identical, backup beside it", trials=1)


def test_an_upgrade_fault_does_not_touch_a_database_in_rollback_journal_mode(probe_migrations, tmp_path, monkeypatch):
    """The shipped fixture itself is in rollback-journal mode: opening switches it to WAL (which
    rewrites header fields), but every page stays exactly what it was."""
    fixture = FIXTURE_FILES[-1]
    work = tmp_path / "as-shipped.sqlite3"
    shutil.copyfile(fixture, work)
    before = work.read_bytes()
    monkeypatch.setenv("EVALUATOR_PROBE_FAIL", "inside")
    _open_fails(work)
    _let_go(work)
    conn = sqlite3.connect(work, isolation_level=None)
    conn.execute("PRAGMA journal_mode=DELETE")  # back to the fixture's own journal mode
    conn.close()
    after = work.read_bytes()
    assert len(after) == len(before) and after[100:] == before[100:], "a page of the database changed"
    # header: only the journal-mode bytes (18-19), the change counter (24-27) and the "version valid
    # for" / library version fields (92-99) may differ after the round trip through WAL mode
    assert {i for i in range(100) if after[i] != before[i]} <= {18, 19, *range(24, 28), *range(92, 100)}
    assert dump_checksum(work) == dump_checksum(fixture)


def test_a_failed_upgrade_lets_go_of_the_file(probe_migrations, tmp_path, monkeypatch):
    """After a failed upgrade the user restores the backup or moves the file: nothing of ours may
    still hold it open (on Windows an open file cannot be replaced)."""
    work = _wal_copy(FIXTURE_FILES[-1], tmp_path / "office.sqlite3")
    monkeypatch.setenv("EVALUATOR_PROBE_FAIL", "inside")
    _open_fails(work)
    held = _still_held(work)
    _let_go(work)
    assert not held, ("the failed open still holds the file: ensure_schema must dispose the engine (and "
                      "Alembic's 'op' proxy let go of its connection) before raising MigrationFailed")


@pytest.mark.parametrize("fixture", ENCRYPTED_FILES, ids=lambda p: p.name)
def test_a_wrong_passphrase_leaves_an_encrypted_database_and_its_folder_as_they_were(fixture, tmp_path):
    pytest.importorskip("sqlcipher3")
    from evaluator.db.encryption import WrongPassphrase

    folder = tmp_path / "laptop"
    folder.mkdir()
    work = folder / fixture.name
    shutil.copyfile(fixture, work)
    before = work.read_bytes()
    with pytest.raises(WrongPassphrase, match="passphrase does not open"):
        Store(f"sqlite:///{work}", passphrase="not the passphrase")
    gc.collect()
    assert sorted(p.name for p in folder.iterdir()) == [fixture.name]  # no backup, no WAL, nothing
    assert work.read_bytes() == before


@pytest.mark.parametrize(("fixture", "passphrase"), BEFORE_PRIVACY, ids=lambda v: getattr(v, "name", None))
def test_an_upgraded_database_purges_what_is_due_and_its_chain_still_verifies(fixture, passphrase, tmp_path):
    """Every earlier database, upgraded: the purge tombstones the applicants not selected, destroys
    the upgrade's own backup (it holds them), and the audit trail verifies before and after.  Its
    entries written before revision 0006 hold values in the clear: the purge counts them (they
    cannot be re-written without breaking the chain, docs/privacy.md)."""
    from datetime import date

    if passphrase is not None:
        pytest.importorskip("sqlcipher3")
    work = tmp_path / fixture.name
    shutil.copyfile(fixture, work)
    with Store(f"sqlite:///{work}", passphrase=passphrase) as st:
        backup = st.schema.backup
        assert backup is not None and backup.exists()
        st.ranking.record(stability=False)
        st.privacy.set_retention(signed_off_on="2012-05-01", project_ends_on="2013-12-31")
        assert st.verify_audit().ok
        plan = st.privacy.purge_plan(date(2013, 6, 1))
        assert plan.due and [b.holds for b in plan.backups] == [True]
        assert plan.legacy_entries > 0
        report = st.privacy.purge(date(2013, 6, 1)).value
        assert report.counts["applications"] == len(plan.due) and str(backup) in report.files
        v = st.verify_audit()
        assert v.ok, v.problems[:3]
        assert st.applications.get(plan.due[0].application_id).representative == "[파기됨 · purged]"
    assert not backup.exists()
    assert integrity(work, passphrase) == "ok"
    record(f"purge after upgrading from schema revision {_fixture_revision(fixture)}"
           f"{' (encrypted)' if passphrase else ''}", trials=1, inputs=len(plan.due))
