"""The records replayed from the audit chain: every score, evaluation state, decision and
override must equal what the chain says last.

The chain proves that its entries were not changed, but not that the records were only changed
through it: an ``UPDATE score …`` with a plain SQLite tool leaves the chain intact.  So the entries
that set values are replayed, in chain order, and what they leave is compared with the tables:

* a **score** — ``score`` entries (autosave, direct entry, paper import) carry the new level,
  points and comment, the criterion and (since revision 0004's release) the evaluation's uuid and
  the evaluator;
* an **evaluation** — its state (``finalise`` / ``reopen``), abstention (``abstain`` /
  ``withdraw_abstention``) and comment (``evaluation_comment``); an evaluation *with all its scores*
  from a merge (``merge_package``: an added evaluation's values are the package's ``data.json``,
  kept as evidence and named by its hash in the entry; a changed one's old and new values are in
  the entry), a conflict settled by the merge's rule (``merge_conflict``) or by the office
  (``resolve_conflict``);
* a **decision** — the computed decision of each application a stored ranking changed
  (``ranking``: ``new.decisions``) and the committee's override (``override`` /
  ``clear_override``).

An evaluation no entry ever touched must hold the defaults (draft, not abstained, no comment, no
scores).  Databases written before the entries carried every value stay verifiable without false
alarms: a record is checked from the first entry that carries its values — a ranking entry
without ``decisions`` (before 2026-11-22) leaves that track's computed decisions unchecked until a
later ranking names them again; a score entry without the evaluation's uuid is placed through its
score's row (a score row removed since then is reported unless a later merge or conflict
resolution replaced its evaluation's scores).  Site visits and photos are not replayed (their
entries do carry their values).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from ..db.models import (
    Application, Assignment, Criterion, Decision, Evaluation, Evaluator, PackageReceipt, Program, Score, Track,
)
from ..messages import Message, msg
from .personal import TOMBSTONE

#: an evaluation no entry touched: the values a new one has
DEFAULTS = {"state": "draft", "abstained": False, "abstain_reason": "", "comment": ""}
_UNKNOWN = object()  # a value set by an entry that did not record it (see the module docstring)


@dataclass
class _Evaluation:
    """What the chain says an evaluation is: each field as (value, entry id), scores by criterion."""

    fields: dict[str, tuple[Any, int]] = field(default_factory=dict)
    scores: dict[str, tuple[tuple, int]] = field(default_factory=dict)
    #: entry that last set the whole evaluation (a merge, a conflict), 0 if none did
    whole: int = 0
    #: the application's and the evaluator's ids, as the entries name them (for messages)
    application: str = ""
    evaluator: str = ""

    def named(self, application: Any, evaluator: Any) -> None:
        self.application = self.application or str(application or "")
        self.evaluator = self.evaluator or str(evaluator or "")

    def purged(self, entry: int) -> None:
        """The application's personal data was destroyed at ``entry``: every free text that was
        not empty is now the tombstone (:data:`evaluator.audit.personal.TOMBSTONE`)."""
        for k in ("comment", "abstain_reason"):
            value, at = self.fields.get(k, (DEFAULTS[k], 0))
            if value not in ("", None, _UNKNOWN):
                self.fields[k] = (TOMBSTONE, entry)
        for code, (v, at) in list(self.scores.items()):
            if len(v) == 3 and v[2]:
                self.scores[code] = ((v[0], v[1], TOMBSTONE), entry)

    def where(self, uuid: str) -> Message:
        if not self.application:
            return msg("audit.the_evaluation_uuid", "the evaluation {uuid}", uuid=uuid)
        if self.evaluator:
            return _evaluation_of(self.application, self.evaluator)
        return msg("audit.the_evaluation_of_app", "the evaluation of {app}", app=self.application)


def _evaluation_of(app: Any, evaluator: Any) -> Message:
    return msg("audit.the_evaluation_of", "the evaluation of {app} by {evaluator}", app=app, evaluator=evaluator)


def _score(level: Any, points: Any, comment: Any) -> tuple:
    """A score's values as compared: an empty score (no level, no points, no comment) is no score."""
    value = (level, None if points is None else float(points), comment or "")
    return () if value == (None, None, "") else value


def _show_score(v: tuple, comment: bool = True) -> Message:
    """A score for a message (its comment only with ``comment``: when the two sides' comments differ)."""
    if not v:
        return msg("audit.no_score", "no score")
    level, points, text = v
    if level is not None and points is not None:
        out = msg("audit.score_level_points", "{level} ({points:g} {points:point|points})", level=level, points=points)
    elif points is not None:
        out = msg("audit.score_points", "{points:g} {points:point|points}", points=points)
    else:
        out = msg("audit.score_no_points", "no points")
    if comment:
        if text:
            out = msg("audit.score_comment", "{score}, comment {comment}", score=out,
                      comment=repr(text[:40] + "…" if len(text) > 40 else text))
        else:
            out = msg("audit.score_without_comment", "{score}, no comment", score=out)
    return out


def _show(v: Any) -> Message | str:
    if isinstance(v, bool):
        return msg("audit.yes", "yes") if v else msg("audit.no", "no")
    return msg("audit.nothing", "nothing") if v is None else repr(v)


_FIELD = {"state": msg("audit.its_state", "its state"), "abstained": msg("audit.its_abstention", "its abstention"),
          "abstain_reason": msg("audit.its_abstention_reason", "its abstention reason"),
          "comment": msg("audit.its_comment", "its comment")}


class Replay:
    """Fed every entry of a verified chain (:meth:`visit`, in order); :meth:`compare` then checks
    the records of ``s`` against what the entries left."""

    def __init__(self, s: Session) -> None:
        self.s = s
        self.events: list[tuple] = []  # (kind, entry id, …) of the entries that set values
        #: package receipt -> the hash of its data.json as a purge re-wrote it
        self.redacted: dict[str, Any] = {}

    # --- phase 1: the entries (called for each one while the chain is verified) -----------------
    def visit(self, r: Row, new: Any = None) -> None:
        """``new``: the entry's ``new`` with its personal values read back (when it holds markers,
        :class:`evaluator.audit.personal.Resolver`), else the entry's own."""
        entity, action = r.entity, r.action
        if new is None:
            new = r.new
        if entity == "score":
            if action == "score" and isinstance(new, dict):
                self.events.append(("score", r.id, r.entity_uuid, new))
        elif entity == "evaluation":
            if action in ("finalise", "reopen", "abstain", "withdraw_abstention", "evaluation_comment",
                          "merge_conflict", "resolve_conflict") and r.entity_uuid:
                self.events.append(("evaluation", r.id, r.entity_uuid, action, new))
        elif entity == "package":
            if action == "merge_package" and isinstance(new, dict):
                self.events.append(("merge", r.id, r.entity_uuid, new))
            elif action == "redact_evidence" and isinstance(new, dict) and r.entity_uuid:
                self.redacted[r.entity_uuid] = new.get("data_sha256")
        elif entity == "program":
            if action == "ranking" and isinstance(new, dict):
                self.events.append(("ranking", r.id, r.entity_uuid, new))
        elif entity == "application":
            if action in ("override", "clear_override") and isinstance(new, dict):
                self.events.append(("override", r.id, r.entity_uuid, new))
            elif action == "purge" and r.entity_uuid:
                self.events.append(("purge", r.id, r.entity_uuid))

    # --- phase 2: apply them in order, then compare ---------------------------------------------
    def compare(self) -> tuple[list[str], dict[str, int]]:
        """(problems, {"evaluations": n, "scores": n, "decisions": n} compared)."""
        s = self.s
        self.problems: list[str] = []
        evals = {r.uuid: r for r in s.execute(
            select(Evaluation.uuid, Evaluation.state, Evaluation.abstained, Evaluation.abstain_reason,
                   Evaluation.comment, Application.external_id, Evaluator.code, Application.uuid.label("app_uuid"))
            .join(Assignment, Assignment.id == Evaluation.assignment_id)
            .join(Application, Application.id == Assignment.application_id)
            .join(Evaluator, Evaluator.id == Assignment.evaluator_id))}
        scores: dict[str, dict[str, tuple]] = {}
        score_home: dict[str, tuple[str, str]] = {}  # score uuid -> (evaluation uuid, criterion)
        n_scores = 0
        for suuid, euuid, code, level, points, comment in s.execute(
                select(Score.uuid, Evaluation.uuid, Criterion.code, Score.level, Score.points, Score.comment)
                .join(Evaluation, Evaluation.id == Score.evaluation_id)
                .join(Criterion, Criterion.id == Score.criterion_id)):
            score_home[suuid] = (euuid, code)
            value = _score(level, points, comment)
            if value:
                scores.setdefault(euuid, {})[code] = value
                n_scores += 1
        expected: dict[str, _Evaluation] = {}
        orphans: list[tuple[int, str, str, str]] = []  # score entries whose evaluation is unknown
        computed: dict[str, tuple[Any, int]] = {}  # application uuid -> (decision, entry id)
        overrides: dict[str, tuple[Any, int]] = {}
        apps = None

        def evaluation(uuid: str) -> _Evaluation:
            e = expected.get(uuid)
            if e is None:
                e = expected[uuid] = _Evaluation()
            return e

        def whole(uuid: str, entry: int, values: dict[str, Any] | None, application: Any = "",
                  evaluator: Any = "") -> None:
            """An entry that sets the whole evaluation (None: whose values are not known)."""
            e = evaluation(uuid)
            e.whole = entry
            e.named(application, evaluator)
            values = values if isinstance(values, dict) else {}
            for k in DEFAULTS:
                v = values.get(k, _UNKNOWN)
                e.fields[k] = (bool(v) if k == "abstained" and v is not _UNKNOWN else v, entry)
            raw = values.get("scores")
            e.scores = {}
            if not isinstance(raw, dict):
                e.scores["*"] = ((_UNKNOWN,), entry)
                return
            for code, v in raw.items():
                if isinstance(v, dict):
                    v = _score(v.get("level"), v.get("points"), v.get("comment"))
                elif isinstance(v, (list, tuple)) and len(v) == 3:
                    v = _score(*v)
                else:
                    v = (_UNKNOWN,)
                if v:
                    e.scores[code] = (v, entry)

        for ev in self.events:
            kind, entry = ev[0], ev[1]
            if kind == "score":
                _, _, suuid, new = ev
                if not {"level", "points", "criterion"} <= new.keys():
                    continue  # an entry that did not record the values: nothing to replay
                home = (new["evaluation"], new["criterion"]) if new.get("evaluation") else score_home.get(suuid)
                if home is None:
                    orphans.append((entry, str(new.get("application") or ""), str(new["criterion"]), str(suuid)))
                    continue
                e = evaluation(home[0])
                e.named(new.get("application"), new.get("evaluator"))
                value = _score(new["level"], new["points"], new.get("comment"))
                if value:
                    e.scores[home[1]] = (value, entry)
                else:
                    e.scores.pop(home[1], None)
            elif kind == "evaluation":
                _, _, uuid, action, new = ev
                if action in ("finalise", "reopen"):
                    if isinstance(new, dict) and "state" in new:
                        evaluation(uuid).fields["state"] = (new["state"], entry)
                elif action in ("abstain", "withdraw_abstention"):
                    if isinstance(new, dict) and "abstained" in new:
                        e = evaluation(uuid)
                        e.fields["abstained"] = (bool(new["abstained"]), entry)
                        e.fields["abstain_reason"] = (new.get("reason", _UNKNOWN), entry)
                elif action == "evaluation_comment":
                    evaluation(uuid).fields["comment"] = (new if isinstance(new, str) else _UNKNOWN, entry)
                elif isinstance(new, dict):  # merge_conflict, resolve_conflict: the whole evaluation
                    whole(uuid, entry, new)
            elif kind == "merge":
                _, _, receipt, new = ev
                for item in new.get("changed") or ():
                    if isinstance(item, dict) and item.get("entity") == "evaluation" and item.get("uuid"):
                        whole(item["uuid"], entry, item.get("new"), item.get("application"), new.get("evaluator"))
                added = [a for a in new.get("added") or ()
                         if isinstance(a, list) and len(a) == 3 and a[0] == "evaluation"]
                if added:
                    data = self._evidence(receipt, new.get("data_sha256"), entry) or {}
                    for _, uuid, ext in added:
                        whole(uuid, entry, data.get(uuid), ext, new.get("evaluator"))
            elif kind == "ranking":
                _, _, program, new = ev
                if apps is None:
                    apps = self._applications()
                decisions = new.get("decisions")
                if not isinstance(decisions, dict):  # before decisions were recorded: not checked
                    for app_uuid in apps["tracks"].get((program, new.get("track")), ()):
                        computed[app_uuid] = (_UNKNOWN, entry)
                    continue
                for ext, decision in decisions.items():
                    app_uuid = apps["ids"].get((program, ext))
                    if app_uuid is not None:
                        computed[app_uuid] = (decision, entry)
            elif kind == "override":
                _, _, app_uuid, new = ev
                overrides[app_uuid] = (new.get("override", _UNKNOWN), entry)
            elif kind == "purge":
                for uuid, r in evals.items():
                    if r.app_uuid == ev[2]:
                        evaluation(uuid).purged(entry)

        self._compare_evaluations(evals, scores, expected)
        self._orphans(orphans, expected)
        n_decisions = self._compare_decisions(computed, overrides)
        return self.problems, {"evaluations": len(evals), "scores": n_scores, "decisions": n_decisions}

    # --- the pieces ------------------------------------------------------------------------------
    def _evidence(self, receipt: str, digest: Any, entry: int) -> dict[str, dict[str, Any]] | None:
        """The evaluations of a merged package's ``data.json`` (by uuid), from the evidence the
        office kept — only if it still has the hash the merge's entry names."""
        from ..packages.archive import unstore
        from ..packages.formats import sha256
        from ..packages.models import PackageEvidence

        row = self.s.execute(
            select(PackageEvidence.data_method, PackageEvidence.data)
            .join(PackageReceipt, PackageReceipt.id == PackageEvidence.receipt_id)
            .where(PackageReceipt.uuid == receipt)).first()
        if row is None:
            self.problems.append(str(msg("audit.evidence_missing", "the evidence of the package merged at entry "
                                         "{entry} is missing, so the evaluations it added cannot be checked",
                                         entry=entry)))
            return None
        try:
            data = unstore(row.data_method, bytes(row.data))
            # (a purge may have re-written it without the purged people's values: its entry names the new hash)
            if sha256(data) not in (digest, self.redacted.get(receipt)):
                raise ValueError("hash")
            doc = json.loads(data)
            out = {}
            for e in doc["evaluations"]:
                out[e["uuid"]] = {"state": e["state"], "abstained": e["abstained"],
                                  "abstain_reason": e["abstain_reason"], "comment": e["comment"],
                                  "scores": {sc[1]: sc[2:5] for sc in e["scores"]}}
            return out
        except (ValueError, KeyError, TypeError, IndexError):
            self.problems.append(str(msg("audit.evidence_hash", "the evidence of the package merged at entry {entry} "
                                         "no longer matches the hash the entry names, so the evaluations it added "
                                         "cannot be checked", entry=entry)))
            return None

    def _applications(self) -> dict[str, dict]:
        ids: dict[tuple[str, str], str] = {}
        tracks: dict[tuple[str, str], list[str]] = {}
        for puuid, ext, auuid, track in self.s.execute(
                select(Program.uuid, Application.external_id, Application.uuid, Track.code)
                .join(Program, Program.id == Application.program_id).join(Track, Track.id == Application.track_id)):
            ids[(puuid, ext)] = auuid
            tracks.setdefault((puuid, track), []).append(auuid)
        return {"ids": ids, "tracks": tracks}

    def _compare_evaluations(self, evals: dict[str, Row], scores: dict[str, dict[str, tuple]],
                             expected: dict[str, _Evaluation]) -> None:
        problems = self.problems
        for uuid, r in evals.items():
            where = _evaluation_of(r.external_id, r.code)
            exp = expected.get(uuid) or _Evaluation()
            have = {"state": r.state, "abstained": bool(r.abstained), "abstain_reason": r.abstain_reason or "",
                    "comment": r.comment or ""}
            for k, default in DEFAULTS.items():
                want, entry = exp.fields.get(k, (default, 0))
                if want is _UNKNOWN or have[k] == (want or "" if k in ("abstain_reason", "comment") else want):
                    continue
                problems.append(str(msg("audit.field_differs", "{where}: {field} is {have} in the database, but the "
                                        "audit trail says {want} ({said})", where=where, field=_FIELD[k],
                                        have=_show(have[k]), want=_show(want), said=_said(entry))))
            if "*" in exp.scores:
                continue  # its scores came with values this database no longer has (reported above)
            mine = scores.get(uuid, {})
            for code in sorted(set(mine) | set(exp.scores)):
                want, entry = exp.scores.get(code, ((), exp.whole))
                got = mine.get(code, ())
                if want and want[0] is _UNKNOWN or got == want:
                    continue
                if not got:
                    problems.append(str(msg("audit.score_missing", "{where}: the score for '{criterion}' is missing "
                                            "from the database, but the audit trail says {want} ({said})",
                                            where=where, criterion=code, want=_show_score(want), said=_said(entry))))
                elif not want:
                    problems.append(str(msg("audit.score_unrecorded", "{where}: the score for '{criterion}' is {have} "
                                            "in the database, but the audit trail has no such score ({said})",
                                            where=where, criterion=code, have=_show_score(got), said=_said(entry))))
                else:
                    c = got[2] != want[2]
                    problems.append(str(msg("audit.score_differs", "{where}: the score for '{criterion}' is {have} in "
                                            "the database, but the audit trail says {want} ({said})", where=where,
                                            criterion=code, have=_show_score(got, c), want=_show_score(want, c),
                                            said=_said(entry))))
        for uuid, exp in expected.items():
            if uuid in evals:
                continue
            if any(v not in (DEFAULTS[k], _UNKNOWN) for k, (v, _) in exp.fields.items()) or exp.scores:
                last = max([e for _, e in exp.fields.values()] + [e for _, e in exp.scores.values()] + [exp.whole])
                problems.append(str(msg("audit.evaluation_missing", "{where}: the audit trail records it (last at "
                                        "entry {entry}), but it is missing from the database", where=exp.where(uuid),
                                        entry=last)))

    def _orphans(self, orphans: list[tuple[int, str, str, str]], expected: dict[str, _Evaluation]) -> None:
        """Score entries without the evaluation's uuid whose score row is gone: fine when a later
        merge or conflict resolution replaced the scores of that application's evaluations."""
        if not orphans:
            return
        replaced: dict[str, int] = {}
        for e in expected.values():
            if e.whole:
                replaced[e.application] = max(replaced.get(e.application, 0), e.whole)
        for entry, app, code, suuid in orphans:
            if replaced.get(app, 0) < entry:
                self.problems.append(str(
                    msg("audit.orphan_score", "the score {score} for '{criterion}' of {app} (entry {entry}) is missing "
                        "from the database", score=suuid, criterion=code, app=app, entry=entry) if app else
                    msg("audit.orphan_score_no_app", "the score {score} for '{criterion}' of an application (entry "
                        "{entry}) is missing from the database", score=suuid, criterion=code, entry=entry)))

    def _compare_decisions(self, computed: dict[str, tuple[Any, int]], overrides: dict[str, tuple[Any, int]]) -> int:
        n = 0
        seen = set()
        for app_uuid, ext, have_computed, have_override in self.s.execute(
                select(Application.uuid, Application.external_id, Decision.computed, Decision.override)
                .join(Application, Application.id == Decision.application_id)):
            n += 1
            seen.add(app_uuid)
            for override, have, chain in ((False, have_computed, computed), (True, have_override, overrides)):
                want, entry = chain.get(app_uuid, (None, 0))
                if want is not _UNKNOWN and have != want:
                    values = dict(app=ext, have=_show(have), want=_show(want), said=_said(entry))
                    self.problems.append(str(
                        msg("audit.override_differs", "the committee's override on {app} is {have} in the database, "
                            "but the audit trail says {want} ({said})", **values) if override else
                        msg("audit.decision_differs", "the computed decision on {app} is {have} in the database, but "
                            "the audit trail says {want} ({said})", **values)))
        for chain, override in ((computed, False), (overrides, True)):
            for app_uuid, (want, entry) in chain.items():
                if app_uuid not in seen and want not in (None, _UNKNOWN):
                    self.problems.append(str(
                        msg("audit.override_missing", "the committee's override {value} of entry {entry} is missing "
                            "from the database", value=repr(want), entry=entry) if override else
                        msg("audit.decision_missing", "the computed decision {value} of entry {entry} is missing from "
                            "the database", value=repr(want), entry=entry)))
        return n


def _said(entry: int) -> Message:
    return msg("audit.entry_n", "entry {entry}", entry=entry) if entry else msg("audit.no_entry", "no entry ever set it")
