"""Personal data under Korea's PIPA (docs/privacy.md): the redactable audit chain, purge beyond
recovery (SQLite plain and encrypted, with every file's bytes searched), data subjects' rights, the
access log after each action and its retention, who acts, office keys bound to their database, and
a laptop that retires its field database with the office's receipt."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from evaluator.audit.personal import TOMBSTONE
from evaluator.cli import main
from evaluator.errors import PermissionDenied, ValidationError
from evaluator.packages import keys as K
from evaluator.privacy import access
from evaluator.privacy.receipts import ReceiptRefused
from evaluator.store import Store

from .awards_fixtures import office, signed_off, signed_off_template  # noqa: F401 - fixtures
from .packages_fixtures import PASS, url
from .privacy_fixtures import NAMES, PHOTO_MARK, PURGE_DAY, found_in, plant, sqlite_files

DB_PASS = "the office database passphrase"


def _rows(path: Path, sql: str, args: tuple = ()) -> list[tuple]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


# --- the redactable audit chain -------------------------------------------------------------------
@pytest.mark.plain_sqlite
def test_entries_about_people_commit_to_their_values_and_never_hold_them(demo_path):
    with Store(url(demo_path)) as st:
        planted = plant(st)
        assert st.verify_audit().ok
    entries = " ".join(str(r) for r in _rows(demo_path, "SELECT old, new, reason FROM audit_event"))
    for name in NAMES:
        assert name not in entries and json.dumps(name)[1:-1] not in entries, name
    kept = " ".join(json.loads(v) for (v,) in _rows(demo_path, "SELECT value FROM audit_personal"))
    assert "박누구 대표님 댁에서 면담" in kept and "홍길순, 이아무개" in kept
    # the entries still say everything the replay needs (through the side table)
    with Store(url(demo_path)) as st:
        e = st.scoring.evaluation(planted.application, planted.evaluator)
        assert e.comment == "김아무개 씨가 안내함" and st.verify_audit().ok


@pytest.mark.plain_sqlite
def test_a_sealed_value_changed_or_deleted_behind_the_trail_is_caught(demo_path):
    with Store(url(demo_path)) as st:
        plant(st)
    con = sqlite3.connect(demo_path)
    con.execute("UPDATE audit_personal SET value = ? WHERE value = ?",
                (json.dumps("다른 이름"), json.dumps("홍길순, 이아무개")))
    con.commit()
    con.close()
    with Store(url(demo_path)) as st:
        v = st.verify_audit()
    assert not v.ok and any("commits to a personal value that was changed since" in p for p in v.problems)
    con = sqlite3.connect(demo_path)
    con.execute("DELETE FROM audit_personal WHERE value = ?", (json.dumps("최아무개 어르신 인터뷰"),))
    con.commit()
    con.close()
    with Store(url(demo_path)) as st:
        v = st.verify_audit()
    assert any("commits to a personal value that is missing, and no purge removed it" in p for p in v.problems)


# --- purge ----------------------------------------------------------------------------------------
def _office(demo_path: Path, tmp_path: Path, encrypted: bool) -> tuple[Path, str | None]:
    if not encrypted:
        return demo_path, None
    pytest.importorskip("sqlcipher3")
    from evaluator.db.encryption import encrypt_copy

    path = tmp_path / "office-encrypted.sqlite3"
    encrypt_copy(demo_path, path, DB_PASS)
    return path, DB_PASS


@pytest.mark.plain_sqlite
@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_purge_destroys_what_is_due_beyond_recovery_and_the_audit_trail_still_verifies(
        encrypted, demo_path, tmp_path, capsys):
    path, passphrase = _office(demo_path, tmp_path, encrypted)
    backups = tmp_path / "backups"
    with Store(url(path), passphrase=passphrase) as st:
        planted = plant(st)
        app = planted.application
        kept_selected = st.applications.get(planted.selected[0]).representative
        backup = st.backup(backups / "office-backup.sqlite3", remember=True)
        assert st.verify_audit().ok
        plan = st.privacy.purge_plan(PURGE_DAY)
        due = {d.application_id for d in plan.due}
        assert app in due and not due & set(planted.selected)
        assert [b.holds for b in plan.backups if b.path == str(backup)] == [True]
        if not encrypted:  # the names are there to be found (so the search below can fail)
            assert set(found_in(path) + found_in(path.with_name(path.name + "-wal"))) == set(NAMES + (PHOTO_MARK,))
            assert set(found_in(backup)) == set(NAMES + (PHOTO_MARK,))
    # the dry run lists it, changes nothing
    argv = ["purge", "--dry-run", "--today", PURGE_DAY.isoformat(), "--db", url(path)]
    if passphrase:
        import os

        os.environ["EVALUATOR_DB_PASSPHRASE"] = passphrase
    try:
        assert main(argv) == 0
        out = capsys.readouterr().out
        assert app in out and "holds them: destroyed" in out and "nothing was destroyed" in out
        assert main(["people", "add", "개인정보 담당자", "--role", "coordinator", "--db", url(path)]) == 0
        assert main(["purge", "--today", PURGE_DAY.isoformat(), "--db", url(path), "--actor", "개인정보 담당자"]) == 0
        out = capsys.readouterr().out
        assert "Destroyed" in out and "purge record" in out
    finally:
        if passphrase:
            del os.environ["EVALUATOR_DB_PASSPHRASE"]
    with Store(url(path), passphrase=passphrase) as st:
        v = st.verify_audit()
        assert v.ok, v.problems[:3]
        info = st.applications.get(app)
        assert (info.representative, info.phone, info.email, info.address) == (TOMBSTONE,) * 4
        e = st.scoring.evaluation(app, planted.evaluator)
        assert e.comment == TOMBSTONE and e.scores[0].comment == TOMBSTONE
        assert st.scoring.visit(app, planted.evaluator)["attendees"] == TOMBSTONE
        assert st.scoring.attachments(application_id=app) == []
        assert st.applications.get(planted.selected[0]).representative == kept_selected  # awardees are kept
        [record] = st.privacy.purges()
        assert record.kind == "purge" and app in record.subjects and "1 year after sign-off" in record.rule
        assert record.actor.startswith("개인정보 담당자") and str(backup) in record.files
        assert not set(NAMES) & set(json.dumps(record.__dict__, default=str))  # the record holds no data
    assert not backup.exists()
    for f in sqlite_files(path):  # the database file, its WAL and shared-memory files
        assert found_in(f) == [], f
    if encrypted:  # inside the encryption too: a decrypted copy holds none of it, and no free page is left
        from evaluator.db.encryption import connect, decrypt_copy

        plain = decrypt_copy(path, passphrase, tmp_path / "decrypted.sqlite3")
        assert found_in(plain) == []
        con = connect(path, passphrase)
        try:
            assert con.execute("PRAGMA freelist_count").fetchone()[0] == 0
        finally:
            con.close()
    else:
        assert _rows(path, "PRAGMA freelist_count")[0][0] == 0


def test_purge_needs_the_milestones_and_leaves_what_is_not_due(demo_store):
    plant(demo_store)
    demo_store.privacy.set_retention(signed_off_on=date(2013, 5, 1))
    assert not demo_store.privacy.purge_plan(PURGE_DAY).due  # one year after 2013-05-01 is not yet
    r = demo_store.privacy.purge(PURGE_DAY).value
    assert r.purge == "" and not r.counts


def test_each_application_runs_from_its_own_rounds_sign_off_and_its_awards_project_end(office):
    st = office
    signed = st.rounds.get("1").signed_off_at.date()
    decided = {r.application_id: r.decision for t in st.ranking.rank().tracks for r in t.rows}
    awardees = sorted(a for a, d in decided.items() if d == "selected")
    ended, open_ended = awardees[0], awardees[1]
    st.awards.set(ended, ends_on=date(2013, 12, 31), reason="협약서 사업기간")
    items = {i.application_id: i for i in st.privacy.schedule(date(2030, 1, 1))}
    # not selected: a year after the round's own sign-off, with no date typed by hand
    reserve = next(a for a, d in decided.items() if d != "selected")
    assert (items[reserve].since, items[reserve].until) == (signed, signed.replace(year=signed.year + 1))
    assert items[reserve].due
    # an awardee: five years after its award's project end
    assert (items[ended].since, items[ended].until, items[ended].due) == (
        date(2013, 12, 31), date(2018, 12, 31), True)
    # an awardee whose award states no end: the program's stand-in, else not started
    assert st.awards.get(open_ended).ends_on is None
    assert items[open_ended].until is None and not items[open_ended].due
    st.privacy.set_retention(project_ends_on=date(2014, 6, 30))
    items = {i.application_id: i for i in st.privacy.schedule(date(2030, 1, 1))}
    assert items[open_ended].until == date(2019, 6, 30) and items[ended].until == date(2018, 12, 31)
    # the round's own sign-off is the milestone even when a sign-off date was typed for the program
    st.privacy.set_retention(signed_off_on=date(2011, 1, 1))
    items = {i.application_id: i for i in st.privacy.schedule(date(2030, 1, 1))}
    assert items[reserve].since == signed


def test_a_sign_off_recorded_elsewhere_does_not_cover_applications_received_after_it(demo_store):
    """The stand-in sign-off date (``retention set --signed-off-on``) cannot have decided an
    application received after it (a later round, still open in the app): that application's
    retention has not started, and a purge leaves it."""
    st = demo_store
    days = sorted(a.submitted_on for a in st.applications.list())
    cut = days[len(days) // 2]
    st.privacy.set_retention(signed_off_on=cut)
    items = {i.application_id: i for i in st.privacy.schedule(date(2030, 1, 1))}
    received = {a.id: a.submitted_on for a in st.applications.list()}
    later = {a for a, day in received.items() if day > cut}
    assert later and len(later) < len(received)
    for app, item in items.items():
        if app in later:
            assert (item.since, item.until, item.due) == (None, None, False), app
        else:
            assert (item.since, item.until, item.due) == (cut, cut.replace(year=cut.year + 1), True), app
    plan = st.privacy.purge_plan(date(2030, 1, 1))
    assert later.isdisjoint(i.application_id for i in plan.due)


# --- data subjects' rights ------------------------------------------------------------------------
def test_subject_export_correct_and_delete(demo_store, tmp_path):
    st = demo_store
    planted = plant(st)
    app = planted.application
    with pytest.raises(ValidationError, match="give the reason"):
        st.privacy.subject_export(app, tmp_path / "x.json", reason=" ")
    out = st.privacy.subject_export(app, tmp_path / "subject.json", reason="정보주체 열람 청구 (2013-02-01 접수)")
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["application"]["representative"] == "홍길순"
    assert any(v["attendees"] == "홍길순, 이아무개" for v in doc["site_visits"])
    assert any(p["data_base64"] for p in doc["photos"])
    assert any(e["action"] == "subject_correct" and e["new"]["representative"] == "홍길순" for e in doc["audit_trail"])
    [logged] = [e for e in st.privacy.access_log(subject=app) if e.action == "subject_export"]
    assert logged.fingerprint == hashlib.sha256(out.read_bytes()).hexdigest() and logged.reason.startswith("정보주체")
    with pytest.raises(ValidationError, match="not an e-mail address"):
        st.privacy.subject_correct(app, "email", "not-an-address", reason="정정 요청")
    assert st.privacy.subject_correct(app, "phone", "010-1111-2222", reason="정정 요청").value["changed"]
    # deletion: refused while the retention duty holds, with the reason
    with pytest.raises(PermissionDenied, match=f"cannot be deleted before {date(2013, 5, 1):%Y-%m-%d}"):
        st.privacy.subject_delete(app, reason="삭제 요청", today=date(2012, 12, 1))
    selected = planted.selected[0]
    with pytest.raises(PermissionDenied, match="awardees: 5 years after the project ends"):
        st.privacy.subject_delete(selected, reason="삭제 요청", today=PURGE_DAY)
    r = st.privacy.subject_delete(app, reason="삭제 요청 (2013-06-01)", today=PURGE_DAY).value
    assert r.counts["applications"] == 1 and st.applications.get(app).phone == TOMBSTONE
    assert st.privacy.purges()[-1].kind == "subject_delete"
    with pytest.raises(ValidationError, match="already destroyed"):
        st.privacy.subject_delete(app, reason="again", today=PURGE_DAY)
    assert st.verify_audit().ok


# --- the access log ---------------------------------------------------------------------------------
@pytest.mark.plain_sqlite
def test_the_access_log_after_each_action(demo_store, tmp_path, capsys):
    st = demo_store
    app = "2012-A-001"
    st.privacy.add_person("김민지", "coordinator")
    st.set_actor("김민지")
    account = st.identity.account
    steps = [
        ("view", lambda: st.privacy.view_application(app), {"representative", "phone", "email", "address"}, ""),
        ("print", lambda: st.reports.dossier(tmp_path / "d.pdf", application_id=app), set(), ""),
        ("print", lambda: st.reports.dossier(tmp_path / "dp.pdf", application_id=app, include_personal=True,
                                             reason="선정위원회 회의"), {"representative", "attendees"}, "선정위원회 회의"),
        ("export", lambda: st.excel.export_ranking(tmp_path / "r.xlsx", include_personal=True,
                                                   reason="시스템 등록용"), {"phone"}, "시스템 등록용"),
        ("export", lambda: st.excel.export_scores(tmp_path / "s.xlsx"), set(), ""),
        ("subject_export", lambda: st.privacy.subject_export(app, tmp_path / "x.json", reason="열람 청구"),
         {"address"}, "열람 청구"),
    ]
    for n, (action, do, fields, reason) in enumerate(steps, 1):
        do()
        log = st.privacy.access_log()
        assert len(log) == n
        e = log[-1]
        assert (e.action, e.reason) == (action, reason)
        assert fields <= set(e.fields) and (fields or not e.fields)
        assert app in e.subjects and e.actor == f"김민지 ({account})" and e.role == "coordinator"
        assert e.at <= datetime.utcnow() + timedelta(seconds=1)
    # the workbook with contact data has them on its own sheet
    from openpyxl import load_workbook

    wb = load_workbook(tmp_path / "r.xlsx", read_only=True)
    assert "연락처" in wb.sheetnames  # (``contacts`` in English: docs/excel-formats.md)
    assert st.privacy.verify_access_log().ok and st.verify_audit().ok
    assert main(["access-log", "--subject", app, "--json", "--db", url(st.sqlite_path)]) == 0
    assert len(json.loads(capsys.readouterr().out)["items"]) == len(steps)
    # an entry changed behind the log's back shows in audit verify
    con = sqlite3.connect(st.sqlite_path)
    con.execute("UPDATE access_event SET reason = '' WHERE action = 'subject_export'")
    con.commit()
    con.close()
    v = st.verify_audit()
    assert not v.ok and any(p.startswith("the access log: entry") and "was altered" in p for p in v.problems)


def test_an_output_with_contact_data_needs_a_reason_and_writes_nothing_without_it(demo_store, tmp_path, capsys):
    db = url(demo_store.sqlite_path)
    demo_store.close()
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    for argv in (["report", "dossier", "--application", "2012-A-001", "--include-personal", "--out",
                  str(tmp_path / "d.pdf")],
                 ["report", "sheets", "--application", "2012-A-001", "--include-personal", "--out",
                  str(tmp_path / "s.pdf")],
                 ["export", "ranking", str(tmp_path / "r.xlsx"), "--include-personal"]):
        assert main(argv + ["--db", db]) == 2, argv
        assert "give the reason" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
    assert main(["access-log", "--json", "--db", db]) == 0
    assert json.loads(capsys.readouterr().out)["items"] == []


def test_the_monthly_review_and_the_retention_of_the_access_log(demo_store, tmp_path, monkeypatch):
    st = demo_store
    old = datetime(2011, 3, 15, 1, 0)  # 10:00 KST
    with st.uow.write() as s:
        for i in range(3):
            access.log(s, actor=st.identity, device=st.device, action="export", what="ranking workbook",
                       subjects=[f"2012-A-00{i + 1}"], fields=["phone"], reason="" if i else "보고용",
                       at=old + timedelta(days=i))
        access.log(s, actor=st.identity, device=st.device, action="view", what="application detail",
                   subjects=["2012-A-004"], fields=["phone"], at=datetime(2011, 3, 19, 14))  # a Saturday
    pdf = st.privacy.review("2011-03", tmp_path / "review.pdf")
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    squashed = "".join(text.split())
    assert "접속기록월간점검표" in squashed and "보고용" in text and "이상없음" in squashed
    assert "사유없이연락처출력" in squashed and "업무시간외" in squashed
    assert st.privacy.access_log()[-1].action == "review"
    # kept one year (two from 50,000 data subjects): the 2011 entries go with the next purge
    assert st.privacy.access_retention() == (1, 48)
    monkeypatch.setattr(access, "LARGE_SUBJECTS", 48)
    assert st.privacy.access_retention() == (2, 48)
    monkeypatch.undo()
    plan = st.privacy.purge_plan(date(2013, 1, 1))
    assert plan.access_entries == 4 and not plan.due  # (the review itself was logged today)
    st.privacy.purge(date(2013, 1, 1))
    assert [e.action for e in st.privacy.access_log()] == ["review"] and st.privacy.verify_access_log().ok
    assert st.privacy.purges()[-1].kind == "access_log"
    st.privacy.view_application("2012-A-001")  # the chain goes on from what the pruning kept
    v = st.privacy.verify_access_log()
    assert v.ok and v.entries == 2 and v.pruned == 4 and st.verify_audit().ok


# --- who acts ---------------------------------------------------------------------------------------
def test_every_session_has_a_named_actor(demo_store, tmp_path, capsys):
    st = demo_store
    who = st.identity
    assert who.name == who.account and who.source == "account" and who.name not in ("office", "field")
    st.privacy.add_person("이서연", "chair")
    db = url(st.sqlite_path)
    st.close()
    assert main(["people", "--db", db, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [p["name"] for p in doc["people"]] == ["이서연"]
    assert main(["override", "2012-A-001", "selected", "--reason", "위원회 의결", "--actor", "이서연",
                 "--db", db]) == 0
    capsys.readouterr()
    with Store(db) as st2:
        [o] = st2.ranking.overrides()
        assert o["by"] == f"이서연 ({who.account})"


# --- office keys ------------------------------------------------------------------------------------
def test_two_office_databases_in_one_data_folder_keep_separate_keys(tmp_path, capsys):
    a, b = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    for p in (a, b):
        assert main(["init", "--db", url(p)]) == 0
    secret = tmp_path / "pass"
    secret.write_text(PASS)
    capsys.readouterr()
    assert main(["keys", "init", "--db", url(a), "--passphrase-file", str(secret), "--json"]) == 0
    fa = json.loads(capsys.readouterr().out)["fingerprint"]
    assert main(["keys", "init", "--db", url(b), "--passphrase-file", str(secret)]) == 0
    out = capsys.readouterr().out
    assert "Created a new key pair" in out and fa not in out
    with Store(url(a)) as sa, Store(url(b)) as sb:
        ka, kb = sa.keys.identity(), sb.keys.identity()
        assert ka.fingerprint == fa and kb.fingerprint != fa
        assert Path(ka.path).name == f"office-{fa}.key" and ka.path != kb.path
        assert ka.database == sa.device and kb.database == sb.device
        sa.keys.unlock(PASS)
        sb.keys.unlock(PASS)
    # a key file that is not the database's: one sentence
    Path(ka.path).rename(tmp_path / "elsewhere.key")
    with Store(url(a)) as sa:
        with pytest.raises(K.KeyMismatch, match=f"uses office key {fa}, but the key folder .* holds no key file for "
                                                "it") as err:
            sa.keys.unlock(PASS)
        assert err.value.params["fingerprint"] == fa and len(str(err.value).split(". ")) == 1
    # sharing a key on purpose
    c = tmp_path / "c.sqlite3"
    with Store(url(c)) as sc:
        info = sc.keys.use(tmp_path / "elsewhere.key", PASS).value
        assert info.fingerprint == fa and sc.keys.identity().fingerprint == fa
        with pytest.raises(K.KeyProblem, match="already uses office key"):
            sc.keys.use(kb.path, PASS)
    with Store(url(a)) as sa:
        assert sa.keys.unlock(PASS).fingerprint == fa  # (found again by its fingerprint)


# --- photos -----------------------------------------------------------------------------------------
@pytest.mark.plain_sqlite
def test_a_removed_photo_loses_its_bytes(demo_store):
    st = demo_store
    a = next(x for x in st.people.assignments() if not x.is_conflict)
    photo = st.scoring.add_attachment(a.application_id, a.evaluator, b"\xff\xd8" + PHOTO_MARK.encode() * 50,
                                      filename="p.jpg").value
    st.scoring.remove_attachment(photo.uuid)
    path = st.sqlite_path
    st.close()
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (data,) = con.execute("SELECT data FROM attachment WHERE uuid = ?", (photo.uuid,)).fetchone()
    con.close()
    assert data is None
    for f in sqlite_files(path):
        assert PHOTO_MARK not in found_in(f, (PHOTO_MARK,)), f


# --- a laptop retires its field database --------------------------------------------------------------
def test_kit_retire_destroys_the_field_database_once_the_office_confirms_the_merge(demo_before_visits_store,
                                                                                   tmp_path, capsys):
    from evaluator.workflows import make_field_database

    office = demo_before_visits_store
    key_dir = tmp_path / "keys"
    office.keys.ensure(PASS, key_dir=key_dir)
    field_db = tmp_path / "laptop" / "field.sqlite3"
    make_field_database(office, "EV01", field_db, db_passphrase=None, include_personal=True)
    with Store(url(field_db)) as fld:
        a = fld.people.assignments(evaluator="EV01")[0]
        rubric = fld.programs.rubric(fld.applications.get(a.application_id).track)
        fld.scoring.save_score(a.application_id, "EV01", rubric.criteria[0].code, level=rubric.levels[0].key,
                               comment="홍길순 씨 면담")
        fld.keys.ensure(PASS, key_dir=key_dir)
        office.keys.register_evaluator("EV01", fld.keys.identity(key_dir=key_dir).signing_public)
        pkg = fld.packages.export_package(tmp_path / "p1.mepkg", passphrase=PASS, key_dir=key_dir).value
        fld.backup(tmp_path / "laptop" / "field-copy.sqlite3", remember=True)
    [r] = office.packages.merge([tmp_path / "p1.mepkg"], passphrase=PASS, key_dir=key_dir).value
    assert r.status == "merged"
    receipt = tmp_path / "receipt.json"
    office.privacy.merge_receipt("EV01", receipt, passphrase=PASS, key_dir=key_dir)
    # a receipt altered, or for changes made after the package: refused, nothing destroyed
    forged = tmp_path / "forged.json"
    doc = json.loads(receipt.read_text())
    forged.write_text(json.dumps({**doc, "sequence": 7}))
    with Store(url(field_db)) as fld:
        with pytest.raises(ReceiptRefused, match="not signed by the office key"):
            fld.privacy.check_receipt(forged)
        fld.scoring.save_score(a.application_id, "EV01", rubric.criteria[0].code, level=rubric.levels[1].key)
        with pytest.raises(ReceiptRefused, match="was changed after package 1 was exported"):
            fld.privacy.check_receipt(receipt)
        pkg = fld.packages.export_package(tmp_path / "p2.mepkg", passphrase=PASS, key_dir=key_dir).value
    assert field_db.exists()
    office.packages.merge([tmp_path / "p2.mepkg"], passphrase=PASS, key_dir=key_dir)
    with Store(url(field_db)) as fld:
        with pytest.raises(ReceiptRefused, match="confirms package 1, but this laptop's last package is number 2"):
            fld.privacy.check_receipt(receipt)
    office.privacy.merge_receipt("EV01", receipt, passphrase=PASS, key_dir=key_dir)
    assert pkg.sequence == 2
    capsys.readouterr()
    assert main(["kit", "retire", "--receipt", str(receipt), "--db", url(field_db), "--json"]) == 0
    done = json.loads(capsys.readouterr().out)
    assert not field_db.exists() and not Path(f"{field_db}-wal").exists() and not Path(f"{field_db}-shm").exists()
    assert not (tmp_path / "laptop" / "field-copy.sqlite3").exists()
    assert str(field_db.resolve()) in done["files"]
    record = json.loads(Path(done["record"]).read_text())
    assert record["package"] == 2 and record["evaluator"] == "EV01" and "홍길순" not in json.dumps(record)
    # the office's audit trail says it gave the receipts
    assert office.verify_audit().ok


def test_a_receipt_is_for_one_laptop_only(demo_before_visits_store, tmp_path):
    from evaluator.workflows import make_field_database

    office = demo_before_visits_store
    key_dir = tmp_path / "keys"
    office.keys.ensure(PASS, key_dir=key_dir)
    laptops = []
    for name in ("one", "two"):
        path = tmp_path / f"{name}.sqlite3"
        make_field_database(office, "EV01", path, db_passphrase=None)
        laptops.append(path)
    with Store(url(laptops[0])) as fld:
        fld.keys.ensure(PASS, key_dir=key_dir)
        office.keys.register_evaluator("EV01", fld.keys.identity(key_dir=key_dir).signing_public)
        fld.packages.export_package(tmp_path / "p.mepkg", passphrase=PASS, key_dir=key_dir)
    office.packages.merge([tmp_path / "p.mepkg"], passphrase=PASS, key_dir=key_dir)
    office.privacy.merge_receipt("EV01", tmp_path / "r.json", passphrase=PASS, key_dir=key_dir)
    with Store(url(laptops[1])) as other:
        with pytest.raises(ReceiptRefused, match="not for this one"):
            other.privacy.check_receipt(tmp_path / "r.json")
    shutil.copyfile(tmp_path / "r.json", tmp_path / "r2.json")
    with Store(url(office.sqlite_path)) as st:
        with pytest.raises(ReceiptRefused, match="is an office database"):
            st.privacy.check_receipt(tmp_path / "r2.json")


# --- merged packages: the evidence kept is re-written without the purged people ---------------------
@pytest.mark.plain_sqlite
def test_a_purge_rewrites_the_evidence_of_merged_packages_and_the_replay_still_holds(tmp_path):
    from datetime import date as day

    from evaluator.packages.archive import unstore
    from evaluator.packages.models import PackageEvidence

    from .packages_fixtures import tiny_office

    key_dir = tmp_path / "keys"
    office_path, _ = tiny_office(tmp_path, key_dir)
    field = tmp_path / "tiny-field.sqlite3"
    with Store(url(field)) as fld:  # the laptop names people, then exports again
        fld.scoring.reopen("T-1", "EV01", "정정")
        crit = fld.scoring.evaluation("T-1", "EV01").scores[0]
        fld.scoring.save_score("T-1", "EV01", crit.criterion, level=crit.level,
                               points=None if crit.level else crit.points, comment="홍길순 님 면담")
        fld.scoring.save_visit("T-1", "EV01", attendees="김아무개, 이아무개")
        fld.scoring.finalise("T-1", "EV01")
        pkg = fld.packages.export_package(tmp_path / "again.mepkg", passphrase=PASS, key_dir=key_dir).value
        laptop_trail = " ".join(str(r) for r in _rows(field, "SELECT old, new FROM audit_event"))
        assert "홍길순" not in laptop_trail  # the laptop's own entries are sealed too
    with Store(url(office_path)) as st:
        [r] = st.packages.merge([pkg.path], passphrase=PASS, key_dir=key_dir).value
        assert r.status == "merged"
        st.ranking.record(stability=False)
        st.ranking.override("T-1", "not_selected", "위원회 의결")
        st.privacy.set_retention(signed_off_on="2012-05-01")
        with st.uow.read() as s:
            [e] = s.query(PackageEvidence).all()
            before = unstore(e.data_method, bytes(e.data)).decode()
        assert "홍길순" in before and "김아무개" in before
        plan = st.privacy.purge_plan(day(2013, 6, 1))
        assert [d.application_id for d in plan.due] == ["T-1"] and len(plan.evidence) == 1
        st.privacy.purge(day(2013, 6, 1))
        with st.uow.read() as s:
            [e] = s.query(PackageEvidence).all()
            after = unstore(e.data_method, bytes(e.data)).decode() + unstore(e.audit_method, bytes(e.audit_trail)).decode()
        assert "홍길순" not in after and "김아무개" not in after and TOMBSTONE in after
        [check] = st.packages.verify_evidence()
        assert check.ok and check.redacted.startswith("re-written by purge")
        v = st.verify_audit()
        assert v.ok, v.problems[:3]
    for f in sqlite_files(office_path):
        assert found_in(f, ("홍길순", "김아무개", "이아무개")) == [], f


def test_a_programs_own_personal_fields_are_destroyed_with_the_contact_data(tmp_path):
    """A program file may mark a typed intake field personal (the rolling example's 회계담당자
    연락처); deleting an applicant's data destroys it too, and leaves the others as they were."""
    from evaluator.paths import resource

    db = tmp_path / "office.sqlite3"
    with Store(f"sqlite:///{db}") as st:
        st.programs.create_from_file(resource("programs", "seoul-cbp-2013-rolling.toml"))
        st.excel.import_applications(resource("programs", "examples", "intake-2013-04.xlsx"))
        app = next(a.id for a in st.applications.list() if st.applications.get(a.id).fields.get("treasurer_phone"))
        before = st.applications.get(app).fields
        st.privacy.set_retention(signed_off_on=date(2013, 7, 1))
        st.privacy.subject_delete(app, reason="삭제 요청", today=date(2015, 1, 2))
        after = st.applications.get(app).fields
    assert after["treasurer_phone"] == TOMBSTONE
    assert {k: v for k, v in after.items() if k != "treasurer_phone"} == {
        k: v for k, v in before.items() if k != "treasurer_phone"}
    assert before["treasurer_phone"].encode() not in db.read_bytes()
