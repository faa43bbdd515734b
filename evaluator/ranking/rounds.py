"""Rankings and rounds: a signed-off round's frozen decisions of record, and withdrawals' reasons.

When the committee signs a round off, its ranking is frozen (:mod:`.frozen`) into the round; from
then on ranking that round gives the frozen result back, whatever changed since (a later round
ranked, a corrected intake sheet, a late package merged, new settings), with only the committee's
later overrides — each with its written reason, audited — shown on top.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db.models import Application, Decision, Program, Round, Track
from ..domain import RESERVE, SELECTED, WITHDRAWN
from . import frozen
from .reasons import words
from .load import LoadedTrack
from .model import FLAG_OVERRIDDEN, FLAG_WITHDRAWN, RankedApplication, RankingResult, TrackRanking


def freeze(result: RankingResult) -> dict[str, Any]:
    """What a sign-off keeps: the round's ranking of record, as plain JSON."""
    return frozen.to_json(replace(result, signed_off=True, recorded=True))


def signed_off_result(s: Session, program: Program, rnd: Round, tracks: list[Track]) -> RankingResult:
    """The frozen ranking of the signed-off round ``rnd`` (only ``tracks``), with any committee
    override made after the sign-off shown as overrides are."""
    result = frozen.from_json(rnd.signed_off_ranking or {})
    wanted = {t.code for t in tracks}
    overrides = {ext: (ov, reason or "") for ext, ov, reason in s.execute(
        select(Application.external_id, Decision.override, Decision.override_reason)
        .join(Decision, Decision.application_id == Application.id)
        .where(Application.round_id == rnd.id))}
    out = []
    for t in result.tracks:
        if t.track not in wanted:
            continue
        rows = tuple(_overridden(r, *overrides.get(r.application_id, (None, ""))) for r in t.rows)
        if rows != t.rows:
            t = replace(t, rows=rows, selected=sum(r.decision == SELECTED for r in rows),
                        reserve=sum(r.decision == RESERVE for r in rows))
        out.append(t)
    return replace(result, tracks=tuple(out), signed_off=True, recorded=True)


def _overridden(r: RankedApplication, override: str | None, reason: str) -> RankedApplication:
    if (r.override, r.override_reason if r.override else "") == (override, reason if override else ""):
        return r
    flags = tuple(f for f in r.flags if f != FLAG_OVERRIDDEN)
    if override:
        shown = _join((r.computed_reason, r.computed_reason_ko), words((("committee_override", override, reason),)))
        return replace(r, decision=override, override=override, override_reason=reason, reason=shown[0],
                       reason_ko=shown[1], flags=flags + (FLAG_OVERRIDDEN,))
    return replace(r, decision=r.computed_decision, override=None, override_reason="", reason=r.computed_reason,
                   reason_ko=r.computed_reason_ko, flags=flags)


def with_withdrawal_reasons(s: Session, loaded: LoadedTrack, ranking: TrackRanking) -> TrackRanking:
    """Withdrawn applications are shown with the reason recorded for them (``evaluator withdraw``)."""
    ids = [loaded.app_ids[r.application_id] for r in ranking.rows if FLAG_WITHDRAWN in r.flags]
    if not ids:
        return ranking
    reasons = {aid: why for aid, why in s.execute(
        select(Application.id, Application.status_reason)
        .where(Application.id.in_(ids), Application.status == WITHDRAWN)) if why}
    if not reasons:
        return ranking
    rows = []
    for r in ranking.rows:
        why = reasons.get(loaded.app_ids[r.application_id]) if FLAG_WITHDRAWN in r.flags else None
        if why:
            extra = (f"reason: {why}", f"사유: {why}")
            computed = _join((r.computed_reason, r.computed_reason_ko), extra)
            shown = _join((r.reason, r.reason_ko), extra)
            r = replace(r, computed_reason=computed[0], computed_reason_ko=computed[1], reason=shown[0],
                        reason_ko=shown[1])
        rows.append(r)
    return replace(ranking, rows=tuple(rows))


def _join(*parts: tuple[str, str]) -> tuple[str, str]:
    """Reasons in words (English, Korean) joined as the ranking joins its phrases ("; ")."""
    return "; ".join(p[0] for p in parts if p[0]), "; ".join(p[1] for p in parts if p[1])


__all__ = ["freeze", "signed_off_result", "with_withdrawal_reasons"]
