"""The façade's core areas: programs, applications, people (evaluators and assignments) and scoring.

Each area is a small class given the unit of work (:class:`evaluator.uow.UnitOfWork`); each public
method is one unit of work that takes plain values and returns plain values or frozen
dataclasses.  Writes return an :class:`~evaluator.changes.Outcome`: the result and what changed.
The work itself is done by the session-level functions of this package.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..changes import ASSIGNMENTS, EVALUATIONS, Changes, Outcome
from ..db.models import Application, Attachment, Criterion, Evaluator, GateResult, Program, SiteVisit, utcnow
from ..domain import (
    WITHDRAWN, ApplicationInfo, ApplicationRow, AssignmentInfo, AutoAssignment, DismissedConflict, EvaluationInfo,
    EvaluatorInfo, GateStatus, LikelyConflict, ProgramInfo, ProgramUpdate, SavedScore,
)
from ..errors import NotFound, Problem, ValidationError
from ..programfile import ProgramDef, load_program_file, parse_program
from ..rubric import Rubric as RubricDef
from ..uow import Area, UnitOfWork
from . import applications as apps_svc
from . import attachments as attachments_svc
from . import assign as assign_svc
from . import autosave, people, programs, scoring
from .common import (
    CURRENT_PROGRAM, application_by_id, current_program, evaluator_by_code, get_setting, program_by_code, rubric_def,
    none, round_by_code, set_setting, track_by_code,
)
from ..messages import Message, msg

#: what every autosave changes (its lean path writes the evaluation and score rows, nothing else)
_SAVED_SCORE = Changes.of(EVALUATIONS)
#: what dismissing or restoring a likely conflict changes besides the setting it is kept in: the
#: likely conflicts listed with the assignments (the screens that list them listen for ASSIGNMENTS)
_LIKELY_CONFLICTS = Changes.of(ASSIGNMENTS)


def _pair(s: Session, application_id: str, evaluator: str) -> tuple[Application, Evaluator]:
    return application_by_id(s, application_id, current_program(s)), evaluator_by_code(s, evaluator)


class Programs(Area):
    """The database's programs (calls): made from program files (``docs/programs.md``), their tracks,
    rubrics, rounds, categories, typed intake fields and settings; which one is current."""

    def get(self, code: str | None = None) -> ProgramInfo:
        """The program ``code``, or the current one."""
        with self._uow.read() as s:
            p = current_program(s, code)
            return programs.program_info(s, p, current=p.uuid == _current_uuid(s))

    def list(self) -> list[ProgramInfo]:
        """Every program in the database, oldest first (``current`` marks the current one)."""
        with self._uow.read() as s:
            current = _current_uuid(s)
            return [programs.program_info(s, p, current=p.uuid == current)
                    for p in s.execute(select(Program).order_by(Program.id)).scalars()]

    def exists(self) -> bool:
        """Whether this database holds any program yet."""
        with self._uow.read() as s:
            return s.execute(select(Program.id).limit(1)).first() is not None

    def select(self, code: str | None) -> ProgramInfo | None:
        """Work on program ``code`` in this store (the command line's ``--program``), without changing
        the database's current program; None goes back to the current one."""
        if code is None:
            self._uow.program = None
            return None
        with self._uow.read() as s:
            p = current_program(s, code)
            info = programs.program_info(s, p, current=p.uuid == _current_uuid(s))
        self._uow.program = info.code
        return info

    def rules(self, code: str | None = None) -> list[Message]:
        """The program's eligibility gates, support amount rule and selection models in words, one
        message each (docs/rules.md; empty when its file states none), as ``program check`` prints them."""
        from ..ranking.load import rules_of

        with self._uow.read() as s:
            return rules_of(s, current_program(s, code)).describe()

    def rubric(self, track: str, program: str | None = None) -> RubricDef:
        with self._uow.read() as s:
            return rubric_def(track_by_code(s, current_program(s, program), track))

    @staticmethod
    def check_file(path: str | os.PathLike) -> ProgramDef:
        """Validate a program file and the rubric files it names (nothing is stored); every problem
        is reported at once, each with its file and key."""
        return load_program_file(path)

    @staticmethod
    def check_text(text: str, *, source_name: str = "program.toml",
                   base_dir: str | os.PathLike = ".") -> ProgramDef:
        """Validate a program file's text before it is a file (the desktop app's guided form, as it is
        typed): the same checks as :meth:`check_file`, rubric paths read relative to ``base_dir``,
        every problem named with ``source_name`` and its key.  Nothing is stored or written."""
        return parse_program(text, source_name=source_name, base_dir=base_dir)

    def create(self, *, code: str, name_ko: str, name_en: str = "", tracks: list[programs.TrackSpec],
               opened_on: date | None = None, closed_on: date | None = None,
               settings: dict | None = None) -> Outcome[ProgramInfo]:
        with self._uow.write() as s:
            p = programs.create_program(s, code=code, name_ko=name_ko, name_en=name_en, tracks=tracks,
                                        opened_on=opened_on, closed_on=closed_on, settings=settings)
            self._audit(s, action="create_program", entity="program", entity_uuid=p.uuid, new={"code": code})
            info = programs.program_info(s, p, current=p.uuid == _current_uuid(s))
        return self._uow.outcome(s, info)

    def create_from_file(self, path: str | os.PathLike | ProgramDef) -> Outcome[ProgramInfo]:
        """Make the program a program file describes (office database; its code must be new).  The
        new program becomes the database's current one."""
        self._uow.require_office(msg("services.action_create_a_program", "create a program"))
        pd = path if isinstance(path, ProgramDef) else load_program_file(path)
        with self._uow.write() as s:
            if s.execute(select(Program.id).where(Program.code == pd.code)).first():
                raise ValidationError(
                    msg("services.program_file_duplicate", "Program file {file}, code: this database already has a "
                        "program '{code}'; change it with 'evaluator program update FILE', or give the new program "
                        "another code.", file=pd.source_name, code=pd.code),
                    [Problem(msg("services.program_duplicate", "program '{id}' already exists in this database",
                                 id=pd.code), code="program.duplicate", file=pd.source_name, field="code")])
            p = programs.create_from_def(s, pd)
            set_setting(s, CURRENT_PROGRAM, p.uuid)
            self._audit(s, action="create_program", entity="program", entity_uuid=p.uuid,
                        new={"code": pd.code, "file": pd.source_name, "version": pd.content_hash,
                             "rubrics": {t.code: t.rubric.content_hash for t in pd.tracks},
                             "rounds": [r.code for r in pd.rounds]})
            info = programs.program_info(s, p, current=True)
        return self._uow.outcome(s, info)

    def update_from_file(self, path: str | os.PathLike | ProgramDef, *, dry_run: bool = False) -> Outcome[ProgramUpdate]:
        """Bring the stored program up to a new version of its program file (the file's code names
        it).  Says what changes; refuses — changing nothing, with the reason and the key — a change
        that would invalidate work already done: a rubric after kits went out or scores exist, a
        track or round that holds applications, a signed-off round's window, quota or budget, a
        category or field in use, the intake mode once applications are in.  With ``dry_run``
        nothing is written and the refusals are reported, not raised."""
        self._uow.require_office(msg("services.action_update_a_program", "update a program"))
        pd = path if isinstance(path, ProgramDef) else load_program_file(path)
        unit = self._uow.read if dry_run else self._uow.write
        with unit() as s:
            p = programs_by_code(s, pd.code, pd.source_name)
            plan = programs.plan_update(s, p, pd)
            refused = tuple(f"{key}: {why}" for key, why in plan.refused)
            if plan.refused and not dry_run:
                n = len(plan.refused)
                raise ValidationError(
                    msg("services.program_change_refused", "Program file {file} changes what work already done "
                        "depends on; nothing was changed ({count} refused change):", file=pd.source_name, count=n)
                    if n == 1 else
                    msg("services.program_changes_refused", "Program file {file} changes what work already done "
                        "depends on; nothing was changed ({count} refused changes):", file=pd.source_name, count=n),
                    [Problem(f"{pd.source_name}, {key}", why, code="program.change_refused", file=pd.source_name,
                             field=re.sub(r" \([^)]*\)", "", key)) for key, why in plan.refused])
            applied = False
            if not dry_run and (plan.changes or plan.steps):
                old_version = p.content_hash
                programs.apply_update(s, p, plan)
                self._audit(s, action="update_program", entity="program", entity_uuid=p.uuid,
                            old={"version": old_version}, new={"version": pd.content_hash, "file": pd.source_name,
                                                               "changes": list(plan.changes)})
                applied = True
        result = ProgramUpdate(code=pd.code, dry_run=dry_run, changes=tuple(plan.changes), refused=refused,
                               applied=applied, version=pd.content_hash)
        return self._uow.outcome(s, result) if not dry_run else Outcome(result)

    def use(self, code: str) -> Outcome[ProgramInfo]:
        """Make ``code`` the database's current program (every command's default)."""
        with self._uow.write() as s:
            p = programs_by_code(s, code)
            if p.archived_at is not None:
                raise ValidationError(msg("services.program_archived", "Program '{code}' is archived; an archived "
                                          "program cannot be the current one (name it with --program CODE to read "
                                          "it).", code=code))
            old = get_setting(s, CURRENT_PROGRAM)
            if old != p.uuid:
                set_setting(s, CURRENT_PROGRAM, p.uuid)
                self._audit(s, action="use_program", entity="program", entity_uuid=p.uuid, new={"code": code})
            info = programs.program_info(s, p, current=True)
        return self._uow.outcome(s, info)

    def archive(self, code: str) -> Outcome[ProgramInfo]:
        """Archive program ``code``: it stays, readable with ``--program CODE``, but is no longer anyone's
        current program."""
        self._uow.require_office(msg("services.action_archive_a_program", "archive a program"))
        with self._uow.write() as s:
            p = programs_by_code(s, code)
            if p.archived_at is None:
                p.archived_at = utcnow()
                p.status = "archived"
                if get_setting(s, CURRENT_PROGRAM) == p.uuid:
                    set_setting(s, CURRENT_PROGRAM, None)
                self._audit(s, action="archive_program", entity="program", entity_uuid=p.uuid, new={"code": code})
            s.flush()
            info = programs.program_info(s, p, current=False)
        return self._uow.outcome(s, info)

    def update_settings(self, changes: dict[str, Any], program: str | None = None) -> Outcome[dict]:
        with self._uow.write() as s:
            settings = programs.update_settings(s, current_program(s, program), changes, actor=self._uow.actor,
                                                device=self._uow.device)
        return self._uow.outcome(s, settings)


def _current_uuid(s: Session) -> str | None:
    """The uuid of the program commands work on by default."""
    try:
        return current_program(s).uuid
    except NotFound:
        return None


def programs_by_code(s: Session, code: str, source_name: str | None = None) -> Program:
    p = s.execute(select(Program).where(Program.code == code)).scalar_one_or_none()
    if p is None:
        if source_name:
            raise NotFound(msg("services.program_file_unknown", "Program file {file}, code: there is no program "
                               "'{code}' in this database to update; make it with 'evaluator program create FILE'.",
                               file=source_name, code=code))
        return program_by_code(s, code)  # raises NotFound naming the programs there are
    return p


def _category_code(program: Program, given: str) -> str:
    """A category of ``program`` by its code, Korean or English name or an alias (spacing and case
    insensitive); :class:`NotFound` naming the categories there are."""
    key = "".join(given.split()).casefold()
    cats = programs.categories_of(program)
    for c in cats:
        if key in {"".join(x.split()).casefold() for x in (c.code, c.name_ko, c.name_en, *c.aliases) if x}:
            return c.code
    raise NotFound(msg("services.no_such_category", "Program '{program}' has no category '{code}' (categories: "
                       "{known}).", program=program.code, code=given, known=", ".join(c.code for c in cats)))


def _district_name(program: Program, given: str) -> str:
    """A district of ``program`` by any of its names as the intake sheet takes them (``도봉``,
    ``Dobong-gu``), stored in Korean; else ``given`` as it is."""
    from ..excel.intake import districts_of  # (the excel area imports this one)
    from ..excel.normalise import BadValue, district_parser

    try:
        return district_parser(districts_of(program))(given)
    except BadValue:
        return given


class Applications(Area):
    """The current program's applications and their manual eligibility gates."""

    def list(self, **filters: Any) -> list[ApplicationRow]:
        """Every application matching the filters (track, category, district, status, evaluator, search).

        A track, round or category the program does not have is :class:`NotFound` (a typo never lists
        nothing); a round or category may be named by its code or its Korean or English name too."""
        with self._uow.read() as s:
            p = current_program(s)
            if filters.get("track"):
                track_by_code(s, p, filters["track"])
            if filters.get("round"):
                filters["round"] = round_by_code(s, p, filters["round"]).code
            if filters.get("category"):
                filters["category"] = _category_code(p, filters["category"])
            if filters.get("district"):
                filters["district"] = _district_name(p, filters["district"])
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
                raise ValidationError(msg("services.unknown_track", "Application {app}: unknown track {track}.",
                                          app=values.get("id"), track=repr(values.get("track"))))
            app, changed = apps_svc.put_application(s, p, tracks, values)
            if changed:
                self._audit(s, action="application", entity="application", entity_uuid=app.uuid,
                            new={"id": app.external_id, "changed": sorted(changed)})
        return self._uow.outcome(s, changed)

    def record_gate(self, application_id: str, gate: str, passed: bool, note: str = "") -> Outcome[GateStatus]:
        """Record the outcome of a manual eligibility gate for an application (audited; the next
        ranking of its round uses it; a signed-off round's decisions stay as they were)."""
        self._uow.require_office(msg("services.action_record_an_eligibility_gate", "record an eligibility gate"))
        with self._uow.write() as s:
            app = application_by_id(s, application_id, current_program(s))
            g = next((g for g in app.track.rubric.gates if g.code == gate), None)
            if g is None:
                known = ", ".join(f"{g.code} ({g.kind})" for g in app.track.rubric.gates) or none()
                raise NotFound(msg("services.no_such_gate", "Rubric '{rubric}' has no eligibility gate '{gate}' "
                                   "(gates: {known}).", rubric=app.track.rubric.code, gate=gate, known=known))
            if g.kind != "manual":
                raise ValidationError(msg("services.gate_computed", "Gate '{gate}' is computed from the application's "
                                          "{field}; only manual gates are recorded.", gate=gate, field=g.field))
            row = s.execute(
                select(GateResult).where(GateResult.application_id == app.id, GateResult.gate_id == g.id)
            ).scalar_one_or_none()
            old = None if row is None else {"passed": row.passed, "note": row.note}
            if row is None:
                row = GateResult(application_id=app.id, gate_id=g.id, passed=passed)
                s.add(row)
            row.passed, row.note, row.decided_by = passed, note, self._uow.actor
            self._audit(s, action="gate", entity="application", entity_uuid=app.uuid, old=old,
                        new={"application": app.external_id, "gate": gate, "passed": passed, "note": note},
                        subject=app.uuid)
            s.flush()
            status = GateStatus(g.code, g.name_ko, g.name_en, g.kind, passed, note, self._uow.actor)
        return self._uow.outcome(s, status)

    def gates(self, application_id: str) -> list[GateStatus]:
        """The eligibility gates of the application's rubric and their outcome for it (an automatic
        gate computed from its field; a manual one as recorded, None when not yet)."""
        with self._uow.read() as s:
            app = application_by_id(s, application_id, current_program(s))
            recorded = {r.gate_id: r for r in s.execute(
                select(GateResult).where(GateResult.application_id == app.id)).scalars()}
            out = []
            for g in app.track.rubric.gates:
                if g.kind == "auto":
                    v = getattr(app, g.field or "", None)  # a missing value fails, as the ranking has it
                    passed = v is not None and (g.min_value is None or float(v) >= g.min_value)
                    out.append(GateStatus(g.code, g.name_ko, g.name_en, g.kind, passed))
                else:
                    r = recorded.get(g.id)
                    out.append(GateStatus(g.code, g.name_ko, g.name_en, g.kind, None if r is None else r.passed,
                                          "" if r is None else r.note, "" if r is None else r.decided_by))
            return out

    def withdraw(self, application_id: str, reason: str) -> Outcome[ApplicationInfo]:
        """Record that the applicant withdrew: the application is kept, left out of the ranking, and
        shown with the reason (audited)."""
        self._uow.require_office(msg("services.action_record_a_withdrawal", "record a withdrawal"))
        reason = " ".join(str(reason or "").split())
        if not reason:
            raise ValidationError(msg("services.withdrawal_needs_reason", "A withdrawal of application {app} needs "
                                      "its reason (--reason); it is shown with the application and kept in the audit "
                                      "trail.", app=application_id))
        with self._uow.write() as s:
            app = application_by_id(s, application_id, current_program(s))
            if app.status == WITHDRAWN:
                raise ValidationError(msg("services.already_withdrawn", "Application {app} was already withdrawn "
                                          "({reason}).", app=application_id, reason=app.status_reason))
            old = {"status": app.status, "reason": app.status_reason or ""}
            app.status, app.status_reason = WITHDRAWN, reason
            self._audit(s, action="withdraw", entity="application", entity_uuid=app.uuid, old=old,
                        new={"application": app.external_id, "status": WITHDRAWN, "reason": reason}, reason=reason,
                        subject=app.uuid)
            s.flush()
            info = apps_svc.to_info(app)
        return self._uow.outcome(s, info)


class People(Area):
    """Evaluators, their assignments and declared conflicts of interest."""

    def evaluators(self) -> list[EvaluatorInfo]:
        """Every evaluator, with their load in the current program."""
        with self._uow.read() as s:
            try:
                program = current_program(s)
            except NotFound:
                program = None
            return people.evaluator_infos(s, program)

    def put_evaluator(self, code: str, name: str, organisation: str = "", role: str = "",
                      email: str = "", district: str | None = None, phone: str | None = None) -> Outcome[None]:
        with self._uow.write() as s:
            ev = people.put_evaluator(s, code=code, name=name, organisation=organisation, role=role, email=email,
                                      district=district, phone=phone)
            self._audit(s, action="evaluator", entity="evaluator", entity_uuid=ev.uuid,
                        new={"code": code, "name": name})
        return self._uow.outcome(s, None)

    def add_evaluator(self, code: str, name: str, *, organisation: str = "", district: str = "", email: str = "",
                      phone: str = "", role: str = "") -> Outcome[EvaluatorInfo]:
        """Add a new evaluator (refused when the code is taken)."""
        self._uow.require_office(msg("services.action_add_an_evaluator", "add an evaluator"))
        code = people.clean_code(code, msg("services.evaluator_code", "evaluator code"))
        name = " ".join(str(name or "").split())
        if not name:
            raise ValidationError(msg("services.evaluator_needs_name", "Evaluator {code} needs a name (--name).",
                                      code=code))
        from ..excel.normalise import evaluator_district  # (the excel area imports this one)

        district = evaluator_district(district) if district.strip() else ""
        with self._uow.write() as s:
            if s.execute(select(Evaluator.id).where(Evaluator.code == code)).first():
                raise ValidationError(msg("services.evaluator_exists", "There is already an evaluator {code}; choose "
                                          "another code (or import a sheet to update their details).", code=code))
            ev = people.put_evaluator(s, code=code, name=name, organisation=organisation.strip(), role=role.strip(),
                                      email=email.strip(), district=district.strip(), phone=phone.strip())
            self._audit(s, action="evaluator", entity="evaluator", entity_uuid=ev.uuid,
                        new={"code": code, "name": name, "organisation": ev.organisation, "district": ev.district})
            info = next(e for e in people.evaluator_infos(s) if e.code == code)
        return self._uow.outcome(s, info)

    def remove_evaluator(self, code: str) -> Outcome[None]:
        """Remove an evaluator; refused, saying what they hold, while they hold work (assignments,
        evaluations, visit logs, photos or merged packages)."""
        self._uow.require_office(msg("services.action_remove_an_evaluator", "remove an evaluator"))
        with self._uow.write() as s:
            people.remove_evaluator(s, evaluator_by_code(s, code), actor=self._uow.actor, device=self._uow.device)
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

    def unassign(self, application_id: str, evaluator: str) -> Outcome[None]:
        """Take an application back from an evaluator who has not started it (refused otherwise)."""
        self._uow.require_office(msg("services.action_unassign_an_evaluator", "unassign an evaluator"))
        with self._uow.write() as s:
            people.unassign(s, *_pair(s, application_id, evaluator), actor=self._uow.actor, device=self._uow.device)
        return self._uow.outcome(s, None)

    def auto_assign(self, per_application: int = 3, *, track: str | None = None, round: str | None = None,
                    dry_run: bool = False) -> Outcome[AutoAssignment]:
        """Give every application of the current program (its rounds not signed off; one track or
        round if given) ``per_application`` evaluators: the least loaded first, never one with a
        declared conflict, each evaluator's load within one of the others'.  Likely conflicts are
        listed in the result for the office to confirm (:meth:`declare_conflict`) or dismiss
        (:meth:`dismiss_conflict`; a dismissed one is left out), not applied."""
        self._uow.require_office(msg("services.action_assign_evaluators", "assign evaluators"))
        unit = self._uow.read if dry_run else self._uow.write
        with unit() as s:
            result = assign_svc.auto_assign(s, current_program(s), per_application=per_application, track=track,
                                            round_code=round, actor=self._uow.actor, device=self._uow.device,
                                            write=not dry_run)
        return Outcome(result) if dry_run else self._uow.outcome(s, result)

    def likely_conflicts(self, *, track: str | None = None, round: str | None = None) -> list[LikelyConflict]:
        """Pairings of evaluators and applications that look like conflicts of interest and are
        neither declared nor dismissed (organisation or district equal to the applicant group's, a
        shared e-mail domain or phone); a dismissed one comes back, marked ``dismissed_for``, when a
        new kind of suspicion appears."""
        with self._uow.read() as s:
            return assign_svc.likely_conflicts(s, current_program(s), track=track, round_code=round)

    def dismiss_conflict(self, application_id: str, evaluator: str, reason: str) -> Outcome[DismissedConflict]:
        """Record that a likely conflict is not one (office database; ``reason`` required): who, when,
        why and what matched are kept and audited, and the pairing is no longer listed as a likely
        conflict — unless a new kind of suspicion appears since (then it is listed again, saying so).
        Refused when the pairing does not look like a conflict, is declared one, or is dismissed already."""
        self._uow.require_office(msg("services.action_dismiss_a_likely_conflict", "dismiss a likely conflict"))
        reason = self._conflict_reason(reason, msg(
            "services.dismissal_needs_reason", "Dismissing the likely conflict of {evaluator} with application {app} "
            "needs its reason (--reason); it is kept with the dismissal and in the audit trail. Nothing was changed.",
            evaluator=evaluator, app=application_id))
        with self._uow.write() as s:
            program = current_program(s)
            result = assign_svc.dismiss(s, program, *_pair(s, application_id, evaluator), reason,
                                        actor=self._uow.actor, device=self._uow.device)
        return Outcome(result, self._uow.changes(s) | _LIKELY_CONFLICTS)

    def restore_conflict(self, application_id: str, evaluator: str, reason: str) -> Outcome[DismissedConflict]:
        """Undo a dismissal (office database; ``reason`` required, audited): the pairing is listed as a
        likely conflict again while it looks like one.  Returns the dismissal undone."""
        self._uow.require_office(msg("services.action_restore_a_likely_conflict", "restore a dismissed likely "
                                     "conflict"))
        reason = self._conflict_reason(reason, msg(
            "services.restore_needs_reason", "Restoring the dismissed likely conflict of {evaluator} with application "
            "{app} needs its reason (--reason); it is kept in the audit trail. Nothing was changed.",
            evaluator=evaluator, app=application_id))
        with self._uow.write() as s:
            program = current_program(s)
            result = assign_svc.restore(s, program, *_pair(s, application_id, evaluator), reason,
                                        actor=self._uow.actor, device=self._uow.device)
        return Outcome(result, self._uow.changes(s) | _LIKELY_CONFLICTS)

    def dismissed_conflicts(self) -> list[DismissedConflict]:
        """The current program's dismissed likely conflicts: who dismissed each, when and why."""
        with self._uow.read() as s:
            return assign_svc.dismissed_conflicts(s, current_program(s))

    @staticmethod
    def _conflict_reason(reason: str, missing: Message) -> str:
        reason = " ".join(str(reason or "").split())
        if not reason:
            raise ValidationError(missing)
        return reason

    def assignments(self, application_id: str | None = None, evaluator: str | None = None) -> list[AssignmentInfo]:
        """The current program's assignments and declared conflicts (one application's, one evaluator's)."""
        with self._uow.read() as s:
            try:
                program = current_program(s)
            except NotFound:
                if application_id:
                    raise
                program = None
            app = application_by_id(s, application_id, program) if application_id else None
            ev = evaluator_by_code(s, evaluator) if evaluator else None
            return people.assignment_infos(s, application=app, evaluator=ev, program=program)


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
        key = (self._uow.program, application_id, evaluator)
        target = self._targets.get(key)
        if target is None:
            program_id = None  # the database's current program: found by the autosaver itself
            if self._uow.program:  # --program
                with self._uow.read() as s:
                    program_id = autosave.program_id(s)
            with self._uow.translate():
                target = self._autosaver.resolve(application_id, evaluator, program_id)
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
                 .where(Attachment.deleted.is_(False), Attachment.monitoring_visit_id.is_(None))  # (scoring photos)
                 .order_by(Attachment.id))
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
            if a.monitoring_visit_id is not None:  # its visit's rules (finalised, closed award) apply
                raise ValidationError(msg("services.attachment_of_monitoring_visit", "Photo {uuid} belongs to a "
                                          "follow-up monitoring visit: remove it on that visit's form. Nothing was "
                                          "changed.", uuid=uuid))
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
