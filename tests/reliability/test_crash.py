"""Pull the plug: SIGKILL the writer at random moments; nothing acknowledged may be lost.

A forked child works on a real SQLite file and reports each acknowledged call on a pipe *after*
the call returned.  The parent kills it at a random moment (SIGKILL: no cleanup, no atexit, no
flush), then checks the file the way the next start of the app would meet it:

* ``PRAGMA integrity_check`` is ``ok`` and no foreign key dangles;
* every acknowledged autosave is there with its value and version (the one save in flight when
  the child died may or may not be: it was never acknowledged);
* a big unit of work (the demo build; import and merge when they land) is either fully there —
  identical, table by table, to an uninterrupted run — or not there at all;
* the app opens the file again, the audit hash chain verifies, and work goes on.
"""

from __future__ import annotations

import shutil

import pytest

from evaluator.demo import build_demo
from evaluator.store import Store

from .support import (
    calibrate, canonical_dump, full_run, integrity, needs_fork, record, run_child_until, scores_by_key, seeded, trials,
)

pytestmark = needs_fork

HOSTILE_COMMENTS = ["=1+1", "＝HYPERLINK(\"x\")", "O<Brien & <b>bold</b>", "줄\n바꿈\r\n", "\t@tab", "🙂 ‮rtl"]


# --- autosave -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def autosave_plan(demo_before_visits_template, tmp_path_factory):
    """The before-visits demo (no scores yet) and what can be scored in it."""
    work = tmp_path_factory.mktemp("autosave-plan") / "plan.sqlite3"
    shutil.copyfile(demo_before_visits_template, work)
    with Store(f"sqlite:///{work}") as st:
        pairs = [(a.application_id, a.evaluator) for a in st.people.assignments() if a.conflict_type is None]
        tracks = {r.id: r.track for r in st.applications.list()}
        rubrics = {t: st.programs.rubric(t) for t in set(tracks.values())}
    targets = []
    for app, ev in pairs:
        rd = rubrics[tracks[app]]
        for c in rd.criteria:
            values = ([("level", lv.key) for lv in rd.levels] if c.scoring == "levels"
                      else [("points", float(p)) for p in range(0, int(c.max_points) + 1)])
            targets.append(((app, ev, c.code), values))
    return demo_before_visits_template, targets


def _save_sequence(rng, targets, n: int) -> list[tuple[tuple[str, str, str], str, object, str | None]]:
    """``n`` saves, each changing its criterion's value (so each one is a new version)."""
    current: dict[tuple[str, str, str], object] = {}
    seq = []
    hot = rng.sample(targets, 12)  # most saves revisit a few criteria, as an evaluator does
    for _ in range(n):
        key, values = rng.choice(hot) if rng.random() < 0.7 else rng.choice(targets)
        kind, value = rng.choice([v for v in values if v[1] != current.get(key)])
        current[key] = value
        comment = rng.choice(HOSTILE_COMMENTS) if rng.random() < 0.1 else None
        seq.append((key, kind, value, comment))
    return seq


def _expected(seq, upto: int) -> dict[tuple[str, str, str], tuple[str, object, int]]:
    """(kind, value, version) per criterion after the first ``upto`` saves of ``seq``."""
    out: dict[tuple[str, str, str], tuple[str, object, int]] = {}
    for key, kind, value, _ in seq[:upto]:
        out[key] = (kind, value, out.get(key, (None, None, 0))[2] + 1)
    return out


def _as_stored(db: dict) -> dict[tuple[str, str, str], tuple[str, object, int]]:
    return {k: (("level", lv) if lv is not None else ("points", pts)) + (ver,) for k, (lv, pts, ver) in db.items()}


def test_sigkill_during_autosave_loses_no_acknowledged_save(autosave_plan, tmp_path):
    template, targets = autosave_plan
    n = trials(8, 100)
    rng, seed = seeded("autosave")
    total_acked = 0
    for trial in range(n):
        path = tmp_path / f"autosave-{trial}.sqlite3"
        shutil.copyfile(template, path)
        seq = _save_sequence(rng, targets, 3000)
        during_open = rng.random() < 0.15
        kill_after = rng.uniform(0.0, 0.25) if during_open else rng.uniform(0.0, 0.9)

        def work(ack, url=f"sqlite:///{path}", seq=seq):
            st = Store(url)
            ack("ready")
            for i, (key, kind, value, comment) in enumerate(seq):
                st.scoring.save_score(*key, comment=comment, **{kind: value})
                ack(f"saved {i}")
            ack("done")

        run = run_child_until(work, kill_after=kill_after, start_clock_on=None if during_open else "ready",
                              stderr_path=tmp_path / f"autosave-{trial}.err")
        where = f"(trial {trial}, seed {seed}, killed after {kill_after:.3f} s)"
        assert not run.crashed_by_bug, f"the writer failed on its own {where}:\n{run.stderr}"
        acked = [int(line.split()[1]) for line in run.lines if line.startswith("saved ")]
        assert acked == list(range(len(acked))), where
        total_acked += len(acked)
        assert integrity(path) == "ok", where
        stored = _as_stored(scores_by_key(path))
        # every acknowledged save is there; the one in flight may have committed just before the kill
        candidates = [_expected(seq, len(acked))]
        if len(acked) < len(seq):
            candidates.append(_expected(seq, len(acked) + 1))
        assert stored in candidates, (
            f"after {len(acked)} acknowledged saves the file holds something else {where}: "
            f"{sorted(set(stored.items()) ^ set(candidates[0].items()))[:6]}")
        with Store(f"sqlite:///{path}") as st:
            assert st.verify_audit().ok, where
            # the app goes on: the next save works and is the next version
            key, values = targets[0]
            kind, value, version = stored.get(key, (None, None, 0))
            new_kind, new_value = next(v for v in values if v[1] != value)
            assert st.scoring.save_score(*key, **{new_kind: new_value}).value.version == version + 1, where
        path.unlink()
    record("SIGKILL during autosave (acknowledged saves kept)", trials=n, inputs=total_acked)


# --- one big transaction: the demo build (stand-in for import and merge) ---------------------------
@pytest.fixture(scope="module")
def demo_build_reference(tmp_path_factory):
    """An empty, freshly created database, the dump of an uninterrupted demo build, and how long
    the build took (the kills land across that window).  The fast run builds the demo as it stands
    before the field study; the full run all of it."""
    import time

    before_visits = not full_run()
    d = tmp_path_factory.mktemp("demo-ref")
    empty = d / "empty.sqlite3"
    Store(f"sqlite:///{empty}").close()
    built = d / "built.sqlite3"
    shutil.copyfile(empty, built)
    with Store(f"sqlite:///{built}") as st:
        t0 = time.monotonic()
        build_demo(st, before_visits=before_visits)
        seconds = time.monotonic() - t0
    return empty, canonical_dump(built, skip=("setting",)), before_visits, seconds


def test_sigkill_during_a_big_transaction_leaves_all_or_nothing(demo_build_reference, tmp_path):
    empty, reference, before_visits, _ = demo_build_reference
    n = trials(3, 100)
    rng, seed = seeded("demo-build")

    def work_on(path):
        def work(ack, url=f"sqlite:///{path}"):
            st = Store(url)
            ack("opened")
            build_demo(st, before_visits=before_visits)
            ack("committed")
        return work

    shutil.copyfile(empty, tmp_path / "calibrate.sqlite3")
    seconds = calibrate(work_on(tmp_path / "calibrate.sqlite3"), "opened", "committed")
    outcomes = {"all": 0, "nothing": 0}
    for trial in range(n):
        path = tmp_path / f"build-{trial}.sqlite3"
        fresh = rng.random() < 0.25  # sometimes the kill also lands while the schema is being created
        if not fresh:
            shutil.copyfile(empty, path)
        # across the build, with a third of the kills bunched around the commit
        kill_after = rng.uniform(0.0, seconds * 1.6) if rng.random() < 0.67 else rng.uniform(0.9, 1.6) * seconds
        run = run_child_until(work_on(path), kill_after=kill_after, start_clock_on=None if fresh else "opened",
                              stderr_path=tmp_path / f"build-{trial}.err")
        where = f"(trial {trial}, seed {seed}, {'new file, ' if fresh else ''}killed after {kill_after:.3f} s)"
        assert not run.crashed_by_bug, f"the build failed on its own {where}:\n{run.stderr}"
        if path.exists() and path.stat().st_size:
            assert integrity(path) == "ok", where
        with Store(f"sqlite:///{path}") as st:  # the next start opens it (creating the schema if it never was)
            assert st.verify_audit().ok, where
            has_program = st.programs.exists()
        if "committed" in run.lines:
            assert has_program, f"an acknowledged build is missing {where}"
        if has_program:
            assert canonical_dump(path, skip=("setting",)) == reference, f"a partial build is visible {where}"
            outcomes["all"] += 1
        else:
            dump = canonical_dump(path, skip=("setting", "alembic_version"))
            assert all(not rows for _, rows in dump.values()), f"leftovers of an unfinished build {where}"
            outcomes["nothing"] += 1
        path.unlink(missing_ok=True)
    record("SIGKILL during the demo build (one big transaction)", trials=n, **outcomes)
