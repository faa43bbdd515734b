"""Applications: create/update by external ID, list, filter and sort (in SQL, for big tables)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from ..db.models import Application, Assignment, Evaluation, Evaluator, Program, Track
from ..domain import ApplicationInfo, ApplicationRow, FINALISED

#: the fields an intake sheet (or a kit) may set, in their canonical order
APPLICATION_FIELDS = (
    "track", "category", "title", "group_name", "representative", "phone", "email", "district",
    "neighbourhood", "address", "members", "requested_amount", "self_contribution", "summary",
    "submitted_on",
)
PERSONAL_FIELDS = ("representative", "phone", "email", "address")

#: sortable columns of the applications table -> SQL expression
SORT_KEYS = {
    "id": Application.external_id,
    "track": Track.position,
    "category": Application.category,
    "title": Application.title,
    "group_name": Application.group_name,
    "district": Application.district,
    "requested_amount": Application.requested_amount,
    "submitted_on": Application.submitted_on,
    "status": Application.status,
}


def put_application(
    s: Session, program: Program, tracks: dict[str, Track], values: dict[str, Any], *, uuid: str | None = None
) -> tuple[Application, dict[str, tuple[Any, Any]]]:
    """Create the application ``values['id']`` or update it; returns it and {field: (old, new)}."""
    ext = values["id"]
    app = s.execute(
        select(Application).where(Application.program_id == program.id, Application.external_id == ext)
    ).scalar_one_or_none()
    changes: dict[str, tuple[Any, Any]] = {}
    if app is None:
        app = Application(program_id=program.id, external_id=ext)
        if uuid:
            app.uuid = uuid
        s.add(app)
        created = True
    else:
        created = False
    for f in APPLICATION_FIELDS:
        if f not in values:
            continue
        new = values[f]
        if f == "track":
            old = app.track.code if app.track_id else None
            if old != new:
                app.track = tracks[new]
                app.track_id = tracks[new].id
                changes[f] = (old, new)
            continue
        old = getattr(app, f)
        if old != new:
            setattr(app, f, new)
            changes[f] = (old, new)
    if "extra" in values and values["extra"] != (app.extra or {}):
        changes["extra"] = (app.extra, values["extra"])
        app.extra = dict(values["extra"])
    if created:
        changes = {"*": (None, "created")}
    s.flush()
    return app, changes


def to_info(a: Application) -> ApplicationInfo:
    return ApplicationInfo(
        id=a.external_id, uuid=a.uuid, track=a.track.code, category=a.category, title=a.title,
        group_name=a.group_name, representative=a.representative, phone=a.phone, email=a.email,
        district=a.district, neighbourhood=a.neighbourhood, address=a.address, members=a.members,
        requested_amount=a.requested_amount, self_contribution=a.self_contribution, summary=a.summary,
        submitted_on=a.submitted_on, status=a.status, extra=dict(a.extra or {}),
    )


def _filtered(
    program: Program,
    *,
    track: str | None = None,
    category: str | None = None,
    district: str | None = None,
    status: str | None = None,
    evaluator: str | None = None,
    search: str | None = None,
) -> Select:
    q = select(Application.id).join(Track, Track.id == Application.track_id).where(Application.program_id == program.id)
    if track:
        q = q.where(Track.code == track)
    if category:
        q = q.where(Application.category == category)
    if district:
        q = q.where(Application.district == district)
    if status:
        q = q.where(Application.status == status)
    if evaluator:
        ev = aliased(Evaluator)
        q = q.where(
            Application.id.in_(
                select(Assignment.application_id)
                .join(ev, ev.id == Assignment.evaluator_id)
                .where(ev.code == evaluator, Assignment.conflict_type.is_(None))
            )
        )
    if search:
        like = f"%{search.strip()}%"
        q = q.where(or_(Application.external_id.ilike(like), Application.title.ilike(like),
                        Application.group_name.ilike(like), Application.district.ilike(like)))
    return q


def application_ids(
    s: Session, program: Program, *, sort: str = "id", descending: bool = False, **filters: Any
) -> list[str]:
    """External IDs matching the filters, in the requested order (sorted by the database)."""
    key = SORT_KEYS.get(sort, Application.external_id)
    q = _filtered(program, **filters).with_only_columns(Application.external_id)
    q = q.order_by(key.desc() if descending else key.asc(), Application.external_id.asc())
    return list(s.execute(q).scalars())


def application_rows(s: Session, program: Program, ids: list[str]) -> list[ApplicationRow]:
    """Rows for the given external IDs, in the same order (for lazily filled table pages).

    The evaluator counts are taken for these applications only (through the assignment's
    application index), never grouped over the whole assignment table: a page of 200 rows costs
    the same on 1,000 applications as on 100,000."""
    if not ids:
        return []
    q = (
        select(Application.id, Application.external_id, Track.code, Application.category, Application.title,
               Application.group_name, Application.district, Application.requested_amount,
               Application.submitted_on, Application.status)
        .join(Track, Track.id == Application.track_id)
        .where(and_(Application.program_id == program.id, Application.external_id.in_(ids)))
    )
    found = s.execute(q).all()
    if not found:
        return []
    pks = [r[0] for r in found]
    assigned = dict(s.execute(
        select(Assignment.application_id, func.count())
        .where(Assignment.application_id.in_(pks), Assignment.conflict_type.is_(None))
        .group_by(Assignment.application_id)
    ).all())
    finalised = dict(s.execute(
        select(Assignment.application_id, func.count())
        .join(Evaluation, Evaluation.assignment_id == Assignment.id)
        .where(Assignment.application_id.in_(pks), Evaluation.state == FINALISED)
        .group_by(Assignment.application_id)
    ).all())
    by_id = {}
    for pk, ext, track_code, category, title, group_name, district, amount, submitted_on, status in found:
        by_id[ext] = ApplicationRow(
            id=ext, track=track_code, category=category, title=title, group_name=group_name,
            district=district, requested_amount=amount, submitted_on=submitted_on,
            status=status, evaluators=assigned.get(pk, 0), finalised=finalised.get(pk, 0),
        )
    return [by_id[i] for i in ids if i in by_id]
