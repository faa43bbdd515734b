"""The autosave path: one criterion's score saved and committed in a handful of SQL statements.

An evaluator's every keystroke lands here, so it skips the ORM: what never changes while a form is
open (ids, rubric) is resolved once per (application, evaluator) by :func:`resolve`; each save then
re-reads the assignment (a conflict declared meanwhile still stops it), the evaluation's state (a
finalised evaluation is locked) and its scores, writes the score, bumps the versions and appends
the audit entry — the same rules and messages as :func:`evaluator.services.scoring.save_score`,
which bulk jobs use inside their ORM sessions.

The statements are plain SQL shared by both engines. On SQLite they go straight to the driver's
cursor (SQLAlchemy's per-statement overhead would otherwise be most of a save's cost); on
PostgreSQL through SQLAlchemy ``text()``.  Values are written in exactly the form SQLAlchemy's
types write them, so ORM reads, the audit verifier and merges see no difference.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from .. import audit
from ..db.models import (
    Application, Assignment, Criterion, Evaluator, Program, Rubric, Track, new_uuid, utcnow,
)
from ..domain import DRAFT, FINALISED, SavedScore
from ..errors import ConflictOfInterest, EditConflict, EvaluationLocked
from ..rubric import Rubric as RubricDef
from .common import (
    _rubric_cache, application_by_id, criteria_by_code, current_program, evaluator_by_code, rubric_def,
)
from .scoring import _assignment, validate_value


@dataclass(frozen=True)
class ScoreTarget:
    """What a save needs to know that does not change while the form is open."""

    assignment_id: int
    application_id: str
    evaluator: str
    rubric: RubricDef
    criterion_ids: dict[str, int]
    criterion_codes: dict[int, str]


#: the common case of :func:`resolve` in one statement: the assignment of this application (in the
#: current program, as :func:`current_program` picks it) to this evaluator, with its rubric
_Q_TARGET = (
    select(Assignment.id, Assignment.conflict_type, Application.external_id, Evaluator.code, Track.rubric_id,
           Rubric.content_hash)
    .join(Application, Application.id == Assignment.application_id)
    .join(Evaluator, Evaluator.id == Assignment.evaluator_id)
    .join(Track, Track.id == Application.track_id)
    .join(Rubric, Rubric.id == Track.rubric_id)
    .where(Application.external_id == bindparam("app"), Evaluator.code == bindparam("ev"),
           Application.program_id == select(Program.id).order_by(Program.id.desc()).limit(1).scalar_subquery())
)


def resolve(s: Session, application_id: str, evaluator: str) -> ScoreTarget:
    """What a save needs, in two queries when the assignment is plain and the rubric already parsed;
    anything else (not found, a declared conflict, a rubric not seen yet) takes the ORM path below,
    which raises the usual errors."""
    rows = s.execute(_Q_TARGET, {"app": application_id, "ev": evaluator}).all()
    if len(rows) == 1 and rows[0][1] is None:
        aid, _conflict, ext, code, rubric_id, content_hash = rows[0]
        rubric = _rubric_cache.get(content_hash)
        if rubric is not None:
            crits = s.execute(select(Criterion.code, Criterion.id).where(Criterion.rubric_id == rubric_id)).all()
            return ScoreTarget(assignment_id=aid, application_id=ext, evaluator=code, rubric=rubric,
                               criterion_ids={c: i for c, i in crits}, criterion_codes={i: c for c, i in crits})
    return _resolve_orm(s, application_id, evaluator)


def _resolve_orm(s: Session, application_id: str, evaluator: str) -> ScoreTarget:
    app = application_by_id(s, application_id, current_program(s))
    ev = evaluator_by_code(s, evaluator)
    a = _assignment(s, app, ev)  # raises NotFound / ConflictOfInterest with the usual messages
    crits = criteria_by_code(s, app.track.rubric_id)
    return ScoreTarget(
        assignment_id=a.id, application_id=app.external_id, evaluator=ev.code, rubric=rubric_def(app.track),
        criterion_ids={code: c.id for code, c in crits.items()},
        criterion_codes={c.id: code for code, c in crits.items()},
    )


_SQL = {
    "state": "SELECT a.conflict_type, e.id, e.state, e.version FROM assignment a "
             "LEFT JOIN evaluation e ON e.assignment_id = a.id WHERE a.id = :aid",
    "scores": "SELECT criterion_id, id, version, level, points, comment, uuid FROM score WHERE evaluation_id = :eid",
    "new_eval": "INSERT INTO evaluation (uuid, assignment_id, state, abstained, abstain_reason, comment, version, "
                "updated_at, device) VALUES (:uuid, :aid, :state, :false, '', '', 1, :now, :device)",
    "eval_id": "SELECT id FROM evaluation WHERE assignment_id = :aid",
    "new_score": "INSERT INTO score (uuid, evaluation_id, criterion_id, level, points, comment, author, version, "
                 "updated_at, device) VALUES (:uuid, :eid, :cid, :level, :points, :comment, :author, 1, :now, :device)",
    "upd_score": "UPDATE score SET level = :level, points = :points, comment = :comment, version = :version, "
                 "updated_at = :now, device = :device WHERE id = :sid",
    "upd_eval": "UPDATE evaluation SET version = :version, updated_at = :now WHERE id = :eid",
    "head": "SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1",
    "audit": "INSERT INTO audit_event (uuid, at, actor, device, action, entity, entity_uuid, old, new, reason, "
             "prev_hash, hash) VALUES (:uuid, :at, :actor, :device, :action, :entity, :entity_uuid, {old}, {new}, "
             ":reason, :prev_hash, :hash)",
}


class _Sqlite:
    """Run the statements on the sqlite3 cursor, in SQLAlchemy's storage formats."""

    def __init__(self, conn: Connection) -> None:
        self.cur = conn.connection.driver_connection.cursor()
        self.sql = {k: v.format(old=":old", new=":new") for k, v in _SQL.items()}

    def rows(self, key: str, params: dict) -> list[tuple]:
        return self.cur.execute(self.sql[key], params).fetchall()

    def run(self, key: str, params: dict) -> None:
        self.cur.execute(self.sql[key], params)

    @staticmethod
    def when(dt: datetime):
        return dt.strftime("%Y-%m-%d %H:%M:%S.%f")

    false = 0

    @staticmethod
    def json(v):
        return json.dumps(v)


class _Generic:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.sql = {k: text(v.format(old="CAST(:old AS JSON)", new="CAST(:new AS JSON)")) for k, v in _SQL.items()}

    def rows(self, key: str, params: dict) -> list[tuple]:
        return [tuple(r) for r in self.conn.execute(self.sql[key], params)]

    def run(self, key: str, params: dict) -> None:
        self.conn.execute(self.sql[key], params)

    @staticmethod
    def when(dt: datetime):
        return dt

    false = False

    @staticmethod
    def json(v):
        return json.dumps(v)


def save(
    conn: Connection,
    t: ScoreTarget,
    criterion: str,
    *,
    level: str | None,
    points: float | None,
    comment: str | None,
    expected_version: int | None,
    actor: str,
    device: str,
    at: datetime | None = None,
) -> SavedScore:
    lvl, pts = validate_value(t.rubric, criterion, level, points)
    now = at or utcnow()
    db = _Sqlite(conn) if conn.dialect.name == "sqlite" else _Generic(conn)
    when = db.when(now)
    conflict, eid, state, eversion = db.rows("state", {"aid": t.assignment_id})[0]
    if conflict is not None:
        raise ConflictOfInterest(
            f"Evaluator {t.evaluator} declared a {conflict} conflict of interest with application "
            f"{t.application_id} and cannot evaluate it."
        )
    if eid is None:
        db.run("new_eval", {"uuid": new_uuid(), "aid": t.assignment_id, "state": DRAFT, "false": db.false,
                            "now": when, "device": device})
        eid, eversion = db.rows("eval_id", {"aid": t.assignment_id})[0][0], 1
    elif state == FINALISED:
        raise EvaluationLocked(
            f"The evaluation of application {t.application_id} by {t.evaluator} is finalised; reopen it with a "
            "reason before changing it."
        )
    cid = t.criterion_ids[criterion]
    points_by_code: dict[str, float | None] = {}
    current = None
    for row in db.rows("scores", {"eid": eid}):
        points_by_code[t.criterion_codes[row[0]]] = row[4]
        if row[0] == cid:
            current = row
    cur_version = current[2] if current else 0
    if expected_version is not None and cur_version != expected_version:
        raise EditConflict(
            f"Edit conflict: the score for '{criterion}' of {t.application_id} by {t.evaluator} changed since "
            f"version {expected_version} (now {cur_version}); nothing was saved."
        )
    old = None if current is None else {"level": current[3], "points": current[4], "comment": current[5]}
    new_comment = comment if comment is not None else (current[5] if current else "")
    new = {"level": lvl, "points": pts, "comment": new_comment}
    points_by_code[criterion] = pts
    if old == new:
        return SavedScore(criterion, pts, lvl, cur_version, eversion, t.rubric.total(points_by_code))
    if current is None:
        version, uuid = 1, new_uuid()
        db.run("new_score", {"uuid": uuid, "eid": eid, "cid": cid, "level": lvl, "points": pts,
                             "comment": new_comment, "author": t.evaluator, "now": when, "device": device})
    else:
        version, uuid = cur_version + 1, current[6]
        db.run("upd_score", {"level": lvl, "points": pts, "comment": new_comment, "version": version, "now": when,
                             "device": device, "sid": current[1]})
    eversion += 1
    db.run("upd_eval", {"version": eversion, "now": when, "eid": eid})
    # the audit entry: same chain, same canonical fields as audit.append
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": audit._PG_LOCK_KEY})
    head = db.rows("head", {})
    prev = head[0][0] if head else audit.GENESIS
    entry = {"uuid": new_uuid(), "at": now, "actor": actor, "device": device, "action": "score", "entity": "score",
             "entity_uuid": uuid, "old": old, "new": {**new, "application": t.application_id, "criterion": criterion},
             "reason": ""}
    digest = audit.entry_hash(prev, audit._fields(entry))
    db.run("audit", {**entry, "at": when, "old": db.json(entry["old"]), "new": db.json(entry["new"]),
                     "prev_hash": prev, "hash": digest})
    return SavedScore(criterion, pts, lvl, version, eversion, t.rubric.total(points_by_code))
