"""The applications table's queries (``Store.application_ids`` / ``application_rows``) on both
engines: search ignores the case of Latin letters only, filters and sorts combine, and rows come
back in the order asked for, however many IDs are asked for at once."""

from __future__ import annotations

from datetime import date

import pytest

from evaluator.rubric import parse_rubric
from evaluator.services import applications as apps_svc
from evaluator.services.programs import TrackSpec
from evaluator.store import Store

from .rubric_samples import small_rubric


@pytest.fixture
def store(any_db_url):
    st = Store(any_db_url)
    rd = parse_rubric(small_rubric(scoring_b="points"), "mini.toml")
    st.programs.create(code="p1", name_ko="시험 사업", name_en="Test program", tracks=[
        TrackSpec("activity", "주민모임 활동 지원", "Activity", rd, quota=2),
        TrackSpec("space", "공간 지원", "Space", rd, quota=2),
    ])
    st.people.put_evaluator("EV01", "가상평가", "가상기관")
    rows = [
        ("A-1", "activity", "Maeul Cafe 모임", "햇살 모임", "종로구", 3_000_000),
        ("A-2", "activity", "마을 사업 ÄÖ", "Sunny Days", "강남구", None),
        ("S-1", "space", "공유 부엌 MAEUL", "모임", "종로구", 1_000_000),
        ("S-2", "space", "햇살 정원", "이웃", "마포구", 2_000_000),
    ]
    for ext, track, title, group, district, amount in rows:
        st.applications.put({"id": ext, "track": track, "title": title, "group_name": group,
                            "district": district, "requested_amount": amount, "submitted_on": date(2012, 4, 1)})
    yield st
    st.close()


def test_search_ignores_the_case_of_latin_letters_and_only_of_those(store):
    assert store.applications.ids(search="maeul") == ["A-1", "S-1"]
    assert store.applications.ids(search="MAEUL CAFE") == ["A-1"]
    assert store.applications.ids(search="sunny") == ["A-2"]
    assert store.applications.ids(search="s-") == ["S-1", "S-2"]  # the ID is searched too
    assert store.applications.ids(search="햇살") == ["A-1", "S-2"]  # title or group name
    assert store.applications.ids(search="ÄÖ") == ["A-2"]
    assert store.applications.ids(search="종로구") == ["A-1", "S-1"]
    assert store.applications.ids(search="없는 말") == []


def test_filters_and_sorts_combine(store):
    assert store.applications.ids(track="space") == ["S-1", "S-2"]
    assert store.applications.ids(track="space", search="햇살") == ["S-2"]
    assert store.applications.ids(track="nope") == []
    assert store.applications.ids(sort="track", descending=True) == ["S-1", "S-2", "A-1", "A-2"]
    assert store.applications.ids(sort="title") == sorted(
        ["A-1", "A-2", "S-1", "S-2"], key=lambda i: store.applications.get(i).title)
    amounts = store.applications.ids(sort="requested_amount", descending=True, district="종로구")
    assert amounts == ["A-1", "S-1"]
    store.people.assign("S-2", "EV01")
    store.people.assign("A-1", "EV01")
    assert store.applications.ids(evaluator="EV01", sort="id", descending=True) == ["S-2", "A-1"]


def test_rows_come_in_the_order_asked_for_and_any_number_at_once(store, monkeypatch):
    store.people.assign("S-2", "EV01")
    monkeypatch.setattr(apps_svc, "ROWS_CHUNK", 3)  # several statements for one call
    rows = store.applications.rows(["S-2", "NOPE", "A-2", "A-1", "S-1"])
    assert [r.id for r in rows] == ["S-2", "A-2", "A-1", "S-1"]
    assert [(r.evaluators, r.finalised) for r in rows] == [(1, 0), (0, 0), (0, 0), (0, 0)]
    assert rows[0].track == "space" and rows[1].requested_amount is None
    assert rows[3].submitted_on == date(2012, 4, 1)
    assert store.applications.rows([]) == []
    assert [r.id for r in store.applications.list(track="activity")] == ["A-1", "A-2"]
