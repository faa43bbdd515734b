"""The follow-up (issue 19): monitoring packages merged at the office, and what is due.

* ``monitoring_merge`` — N awards (10,000 at full scale, ``Scale.apps``) with 3 planned visits each,
  assigned to 10 visitors; each visitor's field database has recorded and finalised all of their
  visits and sent a signed, encrypted package.  ``store.packages.merge`` of the 10 packages against
  a raw sqlite3 ``executemany`` writing the same visit rows (by UUID, one transaction): at most 3×
  (the rule of the score packages).
* ``monitoring_due_overdue`` — ``store.monitoring.due(overdue=True)`` (what ``evaluator monitoring
  due --overdue`` prints) on the office of N awards, before the merge (every visit still open, a third
  of them overdue): under 0.5 s.

The data (office with awards, plan and visits; kits; field databases; packages) are built once and
cached beside the other benchmark data (``build/bench-data/…/follow-upN/``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from .data import PASSPHRASE, _uuid, copy_db, log, packages_code_fingerprint, sqlite_url
from .harness import Context, Spec, absolute_goal, benchmark, compare, cpu_figures, progress, ratio_goal

VISITS_PER_AWARD = 3
VISITORS = 10
AGREED = date(2024, 6, 20)
START = date(2024, 7, 1)
#: the day the due list is asked for: the first visit (due 3 months after the start) is overdue
TODAY = date(2024, 11, 15)
VISIT_COLS = ("state", "visited_at", "attendees", "checklist", "ratings", "findings", "actions", "rubric_hash",
              "finalised_at", "version", "updated_at", "device", "package_fingerprint")

SPEC_MERGE = Spec(
    "monitoring_merge", "Merge of monitoring packages (3 visits per award)", "s",
    ratio_goal(3.0, "≤ 3× raw sqlite3 executemany of the same visit rows in one transaction"),
    app_label="store.packages.merge(files): open, decrypt, verify, check every visit against its award and "
              "monitoring rubric, merge, audit (one entry per package; the visits the office had nothing of by "
              "reference to the kept data.json, as added evaluations) — one package per visitor",
    baseline_label="sqlite3: one transaction, executemany UPDATE of the same monitoring_visit rows by uuid "
                   "(WAL, synchronous=FULL)",
)
SPEC_DUE = Spec(
    "monitoring_due_overdue", "monitoring due --overdue", "s", absolute_goal(0.5, "under 0.5 s"),
    app_label="store.monitoring.due(overdue=True) on the office (every planned visit open)",
)


@dataclass(frozen=True)
class FollowUpSet:
    root: Path
    key_dir: Path
    n: int

    @property
    def office(self) -> Path:
        return self.root / "office.sqlite3"

    def visitors(self) -> list[str]:
        return [f"EV{e + 1:02d}" for e in range(VISITORS)]

    def package(self, code: str) -> Path:
        return self.root / "packages" / f"{code}.mepkg"

    def field(self, code: str) -> Path:
        return self.root / "field" / f"{code}.sqlite3"

    def packages(self) -> list[Path]:
        return [self.package(c) for c in self.visitors()]


def _stamp() -> str:
    import evaluator.monitoring as mon

    h = hashlib.sha256(packages_code_fingerprint().encode())
    for f in sorted(Path(mon.__file__).parent.glob("*.py")):
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:16]


def follow_up_set(ctx: Context, n: int) -> FollowUpSet:
    data = ctx.data
    d = data.root / f"follow-up{n}"
    fs = FollowUpSet(d, data.root / "keys", n)
    stamp = _stamp()
    if not (d / "done").exists() or (d / "done").read_text() != stamp:
        tmp = d.with_name(f"{d.name}.building-{os.getpid()}")
        if tmp.exists():
            shutil.rmtree(tmp)
        t0 = time.perf_counter()
        log(f"generating follow-up{n} (office with {n} awards, plan, {VISITORS} kits, field databases, packages) …")
        _build(FollowUpSet(tmp, fs.key_dir, n), data)
        (tmp / "done").write_text(stamp)
        if d.exists():
            shutil.rmtree(d)
        os.replace(tmp, d)
        log(f"generated {d.name} in {time.perf_counter() - t0:.1f} s")
    return fs


def _build(fs: FollowUpSet, data) -> None:  # noqa: ANN001
    """Office (applications, no scores) + an agreed award per application → plan (3 visits) →
    visits assigned to 10 visitors → a kit each → field database where every visit is recorded
    and finalised → a signed, encrypted package each; keys registered at the office."""
    from sqlalchemy import insert, select

    from evaluator.db.models import Application, Award, deterministic
    from evaluator.store import Store
    from evaluator.workflows import import_kit

    from .data import build_office_db

    for sub in ("packages", "field", "kits"):
        (fs.root / sub).mkdir(parents=True, exist_ok=True)
    fs.key_dir.mkdir(parents=True, exist_ok=True)
    build_office_db(fs.office, data.rubric, fs.n, evaluations=False)
    with Store(sqlite_url(fs.office)) as office:
        with office.uow.write() as s, deterministic(f"maeul-bench-awards-{fs.n}", datetime(2024, 6, 20, 9)):
            apps = s.execute(select(Application.id, Application.requested_amount).order_by(Application.id)).all()
            s.execute(insert(Award), [
                {"id": i + 1, "uuid": _uuid(20, i), "application_id": aid, "amount": amount or 5_000_000,
                 "status": "in_progress", "status_reason": "", "agreed_on": AGREED, "starts_on": START,
                 "ends_on": START + timedelta(days=364), "stepped_in_for": "", "settlement": "",
                 "returned_amount": None, "created_at": datetime(2024, 6, 20, 9), "updated_at": datetime(2024, 6, 20, 9)}
                for i, (aid, amount) in enumerate(apps)])
        office.monitoring.set_plan(every_months=3, count=VISITS_PER_AWARD)
        office.monitoring.assign(fs.visitors())
        office.keys.ensure(PASSPHRASE, key_dir=fs.key_dir)
        for code in fs.visitors():
            kit = office.packages.export_kit(code, fs.root / "kits" / f"{code}.mekit").value
            import_kit(kit.path, sqlite_url(fs.field(code)))
            with Store(sqlite_url(fs.field(code))) as fld:
                fld.keys.ensure(PASSPHRASE, key_dir=fs.key_dir)
                _record_visits(fld)
                fld.packages.export_package(fs.package(code), key_dir=fs.key_dir)
                office.keys.register_evaluator(code, fld.keys.identity(key_dir=fs.key_dir).signing_public)
    con = sqlite3.connect(fs.office)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()


def _record_visits(fld) -> None:  # noqa: ANN001
    """Every visit on the laptop recorded and finalised (bulk, one transaction), valid against the
    track's monitoring rubric, with the audit entries the app would have written."""
    from sqlalchemy import select, update

    from evaluator import audit
    from evaluator.db.models import Application, Award, MonitoringVisit, Track
    from evaluator.monitoring import service
    from evaluator.services.common import current_program

    with fld.uow.write() as s:
        p = current_program(s)
        rubrics = service.monitoring_rubrics(s, p)
        rows = s.execute(select(MonitoringVisit, Application.external_id, Application.uuid, Track.code)
                         .join(Award, Award.id == MonitoringVisit.award_id)
                         .join(Application, Application.id == Award.application_id)
                         .join(Track, Track.id == Application.track_id)
                         .where(MonitoringVisit.evaluator_id.is_not(None))
                         .order_by(MonitoringVisit.id)).all()
        entries, values = [], []
        for n, (v, ext, app_uuid, track) in enumerate(rows):
            rd = rubrics[track]
            when = datetime.combine(v.due_on - timedelta(days=3), datetime.min.time()).replace(hour=10)
            levels = [lv.key for lv in rd.levels]
            new = {
                "id": v.id, "state": "finalised", "visited_at": when, "attendees": f"대표 외 {n % 5 + 2}명",
                "checklist": {c.code: c.required or (n + k) % 7 != 0 for k, c in enumerate(rd.checklist)},
                "ratings": {c.code: levels[(n + k) % len(levels)] for k, c in enumerate(rd.criteria)},
                "findings": f"방문 {v.sequence}: 계획대로 진행 중 (가상 기록 {n})",
                "actions": [{"text": "영수증 정리", "due_on": (when.date() + timedelta(days=30)).isoformat(),
                             "done": False}] if n % 3 == 0 else [],
                "rubric_hash": rd.content_hash, "finalised_at": when, "version": v.version + 1, "updated_at": when,
                "device": fld.device,
            }
            old = service.values(v)
            values.append(new)
            after = {**old, **{k: new[k] for k in ("state", "attendees", "checklist", "ratings", "findings",
                                                 "actions", "rubric_hash")},
                     "visited_at": when.isoformat(timespec="minutes")}
            entries.append({"actor": fld.uow.actor, "device": fld.device, "action": "monitoring_visit_finalise",
                            "entity": "monitoring_visit", "entity_uuid": v.uuid, "old": old,
                            "new": {"application": ext, **after}, "reason": None, "at": when, "subject": app_uuid})
        s.execute(update(MonitoringVisit), values)
        audit.append_many(s, entries)


def baseline_rows(fs: FollowUpSet) -> list[tuple]:
    """The visit rows the packages carry, as they land at the office (untimed)."""
    rows: list[tuple] = []
    for code in fs.visitors():
        con = sqlite3.connect(fs.field(code))
        try:
            for r in con.execute(f"SELECT {', '.join(VISIT_COLS[:-1])}, uuid FROM monitoring_visit "
                                 "WHERE state = 'finalised' ORDER BY id"):
                rows.append((*r[:-1], f"bench {code}", r[-1]))
        finally:
            con.close()
    return rows


def bare_merge(path: Path, rows: list[tuple]) -> None:
    con = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
            con.execute(f"PRAGMA {pragma}")
        con.execute("BEGIN IMMEDIATE")
        con.executemany(f"UPDATE monitoring_visit SET {', '.join(c + ' = ?' for c in VISIT_COLS)} WHERE uuid = ?",
                        rows)
        con.execute("COMMIT")
    finally:
        con.close()


@benchmark("follow_up", order=47, specs=[SPEC_MERGE, SPEC_DUE],
           requires=("packages.merge", "monitoring.due", "monitoring.assign", "monitoring.set_plan"))
def run(ctx: Context):
    """Monitoring packages (3 visits per award) merged vs raw executemany; monitoring due --overdue."""
    from evaluator.store import Store

    n = ctx.scale.apps
    fs = follow_up_set(ctx, n)
    d = ctx.tmpdir("follow-up")
    stores: list = []
    info: dict = {}

    def opened(rep):  # noqa: ANN001, ANN202
        for st in stores:
            st.close()
        stores.clear()
        st = Store(sqlite_url(copy_db(fs.office, d, "office.sqlite3")))
        st.keys.unlock(PASSPHRASE, key_dir=fs.key_dir)
        stores.append(st)
        return st

    def app(st) -> None:  # noqa: ANN001
        reports = st.packages.merge(fs.packages()).value
        bad = [r for r in reports if r.status != "merged"]
        if bad:
            raise RuntimeError(f"{len(bad)} packages were not merged, first: {bad[0].status} {bad[0].reason}")
        info["visits"] = sum(r.counts["monitoring_visits"]["updated"] + r.counts["monitoring_visits"]["added"]
                             for r in reports)

    rows = baseline_rows(fs)
    try:
        a_t, b_t = compare(ctx, "monitoring_merge", app, lambda p: bare_merge(p, rows), app_setup=opened,
                           baseline_setup=lambda rep: copy_db(fs.office, d, "bare.sqlite3"))
    finally:
        for st in stores:
            st.close()
    assert b_t is not None
    if info.get("visits") != len(rows):
        raise RuntimeError(f"the merge wrote {info.get('visits')} visits, the packages carry {len(rows)}")
    results = [SPEC_MERGE.result(
        a_t.best, b_t.best, size={"awards": n, "visits": len(rows), "packages": len(fs.packages())},
        samples={"app": a_t.samples, "baseline": b_t.samples},
        figures={"app_ms_per_package": 1000 * a_t.best / len(fs.packages()), **cpu_figures(a_t, b_t)},
        notes="each package is one transaction at the office; the baseline writes every row in one",
    )]
    with Store(sqlite_url(copy_db(fs.office, d, "due.sqlite3"))) as st:
        samples = []
        for _rep in range(max(ctx.reps, 3)):
            t0 = time.perf_counter()
            due = st.monitoring.due(overdue=True, today=TODAY)
            samples.append(time.perf_counter() - t0)
        progress(f"  monitoring_due_overdue: {len(due)} overdue of {n * VISITS_PER_AWARD} visits, best "
                 f"{min(samples):.3f} s")
    if len(due) != n:
        raise RuntimeError(f"{len(due)} overdue visits listed, expected {n} (the first visit of every award)")
    results.append(SPEC_DUE.result(min(samples), None, size={"awards": n, "visits": n * VISITS_PER_AWARD,
                                                             "overdue": len(due)}, samples={"app": samples}))
    return results


__all__ = ["run"]
