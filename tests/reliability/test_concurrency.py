"""Several app processes on one SQLite file: every save either lands or fails with a clear
"in use" message; the file is never corrupt and the audit chain never forks.

The stress version of tests/core/test_sqlite.py's two-writer test: forked processes autosave
(each its own criteria plus one criterion they all fight over), read, and reopen the database
while another process runs long write transactions.
"""

from __future__ import annotations

import os
import shutil
import traceback

import pytest

from evaluator.errors import DatabaseInUse
from evaluator.store import Store

from .support import integrity, needs_fork, record, scores_by_key, seeded, trials

pytestmark = needs_fork


def _spawn(fn, *args) -> int:
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            fn(*args)
        except BaseException:  # noqa: BLE001
            os.write(2, traceback.format_exc().encode())
            code = 1
        finally:
            os._exit(code)
    return pid


def _wait_all(pids: list[int], limit: float = 600.0) -> list[int]:
    """Exit statuses of ``pids``; a process still running after ``limit`` seconds is killed (a hang
    is a failure too, never a stuck test run)."""
    import signal
    import time

    deadline = time.monotonic() + limit
    statuses: dict[int, int] = {}
    while len(statuses) < len(pids):
        for pid in pids:
            if pid not in statuses:
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    statuses[pid] = status
        if time.monotonic() > deadline:
            for pid in set(pids) - set(statuses):
                os.kill(pid, signal.SIGKILL)
                statuses[pid] = os.waitpid(pid, 0)[1]
            raise AssertionError(f"processes still running after {limit:.0f} s were killed")
        time.sleep(0.05)
    return [statuses[pid] for pid in pids]


def _ack_file(path):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

    def ack(line: str) -> None:
        os.write(fd, (line + "\n").encode())

    return ack


@pytest.fixture(scope="module")
def plan(demo_before_visits_template, tmp_path_factory):
    path = tmp_path_factory.mktemp("conc") / "plan.sqlite3"
    shutil.copyfile(demo_before_visits_template, path)
    with Store(f"sqlite:///{path}") as st:
        pairs = [(a.application_id, a.evaluator) for a in st.people.assignments() if a.conflict_type is None]
        tracks = {r.id: r.track for r in st.applications.list()}
        levels = {t: [lv.key for lv in st.programs.rubric(t).levels] for t in set(tracks.values())}
        crits = {t: [c.code for c in st.programs.rubric(t).criteria if c.scoring == "levels"] for t in set(tracks.values())}
    return pairs, tracks, levels, crits


def test_many_processes_on_one_file_lose_nothing_and_never_corrupt(plan, demo_before_visits_template, tmp_path):
    pairs, tracks, levels, crits = plan
    rng, seed = seeded("processes")
    n_proc = 4 if os.environ.get("EVALUATOR_RELIABILITY_TRIALS") == "full" else 3
    n_ops = trials(40, 400)
    path = tmp_path / "shared.sqlite3"
    shutil.copyfile(demo_before_visits_template, path)
    url = f"sqlite:///{path}"
    hot_pair = pairs[0]
    hot = (*hot_pair, crits[tracks[hot_pair[0]]][0])
    own = {i: pairs[1 + i::n_proc][:6] for i in range(n_proc)}  # disjoint evaluations per process
    seeds = [rng.randrange(2**32) for _ in range(n_proc + 1)]

    def saver(i: int) -> None:
        import random

        r = random.Random(seeds[i])
        ack = _ack_file(tmp_path / f"acks-{i}")
        st = Store(url, actor=f"proc{i}")
        for op in range(n_ops):
            roll = r.random()
            if roll < 0.05:  # close and reopen, as a user restarting the app does
                st.close()
                st = Store(url, actor=f"proc{i}")
                continue
            if roll < 0.15:
                assert st.info().applications >= len(tracks)
                continue
            key = hot if roll < 0.35 else (*r.choice(own[i]), None)
            if key[2] is None:
                key = (key[0], key[1], r.choice(crits[tracks[key[0]]]))
            level = r.choice(levels[tracks[key[0]]])
            try:
                saved = st.scoring.save_score(*key, level=level).value
            except DatabaseInUse as exc:
                assert "in use by another program" in str(exc)
                ack(f"busy {op}")
                continue
            ack(f"saved {'|'.join(key)} {level} {saved.version}")
        st.close()

    def bulk_writer() -> None:
        """Long write transactions: many applications changed in one unit of work, again and again."""
        st = Store(url, actor="bulk")
        ack = _ack_file(tmp_path / "acks-bulk")
        for round_ in range(max(2, n_ops // 20)):
            with st.uow.write() as s:
                from evaluator.services import applications as apps_svc
                from evaluator.services.common import current_program

                p = current_program(s)
                tr = {t.code: t for t in p.tracks}
                for j in range(60):
                    apps_svc.put_application(s, p, tr, {"id": f"2012-B-{j:03d}", "track": "activity",
                                                        "title": f"묶음 {round_}-{j}"})
            ack(f"bulk {round_}")
        st.close()

    pids = [_spawn(saver, i) for i in range(n_proc)] + [_spawn(bulk_writer)]
    statuses = _wait_all(pids)
    assert statuses == [0] * len(pids), f"a process failed (seed {seed}); see its traceback above"

    assert integrity(path) == "ok"
    stored = scores_by_key(path)
    acked_total = busy = 0
    hot_acks: list[tuple[int, str]] = []
    last: dict[tuple[str, str, str], tuple[str, int]] = {}
    for i in range(n_proc):
        for line in (tmp_path / f"acks-{i}").read_text().splitlines():
            if line.startswith("busy"):
                busy += 1
                continue
            _, key, level, version = line.split()
            k = tuple(key.split("|"))
            acked_total += 1
            if k == hot:
                hot_acks.append((int(version), level))
            else:
                last[k] = (level, int(version))
    # each process's own criteria: the last acknowledged value and version are what the file holds
    for k, (level, version) in last.items():
        assert stored[k][0] == level and stored[k][2] == version, f"{k} (seed {seed})"
    # the criterion everybody saved: versions never went backwards or got reused by two saves
    # that changed it, and the newest acknowledged one is what the file holds
    if hot_acks:
        newest = max(hot_acks)
        assert (stored[hot][2], stored[hot][0]) == newest, f"hot criterion {stored[hot]} vs {newest} (seed {seed})"
        by_version: dict[int, set[str]] = {}
        for version, level in hot_acks:
            by_version.setdefault(version, set()).add(level)
        assert all(len(v) == 1 for v in by_version.values()), f"two saves got the same version (seed {seed})"
    with Store(url) as st:
        assert st.verify_audit().ok, "the audit hash chain forked under concurrent writers"
        assert len(st.applications.ids(search="2012-B-")) == 60
    record("processes on one SQLite file (saves acknowledged / 'in use' refusals)", trials=n_proc + 1,
           inputs=acked_total, busy=busy)


def test_a_short_busy_timeout_gives_in_use_errors_never_corruption(plan, demo_before_visits_template, tmp_path):
    """With a tiny busy timeout, writers collide often: each collision is a DatabaseInUse with a
    clear sentence, nothing half-written."""
    pairs, tracks, levels, crits = plan
    path = tmp_path / "busy.sqlite3"
    shutil.copyfile(demo_before_visits_template, path)
    url = f"sqlite:///{path}"
    n_ops = trials(30, 300)

    def saver(i: int) -> None:
        import evaluator.db.engine as eng

        eng.BUSY_TIMEOUT_S = 0.001
        ack = _ack_file(tmp_path / f"busy-{i}")
        st = Store(url)
        for op in range(n_ops):
            key = (*pairs[10 + i], crits[tracks[pairs[10 + i][0]]][op % 3])
            try:
                saved = st.scoring.save_score(*key, level=levels[tracks[key[0]]][op % 5]).value
                ack(f"saved {'|'.join(key)} {saved.version}")
            except DatabaseInUse as exc:
                assert str(exc).startswith("The database ") and "in use by another program" in str(exc)
                ack("busy")
        st.close()

    pids = [_spawn(saver, i) for i in range(3)]
    assert _wait_all(pids) == [0, 0, 0]
    assert integrity(path) == "ok"
    stored = scores_by_key(path)
    busy = saved = 0
    for i in range(3):
        lines = (tmp_path / f"busy-{i}").read_text().splitlines()
        busy += lines.count("busy")
        done = [(tuple(x.split()[1].split("|")), int(x.split()[2])) for x in lines if x.startswith("saved")]
        saved += len(done)
        for key in {k for k, _ in done}:  # the last acknowledged version is the one in the file
            assert stored[key][2] == [v for k, v in done if k == key][-1]
    with Store(url) as st:
        assert st.verify_audit().ok
    record("writers with a 1 ms busy timeout ('in use' refusals, no corruption)", trials=3 * n_ops,
           inputs=saved, busy=busy)
