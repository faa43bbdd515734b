"""The social-housing demo: the city's 2017 remodelling-type social housing call, with fictional operators.

The program is the shipped program file ``resources/programs/seoul-remodel-social-housing-2017.toml``
(eligibility gates, support amounts computed from a rate table and a cap raised on 2017-08-08, the
threshold-budget selection: docs/rules.md).  Onto it the demo puts 30 fictional operators, all
submitted in round 2 (July to September 2017, so the cap in force changes half-way through): eight
fail a gate (two the operator gate, one each the building's age, the owner's consent, the project
period twice, the rent ratio, and a missing market rent), the others run 6 to 10 years with costs
around and above the caps.  Five fictional evaluators visit each application in threes and score it
(unless ``before_visits``), as the Community Building demo does (:func:`.demo.visit_and_score`), so
``evaluator rank`` shows the computed amounts at once.

Everything is made here from a seeded generator and fixed lists: the same demo every time.  Every
name, phone number (010-0XXX-XXXX, not issued), e-mail address (example.org) and street address
(가상로, 예시길 …) is invented.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from .db.models import deterministic
from .demo import DemoSummary, visit_and_score
from .domain import FIELD
from .errors import ValidationError
from .messages import msg
from .paths import resource
from .programfile import ProgramDef, load_program_file
from .services import applications as apps_svc
from .services import people, programs
from .services.common import get_setting

SEED = 20170808
#: the demo's program file (resources/programs/)
PROGRAM_FILE = "seoul-remodel-social-housing-2017.toml"
#: the day the cap rose from 150 to 200 million won
CAP_RAISED_ON = date(2017, 8, 8)

_PLACES = ["해오름", "청년둥지", "다함께", "가온", "두레살이", "새뜰", "한울타리", "이음채", "나눔터", "볕드는",
           "모퉁이", "마루", "보금자리", "온새미", "늘품", "도담", "라온", "아름채", "누리", "햇살",
           "풀빛", "소담", "한빛", "여울", "다온", "물빛", "단비", "꽃길", "별빛", "하람"]
_SURNAMES = ["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임"]
_GIVEN = ["서준", "하은", "도윤", "지우", "시우", "서연", "주원", "하린", "예준", "수아", "지호", "지유"]
_DISTRICTS = ["종로구", "중구", "용산구", "성동구", "광진구", "동대문구", "중랑구", "성북구", "강북구", "도봉구",
              "노원구", "은평구", "서대문구", "마포구", "양천구", "강서구", "구로구", "금천구", "영등포구", "동작구",
              "관악구", "서초구", "강남구", "송파구", "강동구"]
_STREETS = ["가상로", "예시길", "샘플로", "보기길", "연습로"]
_TYPES = ["주택협동조합", "사회적기업", "비영리법인", "중소기업"]
_EVALUATORS = [
    ("HV01", "한지민", "서울예시대학교 건축학과", "private expert"),
    ("HV02", "오세훈", "(사)예시주거복지센터", "housing activist"),
    ("HV03", "문가영", "가상구청 주택과", "public official"),
    ("HV04", "서태웅", "예시감정평가법인", "private expert"),
    ("HV05", "배수지", "샘플사회주택협회", "housing activist"),
]
_BIAS = {"HV01": -3.0, "HV02": 4.0, "HV03": 0.0, "HV04": 1.5, "HV05": -5.0}
#: operator index -> the gate it fails, and how
_FAILS = {3: "operator", 7: "operator", 11: "building_age", 15: "consent", 19: "period", 23: "period", 26: "rent",
          29: "rent"}
_M = 1_000_000


@dataclass(frozen=True)
class HousingOperator:
    """One fictional operator's application (what the intake sheet would carry)."""

    id: str
    values: dict[str, Any]  # the application's built-in fields, and its typed ``fields``
    quality: float  # the level the evaluators' scores are drawn around (0–100)
    fails: str | None  # the gate it is meant to fail


def program_file() -> ProgramDef:
    return load_program_file(resource("programs", PROGRAM_FILE))


def operators() -> list[HousingOperator]:
    """The 30 operators, made the same way every time."""
    rng = random.Random(SEED)
    out = []
    for i, place in enumerate(_PLACES):
        fails = _FAILS.get(i)
        kind = _TYPES[i % 4]
        experience: bool | None = True if kind == "중소기업" else None
        if i == 3:
            kind, experience = "중소기업", False  # a small business without remodelling experience
        elif i == 7:
            kind, experience = "개인", None  # an individual
        name = {"주택협동조합": f"{place}주택협동조합", "사회적기업": f"{place} 사회적기업",
                "비영리법인": f"(사){place}", "중소기업": f"{place}리모델링(주)", "개인": f"{place} 개인사업자"}[kind]
        years = 6 + i % 5
        if i == 19:
            years = 5
        elif i == 23:
            years = 12
        approved = date(1984 + i % 17, 1 + i % 12, 1 + i % 27)
        if i == 11:
            approved = date(2006, 5, 20)  # 11 years old at submission
        cost = rng.choice([120, 160, 190, 220, 250, 280, 320, 360]) * _M + rng.randrange(0, 50) * 100_000
        market = rng.choice([380_000, 400_000, 420_000, 450_000, 500_000])
        rent = market * rng.choice([60, 65, 70, 75, 80]) // 100
        if i == 26:
            rent = market * 9 // 10
        rate = {6: 0.6, 7: 0.6, 8: 0.7, 9: 0.7, 10: 0.8}.get(years, 0.7)
        # some ask for the city's share rounded up to 10 million won, some for it rounded down, some for less
        share = int(cost * rate)
        requested = [-(-share // (10 * _M)) * 10 * _M, share // (10 * _M) * 10 * _M, share * 7 // 10 // _M * _M][i % 3]
        submitted = date(2017, 7, 3) + timedelta(days=3 * i)
        district = _DISTRICTS[(i * 7) % len(_DISTRICTS)]
        fields: dict[str, Any] = {
            "operator_type": kind, "approved_on": approved.isoformat(), "project_years": years,
            "remodel_cost": cost, "proposed_rent": rent,
        }
        if experience is not None:
            fields["remodel_experience"] = experience
        if i != 15:
            fields["consent_doc"] = f"동의서 2017-{100 + i:03d}"
        if i != 29:
            fields["market_rent"] = market
        app_id = f"2017-2-S-{i + 1:02d}"
        values = {
            "id": app_id, "track": "remodel", "category": "gosiwon" if i % 2 == 0 else "inn",
            "title": f"{place} 청년 셰어하우스", "group_name": name,
            "representative": f"{_SURNAMES[i % 10]}{_GIVEN[(i * 5) % 12]}",
            "phone": f"010-0{rng.randrange(100, 1000)}-{rng.randrange(1000, 10000)}",
            "email": f"operator{i + 1:02d}@example.org", "district": district,
            "address": f"서울특별시 {district} {_STREETS[i % 5]}{1 + i % 40}길 {10 + i * 3}",
            "requested_amount": requested, "summary": f"노후 {'고시원' if i % 2 == 0 else '여관'}을 청년 1인 가구 "
                                                     f"셰어하우스로 리모델링 ({years}년 운영)",
            "submitted_on": submitted, "fields": fields,
        }
        quality = max(40.0, min(96.0, rng.gauss(72, 11)))
        out.append(HousingOperator(app_id, values, quality, fails))
    return out


def build_social_housing_demo(store, *, before_visits: bool = False) -> DemoSummary:
    """Create the social-housing demo in ``store`` (an empty office database) in one transaction."""
    definition = program_file()
    rubrics = {t.rubric.code: t.rubric for t in definition.tracks}
    rng = random.Random(SEED)
    ops = operators()
    with store.uow.write() as s, deterministic(f"maeul-evaluator-social-housing-demo:{before_visits}",
                                               datetime(2017, 10, 2, 9, 0)):
        if get_setting(s, "role") == FIELD:
            raise ValidationError(msg("core.demo_office_only", "The demo program can only be created in an office "
                                      "database."))
        program = programs.create_from_def(s, definition, status="field_study" if before_visits else "ranking")
        track_rows = {t.code: t for t in program.tracks}
        evaluators = {code: people.put_evaluator(s, code=code, name=name, organisation=org, role=role,
                                                 email=f"{code.lower()}@example.org")
                      for code, name, org, role in _EVALUATORS}
        apps = {o.id: apps_svc.put_application(s, program, track_rows, o.values)[0] for o in ops}
        pairs = []
        for i, o in enumerate(ops):
            visit_day = date(2017, 10, 10) + timedelta(days=i % 10)
            for k in range(3):
                code = _EVALUATORS[(i + k) % len(_EVALUATORS)][0]
                people.assign(s, apps[o.id], evaluators[code], actor="demo", planned_visit_on=visit_day)
                pairs.append((o.id, code, visit_day))
        finalised = 0
        if not before_visits:
            finalised = visit_and_score(s, rng, sorted(pairs), apps, evaluators, {o.id: o.quality for o in ops},
                                        _BIAS, rubrics)
        s.flush()
        return DemoSummary(program=program.code, applications=len(apps), evaluators=len(evaluators),
                           assignments=len(pairs), conflicts=0, evaluations=finalised, finalised=finalised)


__all__ = ["CAP_RAISED_ON", "HousingOperator", "build_social_housing_demo", "operators", "program_file"]
