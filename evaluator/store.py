"""The core façade: ``Store(url)`` is the one door into the data.

It owns the engine and the session factory; each public method is one unit of work (one session,
one transaction), takes plain values and returns plain values or frozen dataclasses.  The CLI and
the GUI use nothing else.  Feature areas add their methods as mixins that live beside their code
(``evaluator/ranking``, ``evaluator/excel``, ``evaluator/reports``, ``evaluator/packages``).
"""

from __future__ import annotations

import logging
import uuid as uuidlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from . import audit
from .db.errors import translate_errors as _translate_errors
from .db.engine import BEGIN_OPTION, make_engine, parse_url, sqlite_path
from .db.migrate import SchemaState, current_revision, ensure_schema
from .db.models import (
    Application, Assignment, AuditEvent, Evaluation, Evaluator, GateResult, Program, Score, Track,
)
from .domain import (
    FIELD, FINALISED, OFFICE, ApplicationInfo, ApplicationRow, AssignmentInfo, DatabaseInfo, EvaluationInfo,
    EvaluatorInfo, ProgramInfo, SavedScore,
)
from .errors import NotFound, ValidationError
from .paths import default_database_url
from .rubric import Rubric as RubricDef
from .services import applications as apps_svc
from .services import autosave, people, programs, scoring
from .services.common import (
    application_by_id, current_program, evaluator_by_code, get_setting, rubric_def, set_setting, track_by_code,
)
from .excel.ops import ExcelOps
from .packages.ops import PackageOps
from .ranking.ops import RankingOps
from .reports.ops import ReportOps

log = logging.getLogger(__name__)


class CoreOps:
    """Programs, applications, evaluators, assignments and evaluations."""

    url: str
    engine: Engine

    # --- units of work ----------------------------------------------------------------------------
    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work (for core modules; never for the GUI)."""
        with _translate_errors(self._where, self._db_path):
            with self._sessions() as s:
                try:
                    yield s
                finally:
                    s.rollback()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A writing unit of work: BEGIN IMMEDIATE on SQLite, commit at the end, rollback on error."""
        with _translate_errors(self._where, self._db_path):
            with self._writer_sessions() as s:
                with s.begin():
                    yield s

    # --- identity ---------------------------------------------------------------------------------
    @property
    def role(self) -> str:
        with self.read() as s:
            return get_setting(s, "role", OFFICE)

    @property
    def device(self) -> str:
        return self._device

    @property
    def actor(self) -> str:
        return self._actor

    def set_actor(self, actor: str) -> None:
        self._actor = actor

    # --- programs ---------------------------------------------------------------------------------
    def program(self, code: str | None = None) -> ProgramInfo:
        with self.read() as s:
            return programs.program_info(s, current_program(s, code))

    def has_program(self) -> bool:
        with self.read() as s:
            return s.execute(select(Program.id).limit(1)).first() is not None

    def rubric(self, track: str, program: str | None = None) -> RubricDef:
        with self.read() as s:
            return rubric_def(track_by_code(s, current_program(s, program), track))

    def create_program(self, *, code: str, name_ko: str, name_en: str = "", tracks: list[programs.TrackSpec],
                       opened_on: date | None = None, closed_on: date | None = None,
                       settings: dict | None = None) -> ProgramInfo:
        with self.write() as s:
            p = programs.create_program(s, code=code, name_ko=name_ko, name_en=name_en, tracks=tracks,
                                        opened_on=opened_on, closed_on=closed_on, settings=settings)
            audit.append(s, actor=self.actor, device=self.device, action="create_program", entity="program",
                         entity_uuid=p.uuid, new={"code": code})
            return programs.program_info(s, p)

    def update_program_settings(self, changes: dict[str, Any], program: str | None = None) -> dict:
        with self.write() as s:
            p = current_program(s, program)
            old = dict(p.settings or {})
            p.settings = {**old, **changes}
            audit.append(s, actor=self.actor, device=self.device, action="program_settings", entity="program",
                         entity_uuid=p.uuid, old=old, new=p.settings)
            return dict(p.settings)

    # --- applications -----------------------------------------------------------------------------
    def applications(self, **filters: Any) -> list[ApplicationRow]:
        """Every application matching the filters (track, category, district, status, evaluator, search)."""
        with self.read() as s:
            p = current_program(s)
            ids = apps_svc.application_ids(s, p, **filters)
            return apps_svc.application_rows(s, p, ids)

    def application_ids(self, *, sort: str = "id", descending: bool = False, **filters: Any) -> list[str]:
        with self.read() as s:
            return apps_svc.application_ids(s, current_program(s), sort=sort, descending=descending, **filters)

    def application_rows(self, ids: list[str]) -> list[ApplicationRow]:
        with self.read() as s:
            return apps_svc.application_rows(s, current_program(s), ids)

    def application(self, application_id: str) -> ApplicationInfo:
        with self.read() as s:
            return apps_svc.to_info(application_by_id(s, application_id, current_program(s)))

    def put_application(self, values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
        with self.write() as s:
            p = current_program(s)
            tracks = {t.code: t for t in p.tracks}
            if values.get("track") not in tracks:
                raise ValidationError(f"Application {values.get('id')}: unknown track {values.get('track')!r}.")
            app, changes = apps_svc.put_application(s, p, tracks, values)
            if changes:
                audit.append(s, actor=self.actor, device=self.device, action="application", entity="application",
                             entity_uuid=app.uuid, new={"id": app.external_id, "changed": sorted(changes)})
            return changes

    # --- evaluators and assignments ---------------------------------------------------------------
    def evaluators(self) -> list[EvaluatorInfo]:
        with self.read() as s:
            return people.evaluator_infos(s)

    def put_evaluator(self, code: str, name: str, organisation: str = "", role: str = "", email: str = "") -> None:
        with self.write() as s:
            ev = people.put_evaluator(s, code=code, name=name, organisation=organisation, role=role, email=email)
            audit.append(s, actor=self.actor, device=self.device, action="evaluator", entity="evaluator",
                         entity_uuid=ev.uuid, new={"code": code, "name": name})

    def assign(self, application_id: str, evaluator: str, planned_visit_on: date | None = None) -> None:
        with self.write() as s:
            people.assign(s, application_by_id(s, application_id, current_program(s)), evaluator_by_code(s, evaluator),
                          actor=self.actor, planned_visit_on=planned_visit_on)

    def declare_conflict(self, application_id: str, evaluator: str, conflict_type: str, note: str = "") -> None:
        with self.write() as s:
            people.declare_conflict(s, application_by_id(s, application_id, current_program(s)),
                                    evaluator_by_code(s, evaluator), conflict_type=conflict_type, note=note,
                                    actor=self.actor)

    def assignments(self, application_id: str | None = None, evaluator: str | None = None) -> list[AssignmentInfo]:
        with self.read() as s:
            app = application_by_id(s, application_id, current_program(s)) if application_id else None
            ev = evaluator_by_code(s, evaluator) if evaluator else None
            return people.assignment_infos(s, application=app, evaluator=ev)

    # --- evaluations ------------------------------------------------------------------------------
    def _pair(self, s: Session, application_id: str, evaluator: str):
        return application_by_id(s, application_id, current_program(s)), evaluator_by_code(s, evaluator)

    def save_score(self, application_id: str, evaluator: str, criterion: str, *, level: str | None = None,
                   points: float | None = None, comment: str | None = None,
                   expected_version: int | None = None) -> SavedScore:
        """Autosave one criterion: committed (and fsynced) before this returns.

        The lean path of :mod:`evaluator.services.autosave`: ids are resolved once per
        (application, evaluator) and cached; every save re-checks conflict and lock state."""
        key = (application_id, evaluator)
        target = self._score_targets.get(key)
        if target is None:
            with _translate_errors(self._where, self._db_path):
                target = self._autosaver.resolve(application_id, evaluator)
            if target is None:
                with self.read() as s:
                    target = autosave.resolve(s, application_id, evaluator)
            self._score_targets[key] = target
        with _translate_errors(self._where, self._db_path):
            return self._autosaver.save(target, criterion, level=level, points=points, comment=comment,
                                        expected_version=expected_version, actor=self.actor, device=self.device)

    def evaluation(self, application_id: str, evaluator: str) -> EvaluationInfo | None:
        with self.read() as s:
            return scoring.evaluation_info(s, *self._pair(s, application_id, evaluator))

    def set_evaluation_comment(self, application_id: str, evaluator: str, comment: str) -> int:
        with self.write() as s:
            return scoring.set_comment(s, *self._pair(s, application_id, evaluator), comment, actor=self.actor,
                                       device=self.device)

    def abstain(self, application_id: str, evaluator: str, reason: str, *, withdraw: bool = False) -> int:
        with self.write() as s:
            return scoring.abstain(s, *self._pair(s, application_id, evaluator), reason, actor=self.actor,
                                   device=self.device, withdraw=withdraw)

    def finalise(self, application_id: str, evaluator: str) -> EvaluationInfo:
        with self.write() as s:
            app, ev = self._pair(s, application_id, evaluator)
            scoring.finalise(s, app, ev, actor=self.actor, device=self.device)
            s.flush()
            info = scoring.evaluation_info(s, app, ev)
            assert info is not None
            return info

    def reopen(self, application_id: str, evaluator: str, reason: str) -> None:
        with self.write() as s:
            scoring.reopen(s, *self._pair(s, application_id, evaluator), reason, actor=self.actor, device=self.device)

    def save_site_visit(self, application_id: str, evaluator: str, *, visited_at: datetime | None = None,
                        attendees: str | None = None, checklist: dict[str, bool] | None = None,
                        notes: str | None = None) -> int:
        with self.write() as s:
            v = scoring.save_site_visit(s, *self._pair(s, application_id, evaluator), actor=self.actor,
                                        device=self.device, visited_at=visited_at, attendees=attendees,
                                        checklist=checklist, notes=notes)
            return v.version

    def record_gate(self, application_id: str, gate: str, passed: bool, note: str = "") -> None:
        """Record the outcome of a manual eligibility gate for an application."""
        with self.write() as s:
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
            row.passed, row.note, row.decided_by = passed, note, self.actor
            audit.append(s, actor=self.actor, device=self.device, action="gate", entity="application",
                         entity_uuid=app.uuid, old=old, new={"gate": gate, "passed": passed, "note": note})

    # --- information ------------------------------------------------------------------------------
    def info(self) -> DatabaseInfo:
        with self.read() as s:
            per_track: dict[str, int] = {}
            for code, n in s.execute(
                select(Track.code, func.count(Application.id))
                .join(Application, Application.track_id == Track.id, isouter=True)
                .group_by(Track.code)
                .order_by(Track.code)
            ):
                per_track[code] = per_track.get(code, 0) + n

            def count(q) -> int:
                return int(s.execute(q).scalar() or 0)

            return DatabaseInfo(
                url=self.display_url,
                role=get_setting(s, "role", OFFICE),
                schema_revision=current_revision(s.connection()) or "",
                programs=count(select(func.count(Program.id))),
                applications=count(select(func.count(Application.id))),
                applications_per_track=per_track,
                evaluators=count(select(func.count(Evaluator.id))),
                assignments=count(select(func.count(Assignment.id)).where(Assignment.conflict_type.is_(None))),
                conflicts=count(select(func.count(Assignment.id)).where(Assignment.conflict_type.is_not(None))),
                evaluations=count(select(func.count(Evaluation.id))),
                finalised_evaluations=count(select(func.count(Evaluation.id)).where(Evaluation.state == FINALISED)),
                scores=count(select(func.count(Score.id)).where(Score.points.is_not(None))),
                audit_events=count(select(func.count(AuditEvent.id))),
            )

    def verify_audit(self) -> audit.AuditVerification:
        """The audit trail's full check: its hash chain, its signed anchors, and every score,
        evaluation state, decision and override replayed from it (:mod:`evaluator.audit.check`)."""
        from .audit import check

        with self.read() as s:
            return check.verify(s)

    def site_visit(self, application_id: str, evaluator: str) -> dict[str, Any] | None:
        """The visit log of one assignment as plain values; None before anything was recorded."""
        from .db.models import SiteVisit

        with self.read() as s:
            app, ev = self._pair(s, application_id, evaluator)
            v = s.execute(
                select(SiteVisit).where(SiteVisit.application_id == app.id, SiteVisit.evaluator_id == ev.id)
            ).scalar_one_or_none()
            if v is None:
                return None
            return {"visited_at": v.visited_at, "attendees": v.attendees or "", "checklist": dict(v.checklist or {}),
                    "notes": v.notes or "", "version": v.version}

    def backup_to(self, path: str | Path) -> Path:
        """Copy this SQLite database to the new file ``path`` (safe while in use; an encrypted
        database's copy keeps its key): :func:`evaluator.db.backup.backup`."""
        from .db.backup import backup

        with _translate_errors(self._where, self._db_path):
            return backup(self.engine, path)


class Store(CoreOps, RankingOps, ExcelOps, ReportOps, PackageOps):
    """Open (creating or upgrading as needed) the database at ``url``.

    ``Store()`` opens the default database in the user's data directory.  Use it as a context
    manager or call :meth:`close`.
    """

    def __init__(self, url: str | None = None, *, upgrade: bool = True, role: str | None = None,
                 actor: str | None = None, passphrase: str | None = None) -> None:
        self._url = parse_url(url or default_database_url())
        path = sqlite_path(self._url)
        if path is not None and url is None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self.url = self._url.render_as_string(hide_password=False)
        self.display_url = self._url.render_as_string(hide_password=True)
        self._db_path = path  # names a read-only folder or file in error messages
        self._where = f"database {path}" if path else (
            f"database {self._url.database} on {self._url.host or 'localhost'}:{self._url.port or 5432}")
        # with a passphrase a SQLite file is opened (or created) encrypted at rest (evaluator.db.encryption)
        self.engine = make_engine(self._url, passphrase=passphrase)
        with _translate_errors(self._where, self._db_path):
            self.schema: SchemaState = ensure_schema(self.engine, upgrade=upgrade)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._writer_engine = self.engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
        self._writer_sessions = sessionmaker(self._writer_engine, expire_on_commit=False)
        self._score_targets: dict[tuple[str, str], autosave.ScoreTarget] = {}
        self._autosaver = autosave.Autosaver(self._writer_engine)
        with self.read() as s:
            self._device, current_role = get_setting(s, "device_id"), get_setting(s, "role")
        if self._device is None or current_role is None:  # first open: write only when needed
            with self.write() as s:
                if get_setting(s, "device_id") is None:
                    set_setting(s, "device_id", str(uuidlib.uuid4()))
                if get_setting(s, "role") is None:
                    set_setting(s, "role", role or OFFICE)
                self._device, current_role = get_setting(s, "device_id"), get_setting(s, "role")
        self._actor = actor or ("office" if current_role == OFFICE else "field")

    @property
    def sqlite_path(self):
        return sqlite_path(self._url)

    @property
    def is_field(self) -> bool:
        return self.role == FIELD

    def close(self) -> None:
        self._autosaver.close()
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
