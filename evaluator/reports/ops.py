"""The façade's PDF area (``store.reports``): score sheets, aggregate sheets, the committee summary and dossiers.

Each method reads what it needs in one read unit of work (a handful of queries), lays the
document out with reportlab and writes the PDF atomically to ``out``; it returns the path
written.  Every method takes ``lang`` ("ko" or "en"), a progress callback and a cancel token.

Documents are pseudonymised (application ID and group name) unless ``include_personal`` asks for
the applicants' contact data and the visit attendees — then with a ``reason``.  Every document
about applications is entered in the access log (what, which applications, its SHA-256, the
reason: :mod:`evaluator.privacy.access`); that entry is the only thing a document writes.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path
from typing import Any

from reportlab.platypus import PageBreak

from ..errors import NotFound, ValidationError
from ..heap import drop_in_steps, gc_paused
from ..jobs import NEVER, CancelToken, Progress, no_progress
from ..messages import Message, msg
from ..ranking.reasons import stored_words
from ..services.common import current_program, current_round
from ..uow import Area, UnitOfWork
from .data import (
    load_applications, load_attachments, load_decision, load_evaluations, load_program, round_progress,
    without_attendees, without_contact,
)
from .document import ReportDocument, Tick, document_id
from .labels import LANGS, labels
from .sheets import sheet_fingerprint, sheet_story


def _lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValidationError(msg("reports.unknown_language", "Unknown report language {lang}; use one of {langs}.",
                                  lang=repr(lang), langs=", ".join(LANGS)))
    return lang


def _now() -> datetime:
    return datetime.now().astimezone().replace(microsecond=0)


class Reports(Area):
    """PDF score sheets, aggregate sheets, the committee summary and dossiers.  Every method is a
    read: documents that show a ranking print the one computed now and say whether it is the
    decision of record (``store.ranking.rank``); nothing is stored."""

    def __init__(self, uow: UnitOfWork, ranking) -> None:  # noqa: ANN001 - evaluator.ranking.ops.Ranking
        super().__init__(uow)
        self._ranker = ranking

    # --- score sheets -----------------------------------------------------------------------------
    def blank_sheets(self, out: str | Path, *, application_ids: list[str] | None = None,
                            track: str | None = None, evaluator: str | None = None, lang: str = "ko",
                            progress: Progress = no_progress, cancel: CancelToken = NEVER) -> Path:
        """Blank field score sheets (the paper fallback), one per application, in one PDF.

        Select by ``application_ids`` and/or ``track``; with ``evaluator``, the sheets of that
        evaluator's kit (their assigned applications, name printed)."""
        lang = _lang(lang)
        progress(0.0, "")
        with self._uow.read() as s:
            p = current_program(s)
            prog = load_program(s, p)
            apps = load_applications(s, p, ids=application_ids, track=track, evaluator=evaluator)
            asg = load_evaluations(s, apps, evaluator=evaluator, with_scores=False, with_visits=False) \
                if evaluator else {}
        if not apps:
            raise NotFound(_nothing("applications", track=track, evaluator=evaluator))
        cancel.raise_if_cancelled()
        progress(0.05, "")
        L = labels(lang)
        story: list = []
        n = len(apps)
        for i, app in enumerate(apps):
            if i:
                story.append(PageBreak())
            ev = (asg.get(app.id) or [None])[0] if evaluator else None
            story += sheet_story(app, prog, lang, ev=ev, filled=False)
            story.append(Tick(0.1 + 0.88 * (i + 1) / n, app.id, progress, cancel))
        now = _now()
        doc = ReportDocument(out, kind="blank", title=L("doc.blank"), program=L.pick(prog.name_ko, prog.name_en),
                             labels=L, generated=now, anchor=prog.anchor,
                             doc_id=document_id("blank", now, prog.code, evaluator, [a.id for a in apps]))
        path = doc.build(story, progress=progress, cancel=cancel)
        self._log_output(path, action="print", what="blank score sheets", subjects=[a.id for a in apps])
        return path

    @gc_paused()  # the story and its layout: see ReportDocument.build
    def filled_sheets(self, out: str | Path, *, application_ids: list[str] | None = None,
                             evaluator: str | None = None, track: str | None = None, lang: str = "ko",
                             include_personal: bool = False, reason: str | None = None,
                             progress: Progress = no_progress, cancel: CancelToken = NEVER) -> Path:
        """Filled score sheets, one per application × evaluator that has an evaluation.

        Sheets of evaluations not yet finalised carry a DRAFT watermark; finalised ones show the
        finalisation time and the result package's signature fingerprint.  The visit's attendees
        are printed only with ``include_personal`` (and a ``reason``)."""
        lang = _lang(lang)
        reason = _personal_reason(include_personal, reason, msg("reports.filled_sheets_personal", "Filled score "
                                                                    "sheets with the visit attendees"))
        progress(0.0, "")
        with self._uow.read() as s:
            p = current_program(s)
            prog = load_program(s, p)
            apps = load_applications(s, p, ids=application_ids, track=track, evaluator=evaluator)
            evs = load_evaluations(s, apps, evaluator=evaluator)
        withheld = labels(lang)("personal.withheld")
        pairs = [(app, ev if include_personal else without_attendees(ev, withheld)) for app in apps
                 for ev in evs.get(app.id, ()) if not ev.recused and ev.state is not None]
        if not pairs:
            raise NotFound(_nothing("evaluations", track=track, evaluator=evaluator, ids=application_ids))
        cancel.raise_if_cancelled()
        progress(0.05, "")
        L = labels(lang)
        story: list = []
        n = len(pairs)
        for i, (app, ev) in enumerate(pairs):
            if i:
                story.append(PageBreak())
            story += sheet_story(app, prog, lang, ev=ev, filled=True)
            story.append(Tick(0.1 + 0.88 * (i + 1) / n, f"{app.id} {ev.evaluator}", progress, cancel))
        now = _now()
        doc = ReportDocument(out, kind="filled", title=L("doc.filled"), program=L.pick(prog.name_ko, prog.name_en),
                             labels=L, generated=now, anchor=prog.anchor,
                             doc_id=document_id("filled", now, prog.code, [sheet_fingerprint(a, e) for a, e in pairs]))
        path = doc.build(story, progress=progress, cancel=cancel)
        self._log_output(path, action="print", what="filled score sheets", subjects=sorted({a.id for a, _ in pairs}),
                         fields=["attendees"] if include_personal else [], reason=reason or "")
        return path


    # --- aggregate sheets ---------------------------------------------------------------------------
    @gc_paused()  # the story and its layout: see ReportDocument.build
    def aggregate(self, out: str | Path, *, application_ids: list[str] | None = None,
                         track: str | None = None, method: str | None = None, lang: str = "ko",
                         progress: Progress = no_progress, cancel: CancelToken = NEVER) -> Path:
        """Aggregate sheets (집계표), one page per application: every evaluator's scores side by
        side, the aggregation and its result, the decision and reason, signature lines."""
        from .aggregate import aggregate_story

        lang = _lang(lang)
        progress(0.0, "")
        with self._uow.read() as s:
            p = current_program(s)
            prog = load_program(s, p)
            apps = load_applications(s, p, ids=application_ids, track=track)
        if not apps:
            raise NotFound(_nothing("applications", track=track, ids=application_ids))
        tracks = sorted({a.track for a in apps})
        round_of = self._rounds_of([a.id for a in apps])
        rankings = {code: self._ranking(track=tracks[0] if len(tracks) == 1 else None, method=method, round=code,
                                        progress=_scaled(progress, 0.0, 0.35), cancel=cancel)
                    for code in sorted(set(round_of.values()))}  # each application is ranked in its round
        ranking_of = {a.id: rankings[round_of[a.id]] for a in apps}
        ranking = rankings[round_of[apps[0].id]]
        with self._uow.read() as s:
            evs = load_evaluations(s, apps, with_visits=False)
        rows = {r.application_id: r for rk in rankings.values() for r in rk.all_rows()}
        eligible = {(code, t.track): t.eligible for code, rk in rankings.items() for t in rk.tracks}
        cancel.raise_if_cancelled()
        L = labels(lang)
        story: list = []
        n = len(apps)
        for i, app in enumerate(apps):
            if i:
                story.append(PageBreak())
            story += aggregate_story(app, prog, ranking_of[app.id], rows.get(app.id), evs.get(app.id, []), lang,
                                     eligible.get((round_of[app.id], app.track)))
            story.append(Tick(0.4 + 0.58 * (i + 1) / n, app.id, progress, cancel))
        now = _now()
        doc = ReportDocument(out, kind="aggregate", title=L("doc.aggregate"),
                             program=L.pick(prog.name_ko, prog.name_en), labels=L, generated=now,
                             anchor=prog.anchor,
                             doc_id=document_id("aggregate", now, prog.code, ranking.method, ranking.computed_at,
                                                [(r.application_id, r.score, r.decision) for r in rows.values()
                                                 if r.application_id in {a.id for a in apps}]))
        path = doc.build(story, progress=progress, cancel=cancel)
        self._log_output(path, action="print", what="aggregate sheets", subjects=[a.id for a in apps])
        return path

    # --- committee summary ----------------------------------------------------------------------------
    @gc_paused()  # the story and its layout: see ReportDocument.build
    def summary(self, out: str | Path, *, method: str | None = None, provisional: bool = False,
                track: str | None = None, lang: str = "ko", round: str | None = None,
                progress: Progress = no_progress, cancel: CancelToken = NEVER) -> Path:
        """The committee summary of a round of the program (default: its current round): per track
        the ranked list with the cut line, selected and reserve, flags, overrides with reasons,
        charts, counts, and the sign-off block once the round is complete."""
        from .summary import round_banner, summary_story

        lang = _lang(lang)
        progress(0.0, "")
        with self._uow.read() as s:
            program = current_program(s)
            prog = load_program(s, program)
            done = round_progress(s, program, track=track, round=current_round(s, program, round))
        ranking = self._ranking(track=track, method=method, provisional=provisional, round=round,
                                progress=_scaled(progress, 0.0, 0.4), cancel=cancel)
        cancel.raise_if_cancelled()
        L = labels(lang)

        def tick(i: int, n: int) -> Tick:
            return Tick(0.45 + 0.5 * (i + 1) / n, "", progress, cancel)

        story = summary_story(prog, ranking, lang, tick=tick, progress=done)
        now = _now()
        doc = ReportDocument(out, kind="summary", title=L("doc.summary"), program=L.pick(prog.name_ko, prog.name_en),
                             labels=L, generated=now, anchor=prog.anchor, banner=round_banner(done, L),
                             doc_id=document_id("summary", now, prog.code, ranking.method, ranking.provisional,
                                                ranking.computed_at,
                                                [(r.application_id, r.score, r.decision) for r in ranking.all_rows()]))
        path = doc.build(story, progress=progress, cancel=cancel)
        rows = ranking.all_rows()
        del ranking, story, doc  # the ranking's rows are let go of a slice at a time (drop_in_steps)
        self._log_output(path, action="print", what="committee summary", subjects=[r.application_id for r in rows])
        drop_in_steps(rows)
        return path

    # --- dossier --------------------------------------------------------------------------------------
    def dossier(self, out: str | Path, *, application_id: str, lang: str = "ko", include_personal: bool = False,
                reason: str | None = None, progress: Progress = no_progress, cancel: CancelToken = NEVER) -> Path:
        """Everything about one application: its data, the decision, every evaluation with
        comments, the site-visit log and photo thumbnails.  The applicant's contact data and the
        visit attendees are printed only with ``include_personal`` (and a ``reason``)."""
        from .dossier import dossier_story

        lang = _lang(lang)
        reason = _personal_reason(include_personal, reason, msg("reports.dossier_personal", "The dossier of {app} "
                                                                    "with contact data", app=application_id))
        progress(0.0, "")
        with self._uow.read() as s:
            p = current_program(s)
            prog = load_program(s, p)
            apps = load_applications(s, p, ids=[application_id])
            app = apps[0]
            evs = load_evaluations(s, apps)[app.id]
            attachments = load_attachments(s, app)
            decision = load_decision(s, app)
        if not include_personal:
            withheld = labels(lang)("personal.withheld")
            app = without_contact(app, withheld)
            evs = [without_attendees(e, withheld) for e in evs]
        cancel.raise_if_cancelled()
        decision = self._with_reason_words(decision)
        progress(0.3, "")
        L = labels(lang)
        story = dossier_story(app, prog, evs, attachments, decision, lang, self._attachment_path)
        story.append(Tick(0.95, app.id, progress, cancel))
        now = _now()
        doc = ReportDocument(out, kind="dossier", title=L("doc.dossier"), program=L.pick(prog.name_ko, prog.name_en),
                             labels=L, generated=now, anchor=prog.anchor,
                             doc_id=document_id("dossier", now, prog.code, app.id,
                                                [sheet_fingerprint(app, e) for e in evs if e.state],
                                                [(a.filename, a.size) for a in attachments], decision))
        path = doc.build(story, progress=progress, cancel=cancel)
        self._log_output(path, action="print", what="dossier", subjects=[app.id],
                         fields=_PERSONAL if include_personal else [], reason=reason or "")
        return path

    def _attachment_path(self, stored: str) -> Path | None:
        """Where an attachment stored beside the database lives (absolute, or relative to the
        SQLite file's folder)."""
        path = Path(stored)
        if path.is_absolute():
            return path
        db = self._uow.sqlite_path
        return (Path(db).parent / path) if db else None

    # --- helpers ----------------------------------------------------------------------------------
    def _rounds_of(self, application_ids: list[str]) -> dict[str, str]:
        """Application ID -> the code of the round it is ranked in."""
        from sqlalchemy import select

        from ..db.models import Application, Round

        out: dict[str, str] = {}
        with self._uow.read() as s:
            p = current_program(s)
            for start in range(0, len(application_ids), 500):
                chunk = application_ids[start:start + 500]
                out.update(s.execute(select(Application.external_id, Round.code)
                                     .join(Round, Round.id == Application.round_id)
                                     .where(Application.program_id == p.id, Application.external_id.in_(chunk))).all())
        return out

    @staticmethod
    def _with_reason_words(decision: Any) -> Any:
        """The stored decision with its computed reason in words, English and Korean.

        The Decision table keeps the reason structured (``evaluator.ranking.reasons``); a reason
        stored by an earlier version is its English sentence, which stays as it is (no Korean)."""
        if decision is None or not decision.computed_reason:
            return decision
        en, ko = stored_words(decision.computed_reason)
        return dataclasses.replace(decision, computed_reason=en, computed_reason_ko=ko)

    def _ranking(self, *, track: str | None = None, method: str | None = None, provisional: bool = False,
                 round: str | None = None, progress: Progress = no_progress, cancel: CancelToken = NEVER):
        """The ranking the reports print: computed now, never stored (``store.ranking.rank``; a
        signed-off round's frozen decisions)."""
        kwargs: dict[str, Any] = {"progress": progress, "cancel": cancel}
        if round is not None:
            kwargs["round"] = round
        if track is not None:
            kwargs["track"] = track
        if method is not None:
            kwargs["method"] = method
        if provisional:
            kwargs["provisional"] = True
        return self._ranker.rank(**kwargs)


#: the personal fields a document with ``include_personal`` carries
_PERSONAL = ["representative", "phone", "email", "address", "attendees"]


def _personal_reason(include_personal: bool, reason: str | None, what: Message) -> str | None:
    """The reason a document with contact data needs (asked before anything is written)."""
    if not include_personal:
        return reason
    from ..privacy.access import require_reason

    return require_reason(reason, what)


def _scaled(progress: Progress, start: float, end: float) -> Progress:
    def sub(fraction: float, message: str = "") -> None:
        progress(start + (end - start) * max(0.0, min(1.0, fraction)), message)
    return sub


def _nothing(what: str, *, track: str | None = None, evaluator: str | None = None, ids: Any = None) -> Message:
    scope: list[Message] = []
    if ids:
        scope.append(msg("reports.scope_applications", "applications {apps}", apps=", ".join(list(ids)[:5])))
    if track:
        scope.append(msg("reports.scope_track", "track '{track}'", track=track))
    if evaluator:
        scope.append(msg("reports.scope_evaluator", "evaluator {evaluator}", evaluator=evaluator))
    if not scope:
        return (msg("reports.no_evaluations", "There are no evaluations to print.") if what == "evaluations" else
                msg("reports.no_applications", "There are no applications to print."))
    joined = scope[0]
    for part in scope[1:]:
        joined = msg("reports.scope_and", "{first} and {second}", first=joined, second=part)
    if what == "evaluations":
        return msg("reports.no_evaluations_for", "There are no evaluations to print for {scope}.", scope=joined)
    return msg("reports.no_applications_for", "There are no applications to print for {scope}.", scope=joined)
