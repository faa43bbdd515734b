"""The façade's privacy area (``store.privacy``): personal data under Korea's PIPA.

* **who acts** — :meth:`Privacy.identity`, the people of a SQLite office (:meth:`people`,
  :meth:`add_person`, :meth:`act_as`), PostgreSQL roles (:meth:`grant`, :meth:`revoke`,
  :meth:`members`);
* **the access log** — :meth:`view_application` (a view of contact data, logged),
  :meth:`access_log`, :meth:`verify_access_log`, the monthly :meth:`review` PDF;
* **retention and destruction** — :meth:`retention`, :meth:`set_retention`, :meth:`purge_plan`,
  :meth:`purge` (with :meth:`compact`);
* **data subjects' rights** — :meth:`subject_export`, :meth:`subject_correct`, :meth:`subject_delete`;
* **laptops** — the office's signed :meth:`merge_receipt`; the laptop's :meth:`check_receipt`
  before ``workflows.retire_field_database`` destroys it.

docs/privacy.md explains all of it to an office's data-protection officer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ..changes import NOTHING, Outcome
from ..db.models import Application, Evaluator, Program
from ..db.settings import get_setting
from ..domain import ApplicationInfo
from ..errors import NotFound, PermissionDenied, ValidationError
from ..jobs import NEVER, CancelToken, Progress, no_progress
from ..services.applications import to_info
from ..services.common import application_by_id, current_program
from ..services.programs import update_settings
from ..uow import Area, UnitOfWork
from . import access, identity, purge, receipts, retention, subjects
from .identity import Actor
from .models import OfficePerson, PurgeRecord
from ..messages import Message, msg


@dataclass(frozen=True)
class PersonInfo:
    name: str
    role: str
    created_at: Any
    created_by: str


@dataclass(frozen=True)
class PurgeInfo:
    uuid: str
    at: Any
    actor: str
    kind: str
    rule: str
    subjects: tuple[str, ...]
    counts: dict
    files: tuple[str, ...]


def _today(today: date | None) -> date:
    return today or date.today()


class Privacy(Area):
    """Who acts, the access log, retention and destruction, data subjects' rights."""

    def __init__(self, uow: UnitOfWork, keys) -> None:  # noqa: ANN001 - evaluator.packages.ops.Keys
        super().__init__(uow)
        self._keys = keys

    # --- who acts ---------------------------------------------------------------------------------
    def identity(self) -> Actor:
        return self._uow.identity

    def people(self) -> list[PersonInfo]:
        """The people who act on this (SQLite) database, by name."""
        with self._uow.read() as s:
            return [PersonInfo(p.name, p.role, p.created_at, p.created_by) for p in s.execute(
                select(OfficePerson).where(OfficePerson.active.is_(True)).order_by(OfficePerson.name)).scalars()]

    def add_person(self, name: str, role: str) -> Outcome[PersonInfo]:
        """Register (or change the role of) a person who acts on this database (audited)."""
        name, role = identity.check_name(name), identity.check_role(role)
        if self._uow.engine.dialect.name == "postgresql":
            raise PermissionDenied(msg("privacy.postgres_login_is_identity", "On PostgreSQL the database login is the "
                                       "identity: give a login its role with 'evaluator admin grant USER ROLE'."))
        with self._uow.write() as s:
            p = s.execute(select(OfficePerson).where(OfficePerson.name == name)).scalar_one_or_none()
            old = None if p is None else {"role": p.role, "active": p.active}
            if p is None:
                p = OfficePerson(name=name, role=role, created_by=self._uow.actor)
                s.add(p)
            p.role, p.active = role, True
            s.flush()
            self._audit(s, action="person", entity="person", old=old, new={"name": name, "role": role})
            info = PersonInfo(p.name, p.role, p.created_at, p.created_by)
        return self._uow.outcome(s, info)

    def act_as(self, name: str) -> Actor:
        """``name`` acts from now on (registered people carry their role)."""
        return self._uow.act_as(identity.check_name(name))

    # --- PostgreSQL roles -------------------------------------------------------------------------
    def _postgres(self, what: Message) -> str:
        if self._uow.engine.dialect.name != "postgresql":
            raise ValidationError(msg("privacy.postgres_only", "{what} is for PostgreSQL databases, where the server "
                                      "enforces roles; on a SQLite file register people with 'evaluator people add "
                                      "NAME --role ROLE'.", what=what))
        return self._uow.url_object.database or ""

    def grant(self, user: str, role: str, *, password: str | None = None) -> dict[str, Any]:
        """Make the PostgreSQL login ``user`` this database's ``role`` (see :mod:`.pgroles`)."""
        from . import pgroles

        database = self._postgres(msg("privacy.granting_roles", "Granting roles"))
        with self._uow.write() as s:
            done = pgroles.grant(s, database, user, role, password=password)
            self._audit(s, action="grant", entity="role", new={"login": user, "role": role})
        return done

    def revoke(self, user: str) -> list[str]:
        from . import pgroles

        database = self._postgres(msg("privacy.revoking_roles", "Revoking roles"))
        with self._uow.write() as s:
            taken = pgroles.revoke(s, database, user)
            self._audit(s, action="revoke", entity="role", new={"login": user, "roles": taken})
        return taken

    def members(self) -> list[tuple[str, str]]:
        from . import pgroles

        database = self._postgres(msg("privacy.listing_roles", "Listing roles"))
        with self._uow.read() as s:
            return pgroles.members(s, database)

    # --- the access log ---------------------------------------------------------------------------
    def view_application(self, application_id: str) -> Outcome[ApplicationInfo]:
        """The application with its contact data, for a screen: the view is logged."""
        with self._uow.read() as s:
            info = to_info(application_by_id(s, application_id, current_program(s)))
        shown = [f for f in access.CONTACT_FIELDS if getattr(info, f)]
        self._log_access(action="view", what="application detail", subjects=[info.id],
                         fields=shown + (["extra"] if info.extra else []))
        return Outcome(info, NOTHING)

    def access_log(self, *, since: Any = None, until: Any = None, subject: str | None = None,
                   limit: int | None = None) -> list[access.AccessEntry]:
        with self._uow.read() as s:
            return access.entries(s, since=since, until=until, subject=subject, limit=limit)

    def verify_access_log(self) -> access.AccessVerification:
        with self._uow.read() as s:
            return access.verify(s)

    def access_retention(self) -> tuple[int, int]:
        """(years the access log is kept, data subjects held)."""
        with self._uow.read() as s:
            return access.retention(s)

    def review(self, month: str, out: str | Path, *, lang: str = "ko", progress: Progress = no_progress,
               cancel: CancelToken = NEVER) -> Path:
        """The monthly review of the access log as a PDF (the review itself is logged)."""
        from .review import write_review

        with self._uow.read() as s:
            r = access.review(s, month)
            p = s.execute(select(Program).order_by(Program.id.desc()).limit(1)).scalar_one_or_none()
            program = "" if p is None else (p.name_en if lang == "en" and p.name_en else p.name_ko)
        path = write_review(r, out, lang=lang, reviewer=self._uow.identity, role=program, progress=progress,
                            cancel=cancel)
        try:  # the review itself is on the record (that the log is reviewed monthly)
            self._log_access(action="review", what=f"access log review {month}", subjects=[],
                             fingerprint=access.file_fingerprint(path), reason=f"monthly review of {month}")
        except BaseException:
            Path(path).unlink(missing_ok=True)
            raise
        return path

    # --- retention and destruction ----------------------------------------------------------------
    def retention(self) -> list[retention.RetentionRule]:
        with self._uow.read() as s:
            return retention.rules(current_program(s))

    def milestones(self) -> dict[str, date | None]:
        with self._uow.read() as s:
            return retention.milestones(current_program(s))

    def set_retention(self, *, rules: dict[str, Any] | None = None, signed_off_on: date | str | None = None,
                      project_ends_on: date | str | None = None) -> Outcome[dict]:
        """Retention rules and the milestones they count from, in the program's settings (audited)."""
        changes: dict[str, Any] = {}
        with self._uow.write() as s:
            p = current_program(s)
            if rules:
                current = dict((p.settings or {}).get("retention") or {})
                current.update(retention.check_rules(rules))
                changes["retention"] = current
            if signed_off_on is not None:
                changes["signed_off_on"] = retention.parse_day(signed_off_on, "signed_off_on").isoformat()
            if project_ends_on is not None:
                changes["project_ends_on"] = retention.parse_day(project_ends_on, "project_ends_on").isoformat()
            settings = update_settings(s, p, changes, actor=self._uow.actor, device=self._uow.device) \
                if changes else dict(p.settings or {})
        return self._uow.outcome(s, settings)

    def schedule(self, today: date | None = None) -> list[retention.DueItem]:
        with self._uow.read() as s:
            return retention.schedule(s, current_program(s), _today(today))

    def _backups(self, s) -> Any:  # noqa: ANN001
        path = self._uow.sqlite_path
        registered = list(get_setting(s, purge.BACKUPS) or [])
        engine = self._uow.engine

        def check(uuids: set[str]) -> list[purge.BackupCheck]:
            if path is None:
                return []
            return purge.check_backups(engine, purge.backup_files(Path(path).resolve(), registered), uuids)

        return check

    def purge_plan(self, today: date | None = None) -> purge.PurgePlan:
        """What a purge today would destroy (``evaluator purge --dry-run``)."""
        self._uow.require_office(msg("privacy.action_purge_personal_data", "purge personal data"))
        with self._uow.read() as s:
            return purge.plan(s, current_program(s), _today(today), backups=self._backups(s))

    def purge(self, today: date | None = None, *, progress: Progress = no_progress,
              cancel: CancelToken = NEVER) -> Outcome[purge.PurgeReport]:
        """Destroy what is due (see :mod:`evaluator.privacy.purge`)."""
        self._uow.require_office(msg("privacy.action_purge_personal_data", "purge personal data"))
        return self._destroy(lambda s: purge.plan(s, current_program(s), _today(today), backups=self._backups(s)),
                             kind="purge", reason="", progress=progress, cancel=cancel)

    def _destroy(self, make_plan, *, kind: str, reason: str, progress: Progress,  # noqa: ANN001
                 cancel: CancelToken) -> Outcome[purge.PurgeReport]:
        progress(0.0, "")
        folder = Path(self._uow.sqlite_path).resolve().parent if self._uow.sqlite_path else None
        with self._uow.write() as s:
            p = make_plan(s)
            cancel.raise_if_cancelled()
            if p.nothing:
                return Outcome(purge.PurgeReport(plan=p), NOTHING)
            record, later = purge.destroy(s, p, actor=self._uow.actor, device=self._uow.device, kind=kind,
                                          reason=reason, db_folder=folder)
            uuid, at, counts = record.uuid, record.at, dict(record.counts)
        changes = self._uow.changes(s)
        progress(0.6, "")
        destroyed = [str(f) for f in later if purge.destroy_file(f)]
        for b in p.backups:
            if b.holds:
                from .shred import destroy_database_files

                destroyed += destroy_database_files(b.path)
        progress(0.7, "")
        compacted = purge.compact(self._uow.engine)
        with self._uow.write() as s:  # what was destroyed and how the database forgot, on the record
            r = s.execute(select(PurgeRecord).where(PurgeRecord.uuid == uuid)).scalar_one()
            r.files = destroyed
            r.detail = {**(r.detail or {}), "compacted": compacted}
            made = [x for x in (get_setting(s, purge.BACKUPS) or []) if Path(x).exists()]
            from ..db.settings import set_setting

            set_setting(s, purge.BACKUPS, made)
        if self._uow.engine.dialect.name == "sqlite":
            purge.compact(self._uow.engine)  # (the record's own pages, written after the first pass)
        progress(1.0, "")
        return Outcome(purge.PurgeReport(plan=p, purge=uuid, at=at, counts=counts, files=tuple(destroyed),
                                         compacted=compacted), changes)

    def compact(self) -> str:
        """Rewrite the database so deleted pages are gone (VACUUM, or VACUUM FULL as the owner)."""
        return purge.compact(self._uow.engine)

    def purges(self) -> list[PurgeInfo]:
        with self._uow.read() as s:
            return [PurgeInfo(r.uuid, r.at, r.actor, r.kind, r.rule, tuple(r.subjects or ()), dict(r.counts or {}),
                              tuple(r.files or ())) for r in s.execute(select(PurgeRecord).order_by(PurgeRecord.id))
                    .scalars()]

    # --- data subjects ----------------------------------------------------------------------------
    def subject_export(self, application_id: str, out: str | Path, *, reason: str) -> Path:
        """Everything held about ``application_id``'s people in one JSON file (logged, with the reason)."""
        from ..outfile import write_bytes

        reason = access.require_reason(reason, msg("privacy.the_subject_export", "The export of everything held about {app}",
                                                   app=application_id))
        with self._uow.read() as s:
            app = application_by_id(s, application_id, current_program(s))
            doc = subjects.document(s, app)
        path = write_bytes(out, (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode())
        self._log_output(path, action="subject_export", what="subject export", subjects=[application_id],
                         fields=[*access.CONTACT_FIELDS, *access.VISIT_FIELDS], reason=reason)
        return path

    def subject_correct(self, application_id: str, field: str, value: str, *, reason: str) -> Outcome[dict]:
        """Correct one contact field of an application's people (audited with the reason; the old and
        new values sealed in the chain)."""
        self._uow.require_office(msg("privacy.action_correct_personal_data", "correct personal data"))
        reason = " ".join(str(reason or "").split())
        if not reason:
            raise ValidationError(msg("privacy.correction_needs_reason", "Correcting {app}'s {field} needs a reason (it "
                                      "goes in the audit trail).", app=application_id, field=field))
        with self._uow.write() as s:
            app = application_by_id(s, application_id, current_program(s))
            old, new = subjects.correct(app, field, value)
            if old != new:
                self._audit(s, action="subject_correct", entity="application", entity_uuid=app.uuid,
                            old={field: old}, new={field: new, "application": application_id}, reason=reason,
                            subject=app.uuid)
        return self._uow.outcome(s, {"application": application_id, "field": field, "changed": old != new})

    def subject_delete(self, application_id: str, *, reason: str, today: date | None = None,
                       progress: Progress = no_progress, cancel: CancelToken = NEVER) -> Outcome[purge.PurgeReport]:
        """Destroy an application's people's data at their request — refused, with the reason, while
        a retention duty holds."""
        self._uow.require_office(msg("privacy.action_delete_personal_data", "delete personal data"))
        reason = " ".join(str(reason or "").split())
        if not reason:
            raise ValidationError(msg("privacy.deletion_needs_reason", "Deleting {app}'s personal data needs a reason "
                                      "(the request it answers).", app=application_id))
        day = _today(today)
        with self._uow.read() as s:
            app = application_by_id(s, application_id, current_program(s))
            if app.purged_at is not None:
                raise ValidationError(msg("privacy.already_destroyed", "Application {app}: its personal data was "
                                          "already destroyed on {date:%Y-%m-%d}.", app=application_id,
                                          date=app.purged_at))
            item = next(d for d in retention.schedule(s, current_program(s), day) if d.application_id == application_id)
        why = subjects.refusal(item, day)
        if why:
            raise PermissionDenied(why)
        return self._destroy(lambda s: purge.plan(s, current_program(s), day, backups=self._backups(s),
                                                  only=[application_id]),
                             kind="subject_delete", reason=reason, progress=progress, cancel=cancel)

    # --- laptops ----------------------------------------------------------------------------------
    def merge_receipt(self, evaluator: str, out: str | Path, *, passphrase: str | None = None,
                      key_dir: str | Path | None = None) -> receipts.Receipt:
        """The office's signed receipt for the last package merged from ``evaluator``'s laptop (what
        lets the laptop destroy its field database)."""
        from ..outfile import write_bytes
        from ..db.models import PackageReceipt

        self._uow.require_office(msg("privacy.action_issue_a_merge_receipt", "issue a merge receipt"))
        office = self._keys.unlocked(passphrase, key_dir)
        with self._uow.read() as s:
            ev = s.execute(select(Evaluator).where(Evaluator.code == evaluator)).scalar_one_or_none()
            if ev is None:
                raise NotFound(msg("services.no_such_evaluator", "There is no evaluator '{code}'.", code=evaluator))
            last = s.execute(select(PackageReceipt).where(PackageReceipt.evaluator_id == ev.id)
                             .order_by(PackageReceipt.merged_at.desc(), PackageReceipt.id.desc()).limit(1)
                             ).scalar_one_or_none()
            if last is None:
                raise NotFound(msg("privacy.nothing_merged_yet", "No package of {evaluator} was merged yet; merge it "
                                   "before giving a receipt.", evaluator=evaluator))
            database = str(get_setting(s, "device_id") or "")
            merged = {"device": last.device, "sequence": last.sequence, "package_sha256": last.sha256,
                      "merged_at": last.merged_at}
            ev_uuid = ev.uuid
        r = receipts.issue(office, evaluator=evaluator, office_database=database, issued_by=self._uow.actor, **merged)
        write_bytes(out, receipts.to_json(r))
        with self._uow.write() as s:
            self._audit(s, action="merge_receipt", entity="evaluator", entity_uuid=ev_uuid,
                        new={"device": r.device, "sequence": r.sequence, "sha256": r.package_sha256})
        return r

    def check_receipt(self, path: str | Path) -> receipts.RetireCheck:
        """The receipt against this field database (:class:`~.receipts.ReceiptRefused` says why not)."""
        r = receipts.read(path)
        with self._uow.read() as s:
            return receipts.check(s, r, device=self._uow.device, where=msg("privacy.the_field_database",
                                                                                "The field database {url}",
                                                                                url=self._uow.display_url))

    def backups(self) -> list[Path]:
        """The backups of this SQLite database the program knows of (beside it, and those
        ``evaluator backup`` made)."""
        if self._uow.sqlite_path is None:
            return []
        with self._uow.read() as s:
            registered = list(get_setting(s, purge.BACKUPS) or [])
        return purge.backup_files(Path(self._uow.sqlite_path).resolve(), registered)

    def applications_with_personal_data(self) -> int:
        """How many applications still hold contact data (not purged)."""
        with self._uow.read() as s:
            return len(s.execute(select(Application.id).where(Application.purged_at.is_(None))).all())


__all__ = ["PersonInfo", "Privacy", "PurgeInfo"]
