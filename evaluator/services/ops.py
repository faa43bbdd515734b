"""The façade's core areas: programs, applications, people (evaluators and assignments) and scoring.

Each area is a small class given the unit of work (:class:`evaluator.uow.UnitOfWork`); each public
method is one unit of work that takes plain values and returns plain values or frozen
dataclasses.  Writes return an :class:`~evaluator.changes.Outcome`: the result and what changed.
The work itself is done by the session-level functions of this package.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..changes import EVALUATIONS, Changes, Outcome
from ..db.models import Application, Attachment, Criterion, Evaluator, GateResult, Program, SiteVisit
from ..domain import (
    ApplicationInfo, ApplicationRow, AssignmentInfo, EvaluationInfo, EvaluatorInfo, ProgramInfo, SavedScore,
)
from ..errors import NotFound, ValidationError
from ..rubric import Rubric as RubricDef
from ..uow import Area, UnitOfWork
from . import applications as apps_svc
from . import attachments as attachments_svc
from . import autosave, people, programs, scoring
from .common import application_by_id, current_program, evaluator_by_code, rubric_def, track_by_code

#: what every autosave changes (its lean path writes the evaluation and score rows, nothing else)
_SAVED_SCORE = Changes.of(EVALUATIONS)


def _pair(s: Session, application_id: str, evaluator: str) -> tuple[Application, Evaluator]:
    return application_by_id(s, application_id, current_program(s)), evaluator_by_code(s, evaluator)


class Programs(Area):
    """The database's programs (calls), their tracks, rubrics and settings."""

    def get(self, code: str | None = None) -> ProgramInfo:
        """The program ``code``, or the current one."""
        with self._uow.read() as s:
            return programs.program_info(s, current_program(s, code))

    def exists(self) -> bool:
        """Whether this database holds any program yet."""
        with self._uow.read() as s:
            return s.execute(select(Program.id).limit(1)).first() is not None

    def rubric(self, track: str, program: str | None = None) -> RubricDef:
        with self._uow.read() as s:
            return rubric_def(track_by_code(s, current_program(s, program), track))

    def create(self, *, code: str, name_ko: str, name_en: str = "", tracks: list[programs.TrackSpec],
               opened_on: date | None = None, closed_on: date | None = None,
               settings: dict | None = None) -> Outcome[ProgramInfo]:
        with self._uow.write() as s:
            p = programs.create_program(s, code=code, name_ko=name_ko, name_en=name_en, tracks=tracks,
                                        opened_on=opened_on, closed_on=closed_on, settings=settings)
            self._audit(s, action="create_program", entity="program", entity_uuid=p.uuid, new={"code": code})
            info = programs.program_info(s, p)
        return self._uow.outcome(s, info)

    def update_settings(self, changes: dict[str, Any], program: str | None = None) -> Outcome[dict]:
        with self._uow.write() as s:
            settings = programs.update_settings(s, current_program(s, program), changes, actor=self._uow.actor,
                                                device=self._uow.device)
        return self._uow.outcome(s, settings)


class Applications(Area):
    """The current program's applications and their manual eligibility gates."""

    def list(self, **filters: Any) -> list[ApplicationRow]:
        """Every application matching the filters (track, category, district, status, evaluator, search)."""
        with self._uow.read() as s:
            p = current_program(s)
            ids = apps_svc.application_ids(s, p, **filters)
            return apps_svc.application_rows(s, p, ids)

    def ids(self, *, sort: str = "id", descending: bool = False, **filters: Any) -> list[str]:
        """Application IDs matching the filters, sorted in the database (the GUI's table fetches rows lazily)."""
        with self._uow.read() as s:
            return apps_svc.application_ids(s, current_program(s), sort=sort, descending=descending, **filters)

    def rows(self, ids: list[str]) -> list[ApplicationRow]:
        with self._uow.read() as s:
            return apps_svc.application_rows(s, current_program(s), ids)

    def get(self, application_id: str) -> ApplicationInfo:
        with self._uow.read() as s:
            return apps_svc.to_info(application_by_id(s, application_id, current_program(s)))

    def put(self, values: dict[str, Any]) -> Outcome[dict[str, tuple[Any, Any]]]:
        """Add or update one application from plain values; the outcome's value says which fields changed."""
        with self._uow.write() as s:
            p = current_program(s)
            tracks = {t.code: t for t in p.tracks}
            if values.get("track") not in tracks:
                raise ValidationError(f"Application {values.get('id')}: unknown track {values.get('track')!r}.")
            app, changed = apps_svc.put_application(s, p, tracks, values)
            if changed:
                self._audit(s, action="application", entity="application", entity_uuid=app.uuid,
                            new={"id": app.external_id, "changed": sorted(changed)})
        return self._uow.outcome(s, changed)

    def record_gate(self, application_id: str, gate: str, passed: bool, note: str = "") -> Outcome[None]:
        """Record the outcome of a manual eligibility gate for an application."""
        with self._uow.write() as s:
            app = application_by_id(s, application_id, current_program(s))
            g = next((g for g in app.track.rubric.gates if g.code == gate), None)
            if g is None:
                raise NotFound(f"Rubric '{app.track.rubric.code}' has no eligibility gate '{gate}'.")
            row = s.execute(
                select(GateResult).where(GateResult.application_id == app.id, GateResult.gate_id == g.id)
            ).scalar_one_or_none()
            old = None if row is None else {"passed": row.passed, "note": row.note}
            if row is None:
                row = GateResult(application_id=app.id, gate_id=g.id, passed=passed)
                s.add(row)
            row.passed, row.note, row.decided_by = passed, note, self._uow.actor
            self._audit(s, action="gate", entity="application", entity_uuid=app.uuid, old=old,
                        new={"gate": gate, "passed": passed, "note": note}, subject=app.uuid)
        return self._uow.outcome(s, None)


class People(Area):
    """Evaluators, their assignments and declared conflicts of interest."""

    def evaluators(self) -> list[EvaluatorInfo]:
        with self._uow.read() as s:
            return people.evaluator_infos(s)

    def put_evaluator(self, code: str, name: str, organisation: str = "", role: str = "",
                      email: str = "") -> Outcome[None]:
        with self._uow.write() as s:
            ev = people.put_evaluator(s, code=code, name=name, organisation=organisation, role=role, email=email)
            self._audit(s, action="evaluator", entity="evaluator", entity_uuid=ev.uuid,
                        new={"code": code, "name": name})
        return self._uow.outcome(s, None)

    def assign(self, application_id: str, evaluator: str, planned_visit_on: date | None = None) -> Outcome[None]:
        with self._uow.write() as s:
            people.assign(s, *_pair(s, application_id, evaluator), actor=self._uow.actor,
                          planned_visit_on=planned_visit_on)
        return self._uow.outcome(s, None)

    def declare_conflict(self, application_id: str, evaluator: str, conflict_type: str,
                         note: str = "") -> Outcome[None]:
        with self._uow.write() as s:
            people.declare_conflict(s, *_pair(s, application_id, evaluator), conflict_type=conflict_type, note=note,
                                    actor=self._uow.actor)
        return self._uow.outcome(s, None)

    def assignments(self, application_id: str | None = None, evaluator: str | None = None) -> list[AssignmentInfo]:
        with self._uow.read() as s:
            app = application_by_id(s, application_id, current_program(s)) if application_id else None
            ev = evaluator_by_code(s, evaluator) if evaluator else None
            return people.assignment_infos(s, application=app, evaluator=ev)


class Scoring(Area):
    """Evaluations: autosaved scores, comments, abstentions, finalising, the visit log and photos."""

    def __init__(self, uow: UnitOfWork) -> None:
        super().__init__(uow)
        self._targets: dict[tuple[str, str], autosave.ScoreTarget] = {}
        self._autosaver = autosave.Autosaver(uow.writer_engine)
        uow.on_close(self._autosaver.close)

    def save_score(self, application_id: str, evaluator: str, criterion: str, *, level: str | None = None,
                   points: float | None = None, comment: str | None = None,
                   expected_version: int | None = None) -> Outcome[SavedScore]:
        """Autosave one criterion: committed (and fsynced) before this returns.

        The lean path of :mod:`evaluator.services.autosave`: ids are resolved once per
        (application, evaluator) and cached; every save re-checks conflict and lock state."""
        key = (application_id, evaluator)
        target = self._targets.get(key)
        if target is None:
            with self._uow.translate():
                target = self._autosaver.resolve(application_id, evaluator)
            if target is None:
                with self._uow.read() as s:
                    target = autosave.resolve(s, application_id, evaluator)
            self._targets[key] = target
        with self._uow.translate():
            saved = self._autosaver.save(target, criterion, level=level, points=points, comment=comment,
                                         expected_version=expected_version, actor=self._uow.actor,
                                         device=self._uow.device)
        return Outcome(saved, _SAVED_SCORE)

    def evaluation(self, application_id: str, evaluator: str) -> EvaluationInfo | None:
        with self._uow.read() as s:
            return scoring.evaluation_info(s, *_pair(s, application_id, evaluator))

    def set_comment(self, application_id: str, evaluator: str, comment: str) -> Outcome[int]:
        """The evaluation's overall comment; the outcome's value is the evaluation's new version."""
        with self._uow.write() as s:
            version = scoring.set_comment(s, *_pair(s, application_id, evaluator), comment, actor=self._uow.actor,
                                          device=self._uow.device)
        return self._uow.outcome(s, version)

    def abstain(self, application_id: str, evaluator: str, reason: str, *, withdraw: bool = False) -> Outcome[int]:
        with self._uow.write() as s:
            version = scoring.abstain(s, *_pair(s, application_id, evaluator), reason, actor=self._uow.actor,
                                      device=self._uow.device, withdraw=withdraw)
        return self._uow.outcome(s, version)

    def finalise(self, application_id: str, evaluator: str) -> Outcome[EvaluationInfo]:
        with self._uow.write() as s:
            app, ev = _pair(s, application_id, evaluator)
            scoring.finalise(s, app, ev, actor=self._uow.actor, device=self._uow.device)
            s.flush()
            info = scoring.evaluation_info(s, app, ev)
            assert info is not None
        return self._uow.outcome(s, info)

    def reopen(self, application_id: str, evaluator: str, reason: str) -> Outcome[None]:
        with self._uow.write() as s:
            scoring.reopen(s, *_pair(s, application_id, evaluator), reason, actor=self._uow.actor,
                           device=self._uow.device)
        return self._uow.outcome(s, None)

    # --- the visit log ------------------------------------------------------------------------------
    def save_visit(self, application_id: str, evaluator: str, *, visited_at: datetime | None = None,
                   attendees: str | None = None, checklist: dict[str, bool] | None = None,
                   notes: str | None = None) -> Outcome[int]:
        """Save the visit log (only the fields given); the outcome's value is its new version."""
        with self._uow.write() as s:
            v = scoring.save_site_visit(s, *_pair(s, application_id, evaluator), actor=self._uow.actor,
                                        device=self._uow.device, visited_at=visited_at, attendees=attendees,
                                        checklist=checklist, notes=notes)
            version = v.version
        return self._uow.outcome(s, version)

    def visit(self, application_id: str, evaluator: str) -> dict[str, Any] | None:
        """The visit log of one assignment as plain values; None before anything was recorded."""
        with self._uow.read() as s:
            app, ev = _pair(s, application_id, evaluator)
            v = s.execute(
                select(SiteVisit).where(SiteVisit.application_id == app.id, SiteVisit.evaluator_id == ev.id)
            ).scalar_one_or_none()
            if v is None:
                return None
            return {"visited_at": v.visited_at, "attendees": v.attendees or "", "checklist": dict(v.checklist or {}),
                    "notes": v.notes or "", "version": v.version}

    # --- photos and documents -----------------------------------------------------------------------
    def add_attachment(self, application_id: str, evaluator: str, source: Any, *, filename: str | None = None,
                       media_type: str | None = None, criterion: str | None = None,
                       caption: str = "") -> Outcome[attachments_svc.AttachmentInfo]:
        """Attach a photo (or document) to an evaluator's evaluation of an application; it travels in
        the result package."""
        data, name, kind = attachments_svc.read_source(source, filename, media_type)
        with self._uow.write() as s:
            app, ev = _pair(s, application_id, evaluator)
            a = attachments_svc.add(s, app, ev, data, name=name, media_type=kind, criterion=criterion,
                                    caption=caption)
            self._audit(s, action="attachment", entity="attachment", entity_uuid=a.uuid,
                        new={"application": app.external_id, "filename": a.filename, "sha256": a.sha256,
                             "criterion": criterion}, subject=app.uuid)
            info = attachments_svc.to_info(a, app.external_id, ev.code, criterion)
        return self._uow.outcome(s, info)

    def attachments(self, application_id: str | None = None,
                    evaluator: str | None = None) -> list[attachments_svc.AttachmentInfo]:
        with self._uow.read() as s:
            q = (select(Attachment, Application.external_id, Evaluator.code, Criterion.code)
                 .join(Application, Application.id == Attachment.application_id)
                 .outerjoin(Evaluator, Evaluator.id == Attachment.evaluator_id)
                 .outerjoin(Criterion, Criterion.id == Attachment.criterion_id)
                 .where(Attachment.deleted.is_(False)).order_by(Attachment.id))
            if application_id:
                q = q.where(Application.external_id == application_id)
            if evaluator:
                q = q.where(Evaluator.code == evaluator)
            return [attachments_svc.to_info(a, ext, code, crit) for a, ext, code, crit in s.execute(q).all()]

    def attachment_data(self, uuid: str) -> bytes:
        with self._uow.read() as s:
            return attachments_svc.data(attachments_svc.by_uuid(s, uuid))

    def remove_attachment(self, uuid: str) -> Outcome[None]:
        """Delete a photo: its bytes are gone (zeroed on SQLite: ``secure_delete``); its record
        stays marked deleted, so the removal travels in the next result package."""
        later = None
        with self._uow.write() as s:
            a = attachments_svc.by_uuid(s, uuid)
            if not a.deleted or a.data is not None or a.path:
                later = a.path
                a.deleted, a.data, a.path = True, None, None
                self._audit(s, action="remove_attachment", entity="attachment", entity_uuid=a.uuid,
                            old={"deleted": False}, new={"deleted": True})
        if later:
            from ..privacy.shred import destroy_file

            destroy_file(later if Path(later).is_absolute() or self._uow.sqlite_path is None
                         else Path(self._uow.sqlite_path).parent / later)
        return self._uow.outcome(s, None)


__all__ = ["Programs", "Applications", "People", "Scoring"]
