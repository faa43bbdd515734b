"""A full disk and a read-only data folder: one clear sentence, and nothing already saved is lost.

The disk is a real, small tmpfs (mounted when the tests run as root; skipped with the reason
otherwise).  Read-only is made three real ways: a read-only bind mount of the data folder, and an
ordinary user (``nobody``) facing a folder and/or file they may not write (root ignores file
permissions, so the writer runs as that user in a forked child).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from evaluator.errors import DatabaseError, EvaluatorError, ReadOnlyDatabase
from evaluator.store import Store

from .support import (
    dump_checksum, full_run, integrity, is_root, needs_fork, record, run_child_until, scores_by_key, seeded,
)

NOBODY = 65534


def _mount(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["mount", *args], capture_output=True, text=True)


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MiB tmpfs: the demo database fits, not much more."""
    if not is_root():
        pytest.skip("a small disk needs 'mount -t tmpfs', which needs root")
    d = tmp_path / "small-disk"
    d.mkdir()
    res = _mount("-t", "tmpfs", "-o", "size=1m,mode=0755", "tmpfs", str(d))
    if res.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({res.stderr.strip() or res.returncode})")
    yield d
    if subprocess.run(["umount", str(d)], capture_output=True).returncode != 0:
        subprocess.run(["umount", "-l", str(d)], capture_output=True)


def _fill(path: Path, leave: int = 0) -> None:
    """Fill the file system holding ``path`` until fewer than ``leave`` bytes are free."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        chunk = b"\0" * 4096
        while os.statvfs(path).f_bavail * os.statvfs(path).f_frsize > leave:
            try:
                os.write(fd, chunk)
            except OSError:
                break
    finally:
        os.close(fd)


def _targets(st: Store) -> list[tuple[str, str, str, list[str]]]:
    out = []
    for a in st.people.assignments():
        if a.conflict_type is None:
            rd = st.programs.rubric(st.applications.get(a.application_id).track)
            out += [(a.application_id, a.evaluator, c.code, [lv.key for lv in rd.levels])
                    for c in rd.criteria if c.scoring == "levels"]
    return out


def test_disk_full_gives_a_clear_error_and_keeps_every_saved_score(small_disk, demo_before_visits_template):
    rng, seed = seeded("disk-full")
    rounds = 8 if full_run() else 1
    refusals = 0
    acked_total = 0
    for round_ in range(rounds):
        db = small_disk / "field.sqlite3"
        shutil.copyfile(demo_before_visits_template, db)
        acked: dict[tuple[str, str, str], tuple[str, int]] = {}
        st = Store(f"sqlite:///{db}")
        try:
            targets = _targets(st)

            def save(comment: str = "") -> None:
                app, ev, crit, levels = rng.choice(targets)
                current = acked.get((app, ev, crit), (None, 0))[0]
                level = rng.choice([lv for lv in levels if lv != current])
                saved = st.scoring.save_score(app, ev, crit, level=level, comment=comment).value
                acked[(app, ev, crit)] = (level, saved.version)

            for _ in range(5):
                save()
            _fill(small_disk / "filler", leave=rng.choice([0, 0, 4096, 32768]))
            error = None
            for _ in range(3000):  # keep typing until the disk says no
                try:
                    save(comment="현장 메모 " * rng.randint(1, 200))
                except EvaluatorError as exc:
                    error = exc
                    break
            assert error is not None, f"3000 saves fitted on a full 1 MiB disk? (seed {seed})"
            assert isinstance(error, ReadOnlyDatabase), repr(error)
            assert "is full" in str(error) and str(db) in str(error) and "nothing was changed" in str(error)
            refusals += 1
            # other kinds of work get the same clear sentence
            with pytest.raises(ReadOnlyDatabase, match="is full"):
                st.applications.put({"id": "2012-A-990", "track": "activity", "title": "큰 신청서 " * 2000})
            refusals += 1
            assert st.applications.ids(search="2012-A-990") == []  # reading still works
        finally:
            st.close()
        # nothing acknowledged was lost, nothing is damaged
        assert integrity(db) == "ok"
        stored = scores_by_key(db)
        for key, (level, version) in acked.items():
            assert (stored[key][0], stored[key][2]) == (level, version), f"{key} (round {round_}, seed {seed})"
        acked_total += len(acked)
        # free some space: work goes on where it stopped
        (small_disk / "filler").unlink()
        with Store(f"sqlite:///{db}") as st:
            app, ev, crit, levels = next(t for t in targets if t[:3] in acked)
            version = acked[(app, ev, crit)][1]
            new_level = next(lv for lv in levels if lv != acked[(app, ev, crit)][0])
            assert st.scoring.save_score(app, ev, crit, level=new_level).value.version == version + 1
            assert st.verify_audit().ok
        for f in small_disk.iterdir():
            f.unlink()
    record("disk full (clear refusal, acknowledged saves kept)", trials=rounds, inputs=acked_total,
           refusals=refusals)


# --- read-only ------------------------------------------------------------------------------------
@pytest.fixture
def public_dir(demo_before_visits_template):
    """A folder an ordinary user can reach (pytest's own tmp folders are root-only), with a
    database that holds one acknowledged score."""
    d = Path(tempfile.mkdtemp(prefix="evaluator-ro-", dir="/tmp"))
    os.chmod(d, 0o755)
    db = d / "field.sqlite3"
    shutil.copyfile(demo_before_visits_template, db)
    with Store(f"sqlite:///{db}") as st:
        app, ev, crit, levels = _targets(st)[0]
        st.scoring.save_score(app, ev, crit, level=levels[0])
    yield d, db, (app, ev, crit, levels)
    subprocess.run(["umount", str(d / "ro")], capture_output=True)
    os.chmod(d, 0o755)
    shutil.rmtree(d, ignore_errors=True)


def _try_as(db: Path, key, level: str, *, uid: int | None, tmp: Path):
    """Open the database and save one score in a child (as ``uid``); report what happened."""

    def work(ack):
        if uid is not None:
            os.setgid(uid)
            os.setuid(uid)
        try:
            st = Store(f"sqlite:///{db}")
        except EvaluatorError as exc:
            ack(f"open-error {type(exc).__name__} {exc}")
            return
        ack("opened")
        try:
            st.scoring.save_score(*key, level=level)
            ack("saved")
        except EvaluatorError as exc:
            ack(f"save-error {type(exc).__name__} {exc}")
        except Exception as exc:  # noqa: BLE001 - reported to the parent, which judges it
            ack(f"bug {type(exc).__module__}.{type(exc).__name__} {exc}")
        finally:
            st.close()

    run = run_child_until(work, kill_after=None, limit=60, stderr_path=tmp / "child.err")
    assert not run.crashed_by_bug, run.stderr
    return run.lines


def _assert_clear_refusal(lines: list[str], db: Path) -> str:
    outcome = lines[-1]
    assert not outcome.startswith("bug "), f"the save surfaced a raw driver error instead of a clear sentence: {outcome}"
    assert outcome.split()[0] in ("open-error", "save-error"), lines
    cls = outcome.split()[1]
    assert cls in ("ReadOnlyDatabase", "DatabaseUnavailable"), outcome
    assert issubclass(getattr(__import__("evaluator.errors", fromlist=[cls]), cls), DatabaseError)
    assert str(db) in outcome, f"the message does not name the database: {outcome}"
    return outcome


@needs_fork
@pytest.mark.parametrize("case", ["folder and file read-only", "file read-only, folder writable"])
def test_an_ordinary_user_without_write_permission_gets_a_clear_error(public_dir, case, tmp_path):
    if not is_root():
        pytest.skip("switching to the 'nobody' user needs root")
    d, db, (app, ev, crit, levels) = public_dir
    before = dump_checksum(db)
    os.chmod(db, 0o444)
    os.chmod(d, 0o555 if case.startswith("folder") else 0o777)
    try:
        lines = _try_as(db, (app, ev, crit), levels[1], uid=NOBODY, tmp=tmp_path)
    finally:
        os.chmod(d, 0o755)
        os.chmod(db, 0o644)
    assert dump_checksum(db) == before and integrity(db) == "ok"  # nothing lost, nothing changed
    outcome = _assert_clear_refusal(lines, db)
    assert "ReadOnlyDatabase" in outcome and "read-only" in outcome, outcome
    if case.startswith("folder"):
        assert f"the folder {d} is read-only" in outcome, outcome
    else:
        assert f"the file {db} is read-only" in outcome, outcome
    record(f"read-only data ({case}, ordinary user)", trials=1)


@needs_fork
def test_a_read_only_mounted_data_folder_gets_a_clear_error(public_dir, tmp_path):
    if not is_root():
        pytest.skip("a read-only bind mount needs root")
    d, db, (app, ev, crit, levels) = public_dir
    ro = d / "ro"
    ro.mkdir()
    if _mount("--bind", str(d), str(ro)).returncode != 0:
        pytest.skip("bind mounts are not permitted here")
    try:
        res = _mount("-o", "remount,bind,ro", str(ro))
        if res.returncode != 0:
            pytest.skip(f"cannot remount read-only here ({res.stderr.strip()})")
        before = dump_checksum(db)
        view = ro / db.name
        lines = _try_as(view, (app, ev, crit), levels[1], uid=None, tmp=tmp_path)
    finally:
        subprocess.run(["umount", str(ro)], capture_output=True)
    assert dump_checksum(db) == before and integrity(db) == "ok"
    outcome = _assert_clear_refusal(lines, view)
    assert "ReadOnlyDatabase" in outcome and f"the folder {ro} is read-only" in outcome, outcome
    with Store(f"sqlite:///{db}") as st:  # writable again: the earlier score is there, work goes on
        assert st.scoring.evaluation(app, ev).scores[0].level == levels[0]
        assert st.scoring.save_score(app, ev, crit, level=levels[1]).value.version == 2
    record("read-only data folder (read-only mount)", trials=1)


@pytest.mark.parametrize("driver", ["sqlite3", "sqlcipher3"])
@pytest.mark.parametrize("message, cls, needle", [
    ("attempt to write a readonly database", ReadOnlyDatabase, "cannot be written"),
    ("database or disk is full", ReadOnlyDatabase, "is full; nothing was changed"),
    ("database is locked", DatabaseError, "in use by another program"),
    ("disk I/O error", DatabaseError, "input/output error"),
])
def test_raw_driver_errors_become_one_clear_sentence(driver, message, cls, needle, tmp_path):
    """The autosave path runs on the DB-API cursor, so the drivers' own OperationalError (stdlib
    sqlite3 and sqlcipher3 alike) must be translated like SQLAlchemy's wrapped one."""
    from evaluator.db.errors import translate_errors as _translate_errors

    if driver == "sqlite3":
        import sqlite3 as mod
    else:
        mod = pytest.importorskip("sqlcipher3.dbapi2")
    db = tmp_path / "field.sqlite3"
    with pytest.raises(cls) as err:
        with _translate_errors(f"database {db}", db):
            raise mod.OperationalError(message)
    assert needle in str(err.value) and str(db) in str(err.value)
    with pytest.raises(mod.OperationalError):  # what it does not know stays as it is (a bug to report)
        with _translate_errors(f"database {db}", db):
            raise mod.OperationalError("no such table: nothing")
