"""Database side of the ranking: load one track's inputs in a few bulk queries, store the snapshot.

Five queries per track whatever its size (applications, assignments with their evaluations,
scores, manual gate outcomes, decisions); no per-application query.  Functions receive a session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import chain
from operator import attrgetter
from typing import Any, NamedTuple

from sqlalchemy import func, null, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from .. import audit
from ..db.models import (
    Application, Assignment, Criterion, Decision, EligibilityGate, Evaluation, Evaluator, GateResult, Program,
    Round, Score, Track, utcnow,
)
from ..errors import ValidationError
from ..messages import msg
from ..packages.bulk import Bulk
from ..programfile import program_rules
from ..rules import EMPTY, Eligibility, RuleSet, SupportAmount
from ..services.common import rubric_def
from ..services.programs import DEFAULT_SETTINGS
from .inputs import (
    NOT_STARTED, TIE_BREAKS, ApplicationInput, CriterionSpec, EvaluationInput, GateSpec, TrackInputs,
)
from .model import METHODS, TrackRanking
from .reasons import to_json, words

#: the ranking settings a program may carry (``Program.settings``), with their defaults
RANKING_SETTINGS = ("method", "trim_min_evaluators", "disagreement_threshold", "min_score", "tie_breaks")


def effective_settings(program: Program) -> dict[str, Any]:
    merged = {**DEFAULT_SETTINGS, "min_score": None, **(program.settings or {})}
    return {k: merged.get(k) for k in RANKING_SETTINGS}


def validate_settings(changes: dict[str, Any], track_codes: list[str]) -> dict[str, Any]:
    """Check ranking settings; raise ValidationError naming the setting and what is allowed."""
    out: dict[str, Any] = {}
    for key, v in changes.items():
        if key not in RANKING_SETTINGS:
            raise ValidationError(msg("ranking.unknown_setting", "'{key}' is not a ranking setting; use one of: "
                                      "{allowed}.", key=key, allowed=", ".join(RANKING_SETTINGS)))
        if key == "method":
            if v not in METHODS:
                raise ValidationError(msg("ranking.setting_method", "Ranking setting method: '{value}' is not one of "
                                          "{allowed}.", value=v, allowed=", ".join(METHODS)))
        elif key == "trim_min_evaluators":
            if isinstance(v, bool) or not isinstance(v, int) or v < 3:
                raise ValidationError(msg("ranking.setting_trim", "Ranking setting trim_min_evaluators must be a whole "
                                          "number of at least 3, got {got}.", got=repr(v)))
        elif key == "disagreement_threshold":
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= 100:
                raise ValidationError(msg("ranking.setting_disagreement", "Ranking setting disagreement_threshold must "
                                          "be 0–100 points, got {got}.", got=repr(v)))
            v = float(v)
        elif key == "min_score":
            values = v.values() if isinstance(v, dict) else [v]
            if isinstance(v, dict):
                unknown = sorted(set(v) - set(track_codes))
                if unknown:
                    raise ValidationError(msg("ranking.setting_min_score_tracks", "Ranking setting min_score names "
                                              "unknown track(s) {unknown} (tracks: {tracks}).",
                                              unknown=", ".join(unknown), tracks=", ".join(track_codes)))
            for x in values:
                if x is not None and (isinstance(x, bool) or not isinstance(x, (int, float)) or not 0 <= x <= 100):
                    raise ValidationError(msg("ranking.setting_min_score", "Ranking setting min_score must be 0–100 "
                                              "points (or empty for the rubric's own), got {got}.", got=repr(x)))
        elif key == "tie_breaks":
            if not isinstance(v, (list, tuple)) or any(r not in TIE_BREAKS for r in v) or len(set(v)) != len(v):
                raise ValidationError(msg("ranking.setting_tie_breaks", "Ranking setting tie_breaks must list distinct "
                                          "rules from {allowed}, got {got}.", allowed=", ".join(TIE_BREAKS),
                                          got=repr(v)))
            v = list(v)
        out[key] = v
    return out


def min_score_for(settings: dict[str, Any], track: Track) -> float:
    """The ranking setting's minimum (``evaluator settings --min-score``), else the track's own (its
    program file's), else its rubric's."""
    v = settings.get("min_score")
    if isinstance(v, dict):
        v = v.get(track.code)
    if v is None:
        v = track.min_score
    return float(v) if v is not None else float(track.rubric.min_score)


def _fetch_all(conn: Connection, stmt) -> list[tuple]:
    """All rows of a large, plain query as tuples straight from the driver (same transaction).

    The score query returns ~10 rows per evaluation; the driver's own ``fetchall`` is several
    times faster than result rows for hundreds of thousands of them.  Only integer literals are
    inlined (``literal_binds``), so the SQL text is safe.  Values come as the driver gives them:
    use it only for integer, text, float and boolean columns (booleans may come as 0/1)."""
    sql = str(stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    cur = conn.connection.cursor()
    try:
        cur.execute(sql)
        return cur.fetchall()
    finally:
        cur.close()


def _batches(conn: Connection, stmt, size: int = 4096):
    """:func:`_fetch_all` a batch at a time (lists of rows): a large result never sits in memory
    whole (on a 100,000-application program the score pivot alone is 300,000 rows)."""
    sql = str(stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    cur = conn.connection.cursor()
    try:
        cur.execute(sql)
        while True:
            rows = cur.fetchmany(size)
            if not rows:
                return
            yield rows
    finally:
        cur.close()


class StoredDecision(NamedTuple):
    """The computed snapshot of one application as the Decision table holds it."""

    id: int  # the Decision row
    computed: str | None
    reason: str  # the structured reason as canonical JSON (an English sentence if written by an earlier version)
    rank: int | None
    score: float | None
    method: str | None


@dataclass
class LoadedTrack:
    inputs: TrackInputs
    app_ids: dict[str, int]  # external id -> database id
    #: application db id -> its stored decision (may hold other tracks')
    decisions: dict[int, StoredDecision]


def load_tracks(s: Session, program: Program, tracks: list[Track], *, method: str, provisional: bool,
                stability: bool, settings: dict[str, Any], round_id: int | None = None,
                terms: dict[int, Any] | None = None, scoped: bool = False) -> list[LoadedTrack]:
    """The inputs of ``tracks``: one query per table for all of them, rows grouped in Python.

    With ``round_id`` only that round's applications (``terms``: track id -> its quota and budget
    there); ``scoped`` (a program of several rounds) also reads only their scores, so ranking one
    round of a long rolling program costs what ranking those applications alone does."""
    track_ids = [int(t.id) for t in tracks]
    rubric_ids = sorted({int(t.rubric_id) for t in tracks})
    conn = s.connection()  # Core rows: no ORM identity work for thousands of plain tuples
    in_tracks = Application.track_id.in_(track_ids)
    if round_id is not None:
        in_tracks = in_tracks & (Application.round_id == round_id)

    crit_of: dict[int, tuple[int, str]] = {}  # criterion id -> (rubric id, code)
    for cid, rid, code in conn.execute(select(Criterion.id, Criterion.rubric_id, Criterion.code)
                                       .where(Criterion.rubric_id.in_(rubric_ids))):
        crit_of[cid] = (rid, code)
    gate_of: dict[int, str] = dict(conn.execute(select(EligibilityGate.id, EligibilityGate.code)
                                                .where(EligibilityGate.rubric_id.in_(rubric_ids))).all())
    # 1. applications (driver rows: dates come as ISO text from SQLite, as dates from PostgreSQL)
    apps = _fetch_all(conn, (
        select(Application.track_id, Application.id, Application.external_id, Application.title,
               Application.group_name, Application.district, Application.category, Application.members,
               Application.requested_amount, Application.self_contribution, Application.submitted_on,
               Application.status)
        .where(in_tracks)
    ))
    # 2. assignments (with declared conflicts) and their evaluations
    ev_code: dict[int, str] = dict(conn.execute(select(Evaluator.id, Evaluator.code)).all())
    pairs = _batches(conn, (
        select(Assignment.application_id, Assignment.evaluator_id, Assignment.conflict_type,
               Assignment.conflict_note, Evaluation.id, Evaluation.state, Evaluation.abstained,
               Evaluation.abstain_reason)
        .join(Application, Application.id == Assignment.application_id)
        .outerjoin(Evaluation, Evaluation.assignment_id == Assignment.id)
        .where(in_tracks)
    ))
    # 3. scores: one scan of the score table for these rubrics' criteria (cheaper than joining per
    #    track), pivoted in SQL: one row per evaluation, one column per criterion position (the
    #    database groups the ~10 score rows of each evaluation; Python sees a tenth of the rows).
    #    A criterion without a score row, or with NULL points, comes out as None either way.
    specs = {int(t.id): rubric_def(t) for t in tracks}
    positions: dict[int, dict[str, int]] = {}
    for t in tracks:
        positions[int(t.rubric_id)] = {c.code: k for k, c in enumerate(specs[int(t.id)].criteria)}
    crit_pos = {cid: positions[rid][code] for cid, (rid, code) in crit_of.items() if code in positions[rid]}
    width_of = {rid: len(p) for rid, p in positions.items()}
    width = max(width_of.values())
    points: dict[int, tuple[float | None, ...]] = {}
    points_range: tuple[float, float] | None = None
    if crit_pos:
        at: dict[int, list[int]] = {}
        for cid, k in crit_pos.items():
            at.setdefault(k, []).append(cid)
        # one criterion per position (one rubric): ``= id``, cheaper for the database than ``IN``;
        # ``sum`` of the one value is the value (and the cheapest aggregate)
        cols = [(func.sum(Score.points).filter(Score.criterion_id == at[k][0]) if len(at[k]) == 1
                 else func.sum(Score.points).filter(Score.criterion_id.in_(sorted(at[k]))))
                if k in at else null() for k in range(width)]
        ids = sorted(crit_pos)
        which = (Score.criterion_id.between(ids[0], ids[-1]) if ids[-1] - ids[0] == len(ids) - 1
                 else Score.criterion_id.in_(ids))
        scores = select(Score.evaluation_id, *cols).where(which)
        if scoped:  # only this round's evaluations (through the assignment's application index)
            scores = scores.where(Score.evaluation_id.in_(
                select(Evaluation.id).join(Assignment, Assignment.id == Evaluation.assignment_id)
                .join(Application, Application.id == Assignment.application_id).where(in_tracks)))
        # each distinct number of points once (a rubric gives a few hundred values to millions of
        # scores): a tenth of the memory, and the ranking's passes over the points read the same
        # few objects instead of millions scattered through memory.  Zeros, blanks and NaN stay
        # as read (-0.0 equals 0.0 as a key but prints otherwise; NaN equals nothing).
        distinct: dict = {}
        same = distinct.setdefault
        for rows in _batches(conn, scores.group_by(Score.evaluation_id)):
            for row in rows:
                points[row[0]] = tuple([v and same(v, v) for v in row[1:]])
        # the range of every point read, and 0 (a blank counts 0; zeros are not interned): the
        # stability analysis bounds how far a weight change moves a score with it (NaN, if any, is
        # left to the analysis's own pass over the points)
        if all(v == v for v in distinct):
            values = [*distinct, 0.0]
            points_range = (min(values), max(values))
    # 4. manual gate outcomes
    gates_by_app: dict[int, dict[str, bool]] = {}
    if gate_of:
        for aid, gid, passed in conn.execute(
            select(GateResult.application_id, GateResult.gate_id, GateResult.passed)
            .join(Application, Application.id == GateResult.application_id).where(in_tracks)
        ):
            if gid in gate_of:
                gates_by_app.setdefault(aid, {})[gate_of[gid]] = bool(passed)
    # 5. decisions (overrides and the last computed snapshot)
    decisions: dict[int, StoredDecision] = {}
    overrides: dict[int, tuple[str, str]] = {}
    for did, aid, comp, reason, rank, score, meth, ov, ov_reason in _fetch_all(conn, (
        select(Decision.id, Decision.application_id, Decision.computed, Decision.computed_reason,
               Decision.computed_rank, Decision.computed_score, Decision.computed_method, Decision.override,
               Decision.override_reason)
        .join(Application, Application.id == Decision.application_id).where(in_tracks)
    )):
        decisions[aid] = StoredDecision(did, comp, reason, rank, score, meth)
        if ov:
            overrides[aid] = (ov, ov_reason or "")

    # the rubric of each application (a program's tracks may use rubrics of different widths)
    track_rubric = {int(t.id): int(t.rubric_id) for t in tracks}
    narrow = {tid for tid, rid in track_rubric.items() if width_of[rid] < width}
    app_track = {row[1]: row[0] for row in apps} if narrow else {}
    evals_by_app: dict[int, list[EvaluationInput]] = {}
    new_ev = tuple.__new__
    # the driver makes a new string of every value read: a few values repeated over 300,000
    # evaluations (their state) or 100,000 applications (district, category, status, amounts, day) are
    # kept once each, which the ranking's passes then find in the same few places in memory
    once = {}.setdefault
    for aid, evid, conflict, note, eid, state, abstained, ab_reason in chain.from_iterable(pairs):
        state = once(state, state)
        if eid is None:
            ev = new_ev(EvaluationInput, (ev_code[evid], (), NOT_STARTED, False, ab_reason or "", conflict,
                                          note or ""))
        else:
            pts = points.get(eid) or ()
            if narrow and pts and app_track[aid] in narrow:
                pts = pts[:width_of[track_rubric[app_track[aid]]]]
            ev = new_ev(EvaluationInput, (ev_code[evid], pts, state, bool(abstained), ab_reason or "", conflict,
                                          note or ""))
        got = evals_by_app.get(aid)
        if got is None:
            evals_by_app[aid] = [ev]
        else:
            got.append(ev)
    per_track: dict[int, list[ApplicationInput]] = {tid: [] for tid in track_ids}
    app_ids: dict[int, dict[str, int]] = {tid: {} for tid in track_ids}
    no_gates: dict[str, bool] = {}  # shared, never mutated
    fromiso = date.fromisoformat
    days: dict = {}  # each submission day once (as text from SQLite, as a date from PostgreSQL)
    for (tid, aid, ext, title, group, district, category, members, requested, own, submitted, status) in apps:
        app_ids[tid][ext] = aid
        ov = overrides.get(aid)
        if submitted is not None:
            day = days.get(submitted)
            if day is None:
                day = days[submitted] = fromiso(submitted) if type(submitted) is str else submitted
            submitted = day
        evs = evals_by_app.get(aid)
        per_track[tid].append(new_ev(ApplicationInput, (
            ext, tuple(evs) if evs else (), title, group, once(district, district), once(category, category),
            members, once(requested, requested), once(own, own), submitted, once(status, status),
            gates_by_app.get(aid, no_gates),
            ov[0] if ov else None, ov[1] if ov else "",
        )))
    rules = rules_of(s, program)
    checked = _apply_rules(s, rules, tracks, in_tracks) if rules else {}
    out = []
    for t in tracks:
        tid = int(t.id)
        rd = specs[tid]
        failures, amounts = checked.get(tid, (None, None))
        in_round = terms.get(tid) if terms else None
        inputs = TrackInputs(
            track=t.code,
            criteria=tuple(CriterionSpec(c.code, c.weight, c.max_points, c.required, c.field_check)
                           for c in rd.criteria),
            applications=tuple(per_track[tid]), quota=in_round.quota if in_round is not None else t.quota,
            reserve_size=t.reserve_size, budget=in_round.available if in_round is not None else t.budget,
            min_score=min_score_for(settings, t), method=method,
            trim_min_evaluators=int(settings["trim_min_evaluators"]),
            disagreement_threshold=float(settings["disagreement_threshold"]),
            tie_breaks=tuple(settings.get("tie_breaks") or TIE_BREAKS),
            gates=tuple(GateSpec(g.code, g.name_ko, g.name_en, g.kind, g.field, g.min_value) for g in rd.gates),
            provisional=provisional, stability=stability, name_ko=t.name_ko, name_en=t.name_en,
            rule_failures=failures, support=amounts, budget_draws_support=rules.draws_support(t.code),
            selection=rules.selection(t.code).model, fill=rules.selection(t.code).fill,
            points_range=points_range,
        )
        out.append(LoadedTrack(inputs, app_ids[tid], decisions))
    return out


_RULES: dict[tuple[str, str], RuleSet] = {}  # (program code, content hash) -> its rules, parsed once


def rules_of(s: Session, program: Program) -> RuleSet:
    """The program file's gates and support rule (docs/rules.md), parsed from the stored file."""
    source = program.source or ""
    if "gates" not in source and "support" not in source and "selection" not in source:
        return EMPTY
    key = (program.code, program.content_hash or source)
    got = _RULES.get(key)
    if got is None:
        tracks = {code for (code,) in s.execute(select(Track.code).where(Track.program_id == program.id))}
        rounds = {code for (code,) in s.execute(select(Round.code).where(Round.program_id == program.id))}
        got = program_rules(source, list(program.fields or []), tracks, rounds)
        if len(_RULES) > 32:
            _RULES.clear()
        _RULES[key] = got
    return got


_RULE_COLUMNS = ("members", "requested_amount", "self_contribution", "submitted_on", "title", "group_name",
                 "district", "neighbourhood", "category", "summary")


def application_values(row: Any) -> dict[str, Any]:
    """An application's values as the rules see them: the built-in fields and its typed fields."""
    values = dict(row.fields or {})
    for k in _RULE_COLUMNS:
        values[k] = getattr(row, k)
    if isinstance(values["submitted_on"], str):
        values["submitted_on"] = date.fromisoformat(values["submitted_on"])
    return values


def _apply_rules(s: Session, rules: RuleSet, tracks: list[Track], in_tracks: Any) -> dict[int, tuple[dict, dict]]:
    """Per track id: (application ID -> its failed gates and why, application ID -> its support amount)."""
    codes = {int(t.id): t.code for t in tracks}
    round_code = dict(s.execute(select(Round.id, Round.code).where(Round.program_id == tracks[0].program_id)).all())
    out: dict[int, tuple[dict[str, tuple], dict[str, SupportAmount]]] = {tid: ({}, {}) for tid in codes}
    cols = [getattr(Application, k) for k in _RULE_COLUMNS]
    for row in s.execute(select(Application.track_id, Application.external_id, Application.round_id,
                                Application.fields, *cols).where(in_tracks)):
        track = codes[row.track_id]
        values = application_values(row)
        rnd = round_code.get(row.round_id, "")
        failed, why = rules.check(values, track, rnd)
        fails, amounts = out[row.track_id]
        if failed:
            fails[row.external_id] = (failed, why)
        else:
            amount, _ = rules.amount(values, track, rnd)
            if amount is not None:
                amounts[row.external_id] = amount
    return {tid: (f or None, a if rules.support is not None and (not rules.support.tracks or codes[tid] in
                                                                  rules.support.tracks) else None)
            for tid, (f, a) in out.items()}


def eligibility(s: Session, program: Program, tracks: list[Track], round_id: int | None) -> list[Eligibility]:
    """Every application of ``tracks`` (in a round) against the program's rules, by application ID."""
    rules = rules_of(s, program)
    in_tracks = Application.track_id.in_([int(t.id) for t in tracks])
    if round_id is not None:
        in_tracks = in_tracks & (Application.round_id == round_id)
    codes = {int(t.id): t.code for t in tracks}
    round_code = dict(s.execute(select(Round.id, Round.code).where(Round.program_id == program.id)).all())
    cols = [getattr(Application, k) for k in _RULE_COLUMNS]
    out = []
    for row in s.execute(select(Application.track_id, Application.external_id, Application.round_id,
                                Application.fields, *cols).where(in_tracks).order_by(Application.external_id)):
        track, rnd = codes[row.track_id], round_code.get(row.round_id, "")
        values = application_values(row)
        failed, why = rules.check(values, track, rnd) if rules else ((), ())
        amount = rules.amount(values, track, rnd)[0] if rules and not failed else None
        en, ko = words(why) if why else ("", "")
        out.append(Eligibility(row.external_id, track, rnd, not failed, failed, en, ko, row.requested_amount, amount))
    return out


_DECISION_COMPUTED = ("computed", "computed_reason", "computed_rank", "computed_score", "computed_method",
                      "computed_at")
_DECISION_INSERT = ("application_id", "override", "override_reason", "overridden_by") + _DECISION_COMPUTED
_DECISION_UPDATE = _DECISION_COMPUTED


def snapshot(r: Any) -> tuple:
    """What the Decision table keeps of a ranked row: (computed, reason, rank, score, method), the
    reason structured (:func:`.reasons.to_json`)."""
    score = r.score
    return (r.computed_decision, to_json(r.structured_reason), r.rank,
            round(score, 6) if score is not None else None, r.method)


def _stored(old: StoredDecision) -> tuple:
    return (old.computed, old.reason, old.rank, old.score, old.method)


def is_recorded(loaded: LoadedTrack, ranking: TrackRanking) -> bool:
    """Whether the stored decisions of record are exactly this ranking's computed snapshot."""
    app_ids, decisions = loaded.app_ids, loaded.decisions
    for r in ranking.rows:
        old = decisions.get(app_ids[r.application_id])
        if old is None or _stored(old) != snapshot(r):
            return False
    return True


def persist(s: Session, program: Program, loaded: LoadedTrack, ranking: TrackRanking, *, actor: str,
            device: str) -> int:
    """Store the computed snapshot in ``Decision.computed_*``; only changed rows are written.

    The reason is stored structured (:func:`.reasons.to_json`), so that every reader renders it in
    its own language; a reason stored by an earlier version (its English sentence) is rewritten,
    with no audit entry unless the decision itself changed.

    Returns the number of applications whose computed decision changed (one audit entry per track,
    naming each of them with its old and new decision)."""
    now = utcnow()
    table = Decision.__table__
    bulk = Bulk(s)
    # on SQLite the rows go to the driver as stored: the timestamp as SQLAlchemy's DateTime stores it
    at = now.isoformat(" ", "microseconds") if bulk.sqlite else now
    inserts: list[tuple] = []
    updates: list[tuple] = []
    # the changed computed decisions: application -> old (None: never ranked), and -> new (two
    # dicts filled in the same order, by application ID, what the audit entry holds; no pair per row
    # to take apart)
    was: dict[str, str | None] = {}
    changed: dict[str, str] = {}
    app_ids, decisions = loaded.app_ids, loaded.decisions
    selected: list[tuple[int, str]] = []  # (rank, application): the audit entry lists them in rank order
    reserve: list[tuple[int, str]] = []
    # One pass, in application-ID order: the order the loader read the applications in, and so
    # the order their rows lie in memory (on a large track, rank order jumps across it for every
    # row); the audit entry's canonical JSON then finds its keys sorted already, and the new
    # Decision rows come close to the order of their index.
    for r in sorted(ranking.rows, key=_APPLICATION_ID):
        app = r.application_id
        aid = app_ids[app]
        computed = r.computed_decision
        if computed == "selected":
            selected.append((r.rank, app))
        elif computed == "reserve":
            reserve.append((r.rank, app))
        new = snapshot(r)
        old = decisions.get(aid)
        if old is None:
            inserts.append((aid, None, "", "", *new, at))
            was[app] = None
            changed[app] = computed
        elif _stored(old) != new:
            updates.append((*new, at, old.id))
            if old.computed != computed:
                was[app] = old.computed
                changed[app] = computed
    # one executemany per kind, straight to the driver on SQLite (as a merge writes its rows)
    inserts.sort()  # in application order: the unique index on it is filled in order
    bulk.insert(table, _DECISION_INSERT, inserts, converted=True)
    bulk.update(table, _DECISION_UPDATE, updates, converted=True)
    if changed:
        audit.append(s, actor=actor, device=device, action="ranking", entity="program", entity_uuid=program.uuid,
                     old={"track": ranking.track, "decisions": was},
                     new={"track": ranking.track, "method": ranking.method, "decisions_changed": len(changed),
                          "decisions": changed,
                          "selected": [app for _, app in sorted(selected)],
                          "reserve": [app for _, app in sorted(reserve)]})
    return len(changed)


_APPLICATION_ID = attrgetter("application_id")
