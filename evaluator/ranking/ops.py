"""The façade's ranking area (``store.ranking``): ranking, the decisions of record, committee
overrides and the ranking settings.

:meth:`Ranking.rank` is a read: it ranks from the scores as they are now and stores nothing, so
the reports, exports and screens that show a ranking never write.  :meth:`Ranking.record` is the
write that makes a ranking the **decision of record**: ranked with the program's own method, not
provisional, in the office database, its computed snapshot is stored in the Decision table
(overrides are never touched) and audited.  A read says whether what it shows is the decision of
record (``RankingResult.recorded``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..changes import Outcome
from ..db.models import Application, Decision, utcnow
from ..domain import DECISIONS, OFFICE
from ..errors import PermissionDenied, ValidationError
from ..heap import gc_paused
from ..jobs import NEVER, CancelToken, Progress, no_progress
from ..services.common import application_by_id, current_program, track_by_code
from ..services.programs import update_settings
from ..uow import Area
from .. import audit
from . import labels
from .engine import rank_track
from .load import effective_settings, is_recorded, load_tracks, persist, validate_settings
from .model import METHODS, RankingResult


class Ranking(Area):
    """Ranking, decisions of record, committee overrides and ranking settings."""

    def rank(self, track: str | None = None, method: str | None = None, provisional: bool = False,
             stability: bool = True, *, progress: Progress = no_progress,
             cancel: CancelToken = NEVER) -> RankingResult:
        """Rank every track (or one) of the current program from the scores as they are now; stores
        nothing.

        ``method`` None uses the program's setting.  ``provisional`` counts evaluations that are not
        finalised and labels every row.  Another method than the program's is a what-if view
        (``what_if``).  ``recorded`` is True when the stored decisions of record are exactly this
        ranking (nothing changed since :meth:`record`)."""
        with gc_paused(), self._uow.read() as s:
            return self._rank(s, track, method, provisional, stability, progress, cancel, store=False)

    def record(self, track: str | None = None, stability: bool = True, *, progress: Progress = no_progress,
               cancel: CancelToken = NEVER) -> Outcome[RankingResult]:
        """Rank with the program's own method and store the result as the decision of record
        (office database only); only rows whose computed decision changed are written, and the
        changed decisions are audited."""
        self._uow.require_office("record the ranking")
        with gc_paused(), self._uow.write() as s:  # (the collector resumes after the commit)
            audit.lock(s)  # rankers storing at once queue here (PostgreSQL): read and write the snapshot whole
            result = self._rank(s, track, None, False, stability, progress, cancel, store=True)
        return self._uow.outcome(s, result)

    def current(self, track: str | None = None, method: str | None = None, provisional: bool = False,
                stability: bool = True, *, progress: Progress = no_progress,
                cancel: CancelToken = NEVER) -> Outcome[RankingResult]:
        """What ``evaluator rank`` and the ranking screen show: in the office database the program's
        own ranking (its method, not provisional) is :meth:`record`-ed as the decision of record;
        any other view (another method, provisional, a field database, a login whose role only
        reads) is a :meth:`rank`, a read."""
        if self._uow.role == OFFICE and self._uow.identity.can_write and not provisional \
                and method in (None, self.settings()["method"] or "mean"):
            return self.record(track, stability, progress=progress, cancel=cancel)
        return Outcome(self.rank(track, method, provisional, stability, progress=progress, cancel=cancel))

    def _rank(self, s: Session, track: str | None, method: str | None, provisional: bool, stability: bool,
              progress: Progress, cancel: CancelToken, *, store: bool) -> RankingResult:
        if method is not None and method not in METHODS:
            raise ValidationError(f"Unknown ranking method '{method}'; use one of {', '.join(METHODS)}.")
        p = current_program(s)
        settings = effective_settings(p)
        configured = settings["method"] or "mean"
        m = method or configured
        if m not in METHODS:
            raise ValidationError(f"Program '{p.code}' has an unknown ranking method '{m}' in its settings.")
        what_if = m != configured
        tracks = [track_by_code(s, p, track)] if track else list(p.tracks)
        progress(0.0, "loading")
        loaded_tracks = load_tracks(s, p, tracks, method=m, provisional=provisional, stability=stability,
                                    settings=settings)
        cancel.raise_if_cancelled()
        out = []
        recorded = not provisional and not what_if
        for n, loaded in enumerate(loaded_tracks):
            code = loaded.inputs.track

            def sub(fraction: float, message: str = "", n=n, code=code) -> None:
                progress(0.1 + 0.9 * (n + fraction) / len(tracks), f"{code}: {message}" if message else code)

            ranking = rank_track(loaded.inputs, progress=sub, cancel=cancel)
            if store:
                persist(s, p, loaded, ranking, actor=self._uow.actor, device=self._uow.device)
            elif recorded:
                recorded = is_recorded(loaded, ranking)
            out.append(ranking)
        progress(1.0, "done")
        return RankingResult(program=p.code, method=m, provisional=provisional, computed_at=utcnow(),
                             tracks=tuple(out), program_method=configured, what_if=what_if, recorded=recorded)

    # --- committee overrides ---------------------------------------------------------------------
    def override(self, application_id: str, decision: str, reason: str) -> Outcome[None]:
        """Record the committee's decision on an application, with the written reason (audited)."""
        if decision not in DECISIONS:
            raise ValidationError(f"'{decision}' is not a decision; use one of {', '.join(DECISIONS)}.")
        return self._set_override(application_id, decision, reason)

    def clear_override(self, application_id: str, reason: str) -> Outcome[None]:
        """Remove the committee's override; the computed decision applies again (audited)."""
        return self._set_override(application_id, None, reason)

    def _set_override(self, application_id: str, decision: str | None, reason: str) -> Outcome[None]:
        what = "override a decision" if decision else "clear an override"
        if not isinstance(reason, str) or not reason.strip():
            raise ValidationError(f"To {what} on application {application_id} the committee must give a written "
                                  "reason (it goes in the audit trail).")
        reason = " ".join(reason.split())
        if self._uow.role != OFFICE:
            raise PermissionDenied(f"Cannot {what} in a field database; do it in the office database.")
        actor = self._uow.actor
        with self._uow.write() as s:
            app = application_by_id(s, application_id, current_program(s))
            row = s.execute(select(Decision).where(Decision.application_id == app.id)).scalar_one_or_none()
            if decision is None and (row is None or row.override is None):
                raise ValidationError(f"Application {application_id} has no committee override to clear.")
            if row is None:
                row = Decision(application_id=app.id, override_reason="", overridden_by="")
                s.add(row)
            old = {"override": row.override, "reason": row.override_reason or "", "computed": row.computed}
            row.override = decision
            row.override_reason = reason if decision else ""
            row.overridden_by = actor if decision else ""
            row.overridden_at = utcnow() if decision else None
            self._audit(s, action="override" if decision else "clear_override", entity="application",
                        entity_uuid=app.uuid, old=old,
                        new={"application": application_id, "override": decision, "computed": row.computed},
                        reason=reason)
        return self._uow.outcome(s, None)

    def overrides(self) -> list[dict[str, Any]]:
        """Every committee override in the current program: application, decision, reason, who, when."""
        with self._uow.read() as s:
            p = current_program(s)
            rows = s.execute(
                select(Application.external_id, Decision.computed, Decision.override, Decision.override_reason,
                       Decision.overridden_by, Decision.overridden_at)
                .join(Application, Application.id == Decision.application_id)
                .where(Application.program_id == p.id, Decision.override.is_not(None))
                .order_by(Application.external_id)
            ).all()
            return [{"application_id": r[0], "computed": r[1], "override": r[2], "reason": r[3], "by": r[4],
                     "at": r[5], "label_ko": labels.decision_label(r[2], "ko")} for r in rows]

    # --- settings ---------------------------------------------------------------------------------
    def settings(self) -> dict[str, Any]:
        """The program's effective ranking settings (defaults filled in; min_score None = rubric's)."""
        with self._uow.read() as s:
            return effective_settings(current_program(s))

    def set_settings(self, **changes: Any) -> Outcome[dict[str, Any]]:
        """Change ranking settings: method, trim_min_evaluators, disagreement_threshold, min_score
        (a number, {track: number}, or None for the rubric's own), tie_breaks.  Audited."""
        with self._uow.write() as s:
            p = current_program(s)
            clean = validate_settings(changes, [t.code for t in p.tracks])
            update_settings(s, p, clean, actor=self._uow.actor, device=self._uow.device)
            settings = effective_settings(p)
        return self._uow.outcome(s, settings)


__all__ = ["Ranking"]
