"""Monitoring visits in the field (docs/follow-up.md): the demo signed off (19 awards) → the plan →
visits assigned to three visitors → their kits → encrypted field databases → two visits recorded
and finalised on some awards, a visit beyond the plan on one → signed packages → merge; what is
due shrinks; and the merge's refusals: another visitor's visit, a cancelled award, a visit dated
before the agreement — one sentence, the office database exactly as it was."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from evaluator.errors import ValidationError
from evaluator.store import Store
from evaluator.workflows import import_kit

from .awards_fixtures import OFFICE_PASS, signed_off, signed_off_template, signed_off_url  # noqa: F401 - fixtures
from .packages_fixtures import PASS, db_checksum, repack, url
from .privacy_fixtures import found_in

VISITORS = ("EV01", "EV02", "EV03")
FIELD_PASS = "field laptop passphrase, long enough"
RATINGS = {"as_planned": "good", "participation": "partly", "spending": "good"}
CHECKS = {"activity_held": True, "receipts_kept": True, "space_open": True}


def _visit(fld: Store, app: str, seq: int, day: str, *, finalise: bool = True) -> None:
    track = fld.applications.get(app).track
    rd = fld.monitoring.rubric(track)
    checks = {c: v for c, v in CHECKS.items() if c in {i.code for i in rd.checklist}}
    fld.monitoring.record(app, seq, visited_at=f"{day} 10:00", attendees="대표 외 3명", checklist=checks,
                          ratings=RATINGS, findings=f"방문 {seq}: 활동 정상", finalise=finalise,
                          actions=[{"text": "영수증 정리", "due_on": "2013-03-31"}])


@pytest.fixture
def field_cycle(signed_off_url, tmp_path):
    """The office (its URL: SQLite or PostgreSQL) after plan and assignment, and each visitor's
    package (two finalised visits on their first two awards, one draft visit beyond the plan on the
    first); the visitors' laptops are encrypted SQLite field databases made from their kits."""
    db, keys = signed_off_url
    packages = {}
    with Store(db) as office:
        for a in office.awards.list():
            office.awards.set(a.application_id, agreed_on="2012-06-20", starts_on="2012-07-01", ends_on="2012-12-31",
                              reason="협약 체결")
        office.monitoring.set_plan()
        office.monitoring.assign(list(VISITORS))
        for ev in VISITORS:
            kit = office.packages.export_kit(ev, tmp_path / f"{ev}.mekit", ).value
            field = tmp_path / f"field-{ev}.sqlite3"
            import_kit(kit.path, url(field), passphrase=FIELD_PASS)
            with Store(url(field), passphrase=FIELD_PASS) as fld:
                assert fld.is_field
                fld.keys.ensure(PASS, key_dir=keys)
                mine = fld.monitoring.visits(evaluator=ev)
                assert mine and {v.state for v in mine} == {"planned"}
                followed = sorted({v.application_id for v in mine})
                for app in followed[:2]:
                    _visit(fld, app, 1, "2012-10-02")
                    _visit(fld, app, 2, "2012-12-28")
                extra = fld.monitoring.add_visit(followed[0], ev).value
                _visit(fld, followed[0], extra.sequence, "2013-01-15", finalise=False)
                packages[ev] = Path(fld.packages.export_package(tmp_path / f"{ev}.mepkg", key_dir=keys).value.path)
                office.keys.register_evaluator(ev, fld.keys.identity(key_dir=keys).signing_public)
    return db, keys, packages


def test_visits_travel_out_in_kits_come_back_signed_and_merge(field_cycle):
    db, keys, packages = field_cycle
    with Store(db) as office:
        before = {(d.application_id, d.sequence) for d in office.monitoring.due(today=date(2013, 1, 20))}
        assert len(before) == 38
        reports = office.packages.merge([packages[ev] for ev in VISITORS], passphrase=OFFICE_PASS, key_dir=keys).value
        assert [r.status for r in reports] == ["merged"] * 3
        assert all(r.counts["monitoring_visits"] == {"added": 1, "updated": 4, "unchanged": 0, "kept_finalised": 0}
                   for r in reports)
        visits = office.monitoring.visits()
        done = [v for v in visits if v.state == "finalised"]
        assert len(visits) == 41 and len(done) == 12
        assert all(v.findings.startswith(f"방문 {v.sequence}") and v.ratings == RATINGS for v in done)
        assert all(v.actions[0].due_on == date(2013, 3, 31) for v in done)
        after = {(d.application_id, d.sequence) for d in office.monitoring.due(today=date(2013, 1, 20))}
        assert after == before - {(v.application_id, v.sequence) for v in done}
        overdue = office.monitoring.due(overdue=True, today=date(2013, 1, 20))
        assert {d.plan_code for d in overdue} == {"mid", "final"} and all(d.days_overdue > 0 for d in overdue)
        assert office.verify_audit().ok
        again = office.packages.merge([packages["EV01"]], passphrase=OFFICE_PASS, key_dir=keys).value
        assert again[0].status == "unchanged"


def _forge(src: Path, dst: Path, keys: Path, owner: str, change) -> Path:  # noqa: ANN001
    def members(mem: dict[str, bytes]) -> None:
        data = json.loads(mem["data.json"])
        change(data["monitoring_visits"])
        mem["data.json"] = json.dumps(data, ensure_ascii=False).encode("utf-8")

    return repack(src, dst, key_dir=keys, owner=owner, members=members)


def test_a_package_naming_another_visitors_visit_is_refused_and_nothing_changes(field_cycle, tmp_path):
    db, keys, packages = field_cycle
    with Store(db) as office:
        theirs = office.monitoring.visits(evaluator="EV02")[0]
        award = office.awards.get(theirs.application_id)

    def steal(visits: list) -> None:
        visits[0].update(uuid=theirs.uuid, award=award.uuid, application=theirs.application_id, sequence=1)

    forged = _forge(packages["EV01"], tmp_path / "forged.mepkg", keys, "EV01", steal)
    before = db_checksum(db)
    with Store(db) as office:
        [r] = office.packages.merge([forged], passphrase=OFFICE_PASS, key_dir=keys).value
    assert r.status == "rejected"
    assert f"names monitoring visit 1 of {theirs.application_id}, which at the office is another evaluator's" in r.reason
    assert db_checksum(db) == before


def test_a_visit_of_a_cancelled_award_or_dated_before_the_agreement_refuses_the_package(field_cycle, tmp_path):
    db, keys, packages = field_cycle
    before = db_checksum(db)
    early = _forge(packages["EV01"], tmp_path / "early.mepkg", keys, "EV01",
                   lambda vs: vs[0].update(visited_at="2012-05-01T10:00"))
    with Store(db) as office:
        [r] = office.packages.merge([early], passphrase=OFFICE_PASS, key_dir=keys).value
    assert r.status == "rejected" and "before the agreement (2012-06-20)" in r.reason
    assert db_checksum(db) == before
    with Store(db) as office:
        app = office.monitoring.visits(evaluator="EV01")[0].application_id
        office.awards.set_status(app, "cancelled", reason="사업 중단")
        before = db_checksum(db)
        [r] = office.packages.merge([packages["EV01"]], passphrase=OFFICE_PASS, key_dir=keys).value
    assert r.status == "rejected" and f"application {app}, whose award was cancelled (사업 중단)" in r.reason
    assert db_checksum(db) == before


def test_the_follow_up_workbook_and_summary_read_back(field_cycle, tmp_path, capsys):
    """After the merge: the follow-up workbook (openpyxl) and the committee's follow-up summary
    (pypdf), Korean by default with Hangul embedded, English with --lang en."""
    from openpyxl import load_workbook

    from evaluator.cli import main

    from .reports_fixtures import fonts, read_pdf, squash

    db, keys, packages = field_cycle
    with Store(db) as office:
        office.packages.merge([packages[ev] for ev in VISITORS], passphrase=OFFICE_PASS, key_dir=keys)
        first = office.awards.list()[0]
        office.awards.disburse(first.application_id, 1_000_000, paid_on="2012-07-05", note="1차분")
        with pytest.raises(ValidationError, match="would exceed its award"):  # beyond the balance: refused
            office.awards.disburse(first.application_id, first.amount, paid_on="2012-08-05", note="2차분")
        assert office.awards.get(first.application_id).balance == first.amount - 1_000_000
        rep = office.monitoring.export_follow_up(tmp_path / "follow-up.xlsx", today=date(2013, 1, 20), lang="en")
        overdue = office.monitoring.due(overdue=True, today=date(2013, 1, 20))
    wb = load_workbook(rep.path, read_only=True)
    rows = list(wb["awards"].iter_rows(values_only=True))
    assert rows[0][:8] == ("application_id", "track", "round", "group_name", "title", "amount", "disbursed",
                           "balance") and len(rows) == 20
    row = next(r for r in rows if r[0] == first.application_id)
    assert (row[5], row[6], row[7]) == (first.amount, 1_000_000, first.amount - 1_000_000)
    long = list(wb["visits"].iter_rows(values_only=True))
    rated = [r for r in long[1:] if len(r) > 9 and r[7] == "rating"]
    assert len(rated) == 15 * 3 and {r[9] for r in rated} == {"good", "partly"}  # 12 finalised, 3 drafts
    assert sum(r[5] == "finalised" for r in rated) == 12 * 3
    actions = list(wb["open actions"].iter_rows(values_only=True))[1:]
    assert len(actions) == 15 and {r[3] for r in actions} == {"영수증 정리"}  # 12 finalised + 3 drafts
    assert rep.sheets == {"awards": 19, "visits": len(long) - 1, "open actions": 15}
    assert row[8] == "agreed"  # the English workbook says its statuses in English
    wb.close()
    # the Korean workbook (the default): Korean titles, headers and labels, the keys kept in _meta
    with Store(db) as office:
        ko = office.monitoring.export_follow_up(tmp_path / "사후관리.xlsx", today=date(2013, 1, 20))
    wb = load_workbook(ko.path, read_only=True)
    assert wb.sheetnames[:3] == ["수혜", "점검", "미완료 조치"]
    ko_rows = list(wb["수혜"].iter_rows(values_only=True))
    assert ko_rows[0][:3] == ("접수번호", "분야", "차수") and len(ko_rows) == 20
    assert next(r for r in ko_rows if r[0] == first.application_id)[8] == "협약"
    assert {r[5] for r in list(wb["점검"].iter_rows(values_only=True))[1:]} >= {"확정", "작성 중"}
    meta = [r for r in wb["_meta"].iter_rows(values_only=True)]
    assert any("open actions" in (c for c in r if isinstance(c, str)) for r in meta)
    wb.close()
    pdf = tmp_path / "follow-up.pdf"
    assert main(["report", "follow-up", "--out", str(pdf), "--db", db]) == 0
    text = squash(read_pdf(pdf).text)
    assert "사후관리현황" in text and "기한이지난점검" in text and first.application_id in text
    assert all(overdue_visit.application_id in text for overdue_visit in overdue[:5])
    assert all(embedded for embedded in fonts(pdf).values())
    en = tmp_path / "follow-up-en.pdf"
    assert main(["report", "follow-up", "--out", str(en), "--lang", "en", "--db", db]) == 0
    assert "Follow-upsummary" in squash(read_pdf(en).text) and "Overduemonitoringvisits" in squash(read_pdf(en).text)
    # both name the awarded groups: each is in the access log with its fingerprint and whom it is about
    import hashlib

    with Store(db) as office:
        logged = {e.fingerprint: e for e in office.privacy.access_log()}
    for what, path in (("follow-up workbook", rep.path), ("follow-up workbook", ko.path),
                       ("follow-up summary", en)):
        entry = logged[hashlib.sha256(Path(path).read_bytes()).hexdigest()]
        assert entry.what == what and first.application_id in entry.subjects and entry.subject_count == 19


def _merge_entries(path: Path, *, keyed: bool = False) -> list[dict]:
    """The merges' audit entries, read from the file (``keyed``: also when the test run encrypts
    every database, with its passphrase)."""
    import sqlite3

    from evaluator.db.encryption import is_plain_sqlite

    if keyed and not is_plain_sqlite(path):
        from tests.conftest import TEST_PASSPHRASE
        from tests.reliability.support import raw_connect

        con = raw_connect(path, TEST_PASSPHRASE)
    else:
        con = sqlite3.connect(path)
    try:
        rows = con.execute("SELECT action, new FROM audit_event WHERE action LIKE 'merge%' ORDER BY id").fetchall()
    finally:
        con.close()
    assert {a for a, _ in rows} == {"merge_package"}  # one entry per package, none per visit
    return [json.loads(new) for _, new in rows]


@pytest.mark.plain_sqlite
@pytest.mark.parametrize("signed_off_url", ["sqlite"], indirect=True)  # (reads the database file's bytes)
def test_a_merged_package_audits_new_visits_by_reference_and_changed_ones_sealed_and_a_subject_delete_destroys_them(
        field_cycle, tmp_path):
    """A package's one ``merge_package`` entry audits the visits it fills or adds — the office had
    nothing of them — as the score merge audits an added evaluation: by uuid, their values being
    the package's data.json kept as evidence (named by its hash), no personal value in the entry
    nor sealed beside it.  A later package changing a visit the office holds (a draft merged
    before) is audited with the old and the new values, the group's people sealed.  The group's
    export reads both back (theirs only: the added ones from the kept evidence); deleting the
    group's data destroys them — in the records, beside the chain and in the kept evidence — and
    the trail and the evidence still verify, the evidence saying a purge re-wrote it."""
    import hashlib
    import sqlite3
    import zlib

    from evaluator.packages.archive import unstore

    db, keys, packages = field_cycle
    with Store(db) as office:
        app = sorted({v.application_id for v in office.monitoring.visits(evaluator="EV01")})[0]

    def name_someone(visits: list) -> None:
        for v in visits:
            if v["application"] == app:
                v["findings"] = f"방문 {v['sequence']}: 허윤슬 대표가 회계를 혼자 맡음"

    forged = _forge(packages["EV01"], tmp_path / "EV01-named.mepkg", keys, "EV01", name_someone)
    path = Path(db.removeprefix("sqlite:///"))

    def sealed() -> int:
        con = sqlite3.connect(path)
        try:
            return con.execute("SELECT count(*) FROM audit_personal").fetchone()[0]
        finally:
            con.close()

    before = sealed()
    with Store(db) as office:
        [r] = office.packages.merge([forged], passphrase=OFFICE_PASS, key_dir=keys).value
        assert r.status == "merged" and r.counts["monitoring_visits"] == {"added": 1, "updated": 4, "unchanged": 0,
                                                                          "kept_finalised": 0}
    assert sealed() == before  # nothing sealed at merge: the values are the kept data.json
    [first] = _merge_entries(path)
    assert not [c for c in first["changed"] if c["entity"] == "monitoring_visit"]
    listed = [a for a in first["added"] if a[0] == "monitoring_visit"]
    assert len(listed) == 5 and sum(a[2] == app for a in listed) == 3  # visits 1 and 2 filled, one added
    text = json.dumps(first, ensure_ascii=False)  # (the column holds JSON with \u escapes)
    assert "허윤슬" not in text and "활동 정상" not in text and "대표 외 3명" not in text and "영수증 정리" not in text
    con = sqlite3.connect(path)
    try:
        method, data = con.execute("SELECT data_method, data FROM package_evidence").fetchone()
    finally:
        con.close()
    kept = unstore(method, bytes(data))
    assert hashlib.sha256(kept).hexdigest() == first["data_sha256"] and "허윤슬".encode() in kept
    # the laptop finalises its draft visit beyond the plan and sends its next package: the office
    # held that draft (merged above), so the change is audited with both values, sealed
    with Store(url(tmp_path / "field-EV01.sqlite3"), passphrase=FIELD_PASS) as fld:
        fld.keys.ensure(PASS, key_dir=keys)
        extra = max(v.sequence for v in fld.monitoring.visits(app))
        _visit(fld, app, extra, "2013-01-15")
        second = Path(fld.packages.export_package(tmp_path / "EV01-2.mepkg", key_dir=keys).value.path)
    with Store(db) as office:
        [r] = office.packages.merge([second], passphrase=OFFICE_PASS, key_dir=keys).value
        assert r.status == "merged" and r.counts["monitoring_visits"] == {"added": 0, "updated": 1, "unchanged": 2,
                                                                          "kept_finalised": 2}
    _, later = _merge_entries(path)
    [changed] = [c for c in later["changed"] if c["entity"] == "monitoring_visit"]
    assert not [a for a in later["added"] if a[0] == "monitoring_visit"]
    assert changed["application"] == app and (changed["old"]["state"], changed["new"]["state"]) == ("draft",
                                                                                                    "finalised")
    assert all("$personal" in side["findings"] and "$personal" in side["attendees"]
               for side in (changed["old"], changed["new"]))
    assert "허윤슬" not in json.dumps(later, ensure_ascii=False)
    with Store(db) as office:
        assert office.verify_audit().ok
        doc = json.loads(office.privacy.subject_export(app, tmp_path / "s.json", reason="열람 청구").read_text())
        merged = [e for e in doc["audit_trail"] if e["action"] == "merge_package"]
        assert len(merged) == 2
        added = merged[0]["new"]["added"]
        assert {a["application"] for a in added} == {app} and len(added) == 3  # this group's records only
        assert all(a["entity"] == "monitoring_visit" and "허윤슬" in a["values"]["findings"] for a in added)
        [old_new] = merged[1]["new"]["changed"]
        assert "허윤슬" in old_new["old"]["findings"] and old_new["new"]["findings"] == f"방문 {extra}: 활동 정상"
        office.privacy.set_retention(signed_off_on="2012-05-01", project_ends_on="2012-12-31")
        office.privacy.subject_delete(app, reason="삭제 요청", today=date(2018, 1, 2))
        assert office.verify_audit().ok
        assert all(v.findings != "" and "허윤슬" not in v.findings for v in office.monitoring.visits(app))
        checks = office.packages.verify_evidence()
        assert checks and all(c.ok for c in checks), [c.problem for c in checks]
        assert all(c.redacted.startswith("re-written by purge") for c in checks if c.evaluator == "EV01")
        doc = json.loads(office.privacy.subject_export(app, tmp_path / "s2.json", reason="확인").read_text())
        added = [e for e in doc["audit_trail"] if e["action"] == "merge_package"][0]["new"]["added"]
        assert all(a["values"]["findings"] == "[파기됨 · purged]" for a in added)
    con = sqlite3.connect(path)
    try:
        evidence = [zlib.decompress(bytes(d), -15) if m == 8 else bytes(d)
                    for m, d in con.execute("SELECT data_method, data FROM package_evidence")]
    finally:
        con.close()
    assert len(evidence) == 2 and not any("허윤슬".encode() in body for body in evidence)
    for f in [path, *path.parent.glob(path.name + "-*")]:
        assert not found_in(f, ("허윤슬",)), f  # (UTF-8, UTF-16 and JSON escapes)


@pytest.mark.plain_sqlite
@pytest.mark.parametrize("signed_off_url", ["sqlite"], indirect=True)  # (reads the audit entries' JSON)
def test_a_new_visit_whose_number_the_office_took_meanwhile_is_renumbered_and_audited_with_its_values(
        field_cycle, tmp_path):
    """The laptop added visit 3 to an award; the office added its own visit 3 meanwhile.  The
    laptop's visit is merged as visit 4, and since its number is not the one in the kept data.json,
    the package's entry carries its values (sealed) rather than a reference; the visits filled
    under their own numbers stay references."""
    db, keys, packages = field_cycle
    with Store(db) as office:
        app = sorted({v.application_id for v in office.monitoring.visits(evaluator="EV01")})[0]
        office.monitoring.add_visit(app, "EV01")
        [r] = office.packages.merge([packages["EV01"]], passphrase=OFFICE_PASS, key_dir=keys).value
        assert r.status == "merged" and r.counts["monitoring_visits"]["added"] == 1
        visits = {v.sequence: v for v in office.monitoring.visits(app)}
        assert sorted(visits) == [1, 2, 3, 4] and visits[3].state == "planned" and visits[4].state == "draft"
        assert visits[4].findings == "방문 3: 활동 정상"
        assert office.verify_audit().ok
    [entry] = _merge_entries(Path(db.removeprefix("sqlite:///")))
    [moved] = [c for c in entry["changed"] if c["entity"] == "monitoring_visit"]
    assert moved["application"] == app and moved["old"] is None and moved["new"]["sequence"] == 4
    assert "$personal" in moved["new"]["findings"] and "$personal" in moved["new"]["attendees"]
    assert len([a for a in entry["added"] if a[0] == "monitoring_visit"]) == 4  # visits 1 and 2 of two awards


@pytest.mark.parametrize("signed_off_url", ["sqlite"], indirect=True)
def test_a_malformed_monitoring_visit_refuses_the_package_saying_where(field_cycle, tmp_path):
    db, keys, packages = field_cycle
    before = db_checksum(db)
    cases = [
        (lambda vs: vs[1].update(state="planned"), "data.json monitoring_visits[1].state must be draft or finalised"),
        (lambda vs: vs[0].update(sequence="1"), "data.json monitoring_visits[0].sequence has the wrong type (str)"),
        (lambda vs: vs[2].update(version=0), "data.json monitoring_visits[2].version is out of range"),
        (lambda vs: vs[0].pop("findings"), "data.json monitoring_visits[0] has no 'findings'"),
        (lambda vs: vs[0]["actions"][0].update(due_on="31.03.2013"),
         "data.json monitoring_visits[0].actions[0].due_on is not a date"),
    ]
    for n, (change, said) in enumerate(cases):
        bad = _forge(packages["EV01"], tmp_path / f"bad{n}.mepkg", keys, "EV01", change)
        with Store(db) as office:
            [r] = office.packages.merge([bad], passphrase=OFFICE_PASS, key_dir=keys).value
        assert r.status == "rejected" and said in r.reason, r.reason
    assert db_checksum(db) == before


def test_a_package_filling_only_planned_visits_merges_them_all_at_once_and_nothing_is_half_written(
        signed_off_url, tmp_path):
    """The common case — every visit of the package fills a planned visit of the signer's — is
    written in one statement on SQLite, its conditions checked on the rows it writes
    (``fieldwork._fill_planned``); on PostgreSQL the general pass does it.  Either way each visit
    is stored as recorded and audited by reference.  The laptop's next package brings one more
    planned visit filled and the four again: the one statement finds four rows that are not the
    plan's skeleton any more and is undone whole, and the general pass fills the fifth (by
    reference: the undone write left it a skeleton) and finds the four unchanged."""
    db, keys = signed_off_url
    with Store(db) as office:
        for a in office.awards.list():
            office.awards.set(a.application_id, agreed_on="2012-06-20", starts_on="2012-07-01", ends_on="2012-12-31",
                              reason="협약 체결")
        office.monitoring.set_plan()
        office.monitoring.assign(["EV01"])
        kit = office.packages.export_kit("EV01", tmp_path / "EV01.mekit").value
    field = tmp_path / "field-EV01.sqlite3"
    import_kit(kit.path, url(field), passphrase=FIELD_PASS)

    def recorded(st: Store) -> dict:
        return {(v.application_id, v.sequence): v for v in st.monitoring.visits(evaluator="EV01")
                if v.state != "planned"}

    with Store(url(field), passphrase=FIELD_PASS) as fld:
        fld.keys.ensure(PASS, key_dir=keys)
        followed = sorted({v.application_id for v in fld.monitoring.visits(evaluator="EV01")})
        for app in followed[:3]:
            _visit(fld, app, 1, "2012-10-02")
        _visit(fld, followed[0], 2, "2012-12-28", finalise=False)
        laptop = recorded(fld)
        first = Path(fld.packages.export_package(tmp_path / "EV01-1.mepkg", key_dir=keys).value.path)
        signing_key = fld.keys.identity(key_dir=keys).signing_public
    with Store(db) as office:
        office.keys.register_evaluator("EV01", signing_key)
        [r] = office.packages.merge([first], passphrase=OFFICE_PASS, key_dir=keys).value
        assert r.status == "merged", r.reason
        assert r.counts["monitoring_visits"] == {"added": 0, "updated": 4, "unchanged": 0, "kept_finalised": 0}
        merged = recorded(office)
        assert merged.keys() == laptop.keys() and len(merged) == 4
        for key, v in laptop.items():
            m = merged[key]
            assert (m.state, m.visited_at, m.attendees, m.checklist, m.ratings, m.findings, m.version) == \
                (v.state, v.visited_at, v.attendees, v.checklist, v.ratings, v.findings, v.version), key
            assert [(a.text, a.due_on) for a in m.actions] == [("영수증 정리", date(2013, 3, 31))]
        assert office.verify_audit().ok
    with Store(url(field), passphrase=FIELD_PASS) as fld:
        fld.keys.ensure(PASS, key_dir=keys)
        _visit(fld, followed[3], 1, "2012-10-03")
        second = Path(fld.packages.export_package(tmp_path / "EV01-2.mepkg", key_dir=keys).value.path)
    with Store(db) as office:
        [r] = office.packages.merge([second], passphrase=OFFICE_PASS, key_dir=keys).value
        assert r.status == "merged", r.reason
        assert r.counts["monitoring_visits"] == {"added": 0, "updated": 1, "unchanged": 4, "kept_finalised": 0}
        now = recorded(office)
        assert {k: v.version for k, v in now.items() if k in merged} == {k: v.version for k, v in merged.items()}
        assert now[(followed[3], 1)].findings == "방문 1: 활동 정상"
        assert office.verify_audit().ok
    if db.startswith("sqlite"):
        one, two = _merge_entries(Path(db.removeprefix("sqlite:///")), keyed=True)
        assert sorted(a[2] for a in one["added"] if a[0] == "monitoring_visit") == sorted(app for app, _ in laptop)
        assert [a[2] for a in two["added"] if a[0] == "monitoring_visit"] == [followed[3]]
        assert not [c for e in (one, two) for c in e["changed"] if c["entity"] == "monitoring_visit"]
