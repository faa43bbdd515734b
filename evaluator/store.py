"""The core façade: ``Store(url)`` is the one door into one database.

The store *has* its areas, like Anki's ``Collection`` (``col.decks``, ``col.models``): each is a
small class given the store's :class:`~evaluator.uow.UnitOfWork` (engine, sessions, error
translation, actor, device) and nothing else, and lives beside its code:

=================== ========================================= ============================
``store.programs``  programs, tracks, rubrics, settings       ``evaluator/services/ops.py``
``store.rounds``    rounds: windows, intake, sign-off         ``evaluator/ranking/ops.py``
``store.applications`` applications, manual gates             ``evaluator/services/ops.py``
``store.people``    evaluators, assignments, conflicts        ``evaluator/services/ops.py``
``store.scoring``   autosave, finalise, visit log, photos     ``evaluator/services/ops.py``
``store.ranking``   ranking, decisions of record, overrides   ``evaluator/ranking/ops.py``
``store.excel``     Excel imports and exports                 ``evaluator/excel/ops.py``
``store.reports``   PDF documents                             ``evaluator/reports/ops.py``
``store.keys``      key pairs and evaluators' public keys     ``evaluator/packages/ops.py``
``store.packages``  kits, result packages, merges, conflicts  ``evaluator/packages/ops.py``
``store.privacy``   who acts, access log, retention, purge     ``evaluator/privacy/ops.py``
``store.awards``    awards, disbursements, the support log    ``evaluator/awards/ops.py``
``store.monitoring`` monitoring plan, visits, due and overdue ``evaluator/monitoring/ops.py``
=================== ========================================= ============================

Reads return plain values or frozen dataclasses; writes return an
:class:`~evaluator.changes.Outcome` (the value and what changed).  No area imports this module;
workflows that open more than one database (kit import, restore, a field database for a laptop)
live in :mod:`evaluator.workflows`, above it.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from . import audit
from .db.migrate import SchemaState, current_revision
from .db.models import Application, Assignment, AuditEvent, Evaluation, Evaluator, Program, Score, Track
from .domain import FINALISED, OFFICE, DatabaseInfo
from .awards.ops import Awards
from .excel.ops import Excel
from .monitoring.ops import Monitoring
from .packages.ops import Keys, Packages
from .privacy.ops import Privacy
from .ranking.ops import Ranking, Rounds
from .reports.ops import Reports
from .db.settings import get_setting
from .services.ops import Applications, People, Programs, Scoring
from .uow import UnitOfWork


class Store:
    """Open (creating or upgrading as needed) the database at ``url``.

    ``Store()`` opens the default database in the user's data directory.  Use it as a context
    manager or call :meth:`close`.  With ``passphrase`` a SQLite file is opened (or created)
    encrypted at rest."""

    programs: Programs
    rounds: Rounds
    applications: Applications
    people: People
    scoring: Scoring
    ranking: Ranking
    excel: Excel
    reports: Reports
    keys: Keys
    packages: Packages
    privacy: Privacy
    awards: Awards
    monitoring: Monitoring

    @classmethod
    def offers(cls, name: str) -> bool:
        """Whether the façade has ``name``: ``"info"`` or an area's method, ``"scoring.save_score"``
        (for tools that describe what a version of the core can do, like the benchmark suite)."""
        import typing

        area, _, method = name.rpartition(".")
        owner = typing.get_type_hints(cls).get(area) if area else cls
        return owner is not None and callable(getattr(owner, method, None))

    def __init__(self, url: str | None = None, *, upgrade: bool = True, role: str | None = None,
                 actor: str | None = None, passphrase: str | None = None) -> None:
        self.uow = UnitOfWork(url, upgrade=upgrade, role=role, actor=actor, passphrase=passphrase)
        uow = self.uow
        self.programs = Programs(uow)
        self.applications = Applications(uow)
        self.people = People(uow)
        self.scoring = Scoring(uow)
        self.ranking = Ranking(uow)
        self.excel = Excel(uow, self.ranking)
        self.reports = Reports(uow, self.ranking)
        self.keys = Keys(uow)
        self.packages = Packages(uow, self.keys)
        self.rounds = Rounds(uow, self.ranking, self.keys)
        self.privacy = Privacy(uow, self.keys)
        self.awards = Awards(uow)
        self.monitoring = Monitoring(uow)

    # --- the database -----------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return self.uow.url

    @property
    def display_url(self) -> str:
        """The URL without its password (for titles and messages)."""
        return self.uow.display_url

    @property
    def sqlite_path(self) -> Path | None:
        return self.uow.sqlite_path

    @property
    def schema(self) -> SchemaState:
        """What opening did to the schema (created, upgraded from, backup)."""
        return self.uow.schema

    @property
    def role(self) -> str:
        """``office`` or ``field``."""
        return self.uow.role

    @property
    def is_field(self) -> bool:
        return self.uow.is_field

    @property
    def device(self) -> str:
        return self.uow.device

    @property
    def actor(self) -> str:
        """Who the audit trail names for this store's changes."""
        return self.uow.actor

    def set_actor(self, actor: str) -> None:
        """``actor`` (a person of this database) acts from now on (on PostgreSQL the login stays the
        identity)."""
        self.uow.act_as(actor)

    @property
    def identity(self):  # noqa: ANN201 - evaluator.privacy.identity.Actor
        """Who acts: name, role, operating-system account (or database login)."""
        return self.uow.identity

    def info(self) -> DatabaseInfo:
        """Counts: programs, applications per track, evaluators, evaluations, scores, schema revision."""
        with self.uow.read() as s:
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

        with self.uow.read() as s:
            return check.verify(s)

    def backup(self, path: str | Path, *, overwrite: bool = False, remember: bool = False) -> Path:
        """Copy this SQLite database to the new file ``path`` (safe while in use; an encrypted
        database's copy keeps its key; ``overwrite`` replaces an existing file once the copy is
        complete): :func:`evaluator.db.backup.backup`.  With ``remember`` (a backup a person asked
        for: ``evaluator backup``, "Back up…") the database notes where it is, so that a purge finds
        it (:mod:`evaluator.privacy.purge`)."""
        from .db.backup import backup
        from .privacy.purge import remember_backup

        target = Path(path).expanduser().resolve()
        if remember:  # noted first (the copy is then the database as it is, note included)
            with self.uow.write() as s:
                remember_backup(s, target)
        try:
            with self.uow.translate():
                return backup(self.uow.engine, target, overwrite=overwrite)
        except BaseException:
            if remember:
                with self.uow.write() as s:
                    remember_backup(s, target, forget=True)
            raise

    def close(self) -> None:
        self.uow.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
