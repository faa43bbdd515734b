"""The services' sentences in both languages (issue 21): an evaluation that cannot be finalised
says why in the language in effect when it is read, and its problems keep their codes and params."""

from __future__ import annotations

import pytest

from evaluator.errors import EvaluationLocked, ValidationError
from evaluator.messages import using

from .excel_fixtures import before_visits  # noqa: F401 - the fixture


def _unscored(st, evaluator="EV01"):
    return sorted(a.application_id for a in st.people.assignments(evaluator=evaluator) if a.conflict_type is None)[0]


def test_an_evaluation_that_cannot_be_finalised_says_why_in_korean_and_in_english(before_visits):
    st = before_visits
    app = _unscored(st)
    with pytest.raises(ValidationError) as caught:
        st.scoring.finalise(app, "EV01")
    err = caught.value
    missing = sum(1 for p in err.problems if p.code == "scoring.not_scored")
    assert missing >= 1
    with using("ko"):
        assert err.message.startswith(f"신청 {app}에 대한 평가위원 EV01의 평가를 확정할 수 없습니다: "
                                      f"필수 평가 항목 {missing}개에 점수가 없습니다")
        first = next(p for p in err.problems if p.code == "scoring.not_scored")
        assert first.render("ko").endswith(f"'{first.params['name']}'에 점수가 없습니다")
    with using("en"):
        assert err.message.startswith(f"The evaluation of {app} by EV01 cannot be finalised: "
                                      f"{missing} required criteria are not scored")
        assert first.render("en").endswith(f"'{first.params['name']}' has no score")
    # the problems' codes and params are what the GUI and the docs use
    assert first.params == {"criterion": first.field, "name": first.params["name"]}
    assert err.code == "services.cannot_finalise_scores"


def test_a_finalised_evaluation_refuses_a_score_in_the_language_read(before_visits):
    st = before_visits
    app = _unscored(st)
    info = st.scoring.evaluation(app, "EV01")
    assert info is None or info.state != "finalised"
    st.scoring.abstain(app, "EV01", "이해관계 확인 중")
    st.scoring.finalise(app, "EV01")  # an abstention finalises without scores
    with pytest.raises(EvaluationLocked) as caught:
        st.scoring.set_comment(app, "EV01", "추가 의견")
    with using("ko"):
        assert str(caught.value) == (f"신청 {app}에 대한 평가위원 EV01의 평가는 확정되었습니다. "
                                     "바꾸기 전에 사유를 적고 평가를 다시 여세요.")
    with using("en"):
        assert str(caught.value) == (f"The evaluation of application {app} by EV01 is finalised; reopen it with a "
                                     "reason before changing it.")
