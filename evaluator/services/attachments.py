"""Photos and documents attached to an evaluation (they travel in the result package)."""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db.models import Application, Attachment, Evaluator
from ..errors import NotFound, ValidationError
from ..packages.results import AttachmentInfo
from .common import criteria_by_code, rubric_def
from .scoring import _assignment
from ..messages import msg

#: the largest photo or document an evaluator may attach
MAX_ATTACHMENT = 50 * 1024 * 1024

__all__ = ["AttachmentInfo", "MAX_ATTACHMENT", "read_source", "add", "to_info", "by_uuid", "data"]


def _too_big(name: Any) -> ValidationError:
    return ValidationError(msg("services.attachment_too_large", "{name} is larger than {mb} MB; attach a smaller "
                               "photo.", name=str(name), mb=MAX_ATTACHMENT // (1024 * 1024)))


def read_source(source: str | Path | bytes, filename: str | None, media_type: str | None) -> tuple[bytes, str, str]:
    """The bytes, file name and media type of a photo given as a path or as bytes (size checked first)."""
    if isinstance(source, (bytes, bytearray)):
        data = bytes(source)
        name = filename or "photo"
    else:
        path = Path(source)
        try:
            if path.stat().st_size > MAX_ATTACHMENT:
                raise _too_big(path)
            data = path.read_bytes()
        except FileNotFoundError:
            raise ValidationError(msg("services.file_missing", "The file {path} does not exist.",
                                      path=str(path))) from None
        except OSError as exc:
            raise ValidationError(msg("services.cannot_read", "Cannot read {path}: {error}.", path=str(path),
                                      error=exc.strerror)) from None
        name = filename or path.name
    if len(data) > MAX_ATTACHMENT:
        raise _too_big(name)
    return data, name, media_type or mimetypes.guess_type(name)[0] or "application/octet-stream"


def add(s: Session, app: Application, ev: Evaluator, data: bytes, *, name: str, media_type: str,
        criterion: str | None, caption: str) -> Attachment:
    """A new attachment on ``ev``'s (assigned) evaluation of ``app``, optionally tied to a criterion."""
    _assignment(s, app, ev)
    crit_id = None
    if criterion:
        crits = criteria_by_code(s, app.track.rubric_id)
        if criterion not in crits:
            raise ValidationError(msg("services.no_such_criterion", "Rubric '{rubric}' has no criterion '{code}'.",
                                      rubric=rubric_def(app.track).code, code=criterion))
        crit_id = crits[criterion].id
    a = Attachment(application_id=app.id, evaluator_id=ev.id, criterion_id=crit_id, filename=name[:300],
                   media_type=media_type[:100], sha256=hashlib.sha256(data).hexdigest(), size=len(data), data=data,
                   caption=caption)
    s.add(a)
    s.flush()
    return a


def to_info(a: Attachment, application_id: str, evaluator: str | None, criterion: str | None) -> AttachmentInfo:
    return AttachmentInfo(a.uuid, application_id, evaluator, criterion, a.filename, a.media_type, a.sha256, a.size,
                          a.caption, a.created_at)


def by_uuid(s: Session, uuid: str) -> Attachment:
    a = s.execute(select(Attachment).where(Attachment.uuid == uuid)).scalar_one_or_none()
    if a is None:
        raise NotFound(msg("services.no_such_attachment", "There is no attachment {uuid}.", uuid=uuid))
    return a


def data(a: Attachment) -> bytes:
    """The attachment's bytes: kept in the database, or (older merges) in a file beside it."""
    if a.data is not None:
        return bytes(a.data)
    try:
        return Path(a.path or "").read_bytes()
    except OSError as exc:
        raise NotFound(msg("services.attachment_missing", "The attachment {name} is missing ({path}: {error}).",
                           name=a.filename, path=a.path, error=exc.strerror)) from None
