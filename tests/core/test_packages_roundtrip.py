"""The whole offline cycle on real files: demo office → 5 kits → 5 laptops score and finalise →
5 signed, encrypted packages → merge → the same results as entering the scores directly."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from evaluator.packages.archive import unstore
from evaluator.packages.models import PackageEvidence
from evaluator.packages.results import MERGED, UNCHANGED
from evaluator.packages import keys as K
from evaluator.store import Store

from .packages_fixtures import (
    EVALUATORS, PASS, SCORED, build_cycle, db_checksum, direct_entry_office, evaluation_totals, url,
)


@pytest.fixture(scope="module")
def cycle(tmp_path_factory, demo_before_visits_template):
    return build_cycle(tmp_path_factory.mktemp("cycle"), demo_before_visits_template)


@pytest.fixture(scope="module")
def merged(cycle, tmp_path_factory):
    """The office after merging the five packages (built once), with the merge reports."""
    path = cycle.office_copy(tmp_path_factory.mktemp("merged") / "office.sqlite3")
    with Store(url(path)) as office:
        reports = office.packages.merge([cycle.packages[ev] for ev in EVALUATORS], passphrase=PASS,
                                        key_dir=cycle.key_dir).value
    return path, reports


@pytest.fixture(scope="module")
def direct(cycle, demo_before_visits_template, tmp_path_factory):
    return direct_entry_office(demo_before_visits_template, tmp_path_factory.mktemp("direct") / "office.sqlite3",
                               cycle)


def test_five_packages_merge_into_the_same_results_as_direct_entry(cycle, merged, direct):
    path, reports = merged
    assert [r.status for r in reports] == [MERGED] * 5, [r.reason for r in reports]
    assert all(not r.conflicts and not r.skipped for r in reports)
    with Store(url(path)) as office, Store(url(direct)) as reference:
        got, want = evaluation_totals(office), evaluation_totals(reference)
        assert got == want
        assert len(got) == len(EVALUATORS) * SCORED
        assert office.info().scores == reference.info().scores
        mine = [(r.application_id, r.rank, None if r.score is None else round(r.score, 6), r.decision,
                 r.evaluations, r.flags) for r in office.ranking.rank().all_rows()]
        theirs = [(r.application_id, r.rank, None if r.score is None else round(r.score, 6), r.decision,
                   r.evaluations, r.flags) for r in reference.ranking.rank().all_rows()]
        assert len(mine) == 48 and mine == theirs
        assert sum(1 for r in mine if r[3] == "selected") > 0
        assert office.verify_audit().ok


def test_merge_report_counts_records_and_marks_evaluations_with_the_package(cycle, merged):
    path, reports = merged
    with Store(url(path)) as office:
        for ev, r in zip(EVALUATORS, reports):
            n = SCORED
            assert r.evaluator == ev and r.sequence == 1
            assert r.counts["evaluations"] == {"added": n, "updated": 0, "unchanged": 0}
            assert r.counts["site_visits"]["added"] == n
            assert r.added == sum(v["added"] for v in r.counts.values())
            some = next(a for a in office.people.assignments(evaluator=ev) if a.conflict_type is None)
            assert office.scoring.evaluation(some.application_id, ev).package_fingerprint == r.fingerprint
        # the photo travelled, bytes intact
        photos = office.scoring.attachments(evaluator="EV01")
        assert len(photos) == 1 and photos[0].criterion == "field_check" and photos[0].caption == "입구 사진"
        assert office.scoring.attachment_data(photos[0].uuid) == b"\xff\xd8\xff\xe0 fake jpeg bytes"
        # site visit log and checklist answers
        v = office.scoring.visit(photos[0].application_id, "EV01")
        assert v["attendees"] == "대표자 외 3명" and all(v["checklist"].values())
        # the abstention travelled
        abstained = next(iter(cycle.abstain["EV03"]))
        e = office.scoring.evaluation(abstained, "EV03")
        assert e.abstained and e.state == "finalised" and "기권" in e.abstain_reason


def test_receipts_keep_the_signed_manifest_and_the_laptop_audit_trail(cycle, merged):
    path, reports = merged
    with Store(url(path)) as office:
        receipts = office.packages.merged()
        assert [(r.evaluator, r.sequence) for r in receipts] == [(ev, 1) for ev in EVALUATORS]
        with office.uow.read() as s:
            ev_row = s.execute(select(PackageEvidence).order_by(PackageEvidence.id)).scalars().first()
            trail = json.loads(unstore(ev_row.audit_method, ev_row.audit_trail))
            manifest = json.loads(ev_row.manifest)
            head = ev_row.audit_head
        assert manifest["evaluator"]["code"] == "EV01"
        actions = {e["action"] for e in trail}
        assert {"import_kit", "score", "finalise", "site_visit"} <= actions
        assert trail[-1]["hash"] == head
        # the office's own chain records each merge, and stays intact
        v = office.verify_audit()
        assert v.ok and v.entries > 5
        # everything kept verifies again: signatures, hashes, the laptops' chains
        checks = office.packages.verify_evidence()
        assert len(checks) == 5 and all(c.ok for c in checks), [c.problem for c in checks]


def test_merging_the_same_packages_again_changes_nothing(cycle, merged, tmp_path):
    path, _ = merged
    copy = tmp_path / "again.sqlite3"
    from .packages_fixtures import copy_db

    copy_db(path, copy)
    before = db_checksum(url(copy))
    with Store(url(copy)) as office:
        again = office.packages.merge([cycle.packages[ev] for ev in EVALUATORS], passphrase=PASS,
                                      key_dir=cycle.key_dir).value
    assert [r.status for r in again] == [UNCHANGED] * 5
    assert all("already merged" in r.reason for r in again)
    assert db_checksum(url(copy)) == before


def test_a_later_package_supersedes_and_an_older_one_is_a_rejected_replay(cycle, merged, tmp_path):
    from .packages_fixtures import copy_db

    office_path = copy_db(merged[0], tmp_path / "office.sqlite3")
    field_path = copy_db(cycle.fields["EV02"], tmp_path / "field.sqlite3")
    restored = copy_db(cycle.fields["EV02"], tmp_path / "restored.sqlite3")  # a backup of the laptop
    with Store(url(field_path)) as fld:
        app = next(a.application_id for a in fld.people.assignments(evaluator="EV02") if a.conflict_type is None)
        rd = fld.programs.rubric(fld.applications.get(app).track)
        first = rd.criteria[0]
        fld.scoring.reopen(app, "EV02", "점수 정정")
        fld.scoring.save_score(app, "EV02", first.code, level="양")
        pkg2 = fld.packages.export_package(tmp_path / "EV02-2.mepkg", passphrase=PASS, key_dir=cycle.key_dir).value
        fld.scoring.save_score(app, "EV02", first.code, level="가", comment="재방문 후 정정")
        fld.scoring.finalise(app, "EV02")
        pkg3 = fld.packages.export_package(tmp_path / "EV02-3.mepkg", key_dir=cycle.key_dir).value
    with Store(url(restored)) as fld:
        stale = fld.packages.export_package(tmp_path / "EV02-stale.mepkg", passphrase=PASS, key_dir=cycle.key_dir).value
    assert (pkg2.sequence, pkg3.sequence, stale.sequence) == (2, 3, 2)

    with Store(url(office_path)) as office:
        [r] = office.packages.merge([pkg3.path], passphrase=PASS, key_dir=cycle.key_dir).value
        assert r.status == MERGED and not r.conflicts
        assert r.counts["evaluations"]["updated"] == 1 and r.counts["scores"]["updated"] == 1
        e = office.scoring.evaluation(app, "EV02")
        assert (e.scores[0].level, e.scores[0].comment, e.state) == ("ga", "재방문 후 정정", "finalised")
        before = db_checksum(url(office_path))
        older, restored_r, again = office.packages.merge([pkg2.path, stale.path, pkg3.path], passphrase=PASS,
                                                         key_dir=cycle.key_dir).value
        assert older.rejected and "older than package 3" in older.reason
        assert restored_r.rejected and "older than package 3" in restored_r.reason
        assert again.status == UNCHANGED
    assert db_checksum(url(office_path)) == before

    # the restored laptop's package 2 first, then the real package 2: same number, other content
    other = copy_db(merged[0], tmp_path / "other.sqlite3")
    with Store(url(other)) as office:
        first_r, second_r = office.packages.merge([stale.path, pkg2.path], passphrase=PASS, key_dir=cycle.key_dir).value
        assert first_r.status == MERGED
        assert second_r.rejected and "sequence number 2" in second_r.reason


@pytest.mark.postgres
def test_parallel_merges_on_postgresql_lose_nothing_and_surface_no_deadlocks(cycle, merged, pg_url, tmp_path):
    """Three processes each merge all five packages (in different orders) into one PostgreSQL
    office database at the same time: every package is merged exactly once, the rest report
    "unchanged", and the result equals the SQLite merge."""
    import os
    import subprocess
    import sys

    from evaluator.demo import build_demo

    with Store(pg_url) as office:
        build_demo(office, before_visits=True)  # deterministic: the same program the kits came from
        # the same office, moved to PostgreSQL: its key is shared on purpose (a new database makes its own)
        [office_key] = K.office_key_files(cycle.key_dir)
        office.keys.use(office_key, PASS, key_dir=cycle.key_dir)
        for ev in EVALUATORS:
            office.keys.register_evaluator(ev, cycle.root / f"{ev}.pub")
    secret = tmp_path / "office.pass"
    secret.write_text(PASS + "\n")
    pkgs = [str(cycle.packages[ev]) for ev in EVALUATORS]
    env = {**os.environ, "EVALUATOR_BLOCK_QT": "1"}
    procs = []
    for i in range(3):
        order = pkgs[2 * i:] + pkgs[:2 * i]
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "evaluator", "merge", *order, "--db", pg_url, "--json",
             "--key-dir", str(cycle.key_dir), "--passphrase-file", str(secret)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True))
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err
        assert "deadlock" not in err.lower() and "serializ" not in err.lower()
    statuses: dict[str, list[str]] = {}
    for out, _ in outs:
        for r in json.loads(out)["packages"]:
            statuses.setdefault(r["path"], []).append(r["status"])
    assert len(statuses) == 5
    assert all(sorted(v) == ["merged"] + ["unchanged"] * 2 for v in statuses.values()), statuses
    with Store(pg_url) as office, Store(url(merged[0])) as reference:
        assert evaluation_totals(office) == evaluation_totals(reference)
        assert office.info().scores == reference.info().scores
        assert len(office.packages.merged()) == 5
        assert office.verify_audit().ok


def test_a_package_reusing_another_evaluators_record_id_is_refused_before_anything_is_written(cycle, tmp_path):
    """EV02's package is forged (by EV02 themselves) to reuse a score id EV01's package already
    brought: the ownership check refuses it before anything of it is written; the others merge."""
    from sqlalchemy import text

    from .packages_fixtures import repack

    office_path = cycle.office_copy(tmp_path / "office.sqlite3")
    with Store(url(office_path)) as office:
        [r] = office.packages.merge([cycle.packages["EV01"]], passphrase=PASS, key_dir=cycle.key_dir).value
        assert r.status == MERGED
        with office.uow.read() as s:
            taken = s.execute(text("SELECT uuid FROM score ORDER BY id DESC LIMIT 1")).scalar()

        def clash(members):
            doc = json.loads(members["data.json"])
            doc["evaluations"][-1]["scores"][-1][0] = taken
            members["data.json"] = json.dumps(doc).encode()

        forged = repack(cycle.packages["EV02"], tmp_path / "EV02-forged.mepkg", key_dir=cycle.key_dir,
                        owner="EV02", members=clash)
        before = db_checksum(url(office_path))
        bad, good = office.packages.merge([forged, cycle.packages["EV03"]]).value
        assert bad.rejected and f"names score {taken}" in bad.reason and "EV01's" in bad.reason, bad.reason
        assert "EV02-forged.mepkg" in bad.reason
        assert good.status == MERGED
        assert not any(a.state for a in office.people.assignments(evaluator="EV02"))  # nothing of EV02's
        after = db_checksum(url(office_path))
        assert after != before and office.verify_audit().ok


def test_a_failure_while_writing_leaves_nothing_of_that_package_and_the_others_merge(cycle, tmp_path, monkeypatch):
    """The database refuses a row of EV02's package (a clash no check before could see): its
    evaluations were written before the clash, and must all go again; EV03's package merges."""
    import sqlite3

    from evaluator.packages.bulk import Bulk

    office_path = cycle.office_copy(tmp_path / "office.sqlite3")
    insert = Bulk.insert

    def refusing(self, table, cols, rows, **kw):
        if table.name == "score" and rows and rows[0][6] == "EV02":  # (the author column)
            raise sqlite3.IntegrityError("UNIQUE constraint failed: score.uuid")
        return insert(self, table, cols, rows, **kw)

    monkeypatch.setattr(Bulk, "insert", refusing)
    with Store(url(office_path)) as office:
        [r] = office.packages.merge([cycle.packages["EV01"]], passphrase=PASS, key_dir=cycle.key_dir).value
        assert r.status == MERGED
        before = db_checksum(url(office_path))
        bad, good = office.packages.merge([cycle.packages["EV02"], cycle.packages["EV03"]]).value
        assert bad.rejected and "clashes with records already in the office database" in bad.reason
        assert good.status == MERGED
        assert not any(a.state for a in office.people.assignments(evaluator="EV02"))  # nothing of EV02's
        after = db_checksum(url(office_path))
        assert after != before and office.verify_audit().ok
