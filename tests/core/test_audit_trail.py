"""The audit trail at the office and its one-home rules.

* The fast paths write exactly what the general ones write: a score saved by the autosave's SQL
  and by ``scoring.save_score`` on the ORM, entries appended one by one and in bulk — row for row,
  hashes included.
* At the office, records a merge added or changed (their values come from the package's evidence
  and the merge's entry), conflict resolutions, computed decisions and overrides replay from the
  chain: an edit behind its back is named.
* Merges and kit exports sign the chain's head with the office key (anchors); the last anchor is
  printed in PDF footers and written to the Excel ``_meta`` sheet; round sign-off anchors too;
  nothing is signed over a broken chain.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from evaluator import audit
from evaluator.audit import signing
from evaluator.audit.anchors import AuditBroken
from evaluator.cli import main
from evaluator.db.models import AuditAnchor, deterministic
from evaluator.excel.writer import read_meta
from evaluator.packages import keys as K
from evaluator.packages.results import MERGED
from evaluator.services import scoring
from evaluator.services.common import application_by_id, current_program, evaluator_by_code
from evaluator.store import Store

from .packages_fixtures import PASS, copy_db, db_checksum, tiny_office, url
from .reports_fixtures import Pdf
from .test_sqlite import _SAVES, _rows, _twin_stores


# --- one home per rule: the fast and the general paths write the same rows -------------------------
def test_the_autosave_and_the_orm_save_write_identical_rows(tmp_path):
    """The same saves (new evaluation, new scores, changes, a cleared score, an expected version, an
    unchanged save) through ``Store.save_score`` (the autosave's raw SQL) and through
    ``scoring.save_score`` (the ORM, as imports use it): the same results and, byte for byte, the
    same evaluation, score and audit rows — hashes included."""
    fast, general = _twin_stores(tmp_path)
    start = datetime(2024, 5, 20, 10)
    with deterministic("score-paths", start):
        got_fast = [fast.scoring.save_score(app, "EV01", crit, **kw).value for app, crit, kw in _SAVES]
    got_general = []
    with deterministic("score-paths", start):
        for app_id, crit, kw in _SAVES:
            with general.uow.write() as s:
                app = application_by_id(s, app_id, current_program(s))
                got_general.append(scoring.save_score(s, app, evaluator_by_code(s, "EV01"), crit, **kw,
                                                      actor=general.actor, device=general.device))
    assert got_fast == got_general
    fast_rows, general_rows = _rows(fast), _rows(general)
    assert len(fast_rows["audit_event"]) == len(general_rows["audit_event"]) > 6
    assert fast_rows == general_rows
    entry = json.loads(fast_rows["audit_event"][-1][9])  # the entry names where the score belongs
    assert {"application", "criterion", "evaluator", "evaluation"} <= entry.keys()
    assert fast.verify_audit().ok and general.verify_audit().ok
    fast.close()
    general.close()


def test_errors_are_the_same_on_both_paths(tmp_path):
    from evaluator.errors import EditConflict, EvaluationLocked, ValidationError

    fast, general = _twin_stores(tmp_path)
    for st in (fast, general):
        st.scoring.save_score("A00", "EV01", "a", level="수")
        st.scoring.save_score("A00", "EV01", "b", level="수")
        st.scoring.finalise("A00", "EV01")

    def general_save(crit, **kw):
        with general.uow.write() as s:
            app = application_by_id(s, "A00", current_program(s))
            scoring.save_score(s, app, evaluator_by_code(s, "EV01"), crit, **kw, actor="x")

    messages = []
    for save in (lambda c, **kw: fast.scoring.save_score("A00", "EV01", c, **kw), general_save):
        row = []
        for crit, kw in (("a", {"level": "우"}), ("a", {"level": "없음"})):
            with pytest.raises((EvaluationLocked, ValidationError)) as err:
                save(crit, **kw)
            row.append(str(err.value))
        messages.append(row)
    assert messages[0] == messages[1] and "is finalised; reopen it" in messages[0][0]
    for st in (fast, general):
        st.scoring.reopen("A00", "EV01", "다시")
    with pytest.raises(EditConflict) as a:
        fast.scoring.save_score("A00", "EV01", "a", level="우", expected_version=7)
    with pytest.raises(EditConflict) as b:
        general_save("a", level="우", expected_version=7)
    assert str(a.value) == str(b.value)
    fast.close()
    general.close()


def test_entries_appended_one_by_one_and_in_bulk_are_the_same_rows(tmp_path):
    fast, general = _twin_stores(tmp_path)
    at = datetime(2024, 5, 20, 11)
    entries = [{"actor": "EV01", "device": "d", "action": "score", "entity": "score", "entity_uuid": f"u-{i}",
                "old": None if i % 2 else {"level": "u"}, "new": {"level": "수", "n": i}, "reason": "r" * (i % 3),
                "at": at} for i in range(12)]
    with deterministic("append-paths", at):
        with fast.uow.write() as s:
            for e in entries:
                audit.append(s, **e)
    with deterministic("append-paths", at):
        with general.uow.write() as s:
            audit.append_many(s, entries)
    assert _rows(fast, ("audit_event",)) == _rows(general, ("audit_event",))
    fast.close()
    general.close()


# --- the office: merged records, conflicts, decisions replay ----------------------------------------
@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    root = tmp_path_factory.mktemp("audit-office")
    key_dir = root / "keys"
    office, package = tiny_office(root, key_dir)
    return root, key_dir, office, package


@pytest.fixture
def merged(tiny, tmp_path):
    """A copy of the tiny office with the laptop's package merged (the office key unlocked)."""
    root, key_dir, office, package = tiny
    path = copy_db(office, tmp_path / "office.sqlite3")
    st = Store(url(path))
    st.keys.unlock(PASS, key_dir=key_dir)
    [r] = st.packages.merge([package]).value
    assert r.status == MERGED
    yield st, path
    st.close()


def _edit(path, *statements) -> None:
    conn = sqlite3.connect(path)
    try:
        for st in statements:
            conn.execute(*st) if isinstance(st, tuple) else conn.execute(st)
        conn.commit()
    finally:
        conn.close()


def _problems(st: Store) -> list[str]:
    v = st.verify_audit()
    assert not v.ok
    return list(v.problems)


@pytest.mark.plain_sqlite
def test_a_merged_evaluation_edited_at_the_office_is_named(merged):
    st, path = merged
    v = st.verify_audit()
    assert v.ok and v.replayed["evaluations"] == 1 and v.replayed["scores"] == 2
    assert v.anchors == 2 and v.last_anchor.event == "merge"  # the kit export, then the merge
    a = next(x for x in st.scoring.evaluation("T-1", "EV01").scores if x.criterion == "a")
    level, points = a.level, a.points
    _edit(path, "UPDATE score SET points = points - 1 WHERE criterion_id = (SELECT id FROM criterion WHERE code = 'a')")
    [p] = _problems(st)
    with st.uow.read() as s:
        from evaluator.db.models import AuditEvent

        entry = s.execute(select(AuditEvent.id).where(AuditEvent.action == "merge_package")).scalar_one()
    assert p == (f"the evaluation of T-1 by EV01: the score for 'a' is {level} ({points - 1:g} points) in the "
                 f"database, but the audit trail says {level} ({points:g} points) (entry {entry})")


@pytest.mark.plain_sqlite
def test_a_merged_package_whose_evidence_was_altered_is_named(merged):
    st, path = merged
    with st.uow.read() as s:
        from evaluator.packages.archive import unstore
        from evaluator.packages.models import PackageEvidence

        evd = s.execute(select(PackageEvidence)).scalar_one()
        data = json.loads(unstore(evd.data_method, evd.data))
    data["evaluations"][0]["state"] = "draft"
    _edit(path, ("UPDATE package_evidence SET data = ?, data_method = 0", (json.dumps(data).encode(),)))
    assert any("the evidence of the package merged at entry" in p and "no longer matches the hash" in p
               for p in _problems(st))


@pytest.mark.plain_sqlite
def test_a_resolved_conflict_replays_and_an_edit_after_it_is_named(tiny, tmp_path):
    """A second laptop of EV01 disagrees: the merge's rule keeps the finalised evaluation, the
    office takes the other value; the chain says what the record must be after each step."""
    from evaluator.workflows import import_kit

    root, key_dir, office, package = tiny
    path = copy_db(office, tmp_path / "office.sqlite3")
    import_kit(root / "tiny.mekit", url(tmp_path / "b.sqlite3"))
    with Store(url(tmp_path / "b.sqlite3")) as b:
        b.scoring.save_score("T-1", "EV01", "a", level="가")
        pb = b.packages.export_package(tmp_path / "b.mepkg", passphrase=PASS, key_dir=key_dir).value.path
    with Store(url(path)) as st:
        st.keys.unlock(PASS, key_dir=key_dir)
        _, rb = st.packages.merge([package, pb]).value
        assert len(rb.conflicts) == 1 and st.verify_audit().ok
        st.packages.resolve_conflict(rb.conflicts[0].id, take="other", reason="평가위원 확인")
        assert st.scoring.evaluation("T-1", "EV01").state == "draft" and st.verify_audit().ok
        _edit(path, "UPDATE evaluation SET state = 'finalised'")
        [p] = _problems(st)
        with st.uow.read() as s:
            from evaluator.db.models import AuditEvent

            entry = s.execute(select(AuditEvent.id).where(AuditEvent.action == "resolve_conflict")).scalar_one()
        assert p == (f"the evaluation of T-1 by EV01: its state is 'finalised' in the database, but the audit trail "
                     f"says 'draft' (entry {entry})")


@pytest.mark.plain_sqlite
def test_computed_decisions_and_overrides_replay(merged):
    st, path = merged
    st.ranking.record()  # the snapshot is stored: one ranking entry naming each decision
    st.ranking.override("T-1", "not_selected", "위원회 결정")
    assert st.verify_audit().ok
    decision = st.ranking.record().value.all_rows()[0].computed_decision
    other = "reserve" if decision != "reserve" else "selected"
    _edit(path, ("UPDATE decision SET computed = ?", (other,)))
    [p] = _problems(st)
    assert p.startswith(f"the computed decision on T-1 is {other!r} in the database, but the audit trail says "
                        f"{decision!r} (entry ")
    _edit(path, ("UPDATE decision SET computed = ?, override = 'selected'", (decision,)))
    [p] = _problems(st)
    assert p.startswith("the committee's override on T-1 is 'selected' in the database, but the audit trail says "
                        "'not_selected' (entry ")
    _edit(path, "DELETE FROM decision")
    assert any("is missing from the database" in p for p in _problems(st))


# --- anchors at the office ---------------------------------------------------------------------------
def test_the_last_anchor_is_in_pdf_footers_and_excel_meta(merged, tmp_path):
    st, _ = merged
    a = st.verify_audit().last_anchor
    assert a is not None and a.event == "merge" and a.key_fingerprint == st.keys.identity().fingerprint
    pdf = Pdf(st.reports.blank_sheets(tmp_path / "blank.pdf", lang="en"))
    for i in range(len(pdf)):
        text = pdf.page(i)
        assert f"Audit trail signed at {a.short_head}" in text and a.key_fingerprint in text, text[-300:]
    ko = Pdf(st.reports.blank_sheets(tmp_path / "blank-ko.pdf"))
    assert f"감사 기록 서명 {a.short_head}" in ko.page(0)
    for export in (st.excel.export_scores, st.excel.export_progress, st.excel.export_ranking):
        report = export(tmp_path / f"{export.__name__}.xlsx")
        meta = read_meta(load_workbook(report.path, read_only=True))
        assert meta["audit_anchor_head"] == a.head and meta["audit_anchor_key"] == a.key_fingerprint
        assert meta["audit_anchor"] == a.line() and meta["audit_anchor_at"].startswith(f"{a.at:%Y-%m-%dT%H:%M}")


def test_documents_of_a_database_never_anchored_say_so(demo_store, tmp_path):
    pdf = Pdf(demo_store.reports.blank_sheets(tmp_path / "blank.pdf", application_ids=["2012-A-001"], lang="en"))
    assert "Audit trail: not signed yet" in pdf.page(0)
    meta = read_meta(load_workbook(demo_store.excel.export_progress(tmp_path / "p.xlsx").path, read_only=True))
    assert meta["audit_anchor"] == "not signed yet" and meta["audit_anchor_head"] in ("", None)


def test_round_sign_off_anchors_the_office_database(merged):
    """The function round sign-off will call (a later issue adds the sign-off itself)."""
    st, _ = merged
    identity = st.keys.unlocked_identity(K.OFFICE)
    with st.uow.write() as s:
        a = signing.at_sign_off(s, identity, round="2012-1", actor="chair", device=st.device)
    v = st.verify_audit()
    assert v.ok and v.last_anchor == a and a.event == "sign_off" and a.detail == {"round": "2012-1"}
    assert a.sequence == 3 and a.entries == v.entries


@pytest.mark.plain_sqlite
def test_nothing_is_signed_over_a_broken_chain_and_the_merge_changes_nothing(tiny, tmp_path):
    root, key_dir, office, package = tiny
    path = copy_db(office, tmp_path / "office.sqlite3")
    # (an entry after the last anchor — the kit export's: the entries before it are that anchor's to vouch for)
    _edit(path, "UPDATE audit_event SET reason = 'rewritten' WHERE id = (SELECT max(id) FROM audit_event)")
    before = db_checksum(url(path))
    with Store(url(path)) as st:
        with pytest.raises(AuditBroken, match=r"audit trail of this database is broken \(entry \d+ .* altered\); "
                                              "nothing was signed"):
            st.packages.merge([package], passphrase=PASS, key_dir=key_dir)
        identity = st.keys.unlocked_identity(K.OFFICE)
        with pytest.raises(AuditBroken, match="the round was not signed off"):
            with st.uow.write() as s:
                signing.at_sign_off(s, identity, round="2012-1", actor="chair", device=st.device)
    assert db_checksum(url(path)) == before


def test_kit_export_signs_the_head_when_the_office_key_is_given(tiny, tmp_path, capsys):
    root, key_dir, office, _ = tiny
    path = copy_db(office, tmp_path / "office.sqlite3")
    with Store(url(path)) as st:
        before = st.verify_audit().anchors
    assert main(["kit", "export", "--evaluator", "EV01", "--out", str(tmp_path / "a.mekit"), "--db", url(path)]) == 0
    assert "was not signed" in capsys.readouterr().out
    (tmp_path / "office.pass").write_text(PASS)
    assert main(["kit", "export", "--evaluator", "EV01", "--out", str(tmp_path / "b.mekit"), "--db", url(path),
                 "--passphrase-file", str(tmp_path / "office.pass"), "--key-dir", str(key_dir)]) == 0
    assert "is signed with the office key" in capsys.readouterr().out
    with Store(url(path)) as st:
        v = st.verify_audit()
        assert v.ok and v.anchors == before + 1 and v.last_anchor.event == "kit_export"
        assert v.last_anchor.detail == {"evaluator": "EV01", "kit": 3}
        with st.uow.read() as s:
            assert s.execute(select(AuditAnchor.entries)).scalars().all()[-1] == v.entries
