"""Photos taken on follow-up monitoring visits: attached on the laptop (or in the office), carried
in the visitor's signed package, merged at the office, printed on the filled visit sheet and in
the follow-up dossier.

A monitoring photo is an ``attachment`` row like an evaluation's photo (the same size limit, the
same media types, the bytes in the database) whose ``monitoring_visit_id`` names its visit; its
``application_id`` is the award's application (so a purge, a subject's export or deletion treat
it as they treat that application's other photos) and its ``evaluator_id`` the visit's visitor.

* laptop → package: ``data.json`` gains ``monitoring_photos`` — the photos of the visits the
  package carries (recorded: draft or finalised), each naming its visit by uuid; the bytes travel
  as ``attachments/SHA256`` members, like scoring photos (a removed photo travels as its record
  only);
* the merge, inside the package's transaction, after its visits: each photo's visit must be at
  the office and the signer's (the ownership rule of every record, ``evaluator.packages.ownership``),
  a photo already at the office must be the same visit's, and its bytes within the size limit —
  otherwise the whole package is refused (one sentence, nothing written).  Photos are added by
  uuid and never replaced; a removal on the laptop removes the office's copy too (and never the
  other way round: a photo the office removed stays removed).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from ..awards.model import CLOSED_STATUSES, status_text
from ..db.models import Application, Attachment, Award, Evaluator, MonitoringVisit, utcnow
from ..errors import NotFound, ValidationError
from ..messages import msg
from ..packages import formats as F
from ..packages.errors import PackageRejected
from ..packages.incoming import need_time
from ..services.attachments import MAX_ATTACHMENT
from .fieldwork import Merged
from .model import FINALISED, PLANNED

#: the largest photo a visitor may attach: the limit of an evaluation's photos
MAX_PHOTO = MAX_ATTACHMENT


@dataclass(frozen=True)
class MonitoringPhoto:
    """A photo of a monitoring visit (its bytes: ``store.monitoring.photo_data(uuid)``)."""

    uuid: str
    application_id: str
    sequence: int
    visit_uuid: str
    evaluator: str | None
    filename: str
    media_type: str
    sha256: str
    size: int
    caption: str
    created_at: datetime | None


def _where(v: MonitoringVisit, app: Application):  # noqa: ANN202 - a message
    return msg("monitoring.photo_visit", "Monitoring visit {sequence} of application {app}", sequence=v.sequence,
               app=app.external_id)


def _open_visit(s: Session, v: MonitoringVisit) -> tuple[Award, Application]:
    """The visit's award and application, when its photos may change (else ValidationError)."""
    award = s.get(Award, v.award_id)
    app = award.application
    if award.status in CLOSED_STATUSES:
        raise ValidationError(msg("monitoring.photo_award_closed", "{where}: the award is {status}; no photo is "
                                  "attached to it or removed.", where=_where(v, app), status=status_text(award.status)))
    if v.state == FINALISED:
        raise ValidationError(msg("monitoring.photo_finalised", "{where} is finalised; its photos are kept as they "
                                  "are.", where=_where(v, app)))
    return award, app


#: (the start of a file of this type, what it is): the photo formats a visit takes — what a phone
#: or a camera writes, and the form's file filter offers
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"), (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"), (b"BM", "image/bmp"), (b"II*\x00", "image/tiff"), (b"MM\x00*", "image/tiff"))
_HEIF_BRANDS = {b"heic": "image/heic", b"heix": "image/heic", b"hevc": "image/heic", b"heim": "image/heic",
                b"heis": "image/heic", b"hevm": "image/heic", b"hevs": "image/heic", b"mif1": "image/heif",
                b"msf1": "image/heif", b"avif": "image/avif"}


def image_type(data: bytes) -> str | None:
    """The media type of a photo, told by its first bytes (JPEG, PNG, HEIC/HEIF, WebP, GIF, BMP,
    TIFF, AVIF); None: not a photo (a document, a text, a damaged file)."""
    head = bytes(data[:16])
    for start, kind in _SIGNATURES:
        if head.startswith(start):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp":
        return _HEIF_BRANDS.get(head[8:12])
    return None


def add(s: Session, v: MonitoringVisit, data: bytes, *, name: str, media_type: str | None,
        caption: str) -> Attachment:
    """A new photo on visit ``v`` (checked: a visit with its visitor, not finalised, award running,
    the bytes a photo's; its size was checked when it was read: ``services.attachments.read_source``).
    ``media_type`` None: the type its content says."""
    _award, app = _open_visit(s, v)
    kind = image_type(data)
    if kind is None:
        raise ValidationError(msg("monitoring.photo_not_image", "{name} is not a photo (JPEG, PNG, HEIC, WebP, GIF, "
                                  "BMP or TIFF); a monitoring visit takes photos only. Nothing was changed.",
                                  name=name))
    media_type = media_type or kind
    if v.evaluator_id is None:
        raise ValidationError(msg("monitoring.photo_no_visitor", "{where} has no visitor on this database; a photo "
                                  "is attached to a visit by its own visitor.", where=_where(v, app)))
    a = Attachment(application_id=app.id, evaluator_id=v.evaluator_id, criterion_id=None, monitoring_visit_id=v.id,
                   filename=name[:300], media_type=media_type[:100], sha256=hashlib.sha256(data).hexdigest(),
                   size=len(data), data=data, caption=caption)
    s.add(a)
    s.flush()
    return a


def by_uuid(s: Session, uuid: str) -> tuple[Attachment, MonitoringVisit]:
    row = s.execute(select(Attachment, MonitoringVisit)
                    .join(MonitoringVisit, MonitoringVisit.id == Attachment.monitoring_visit_id)
                    .where(Attachment.uuid == uuid)).one_or_none()
    if row is None:
        raise NotFound(msg("monitoring.photo_missing", "There is no monitoring visit photo {uuid}.", uuid=uuid))
    return row[0], row[1]


def subject(s: Session, v: MonitoringVisit) -> str:
    """The uuid of the visit's application: the data subject of its photos' audit entries."""
    return s.get(Award, v.award_id).application.uuid


def check_removable(s: Session, v: MonitoringVisit) -> None:
    _open_visit(s, v)


def photos(s: Session, program_id: int, application_id: str | None = None,
           sequence: int | None = None) -> list[MonitoringPhoto]:
    """The photos (not removed) of the program's monitoring visits, oldest first."""
    q = (select(Attachment, MonitoringVisit.sequence, MonitoringVisit.uuid, Application.external_id, Evaluator.code)
         .join(MonitoringVisit, MonitoringVisit.id == Attachment.monitoring_visit_id)
         .join(Application, Application.id == Attachment.application_id)
         .outerjoin(Evaluator, Evaluator.id == Attachment.evaluator_id)
         .where(Application.program_id == program_id, Attachment.deleted.is_(False))
         .order_by(Application.external_id, MonitoringVisit.sequence, Attachment.created_at, Attachment.id))
    if application_id is not None:
        q = q.where(Application.external_id == application_id)
    if sequence is not None:
        q = q.where(MonitoringVisit.sequence == sequence)
    return [MonitoringPhoto(a.uuid, ext, seq, vuuid, code, a.filename, a.media_type, a.sha256, int(a.size or 0),
                            a.caption or "", a.created_at) for a, seq, vuuid, ext, code in s.execute(q).all()]


def records(s: Session, visit_ids: list[int]) -> dict[int, list[Attachment]]:
    """The photos (not removed) of these visits, by visit id (for the PDFs)."""
    out: dict[int, list[Attachment]] = {}
    if visit_ids:
        for a in s.execute(select(Attachment).where(Attachment.monitoring_visit_id.in_(visit_ids),
                                                    Attachment.deleted.is_(False))
                           .order_by(Attachment.created_at, Attachment.id)).scalars():
            out.setdefault(a.monitoring_visit_id, []).append(a)
    return out


# --- laptop → package ------------------------------------------------------------------------------
def package_part(s: Session, evaluator: Evaluator, blobs: dict[str, bytes],
                 read: Any) -> list[dict[str, Any]]:
    """The photos of the visitor's recorded visits for data.json's ``monitoring_photos``; their bytes
    join ``blobs`` (``read(attachment)`` gives them)."""
    out = []
    for a, vuuid, ext in s.execute(
            select(Attachment, MonitoringVisit.uuid, Application.external_id)
            .join(MonitoringVisit, MonitoringVisit.id == Attachment.monitoring_visit_id)
            .join(Application, Application.id == Attachment.application_id)
            .where(MonitoringVisit.evaluator_id == evaluator.id, MonitoringVisit.state != PLANNED)
            .order_by(Attachment.id)).all():
        if a.deleted:  # a removed photo travels as its record only: its bytes are gone
            digest, size = a.sha256, int(a.size or 0)
        else:
            body = read(a)
            digest, size = F.sha256(body), len(body)
            blobs[f"attachments/{digest}"] = body
        out.append({"uuid": a.uuid, "visit": vuuid, "application": ext, "filename": a.filename,
                    "media_type": a.media_type, "sha256": digest, "size": size, "caption": a.caption or "",
                    "created_at": F.iso(a.created_at), "deleted": bool(a.deleted)})
    return out


# --- package → office ------------------------------------------------------------------------------
def read_package_part(data: Any, members: dict[str, bytes]) -> list[dict[str, Any]]:
    """The ``monitoring_photos`` of a package's data.json, their shape checked (:class:`F.Invalid`)."""
    raw = data.get("monitoring_photos", []) if isinstance(data, dict) else []
    if type(raw) is not list:
        raise F.Invalid(msg("monitoring.photos_not_list", "data.json monitoring_photos is not a list"))
    out = []
    for i, p in enumerate(raw):
        w = f"data.json monitoring_photos[{i}]"
        for k in ("uuid", "visit", "application", "filename", "media_type", "sha256", "caption"):
            F.need(p, k, str, w)
        if len(p["uuid"]) > 36 or len(p["visit"]) > 36:
            raise F.Invalid(msg("monitoring.photo_uuid_long", "{where}: its uuid or its visit's is longer than 36 "
                                "characters", where=w))
        deleted, size = F.need(p, "deleted", bool, w), F.need(p, "size", int, w)
        body = members.get(f"attachments/{p['sha256']}")
        if body is None and deleted:  # a removed photo's record travels without its bytes
            if not 0 <= size < 2**63:
                raise F.Invalid(msg("monitoring.photo_size_range", "{where}.size is out of range", where=w))
        elif body is None or size != len(body):
            raise F.Invalid(msg("monitoring.photo_content", "{where}: its content is missing or of the wrong size",
                                where=w))
        out.append({**p, "filename": p["filename"][:300], "media_type": p["media_type"][:100],
                    "created_at": need_time(p.get("created_at"), f"{w}.created_at", optional=True),
                    "data": None if deleted else body})
    return out


def merge(s: Session, program_id: int, evaluator_id: int, evaluator: str, photos_in: list[dict[str, Any]],
          what: Any) -> Merged:
    """Merge a package's monitoring photos (see the module's doc; call after its visits are merged):
    how many were added, updated and unchanged, and each photo added or changed as an item of the
    package's audit entry (as :func:`fieldwork.merge`'s visits); :class:`PackageRejected` for a photo
    that breaks a rule."""
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    if not photos_in:
        return Merged(counts, [])
    uuids = [p["uuid"] for p in photos_in]
    if len(set(uuids)) != len(uuids):
        raise PackageRejected(msg("monitoring.photo_twice", "{what} names a monitoring visit photo twice; nothing "
                                  "of it was merged.", what=what))
    visits = {v.uuid: (v, ext, app_id) for v, ext, app_id in s.execute(
        select(MonitoringVisit, Application.external_id, Application.id)
        .join(Award, Award.id == MonitoringVisit.award_id).join(Application, Application.id == Award.application_id)
        .where(MonitoringVisit.uuid.in_({p["visit"] for p in photos_in}), Application.program_id == program_id))}
    office = {a.uuid: a for a in s.execute(select(Attachment).where(Attachment.uuid.in_(uuids))).scalars()}
    now = utcnow()
    inserts, updates, changes = [], [], []
    for p in photos_in:
        app = p["application"][:40]
        found = visits.get(p["visit"])
        if found is None or found[1] != p["application"]:
            raise PackageRejected(msg("monitoring.photo_no_visit", "{what} carries a photo of a monitoring visit of "
                                      "application {app} that this office database does not have; nothing of it "
                                      "was merged.", what=what, app=app))
        v, ext, app_id = found
        if v.evaluator_id != evaluator_id:
            raise PackageRejected(msg("monitoring.photo_not_signer", "{what} carries a photo of monitoring visit "
                                      "{sequence} of {app}, which at the office is another evaluator's; a package "
                                      "may change only the records of the evaluator who signed it ({evaluator}), so "
                                      "nothing of it was merged.", what=what, sequence=v.sequence, app=app,
                                      evaluator=evaluator))
        if p["size"] > MAX_PHOTO:
            raise PackageRejected(msg("monitoring.photo_too_big_package", "{what} carries a photo of monitoring "
                                      "visit {sequence} of {app} ({name}) larger than {mb} MB; nothing of it was "
                                      "merged.", what=what, sequence=v.sequence, app=app, name=p["filename"][:80],
                                      mb=MAX_PHOTO // (1024 * 1024)))
        old = office.get(p["uuid"])
        if old is not None and (old.monitoring_visit_id != v.id or old.evaluator_id != evaluator_id):
            raise PackageRejected(msg("monitoring.photo_other_record", "{what} names photo {uuid} as one of "
                                      "monitoring visit {sequence} of {app}, but at the office it is another "
                                      "record; nothing of it was merged.", what=what, uuid=p["uuid"][:40],
                                      sequence=v.sequence, app=app))
        if old is None:
            inserts.append({"uuid": p["uuid"], "application_id": app_id, "evaluator_id": evaluator_id,
                            "criterion_id": None, "monitoring_visit_id": v.id, "filename": p["filename"],
                            "media_type": p["media_type"], "sha256": p["sha256"], "size": p["size"],
                            "data": p["data"], "path": None, "caption": p["caption"],
                            "created_at": p["created_at"] or now, "deleted": p["deleted"]})
            counts["added"] += 1
            changes.append({"entity": "attachment", "uuid": p["uuid"], "application": ext, "old": None,
                            "new": {"visit": v.sequence, "filename": p["filename"], "sha256": p["sha256"],
                                    "caption": p["caption"], "deleted": p["deleted"]}})
            continue
        # removing is one way: a package never brings back a photo the office removed
        deleted = bool(old.deleted) or p["deleted"]
        if (bool(old.deleted), old.caption or "") == (deleted, p["caption"]):
            counts["unchanged"] += 1
            continue
        change = {"id": old.id, "deleted": deleted, "caption": p["caption"]}
        if deleted:
            change.update(data=None, path=None)
        updates.append(change)
        counts["updated"] += 1
        changes.append({"entity": "attachment", "uuid": p["uuid"], "application": ext,
                        "old": {"deleted": bool(old.deleted), "caption": old.caption or ""},
                        "new": {"visit": v.sequence, "deleted": deleted, "caption": p["caption"]}})
    if inserts:
        s.execute(insert(Attachment), inserts)
    for change in updates:  # (few: a caption edited or a photo removed since the last package)
        s.execute(update(Attachment).where(Attachment.id == change.pop("id")).values(**change))
    return Merged(counts, changes)


__all__ = ["MAX_PHOTO", "MonitoringPhoto", "add", "by_uuid", "check_removable", "image_type", "merge", "package_part",
           "photos", "read_package_part", "records", "subject"]
