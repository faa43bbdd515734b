"""Signing the audit trail's head at the moments a database hands something over.

Each ``at_*`` function checks the whole trail first (:func:`evaluator.audit.check.require_intact`:
nothing is signed over a broken chain) and then seals an anchor with the database's own key
(:func:`evaluator.audit.anchors.seal`): the evaluator's key at a package export, the office key at a
kit export (when it is unlocked), at each merge transaction and at a round's sign-off.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ..messages import msg
from .anchors import AnchorInfo, seal
from .check import require_intact


def at_package_export(s: Session, identity: Any, *, sequence: int, actor: str, device: str) -> AnchorInfo:
    """A laptop, before it signs a result package: the whole check
    (:func:`evaluator.audit.check.require_intact`, with the key just unlocked), then the anchor
    the package carries."""
    require_intact(s, key=identity.info.signing_public,
                   what=msg("audit.no_package_made", "no package was made. Tell the office"))
    return seal(s, identity, "package_export", actor=actor, device=device, detail={"package": sequence})


def at_kit_export(s: Session, identity: Any, kit: Any, *, actor: str, device: str) -> AnchorInfo | None:
    """The office, after writing ``kit`` (a :class:`~evaluator.packages.results.KitInfo`): anchored
    when the office key is unlocked (None otherwise: kits are not signed, so exporting one does not
    need the key)."""
    if identity is None:
        return None
    return seal(s, identity, "kit_export", actor=actor, device=device,
                detail={"evaluator": kit.evaluator, "kit": kit.sequence})


def at_merge(s: Session, identity: Any, reports: list[Any], *, actor: str, device: str) -> AnchorInfo | None:
    """The office, at the end of each merge transaction that merged something."""
    merged = [r for r in reports if getattr(r, "status", None) == "merged"]
    if not merged:
        return None
    return seal(s, identity, "merge", actor=actor, device=device,
                detail={"packages": [[r.evaluator, r.device, r.sequence] for r in merged]})


def at_sign_off(s: Session, identity: Any, *, round: str, actor: str, device: str,
                detail: dict[str, Any] | None = None) -> AnchorInfo:
    """The office, when the committee signs a round off (called by round sign-off, which a later
    release adds): the whole check, then an anchor naming the round."""
    require_intact(s, key=identity.info.signing_public, what=msg("audit.round_not_signed", "the round was not "
                                                                 "signed off"))
    return seal(s, identity, "sign_off", actor=actor, device=device, detail={"round": round, **(detail or {})})
