"""Tables the merge needs beside the core schema (office side).

* :class:`PackageEvidence` keeps, for each merged result package, the exact signed manifest, its
  signature, the data it carried and the evaluator's audit trail from the laptop (both still
  compressed as they came), so the office can re-verify later what it merged — signature, hashes
  and the laptop's hash chain — and read the laptop's history.
* :class:`MergeLineage` remembers, per merged record and device, the last version merged and its
  content hash: a newer version from the same device supersedes the office's value only if the
  office still holds that device's previous value (otherwise somebody else changed it meanwhile
  and it is a conflict).  It also makes re-sent, unchanged records cost nothing.
* :class:`MergeConflict` is one conflict found by a merge, with both values, the rule's choice and
  the office's later resolution.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db.models import Base, new_uuid, utcnow


class PackageEvidence(Base):
    __tablename__ = "package_evidence"
    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_id: Mapped[int] = mapped_column(ForeignKey("package_receipt.id", ondelete="CASCADE"), unique=True)
    #: the manifest exactly as signed (bytes of manifest.json)
    manifest: Mapped[bytes] = mapped_column(LargeBinary)
    #: raw Ed25519 signature over the manifest
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    #: the package's data.json and audit.json members as stored in its archive (ZIP compression
    #: method 0 = stored, 8 = raw deflate); their SHA-256 are in the signed manifest
    data: Mapped[bytes] = mapped_column(LargeBinary)
    data_method: Mapped[int] = mapped_column(Integer, default=8)
    audit_trail: Mapped[bytes] = mapped_column(LargeBinary)
    audit_method: Mapped[int] = mapped_column(Integer, default=8)
    audit_entries: Mapped[int] = mapped_column(Integer, default=0)
    audit_head: Mapped[str] = mapped_column(String(64), default="")
    #: set when a purge re-wrote ``data`` and ``audit_trail`` without the purged people's values
    #: (revision 0006): {"purge": uuid, "at": iso time, "data_sha256": …, "audit_sha256": …}
    redacted: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class MergeLineage(Base):
    __tablename__ = "merge_lineage"
    __table_args__ = (UniqueConstraint("entity", "record_id", "device"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    #: evaluation | site_visit
    entity: Mapped[str] = mapped_column(String(20))
    #: id of the office row (evaluation.id or site_visit.id)
    record_id: Mapped[int] = mapped_column(Integer)
    evaluator_id: Mapped[int] = mapped_column(ForeignKey("evaluator.id", ondelete="CASCADE"), index=True)
    device: Mapped[str] = mapped_column(String(80))
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))


class MergeConflict(Base):
    __tablename__ = "merge_conflict"
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    receipt_id: Mapped[int | None] = mapped_column(ForeignKey("package_receipt.id", ondelete="SET NULL"))
    evaluator_id: Mapped[int] = mapped_column(ForeignKey("evaluator.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"))
    #: evaluation | site_visit
    entity: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[int] = mapped_column(Integer)
    #: the value the rule kept (now in the database) and the other one: {device, version, updated_at, values}
    kept: Mapped[dict[str, Any]] = mapped_column(JSON)
    other: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: which side the rule kept: "office" (the value already there) or "package" (the incoming one)
    kept_from: Mapped[str] = mapped_column(String(10))
    rule: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: None while open; "kept" or "other" once the office decided
    resolution: Mapped[str | None] = mapped_column(String(10))
    resolved_by: Mapped[str] = mapped_column(String(100), default="")
    resolved_at: Mapped[datetime | None]
    resolution_reason: Mapped[str] = mapped_column(Text, default="")
