"""Merge receipts: the office's signed word that a laptop's package is merged, so that the laptop
may destroy its field database (``evaluator kit retire``).

The office signs, with its key, which package of which laptop it merged (evaluator, the laptop's
device id, the package's number and SHA-256) into which office database.  The laptop checks the
receipt against what it knows itself: the office key its kit pinned, its own device id, the number
and hash of the last package it exported — and that nothing changed after that export.  Only then
are the field database, its WAL and shared-memory files and its backups destroyed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db.models import AuditEvent, utcnow
from ..db.settings import get_setting
from ..errors import ValidationError

FORMAT = "maeul-evaluator-merge-receipt"
CONTEXT = b"maeul-evaluator merge receipt v1\n"
MAX_BYTES = 64 * 1024


class ReceiptRefused(ValidationError):
    """The receipt does not let this laptop destroy its field database (nothing was destroyed)."""

    exit_code = 2


@dataclass(frozen=True)
class Receipt:
    evaluator: str
    device: str
    sequence: int
    package_sha256: str
    merged_at: str
    office_database: str
    office_fingerprint: str
    issued_at: str
    issued_by: str
    signature: str = ""

    def body(self) -> dict[str, Any]:
        return {"format": FORMAT, "format_version": 1, "evaluator": self.evaluator, "device": self.device,
                "sequence": self.sequence, "package_sha256": self.package_sha256, "merged_at": self.merged_at,
                "office_database": self.office_database, "office_fingerprint": self.office_fingerprint,
                "issued_at": self.issued_at, "issued_by": self.issued_by}

    def message(self) -> bytes:
        return CONTEXT + json.dumps(self.body(), sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def issue(identity: Any, *, evaluator: str, device: str, sequence: int, package_sha256: str, merged_at: datetime,
          office_database: str, issued_by: str) -> Receipt:
    from ..packages.keys import b64

    r = Receipt(evaluator=evaluator, device=device, sequence=sequence, package_sha256=package_sha256,
                merged_at=merged_at.isoformat(timespec="seconds"), office_database=office_database,
                office_fingerprint=identity.fingerprint, issued_at=utcnow().isoformat(timespec="seconds"),
                issued_by=issued_by)
    return replace(r, signature=b64(identity.sign(r.message())))


def to_json(r: Receipt) -> bytes:
    return (json.dumps({**r.body(), "signature": r.signature}, ensure_ascii=False, indent=2) + "\n").encode()


def read(path: str | Path) -> Receipt:
    p = Path(path)
    try:
        with open(p, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ReceiptRefused(f"The receipt {p} cannot be read ({exc.strerror or exc}); nothing was destroyed.") from None
    if len(data) > MAX_BYTES:
        raise ReceiptRefused(f"{p} is too large to be a merge receipt; nothing was destroyed.")
    try:
        doc = json.loads(data)
        if doc.get("format") != FORMAT or doc.get("format_version") != 1:
            raise ValueError("format")
        return Receipt(evaluator=str(doc["evaluator"]), device=str(doc["device"]), sequence=int(doc["sequence"]),
                       package_sha256=str(doc["package_sha256"]), merged_at=str(doc["merged_at"]),
                       office_database=str(doc["office_database"]), office_fingerprint=str(doc["office_fingerprint"]),
                       issued_at=str(doc["issued_at"]), issued_by=str(doc["issued_by"]), signature=str(doc["signature"]))
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise ReceiptRefused(f"{p} is not a merge receipt written by Maeul Evaluator; nothing was destroyed.") from None


@dataclass(frozen=True)
class RetireCheck:
    """What a laptop knows against the receipt: its kit, device and last package."""

    evaluator: str
    device: str
    sequence: int
    receipt: Receipt


def check(s: Session, r: Receipt, *, device: str, where: str) -> RetireCheck:
    """The receipt against this field database (raises :class:`ReceiptRefused` saying why)."""
    from ..packages.keys import KeyProblem, unb64, verify_signature
    from ..packages.kit import FIELD_KIT, OFFICE_KEYS
    from ..packages.package import PACKAGE_SEQUENCE

    if get_setting(s, "role") != "field":
        raise ReceiptRefused(f"{where} is an office database; 'kit retire' destroys a laptop's field database.")
    kit = get_setting(s, FIELD_KIT) or {}
    office = get_setting(s, OFFICE_KEYS) or {}
    try:
        public = unb64(office.get("signing_public"), "The office signing key", 32)
    except KeyProblem:
        raise ReceiptRefused(f"{where} holds no office key to check the receipt with; nothing was destroyed.") from None
    try:
        signature = unb64(r.signature, "The receipt's signature", 64)
    except KeyProblem:
        signature = b""
    if office.get("fingerprint") != r.office_fingerprint or not verify_signature(public, signature, r.message()):
        raise ReceiptRefused("The receipt is not signed by the office key this laptop's kit came with; nothing was "
                             "destroyed.")
    if r.evaluator != kit.get("evaluator") or r.device != device:
        raise ReceiptRefused(f"The receipt is for {r.evaluator}'s laptop {r.device[:8]}, not for this one "
                             f"({kit.get('evaluator')}, {device[:8]}); nothing was destroyed.")
    sequence = int(get_setting(s, PACKAGE_SEQUENCE, 0) or 0)
    last = s.execute(select(AuditEvent.id, AuditEvent.new).where(AuditEvent.action == "export_package")
                     .order_by(AuditEvent.id.desc()).limit(1)).first()
    if last is None or sequence == 0:
        raise ReceiptRefused(f"{where} never exported a result package; nothing was destroyed.")
    if r.sequence != sequence or (last.new or {}).get("sha256") != r.package_sha256:
        raise ReceiptRefused(f"The office confirms package {r.sequence}, but this laptop's last package is number "
                             f"{sequence}; export it again, have the office merge it and bring its receipt. Nothing "
                             "was destroyed.")
    later = s.execute(select(AuditEvent.action).where(AuditEvent.id > last.id).limit(1)).scalar()
    if later is not None:
        raise ReceiptRefused(f"{where} was changed after package {sequence} was exported ({later}); export a new "
                             "package, have the office merge it and bring its receipt. Nothing was destroyed.")
    return RetireCheck(evaluator=r.evaluator, device=device, sequence=sequence, receipt=r)


__all__ = ["FORMAT", "Receipt", "ReceiptRefused", "RetireCheck", "check", "issue", "read", "to_json"]
