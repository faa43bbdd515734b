"""3. Merge: result packages into the office database vs raw sqlite3 executemany in one transaction."""

from __future__ import annotations

import sqlite3

from .data import PASSPHRASE, copy_db, sqlite_url
from .harness import Context, Spec, Timing, benchmark, compare, cpu_figures, ratio_goal

SPEC = Spec(
    "merge", "Merge of result packages", "s",
    ratio_goal(3.0, "≤ 3× raw sqlite3 executemany of the same rows in one transaction"),
    app_label="Store.merge_packages(files): open, decrypt, verify signature and hashes, merge, audit — per package",
    baseline_label="sqlite3: one transaction, executemany of the same evaluation and score rows (WAL, synchronous=FULL)",
)

EVAL_COLS = ("uuid", "state", "finalised_at", "abstained", "abstain_reason", "comment", "version", "updated_at", "device")
SCORE_COLS = ("uuid", "level", "points", "comment", "author", "version", "updated_at", "device")


def baseline_rows(ms) -> tuple[list[tuple], list[tuple]]:
    """The evaluation and score rows the packages carry, keyed to the office's ids (untimed)."""
    office = sqlite3.connect(ms.office)
    try:
        asg = {(code, ext): aid for aid, code, ext in office.execute(
            "SELECT asg.id, ev.code, app.external_id FROM assignment asg JOIN evaluator ev ON ev.id = asg.evaluator_id "
            "JOIN application app ON app.id = asg.application_id")}
        crit = dict(office.execute("SELECT code, id FROM criterion"))
    finally:
        office.close()
    evals: list[tuple] = []
    scores: list[tuple] = []
    for code in ms.evaluators():
        fld = sqlite3.connect(ms.field(code))
        try:
            local: dict[int, int] = {}
            for row in fld.execute(
                f"SELECT e.id, app.external_id, {', '.join('e.' + c for c in EVAL_COLS)} FROM evaluation e "
                "JOIN assignment asg ON asg.id = e.assignment_id JOIN application app ON app.id = asg.application_id"
            ):
                eid = len(evals) + 1
                local[row[0]] = eid
                evals.append((eid, asg[(code, row[1])], *row[2:]))
            for row in fld.execute(
                f"SELECT s.evaluation_id, c.code, {', '.join('s.' + c for c in SCORE_COLS)} FROM score s "
                "JOIN criterion c ON c.id = s.criterion_id"
            ):
                scores.append((local[row[0]], crit[row[1]], *row[2:]))
        finally:
            fld.close()
    return evals, scores


def bare_merge(path, evals: list[tuple], scores: list[tuple]) -> None:
    con = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
            con.execute(f"PRAGMA {pragma}")
        con.execute("BEGIN IMMEDIATE")
        con.executemany(
            f"INSERT INTO evaluation (id, assignment_id, {', '.join(EVAL_COLS)}) VALUES ({', '.join('?' * (len(EVAL_COLS) + 2))})",
            evals)
        con.executemany(
            f"INSERT INTO score (evaluation_id, criterion_id, {', '.join(SCORE_COLS)}) "
            f"VALUES ({', '.join('?' * (len(SCORE_COLS) + 2))})", scores)
        con.execute("COMMIT")
    finally:
        con.close()


def measure_merge(ctx: Context, n_scores: int, *, with_baseline: bool, reps: int | None = None
                  ) -> tuple[Timing, Timing | None, dict]:
    from evaluator.store import Store

    key = ("merge", n_scores, with_baseline)
    if key in ctx.cache:
        return ctx.cache[key]
    ms = ctx.data.merge_set(n_scores, ctx.scale.merge_packages)
    d = ctx.tmpdir(f"merge{n_scores}")
    stores: list = []
    info: dict = {}

    def app_setup(rep):
        for st in stores:
            st.close()
        stores.clear()
        st = Store(sqlite_url(copy_db(ms.office, d, "office.sqlite3")))
        st.keys.unlock(PASSPHRASE, key_dir=ms.key_dir)
        stores.append(st)
        return st

    def app(st):
        reports = st.packages.merge(ms.packages()).value
        bad = [r for r in reports if r.status != "merged"]
        if bad:
            raise RuntimeError(f"{len(bad)} packages were not merged, first: {bad[0].status} {bad[0].reason}")
        info["scores"] = sum(r.counts["scores"]["added"] for r in reports)
        info["evaluations"] = sum(r.counts["evaluations"]["added"] for r in reports)

    rows: dict = {}
    if with_baseline:
        rows["evals"], rows["scores"] = baseline_rows(ms)

    def base_setup(rep):
        return copy_db(ms.office, d, "bare.sqlite3")

    try:
        a_t, b_t = compare(ctx, f"merge@{n_scores}", app,
                           (lambda p: bare_merge(p, rows["evals"], rows["scores"])) if with_baseline else None,
                           app_setup=app_setup, baseline_setup=base_setup, reps=reps)
    finally:
        for st in stores:
            st.close()
    if rows and info.get("scores") != len(rows["scores"]):
        raise RuntimeError(f"the merge added {info.get('scores')} scores, the packages carry {len(rows['scores'])}")
    info["packages"] = len(ms.packages())
    out = (a_t, b_t, info)
    ctx.cache[key] = out
    ctx.cache[("merge", n_scores, False)] = out
    return out


@benchmark("merge", order=30, specs=[SPEC], requires=("packages.merge", "packages.export_package", "packages.export_kit"))
def run(ctx: Context):
    """Merge of result packages vs raw sqlite3 executemany in one transaction."""
    n = ctx.scale.merge_scores
    a_t, b_t, info = measure_merge(ctx, n, with_baseline=True)
    assert b_t is not None
    return [SPEC.result(
        a_t.best, b_t.best,
        size={"packages": info["packages"], "scores": info.get("scores"), "evaluations": info.get("evaluations")},
        samples={"app": a_t.samples, "baseline": b_t.samples},
        figures={"app_ms_per_package": 1000 * a_t.best / info["packages"], **cpu_figures(a_t, b_t)},
        notes="each package is one transaction (all or nothing) at the office; the baseline writes every row in one",
    )]
