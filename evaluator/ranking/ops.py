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

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit import signing
from ..awards import service as awards_svc
from ..changes import Outcome
from ..awards.model import CLOSED_STATUSES, STATUS_TEXTS as AWARD_STATUS_TEXTS
from ..db.models import Application, Award, Decision, utcnow
from ..domain import CLOSED, DECISIONS, OFFICE, OPEN, SELECTED, SIGNED_OFF, RoundInfo
from ..errors import PermissionDenied, ValidationError
from ..messages import msg
from ..packages.errors import KeyProblem
from ..heap import gc_paused
from ..jobs import NEVER, CancelToken, Progress, no_progress
from ..services import rounds as rounds_svc
from ..services.common import application_by_id, current_program, current_round, track_by_code
from ..services.programs import update_settings
from ..uow import Area, UnitOfWork
from .. import audit
from . import labels
from .engine import rank_track
from ..rules import Eligibility
from .load import effective_settings, eligibility, is_recorded, load_tracks, persist, validate_settings
from .model import METHODS, RankingResult
from .rounds import freeze, signed_off_result, with_withdrawal_reasons


class Ranking(Area):
    """Ranking, decisions of record, committee overrides and ranking settings."""

    def rank(self, track: str | None = None, method: str | None = None, provisional: bool = False,
             stability: bool = True, *, round: str | None = None, progress: Progress = no_progress,
             cancel: CancelToken = NEVER) -> RankingResult:
        """Rank every track (or one) of a round of the current program from the scores as they are
        now; stores nothing.

        ``round`` None is the program's current round (its first round not signed off).  A round
        the committee signed off gives its frozen decisions of record (``signed_off``), whatever
        changed since, with later committee overrides shown.  ``method`` None uses the program's
        setting.  ``provisional`` counts evaluations that are not finalised and labels every row.
        Another method than the program's is a what-if view (``what_if``).  ``recorded`` is True
        when the stored decisions of record are exactly this ranking (nothing changed since
        :meth:`record`)."""
        with gc_paused(), self._uow.read() as s:
            return self._rank(s, track, method, provisional, stability, progress, cancel, store=False,
                              round_code=round)

    def record(self, track: str | None = None, stability: bool = True, *, round: str | None = None,
               progress: Progress = no_progress, cancel: CancelToken = NEVER) -> Outcome[RankingResult]:
        """Rank a round with the program's own method and store the result as the decision of record
        (office database only); only rows whose computed decision changed are written, and the
        changed decisions are audited.  A signed-off round's decisions are frozen: nothing is
        written and its signed-off ranking is returned."""
        self._uow.require_office(msg("ranking.what_record", "record the ranking"))
        # (a large unit: its WAL checkpoint runs after it; the collector resumes after the commit)
        with gc_paused(), self._uow.write(large=True) as s:
            audit.lock(s)  # rankers storing at once queue here (PostgreSQL): read and write the snapshot whole
            result = self._rank(s, track, None, False, stability, progress, cancel, store=True, round_code=round)
        return self._uow.outcome(s, result)

    def current(self, track: str | None = None, method: str | None = None, provisional: bool = False,
                stability: bool = True, *, round: str | None = None, progress: Progress = no_progress,
                cancel: CancelToken = NEVER) -> Outcome[RankingResult]:
        """What ``evaluator rank`` and the ranking screen show: in the office database the program's
        own ranking (its method, not provisional) is :meth:`record`-ed as the decision of record;
        any other view (another method, provisional, a field database, a login whose role only
        reads) is a :meth:`rank`, a read."""
        if self._uow.role == OFFICE and self._uow.identity.can_write and not provisional \
                and method in (None, self.settings()["method"] or "mean"):
            return self.record(track, stability, round=round, progress=progress, cancel=cancel)
        return Outcome(self.rank(track, method, provisional, stability, round=round, progress=progress,
                                 cancel=cancel))

    def _rank(self, s: Session, track: str | None, method: str | None, provisional: bool, stability: bool,
              progress: Progress, cancel: CancelToken, *, store: bool, round_code: str | None = None) -> RankingResult:
        if method is not None and method not in METHODS:
            raise ValidationError(msg("ranking.unknown_method", "Unknown ranking method '{method}'; use one of "
                                      "{allowed}.", method=method, allowed=", ".join(METHODS)))
        p = current_program(s)
        rnd = current_round(s, p, round_code)
        settings = effective_settings(p)
        configured = settings["method"] or "mean"
        m = method or configured
        if m not in METHODS:
            raise ValidationError(msg("ranking.program_unknown_method", "Program '{program}' has an unknown ranking "
                                      "method '{method}' in its settings.", program=p.code, method=m))
        what_if = m != configured
        tracks = [track_by_code(s, p, track)] if track else list(p.tracks)
        if rnd.status == SIGNED_OFF and rnd.signed_off_ranking and not what_if and not provisional:
            progress(1.0, msg("progress.done", "Done"))
            return signed_off_result(s, p, rnd, tracks)
        progress(0.0, msg("progress.loading", "loading"))
        loaded_tracks = load_tracks(s, p, tracks, method=m, provisional=provisional, stability=stability,
                                    settings=settings, round_id=rnd.id, terms=rounds_svc.terms(s, p, rnd),
                                    scoped=len(p.rounds) > 1)
        cancel.raise_if_cancelled()
        out = []
        recorded = not provisional and not what_if
        for n, loaded in enumerate(loaded_tracks):
            code = loaded.inputs.track

            def sub(fraction: float, message: str = "", n=n, code=code) -> None:
                progress(0.1 + 0.9 * (n + fraction) / len(tracks), f"{code}: {message}" if message else code)

            ranking = with_withdrawal_reasons(s, loaded, rank_track(loaded.inputs, progress=sub, cancel=cancel))
            if store:
                persist(s, p, loaded, ranking, actor=self._uow.actor, device=self._uow.device)
            elif recorded:
                recorded = is_recorded(loaded, ranking)
            out.append(ranking)
        progress(1.0, msg("progress.done", "Done"))
        return RankingResult(program=p.code, method=m, provisional=provisional, computed_at=utcnow(),
                             tracks=tuple(out), program_method=configured, what_if=what_if, recorded=recorded,
                             round=rnd.code)

    def eligibility(self, track: str | None = None, *, round: str | None = None) -> list[Eligibility]:
        """Each application of a round (default: the current one) against the program file's gates
        and support rule (docs/rules.md), before any score: eligible or why not, and its computed
        amount.  A read; the ranking applies the same rules."""
        with self._uow.read() as s:
            p = current_program(s)
            rnd = current_round(s, p, round)
            tracks = [track_by_code(s, p, track)] if track else list(p.tracks)
            return eligibility(s, p, tracks, rnd.id)

    # --- committee overrides ---------------------------------------------------------------------
    def override(self, application_id: str, decision: str, reason: str) -> Outcome[None]:
        """Record the committee's decision on an application, with the written reason (audited)."""
        if decision not in DECISIONS:
            raise ValidationError(msg("ranking.not_a_decision", "'{decision}' is not a decision; use one of "
                                      "{allowed}.", decision=decision, allowed=", ".join(DECISIONS)))
        return self._set_override(application_id, decision, reason)

    def clear_override(self, application_id: str, reason: str) -> Outcome[None]:
        """Remove the committee's override; the computed decision applies again (audited)."""
        return self._set_override(application_id, None, reason)

    def _set_override(self, application_id: str, decision: str | None, reason: str) -> Outcome[None]:
        what = (msg("ranking.what_override", "override a decision") if decision else
                msg("ranking.what_clear_override", "clear an override"))
        if not isinstance(reason, str) or not reason.strip():
            raise ValidationError(msg("ranking.override_needs_reason", "To {what} on application {app} the committee "
                                      "must give a written reason (it goes in the audit trail).", what=what,
                                      app=application_id))
        reason = " ".join(reason.split())
        if self._uow.role != OFFICE:
            raise PermissionDenied(msg("core.office_only", "Cannot {what} in a field database; do it in the office "
                                       "database.", what=what))
        actor = self._uow.actor
        with self._uow.write() as s:
            app = application_by_id(s, application_id, current_program(s))
            row = s.execute(select(Decision).where(Decision.application_id == app.id)).scalar_one_or_none()
            if decision is None and (row is None or row.override is None):
                raise ValidationError(msg("ranking.no_override", "Application {app} has no committee override to "
                                          "clear.", app=application_id))
            # a signed-off round's decisions change only this way: the entry says so
            after = {"after_sign_off": app.round.code} if app.round.status == SIGNED_OFF else {}
            _refuse_unselecting_a_live_award(s, app, decision if decision else row.computed if row else None)
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
                        new={"application": application_id, "override": decision, "computed": row.computed,
                             **after},
                        reason=reason, subject=app.uuid)  # (the previous reason may name people: sealed)
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


def _refuse_unselecting_a_live_award(s: Session, app: Application, decision: str | None) -> None:
    """An application that holds a running award stays selected until its award is withdrawn or
    cancelled (with its own reason): otherwise the award, its tranches and its visits would run on
    for an application the decisions say was not selected, and the budget would count it twice."""
    if decision == SELECTED:
        return
    award = s.execute(select(Award).where(Award.application_id == app.id)).scalar_one_or_none()
    if award is None or award.status in CLOSED_STATUSES:
        return
    raise ValidationError(msg("ranking.override_live_award", "Application {app} holds a running award ({status}, "
                              "{amount:,} won): withdraw or cancel the award first, with its reason (evaluator awards "
                              "status {app} withdrawn --reason …), then change the decision. Nothing was changed.",
                              app=app.external_id, status=AWARD_STATUS_TEXTS.get(award.status, award.status),
                              amount=award.amount))


class Rounds(Area):
    """The rounds (차수) of the current program: their windows, quotas and budgets per track, opening
    and closing their intake, and the committee's sign-off, which freezes a round's decisions of
    record and signs the audit trail's head with the office key."""

    def __init__(self, uow: UnitOfWork, ranking: Ranking, keys) -> None:  # noqa: ANN001 - packages.ops.Keys
        super().__init__(uow)
        self._ranker = ranking
        self._keys = keys

    def list(self) -> list[RoundInfo]:
        with self._uow.read() as s:
            return list(rounds_svc.round_infos(s, current_program(s)))

    def get(self, code: str | None = None) -> RoundInfo:
        """The round ``code`` (its code or name), or the current one (the first not signed off)."""
        with self._uow.read() as s:
            p = current_program(s)
            return rounds_svc.round_info(s, p, current_round(s, p, code))

    def open(self, code: str) -> Outcome[RoundInfo]:
        """Open the round's intake (new applications may join it)."""
        return self._set_status(code, OPEN)

    def close(self, code: str) -> Outcome[RoundInfo]:
        """Close the round's intake: an intake sheet may still correct its applications, but a new
        application placed in it is refused."""
        return self._set_status(code, CLOSED)

    def _set_status(self, code: str, status: str) -> Outcome[RoundInfo]:
        self._uow.require_office(msg("ranking.what_open_round", "open a round") if status == OPEN else
                                 msg("ranking.what_close_round", "close a round"))
        with self._uow.write() as s:
            p = current_program(s)
            rnd = current_round(s, p, code)
            old = rounds_svc.set_status(rnd, status)
            if old is not None:
                self._audit(s, action="round_status", entity="round", entity_uuid=rnd.uuid,
                            old={"status": old}, new={"program": p.code, "round": rnd.code, "status": status})
            s.flush()
            info = rounds_svc.round_info(s, p, rnd)
        return self._uow.outcome(s, info)

    def sign_off(self, code: str, *, by: str, note: str = "", passphrase: str | None = None,
                 key_dir: str | Path | None = None, stability: bool = True, progress: Progress = no_progress,
                 cancel: CancelToken = NEVER) -> Outcome[RoundInfo]:
        """The committee signs round ``code`` off: it is ranked once more with the program's method,
        its decisions of record are stored and frozen (no later ranking, re-import, merge or setting
        changes them; an override after the sign-off needs its written reason like any other, and
        says so in the audit trail), the round is closed, and the audit trail's head is signed with
        the office key (an anchor naming the round).  The office key must exist; ``passphrase``
        unlocks it (or it was unlocked before)."""
        self._uow.require_office(msg("ranking.what_sign_off", "sign a round off"))
        by = " ".join(str(by or "").split())
        if not by:
            raise ValidationError(msg("ranking.sign_off_by", "A sign-off names who signed it (--by NAME: the committee "
                                      "chair, or the committee)."))
        if self._keys.identity(key_dir=key_dir) is None:
            raise KeyProblem(msg("ranking.sign_off_needs_key", "A round sign-off signs the audit trail with the office "
                                 "key, and this office has no key yet: create it with 'evaluator keys init' "
                                 "(docs/field-workflow.md). Nothing was signed off."))
        identity = self._keys.unlocked(passphrase, key_dir)
        with gc_paused(), self._uow.write() as s:
            audit.lock(s)
            p = current_program(s)
            rnd = current_round(s, p, code)
            if rnd.status == SIGNED_OFF:
                raise ValidationError(msg("ranking.already_signed_off", "Round {round} ({name}) of program '{program}' "
                                          "was already signed off on {at} by {by}; nothing changed.", round=rnd.code,
                                          name=rnd.name_ko, program=p.code,
                                          at=rnd.signed_off_at.strftime("%Y-%m-%d %H:%M"), by=rnd.signed_off_by))
            result = self._ranker._rank(s, None, None, False, stability, progress, cancel, store=True,
                                        round_code=rnd.code)
            old = rnd.status
            rnd.signed_off_ranking = freeze(result)
            rnd.status, rnd.signed_off_by, rnd.sign_off_note, rnd.signed_off_at = SIGNED_OFF, by, note.strip(), utcnow()
            rows = result.all_rows()
            self._audit(s, action="sign_off", entity="round", entity_uuid=rnd.uuid, old={"status": old},
                        new={"program": p.code, "round": rnd.code, "by": by, "note": rnd.sign_off_note,
                             "method": result.method, "decisions": {r.application_id: r.decision for r in rows},
                             "selected": {t.track: [r.application_id for r in t.rows if r.decision == "selected"]
                                          for t in result.tracks}},
                        reason=rnd.sign_off_note)
            # each selected application gets its award (docs/follow-up.md), audited before the head is signed
            awards_svc.create_for_sign_off(s, p, rnd, [r.application_id for r in rows if r.decision == "selected"],
                                           actor=self._uow.actor, device=self._uow.device,
                                           amounts={r.application_id: r.support.awarded for r in rows
                                                    if r.support is not None})
            s.flush()
            signing.at_sign_off(s, identity, round=rnd.code, actor=self._uow.actor, device=self._uow.device,
                                detail={"program": p.code, "applications": len(rows), "by": by})
            info = rounds_svc.round_info(s, p, rnd)
        return self._uow.outcome(s, info)


__all__ = ["Ranking", "Rounds"]
