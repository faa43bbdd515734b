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
from ..messages import Message, msg

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
        raise ReceiptRefused(msg("privacy.receipt_unreadable", "The receipt {path} cannot be read ({error}); nothing "
                                 "was destroyed.", path=str(p), error=str(exc.strerror or exc))) from None
    if len(data) > MAX_BYTES:
        raise ReceiptRefused(msg("privacy.receipt_too_large", "{path} is too large to be a merge receipt; nothing was "
                                 "destroyed.", path=str(p)))
    try:
        doc = json.loads(data)
        if doc.get("format") != FORMAT or doc.get("format_version") != 1:
            raise ValueError("format")
        return Receipt(evaluator=str(doc["evaluator"]), device=str(doc["device"]), sequence=int(doc["sequence"]),
                       package_sha256=str(doc["package_sha256"]), merged_at=str(doc["merged_at"]),
                       office_database=str(doc["office_database"]), office_fingerprint=str(doc["office_fingerprint"]),
                       issued_at=str(doc["issued_at"]), issued_by=str(doc["issued_by"]), signature=str(doc["signature"]))
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise ReceiptRefused(msg("privacy.not_a_receipt", "{path} is not a merge receipt written by Maeul Evaluator; "
                                 "nothing was destroyed.", path=str(p))) from None


@dataclass(frozen=True)
class RetireCheck:
    """What a laptop knows against the receipt: its kit, device and last package."""

    evaluator: str
    device: str
    sequence: int
    receipt: Receipt


def check(s: Session, r: Receipt, *, device: str, where: str | Message) -> RetireCheck:
    """The receipt against this field database (raises :class:`ReceiptRefused` saying why)."""
    from ..packages.keys import KeyProblem, unb64, verify_signature
    from ..packages.kit import FIELD_KIT, OFFICE_KEYS
    from ..packages.package import PACKAGE_SEQUENCE

    if get_setting(s, "role") != "field":
        raise ReceiptRefused(msg("privacy.retire_office_database", "{where} is an office database; 'kit retire' "
                                 "destroys a laptop's field database.", where=where))
    kit = get_setting(s, FIELD_KIT) or {}
    office = get_setting(s, OFFICE_KEYS) or {}
    try:
        public = unb64(office.get("signing_public"), "The office signing key", 32)
    except KeyProblem:
        raise ReceiptRefused(msg("privacy.retire_no_office_key", "{where} holds no office key to check the receipt "
                                 "with; nothing was destroyed.", where=where)) from None
    try:
        signature = unb64(r.signature, "The receipt's signature", 64)
    except KeyProblem:
        signature = b""
    if office.get("fingerprint") != r.office_fingerprint or not verify_signature(public, signature, r.message()):
        raise ReceiptRefused(msg("privacy.receipt_not_signed", "The receipt is not signed by the office key this "
                                 "laptop's kit came with; nothing was destroyed."))
    if r.evaluator != kit.get("evaluator") or r.device != device:
        raise ReceiptRefused(msg("privacy.receipt_other_laptop", "The receipt is for {evaluator}'s laptop {device}, "
                                 "not for this one ({own_evaluator}, {own_device}); nothing was destroyed.",
                                 evaluator=r.evaluator, device=r.device[:8], own_evaluator=kit.get("evaluator"),
                                 own_device=device[:8]))
    sequence = int(get_setting(s, PACKAGE_SEQUENCE, 0) or 0)
    last = s.execute(select(AuditEvent.id, AuditEvent.new).where(AuditEvent.action == "export_package")
                     .order_by(AuditEvent.id.desc()).limit(1)).first()
    if last is None or sequence == 0:
        raise ReceiptRefused(msg("privacy.retire_never_exported", "{where} never exported a result package; nothing "
                                 "was destroyed.", where=where))
    if r.sequence != sequence or (last.new or {}).get("sha256") != r.package_sha256:
        raise ReceiptRefused(msg("privacy.receipt_other_package", "The office confirms package {confirmed}, but this "
                                 "laptop's last package is number {sequence}; export it again, have the office merge "
                                 "it and bring its receipt. Nothing was destroyed.", confirmed=r.sequence,
                                 sequence=sequence))
    later = s.execute(select(AuditEvent.action).where(AuditEvent.id > last.id).limit(1)).scalar()
    if later is not None:
        raise ReceiptRefused(msg("privacy.retire_changed_since", "{where} was changed after package {sequence} was "
                                 "exported ({action}); export a new package, have the office merge it and bring its "
                                 "receipt. Nothing was destroyed.", where=where, sequence=sequence, action=later))
    return RetireCheck(evaluator=r.evaluator, device=device, sequence=sequence, receipt=r)


__all__ = ["FORMAT", "Receipt", "ReceiptRefused", "RetireCheck", "check", "issue", "read", "to_json"]
