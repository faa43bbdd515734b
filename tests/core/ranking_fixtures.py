"""Small, hand-checkable ranking inputs and programs for the ranking tests.

The test rubric has two criteria scored in points: ``a`` (max 60) and ``b`` (max 40, the field
check), both weight 1, so an evaluation's total is simply ``a + b`` (100·(a+b)/100).
"""

from __future__ import annotations

from datetime import date

from evaluator.ranking.inputs import (
    ApplicationInput, CriterionSpec, EvaluationInput, GateSpec, TrackInputs,
)
from evaluator.rubric import parse_rubric
from evaluator.services.programs import TrackSpec

A = CriterionSpec("a", 1.0, 60.0)
B = CriterionSpec("b", 1.0, 40.0, field_check=True)
MIN_MEMBERS = GateSpec("min_members", "주민 3인 이상", "At least 3 resident members", "auto", "members", 3)
NO_DOUBLE = GateSpec("no_double", "중복 지원 아님", "Not funded twice", "manual")


def ev(evaluator: str, a: float | None, b: float | None, **kw) -> EvaluationInput:
    return EvaluationInput(evaluator, (a, b), **kw)


def total(evaluator: str, t: float, **kw) -> EvaluationInput:
    """An evaluation whose total is ``t`` (split 60 % / 40 % over a and b, so the field check is t/100)."""
    a = t * 3 / 5
    return EvaluationInput(evaluator, (a, t - a), **kw)


def app(app_id: str, *evaluations: EvaluationInput, members: int = 5, requested: int | None = 1_000_000,
        submitted: date | None = date(2012, 4, 1), **kw) -> ApplicationInput:
    return ApplicationInput(app_id, tuple(evaluations), title=f"사업 {app_id}", members=members,
                            requested_amount=requested, submitted_on=submitted, **kw)


def track(*apps: ApplicationInput, quota: int = 2, **kw) -> TrackInputs:
    kw.setdefault("gates", (MIN_MEMBERS, NO_DOUBLE))
    kw.setdefault("stability", False)
    return TrackInputs("activity", (A, B), tuple(apps), quota=quota, name_ko="주민모임 활동 지원",
                       name_en="Community activity support", **kw)


def rows_by_id(ranking) -> dict:
    return {r.application_id: r for r in ranking.rows}


# --- a small program in a real database -----------------------------------------------------------
LEVELS = "\n".join(
    f'[[levels]]\nkey = "{k}"\nlabel_ko = "{ko}"\nlabel_en = "{en}"\npercent = {p}\n'
    for k, ko, en, p in (("su", "수", "Excellent", 100), ("u", "우", "Very good", 80), ("mi", "미", "Good", 60),
                         ("yang", "양", "Fair", 40), ("ga", "가", "Poor", 20))
)
DESCR = """[criteria.levels]
su = { ko = "매우 우수", en = "outstanding" }
u = { ko = "우수", en = "very good" }
mi = { ko = "보통", en = "adequate" }
yang = { ko = "미흡", en = "weak" }
ga = { ko = "매우 미흡", en = "very weak" }
"""

RUBRIC = f"""format = 1
id = "rank-test"
track = "activity"
name_ko = "순위 시험 평가표"
name_en = "Ranking test rubric"
min_score = 60
{LEVELS}
[[criteria]]
id = "a"
name_ko = "가 항목"
name_en = "Criterion A"
max = 60
scoring = "points"
{DESCR}
[[criteria]]
id = "b"
name_ko = "현장 확인"
name_en = "Field check"
max = 40
scoring = "points"
field_check = true
{DESCR}
[[gates]]
id = "min_members"
name_ko = "주민 3인 이상"
name_en = "At least 3 resident members"
kind = "auto"
field = "members"
min = 3

[[gates]]
id = "no_double"
name_ko = "중복 지원 아님"
name_en = "Not funded twice"
kind = "manual"
"""

#: (application, members, {evaluator: (a, b)}) — totals are a + b
SMALL_PROGRAM = [
    ("R-1", 5, {"EV01": (54, 36), "EV02": (48, 32), "EV03": (60, 40)}),  # 90, 80, 100 -> 90
    ("R-2", 5, {"EV01": (48, 32), "EV02": (42, 28), "EV03": (54, 36)}),  # 80, 70, 90  -> 80
    ("R-3", 5, {"EV01": (42, 28), "EV02": (36, 24), "EV03": (48, 32)}),  # 70, 60, 80  -> 70
    ("R-4", 5, {"EV01": (36, 24), "EV02": (36, 24), "EV03": (36, 24)}),  # 60, 60, 60  -> 60
    ("R-5", 2, {"EV01": (60, 40), "EV02": (60, 40), "EV03": (60, 40)}),  # 100 but only 2 members
]


def make_small_program(store, *, quota: int = 2, reserve: int = 1) -> None:
    """Five applications, three evaluators, finalised evaluations (see SMALL_PROGRAM)."""
    rd = parse_rubric(RUBRIC, "rank-test.toml")
    store.programs.create(code="rank-test", name_ko="순위 시험 사업", name_en="Ranking test program",
                         tracks=[TrackSpec("activity", "주민모임 활동 지원", "Community activity support", rd,
                                           quota=quota, reserve_size=reserve)])
    for code in ("EV01", "EV02", "EV03"):
        store.people.put_evaluator(code, f"평가위원 {code}", "가상기관")
    for n, (app_id, members, scores) in enumerate(SMALL_PROGRAM):
        store.applications.put({"id": app_id, "track": "activity", "title": f"마을 사업 {app_id}",
                               "group_name": "가상 모임", "district": "종로구", "members": members,
                               "requested_amount": 1_000_000, "submitted_on": date(2012, 4, 1 + n)})
        for evaluator, (a, b) in scores.items():
            store.people.assign(app_id, evaluator)
            store.scoring.save_score(app_id, evaluator, "a", points=a)
            store.scoring.save_score(app_id, evaluator, "b", points=b)
            store.scoring.finalise(app_id, evaluator)
