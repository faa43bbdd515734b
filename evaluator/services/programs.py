"""Programs (calls/rounds), their tracks and rubrics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..db.models import Application, Criterion, EligibilityGate, Program, Rubric, Track
from ..domain import ProgramInfo, TrackInfo
from ..errors import ValidationError
from ..rubric import Rubric as RubricDef

#: program-level ranking defaults (BRIEF §4); each can be changed per program
DEFAULT_SETTINGS = {
    "method": "mean",
    "trim_min_evaluators": 5,
    "disagreement_threshold": 20.0,
    "tie_breaks": ["field_check", "fewer_flags", "earlier_submission"],
}


@dataclass(frozen=True)
class TrackSpec:
    code: str
    name_ko: str
    name_en: str
    rubric: RubricDef
    quota: int
    reserve_size: int = 3
    budget: int | None = None


def add_rubric(s: Session, program: Program, rd: RubricDef) -> Rubric:
    existing = s.execute(
        select(Rubric).where(Rubric.program_id == program.id, Rubric.code == rd.code)
    ).scalar_one_or_none()
    if existing is not None:
        if existing.content_hash != rd.content_hash:
            raise ValidationError(
                f"Program '{program.code}' already has a different rubric '{rd.code}' "
                f"(version {existing.content_hash[:12]}, new {rd.version})."
            )
        return existing
    r = Rubric(
        program=program,
        code=rd.code,
        name_ko=rd.name_ko,
        name_en=rd.name_en,
        content_hash=rd.content_hash,
        min_score=rd.min_score,
        source=rd.source,
        checklist=[{"code": c.code, "ko": c.name_ko, "en": c.name_en} for c in rd.checklist],
        levels=[{"key": lv.key, "ko": lv.label_ko, "en": lv.label_en, "percent": lv.percent} for lv in rd.levels],
    )
    s.add(r)
    for i, c in enumerate(rd.criteria):
        s.add(
            Criterion(
                rubric=r, code=c.code, position=i, name_ko=c.name_ko, name_en=c.name_en,
                help_ko=c.help_ko, help_en=c.help_en, max_points=c.max_points, weight=c.weight,
                scoring=c.scoring, required=c.required, field_check=c.field_check,
                level_descriptions={k: list(v) for k, v in c.level_descriptions.items()},
            )
        )
    for i, g in enumerate(rd.gates):
        s.add(
            EligibilityGate(
                rubric=r, code=g.code, position=i, name_ko=g.name_ko, name_en=g.name_en,
                kind=g.kind, field=g.field, min_value=g.min_value,
            )
        )
    s.flush()
    return r


def create_program(
    s: Session,
    *,
    code: str,
    name_ko: str,
    name_en: str = "",
    tracks: list[TrackSpec],
    opened_on: date | None = None,
    closed_on: date | None = None,
    settings: dict | None = None,
    uuid: str | None = None,
    status: str = "intake",
) -> Program:
    if s.execute(select(Program.id).where(Program.code == code)).first():
        raise ValidationError(f"A program with code '{code}' already exists in this database.")
    program = Program(
        code=code, name_ko=name_ko, name_en=name_en, opened_on=opened_on, closed_on=closed_on,
        settings={**DEFAULT_SETTINGS, **(settings or {})}, status=status,
    )
    if uuid:
        program.uuid = uuid
    s.add(program)
    s.flush()
    for i, t in enumerate(tracks):
        r = add_rubric(s, program, t.rubric)
        s.add(Track(program=program, code=t.code, position=i, name_ko=t.name_ko, name_en=t.name_en,
                    rubric=r, quota=t.quota, reserve_size=t.reserve_size, budget=t.budget))
    s.flush()
    return program


def program_info(s: Session, p: Program) -> ProgramInfo:
    counts = dict(
        s.execute(
            select(Application.track_id, func.count()).where(Application.program_id == p.id).group_by(Application.track_id)
        ).all()
    )
    tracks = tuple(
        TrackInfo(
            code=t.code, name_ko=t.name_ko, name_en=t.name_en, rubric_code=t.rubric.code, quota=t.quota,
            reserve_size=t.reserve_size, budget=t.budget, applications=counts.get(t.id, 0),
        )
        for t in p.tracks
    )
    return ProgramInfo(
        code=p.code, uuid=p.uuid, name_ko=p.name_ko, name_en=p.name_en, status=p.status,
        opened_on=p.opened_on, closed_on=p.closed_on, tracks=tracks, settings=dict(p.settings or {}),
    )


def update_settings(s: Session, program: Program, changes: dict[str, Any], *, actor: str, device: str) -> dict:
    """Merge ``changes`` into the program's settings, audited with the old and new settings."""
    from .. import audit

    old = dict(program.settings or {})
    program.settings = {**old, **changes}
    audit.append(s, actor=actor, device=device, action="program_settings", entity="program",
                 entity_uuid=program.uuid, old=old, new=program.settings)
    return dict(program.settings)
