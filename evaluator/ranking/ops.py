"""Façade methods for ranking and selection (mixed into :class:`evaluator.store.Store`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from .. import audit
from ..db.models import Decision, utcnow
from ..domain import DECISIONS, OFFICE
from ..errors import PermissionDenied, ValidationError
from ..heap import gc_paused
from ..jobs import NEVER, CancelToken, Progress, no_progress
from ..services.common import application_by_id, current_program, track_by_code
from . import labels
from .engine import rank_track
from .load import effective_settings, load_tracks, persist, validate_settings
from .model import METHODS, RankingResult


class RankingOps:
    """Ranking, committee overrides and ranking settings."""

    def rank(self, track: str | None = None, method: str | None = None, provisional: bool = False,
             stability: bool = True, *, record: bool = True, progress: Progress = no_progress,
             cancel: CancelToken = NEVER) -> RankingResult:
        """Rank every track (or one) of the current program.

        ``method`` None uses the program's setting (default mean).  ``provisional`` counts
        evaluations that are not finalised and labels every row.

        Only the ranking the program's settings prescribe is the decision of record: a
        non-provisional ranking with the program's own method, in the office database, stores its
        computed snapshot in the Decision table (overrides are never touched).  A ranking with
        another method is a what-if view (``RankingResult.what_if``): shown, never stored.
        ``record=False`` never stores (a read-only look).  ``stability`` runs the cut-line
        stability analysis."""
        if method is not None and method not in METHODS:
            raise ValidationError(f"Unknown ranking method '{method}'; use one of {', '.join(METHODS)}.")
        office = self.role == OFFICE  # type: ignore[attr-defined]
        store_snapshot = record and office and not provisional
        if store_snapshot and method is not None and method != (self.ranking_settings()["method"] or "mean"):
            store_snapshot = False  # a what-if view: a read is enough
        unit = self.write if store_snapshot else self.read  # type: ignore[attr-defined]
        with gc_paused(), unit() as s:  # (the collector resumes after the commit)
            p = current_program(s)
            settings = effective_settings(p)
            configured = settings["method"] or "mean"
            m = method or configured
            if m not in METHODS:
                raise ValidationError(f"Program '{p.code}' has an unknown ranking method '{m}' in its settings.")
            what_if = m != configured
            store_snapshot = store_snapshot and not what_if
            if store_snapshot:  # rankers storing at once queue here (PostgreSQL): read and write the snapshot whole
                audit.lock(s)
            tracks = [track_by_code(s, p, track)] if track else list(p.tracks)
            progress(0.0, "loading")
            loaded_tracks = load_tracks(s, p, tracks, method=m, provisional=provisional, stability=stability,
                                        settings=settings)
            cancel.raise_if_cancelled()
            out = []
            for n, loaded in enumerate(loaded_tracks):
                code = loaded.inputs.track

                def sub(fraction: float, message: str = "", n=n, code=code) -> None:
                    progress(0.1 + 0.9 * (n + fraction) / len(tracks), f"{code}: {message}" if message else code)

                ranking = rank_track(loaded.inputs, progress=sub, cancel=cancel)
                if store_snapshot:
                    persist(s, p, loaded, ranking, actor=self.actor, device=self.device)  # type: ignore[attr-defined]
                out.append(ranking)
            progress(1.0, "done")
            return RankingResult(program=p.code, method=m, provisional=provisional, computed_at=utcnow(),
                                 tracks=tuple(out), program_method=configured, what_if=what_if,
                                 recorded=store_snapshot)

    # --- committee overrides ---------------------------------------------------------------------
    def override_decision(self, application_id: str, decision: str, reason: str) -> None:
        """Record the committee's decision on an application, with the written reason (audited)."""
        if decision not in DECISIONS:
            raise ValidationError(f"'{decision}' is not a decision; use one of {', '.join(DECISIONS)}.")
        self._set_override(application_id, decision, reason)

    def clear_override(self, application_id: str, reason: str) -> None:
        """Remove the committee's override; the computed decision applies again (audited)."""
        self._set_override(application_id, None, reason)

    def _set_override(self, application_id: str, decision: str | None, reason: str) -> None:
        what = "override a decision" if decision else "clear an override"
        if not isinstance(reason, str) or not reason.strip():
            raise ValidationError(f"To {what} on application {application_id} the committee must give a written "
                                  "reason (it goes in the audit trail).")
        reason = " ".join(reason.split())
        if self.role != OFFICE:  # type: ignore[attr-defined]
            raise PermissionDenied(f"Cannot {what} in a field database; do it in the office database.")
        with self.write() as s:  # type: ignore[attr-defined]
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
            row.overridden_by = self.actor if decision else ""  # type: ignore[attr-defined]
            row.overridden_at = utcnow() if decision else None
            audit.append(s, actor=self.actor, device=self.device,  # type: ignore[attr-defined]
                         action="override" if decision else "clear_override", entity="application",
                         entity_uuid=app.uuid, old=old,
                         new={"application": application_id, "override": decision, "computed": row.computed},
                         reason=reason)

    def overrides(self) -> list[dict[str, Any]]:
        """Every committee override in the current program: application, decision, reason, who, when."""
        from ..db.models import Application

        with self.read() as s:  # type: ignore[attr-defined]
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
    def ranking_settings(self) -> dict[str, Any]:
        """The program's effective ranking settings (defaults filled in; min_score None = rubric's)."""
        with self.read() as s:  # type: ignore[attr-defined]
            return effective_settings(current_program(s))

    def set_ranking_settings(self, **changes: Any) -> dict[str, Any]:
        """Change ranking settings: method, trim_min_evaluators, disagreement_threshold, min_score
        (a number, {track: number}, or None for the rubric's own), tie_breaks.  Audited."""
        with self.read() as s:  # type: ignore[attr-defined]
            codes = [t.code for t in current_program(s).tracks]
        clean = validate_settings(changes, codes)
        self.update_program_settings(clean)  # type: ignore[attr-defined]
        return self.ranking_settings()
