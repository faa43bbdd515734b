"""Edits made behind the audit trail's back are caught (security issue, item 8).

A field laptop scores, finalises and exports a signed result package (which signs the audit
chain's head: anchor 1), then goes on scoring.  Someone with the database file and a plain SQLite
tool — the stdlib ``sqlite3`` driver, or ``sqlcipher3`` with the database passphrase for an
encrypted field database — then edits it, as each test below does.  Before this check existed,
every one of these edits left ``evaluator audit verify`` saying "intact" and ``package export``
signed the edited score.  Now ``audit verify`` exits 5 naming what is wrong, ``package export``
refuses with one sentence and writes no file, and neither prints a traceback.

The same check replays every committed fixture database (schemas 0001-0003, plain and
encrypted) without a false alarm and still catches an edit made to one after its upgrade.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from evaluator.audit.chain import entry_hash
from evaluator.cli import main
from evaluator.db import encryption
from evaluator.workflows import import_kit
from evaluator.rubric import parse_rubric
from evaluator.services.programs import TrackSpec
from evaluator.store import Store

from ..core.packages_fixtures import PASS, enter_scores
from ..core.rubric_samples import small_rubric
from .support import raw_connect, record
from .test_upgrades import PLAIN_AND_ENCRYPTED

DB_PASSPHRASE = "laptop database passphrase"
MODES = [pytest.param(None, id="sqlite3"),
         pytest.param(DB_PASSPHRASE, id="sqlcipher3",
                      marks=pytest.mark.skipif(not encryption.available(), reason="sqlcipher3 is not installed"))]


def _laptop(root: Path, passphrase: str | None) -> Path:
    """An office with four applications for EV01; EV01's laptop (encrypted with ``passphrase``)
    scores and finalises three, exports package 1 (anchor 1), then reopens one and changes a score."""
    root.mkdir(parents=True, exist_ok=True)
    key_dir = root / "keys"
    rd = parse_rubric(small_rubric(), "mini.toml")
    with Store(f"sqlite:///{root / 'office.sqlite3'}") as office:
        office.programs.create(code="field", name_ko="현장 평가", tracks=[TrackSpec("activity", "활동", "Activity", rd,
                                                                                   quota=2)])
        office.people.put_evaluator("EV01", "가상평가")
        for i in range(4):
            office.applications.put({"id": f"A{i}", "track": "activity", "title": f"가상 사업 {i}", "members": 5})
            office.people.assign(f"A{i}", "EV01")
        office.keys.ensure(PASS, key_dir=key_dir)
        kit = office.packages.export_kit("EV01", root / "EV01.mekit").value
    field = root / "field.sqlite3"
    import_kit(kit.path, f"sqlite:///{field}", passphrase=passphrase)
    with Store(f"sqlite:///{field}", passphrase=passphrase) as fld:
        fld.keys.ensure(PASS, key_dir=key_dir)
        enter_scores(fld, "EV01", visit=False, limit=3)
        fld.packages.export_package(root / "EV01-1.mepkg", key_dir=key_dir)
        fld.scoring.reopen("A0", "EV01", "다시 확인")
        fld.scoring.save_score("A0", "EV01", "a", level="가")
    (root / "ev01.pass").write_text(PASS + "\n", encoding="utf-8")
    return field


@pytest.fixture(scope="module")
def laptops(tmp_path_factory):
    made: dict[str | None, Path] = {}

    def get(passphrase: str | None) -> Path:
        if passphrase not in made:
            made[passphrase] = _laptop(tmp_path_factory.mktemp("laptop"), passphrase)
        return made[passphrase]
    return get


@pytest.fixture
def laptop(laptops, tmp_path, request, monkeypatch):
    """A fresh copy of the laptop (its folder: database, keys, passphrase file)."""
    passphrase = request.param
    src = laptops(passphrase).parent
    dst = tmp_path / "laptop"
    shutil.copytree(src, dst)
    if passphrase is not None:
        monkeypatch.setenv("EVALUATOR_DB_PASSPHRASE", passphrase)
    return dst / "field.sqlite3", passphrase


def _sql(path: Path, passphrase: str | None, *statements: tuple) -> None:
    """Edit the file as an outsider would: a plain driver connection, no app code."""
    conn = raw_connect(path, passphrase)
    try:
        conn.execute("BEGIN")
        for st in statements:
            conn.execute(*st)
        conn.execute("COMMIT")
    finally:
        conn.close()


def _verify(path: Path, capsys) -> tuple[int, str, dict]:
    code = main(["audit", "verify", "--db", f"sqlite:///{path}"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    code_json = main(["audit", "verify", "--db", f"sqlite:///{path}", "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert code_json == code
    return code, out, doc


def _export(path: Path, capsys) -> tuple[int, str, Path]:
    out_file = path.parent / "EV01-2.mepkg"
    code = main(["package", "export", "--out", str(out_file), "--db", f"sqlite:///{path}",
                 "--passphrase-file", str(path.parent / "ev01.pass"), "--key-dir", str(path.parent / "keys")])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, err, out_file


def _refused(path: Path, capsys, *expected: str) -> str:
    """``audit verify`` fails naming each of ``expected``; ``package export`` refuses, no file."""
    code, out, doc = _verify(path, capsys)
    assert code == 5 and "BROKEN" in out, out
    assert doc["ok"] is False and doc["problems"]
    for text in expected:
        assert text in out, f"{text!r} not in:\n{out}"
    code, err, out_file = _export(path, capsys)
    assert code != 0 and "audit trail of this field database is broken" in err and "no package was made" in err, err
    assert not out_file.exists()
    return out


def _rows(path: Path, passphrase: str | None, sql: str, *args) -> list[tuple]:
    conn = raw_connect(path, passphrase)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def _mode(passphrase: str | None) -> str:
    return "sqlcipher3, encrypted" if passphrase else "sqlite3"


@pytest.mark.parametrize("laptop", MODES, indirect=True)
def test_the_untouched_laptop_verifies_and_exports(laptop, capsys):
    path, _ = laptop
    code, out, doc = _verify(path, capsys)
    assert code == 0 and "Audit trail intact" in out and doc["anchors"] == 1
    assert doc["replayed"] == {"evaluations": 3, "scores": 6, "decisions": 0}
    assert doc["last_anchor"]["event"] == "package_export"
    code, err, out_file = _export(path, capsys)
    assert code == 0 and out_file.exists(), err
    code, out, doc = _verify(path, capsys)
    assert code == 0 and doc["anchors"] == 2


@pytest.mark.parametrize("laptop", MODES, indirect=True)
def test_an_edited_score_is_named(laptop, capsys):
    path, passphrase = laptop
    _sql(path, passphrase, ("UPDATE score SET level = 'su', points = 40.0 WHERE criterion_id = "
                            "(SELECT id FROM criterion WHERE code = 'b') AND evaluation_id = (SELECT e.id FROM "
                            "evaluation e JOIN assignment a ON a.id = e.assignment_id JOIN application ap ON "
                            "ap.id = a.application_id WHERE ap.external_id = 'A1')",))
    out = _refused(path, capsys, "the evaluation of A1 by EV01: the score for 'b' is su (40 points) in the database, "
                                 "but the audit trail says")
    record(f"audit tampering: an edited score ({_mode(passphrase)}) named, package refused", trials=1)
    assert "A0" not in out


@pytest.mark.parametrize("laptop", MODES, indirect=True)
def test_an_edited_evaluation_state_is_named(laptop, capsys):
    path, passphrase = laptop
    _sql(path, passphrase, ("UPDATE evaluation SET state = 'draft', finalised_at = NULL WHERE assignment_id = "
                            "(SELECT a.id FROM assignment a JOIN application ap ON ap.id = a.application_id "
                            "WHERE ap.external_id = 'A2')",))
    _refused(path, capsys, "the evaluation of A2 by EV01: its state is 'draft' in the database, but the audit trail "
                           "says 'finalised'")
    record(f"audit tampering: an edited evaluation state ({_mode(passphrase)}) named, package refused", trials=1)


@pytest.mark.parametrize("laptop", MODES, indirect=True)
def test_the_last_audit_row_deleted_is_caught(laptop, capsys):
    """The last entry set A0's score 'a' to 가 after the export: without it the chain says the score
    is what it was before, and the record no longer matches."""
    path, passphrase = laptop
    _sql(path, passphrase, ("DELETE FROM audit_event WHERE id = (SELECT max(id) FROM audit_event)",))
    _refused(path, capsys, "the evaluation of A0 by EV01: the score for 'a' is ga (12 points) in the database, but "
                           "the audit trail says")
    record(f"audit tampering: the last audit row deleted ({_mode(passphrase)}) caught, package refused", trials=1)


@pytest.mark.parametrize("laptop", MODES, indirect=True)
def test_the_last_ten_audit_rows_deleted_are_caught(laptop, capsys):
    """Ten entries reach back past the package export: the anchor it signed is cut off."""
    path, passphrase = laptop
    last = _rows(path, passphrase, "SELECT max(id) FROM audit_event")[0][0]
    _sql(path, passphrase, ("DELETE FROM audit_event WHERE id > ?", (last - 10,)))
    _refused(path, capsys, f"but the audit trail now ends at entry {last - 10}: entries were cut off its end")
    record(f"audit tampering: the last 10 audit rows deleted ({_mode(passphrase)}) caught, package refused", trials=1)


@pytest.mark.parametrize("laptop", MODES, indirect=True)
def test_a_rewritten_entry_with_its_hashes_recomputed_is_caught(laptop, capsys):
    """The most careful edit: A1's score 'a' and its audit entry both changed to 수, and every hash
    from that entry on recomputed, so the chain links and the replay agrees — but the anchor
    signed at the package export no longer matches the chain."""
    path, passphrase = laptop
    conn = raw_connect(path, passphrase)
    try:
        conn.execute("BEGIN")
        rows = conn.execute("SELECT id, uuid, at, actor, device, action, entity, entity_uuid, old, new, reason, "
                            "prev_hash, hash FROM audit_event ORDER BY id").fetchall()
        target = next(r for r in rows if r[5] == "score" and json.loads(r[9])["application"] == "A1"
                      and json.loads(r[9])["criterion"] == "a")
        new = dict(json.loads(target[9]), level="su", points=60.0)
        conn.execute("UPDATE audit_event SET new = ? WHERE id = ?", (json.dumps(new), target[0]))
        conn.execute("UPDATE score SET level = 'su', points = 60.0 WHERE uuid = ?", (target[7],))
        prev = None
        for r in rows:
            if r[0] < target[0]:
                prev = r[12]
                continue
            fields = {"uuid": r[1], "at": r[2].replace(" ", "T"), "actor": r[3], "device": r[4] or "",
                      "action": r[5], "entity": r[6], "entity_uuid": r[7], "old": json.loads(r[8]),
                      "new": new if r[0] == target[0] else json.loads(r[9]), "reason": r[10] or ""}
            digest = entry_hash(prev, fields)
            conn.execute("UPDATE audit_event SET prev_hash = ?, hash = ? WHERE id = ?", (prev, digest, r[0]))
            prev = digest
        conn.execute("COMMIT")
    finally:
        conn.close()
    out = _refused(path, capsys, "anchor 1 (package export", "which the audit trail no longer holds: the trail was "
                                                             "rewritten up to there")
    assert "hash chain" not in out and "score for" not in out  # the chain and the records agree: only the anchor
    record(f"audit tampering: an entry rewritten, hashes recomputed ({_mode(passphrase)}) caught, package refused",
           trials=1)


@pytest.mark.parametrize("laptop", MODES, indirect=True)
def test_a_deleted_anchor_is_caught(laptop, capsys):
    path, passphrase = laptop
    _sql(path, passphrase, ("DELETE FROM audit_anchor",))
    _refused(path, capsys, "the audit trail announces anchor 1 at entry", "but the anchor is missing")
    record(f"audit tampering: the signed anchor deleted ({_mode(passphrase)}) caught, package refused", trials=1)


@pytest.mark.parametrize("laptop", MODES, indirect=True)
def test_a_forged_anchor_is_caught(laptop, capsys):
    """The anchor's signed head pointed at a later entry (a tail made to look anchored)."""
    path, passphrase = laptop
    last = _rows(path, passphrase, "SELECT id, hash FROM audit_event ORDER BY id DESC LIMIT 1")[0]
    _sql(path, passphrase, ("UPDATE audit_anchor SET entry_id = ?, head = ?", last))
    _refused(path, capsys, "anchor 1 (package export", "does not match its signature: the anchor was altered")
    record(f"audit tampering: an anchor moved to a later entry ({_mode(passphrase)}) caught, package refused",
           trials=1)


# --- the committed fixtures: no false alarm, and an edit still caught ------------------------------
@pytest.mark.parametrize(("fixture", "passphrase"), PLAIN_AND_ENCRYPTED, ids=lambda v: getattr(v, "name", None))
def test_an_upgraded_fixture_replays_and_an_edit_to_it_is_caught(fixture, passphrase, tmp_path):
    """Databases written before the audit entries named the evaluation replay from what their
    entries do carry (each score entry's score row): no false alarm; an edit made after the
    upgrade is named."""
    if passphrase is not None:
        pytest.importorskip("sqlcipher3")
    work = tmp_path / fixture.name
    shutil.copyfile(fixture, work)
    with Store(f"sqlite:///{work}", passphrase=passphrase) as st:
        v = st.verify_audit()
        assert v.ok, v.problems[:5]
        assert v.replayed["scores"] > 900 and v.replayed["evaluations"] > 100
        a = next(x for x in st.people.assignments() if x.state == "finalised")
    _sql(work, passphrase, ("UPDATE evaluation SET abstained = 1, abstain_reason = '가짜' WHERE uuid = "
                            "(SELECT e.uuid FROM evaluation e JOIN assignment asg ON asg.id = e.assignment_id "
                            "JOIN application ap ON ap.id = asg.application_id JOIN evaluator ev ON "
                            "ev.id = asg.evaluator_id WHERE ap.external_id = ? AND ev.code = ?)",
                            (a.application_id, a.evaluator)),
         ("DELETE FROM score WHERE id = (SELECT max(id) FROM score)",))
    with Store(f"sqlite:///{work}", passphrase=passphrase) as st:
        v = st.verify_audit()
    assert not v.ok
    assert f"the evaluation of {a.application_id} by {a.evaluator}: its abstention is yes in the database, but the " \
           "audit trail says no (no entry ever set it)" in v.problems, v.problems
    # (the score entries of fixtures before 0004 do not name their evaluation: the deleted row is named by its
    # uuid; from 0004 on, by its evaluation and criterion)
    assert any((p.startswith("the score ") and p.endswith("is missing from the database"))
               or ("the score for" in p and "is missing from the database, but the audit trail says" in p)
               for p in v.problems), v.problems
    assert len(v.problems) == 3  # abstention, its reason, the deleted score: nothing else
    record(f"audit replay of an upgraded fixture, {fixture.name} (no false alarm; two edits named)", trials=1,
           inputs=v.replayed["scores"] + v.replayed["evaluations"])
