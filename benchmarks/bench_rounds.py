"""Programs as data (issue 17): ranking one round of a long rolling program, and making and checking
a program from its file.

* ``round_ranking`` — a rolling program of 12 rounds holding 10,000 applications (full scale): ranking
  one round (``store.ranking.record(round=…)``, the decision of record) against ranking the very same
  applications, rows and scores as a one-round program.  Rounds must not make the ranking scan
  everything: at most 1.5×.
* ``program_create`` and ``program_update_dry_run`` — a program file of 10 tracks (each its own
  rubric file) made into a new database, and compared with a changed version of itself: under 1 s.
"""

from __future__ import annotations

import shutil
import time

from .data import copy_db, rubric_toml, rolling_program_toml, sqlite_url
from .harness import Context, Spec, absolute_goal, benchmark, compare, cpu_figures, progress, ratio_goal

ROUNDS = 12
RANKED_ROUND = 6  # 0-based: a round in the middle of the year
TRACKS = 10

SPEC_RANK = Spec(
    "round_ranking", "Ranking one round of a 12-round rolling program", "s",
    ratio_goal(1.5, "≤ 1.5× ranking the same applications as a one-round program"),
    app_label="store.ranking.record(round=…) on the 12-round program (all its applications in one database)",
    baseline_label="store.ranking.record() on a one-round program holding only that round's applications "
                   "(the same rows and scores)",
)
SPEC_CREATE = Spec(
    "program_create", "program create of a 10-track program file", "s",
    absolute_goal(1.0, "under 1 s"),
    app_label="store.programs.create_from_file(): parse and validate the file and its 10 rubric files, store it",
)
SPEC_UPDATE = Spec(
    "program_update_dry_run", "program update --dry-run of a 10-track program file", "s",
    absolute_goal(1.0, "under 1 s"),
    app_label="store.programs.update_from_file(dry_run=True) with changed quotas, a renamed round and one "
              "rubric changed",
)


@benchmark("rounds", order=45, specs=[SPEC_RANK, SPEC_CREATE, SPEC_UPDATE],
           requires=("ranking.record", "programs.create_from_file", "programs.update_from_file"))
def run(ctx: Context):
    """Ranking one round of a rolling program vs the same applications as a one-round program;
    program create and update --dry-run of a 10-track program."""
    from evaluator.store import Store

    n = ctx.scale.apps
    full = ctx.data.rounds_db(n, ROUNDS)
    alone = ctx.data.rounds_db(n, ROUNDS, only_round=RANKED_ROUND)
    d = ctx.tmpdir("rounds")
    stores: list = []
    info: dict = {}

    def opened(src, name):  # noqa: ANN001, ANN202
        for st in stores:
            st.close()
        stores.clear()
        st = Store(sqlite_url(copy_db(src, d, name)))
        stores.append(st)
        return st

    def app(st) -> None:  # noqa: ANN001
        result = st.ranking.record(round=str(RANKED_ROUND + 1)).value
        info["rows"] = len(result.all_rows())

    def baseline(st) -> None:  # noqa: ANN001
        result = st.ranking.record().value
        info["baseline_rows"] = len(result.all_rows())

    try:
        a_t, b_t = compare(ctx, "round_ranking", app, baseline, app_setup=lambda rep: opened(full, "full.sqlite3"),
                           baseline_setup=lambda rep: opened(alone, "alone.sqlite3"))
    finally:
        for st in stores:
            st.close()
    assert b_t is not None
    if info.get("rows") != info.get("baseline_rows"):
        raise RuntimeError(f"the round ranked {info.get('rows')} applications, the one-round program "
                           f"{info.get('baseline_rows')}")
    results = [SPEC_RANK.result(a_t.best, b_t.best,
                                size={"applications": n, "rounds": ROUNDS, "ranked": info["rows"]},
                                figures={"app_seconds": a_t.best, **cpu_figures(a_t, b_t)},
                                samples={"app": a_t.samples, "baseline": b_t.samples})]
    results += _program_file(ctx)
    return results


def _program_file(ctx: Context) -> list:
    from evaluator.store import Store

    d = ctx.tmpdir("program-file")
    (d / "rubrics").mkdir()
    (d / "programs").mkdir()
    base = rubric_toml()
    for k in range(1, TRACKS + 1):  # ten rubric files, each its own version
        (d / "rubrics" / f"r{k:02d}.toml").write_text(base.replace('id = "bench10"', f'id = "r{k:02d}"'),
                                                      encoding="utf-8")
    text = rolling_program_toml("../rubrics/bench.toml", rounds=ROUNDS, tracks=TRACKS, n=ctx.scale.apps)
    parts = text.split('rubric = "../rubrics/bench.toml"')
    text = "".join(p + (f'rubric = "../rubrics/r{k + 1:02d}.toml"' if k < len(parts) - 1 else "")
                   for k, p in enumerate(parts))
    path = d / "programs" / "call.toml"
    path.write_text(text, encoding="utf-8")
    (d / "rubrics" / "r10b.toml").write_text(base.replace('id = "bench10"', 'id = "r10"').replace(
        "min_score = 60", "min_score = 65"), encoding="utf-8")
    changed = d / "programs" / "call-v2.toml"
    changed.write_text(text.replace("quota = ", "quota = 1").replace('name_ko = "3차"', 'name_ko = "3차 (추가)"')
                       .replace('rubric = "../rubrics/r10.toml"', 'rubric = "../rubrics/r10b.toml"'), encoding="utf-8")
    samples_create: list[float] = []
    samples_update: list[float] = []
    for rep in range(ctx.reps):
        db = d / f"db{rep}.sqlite3"
        with Store(sqlite_url(db)) as st:
            t0 = time.perf_counter()
            info = st.programs.create_from_file(path).value
            samples_create.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            plan = st.programs.update_from_file(changed, dry_run=True).value
            samples_update.append(time.perf_counter() - t0)
        progress(f"  program_create rep {rep + 1}: {samples_create[-1]:.3f} s; update --dry-run "
                 f"{samples_update[-1]:.3f} s ({len(plan.changes)} changes)")
    shutil.rmtree(d, ignore_errors=True)
    size = {"tracks": len(info.tracks), "rounds": len(info.rounds)}
    return [SPEC_CREATE.result(min(samples_create), None, size=size, samples={"app": samples_create}),
            SPEC_UPDATE.result(min(samples_update), None, size={**size, "changes": len(plan.changes)},
                               samples={"app": samples_update})]
