"""Everything a report prints, fetched in a handful of queries and handed over as plain records.

A batch of a thousand sheets costs the same few queries as one sheet: applications, then their
assignments with evaluations, then scores, then site visits (each ``IN`` list in chunks so no
database hits its parameter limit).  Layout code never sees a session or an ORM object.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db.models import (
    Application, Assignment, Attachment, Criterion, Decision, Evaluation, Evaluator, Program, Score, SiteVisit, Track,
)
from ..audit.anchors import last_anchor
from ..errors import NotFound
from ..messages import msg
from ..rubric import Rubric as RubricDef
from ..services.common import evaluator_by_code, rubric_def, track_by_code

CHUNK = 500


@dataclass(frozen=True)
class TrackRecord:
    code: str
    name_ko: str
    name_en: str
    quota: int
    reserve_size: int
    budget: int | None
    rubric: RubricDef


@dataclass(frozen=True)
class ProgramRecord:
    code: str
    name_ko: str
    name_en: str
    tracks: dict[str, TrackRecord] = field(hash=False, compare=False)
    #: the database's last audit anchor (evaluator.audit.anchors.AnchorInfo) for the footers, or None
    anchor: Any = field(default=None, hash=False, compare=False)
    #: the program's categories: code -> (Korean, English)
    categories: dict[str, tuple[str, str]] = field(default_factory=dict, hash=False, compare=False)
    #: the program's typed intake fields (evaluator.programfile.FieldDef)
    fields: tuple = field(default=(), hash=False, compare=False)


@dataclass(frozen=True)
class AppRecord:
    pk: int
    id: str
    track: str
    category: str
    title: str
    group_name: str
    representative: str
    phone: str
    email: str
    district: str
    neighbourhood: str
    address: str
    members: int | None
    requested_amount: int | None
    self_contribution: int | None
    summary: str
    submitted_on: date | None
    status: str
    extra: dict = field(default_factory=dict, hash=False, compare=False)
    #: the program's typed intake fields: {key: value}
    fields: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class ScoreRecord:
    level: str | None
    points: float | None
    comment: str


@dataclass(frozen=True)
class VisitRecord:
    visited_at: datetime | None
    attendees: str
    checklist: dict[str, bool]
    notes: str
    updated_at: datetime | None


@dataclass(frozen=True)
class EvaluationRecord:
    """One assignment as a report shows it (``state`` None: not started; conflict set: recused)."""

    application_id: str
    evaluator: str
    evaluator_name: str
    organisation: str
    conflict_type: str | None
    conflict_note: str
    planned_visit_on: date | None
    state: str | None
    finalised_at: datetime | None = None
    abstained: bool = False
    abstain_reason: str = ""
    comment: str = ""
    version: int = 0
    updated_at: datetime | None = None
    package_fingerprint: str | None = None
    uuid: str = ""
    scores: dict[str, ScoreRecord] = field(default_factory=dict, hash=False, compare=False)
    visit: VisitRecord | None = None

    @property
    def recused(self) -> bool:
        return self.conflict_type is not None


@dataclass(frozen=True)
class AttachmentRecord:
    filename: str
    media_type: str
    size: int
    data: bytes | None
    path: str | None
    caption: str
    evaluator: str | None
    criterion: str | None
    created_at: datetime | None


@dataclass(frozen=True)
class DecisionRecord:
    computed: str | None
    computed_reason: str
    computed_rank: int | None
    computed_score: float | None
    computed_method: str | None
    override: str | None
    override_reason: str
    overridden_by: str
    overridden_at: datetime | None
    #: the computed reason in Korean (the dossier renders the stored structured reason in both
    #: languages, see ``ReportOps._with_reason_words``); "" when it is not known
    computed_reason_ko: str = ""


def _chunks(items: Sequence, n: int = CHUNK) -> Iterator[Sequence]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


def load_program(s: Session, program: Program) -> ProgramRecord:
    tracks = {
        t.code: TrackRecord(t.code, t.name_ko, t.name_en or "", t.quota, t.reserve_size, t.budget, rubric_def(t))
        for t in program.tracks
    }
    from ..services.programs import categories_of, field_defs

    return ProgramRecord(program.code, program.name_ko, program.name_en or "", tracks, last_anchor(s),
                         categories={c.code: (c.name_ko, c.name_en or c.name_ko) for c in categories_of(program)},
                         fields=field_defs(program))


def _to_app(a: Application, track_code: str) -> AppRecord:
    return AppRecord(
        pk=a.id, id=a.external_id, track=track_code, category=a.category, title=a.title or "",
        group_name=a.group_name or "", representative=a.representative or "", phone=a.phone or "",
        email=a.email or "", district=a.district or "", neighbourhood=a.neighbourhood or "",
        address=a.address or "", members=a.members, requested_amount=a.requested_amount,
        self_contribution=a.self_contribution, summary=a.summary or "", submitted_on=a.submitted_on,
        status=a.status or "", extra=dict(a.extra or {}), fields=dict(a.fields or {}),
    )


def load_applications(s: Session, program: Program, *, ids: Iterable[str] | None = None, track: str | None = None,
                      evaluator: str | None = None) -> list[AppRecord]:
    """Applications of ``program`` selected by IDs, track and/or evaluator (assigned, not recused),
    in application-ID order.  Unknown IDs, tracks or evaluators raise :class:`NotFound`."""
    q = (select(Application, Track.code).join(Track, Track.id == Application.track_id)
         .where(Application.program_id == program.id))
    if track:
        track_by_code(s, program, track)  # a clear error for an unknown track
        q = q.where(Track.code == track)
    if evaluator:
        ev = evaluator_by_code(s, evaluator)
        q = q.where(Application.id.in_(
            select(Assignment.application_id).where(Assignment.evaluator_id == ev.id, Assignment.conflict_type.is_(None))
        ))
    wanted = None if ids is None else list(dict.fromkeys(ids))
    rows: list[AppRecord] = []
    if wanted is None:
        rows = [_to_app(a, code) for a, code in s.execute(q.order_by(Application.external_id))]
    else:
        for chunk in _chunks(wanted):
            rows.extend(_to_app(a, code) for a, code in s.execute(q.where(Application.external_id.in_(chunk))))
        found = {r.id for r in rows}
        missing = [i for i in wanted if i not in found]
        if missing:
            # say whether the ID does not exist or was filtered out
            exists = set(s.execute(select(Application.external_id).where(
                Application.program_id == program.id, Application.external_id.in_(missing[:CHUNK]))).scalars())
            unknown = [i for i in missing if i not in exists]
            if unknown:
                raise NotFound(msg("reports.no_application", "There is no application {apps} in program '{program}'.",
                                   apps=", ".join(repr(i) for i in unknown[:10]), program=program.code))
            apps = ", ".join(missing[:10])
            if track and evaluator:
                raise NotFound(msg("reports.not_in_track_and_assignments", "Application {apps} is not in track "
                                   "'{track}' and evaluator {evaluator}'s assignments.", apps=apps, track=track,
                                   evaluator=evaluator))
            if track:
                raise NotFound(msg("reports.not_in_track", "Application {apps} is not in track '{track}'.", apps=apps,
                                   track=track))
            raise NotFound(msg("reports.not_in_assignments", "Application {apps} is not in evaluator {evaluator}'s "
                               "assignments.", apps=apps, evaluator=evaluator))
        rows.sort(key=lambda r: r.id)
    return rows


def load_evaluations(s: Session, apps: Sequence[AppRecord], *, evaluator: str | None = None,
                     with_scores: bool = True, with_visits: bool = True) -> dict[str, list[EvaluationRecord]]:
    """Every assignment (recusals included) of ``apps`` with its evaluation, scores and visit,
    by application ID, each list in evaluator-code order."""
    by_pk = {a.pk: a.id for a in apps}
    pks = list(by_pk)
    ev_filter = evaluator_by_code(s, evaluator).id if evaluator else None
    base: list[tuple] = []
    for chunk in _chunks(pks):
        q = (select(Assignment, Evaluator, Evaluation)
             .join(Evaluator, Evaluator.id == Assignment.evaluator_id)
             .outerjoin(Evaluation, Evaluation.assignment_id == Assignment.id)
             .where(Assignment.application_id.in_(chunk)))
        if ev_filter is not None:
            q = q.where(Assignment.evaluator_id == ev_filter)
        base.extend(tuple(r) for r in s.execute(q))
    scores: dict[int, dict[str, ScoreRecord]] = defaultdict(dict)
    eval_ids = [e.id for _, _, e in base if e is not None]
    if with_scores and eval_ids:
        for chunk in _chunks(eval_ids):
            for eid, code, level, pts, comment in s.execute(
                select(Score.evaluation_id, Criterion.code, Score.level, Score.points, Score.comment)
                .join(Criterion, Criterion.id == Score.criterion_id)
                .where(Score.evaluation_id.in_(chunk))
            ):
                scores[eid][code] = ScoreRecord(level, pts, comment or "")
    visits: dict[tuple[int, int], VisitRecord] = {}
    if with_visits and pks:
        for chunk in _chunks(pks):
            q = select(SiteVisit).where(SiteVisit.application_id.in_(chunk))
            if ev_filter is not None:
                q = q.where(SiteVisit.evaluator_id == ev_filter)
            for v in s.execute(q).scalars():
                visits[(v.application_id, v.evaluator_id)] = VisitRecord(
                    v.visited_at, v.attendees or "", {k: bool(x) for k, x in (v.checklist or {}).items()},
                    v.notes or "", v.updated_at)
    out: dict[str, list[EvaluationRecord]] = {a.id: [] for a in apps}
    for asg, ev, e in base:
        app_id = by_pk[asg.application_id]
        common = dict(
            application_id=app_id, evaluator=ev.code, evaluator_name=ev.name or "", organisation=ev.organisation or "",
            conflict_type=asg.conflict_type, conflict_note=asg.conflict_note or "",
            planned_visit_on=asg.planned_visit_on, visit=visits.get((asg.application_id, ev.id)),
        )
        if e is None:
            rec = EvaluationRecord(state=None, **common)
        else:
            rec = EvaluationRecord(
                state=e.state, finalised_at=e.finalised_at, abstained=bool(e.abstained),
                abstain_reason=e.abstain_reason or "", comment=e.comment or "", version=e.version,
                updated_at=e.updated_at, package_fingerprint=e.package_fingerprint, uuid=e.uuid,
                scores=scores.get(e.id, {}), **common,
            )
        out[app_id].append(rec)
    for lst in out.values():
        lst.sort(key=lambda r: r.evaluator)
    return out


@dataclass(frozen=True)
class RoundProgress:
    """How far the evaluations behind a committee document are: every assigned evaluation (declared
    conflicts left out) and how many of them are finalised."""

    expected: int
    finalised: int
    #: applications with at least one evaluation not finalised
    applications_open: int

    @property
    def missing(self) -> int:
        return self.expected - self.finalised

    @property
    def complete(self) -> bool:
        """Every assigned evaluation is finalised (and there is at least one)."""
        return self.expected > 0 and self.missing == 0


def round_progress(s: Session, program: Program, *, track: str | None = None, round: Any = None) -> RoundProgress:
    """Count the assigned evaluations of the program's round ``round`` (a Round row; None: the
    whole program), or of one track of it, and the finalised ones."""
    q = (select(Application.id, Evaluation.state)
         .select_from(Assignment)
         .join(Application, Application.id == Assignment.application_id)
         .join(Track, Track.id == Application.track_id)
         .outerjoin(Evaluation, Evaluation.assignment_id == Assignment.id)
         .where(Application.program_id == program.id, Assignment.conflict_type.is_(None)))
    if track:
        q = q.where(Track.code == track)
    if round is not None:
        q = q.where(Application.round_id == round.id)
    expected = finalised = 0
    open_apps: set[int] = set()
    for app_pk, state in s.execute(q):
        expected += 1
        if state == "finalised":
            finalised += 1
        else:
            open_apps.add(app_pk)
    return RoundProgress(expected, finalised, len(open_apps))


def load_attachments(s: Session, app: AppRecord) -> list[AttachmentRecord]:
    rows = s.execute(
        select(Attachment, Evaluator.code, Criterion.code)
        .outerjoin(Evaluator, Evaluator.id == Attachment.evaluator_id)
        .outerjoin(Criterion, Criterion.id == Attachment.criterion_id)
        .where(Attachment.application_id == app.pk, Attachment.deleted.is_(False),
               Attachment.monitoring_visit_id.is_(None))  # (a monitoring visit's photos: the follow-up dossier)
        .order_by(Attachment.created_at, Attachment.id)
    )
    return [
        AttachmentRecord(a.filename or "", a.media_type or "", int(a.size or 0), a.data, a.path, a.caption or "",
                         ev, crit, a.created_at)
        for a, ev, crit in rows
    ]


def load_decision(s: Session, app: AppRecord) -> DecisionRecord | None:
    d = s.execute(select(Decision).where(Decision.application_id == app.pk)).scalar_one_or_none()
    if d is None:
        return None
    return DecisionRecord(d.computed, d.computed_reason or "", d.computed_rank, d.computed_score, d.computed_method,
                          d.override, d.override_reason or "", d.overridden_by or "", d.overridden_at)


def evaluator_names(s: Session) -> dict[str, tuple[str, str]]:
    """Evaluator code → (name, organisation)."""
    return {code: (name or "", org or "") for code, name, org in
            s.execute(select(Evaluator.code, Evaluator.name, Evaluator.organisation))}


# --- minimisation: what a document carries without --include-personal ----------------------------------
def without_contact(app: AppRecord, withheld: str) -> AppRecord:
    """``app`` pseudonymised: its ID and group name stay; the representative, phone, e-mail,
    address and the unknown intake columns (which may hold more) are withheld."""
    return dataclasses.replace(app, representative=withheld if app.representative else "",
                               phone=withheld if app.phone else "", email=withheld if app.email else "",
                               address=withheld if app.address else "", extra={})


def without_attendees(ev: EvaluationRecord, withheld: str) -> EvaluationRecord:
    """``ev`` with its visit's attendees (residents' names) withheld."""
    if ev.visit is None or not ev.visit.attendees:
        return ev
    return dataclasses.replace(ev, visit=dataclasses.replace(ev.visit, attendees=withheld))

