"""The façade's contract: writes say what they changed (computed by the core), documents and
workbooks only read, every long job stops on Cancel with nothing half-written, and the workflows
that open more than one database (backup, restore, a field database for a laptop) work from the
command line."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from evaluator.changes import (
    APPLICATIONS, ASSIGNMENTS, DECISIONS, EVALUATIONS, EVALUATORS, NOTHING, PACKAGES, Changes, Outcome,
)
from evaluator.cli import main
from evaluator.errors import Cancelled, ValidationError
from evaluator.jobs import CancelToken
from evaluator.store import Store

from .excel_fixtures import LO_ASSIGNMENTS, LO_MESSY
from .packages_fixtures import PASS, tiny_office, url

pytestmark = pytest.mark.plain_sqlite  # reads database files with the plain sqlite3 driver


def dump(path: Path) -> str:
    """Every table's schema and rows, as SQL text (the same text = the same data)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- what changed ---------------------------------------------------------------------------------
def test_every_write_says_what_it_changed_and_a_refused_one_raises(demo_before_visits_store):
    st = demo_before_visits_store
    a = st.people.assignments(evaluator="EV01")[0]
    rubric = st.programs.rubric(st.applications.get(a.application_id).track)
    level = rubric.levels[0].key
    saved = st.scoring.save_score(a.application_id, "EV01", rubric.criteria[0].code, level=level)
    assert isinstance(saved, Outcome) and saved.changes == Changes.of(EVALUATIONS) and saved.value.version == 1
    assert st.people.put_evaluator("EV09", "가상위원").changes == Changes.of(EVALUATORS)
    assert st.people.assign(a.application_id, "EV09").changes == Changes.of(ASSIGNMENTS)
    gate = next(g.code for g in rubric.gates if g.kind == "manual")  # an automatic gate is computed, not recorded
    assert APPLICATIONS in st.applications.record_gate(a.application_id, gate, True).changes
    assert DECISIONS in st.ranking.override(a.application_id, "selected", "위원회 의결").changes
    recorded = st.ranking.record(stability=False)
    assert DECISIONS in recorded.changes and recorded.value.recorded
    assert st.ranking.record(stability=False).changes == NOTHING  # nothing new to store
    dry = st.excel.import_applications(LO_MESSY, dry_run=True)
    assert dry.changes == NOTHING and dry.value.dry_run and len(dry.value.added) == 6
    real = st.excel.import_applications(LO_MESSY)
    assert real.changes.kinds == {APPLICATIONS}
    with pytest.raises(ValidationError):
        st.ranking.override(a.application_id, "selected", "  ")


def test_a_merge_says_it_changed_evaluations_and_packages(tmp_path):
    key_dir = tmp_path / "keys"
    office, package = tiny_office(tmp_path, key_dir)
    with Store(url(office)) as st:
        merged = st.packages.merge([package], passphrase=PASS, key_dir=key_dir)
        assert merged.value[0].status == "merged"
        assert {EVALUATIONS, PACKAGES} <= merged.changes.kinds
        again = st.packages.merge([package], passphrase=PASS, key_dir=key_dir)
        assert again.value[0].status == "unchanged" and again.changes == NOTHING


# --- documents and workbooks are reads ------------------------------------------------------------
READ_VERBS = [
    ("report", "summary", "--out", "{out}/summary.pdf"),
    ("report", "summary", "--out", "{out}/summary-median.pdf", "--method", "median"),
    ("report", "aggregate", "--out", "{out}/aggregate.pdf"),
    ("report", "sheets", "--out", "{out}/sheets.pdf", "--application", "2012-A-001"),
    ("report", "blank-sheets", "--out", "{out}/blank.pdf", "--evaluator", "EV01"),
    ("report", "dossier", "--out", "{out}/dossier.pdf", "--application", "2012-A-001"),
    ("export", "ranking", "{out}/ranking.xlsx"),
    ("export", "ranking", "{out}/ranking-provisional.xlsx", "--provisional"),
    ("export", "scores", "{out}/scores.xlsx"),
    ("export", "progress", "{out}/progress.xlsx"),
    ("export", "template", "scores", "{out}/template.xlsx"),
]


def _access_entries(path: Path) -> list[tuple]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("SELECT action, what, fingerprint, subject_count, fields, reason FROM access_event "
                           "ORDER BY id").fetchall()
    finally:
        con.close()


def _without_access_log(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.startswith('INSERT INTO "access_event"'))


@pytest.mark.parametrize("recorded", [True, False], ids=["after-ranking", "scores-changed-since"])
def test_reports_and_exports_change_nothing_but_the_access_log(recorded, demo_path, tmp_path, capsys):
    """Documents and workbooks are reads: each writes one access-log entry (what, which
    applications, the output's SHA-256) and changes nothing else."""
    db = f"sqlite:///{demo_path}"
    with Store(db) as st:
        st.ranking.record(stability=False)  # the committee's ranking of record
        if not recorded:  # a score changed since: the documents must say so, and still store nothing
            st.scoring.reopen("2012-A-001", "EV01", "점수 정정")
    before = _without_access_log(dump(demo_path))
    out = tmp_path / "out"
    out.mkdir()
    for n, verb in enumerate(READ_VERBS, 1):
        argv = [a.format(out=out) for a in verb] + ["--db", db]
        assert main(argv) == 0, (argv, capsys.readouterr().err)
        assert _without_access_log(dump(demo_path)) == before, f"{' '.join(verb)} changed the database"
        logged = _access_entries(demo_path)
        assert len(logged) == n, f"{' '.join(verb)} is not in the access log"
        written = Path(next(a for a in argv if a.startswith(str(out))))
        assert logged[-1][2] == hashlib.sha256(written.read_bytes()).hexdigest()
        assert logged[-1][3] >= 1 and logged[-1][4] == "[]"  # pseudonymised: no personal field carried
    capsys.readouterr()
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(out / "summary.pdf").pages[:1])
    squashed = "".join(text.split())
    if recorded:
        assert "기록된결정과같은결과입니다" in squashed
    else:
        assert "기록된결정이아닙니다" in squashed


# --- cancel ----------------------------------------------------------------------------------------
def _cancelling():
    """A progress callback that presses Cancel the first time the job reports progress."""
    token = CancelToken()
    calls = []

    def progress(fraction: float, message: str = "") -> None:
        calls.append(fraction)
        token.cancel()

    return progress, token, calls


OFFICE_JOBS = {
    "import applications": lambda st, out, p, c: st.excel.import_applications(LO_MESSY, progress=p, cancel=c),
    "import assignments": lambda st, out, p, c: st.excel.import_assignments(LO_ASSIGNMENTS, progress=p, cancel=c),
    "export template": lambda st, out, p, c: st.excel.export_template("scores", out / "t.xlsx", progress=p,
                                                                       cancel=c),
    "export ranking": lambda st, out, p, c: st.excel.export_ranking(out / "r.xlsx", progress=p, cancel=c),
    "export scores": lambda st, out, p, c: st.excel.export_scores(out / "s.xlsx", progress=p, cancel=c),
    "export progress": lambda st, out, p, c: st.excel.export_progress(out / "p.xlsx", progress=p, cancel=c),
    "blank sheets": lambda st, out, p, c: st.reports.blank_sheets(out / "b.pdf", evaluator="EV01", progress=p,
                                                                  cancel=c),
    "filled sheets": lambda st, out, p, c: st.reports.filled_sheets(out / "f.pdf", evaluator="EV01", progress=p,
                                                                    cancel=c),
    "aggregate sheets": lambda st, out, p, c: st.reports.aggregate(out / "a.pdf", track="activity", progress=p,
                                                                   cancel=c),
    "summary": lambda st, out, p, c: st.reports.summary(out / "s.pdf", progress=p, cancel=c),
    "dossier": lambda st, out, p, c: st.reports.dossier(out / "d.pdf", application_id="2012-A-001", progress=p,
                                                        cancel=c),
    "record the ranking": lambda st, out, p, c: st.ranking.record(progress=p, cancel=c),
    "export kit": lambda st, out, p, c: st.packages.export_kit("EV01", out / "EV01.mekit", progress=p, cancel=c),
}


@pytest.mark.parametrize("job", sorted(OFFICE_JOBS))
def test_every_office_job_stops_on_cancel_with_nothing_half_written(job, demo_path, tmp_path):
    db = f"sqlite:///{demo_path}"
    with Store(db) as st:
        st.keys.ensure(PASS)
        st.excel.export_scores(tmp_path / "scores-in.xlsx")  # (an input for the paper-score import below)
    before = dump(demo_path)
    out = tmp_path / "out"
    out.mkdir()
    progress, token, calls = _cancelling()
    with Store(db) as st:
        with pytest.raises(Cancelled):
            OFFICE_JOBS[job](st, out, progress, token)
    assert calls, "the job never reported progress"
    assert list(out.iterdir()) == []  # no output, no temporary file
    assert dump(demo_path) == before


def test_paper_scores_import_and_the_field_database_workflow_stop_on_cancel(demo_path, tmp_path):
    from evaluator.workflows import make_field_database

    db = f"sqlite:///{demo_path}"
    with Store(db) as st:
        st.keys.ensure(PASS)
        st.excel.export_scores(tmp_path / "scores.xlsx")
    before = dump(demo_path)
    with Store(db) as st:
        progress, token, _ = _cancelling()
        with pytest.raises(Cancelled):
            st.excel.import_scores(tmp_path / "scores.xlsx", progress=progress, cancel=token)
        progress, token, _ = _cancelling()
        with pytest.raises(Cancelled):
            make_field_database(st, "EV01", tmp_path / "laptop" / "field.sqlite3", db_passphrase=None,
                                progress=progress, cancel=token)
    assert dump(demo_path) == before
    assert not (tmp_path / "laptop").exists() or list((tmp_path / "laptop").iterdir()) == []


def test_package_export_and_merge_stop_on_cancel(tmp_path):
    key_dir = tmp_path / "keys"
    office, package = tiny_office(tmp_path, key_dir)
    field = tmp_path / "tiny-field.sqlite3"
    out = tmp_path / "out"
    out.mkdir()
    for path, job in ((field, lambda st, p, c: st.packages.export_package(out / "again.mepkg", passphrase=PASS,
                                                                          key_dir=key_dir, progress=p, cancel=c)),
                      (office, lambda st, p, c: st.packages.merge([package], passphrase=PASS, key_dir=key_dir,
                                                                  progress=p, cancel=c))):
        before = dump(path)
        progress, token, _ = _cancelling()
        with Store(url(path)) as st:
            with pytest.raises(Cancelled):
                job(st, progress, token)
        assert dump(path) == before and list(out.iterdir()) == []


# --- workflows over several databases, from the command line --------------------------------------
def test_backup_and_restore_from_the_command_line(demo_path, tmp_path, capsys):
    db = f"sqlite:///{demo_path}"
    backup = tmp_path / "backups" / "office-backup.sqlite3"
    assert main(["backup", str(backup), "--db", db]) == 0
    assert f"Backed up" in capsys.readouterr().out
    original = dump(backup)
    assert original == dump(demo_path)
    with Store(db) as st:
        st.people.put_evaluator("EV09", "나중에 추가")
    assert main(["restore", str(backup), "--db", db, "--json"]) == 0
    doc = __import__("json").loads(capsys.readouterr().out)
    assert dump(demo_path) == original  # the evaluator added after the backup is gone
    kept = Path(doc["previous"])
    assert kept.parent == demo_path.parent and kept.name.startswith(f"{demo_path.name}.before-restore-")
    with Store(url(kept)) as st:  # the replaced database is kept, with what the backup did not have
        assert "EV09" in {e.code for e in st.people.evaluators()}
    assert main(["backup", str(backup), "--db", db]) == 2  # never overwrites a file
    assert "already exists" in capsys.readouterr().err


def test_an_encrypted_field_database_is_backed_up_and_restored_with_its_passphrase(tmp_path, monkeypatch, capsys):
    pytest.importorskip("sqlcipher3")
    from evaluator.db.encryption import is_plain_sqlite

    key_dir = tmp_path / "keys"
    office, _ = tiny_office(tmp_path, key_dir)
    field = tmp_path / "laptop.sqlite3"
    monkeypatch.setenv("EVALUATOR_DB_PASSPHRASE", "laptop passphrase")
    assert main(["kit", "field-database", "--evaluator", "EV01", "--out", str(field), "--db", url(office)]) == 0
    assert "encrypted" in capsys.readouterr().out and not is_plain_sqlite(field)
    backup = tmp_path / "laptop-backup.sqlite3"
    assert main(["backup", str(backup), "--db", url(field)]) == 0
    assert not is_plain_sqlite(backup)
    with Store(url(backup), passphrase="laptop passphrase") as st:
        assert st.packages.kit_info().evaluator == "EV01"
    assert main(["restore", str(backup), "--db", url(field)]) == 0
    with Store(url(field), passphrase="laptop passphrase") as st:
        assert st.packages.kit_info().evaluator == "EV01" and st.verify_audit().ok
    assert main(["kit", "field-database", "--evaluator", "EV01", "--out", str(field), "--db", url(office)]) == 2
    assert "already exists" in capsys.readouterr().err


def test_a_kit_refused_for_a_new_field_database_leaves_no_file_behind(tmp_path):
    from evaluator.workflows import import_kit

    key_dir = tmp_path / "keys"
    tiny_office(tmp_path, key_dir)
    target = tmp_path / "new-field.sqlite3"
    with pytest.raises(Exception, match="office key"):
        import_kit(tmp_path / "tiny.mekit", url(target), expected_office_fingerprint="AAAA-BBBB-CCCC-DDDD")
    assert not target.exists()
    shutil.rmtree(key_dir)


def test_what_changed_is_computed_on_postgresql_too(any_db_url):
    from .ranking_fixtures import make_small_program

    with Store(any_db_url) as st:
        make_small_program(st)
        assert st.people.put_evaluator("EV09", "가상위원").changes == Changes.of(EVALUATORS)
        recorded = st.ranking.record(stability=False)
        assert recorded.changes == Changes.of(DECISIONS)
        assert st.ranking.record(stability=False).changes == NOTHING
