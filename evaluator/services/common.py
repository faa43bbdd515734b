"""Look-ups shared by the services, with clear NotFound errors."""

from __future__ import annotations


from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db.models import Application, Assignment, Criterion, Evaluator, Program, Track
from ..db.settings import get_setting, set_setting  # noqa: F401 - the services' helpers
from ..errors import NotFound
from ..rubric import Rubric as RubricDef
from ..rubric import parse_rubric

_rubric_cache: dict[str, RubricDef] = {}


def current_program(s: Session, code: str | None = None) -> Program:
    if code:
        p = s.execute(select(Program).where(Program.code == code)).scalar_one_or_none()
        if p is None:
            raise NotFound(f"There is no program '{code}' in this database.")
        return p
    p = s.execute(select(Program).order_by(Program.id.desc()).limit(1)).scalar_one_or_none()
    if p is None:
        raise NotFound("This database has no program yet; run 'evaluator demo' or import a kit.")
    return p


def track_by_code(s: Session, program: Program, code: str) -> Track:
    t = s.execute(select(Track).where(Track.program_id == program.id, Track.code == code)).scalar_one_or_none()
    if t is None:
        known = ", ".join(tr.code for tr in program.tracks)
        raise NotFound(f"Program '{program.code}' has no track '{code}' (tracks: {known}).")
    return t


def application_by_id(s: Session, external_id: str, program: Program | None = None) -> Application:
    q = select(Application).where(Application.external_id == external_id)
    if program is not None:
        q = q.where(Application.program_id == program.id)
    a = s.execute(q).scalars().first()
    if a is None:
        raise NotFound(f"There is no application '{external_id}'.")
    return a


def evaluator_by_code(s: Session, code: str) -> Evaluator:
    e = s.execute(select(Evaluator).where(Evaluator.code == code)).scalar_one_or_none()
    if e is None:
        raise NotFound(f"There is no evaluator '{code}'.")
    return e


def assignment_for(s: Session, app: Application, ev: Evaluator) -> Assignment | None:
    return s.execute(
        select(Assignment).where(Assignment.application_id == app.id, Assignment.evaluator_id == ev.id)
    ).scalar_one_or_none()


def rubric_def(track: Track) -> RubricDef:
    """The validated rubric of a track (parsed once per content hash)."""
    r = track.rubric
    cached = _rubric_cache.get(r.content_hash)
    if cached is None:
        cached = parse_rubric(r.source, source_name=f"rubric '{r.code}' (stored)")
        _rubric_cache[r.content_hash] = cached
    return cached


def criteria_by_code(s: Session, rubric_id: int) -> dict[str, Criterion]:
    """Criteria of a rubric by code (cached for the session's current transaction)."""
    tx = s.get_transaction()
    cache = s.info.get("criteria_cache")
    if cache is None or cache[0] is not tx:
        cache = (tx, {})
        s.info["criteria_cache"] = cache
    found = cache[1].get(rubric_id)
    if found is None:
        rows = s.execute(select(Criterion).where(Criterion.rubric_id == rubric_id)).scalars()
        found = cache[1][rubric_id] = {c.code: c for c in rows}
    return found
