"""The façade on both engines: programs, applications, assignments, autosave, finalise, audit."""

from __future__ import annotations

from datetime import date

from pathlib import Path
import pytest

from evaluator.errors import (
    ConflictOfInterest, EditConflict, EvaluationLocked, NotFound, ValidationError,
)
from evaluator.rubric import parse_rubric
from evaluator.services.programs import TrackSpec
from evaluator.store import Store

from .rubric_samples import small_rubric


def make_program(store: Store) -> None:
    rd = parse_rubric(small_rubric(scoring_b="points"), "mini.toml")
    store.programs.create(code="p1", name_ko="시험 사업", name_en="Test program",
                         tracks=[TrackSpec("activity", "주민모임 활동 지원", "Activity", rd, quota=2)])
    store.people.put_evaluator("EV01", "가상평가", "가상기관")
    store.people.put_evaluator("EV02", "나상평가", "나상기관")
    for i in range(3):
        store.applications.put({"id": f"T-{i}", "track": "activity", "title": f"마을 사업 {i}",
                               "group_name": "모임", "district": "종로구", "members": 5,
                               "requested_amount": 1_000_000 * (i + 1), "submitted_on": date(2012, 4, i + 1)})


@pytest.fixture
def store(any_db_url):
    st = Store(any_db_url)
    make_program(st)
    yield st
    st.close()


def test_new_database_is_created_at_head_and_reports_counts(store):
    info = store.info()
    assert info.schema_revision and info.role == "office"
    assert info.applications == 3 and info.applications_per_track == {"activity": 3}
    assert info.evaluators == 2
    assert [r.id for r in store.applications.list()] == ["T-0", "T-1", "T-2"]


def test_reimport_updates_by_id_and_reports_changes(store):
    changes = store.applications.put({"id": "T-1", "track": "activity", "title": "고친 제목", "members": 5}).value
    assert changes == {"title": ("마을 사업 1", "고친 제목")}
    assert store.applications.put({"id": "T-1", "track": "activity", "title": "고친 제목"}).value == {}
    assert store.applications.get("T-1").title == "고친 제목"
    assert store.info().applications == 3


def test_sorting_and_filtering_happen_in_the_database(store):
    assert store.applications.ids(sort="requested_amount", descending=True) == ["T-2", "T-1", "T-0"]
    assert store.applications.ids(search="사업 1") == ["T-1"]
    store.people.assign("T-2", "EV01")
    assert store.applications.ids(evaluator="EV01") == ["T-2"]


def test_conflicted_evaluator_cannot_be_assigned_or_score(store):
    store.people.declare_conflict("T-0", "EV02", "personal", "대표자와 친척")
    with pytest.raises(ConflictOfInterest, match="EV02.*personal conflict.*T-0"):
        store.people.assign("T-0", "EV02")
    with pytest.raises(ConflictOfInterest):
        store.scoring.save_score("T-0", "EV02", "a", level="수")
    info = store.info()
    assert info.conflicts == 1 and info.assignments == 0


def test_autosave_validates_and_versions_every_score(store):
    store.people.assign("T-0", "EV01")
    saved = store.scoring.save_score("T-0", "EV01", "a", level="우").value
    assert (saved.level, saved.points, saved.version, saved.total) == ("u", 48.0, 1, None)
    with pytest.raises(ValidationError, match="'최고' is not a level of criterion 'a'"):
        store.scoring.save_score("T-0", "EV01", "a", level="최고")
    with pytest.raises(ValidationError, match="outside 0–40"):
        store.scoring.save_score("T-0", "EV01", "b", points=41)
    with pytest.raises(ValidationError, match="scored in points"):
        store.scoring.save_score("T-0", "EV01", "b", level="수")
    saved = store.scoring.save_score("T-0", "EV01", "b", points=30, comment="공간 확인").value
    # total = 100 × (48 + 30) / 100
    assert saved.total == pytest.approx(78.0)
    with pytest.raises(EditConflict, match="Edit conflict"):
        store.scoring.save_score("T-0", "EV01", "a", level="수", expected_version=0)
    assert store.scoring.evaluation("T-0", "EV01").scores[0].level == "u"  # nothing saved by the stale write
    assert store.scoring.save_score("T-0", "EV01", "a", level="수", expected_version=1).value.version == 2


def test_finalise_lists_missing_then_locks_and_reopen_needs_a_reason(store):
    store.people.assign("T-1", "EV01")
    store.scoring.save_score("T-1", "EV01", "a", level="미")
    with pytest.raises(ValidationError) as err:
        store.scoring.finalise("T-1", "EV01")
    assert [p.where for p in err.value.problems] == ["criterion b"]
    store.scoring.save_score("T-1", "EV01", "b", points=20)
    info = store.scoring.finalise("T-1", "EV01").value
    assert info.state == "finalised" and info.total == pytest.approx(56.0)
    with pytest.raises(EvaluationLocked, match="finalised; reopen it"):
        store.scoring.save_score("T-1", "EV01", "b", points=10)
    with pytest.raises(ValidationError, match="needs a reason"):
        store.scoring.reopen("T-1", "EV01", "  ")
    store.scoring.reopen("T-1", "EV01", "평가자 요청으로 수정")
    assert store.scoring.save_score("T-1", "EV01", "b", points=10).value.total == pytest.approx(46.0)


def test_unknown_things_are_named(store):
    with pytest.raises(NotFound, match="no application 'X-9'"):
        store.applications.get("X-9")
    with pytest.raises(NotFound, match="no evaluator 'EV99'"):
        store.people.assign("T-0", "EV99")
    with pytest.raises(NotFound, match="not assigned"):
        store.scoring.save_score("T-0", "EV02", "a", level="수")


def test_audit_trail_records_changes_and_detects_tampering(store):
    store.people.assign("T-0", "EV01")
    store.scoring.save_score("T-0", "EV01", "a", level="우")
    store.scoring.save_score("T-0", "EV01", "a", level="수")
    v = store.verify_audit()
    assert v.ok and v.entries >= 4
    from sqlalchemy import select, update

    from evaluator.db.models import AuditEvent

    with store.uow.write() as s:
        target = s.execute(select(AuditEvent).where(AuditEvent.action == "score").order_by(AuditEvent.id)).scalars().first()
        s.execute(update(AuditEvent).where(AuditEvent.id == target.id).values(actor="someone-else"))
    v = store.verify_audit()
    assert not v.ok and v.first_broken_id == target.id and "altered" in v.problem


def test_the_database_file_is_encrypted_exactly_when_the_run_asks_for_it(tmp_path):
    """``make test-encrypted`` must really run on encrypted files (and ``make test`` on plain ones)."""
    from evaluator.db.encryption import is_plain_sqlite
    from tests.conftest import ENCRYPTED_RUN

    path = tmp_path / "mode.sqlite3"
    with Store(f"sqlite:///{path}") as st:
        st.people.put_evaluator("EV01", "가상평가위원")
    assert is_plain_sqlite(path) is not ENCRYPTED_RUN
    wal = Path(f"{path}-wal")
    data = path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert ("가상평가위원".encode() in data) is not ENCRYPTED_RUN


def test_new_uuids_are_random_version_4_uuids():
    import uuid

    from evaluator.db.models import new_uuid

    seen = {new_uuid() for _ in range(5000)}
    assert len(seen) == 5000
    for s in seen:
        u = uuid.UUID(s)
        assert str(u) == s and u.version == 4 and u.variant == uuid.RFC_4122
    # every hex digit of the random part turns up (no stuck nibble)
    assert {c for s in seen for c in s.replace("-", "")} == set("0123456789abcdef")
