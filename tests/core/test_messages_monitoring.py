"""The monitoring area speaks the core's catalogue (issue 21): a visit refused on a real signed-off
database (dated before the agreement; a level the rubric does not have) reads in Korean under
``using("ko")`` with its place, dates and levels, and in English as before; the visit is unchanged."""

from __future__ import annotations

import pytest

from evaluator.errors import ValidationError
from evaluator.messages import using

from .awards_fixtures import office, signed_off, signed_off_template  # noqa: F401 - fixtures


def test_a_refused_visit_reads_in_korean_and_english(office):
    a = office.awards.list()[0]
    app = a.application_id
    office.awards.set(app, agreed_on="2012-06-20", starts_on="2012-07-01", reason="협약")
    office.monitoring.set_plan()
    office.monitoring.assign(["EV01", "EV02", "EV03"])
    with pytest.raises(ValidationError) as early:
        office.monitoring.record(app, 1, visited_at="2012-06-01 10:00")
    with pytest.raises(ValidationError) as level:
        office.monitoring.record(app, 1, visited_at="2012-10-02 10:00", ratings={"spending": "su"})
    with using("ko"):
        assert str(early.value) == (f"신청 {app}의 모니터링 방문 1의 방문일(2012-06-01)이 협약일(2012-06-20)보다 "
                                    "이릅니다.")
        assert str(level.value).startswith(f"신청 {app}의 모니터링 방문 1: 'su'은(는) monitoring-")
        assert "'spending' 항목 등급이 아닙니다(등급: " in str(level.value)
    with using("en"):
        assert str(early.value) == (f"Monitoring visit 1 of application {app} is dated 2012-06-01, before the "
                                    "agreement (2012-06-20).")
        assert "'su' is not a level of monitoring-" in str(level.value)
    assert early.value.code == "monitoring.before_agreement" and level.value.code == "monitoring.unknown_level"
    assert office.monitoring.visits(app)[0].state == "planned"
