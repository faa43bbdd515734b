"""Encryption at rest: a field database encrypted with a passphrase (SQLCipher via ``sqlcipher3``).

* the file does not start with ``SQLite format 3`` and no applicant's name appears in its bytes;
* a wrong passphrase is one clear sentence, and leaves the file as it was;
* passphrases with quotes (and other SQL-looking text) work;
* the Store's units of work — program, applications, assignments, autosave, finalise, reopen,
  site visits, the whole demo, the audit chain — run on an encrypted database exactly as on a plain
  one, with the same PRAGMAs on every pooled connection, and survive SIGKILL;
* without ``sqlcipher3`` the app says so plainly.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys

import pytest

from evaluator.db import encryption
from evaluator.db.encryption import EncryptionUnavailable, NotEncrypted, WrongPassphrase
from evaluator.db.engine import BUSY_TIMEOUT_S, make_engine
from evaluator.demo import build_demo
from evaluator.errors import DatabaseError, EvaluatorError, ValidationError
from evaluator.rubric import parse_rubric
from evaluator.services.programs import TrackSpec
from evaluator.store import Store

from ..core.rubric_samples import small_rubric
from .support import canonical_dump, full_run, integrity, needs_fork, record, run_child_until, seeded, trials

needs_sqlcipher = pytest.mark.skipif(
    not encryption.available(),
    reason="sqlcipher3 is not installed here (pip install sqlcipher3); the plain refusal is tested below")

PASSPHRASE = "마을 평가 2012 — field kit"
SECRETS = ["홍길동가상", "Gildong Hong", "010-5555-0199", "서울특별시 종로구 가상로 12", "가상평가위원"]


def open_store(url: str, passphrase: str | None, **kw) -> Store:
    return Store(url, passphrase=passphrase, **kw)


def _fill(st: Store) -> None:
    rd = parse_rubric(small_rubric(), "mini.toml")
    st.programs.create(code="field", name_ko="현장 평가", tracks=[TrackSpec("activity", "활동", "Activity", rd, quota=1)])
    st.people.put_evaluator("EV01", SECRETS[4])
    for i in range(6):
        st.applications.put({"id": f"A{i:02d}", "track": "activity", "title": f"가상 사업 {i}",
                            "representative": SECRETS[0], "group_name": SECRETS[1], "phone": SECRETS[2],
                            "address": SECRETS[3], "members": 5})
        st.people.assign(f"A{i:02d}", "EV01")


def _file_bytes(path) -> bytes:
    out = path.read_bytes()
    for suffix in ("-wal", "-shm", "-journal"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            out += side.read_bytes()
    return out


# --- without sqlcipher3 ----------------------------------------------------------------------------
def test_without_sqlcipher3_the_app_says_so_plainly(tmp_path, monkeypatch):
    for name in [m for m in sys.modules if m == "sqlcipher3" or m.startswith("sqlcipher3.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "sqlcipher3", None)  # import now fails, as on a platform without it
    url = f"sqlite:///{tmp_path / 'kit.sqlite3'}"
    with pytest.raises(EncryptionUnavailable) as err:
        open_store(url, PASSPHRASE)
    assert "sqlcipher3" in str(err.value) and "not installed" in str(err.value)
    assert isinstance(err.value, DatabaseError)
    assert not (tmp_path / "kit.sqlite3").exists()  # nothing was written unencrypted instead
    assert not encryption.available()


def test_a_passphrase_for_postgresql_is_refused_plainly():
    from evaluator.errors import InvalidDatabaseURL

    with pytest.raises(InvalidDatabaseURL, match="SQLite field databases only"):
        make_engine("postgresql+psycopg://u@localhost/db", passphrase="x")


# --- with sqlcipher3 -------------------------------------------------------------------------------
@needs_sqlcipher
def test_an_encrypted_database_shows_nothing_of_its_contents(tmp_path):
    path = tmp_path / "kit.sqlite3"
    st = open_store(f"sqlite:///{path}", PASSPHRASE)
    _fill(st)
    st.scoring.save_score("A00", "EV01", "a", level="수", comment=SECRETS[0] + " 대표 면담")
    data_while_open = _file_bytes(path)  # the WAL holds the newest pages: it is encrypted too
    st.close()
    data = _file_bytes(path)
    assert not data.startswith(b"SQLite format 3")
    for blob in (data_while_open, data):
        for secret in SECRETS:
            assert secret.encode("utf-8") not in blob, f"{secret!r} readable in the encrypted file"
            assert secret.encode("utf-16-le") not in blob
    # the plain driver cannot read it; our own plain open is refused with a sentence, file untouched
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(path).execute("SELECT * FROM sqlite_master").fetchall()
    with pytest.raises(EvaluatorError) as err:
        Store(f"sqlite:///{path}")
    assert str(path) in str(err.value)
    assert _file_bytes(path) == data
    record("encrypted file: plain header absent, personal data not in its bytes", trials=2,
           inputs=len(SECRETS) * 2)


@needs_sqlcipher
def test_a_wrong_passphrase_is_one_clear_sentence_and_changes_nothing(tmp_path):
    path = tmp_path / "kit.sqlite3"
    with open_store(f"sqlite:///{path}", PASSPHRASE) as st:
        _fill(st)
    before = _file_bytes(path)
    for wrong in (PASSPHRASE + " ", PASSPHRASE[:-1], "", "x" * 500):
        with pytest.raises((WrongPassphrase, ValidationError)) as err:
            open_store(f"sqlite:///{path}", wrong)
        msg = str(err.value)
        assert "\n" not in msg and "Traceback" not in msg
        if wrong:
            assert isinstance(err.value, WrongPassphrase) and str(path) in msg and "passphrase" in msg
        else:
            assert "passphrase is empty" in msg
    assert _file_bytes(path) == before
    with open_store(f"sqlite:///{path}", PASSPHRASE) as st:
        assert len(st.applications.ids()) == 6


@needs_sqlcipher
@pytest.mark.parametrize("passphrase", [
    "it's", 'say "hi"', "''", "'; DROP TABLE application; --", "back\\slash", "한글 🙂 암호", " padded ",
    "x" * 300,
], ids=["apostrophe", "double-quote", "two-quotes", "sql", "backslash", "hangul-emoji", "spaces", "long"])
def test_passphrases_with_quotes_and_sql_work(passphrase, tmp_path):
    path = tmp_path / "kit.sqlite3"
    with open_store(f"sqlite:///{path}", passphrase) as st:
        _fill(st)
    with open_store(f"sqlite:///{path}", passphrase) as st:
        assert st.applications.get("A03").representative == SECRETS[0]
    with pytest.raises(WrongPassphrase):
        open_store(f"sqlite:///{path}", passphrase + "'")
    assert integrity(path, passphrase) == "ok"


@needs_sqlcipher
def test_unusable_passphrases_and_plain_files_are_refused_plainly(tmp_path):
    with pytest.raises(ValidationError, match="NUL"):
        open_store(f"sqlite:///{tmp_path / 'a.sqlite3'}", "a\x00b")
    plain = tmp_path / "plain.sqlite3"
    Store(f"sqlite:///{plain}").close()
    with pytest.raises(NotEncrypted, match="not encrypted"):
        open_store(f"sqlite:///{plain}", PASSPHRASE)


@needs_sqlcipher
def test_pragmas_hold_on_every_encrypted_connection(tmp_path):
    st = open_store(f"sqlite:///{tmp_path / 'kit.sqlite3'}", PASSPHRASE)
    try:
        assert encryption.is_encrypted_engine(st.uow.engine)
        for _round in range(2):
            conns = [st.uow.engine.connect() for _ in range(4)]
            try:
                for c in conns:
                    assert c.exec_driver_sql("PRAGMA cipher_version").scalar()
                    assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                    assert c.exec_driver_sql("PRAGMA synchronous").scalar() == 2
                    assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
                    assert c.exec_driver_sql("PRAGMA busy_timeout").scalar() == int(BUSY_TIMEOUT_S * 1000)
            finally:
                for c in conns:
                    c.close()
            st.uow.engine.dispose()
    finally:
        st.close()


@needs_sqlcipher
def test_the_store_works_on_an_encrypted_database(tmp_path):
    """The Store's scenarios, end to end, on an encrypted file."""
    path = tmp_path / "kit.sqlite3"
    with open_store(f"sqlite:///{path}", PASSPHRASE) as st:
        _fill(st)
        assert st.scoring.save_score("A00", "EV01", "a", level="수").value.version == 1
        assert st.scoring.save_score("A00", "EV01", "a", level="우").value.version == 2
        st.scoring.save_score("A00", "EV01", "b", level="미", comment="O<Brien & =1+1")
        st.scoring.save_visit("A00", "EV01", attendees="대표 외 3명", checklist={"met": True}, notes="확인")
        assert st.scoring.finalise("A00", "EV01").value.state == "finalised"
        st.scoring.reopen("A00", "EV01", "점수 재확인")
        st.scoring.abstain("A01", "EV01", "이해관계")
        st.people.declare_conflict("A02", "EV01", "personal", "친척")
        info = st.info()
        assert (info.applications, info.evaluations, info.conflicts) == (6, 2, 1)
        assert st.verify_audit().ok
    with open_store(f"sqlite:///{path}", PASSPHRASE) as st:  # and it all is there after reopening
        ev = st.scoring.evaluation("A00", "EV01")
        assert ev.state == "draft" and {s.criterion: s.level for s in ev.scores} == {"a": "u", "b": "mi"}
        assert st.verify_audit().ok
    assert integrity(path, PASSPHRASE) == "ok"


@needs_sqlcipher
def test_the_demo_on_an_encrypted_database_matches_the_plain_one(tmp_path, request):
    """The fast run builds the demo as it stands before the field study; the full run all of it."""
    before_visits = not full_run()
    plain = request.getfixturevalue("demo_before_visits_template" if before_visits else "demo_template")
    path = tmp_path / "demo.sqlite3"
    with open_store(f"sqlite:///{path}", PASSPHRASE) as st:
        build_demo(st, before_visits=before_visits)
        assert st.verify_audit().ok
    assert canonical_dump(path, passphrase=PASSPHRASE, skip=("setting",)) == \
           canonical_dump(plain, skip=("setting",))


@needs_sqlcipher
def test_encrypted_copies_and_backups_hold_the_same_data(tmp_path, demo_before_visits_template):
    demo_template = demo_before_visits_template
    plain_dump = canonical_dump(demo_template)
    enc = encryption.encrypt_copy(demo_template, tmp_path / "kit.sqlite3", "it's secret")
    assert not encryption.is_plain_sqlite(enc) and encryption.may_be_encrypted(enc)
    assert canonical_dump(enc, passphrase="it's secret") == plain_dump
    back = encryption.decrypt_copy(enc, "it's secret", tmp_path / "plain-again.sqlite3")
    assert encryption.is_plain_sqlite(back) and canonical_dump(back) == plain_dump
    with open_store(f"sqlite:///{enc}", "it's secret") as st:
        copy = st.backup(tmp_path / "backup.sqlite3")
    assert canonical_dump(copy, passphrase="it's secret")["application"] == plain_dump["application"]
    with pytest.raises(ValidationError, match="already exists"):
        encryption.encrypt_copy(demo_template, enc, "x")
    with pytest.raises(WrongPassphrase):
        encryption.decrypt_copy(enc, "wrong", tmp_path / "nope.sqlite3")
    assert not (tmp_path / "nope.sqlite3").exists()


@needs_sqlcipher
@needs_fork
def test_sigkill_during_autosave_on_an_encrypted_database(tmp_path, demo_before_visits_template):
    rng, seed = seeded("encrypted-autosave")
    template = encryption.encrypt_copy(demo_before_visits_template, tmp_path / "template.sqlite3", PASSPHRASE)
    with open_store(f"sqlite:///{template}", PASSPHRASE) as st:
        pairs = [(a.application_id, a.evaluator) for a in st.people.assignments()
                 if a.conflict_type is None and a.application_id.startswith("2012-A")]
        crits = [c.code for c in st.programs.rubric("activity").criteria]
    n = trials(2, 30)
    acked_total = 0
    for trial in range(n):
        path = tmp_path / f"kill-{trial}.sqlite3"
        shutil.copyfile(template, path)
        seq = [(*rng.choice(pairs), rng.choice(crits), lv) for lv in rng.choices(["su", "u", "mi", "yang", "ga"], k=2000)]

        def work(ack, url=f"sqlite:///{path}", seq=seq):
            st = open_store(url, PASSPHRASE)
            ack("ready")
            for i, (app, ev, crit, level) in enumerate(seq):
                saved = st.scoring.save_score(app, ev, crit, level=level).value
                ack(f"{i} {saved.version}")

        kill_after = rng.uniform(0.0, 1.0)
        run = run_child_until(work, kill_after=kill_after, start_clock_on="ready",
                              stderr_path=tmp_path / f"kill-{trial}.err")
        where = f"(trial {trial}, seed {seed}, killed after {kill_after:.2f} s)"
        assert not run.crashed_by_bug, f"{where}\n{run.stderr}"
        acked = [tuple(map(int, line.split())) for line in run.lines if line[0].isdigit()]
        acked_total += len(acked)
        assert integrity(path, PASSPHRASE) == "ok", where
        last = {}
        for i, version in acked:
            app, ev, crit, level = seq[i]
            last[(app, ev, crit)] = (level, version)
        with open_store(f"sqlite:///{path}", PASSPHRASE) as st:
            assert st.verify_audit().ok, where
            for (app, ev, crit), (level, version) in last.items():
                got = {s.criterion: s for s in st.scoring.evaluation(app, ev).scores}[crit]
                in_flight = len(acked) < len(seq) and seq[len(acked)][:3] == (app, ev, crit)
                assert (got.level, got.version) == (level, version) or (in_flight and got.version == version + 1), where
        path.unlink()
    record("SIGKILL during autosave on an encrypted database", trials=n, inputs=acked_total)


@needs_sqlcipher
def test_the_cli_opens_an_encrypted_database_with_the_passphrase_from_the_environment(tmp_path):
    import os
    import subprocess

    db = tmp_path / "field.sqlite3"
    url = f"sqlite:///{db}"
    with open_store(url, PASSPHRASE) as st:
        _fill(st)
    env = {**os.environ, "EVALUATOR_DB": url, "EVALUATOR_BLOCK_QT": "1"}
    env.pop("EVALUATOR_DB_PASSPHRASE", None)
    refused = subprocess.run([sys.executable, "-m", "evaluator", "evaluators", "--json"], env=env,
                             capture_output=True, text=True, timeout=120)
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    ok = subprocess.run([sys.executable, "-m", "evaluator", "evaluators", "--json"],
                        env={**env, "EVALUATOR_DB_PASSPHRASE": PASSPHRASE}, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert SECRETS[4] in ok.stdout
