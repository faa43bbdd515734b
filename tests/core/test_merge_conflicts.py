"""Per-record merge rules: a newer version from the same laptop supersedes; the same record changed
on two laptops of one evaluator (or by the office) is a conflict reported with both values,
resolved by the documented rule, whatever the merge order, and resolvable by the office."""

from __future__ import annotations

from datetime import datetime

import pytest

from evaluator.errors import ValidationError
from evaluator.workflows import import_kit
from evaluator.packages.results import MERGED, UNCHANGED
from evaluator.store import Store

from .packages_fixtures import PASS, copy_db, db_checksum, tiny_office, url


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    root = tmp_path_factory.mktemp("conflicts")
    key_dir = root / "keys"
    office, _ = tiny_office(root, key_dir)
    return root, key_dir, office


class World:
    """An office and two laptops (A, B) of evaluator EV01, both from the same kit."""

    def __init__(self, tiny, tmp_path):
        root, self.key_dir, office = tiny
        self.tmp = tmp_path
        self.office_path = copy_db(office, tmp_path / "office.sqlite3")
        self.a = Store(url(copy_db(root / "tiny-field.sqlite3", tmp_path / "a.sqlite3")))  # scored and finalised
        import_kit(root / "tiny.mekit", url(tmp_path / "b.sqlite3"))
        self.b = Store(url(tmp_path / "b.sqlite3"))
        self.n = 0

    def office(self, name: str = "office") -> Store:
        path = self.office_path if name == "office" else copy_db(self.office_path, self.tmp / f"{name}.sqlite3")
        st = Store(url(path))
        st.keys.unlock(PASS, key_dir=self.key_dir)
        return st

    def package(self, laptop: Store) -> str:
        self.n += 1
        return laptop.packages.export_package(self.tmp / f"p{self.n}.mepkg", passphrase=PASS, key_dir=self.key_dir).value.path

    def close(self):
        self.a.close()
        self.b.close()


@pytest.fixture
def world(tiny, tmp_path):
    w = World(tiny, tmp_path)
    yield w
    w.close()


def score(st: Store, a: str, b: str, *, finalise: bool, reopen: bool = False) -> None:
    if reopen:
        st.scoring.reopen("T-1", "EV01", "다시 봄")
    st.scoring.save_score("T-1", "EV01", "a", level=a)
    st.scoring.save_score("T-1", "EV01", "b", level=b)
    if finalise:
        st.scoring.finalise("T-1", "EV01")


def levels(st: Store) -> tuple[str, str, str]:
    e = st.scoring.evaluation("T-1", "EV01")
    return (e.state,) + tuple(s.level for s in e.scores)


def test_two_laptops_disagreeing_is_a_conflict_resolved_the_same_way_in_either_order(world):
    score(world.b, "가", "가", finalise=False)  # laptop B: a draft with other values
    pa, pb = world.package(world.a), world.package(world.b)
    first, second = world.office("first"), world.office("second")
    ra, rb = first.packages.merge([pa, pb]).value
    assert ra.status == MERGED and not ra.conflicts
    assert rb.status == MERGED and len(rb.conflicts) == 1
    c = rb.conflicts[0]
    assert (c.application_id, c.evaluator, c.record, c.kept_from) == ("T-1", "EV01", "evaluation", "office")
    assert c.kept.values["state"] == "finalised" and c.other.values["state"] == "draft"
    assert c.other.values["scores"]["a"]["level"] == "ga"  # both values are in the report
    assert c.kept.device != c.other.device and "finalised evaluation beats a draft" in c.rule
    rb2, ra2 = second.packages.merge([pb, pa]).value
    assert rb2.status == MERGED and not rb2.conflicts
    assert len(ra2.conflicts) == 1 and ra2.conflicts[0].kept_from == "package"
    assert levels(first) == levels(second) == levels(world.a)
    # the conflict waits for the office
    assert [x.id for x in first.packages.conflicts()] == [c.id]
    for st in (first, second):
        assert st.verify_audit().ok
        st.close()


def test_the_office_can_take_the_other_value_and_later_packages_follow_on(world):
    score(world.b, "가", "가", finalise=False)
    pa, pb = world.package(world.a), world.package(world.b)
    office = world.office()
    _, rb = office.packages.merge([pa, pb]).value
    cid = rb.conflicts[0].id
    done = office.packages.resolve_conflict(cid, take="other", reason="평가위원과 통화하여 확인").value
    assert done.resolution == "other" and done.resolved_by == office.actor
    assert levels(office) == ("draft", "ga", "ga")
    assert office.packages.conflicts() == [] and len(office.packages.conflicts(open_only=False)) == 1
    with pytest.raises(ValidationError, match="already resolved"):
        office.packages.resolve_conflict(cid, take="kept")
    # laptop B carries on from the value the office chose: no conflict, it supersedes
    world.b.scoring.save_score("T-1", "EV01", "b", level="양")
    world.b.scoring.finalise("T-1", "EV01")
    [r] = office.packages.merge([world.package(world.b)]).value
    assert r.status == MERGED and not r.conflicts and r.counts["evaluations"]["updated"] == 1
    assert levels(office) == ("finalised", "ga", "yang")
    # laptop A sends a new package without touching that evaluation: nothing new to report
    [r] = office.packages.merge([world.package(world.a)]).value
    assert r.status == MERGED and not r.conflicts and r.counts["evaluations"] == {"added": 0, "updated": 0,
                                                                                  "unchanged": 1}
    # the decision is in the audit trail with its reason
    with office.uow.read() as s:
        from sqlalchemy import select

        from evaluator.db.models import AuditEvent

        reasons = list(s.execute(select(AuditEvent.reason).where(AuditEvent.action == "resolve_conflict")).scalars())
    assert reasons == ["평가위원과 통화하여 확인"]
    assert office.verify_audit().ok
    office.close()


def test_between_two_finalised_evaluations_the_later_change_wins(world):
    score(world.a, "우", "우", finalise=True, reopen=True)
    score(world.b, "미", "양", finalise=True)  # B finalises after A did
    pa, pb = world.package(world.a), world.package(world.b)
    for order in ([pa, pb], [pb, pa]):
        office = world.office(f"o{len(order)}{order[0][-7:-6]}")
        reports = office.packages.merge(order).value
        assert sum(len(r.conflicts) for r in reports) == 1
        assert levels(office) == ("finalised", "mi", "yang")
        office.close()


def test_an_office_edit_and_a_later_laptop_change_conflict(world):
    office = world.office()
    score(world.a, "미", "미", finalise=True, reopen=True)
    office.packages.merge([world.package(world.a)])
    score(office, "가", "가", finalise=True, reopen=True)  # the office corrects it (e.g. from paper)
    score(world.a, "수", "수", finalise=True, reopen=True)  # ... and the laptop changes it later
    [r] = office.packages.merge([world.package(world.a)]).value
    assert len(r.conflicts) == 1 and r.conflicts[0].kept_from == "package"
    assert r.conflicts[0].other.values["scores"]["a"]["level"] == "ga"
    assert levels(office) == ("finalised", "su", "su")
    office.close()


def test_site_visits_from_two_laptops_conflict_and_the_later_one_wins(world):
    world.a.scoring.save_visit("T-1", "EV01", visited_at=datetime(2012, 4, 20, 10), notes="A의 기록")
    world.b.scoring.save_visit("T-1", "EV01", visited_at=datetime(2012, 4, 21, 10), notes="B의 기록")
    pa, pb = world.package(world.a), world.package(world.b)
    office = world.office()
    reports = office.packages.merge([pb, pa]).value
    visit_conflicts = [c for r in reports for c in r.conflicts if c.record == "site_visit"]
    # B recorded its visit after A: B's is the later change and stays
    assert len(visit_conflicts) == 1 and visit_conflicts[0].kept_from == "office"
    assert visit_conflicts[0].other.values["notes"] == "A의 기록"
    assert office.scoring.visit("T-1", "EV01")["notes"] == "B의 기록"
    office.close()


def test_an_evaluation_the_office_recused_after_the_kit_is_left_out_and_said_so(world):
    office = world.office()
    office.people.declare_conflict("T-1", "EV01", "personal", "가족이 신청 단체 회원")
    [r] = office.packages.merge([world.package(world.a)]).value
    assert r.status == MERGED and r.counts["evaluations"]["added"] == 0
    assert r.skipped and "conflict of interest" in r.skipped[0] and "T-1" in r.skipped[0]
    assert office.scoring.evaluation("T-1", "EV01") is None
    office.close()


def test_an_empty_package_merges_and_remerging_it_is_unchanged(world):
    office = world.office()
    p = world.package(world.b)  # laptop B has done nothing yet
    before = db_checksum(office.url)
    [r] = office.packages.merge([p]).value
    assert r.status == MERGED and r.added == 0
    [again] = office.packages.merge([p]).value
    assert again.status == UNCHANGED
    assert db_checksum(office.url) != before  # the receipt of the first merge
    office.close()


@pytest.mark.postgres
def test_updates_conflicts_and_resolution_on_postgresql(pg_url, tmp_path):
    key_dir = tmp_path / "keys"
    tiny_office(tmp_path, key_dir, office_url=pg_url)
    a = Store(url(tmp_path / "tiny-field.sqlite3"))
    import_kit(tmp_path / "tiny.mekit", url(tmp_path / "b.sqlite3"))
    b = Store(url(tmp_path / "b.sqlite3"))
    n = iter(range(100))

    def package(st):
        return st.packages.export_package(tmp_path / f"p{next(n)}.mepkg", passphrase=PASS, key_dir=key_dir).value.path

    with Store(pg_url) as office:
        office.keys.unlock(PASS, key_dir=key_dir)
        score(a, "미", "미", finalise=True, reopen=True)
        a.scoring.save_visit("T-1", "EV01", notes="첫 방문")
        [r] = office.packages.merge([package(a)]).value
        assert r.status == MERGED and r.counts["evaluations"]["added"] == 1
        score(a, "우", "가", finalise=True, reopen=True)  # the same laptop, newer: supersedes
        a.scoring.save_visit("T-1", "EV01", notes="두 번째 방문")
        [r] = office.packages.merge([package(a)]).value
        assert r.counts["evaluations"]["updated"] == 1 and r.counts["scores"]["updated"] == 2
        assert r.counts["site_visits"]["updated"] == 1 and not r.conflicts
        assert levels(office) == ("finalised", "u", "ga")
        score(b, "수", "수", finalise=True)  # another laptop, later: a conflict it wins
        [r] = office.packages.merge([package(b)]).value
        assert len(r.conflicts) == 1 and r.conflicts[0].kept_from == "package"
        assert levels(office) == ("finalised", "su", "su")
        office.packages.resolve_conflict(r.conflicts[0].id, take="other", reason="첫 노트북 값이 맞음")
        assert levels(office) == ("finalised", "u", "ga")
        assert office.scoring.visit("T-1", "EV01")["notes"] == "두 번째 방문"
        assert office.verify_audit().ok and all(c.ok for c in office.packages.verify_evidence())
    a.close()
    b.close()


def test_cancelling_stops_before_the_next_package_and_keeps_what_was_merged(world):
    from evaluator.errors import Cancelled
    from evaluator.jobs import CancelToken

    score(world.b, "가", "가", finalise=False)
    pa, pb = world.package(world.a), world.package(world.b)
    office = world.office()
    token = CancelToken()
    token.cancel()
    before = db_checksum(office.url)
    with pytest.raises(Cancelled):
        office.packages.merge([pa, pb], cancel=token)
    assert db_checksum(office.url) == before
    token = CancelToken()
    seen = []

    def progress(fraction, message=""):
        seen.append(fraction)
        if fraction > 0:
            token.cancel()  # the user presses Cancel while the first package is merging

    first, second = office.packages.merge([pa, pb], progress=progress, cancel=token).value
    assert first.status == MERGED
    assert second.rejected and "cancelled" in second.reason
    [again] = office.packages.merge([pb]).value
    assert again.status == MERGED  # nothing of it was written before
    office.close()
