"""Plain values the package façade hands out (frozen dataclasses)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..messages import msg

#: merge report statuses
MERGED = "merged"
UNCHANGED = "unchanged"
REJECTED = "rejected"


@dataclass(frozen=True)
class KitInfo:
    """A field kit as exported (office) or imported (field)."""

    path: str
    program: str
    program_uuid: str
    evaluator: str
    sequence: int
    applications: tuple[str, ...]
    include_personal: bool
    office_fingerprint: str
    rubrics: dict = field(default_factory=dict, hash=False, compare=False)  # rubric code -> version
    created_at: datetime | None = None
    #: exported | created (new field database) | updated | unchanged (same kit again)
    status: str = "exported"
    database: str | None = None
    #: "" for a plain kit; how a kit with personal data is encrypted (to the evaluator's key, or
    #: with the office's kit passphrase)
    protection: str = ""


@dataclass(frozen=True)
class PackageInfo:
    """A result package written on the laptop."""

    path: str
    evaluator: str
    device: str
    sequence: int
    created_at: datetime
    evaluations: int
    finalised: int
    scores: int
    site_visits: int
    attachments: int
    audit_entries: int
    size: int
    sha256: str
    #: fingerprint of the package's signature (shown on both sides to match a package)
    fingerprint: str
    signer_fingerprint: str
    office_fingerprint: str
    #: the follow-up the package carries: monitoring visits and their photos (docs/follow-up.md)
    monitoring_visits: int = 0
    monitoring_photos: int = 0


@dataclass(frozen=True)
class ConflictSide:
    device: str
    version: int
    updated_at: str | None
    values: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class ConflictInfo:
    """The same record changed in two places: both values, which one the rule kept, and why."""

    id: int
    application_id: str
    evaluator: str
    record: str  # evaluation | site_visit
    kept: ConflictSide
    other: ConflictSide
    kept_from: str  # office (the value already merged) | package (the incoming value)
    rule: str
    resolution: str | None = None  # None while open; kept | other
    resolved_by: str = ""
    resolution_reason: str = ""


@dataclass(frozen=True)
class MergeReport:
    """What one package did to the office database (or why it was rejected)."""

    path: str
    status: str  # merged | unchanged | rejected
    reason: str = ""
    evaluator: str | None = None
    device: str | None = None
    sequence: int | None = None
    fingerprint: str = ""
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    #: {"evaluations"|"scores"|"site_visits"|"attachments": {"added": n, "updated": n, "unchanged": n}}
    counts: dict = field(default_factory=dict, hash=False, compare=False)
    conflicts: tuple[ConflictInfo, ...] = ()
    #: records left out with the reason (e.g. a conflict of interest declared after the kit)
    skipped: tuple[str, ...] = ()

    @property
    def rejected(self) -> bool:
        return self.status == REJECTED

    def summary(self) -> str:
        """One line for the person merging, in the language in effect."""
        who = f"{self.evaluator} #{self.sequence}" if self.evaluator else ""
        if self.status == REJECTED:
            return str(msg("merge_report.rejected", "{path}: REJECTED — {reason}", path=self.path, reason=self.reason))
        if self.status == UNCHANGED:
            return str(msg("merge_report.unchanged", "{path}: {who} unchanged — {reason}", path=self.path, who=who,
                           reason=self.reason or msg("merge_report.already_merged", "already merged")))
        counts = dict(path=self.path, who=who, added=self.added, updated=self.updated, unchanged=self.unchanged,
                      conflicts=len(self.conflicts), skipped=len(self.skipped))
        if self.skipped:
            line = msg("merge_report.merged_skipped", "{path}: {who} merged — {added} added, {updated} updated, "
                       "{unchanged} unchanged, {conflicts} {conflicts:conflict|conflicts}, {skipped} skipped", **counts)
        else:
            line = msg("merge_report.merged", "{path}: {who} merged — {added} added, {updated} updated, {unchanged} "
                       "unchanged, {conflicts} {conflicts:conflict|conflicts}", **counts)
        visits, photos = self.counts.get("monitoring_visits"), self.counts.get("monitoring_photos")
        if visits or photos:  # (the totals above are the evaluation's records)
            visits, photos = visits or {}, photos or {}
            line = msg("merge_report.monitoring", "{line}; monitoring visits: {added} added, {updated} updated, "
                       "{unchanged} unchanged; monitoring photos: {photos} added", line=line,
                       added=visits.get("added", 0), updated=visits.get("updated", 0),
                       unchanged=visits.get("unchanged", 0), photos=photos.get("added", 0))
        return str(line)


@dataclass(frozen=True)
class ReceiptInfo:
    """A package the office merged."""

    uuid: str
    evaluator: str
    device: str
    sequence: int
    sha256: str
    fingerprint: str
    merged_at: datetime
    report: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class AttachmentInfo:
    uuid: str
    application_id: str
    evaluator: str | None
    criterion: str | None
    filename: str
    media_type: str
    sha256: str
    size: int
    caption: str
    created_at: datetime | None


@dataclass(frozen=True)
class EvidenceCheck:
    """A merged package checked again from what the office kept."""

    receipt: str
    evaluator: str
    device: str
    sequence: int
    fingerprint: str
    ok: bool
    problem: str = ""
    audit_entries: int = 0
    #: "" — or when and by which purge the kept data and trail were re-written without the purged
    #: people's records (then only the signature over the manifest can still be checked)
    redacted: str = ""
