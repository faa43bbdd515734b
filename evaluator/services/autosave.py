"""The autosave path: one criterion's score saved and committed in a handful of SQL statements.

An evaluator's every keystroke lands here, so it skips the ORM: what never changes while a form is
open (ids, rubric) is resolved once per (application, evaluator) by :func:`resolve`; each save then
re-reads the assignment (a conflict declared meanwhile still stops it), the evaluation's state (a
finalised evaluation is locked) and its scores (one statement), writes the score, bumps the
versions and appends the audit entry — by the rules of :mod:`evaluator.services.scoring` (the
validator, the errors, the score's old and new values and its audit entry come from there, as for
:func:`evaluator.services.scoring.save_score`, which bulk jobs use inside their ORM sessions; the
chain's entry builder is :func:`evaluator.audit.new_entry`, as for every other entry).

The statements are plain SQL shared by both engines. On SQLite a save is one transaction on the
driver connection itself (:class:`Autosaver`: SQLAlchemy's per-transaction and per-statement work
would otherwise be most of a save's CPU time); on PostgreSQL, and on SQLite while something listens
for statements, the same statements go through SQLAlchemy.  Values are written in exactly the form
SQLAlchemy's types write them, so ORM reads, the audit verifier and merges see no difference.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from datetime import datetime
from types import NoneType

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from .. import audit
from ..audit.personal import Vault
from ..db.models import new_uuid, secret_bytes, utcnow
from ..domain import DRAFT, FINALISED, SavedScore
from ..errors import TransactionLost
from ..rubric import Rubric as RubricDef
from ..uow import PROGRAM
from .common import (
    _rubric_cache, application_by_id, criteria_by_code, current_program, evaluator_by_code, rubric_def,
)
from .scoring import (
    _assignment, conflicted, edit_conflict, locked, not_assigned, score_change, score_entry, validate_value,
)
from ..messages import msg


@dataclass(frozen=True)
class ScoreTarget:
    """What a save needs to know that does not change while the form is open."""

    assignment_id: int
    application_id: str
    evaluator: str
    #: the application's uuid: the data subject whose people a comment may speak of
    subject: str
    rubric: RubricDef
    criterion_ids: dict[str, int]
    criterion_codes: dict[int, str]
    #: (criterion, level, points) as typed → (level, points) as validated against ``rubric``: a
    #: rubric never changes (its content hash is its version), so each distinct input is validated
    #: once — shared by the targets of one rubric (:data:`_VALIDATED`)
    valid: dict = field(default_factory=dict, compare=False, repr=False)


#: the validation memo of each rubric, by content hash
_VALIDATED: dict[str, dict] = {}


#: the common case of :func:`resolve` in one statement: the assignment of this application (in the
#: program :func:`current_program` picks, given by its id) to this evaluator, with its rubric's
#: content hash and criteria (one row per criterion)
_TARGET_SQL = (
    "SELECT a.id, a.conflict_type, ap.external_id, ev.code, r.content_hash, c.code, c.id, ap.uuid "
    "FROM application ap JOIN assignment a ON a.application_id = ap.id JOIN evaluator ev ON ev.id = a.evaluator_id "
    "JOIN track t ON t.id = ap.track_id JOIN rubric r ON r.id = t.rubric_id JOIN criterion c ON c.rubric_id = r.id "
    "WHERE ap.external_id = :app AND ev.code = :ev AND ap.program_id = :program"
)
_Q_TARGET = text(_TARGET_SQL)


def _plain_target(rows: list) -> ScoreTarget | None:
    """The target from :data:`_TARGET_SQL`'s rows when the assignment is plain (no conflict) and its
    rubric already parsed; None for anything else."""
    if not rows or len({r[0] for r in rows}) != 1 or rows[0][1] is not None:
        return None
    aid, _conflict, ext, code, content_hash = rows[0][:5]
    rubric = _rubric_cache.get(content_hash)
    if rubric is None:
        return None
    return ScoreTarget(assignment_id=aid, application_id=ext, evaluator=code, subject=rows[0][7], rubric=rubric,
                       criterion_ids={r[5]: r[6] for r in rows}, criterion_codes={r[6]: r[5] for r in rows},
                       valid=_VALIDATED.setdefault(content_hash, {}))


def resolve(s: Session, application_id: str, evaluator: str) -> ScoreTarget:
    """What a save needs, in one query when the assignment is plain and the rubric already parsed;
    anything else (not found, a declared conflict, a rubric not seen yet) takes the ORM path below,
    which raises the usual errors."""
    target = _plain_target(s.execute(_Q_TARGET, {"app": application_id, "ev": evaluator,
                                                 "program": program_id(s)}).all())
    return target if target is not None else _resolve_orm(s, application_id, evaluator)


_CURRENT_SQL = "SELECT value FROM setting WHERE key = 'current_program'"
_PROGRAM_ID_SQL = "SELECT id FROM program WHERE uuid = :uuid AND archived_at IS NULL"
_NEWEST_SQL = "SELECT id FROM program WHERE archived_at IS NULL ORDER BY id DESC LIMIT 1"
_Q_PROGRAM = {q: text(q) for q in (_CURRENT_SQL, _PROGRAM_ID_SQL, _NEWEST_SQL)}


def _plain_program_id(scalar) -> int | None:  # noqa: ANN001 - scalar(sql, params): the first value or None
    """The id of the program :func:`current_program` picks when no ``--program`` is given: the
    database's current program, else the newest one not archived; None when there is none (then
    :func:`current_program` says why)."""
    value = scalar(_CURRENT_SQL, {})
    if isinstance(value, str) and value.startswith('"'):  # SQLite hands the JSON text back as it is
        value = json.loads(value)
    if isinstance(value, str):
        found = scalar(_PROGRAM_ID_SQL, {"uuid": value})
        if found is not None:
            return found
    return scalar(_NEWEST_SQL, {})  # no current program chosen (or it was archived)


def program_id(s: Session) -> int:
    """The id of the program :func:`current_program` picks, in two plain statements in the common
    case (the database's current program, no ``--program``): the ORM's settings read and program
    load cost as much as the rest of a save's work together."""
    if not s.info.get(PROGRAM):
        found = _plain_program_id(lambda sql, params: s.execute(_Q_PROGRAM[sql], params).scalar())
        if found is not None:
            return found
    return current_program(s).id  # --program, or no program at all: its errors


def _resolve_orm(s: Session, application_id: str, evaluator: str) -> ScoreTarget:
    app = application_by_id(s, application_id, current_program(s))
    ev = evaluator_by_code(s, evaluator)
    a = _assignment(s, app, ev)  # raises NotFound / ConflictOfInterest with the usual messages
    crits = criteria_by_code(s, app.track.rubric_id)
    return ScoreTarget(
        assignment_id=a.id, application_id=app.external_id, evaluator=ev.code, subject=app.uuid,
        rubric=rubric_def(app.track),
        criterion_ids={code: c.id for code, c in crits.items()},
        criterion_codes={c.id: code for code, c in crits.items()},
        valid=_VALIDATED.setdefault(app.track.rubric.content_hash, {}),
    )


#: the statements of one save, in named-parameter form (both drivers take it)
_SQL = {
    # the assignment (a conflict declared meanwhile still stops the save), its evaluation (state,
    # version) and every score of it, in one statement: one row per score, or one row with the
    # score columns NULL when there is none yet (or no evaluation)
    "state": "SELECT a.conflict_type, e.id, e.state, e.version, s.criterion_id, s.id, s.version, s.level, "
             "s.points, s.comment, s.uuid, e.uuid FROM assignment a LEFT JOIN evaluation e ON e.assignment_id = a.id "
             "LEFT JOIN score s ON s.evaluation_id = e.id WHERE a.id = :aid",
    "new_eval": "INSERT INTO evaluation (uuid, assignment_id, state, abstained, abstain_reason, comment, version, "
                "updated_at, device) VALUES (:uuid, :aid, :state, :false, '', '', 1, :now, :device)",
    "eval_id": "SELECT id FROM evaluation WHERE assignment_id = :aid",
    "new_score": "INSERT INTO score (uuid, evaluation_id, criterion_id, level, points, comment, author, version, "
                 "updated_at, device) VALUES (:uuid, :eid, :cid, :level, :points, :comment, :author, 1, :now, :device)",
    "upd_score": "UPDATE score SET level = :level, points = :points, comment = :comment, version = :version, "
                 "updated_at = :now, device = :device WHERE id = :sid",
    "upd_eval": "UPDATE evaluation SET version = :version, updated_at = :now WHERE id = :eid",
    "head": "SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1",
    # the redactable chain (evaluator.audit.personal): the subject's salt and the values sealed
    "salt": "SELECT salt FROM audit_subject WHERE subject = :subject",
    "new_salt": "INSERT INTO audit_subject (subject, salt, created_at) VALUES (:subject, :salt, :now)",
    "re_salt": "UPDATE audit_subject SET salt = :salt WHERE subject = :subject",
    "personal": "INSERT INTO audit_personal (digest, subject, value) VALUES (:digest, :subject, {value}) "
                "ON CONFLICT (digest) DO NOTHING",
    "audit": "INSERT INTO audit_event (uuid, at, actor, device, action, entity, entity_uuid, old, new, reason, "
             "prev_hash, hash) VALUES (:uuid, :at, :actor, :device, :action, :entity, :entity_uuid, {old}, {new}, "
             ":reason, :prev_hash, :hash)",
}
_SQLITE_SQL = {k: v.format(old=":old", new=":new", value=":value") for k, v in _SQL.items()}


class _Sqlite:
    """The statements in SQLite's storage formats (what SQLAlchemy's types write: datetimes as
    ``YYYY-MM-DD HH:MM:SS.ffffff`` text, booleans as 0/1, JSON as ``json.dumps`` text), run by
    ``execute``: the driver cursor's own, or SQLAlchemy's ``exec_driver_sql`` while something
    listens for statements (see :class:`Autosaver`) — the same SQL and parameters either way."""

    __slots__ = ("execute",)
    false = 0

    def __init__(self, execute) -> None:  # noqa: ANN001
        self.execute = execute

    def rows(self, key: str, params: dict) -> list[tuple]:
        return self.execute(_SQLITE_SQL[key], params).fetchall()

    def run(self, key: str, params: dict) -> None:
        self.execute(_SQLITE_SQL[key], params)

    def new_evaluation(self, params: dict) -> int:
        return self.execute(_SQLITE_SQL["new_eval"], params).lastrowid

    @staticmethod
    def when(dt: datetime):
        return dt.isoformat(" ", "microseconds")  # naive UTC: YYYY-MM-DD HH:MM:SS.ffffff, as SQLAlchemy writes it

    def lock_audit(self) -> None:
        pass  # SQLite: the writer lock taken by BEGIN IMMEDIATE serialises the chain


class _Generic:
    """The statements through SQLAlchemy ``text()`` (PostgreSQL)."""

    false = False

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.sql = {k: text(v.format(old="CAST(:old AS JSON)", new="CAST(:new AS JSON)", value="CAST(:value AS JSON)"))
                    for k, v in _SQL.items()}

    def rows(self, key: str, params: dict) -> list[tuple]:
        return [tuple(r) for r in self.conn.execute(self.sql[key], params)]

    def run(self, key: str, params: dict) -> None:
        self.conn.execute(self.sql[key], params)

    def new_evaluation(self, params: dict) -> int:
        self.run("new_eval", params)
        return self.rows("eval_id", {"aid": params["aid"]})[0][0]

    @staticmethod
    def when(dt: datetime):
        return dt

    def lock_audit(self) -> None:
        self.conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": audit.PG_LOCK_KEY})


def _observed(engine: Engine) -> bool:
    """Does anything listen for the statements of ``engine`` (statement events, echo)?  Then a
    save on SQLite goes through SQLAlchemy's Connection so every statement passes those events;
    otherwise straight to the driver (SQLAlchemy's per-transaction and per-statement work would be
    a large part of a save's CPU time)."""
    d = engine.dispatch
    return bool(d.before_cursor_execute or d.after_cursor_execute or d.before_execute or d.after_execute
                or engine.echo)


class Autosaver:
    """Runs single saves, each in a transaction of its own that is committed (on SQLite: fsynced,
    ``synchronous=FULL``) before :meth:`save` returns; ``engine`` is the writer engine
    (``BEGIN IMMEDIATE`` on SQLite).  One per :class:`~evaluator.store.Store`.

    On SQLite the transaction runs on the driver connection itself: ``BEGIN IMMEDIATE``, the
    statements, and — only if the connection is still inside that transaction (SQLite drops it by
    itself on some errors, see :mod:`evaluator.db.engine`) — ``COMMIT``; on any error ``ROLLBACK``.
    That is what the engine's ``begin``/``commit`` hooks do for SQLAlchemy connections.  The
    connection is one of the pool's, kept checked out for the saves while the store is open (a
    checkout and checkin per keystroke cost about as much CPU as the save's five statements); a
    save that finds it busy (another thread is saving) checks one out as usual.  Whatever wants to see
    each use of a connection gets it: with pool ``checkout``/``checkin`` listeners every save checks
    its connection out of the pool, and with statement listeners or ``echo`` it goes through
    SQLAlchemy's Connection like any other unit of work.  PostgreSQL always takes that way."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sqlite = engine.dialect.name == "sqlite"
        self._lock = threading.Lock()
        self._kept = None  # the pooled connection kept for saves (a _ConnectionFairy), or None

    def resolve(self, application_id: str, evaluator: str, program_id: int | None = None) -> ScoreTarget | None:
        """:func:`resolve`'s common case on the driver connection (SQLite, nothing listening for
        statements): the program (when ``program_id`` is None, the one :func:`program_id` finds,
        in the same plain statements) and the target in one statement; None otherwise, or when the
        target is not plain — then :func:`resolve` in a session settles it (and raises the usual
        errors).  An ORM session per new target cost more CPU than the ten saves that follow."""
        if not self._sqlite or _observed(self.engine):
            return None

        def work(fairy) -> list:  # noqa: ANN001
            con = fairy.driver_connection

            def scalar(sql: str, params: dict):  # noqa: ANN202
                row = con.execute(sql, params).fetchone()
                return None if row is None else row[0]

            program = program_id if program_id is not None else _plain_program_id(scalar)
            if program is None:
                return []
            return con.execute(_TARGET_SQL, {"app": application_id, "ev": evaluator, "program": program}).fetchall()

        return _plain_target(self._on_connection(work))

    def save(self, t: ScoreTarget, criterion: str, **kw) -> SavedScore:
        engine = self.engine
        if not self._sqlite or _observed(engine):
            with engine.begin() as conn:
                return save(conn, t, criterion, **kw)
        return self._on_connection(lambda fairy: _on_driver(fairy, engine, t, criterion, kw))

    def _on_connection(self, work):  # noqa: ANN001, ANN202
        """``work(fairy)`` on the kept connection, or on one checked out of the pool for it (see
        the class docstring)."""
        pool = self.engine.pool.dispatch
        if pool.checkout or pool.checkin or not self._lock.acquire(blocking=False):
            fairy = self.engine.raw_connection()
            try:
                return work(fairy)
            finally:
                fairy.close()
        try:
            if self._kept is None:
                self._kept = self.engine.raw_connection()
            return work(self._kept)
        except BaseException:
            if self._kept is not None and not self._kept.is_valid:  # invalidated after a failed rollback
                kept, self._kept = self._kept, None
                kept.close()
            raise
        finally:
            self._lock.release()

    def close(self) -> None:
        """Hand the kept connection back to the pool (before the engine is disposed)."""
        with self._lock:
            kept, self._kept = self._kept, None
        if kept is not None:
            kept.close()


def _on_driver(fairy, engine: Engine, t: ScoreTarget, criterion: str, kw: dict) -> SavedScore:  # noqa: ANN001
    con = fairy.driver_connection
    cur = con.cursor()
    try:
        cur.execute("BEGIN IMMEDIATE")  # inside: BEGIN itself may fail after the transaction began
        result = _save(_Sqlite(cur.execute), t, criterion, **kw)
        if not con.in_transaction:
            raise TransactionLost(msg(
                "db.transaction_lost",
                "The database {path} rolled back the whole unit of work after an error; nothing was saved.",
                path=str(engine.url.database)))
        con.commit()
    except BaseException:
        if con.in_transaction:
            try:
                con.rollback()
            except Exception:  # noqa: BLE001 - the first error is the one to report
                fairy.invalidate()  # a connection in an unknown state never goes back to the pool
        raise
    return result


def _vault(db) -> Vault:  # noqa: ANN001 - _Sqlite | _Generic
    """The redactable chain's vault on the save's own statements (it runs only for a comment)."""

    def salt_of(subject: str, at: datetime) -> bytes:
        rows = db.rows("salt", {"subject": subject})
        salt = secret_bytes(32)
        if not rows:
            db.run("new_salt", {"subject": subject, "salt": salt, "now": db.when(at)})
        elif rows[0][0] is None:  # purged before: new values get a new salt
            db.run("re_salt", {"subject": subject, "salt": salt})
        else:
            salt = bytes(rows[0][0])
        return salt

    def put(rows: list) -> None:
        for d, subject, value in rows:
            db.run("personal", {"digest": d, "subject": subject, "value": json.dumps(value)})

    return Vault(salt_of, put)


def save(
    conn: Connection,
    t: ScoreTarget,
    criterion: str,
    **kw,
) -> SavedScore:
    """One save inside the transaction of ``conn`` (a SQLAlchemy connection, either engine)."""
    if conn.dialect.name == "sqlite":
        return _save(_Sqlite(conn.exec_driver_sql), t, criterion, **kw)
    if conn.dialect.name == "postgresql":
        return _save(_Generic(conn), t, criterion, **kw)
    raise AssertionError(conn.dialect.name)


def _save(
    db,  # noqa: ANN001 - _Sqlite | _Generic
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
    key = (criterion, level, points)
    try:
        lvl, pts = t.valid[key]
    except (KeyError, TypeError):  # not seen yet (or unhashable: validate_value says what is wrong)
        lvl, pts = validate_value(t.rubric, criterion, level, points)
        if len(t.valid) < 1000 and isinstance(level, (str, NoneType)) and isinstance(points, (int, float, NoneType)):
            t.valid[key] = (lvl, pts)
    now = at or utcnow()
    when = db.when(now)
    rows = db.rows("state", {"aid": t.assignment_id})
    if not rows:  # the assignment was removed since the form was opened
        raise not_assigned(t.application_id, t.evaluator)
    conflict, eid, state, eversion = rows[0][:4]
    if conflict is not None:
        raise conflicted(t.application_id, t.evaluator, conflict)
    if eid is None:
        euuid = new_uuid()
        eid = db.new_evaluation({"uuid": euuid, "aid": t.assignment_id, "state": DRAFT, "false": db.false,
                                 "now": when, "device": device})
        eversion = 1
    elif state == FINALISED:
        raise locked(t.application_id, t.evaluator)
    else:
        euuid = rows[0][11]
    cid = t.criterion_ids[criterion]
    codes = t.criterion_codes
    points_by_code: dict[str, float | None] = {}
    current = None
    for row in rows:
        if row[4] is not None:
            points_by_code[codes[row[4]]] = row[8]
            if row[4] == cid:
                current = row
    cur_version = current[6] if current else 0
    if expected_version is not None and cur_version != expected_version:
        raise edit_conflict(criterion, t.application_id, t.evaluator, expected_version, cur_version)
    old, new = score_change(None if current is None else current[7:10], lvl, pts, comment)
    points_by_code[criterion] = pts
    if old == new:
        return SavedScore(criterion, pts, lvl, cur_version, eversion, t.rubric.total(points_by_code))
    if current is None:
        version, uuid = 1, new_uuid()
        db.run("new_score", {"uuid": uuid, "eid": eid, "cid": cid, "level": lvl, "points": pts,
                             "comment": new["comment"], "author": t.evaluator, "now": when, "device": device})
    else:
        version, uuid = cur_version + 1, current[10]
        db.run("upd_score", {"level": lvl, "points": pts, "comment": new["comment"], "version": version,
                             "now": when, "device": device, "sid": current[5]})
    eversion += 1
    db.run("upd_eval", {"version": eversion, "now": when, "eid": eid})
    # the audit entry, built and chained as every entry is, then stored in the database's formats
    db.lock_audit()
    entry = audit.new_entry(**score_entry(score=uuid, old=old, new=new, application=t.application_id,
                                          evaluator=t.evaluator, evaluation=euuid, criterion=criterion, actor=actor,
                                          device=device, at=now, subject=t.subject), vault=_vault(db))
    head = db.rows("head", {})
    audit.link(head[0][0] if head else audit.GENESIS, entry)
    entry["at"], entry["old"], entry["new"] = when, json.dumps(entry["old"]), json.dumps(entry["new"])
    db.run("audit", entry)
    return SavedScore(criterion, pts, lvl, version, eversion, t.rubric.total(points_by_code))
