"""Look-ups shared by the services, with clear NotFound errors."""

from __future__ import annotations


from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db.models import Application, Assignment, Criterion, Evaluator, Program, Round, Track
from ..db.settings import get_setting, set_setting  # noqa: F401 - the services' helpers
from ..errors import NotFound
from ..rubric import Rubric as RubricDef
from ..rubric import parse_rubric
from ..uow import PROGRAM
from ..messages import Message, msg

_rubric_cache: dict[str, RubricDef] = {}


#: settings key of the database's current program (its uuid), set by ``evaluator program use``
CURRENT_PROGRAM = "current_program"


def none() -> Message:
    """"none", for a list with nothing in it."""
    return msg("services.none", "none")


def program_by_code(s: Session, code: str) -> Program:
    p = s.execute(select(Program).where(Program.code == code)).scalar_one_or_none()
    if p is None:
        known = ", ".join(s.execute(select(Program.code).order_by(Program.id)).scalars()) or none()
        raise NotFound(msg("services.no_such_program", "There is no program '{code}' in this database (programs: "
                           "{known}).", code=code, known=known))
    return p


def current_program(s: Session, code: str | None = None) -> Program:
    """The program ``code``; else the one this store works on (``--program``); else the database's
    current program (``program use``); else the newest program that is not archived."""
    code = code or s.info.get(PROGRAM)
    if code:
        return program_by_code(s, code)
    chosen = get_setting(s, CURRENT_PROGRAM)
    if chosen:
        p = s.execute(select(Program).where(Program.uuid == chosen, Program.archived_at.is_(None))).scalar_one_or_none()
        if p is not None:
            return p
    p = s.execute(select(Program).where(Program.archived_at.is_(None)).order_by(Program.id.desc()).limit(1)
                  ).scalar_one_or_none()
    if p is None:
        if s.execute(select(Program.id).limit(1)).first() is not None:
            raise NotFound(msg("services.all_programs_archived", "Every program in this database is archived; "
                               "name one with --program CODE."))
        raise NotFound(msg("services.no_program_yet", "This database has no program yet; create one with "
                           "'evaluator program create FILE' (docs/programs.md), run 'evaluator demo', or import a kit."))
    return p


def round_by_code(s: Session, program: Program, code: str) -> Round:
    """A round of ``program`` by its code (or its Korean or English name, spacing insensitive)."""
    key = "".join(str(code).split()).casefold()
    for r in program.rounds:
        if key in (r.code.casefold(), "".join(r.name_ko.split()).casefold(), "".join(r.name_en.split()).casefold()):
            return r
    known = ", ".join(r.code for r in program.rounds) or none()
    raise NotFound(msg("services.no_such_round", "Program '{program}' has no round '{code}' (rounds: {known}).",
                       program=program.code, code=code, known=known))


def current_round(s: Session, program: Program, code: str | None = None) -> Round:
    """The round ``code``; else the program's current round (:func:`evaluator.services.rounds.current_round_id`)."""
    if code:
        return round_by_code(s, program, code)
    from .rounds import current_round_id

    rid = current_round_id(program, s)
    if rid is None:  # pragma: no cover - every program has a round since revision 0005
        raise NotFound(msg("services.no_rounds", "Program '{program}' has no rounds.", program=program.code))
    return next(r for r in program.rounds if r.id == rid)


def track_by_code(s: Session, program: Program, code: str) -> Track:
    t = s.execute(select(Track).where(Track.program_id == program.id, Track.code == code)).scalar_one_or_none()
    if t is None:
        known = ", ".join(tr.code for tr in program.tracks)
        raise NotFound(msg("services.no_such_track", "Program '{program}' has no track '{code}' (tracks: {known}).",
                           program=program.code, code=code, known=known))
    return t


def application_by_id(s: Session, external_id: str, program: Program | None = None) -> Application:
    q = select(Application).where(Application.external_id == external_id)
    if program is not None:
        q = q.where(Application.program_id == program.id)
    a = s.execute(q).scalars().first()
    if a is None:
        raise NotFound(msg("services.no_such_application", "There is no application '{app}'.", app=external_id))
    return a


def evaluator_by_code(s: Session, code: str) -> Evaluator:
    e = s.execute(select(Evaluator).where(Evaluator.code == code)).scalar_one_or_none()
    if e is None:
        raise NotFound(msg("services.no_such_evaluator", "There is no evaluator '{code}'.", code=code))
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
