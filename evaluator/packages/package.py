"""Result packages (evaluator → office): built on the laptop from the field database.

The inner archive (see docs/package-format.md) holds ``manifest.json`` (format, program, rubric
hashes, evaluator, signer key, device, sequence number, creation time, every other member's SHA-256
and size), ``manifest.sig`` (the evaluator's Ed25519 signature over the manifest), ``data.json``
(evaluations with their state, abstention and scores; site visits with checklist answers;
attachment records), ``audit.json`` (the laptop's whole hash-chained audit trail) and
``attachments/SHA256`` (photo bytes).  The archive is then encrypted to the office
(:mod:`evaluator.packages.envelope`).  A package is a full snapshot: a later one supersedes an
earlier one, so the evaluator can make one again at any time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..audit import signing
from ..db.models import Application, Assignment, Attachment, AuditEvent, Criterion, Evaluation, Score, SiteVisit, utcnow
from ..domain import FIELD, FINALISED
from ..errors import EvaluatorError, PermissionDenied
from ..messages import msg
from ..monitoring import fieldwork
from ..monitoring import photos as monitoring_photos
from ..services.common import current_program, evaluator_by_code, get_setting, set_setting
from ..version import __version__
from . import formats as F
from .archive import Deflated, deflated, stored_member, write_archive
from .envelope import seal
from .errors import KeyProblem
from .keys import Identity, KeyInfo, b64, key_fingerprint, signature_fingerprint, unb64
from .kit import FIELD_KIT, OFFICE_KEYS
from .results import PackageInfo

PACKAGE_SEQUENCE = "package_sequence"


def field_office_key(s: Session) -> KeyInfo:
    doc = get_setting(s, OFFICE_KEYS)
    if not doc:
        raise PermissionDenied(msg("export.no_kit", "This database has no kit yet: import the kit from the office "
                                   "first."))
    sp = unb64(doc["signing_public"], msg("keys.office_signing_key", "The office signing key"), 32)
    ep = unb64(doc["encryption_public"], msg("keys.office_encryption_key", "The office encryption key"), 32)
    return KeyInfo("office", "office", sp, ep, key_fingerprint(sp, ep))


def audit_entries(s: Session) -> list[dict[str, Any]]:
    """The whole audit trail as JSON-ready dicts (``at`` in the exact form the hashes use)."""
    out = []
    for ev in s.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars():
        out.append({
            "id": ev.id, "uuid": ev.uuid, "at": F.iso(ev.at), "actor": ev.actor, "device": ev.device or "",
            "action": ev.action, "entity": ev.entity, "entity_uuid": ev.entity_uuid, "old": ev.old, "new": ev.new,
            "reason": ev.reason or "", "prev_hash": ev.prev_hash, "hash": ev.hash,
        })
    return out


def _attachment_bytes(a: Attachment) -> bytes:
    if a.data is not None:
        return bytes(a.data)
    if a.path:
        try:
            return Path(a.path).read_bytes()
        except OSError as exc:
            raise EvaluatorError(msg("export.photo_unreadable", "The photo {name} ({path}) cannot be read: {reason}; "
                                     "nothing was exported.", name=a.filename, path=a.path,
                                     reason=exc.strerror)) from None
    raise EvaluatorError(msg("export.photo_empty", "The photo {name} has no content; nothing was exported.",
                             name=a.filename))


def build_package(s: Session, identity: Identity, *, device: str) -> tuple[bytes, PackageInfo]:
    """The package of this field database (bumps its sequence number; call inside a write)."""
    if get_setting(s, "role") != FIELD:
        raise PermissionDenied(msg("export.on_field_database", "Result packages are made on a field database "
                                   "(imported from a kit); this is an office database."))
    kit = get_setting(s, FIELD_KIT)
    if not kit:
        raise PermissionDenied(msg("export.no_kit", "This database has no kit yet: import the kit from the office "
                                   "first."))
    office = field_office_key(s)
    code = kit["evaluator"]
    if identity.owner != code:
        raise KeyProblem(msg("export.key_of_another", "The key {fingerprint} belongs to {owner}, not to {evaluator}.",
                             fingerprint=identity.fingerprint, owner=identity.owner, evaluator=code))
    p = current_program(s)
    ev = evaluator_by_code(s, code)
    sequence = int(get_setting(s, PACKAGE_SEQUENCE, 0) or 0) + 1
    set_setting(s, PACKAGE_SEQUENCE, sequence)
    # the whole audit check (chain, anchors, every record replayed), then the head signed: refused
    # when anything fails ("The audit trail of this field database is broken (…); no package was made.")
    anchor = signing.at_package_export(s, identity, sequence=sequence, actor=identity.owner, device=device)

    evals = s.execute(
        select(Evaluation, Application.external_id)
        .join(Assignment, Assignment.id == Evaluation.assignment_id)
        .join(Application, Application.id == Assignment.application_id)
        .where(Assignment.evaluator_id == ev.id, Assignment.conflict_type.is_(None))
        .order_by(Application.external_id)
    ).all()
    by_eval: dict[int, list[dict[str, Any]]] = {e.id: [] for e, _ in evals}
    for sc, crit in s.execute(
        select(Score, Criterion.code)
        .join(Criterion, Criterion.id == Score.criterion_id)
        .join(Evaluation, Evaluation.id == Score.evaluation_id)
        .join(Assignment, Assignment.id == Evaluation.assignment_id)
        .where(Assignment.evaluator_id == ev.id, Assignment.conflict_type.is_(None))
        .order_by(Score.evaluation_id, Criterion.position)
    ).all():
        by_eval[sc.evaluation_id].append(
            [sc.uuid, crit, sc.level, sc.points, sc.comment or "", sc.version, F.iso(sc.updated_at)])
    evaluations = [{
        "uuid": e.uuid, "application": ext, "state": e.state, "finalised_at": F.iso(e.finalised_at),
        "abstained": bool(e.abstained), "abstain_reason": e.abstain_reason or "", "comment": e.comment or "",
        "version": e.version, "updated_at": F.iso(e.updated_at), "scores": by_eval[e.id],
    } for e, ext in evals]
    visits = [{
        "uuid": v.uuid, "application": ext, "visited_at": F.iso(v.visited_at), "attendees": v.attendees or "",
        "checklist": dict(v.checklist or {}), "notes": v.notes or "", "version": v.version,
        "updated_at": F.iso(v.updated_at),
    } for v, ext in s.execute(
        select(SiteVisit, Application.external_id)
        .join(Application, Application.id == SiteVisit.application_id)
        .join(Assignment, (Assignment.application_id == SiteVisit.application_id)
              & (Assignment.evaluator_id == SiteVisit.evaluator_id))
        .where(SiteVisit.evaluator_id == ev.id, Assignment.conflict_type.is_(None))
        .order_by(Application.external_id)
    ).all()]
    attachments, blobs = [], {}
    for a, ext, crit in s.execute(
        select(Attachment, Application.external_id, Criterion.code)
        .join(Application, Application.id == Attachment.application_id)
        .outerjoin(Criterion, Criterion.id == Attachment.criterion_id)
        .where(Attachment.evaluator_id == ev.id, Attachment.monitoring_visit_id.is_(None))  # scoring photos
        .order_by(Attachment.id)
    ).all():
        if a.deleted:  # a deleted photo travels as its record only: its bytes are gone
            digest, size = a.sha256, int(a.size or 0)
        else:
            body = _attachment_bytes(a)
            digest, size = F.sha256(body), len(body)
            blobs[f"attachments/{digest}"] = body
        attachments.append({
            "uuid": a.uuid, "application": ext, "criterion": crit, "filename": a.filename,
            "media_type": a.media_type, "sha256": digest, "size": size, "caption": a.caption or "",
            "created_at": F.iso(a.created_at), "deleted": bool(a.deleted),
        })
    trail = audit_entries(s)
    data = {"program": p.uuid, "evaluator": code, "device": device, "score_columns": list(F.SCORE_COLUMNS),
            "evaluations": evaluations,
            "site_visits": visits, "attachments": attachments}
    monitoring_visits = fieldwork.package_part(s, ev)  # the visitor's monitoring visits (docs/follow-up.md)
    photos: list = []
    if monitoring_visits:
        data["monitoring_visits"] = monitoring_visits
        photos = monitoring_photos.package_part(s, ev, blobs, _attachment_bytes)  # their photos, bytes in blobs
        if photos:
            data["monitoring_photos"] = photos
    trail_bytes = F.dumps(trail)
    members: list[tuple[str, bytes | Deflated, bool]] = [("data.json", F.dumps(data), True),
                                                         ("audit.json", trail_bytes, True)]
    members += [(name, body, False) for name, body in sorted(blobs.items())]
    listed = {name: {"sha256": F.sha256(body), "size": len(body)} for name, body, _ in members}
    # (format version 2: the trail also as the archive stores it, so the office merges without
    # inflating it; compressed once, and written into the archive so)
    trail_deflated = deflated(trail_bytes)
    trail_stored = trail_deflated.stored
    listed["audit.json"]["stored"] = {"sha256": F.sha256(trail_stored), "size": len(trail_stored)}
    members[1] = ("audit.json", trail_deflated, True)
    created = utcnow()
    n_scores = sum(1 for e in evaluations for sc in e["scores"] if sc[3] is not None)
    counts = {"evaluations": len(evaluations), "finalised": sum(1 for e in evaluations if e["state"] == FINALISED),
              "scores": n_scores, "site_visits": len(visits), "attachments": len(attachments),
              "audit_entries": len(trail)}
    manifest = {
        "format": F.PACKAGE_FORMAT, "format_version": F.PACKAGE_VERSION, "app_version": __version__,
        "program": {"uuid": p.uuid, "code": p.code},
        "rubrics": {t.rubric.code: t.rubric.content_hash for t in p.tracks},
        "evaluator": {"code": code, "uuid": ev.uuid},
        "signer": {"public_key": b64(identity.info.signing_public), "fingerprint": identity.fingerprint},
        "office_fingerprint": office.fingerprint, "device": device, "sequence": sequence,
        "kit_sequence": int(kit.get("sequence", 0)), "created_at": F.iso(created), "counts": counts,
        "audit_head": trail[-1]["hash"] if trail else audit.GENESIS,
        "audit_anchor": anchor.as_document(),
        "members": listed,
    }
    manifest_bytes = F.dumps(manifest)
    signature = identity.sign(F.SIGNING_CONTEXT + manifest_bytes)
    inner = write_archive([("manifest.json", manifest_bytes, True), ("manifest.sig", signature, False)] + members)
    if stored_member(inner, "audit.json") != trail_stored:  # (what the manifest signs is what was written)
        raise RuntimeError("the archive stores audit.json otherwise than its signed hash says")
    blob = seal(inner, office)
    info = PackageInfo(
        path="", evaluator=code, device=device, sequence=sequence, created_at=created,
        evaluations=counts["evaluations"], finalised=counts["finalised"], scores=n_scores,
        site_visits=len(visits), attachments=len(attachments), audit_entries=len(trail), size=len(blob),
        sha256=F.sha256(blob), fingerprint=signature_fingerprint(signature), signer_fingerprint=identity.fingerprint,
        office_fingerprint=office.fingerprint, monitoring_visits=len(monitoring_visits),
        monitoring_photos=len(photos),  # (records, as the merge counts them: a removal travels as its record)
    )
    return blob, info
