"""The demo program: "Seoul Community Building Project — 2012 round 1".

The program is one program file among others, ``resources/programs/seoul-cbp-2012.toml`` (two
tracks, quotas 10 and 9, reserves 3, minimum 60, the trimmed mean from 5 evaluations); onto it the
demo puts 48 fictional applications (24 activity support, 24 space management) over Seoul's 25
districts, 5 fictional evaluators, assignments (3–5 per application), a few declared conflicts,
and — unless ``before_visits`` — site visits and finalised evaluations with plausible, varied
scores.  People and applications come from ``resources/demo/demo_program.toml``; scores are drawn
from a seeded random generator, ids and timestamps from a deterministic source, so the demo is the
same every time.

The round is dated 2012 and stays so; its follow-up is counted as of :data:`FOLLOW_UP_AS_OF`, a
day inside the story's project period (agreements 2012-06-20, projects July to December, mid-term
visits due 2012-10-01 and final ones 2013-01-01 under the default plan, docs/follow-up.md): the
mid-term visits are some weeks late and the final ones still to come, as an office would have seen
it then — not thousands of days overdue.  A real program sets no such day and counts from today;
a date given explicitly (``monitoring due --today``) wins over both.
"""

from __future__ import annotations

import random
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from .db.models import deterministic
from .domain import FIELD
from .errors import ValidationError
from .messages import msg
from .monitoring import service as monitoring
from .paths import resource
from .programfile import ProgramDef, load_program_file
from .rubric import Rubric as RubricDef
from .rubric import load_rubric
from .services import applications as apps_svc
from .services import people, programs, scoring
from .services.common import get_setting

SEED = 20120412
#: the demo's follow-up "today" (evaluator.monitoring.service.as_of)
FOLLOW_UP_AS_OF = date(2012, 11, 15)
#: the demo's program file (resources/programs/)
PROGRAM_FILE = "seoul-cbp-2012.toml"


@dataclass(frozen=True)
class DemoSummary:
    program: str
    applications: int
    evaluators: int
    assignments: int
    conflicts: int
    evaluations: int
    finalised: int


def load_content() -> dict:
    with open(resource("demo", "demo_program.toml"), "rb") as fh:
        return tomllib.load(fh)


def default_rubrics() -> dict[str, RubricDef]:
    return {code: load_rubric(resource("rubrics", f"{code}.toml")) for code in ("activity", "space")}


def program_file() -> ProgramDef:
    """The demo's program, as its program file says."""
    return load_program_file(resource("programs", PROGRAM_FILE))


def _d(v) -> date | None:
    if v is None or isinstance(v, date):
        return v
    return date.fromisoformat(str(v))


def build_demo(store, *, before_visits: bool = False) -> DemoSummary:
    """Create the demo program in ``store`` (an empty office database) in one transaction."""
    content = load_content()
    definition = program_file()
    rubrics = {t.rubric.code: t.rubric for t in definition.tracks}
    rng = random.Random(SEED)
    actor = "demo"
    with store.uow.write() as s, deterministic(f"maeul-evaluator-demo:{before_visits}", datetime(2012, 4, 13, 9, 0)):
        if get_setting(s, "role") == FIELD:
            raise ValidationError(msg("core.demo_office_only", "The demo program can only be created in an office "
                                      "database."))
        program = programs.create_from_def(s, definition, status="field_study" if before_visits else "ranking")
        monitoring.set_as_of(s, program, FOLLOW_UP_AS_OF)
        track_rows = {t.code: t for t in program.tracks}
        evaluators = {}
        for e in content["evaluators"]:
            evaluators[e["code"]] = people.put_evaluator(
                s, code=e["code"], name=e["name"], organisation=e.get("organisation", ""),
                role=e.get("role_en", ""), email=e.get("email", ""),
            )
        apps = {}
        quality = {}
        for a in content["applications"]:
            values = {
                "id": a["id"], "track": a["track"], "category": a["category"], "title": a["title"],
                "group_name": a["group"], "representative": a["representative"], "phone": a["phone"],
                "email": a.get("email", ""), "district": a["district"], "neighbourhood": a.get("neighbourhood", ""),
                "address": a.get("address", ""), "members": int(a["members"]),
                "requested_amount": int(a["requested"]), "self_contribution": int(a.get("self_contribution", 0)),
                "summary": a.get("summary", ""), "submitted_on": _d(a.get("submitted_on")),
            }
            apps[a["id"]], _ = apps_svc.put_application(s, program, track_rows, values)
            quality[a["id"]] = float(a.get("quality", 65))
        for c in content.get("conflicts", []):
            people.declare_conflict(s, apps[c["application"]], evaluators[c["evaluator"]],
                                    conflict_type=c.get("type", "personal"), note=c.get("note", ""), actor=actor)
        pairs = []
        for i, asg in enumerate(content["assignments"]):
            visit_day = date(2012, 4, 16) + timedelta(days=i % 10)
            for code in asg["evaluators"]:
                people.assign(s, apps[asg["application"]], evaluators[code], actor=actor, planned_visit_on=visit_day)
                pairs.append((asg["application"], code, visit_day))
        n_eval = n_final = 0
        if not before_visits:
            bias = {k: float(v) for k, v in content.get("evaluator_bias", {}).items()}
            n_eval = n_final = visit_and_score(s, rng, sorted(pairs), apps, evaluators, quality, bias, rubrics)
        s.flush()
        return DemoSummary(
            program=program.code, applications=len(apps), evaluators=len(evaluators),
            assignments=len(pairs), conflicts=len(content.get("conflicts", [])), evaluations=n_eval,
            finalised=n_final,
        )


def visit_and_score(s, rng: random.Random, pairs: list[tuple[str, str, date]], apps: dict, evaluators: dict,
                    quality: dict[str, float], bias: dict[str, float], rubrics: dict[str, RubricDef]) -> int:
    """Each (application, evaluator, visit day) of ``pairs``, in order: a site visit, a score on every
    criterion drawn around the application's quality plus the evaluator's bias, and the finalised
    evaluation.  Returns how many were finalised."""
    n = 0
    for app_id, code, visit_day in pairs:
        app, ev = apps[app_id], evaluators[code]
        rd = rubrics[app.track.rubric.code]
        base = quality[app_id] + bias.get(code, 0.0) + rng.gauss(0, 4)
        visited = datetime.combine(visit_day, time(10 + rng.randrange(0, 7), 0))
        scoring.save_site_visit(
            s, app, ev, actor=code, device=f"demo-{code}", visited_at=visited,
            attendees=f"대표자 외 {rng.randint(2, 8)}명",
            checklist={c.code: rng.random() > 0.08 for c in rd.checklist},
            notes="현장 확인 완료." if rng.random() > 0.3 else "공간 일부 공사 중, 추가 확인 필요.",
        )
        for c in rd.criteria:
            pct = max(5.0, min(100.0, base + rng.gauss(0, 9)))
            if c.scoring == "levels":
                lv = min(rd.levels, key=lambda lv: abs(lv.percent - pct))
                scoring.save_score(s, app, ev, c.code, level=lv.key, actor=code, device=f"demo-{code}",
                                   comment=_comment(rng, lv.percent), at=visited + timedelta(minutes=30))
            else:
                pts = round(c.max_points * pct / 100.0)
                scoring.save_score(s, app, ev, c.code, points=pts, actor=code, device=f"demo-{code}",
                                   comment=_comment(rng, pct), at=visited + timedelta(minutes=30))
        scoring.finalise(s, app, ev, actor=code, device=f"demo-{code}", at=visited + timedelta(hours=3))
        n += 1
    return n


_COMMENTS_HIGH = ["주민 참여가 매우 활발함.", "계획이 구체적이고 실현 가능성이 높음.", "지역 내 연계망이 잘 갖추어져 있음."]
_COMMENTS_LOW = ["참여 주민 확인이 더 필요함.", "예산 산출 근거가 부족함.", "지속 계획 보완 필요."]


def _comment(rng: random.Random, pct: float) -> str:
    if rng.random() > 0.25:
        return ""
    return rng.choice(_COMMENTS_HIGH if pct >= 70 else _COMMENTS_LOW)
