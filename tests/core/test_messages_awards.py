"""The awards area speaks the core's catalogue (issue 21): a tranche beyond the award and a status an
award cannot take, refused on a real signed-off database, read in Korean under ``using("ko")`` with
the amounts and statuses in them, and in English as before."""

from __future__ import annotations

import pytest

from evaluator.errors import ValidationError
from evaluator.messages import using

from .awards_fixtures import office, signed_off, signed_off_template  # noqa: F401 - fixtures


def test_a_tranche_beyond_the_award_is_refused_in_korean_and_english(office):
    a = office.awards.list()[0]
    office.awards.disburse(a.application_id, a.amount - 1_000_000, paid_on="2012-07-01")
    with pytest.raises(ValidationError) as ei:
        office.awards.disburse(a.application_id, 1_500_000, paid_on="2012-09-01")
    err = ei.value
    assert err.code == "awards.tranche_exceeds"
    with using("ko"):
        assert str(err) == (f"신청 {a.application_id}의 2차 교부액 1,500,000원은(는) 지원금을 넘습니다. 지원금 "
                            f"{a.amount:,}원, 교부액 {a.amount - 1_000_000:,}원, 잔액 1,000,000원. 아무것도 기록하지 "
                            "않았습니다.")
    with using("en"):
        assert str(err) == (f"Tranche 2 of 1,500,000 won for application {a.application_id} would exceed its award: "
                            f"{a.amount:,} won awarded, {a.amount - 1_000_000:,} won disbursed, balance 1,000,000 "
                            "won. Nothing was recorded.")
    assert office.awards.get(a.application_id).disbursed == a.amount - 1_000_000


def test_a_final_status_is_refused_with_the_statuses_in_the_language_read(office):
    app = office.awards.list()[0].application_id
    office.awards.set_status(app, "withdrawn", reason="단체 사정")
    with pytest.raises(ValidationError) as ei:
        office.awards.set_status(app, "in progress", reason="재개")
    with using("ko"):
        assert str(ei.value) == (f"신청 {app}의 지원은 '포기' 상태여서 '진행 중'(으)로 바꿀 수 없습니다(마지막 "
                                 "상태입니다). 아무것도 바꾸지 않았습니다.")
    with using("en"):
        assert str(ei.value) == (f"The award of application {app} is withdrawn and cannot become in progress (that "
                                 "status is final). Nothing changed.")
    assert office.awards.get(app).status == "withdrawn"
