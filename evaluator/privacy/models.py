"""Tables of the privacy area (schema revision 0006).

* :class:`AccessEvent` — the access log: every view, print, export and download of personal data,
  hash-chained like the audit trail (:mod:`evaluator.privacy.access`).
* :class:`PurgeRecord` — what a purge (or a subject deletion, or the access log's own pruning)
  destroyed, when, by whom and under which rule — never the data itself.
* :class:`OfficePerson` — the people who act on a SQLite office database (name and role), chosen or
  created when a session starts; on PostgreSQL the database login is the identity instead.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db.models import Base, new_uuid, utcnow


class AccessEvent(Base):
    """One access to personal data: who (name, role, operating-system account or database login),
    when, what (action and output kind), which applications, the output's fingerprint and the reason."""

    __tablename__ = "access_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), default=new_uuid)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(30), default="")
    account: Mapped[str] = mapped_column(String(200), default="")
    device: Mapped[str] = mapped_column(String(80), default="")
    #: view | print | export | kit | subject_export | review
    action: Mapped[str] = mapped_column(String(30))
    #: the output: "dossier", "filled sheets", "scores workbook", "kit EV01" …
    what: Mapped[str] = mapped_column(String(200), default="")
    #: the application IDs concerned (external IDs), and how many
    subjects: Mapped[list[Any]] = mapped_column(JSON, default=list)
    subject_count: Mapped[int] = mapped_column(Integer, default=0)
    #: the personal fields the output carried (representative, phone, …)
    fields: Mapped[list[Any]] = mapped_column(JSON, default=list)
    #: SHA-256 of the file written ("" for a view on screen)
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class PurgeRecord(Base):
    """What was destroyed (application IDs, record counts, files), when, by whom, under which rule."""

    __tablename__ = "purge_record"
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(200), default="")
    #: purge | subject_delete | access_log
    kind: Mapped[str] = mapped_column(String(30), default="purge")
    #: the retention rule applied ("not_selected: 1 year after sign-off", a subject's request …)
    rule: Mapped[str] = mapped_column(Text, default="")
    subjects: Mapped[list[Any]] = mapped_column(JSON, default=list)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    files: Mapped[list[Any]] = mapped_column(JSON, default=list)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class OfficePerson(Base):
    """Someone who acts on this (SQLite) database: chosen or created at the start of a session."""

    __tablename__ = "office_person"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    #: coordinator | chair | viewer
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


__all__ = ["AccessEvent", "PurgeRecord", "OfficePerson"]
