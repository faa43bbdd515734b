"""ORM models (SQLAlchemy 2 typed declarative).

Only the core touches these; the façade hands out frozen dataclasses from ``evaluator.domain``.
Records that travel between machines (applications, assignments, evaluations, scores, site visits,
attachments, audit events) carry a UUID; people see the external IDs (접수번호, evaluator codes).
Columns holding personal data carry ``info={"personal": True}`` so kits and logs can leave them out.
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

PERSONAL = {"personal": True}


#: while set (by the demo builder), ids and clocks come from here, so the demo is reproducible
_uuid_source: ContextVar[Callable[[], str] | None] = ContextVar("uuid_source", default=None)
_clock: ContextVar[Callable[[], datetime] | None] = ContextVar("clock", default=None)


def new_uuid() -> str:
    """A random (version 4) UUID as text — what ``str(uuid.uuid4())`` gives, formatted without
    building a ``UUID`` object (every autosave makes two)."""
    src = _uuid_source.get()
    if src is not None:
        return src()
    h = os.urandom(16).hex()  # 122 random bits: the version nibble is 4, the variant bits 10
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"


def secret_bytes(n: int = 32) -> bytes:
    """``n`` random bytes for a secret (a data subject's salt); derived from the id source while
    one is set (the demo and the tests that compare two paths byte for byte)."""
    src = _uuid_source.get()
    if src is not None:
        import hashlib

        return hashlib.sha256(src().encode()).digest()[:n]
    return os.urandom(n)


def utcnow() -> datetime:
    """Naive UTC now (all timestamps in the database are naive UTC)."""
    clock = _clock.get()
    return clock() if clock is not None else datetime.now(timezone.utc).replace(tzinfo=None)


@contextmanager
def deterministic(namespace: str, start: datetime) -> Iterator[None]:
    """Make ids and timestamps reproducible inside the block (for the demo and fixtures)."""
    counter = itertools.count()
    ns = uuid.uuid5(uuid.NAMESPACE_URL, namespace)
    tick = itertools.count()
    t1 = _uuid_source.set(lambda: str(uuid.uuid5(ns, str(next(counter)))))
    t2 = _clock.set(lambda: start + timedelta(seconds=next(tick)))
    try:
        yield
    finally:
        _uuid_source.reset(t1)
        _clock.reset(t2)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Setting(Base):
    """Per-database preferences and identity (role office/field, device id, kit info…)."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class Program(Base):
    __tablename__ = "program"
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    name_ko: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(20), default="intake")
    opened_on: Mapped[date | None]
    closed_on: Mapped[date | None]
    #: ranking configuration: method, trim_min_evaluators, disagreement_threshold, …
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: the organising office (revision 0005)
    office_ko: Mapped[str] = mapped_column(String(300), default="")
    office_en: Mapped[str] = mapped_column(String(300), default="")
    #: fixed | rolling: how applications find their round
    intake: Mapped[str] = mapped_column(String(10), default="fixed")
    #: activity kinds: [{code, ko, en, aliases}]
    categories: Mapped[list[Any]] = mapped_column(default=list)
    #: typed intake fields beyond the built-in ones: [{key, label_ko, label_en, aliases, type, required,
    #: personal, values}] (evaluator.programfile.FieldDef)
    fields: Mapped[list[Any]] = mapped_column(default=list)
    #: the program file exactly as loaded and its version ("" for programs made before program files)
    source: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    #: kits made for this program (a rubric may no longer change once one went out)
    kits_issued: Mapped[int] = mapped_column(Integer, default=0)
    archived_at: Mapped[datetime | None]

    tracks: Mapped[list[Track]] = relationship(back_populates="program", order_by="Track.position")
    rubrics: Mapped[list[Rubric]] = relationship(back_populates="program")
    rounds: Mapped[list[Round]] = relationship(back_populates="program", order_by="Round.position")


class Rubric(Base):
    __tablename__ = "rubric"
    __table_args__ = (UniqueConstraint("program_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(80))
    name_ko: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300), default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    min_score: Mapped[float] = mapped_column(Float, default=60.0)
    #: the TOML text exactly as loaded: kits carry it, and its hash is the rubric's version
    source: Mapped[str] = mapped_column(Text)
    checklist: Mapped[list[Any]] = mapped_column(default=list)
    levels: Mapped[list[Any]] = mapped_column(default=list)

    program: Mapped[Program] = relationship(back_populates="rubrics")
    criteria: Mapped[list[Criterion]] = relationship(back_populates="rubric", order_by="Criterion.position")
    gates: Mapped[list[EligibilityGate]] = relationship(back_populates="rubric", order_by="EligibilityGate.position")


class Criterion(Base):
    __tablename__ = "criterion"
    __table_args__ = (UniqueConstraint("rubric_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    rubric_id: Mapped[int] = mapped_column(ForeignKey("rubric.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer)
    name_ko: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300), default="")
    help_ko: Mapped[str] = mapped_column(Text, default="")
    help_en: Mapped[str] = mapped_column(Text, default="")
    max_points: Mapped[float] = mapped_column(Float)
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    scoring: Mapped[str] = mapped_column(String(10), default="levels")
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    field_check: Mapped[bool] = mapped_column(Boolean, default=False)
    #: {level key: [ko, en]}
    level_descriptions: Mapped[dict[str, Any]] = mapped_column(default=dict)

    rubric: Mapped[Rubric] = relationship(back_populates="criteria")


class EligibilityGate(Base):
    __tablename__ = "eligibility_gate"
    __table_args__ = (UniqueConstraint("rubric_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    rubric_id: Mapped[int] = mapped_column(ForeignKey("rubric.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer)
    name_ko: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300), default="")
    kind: Mapped[str] = mapped_column(String(10), default="manual")
    field: Mapped[str | None] = mapped_column(String(40))
    min_value: Mapped[float | None] = mapped_column(Float)

    rubric: Mapped[Rubric] = relationship(back_populates="gates")


class Track(Base):
    __tablename__ = "track"
    __table_args__ = (UniqueConstraint("program_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer, default=0)
    name_ko: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    rubric_id: Mapped[int] = mapped_column(ForeignKey("rubric.id"))
    quota: Mapped[int] = mapped_column(Integer)
    reserve_size: Mapped[int] = mapped_column(Integer, default=3)
    #: optional budget cap in KRW (None = no cap)
    budget: Mapped[int | None] = mapped_column(BigInteger)
    #: the minimum score to be selected (None: the rubric's own; revision 0005)
    min_score: Mapped[float | None] = mapped_column(Float)

    program: Mapped[Program] = relationship(back_populates="tracks")
    rubric: Mapped[Rubric] = relationship()


class Round(Base):
    """A round (차수) of a program: its intake window, status and, once the committee signs it off,
    the frozen ranking that holds its decisions of record (revision 0005)."""

    __tablename__ = "program_round"
    __table_args__ = (UniqueConstraint("program_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer, default=0)
    name_ko: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    opens_on: Mapped[date | None]
    closes_on: Mapped[date | None]
    #: open | closed | signed_off
    status: Mapped[str] = mapped_column(String(20), default="open")
    signed_off_at: Mapped[datetime | None]
    signed_off_by: Mapped[str] = mapped_column(String(200), default="")
    sign_off_note: Mapped[str] = mapped_column(Text, default="")
    #: the ranking the committee signed off, as plain JSON (evaluator.ranking.frozen)
    signed_off_ranking: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)

    program: Mapped[Program] = relationship(back_populates="rounds")
    tracks: Mapped[list[RoundTrack]] = relationship(back_populates="round", cascade="all, delete-orphan")


class RoundTrack(Base):
    """A round's own quota and budget for one track (None: the track's)."""

    __tablename__ = "round_track"
    __table_args__ = (UniqueConstraint("round_id", "track_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("program_round.id", ondelete="CASCADE"))
    track_id: Mapped[int] = mapped_column(ForeignKey("track.id", ondelete="CASCADE"))
    quota: Mapped[int | None] = mapped_column(Integer)
    budget: Mapped[int | None] = mapped_column(BigInteger)

    round: Mapped[Round] = relationship(back_populates="tracks")


class Application(Base):
    __tablename__ = "application"
    __table_args__ = (
        UniqueConstraint("program_id", "external_id"),
        Index("ix_application_track_status", "track_id", "status"),
        Index("ix_application_round_track", "round_id", "track_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    track_id: Mapped[int] = mapped_column(ForeignKey("track.id"))
    #: the round (차수) it is evaluated in (revision 0005)
    round_id: Mapped[int] = mapped_column(ForeignKey("program_round.id"))
    external_id: Mapped[str] = mapped_column(String(60))
    category: Mapped[str] = mapped_column(String(40), default="other")
    title: Mapped[str] = mapped_column(String(500))
    group_name: Mapped[str] = mapped_column(String(300), default="")
    representative: Mapped[str] = mapped_column(String(200), default="", info=PERSONAL)
    phone: Mapped[str] = mapped_column(String(60), default="", info=PERSONAL)
    email: Mapped[str] = mapped_column(String(200), default="", info=PERSONAL)
    district: Mapped[str] = mapped_column(String(40), default="", index=True)
    neighbourhood: Mapped[str] = mapped_column(String(80), default="")
    address: Mapped[str] = mapped_column(String(500), default="", info=PERSONAL)
    members: Mapped[int | None] = mapped_column(Integer)
    requested_amount: Mapped[int | None] = mapped_column(BigInteger)
    self_contribution: Mapped[int | None] = mapped_column(BigInteger)
    summary: Mapped[str] = mapped_column(Text, default="")
    submitted_on: Mapped[date | None]
    #: received | withdrawn (the ranking engine computes eligibility and decisions)
    status: Mapped[str] = mapped_column(String(20), default="received")
    #: why (a withdrawal's reason; revision 0005)
    status_reason: Mapped[str] = mapped_column(Text, default="")
    #: unknown intake columns kept aside: {header: value}
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: the program's typed intake fields: {key: value} (dates as ISO text; revision 0005)
    fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    #: when its personal data was destroyed (``evaluator purge``, ``subject delete``; revision 0006)
    purged_at: Mapped[datetime | None]

    track: Mapped[Track] = relationship()
    round: Mapped[Round] = relationship()
    assignments: Mapped[list[Assignment]] = relationship(back_populates="application")


class Evaluator(Base):
    __tablename__ = "evaluator"
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(300), default="")
    role: Mapped[str] = mapped_column(String(60), default="")
    email: Mapped[str] = mapped_column(String(200), default="", info=PERSONAL)
    #: where they live or work, and a phone (likely conflicts of interest are suggested from these; 0005)
    district: Mapped[str] = mapped_column(String(40), default="")
    phone: Mapped[str] = mapped_column(String(60), default="", info=PERSONAL)
    #: raw Ed25519 public key pinned by the office (None until registered)
    public_key: Mapped[bytes | None] = mapped_column(LargeBinary)
    key_fingerprint: Mapped[str | None] = mapped_column(String(80))
    key_registered_at: Mapped[datetime | None]
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Assignment(Base):
    """An evaluator × application pairing.  With ``conflict_type`` set it is a declared conflict
    of interest (a recusal by the office): the evaluator never receives or scores it."""

    __tablename__ = "assignment"
    __table_args__ = (UniqueConstraint("application_id", "evaluator_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"))
    evaluator_id: Mapped[int] = mapped_column(ForeignKey("evaluator.id", ondelete="CASCADE"), index=True)
    planned_visit_on: Mapped[date | None]
    conflict_type: Mapped[str | None] = mapped_column(String(30))
    conflict_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    application: Mapped[Application] = relationship(back_populates="assignments")
    evaluator: Mapped[Evaluator] = relationship()
    evaluation: Mapped[Evaluation | None] = relationship(back_populates="assignment", uselist=False)


class Evaluation(Base):
    """One evaluator's evaluation of one application: its state and abstention."""

    __tablename__ = "evaluation"
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"), unique=True)
    #: draft | finalised
    state: Mapped[str] = mapped_column(String(12), default="draft")
    finalised_at: Mapped[datetime | None]
    abstained: Mapped[bool] = mapped_column(Boolean, default=False)
    abstain_reason: Mapped[str] = mapped_column(Text, default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    #: per-record version: increases on every change (HotCRP-style edit-conflict detection)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    device: Mapped[str] = mapped_column(String(80), default="")
    #: fingerprint of the result package signature that brought this evaluation (office side)
    package_fingerprint: Mapped[str | None] = mapped_column(String(80))

    assignment: Mapped[Assignment] = relationship(back_populates="evaluation")
    scores: Mapped[list[Score]] = relationship(back_populates="evaluation", cascade="all, delete-orphan")


class Score(Base):
    __tablename__ = "score"
    __table_args__ = (UniqueConstraint("evaluation_id", "criterion_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criterion.id"))
    #: level key (levels scoring) or None (points scoring)
    level: Mapped[str | None] = mapped_column(String(10))
    #: points awarded (derived from the level for levels scoring); None = not scored yet
    points: Mapped[float | None] = mapped_column(Float)
    comment: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(40), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    device: Mapped[str] = mapped_column(String(80), default="")

    evaluation: Mapped[Evaluation] = relationship(back_populates="scores")
    criterion: Mapped[Criterion] = relationship()


class SiteVisit(Base):
    __tablename__ = "site_visit"
    __table_args__ = (UniqueConstraint("application_id", "evaluator_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"))
    evaluator_id: Mapped[int] = mapped_column(ForeignKey("evaluator.id", ondelete="CASCADE"))
    visited_at: Mapped[datetime | None]
    attendees: Mapped[str] = mapped_column(Text, default="")
    #: {checklist item code: true/false}
    checklist: Mapped[dict[str, Any]] = mapped_column(default=dict)
    notes: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    device: Mapped[str] = mapped_column(String(80), default="")


class GateResult(Base):
    """The recorded outcome of a manual eligibility gate (auto gates are computed)."""

    __tablename__ = "gate_result"
    __table_args__ = (UniqueConstraint("application_id", "gate_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"))
    gate_id: Mapped[int] = mapped_column(ForeignKey("eligibility_gate.id", ondelete="CASCADE"))
    passed: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Attachment(Base):
    """A photo or document: content-addressed, stored in the database (``data``) or beside it."""

    __tablename__ = "attachment"
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), index=True)
    evaluator_id: Mapped[int | None] = mapped_column(ForeignKey("evaluator.id", ondelete="SET NULL"))
    criterion_id: Mapped[int | None] = mapped_column(ForeignKey("criterion.id", ondelete="SET NULL"))
    #: a follow-up monitoring visit's photo (then ``application_id`` is the award's application);
    #: None for a scoring photo (an evaluation's)
    monitoring_visit_id: Mapped[int | None] = mapped_column(
        ForeignKey("monitoring_visit.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(300))
    media_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
    path: Mapped[str | None] = mapped_column(String(1000))
    caption: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)


class Decision(Base):
    """The committee's decision on an application: the last computed result and any override.

    The override is kept apart from the computed result and always shown beside it."""

    __tablename__ = "decision"
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), unique=True)
    #: selected | reserve | not_selected | ineligible
    computed: Mapped[str | None] = mapped_column(String(20))
    computed_reason: Mapped[str] = mapped_column(Text, default="")
    computed_rank: Mapped[int | None] = mapped_column(Integer)
    computed_score: Mapped[float | None] = mapped_column(Float)
    computed_method: Mapped[str | None] = mapped_column(String(20))
    computed_at: Mapped[datetime | None]
    override: Mapped[str | None] = mapped_column(String(20))
    override_reason: Mapped[str] = mapped_column(Text, default="")
    overridden_by: Mapped[str] = mapped_column(String(100), default="")
    overridden_at: Mapped[datetime | None]


class AuditEvent(Base):
    """Append-only, hash-chained log of every change: who, when, old and new, and why.

    No secondary indexes (revision 0003): entries are only ever appended and read in ``id`` order
    (the head is the last ``id``), and every change appends one, so each index keyed by a random
    value (``uuid``, ``hash``, ``entity_uuid``) would cost every autosave another page written.
    The chain (``prev_hash`` → ``hash``) is what makes each entry unique and fixes its place;
    :func:`evaluator.audit.verify` checks it."""

    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), default=new_uuid)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(100))
    device: Mapped[str] = mapped_column(String(80), default="")
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(40))
    entity_uuid: Mapped[str | None] = mapped_column(String(36))
    old: Mapped[Any] = mapped_column(JSON, nullable=True)
    new: Mapped[Any] = mapped_column(JSON, nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditAnchor(Base):
    """The audit chain's head signed with the database's own key (the office key at a merge, a kit
    export or a round sign-off; the evaluator's key at a package export) — see
    :mod:`evaluator.audit.anchors`.  Each anchor is also announced by an ``anchor`` entry in the
    chain, and signs exactly that entry's hash: removing, truncating or recomputing the chain up
    to there breaks the signature's match, and a removed anchor is missed by its entry."""

    __tablename__ = "audit_anchor"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: 1, 2, 3 … in the order they were signed
    sequence: Mapped[int] = mapped_column(Integer, unique=True)
    #: package_export | kit_export | merge | sign_off
    event: Mapped[str] = mapped_column(String(30))
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(100), default="")
    #: the ``anchor`` entry signed, its hash (the head) and how many entries the chain had with it
    entry_id: Mapped[int] = mapped_column(Integer)
    head: Mapped[str] = mapped_column(String(64))
    entries: Mapped[int] = mapped_column(Integer)
    #: the signing key (raw Ed25519 public key) and its fingerprint; the signature over
    #: :func:`evaluator.audit.anchors.message`
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    key_fingerprint: Mapped[str] = mapped_column(String(80))
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    #: what the event was about (package sequence, kit, round …): signed too
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class AuditSubject(Base):
    """A data subject of the redactable audit chain (revision 0006): one application's people.

    Entries never hold a personal value itself: they hold its commitment, HMAC-SHA256 under this
    subject's secret ``salt`` (:mod:`evaluator.audit.personal`), and the value sits in
    :class:`AuditPersonal`.  Purging the subject deletes its values and its salt; what is left in
    the chain (the commitments) then says nothing about what they were, and still verifies."""

    __tablename__ = "audit_subject"
    subject: Mapped[str] = mapped_column(String(36), primary_key=True)
    #: 32 random bytes; None once the subject's values were purged
    salt: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    purged_at: Mapped[datetime | None]
    #: the purge record (``purge_record.uuid``) that destroyed the values
    purge: Mapped[str | None] = mapped_column(String(36))


class AuditPersonal(Base):
    """A personal value an audit entry commits to (by ``digest``), until its subject is purged."""

    __tablename__ = "audit_personal"
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    subject: Mapped[str] = mapped_column(String(36), index=True)
    value: Mapped[Any] = mapped_column(JSON)


class PackageReceipt(Base):
    """A result package the office merged (for idempotence, replay detection and the report)."""

    __tablename__ = "package_receipt"
    __table_args__ = (UniqueConstraint("evaluator_id", "device", "sequence"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    evaluator_id: Mapped[int] = mapped_column(ForeignKey("evaluator.id"))
    device: Mapped[str] = mapped_column(String(80))
    sequence: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    signature_fingerprint: Mapped[str] = mapped_column(String(80), default="")
    manifest: Mapped[dict[str, Any]] = mapped_column(default=dict)
    report: Mapped[dict[str, Any]] = mapped_column(default=dict)
    merged_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- after selection: awards, disbursements, the support log, monitoring visits (revision 0007) -------
class Award(Base):
    """The grant an application was awarded when its round was signed off (or when it stepped in
    for a selected group that withdrew): the amount, the agreement and project period, its status
    (agreed | in_progress | completed | withdrawn | cancelled) and the settlement (정산) at the end."""

    __tablename__ = "award"
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), unique=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(20), default="agreed")
    status_reason: Mapped[str] = mapped_column(Text, default="")
    agreed_on: Mapped[date | None]
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    #: the application (its external id) this award replaced as a reserve stepping in ("" if none)
    stepped_in_for: Mapped[str] = mapped_column(String(60), default="")
    #: settlement (정산): "" | submitted | checked, and the amount returned if any
    settlement: Mapped[str] = mapped_column(String(20), default="")
    returned_amount: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    application: Mapped[Application] = relationship()
    disbursements: Mapped[list[Disbursement]] = relationship(back_populates="award", order_by="Disbursement.tranche",
                                                             cascade="all, delete-orphan")


class Disbursement(Base):
    """One tranche paid out of an award: never more, in total, than the awarded amount."""

    __tablename__ = "disbursement"
    __table_args__ = (UniqueConstraint("award_id", "tranche"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    award_id: Mapped[int] = mapped_column(ForeignKey("award.id", ondelete="CASCADE"))
    tranche: Mapped[int] = mapped_column(Integer)
    paid_on: Mapped[date]
    amount: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    award: Mapped[Award] = relationship(back_populates="disbursements")


class SupportEntry(Base):
    """A training, consulting or counselling session given to an awarded group (the support log)."""

    __tablename__ = "support_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    award_id: Mapped[int] = mapped_column(ForeignKey("award.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date]
    #: training | consulting | counselling
    kind: Mapped[str] = mapped_column(String(20))
    topic: Mapped[str] = mapped_column(String(300))
    given_by: Mapped[str] = mapped_column(String(200), default="")
    attendees: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MonitoringVisit(Base):
    """A follow-up monitoring visit to an awarded project (visit 1, 2, 3 … per award): planned by
    the program's monitoring plan and assigned to a visitor, then recorded in the field (checklist,
    ratings by the track's monitoring rubric, findings, required actions with due dates) and
    brought back in a signed package."""

    __tablename__ = "monitoring_visit"
    __table_args__ = (UniqueConstraint("award_id", "sequence"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    award_id: Mapped[int] = mapped_column(ForeignKey("award.id", ondelete="CASCADE"))
    evaluator_id: Mapped[int | None] = mapped_column(ForeignKey("evaluator.id", ondelete="SET NULL"), index=True)
    #: visit 1, 2, 3 … of this award
    sequence: Mapped[int] = mapped_column(Integer)
    #: the plan's visit (``mid``, ``final`` …; "" for a visit beyond the plan)
    plan_code: Mapped[str] = mapped_column(String(40), default="")
    due_on: Mapped[date | None]
    #: planned | draft | finalised
    state: Mapped[str] = mapped_column(String(12), default="planned")
    visited_at: Mapped[datetime | None]
    attendees: Mapped[str] = mapped_column(Text, default="")
    #: {checklist item: true/false}
    checklist: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: {criterion: level key}
    ratings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    findings: Mapped[str] = mapped_column(Text, default="")
    #: required actions: [{"text", "due_on", "done"}]
    actions: Mapped[list[Any]] = mapped_column(default=list)
    #: the monitoring rubric's content hash the visit was recorded with
    rubric_hash: Mapped[str] = mapped_column(String(64), default="")
    finalised_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    device: Mapped[str] = mapped_column(String(80), default="")
    package_fingerprint: Mapped[str | None] = mapped_column(String(80))
