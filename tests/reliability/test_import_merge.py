"""Import and merge under SIGKILL and injected faults.

* An intake import (2,000 rows, one unit of work) killed at a random moment is either all there —
  row for row what an uninterrupted import gives — or not there at all; an acknowledged import is
  always there.
* A merge of five result packages (a savepoint per package, a few packages per commit) killed at
  a random moment leaves each package either fully merged (its receipt and every one of its
  scores, as an uninterrupted merge gives them) or not at all; an acknowledged merge is all there.
* A fault injected at a chosen statement or VM step inside an import or a merge (inside a
  package's savepoint too) leaves the database's canonical dump exactly as it was.
"""

from __future__ import annotations

import time

import pytest

from evaluator.store import Store

from ..core.excel_fixtures import intake_rows, write_sheet
from ..core.packages_fixtures import PASS, build_cycle, copy_db
from .support import (
    calibrate, dump_checksum, fault_at_statement, fault_at_step, full_run, integrity, is_injected, needs_fork, raw_connect,
    record, run_child_until, scores_by_key, seeded, trials,
)

ROWS = 2000
APP_COLUMNS = ("external_id", "title", "group_name", "district", "members", "requested_amount",
               "self_contribution", "submitted_on", "category", "status")


def _apps(path, prefix: str = "2012-T-") -> list[tuple]:
    conn = raw_connect(path)
    try:
        return conn.execute(f"SELECT {', '.join(APP_COLUMNS)} FROM application WHERE external_id LIKE ? "
                            "ORDER BY external_id", (prefix + "%",)).fetchall()
    finally:
        conn.close()


# --- import ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def intake(demo_before_visits_template, tmp_path_factory):
    """The before-visits demo, a 2,000-row intake sheet, and what importing it gives."""
    d = tmp_path_factory.mktemp("intake")
    sheet = write_sheet(d / "intake.xlsx", intake_rows(ROWS))
    ref = copy_db(demo_before_visits_template, d / "ref.sqlite3")
    with Store(f"sqlite:///{ref}") as st:
        t0 = time.monotonic()
        report = st.excel.import_applications(sheet).value
        seconds = time.monotonic() - t0
    assert len(report.added) == ROWS
    return demo_before_visits_template, sheet, _apps(ref), seconds


@needs_fork
def test_sigkill_during_an_import_leaves_all_rows_or_none(intake, tmp_path):
    template, sheet, reference, _ = intake
    rng, seed = seeded("import-kill")
    n = trials(3, 100)
    outcomes = {"all": 0, "none": 0}

    def work_on(path):
        def work(ack, url=f"sqlite:///{path}"):
            st = Store(url)
            ack("ready")
            st.excel.import_applications(sheet)
            ack("imported")
        return work

    seconds = calibrate(work_on(copy_db(template, tmp_path / "calibrate.sqlite3")), "ready", "imported")
    for trial in range(n):
        path = copy_db(template, tmp_path / f"import-{trial}.sqlite3")
        kill_after = rng.uniform(0.0, seconds * 1.6) if rng.random() < 0.67 else rng.uniform(0.9, 1.6) * seconds
        work = work_on(path)
        run = run_child_until(work, kill_after=kill_after, start_clock_on="ready",
                              stderr_path=tmp_path / f"import-{trial}.err")
        where = f"(trial {trial}, killed {kill_after:.2f} s into the import, seed {seed})"
        assert not run.crashed_by_bug, f"{where}\n{run.stderr}"
        assert integrity(path) == "ok", where
        got = _apps(path)
        if "imported" in run.lines:
            assert got == reference, f"an acknowledged import is incomplete {where}"
        assert got in (reference, []), f"{len(got)} of {ROWS} rows are there {where}"
        outcomes["all" if got else "none"] += 1
        with Store(f"sqlite:///{path}") as st:
            assert st.verify_audit().ok, where
        path.unlink()
    record("SIGKILL during an intake import (2,000 rows: all or none)", trials=n, **outcomes)


def test_a_fault_inside_an_import_changes_nothing(intake, tmp_path):
    template, sheet, _, _ = intake
    rng, seed = seeded("import-fault")
    rows = ROWS if full_run() else 300
    if rows != ROWS:
        sheet = write_sheet(tmp_path / "intake-small.xlsx", intake_rows(rows))
    ref = copy_db(template, tmp_path / "ref.sqlite3")
    with Store(f"sqlite:///{ref}") as st:
        with fault_at_statement(st.uow.engine, None) as statements, fault_at_step(st.uow.engine, None, every=500) as steps:
            st.excel.import_applications(sheet)
    path = copy_db(template, tmp_path / "work.sqlite3")
    before = dump_checksum(path)
    plan = [("statement", rng.randint(1, len(statements)), rng.random() < 0.5) for _ in range(trials(2, 40))]
    plan += [("step", rng.randint(1, steps.calls), True) for _ in range(trials(2, 40))]
    with Store(f"sqlite:///{path}") as st:
        for kind, k, after in plan:
            where = f"(fault at {kind} {k}, seed {seed})"
            probe = fault_at_statement(st.uow.engine, k, after=after) if kind == "statement" else \
                fault_at_step(st.uow.engine, k, every=500)
            with probe as p:
                with pytest.raises(Exception) as err:
                    st.excel.import_applications(sheet)
            assert p.fired and is_injected(err.value), f"{err.value!r} {where}"
            assert dump_checksum(path) == before, f"the import left changes behind {where}"
        assert len(st.excel.import_applications(sheet).value.added) == rows  # and then it works
    record(f"fault injection: intake import ({rows:,} rows)", trials=len(plan))


# --- merge ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def cycle(demo_before_visits_template, tmp_path_factory):
    """An office, five field laptops' result packages, and what merging them all gives."""
    root = tmp_path_factory.mktemp("cycle")
    cyc = build_cycle(root, demo_before_visits_template)
    packages = [cyc.packages[ev] for ev in sorted(cyc.packages)]
    ref = copy_db(cyc.office, root / "merged-ref.sqlite3")
    with Store(f"sqlite:///{ref}") as st:
        t0 = time.monotonic()
        reports = st.packages.merge(packages, passphrase=PASS, key_dir=cyc.key_dir).value
        seconds = time.monotonic() - t0
    assert [r.status for r in reports] == ["merged"] * len(packages)
    return cyc, packages, _per_evaluator(ref), seconds


def _per_evaluator(path) -> dict[str, tuple[bool, dict]]:
    """evaluator -> (has a package receipt, its scores)."""
    conn = raw_connect(path)
    try:
        receipts = {r[0] for r in conn.execute(
            "SELECT e.code FROM package_receipt r JOIN evaluator e ON e.id = r.evaluator_id")}
        codes = [r[0] for r in conn.execute("SELECT code FROM evaluator")]
    finally:
        conn.close()
    scores = scores_by_key(path)
    return {ev: (ev in receipts, {k: v for k, v in scores.items() if k[1] == ev}) for ev in codes}


@needs_fork
def test_sigkill_during_a_merge_leaves_each_package_all_or_nothing(cycle, tmp_path):
    cyc, packages, reference, _ = cycle
    rng, seed = seeded("merge-kill")
    n = trials(4, 100)
    merged_counts = {}

    def work_on(path):
        def work(ack, url=f"sqlite:///{path}"):
            st = Store(url)
            st.keys.unlock(PASS, key_dir=cyc.key_dir)
            ack("ready")
            st.packages.merge(packages)
            ack("merged")
        return work

    seconds = calibrate(work_on(copy_db(cyc.office, tmp_path / "calibrate.sqlite3")), "ready", "merged")
    for trial in range(n):
        path = copy_db(cyc.office, tmp_path / f"merge-{trial}.sqlite3")
        kill_after = rng.uniform(0.0, seconds * 1.6) if rng.random() < 0.67 else rng.uniform(0.9, 1.6) * seconds
        work = work_on(path)
        run = run_child_until(work, kill_after=kill_after, start_clock_on="ready",
                              stderr_path=tmp_path / f"merge-{trial}.err")
        where = f"(trial {trial}, killed {kill_after:.3f} s into the merge, seed {seed})"
        assert not run.crashed_by_bug, f"{where}\n{run.stderr}"
        assert integrity(path) == "ok", where
        got = _per_evaluator(path)
        merged = 0
        for ev, (has_receipt, scores) in got.items():
            if has_receipt:
                assert (has_receipt, scores) == reference[ev], f"package of {ev} partly merged {where}"
                merged += 1
            else:
                assert not scores, f"scores of {ev} without its package receipt {where}"
        if "merged" in run.lines:
            assert got == reference, f"an acknowledged merge is incomplete {where}"
        merged_counts[merged] = merged_counts.get(merged, 0) + 1
        with Store(f"sqlite:///{path}") as st:
            assert st.verify_audit().ok, where
        path.unlink()
    record("SIGKILL during a merge of 5 packages (each all or nothing)", trials=n,
           **{f"runs with {k} merged": v for k, v in sorted(merged_counts.items())})


def test_a_fault_inside_a_merge_changes_nothing(cycle, tmp_path):
    """A fault anywhere in the merge — verifying, inside a package's savepoint, writing the
    receipt — rolls the unit of work back (the five packages fit in one commit batch)."""
    cyc, packages, reference, _ = cycle
    rng, seed = seeded("merge-fault")
    ref = copy_db(cyc.office, tmp_path / "ref.sqlite3")
    with Store(f"sqlite:///{ref}") as st:
        st.keys.unlock(PASS, key_dir=cyc.key_dir)
        with fault_at_statement(st.uow.engine, None) as statements, fault_at_step(st.uow.engine, None, every=200) as steps:
            st.packages.merge(packages)
    path = copy_db(cyc.office, tmp_path / "work.sqlite3")
    before = dump_checksum(path)
    if full_run():
        plan = [("statement", k, after) for k in range(1, len(statements) + 1) for after in (False, True)]
        plan += [("step", rng.randint(1, steps.calls), True) for _ in range(100)]
    else:
        plan = [("statement", rng.randint(1, len(statements)), rng.random() < 0.5) for _ in range(3)]
        plan += [("step", rng.randint(1, steps.calls), True) for _ in range(3)]
    faults = 0
    st = Store(f"sqlite:///{path}")
    try:
        st.keys.unlock(PASS, key_dir=cyc.key_dir)
        for kind, k, after in plan:
            where = f"(fault at {kind} {k} of {len(statements) if kind == 'statement' else steps.calls}, seed {seed})"
            probe = fault_at_statement(st.uow.engine, k, after=after) if kind == "statement" else \
                fault_at_step(st.uow.engine, k, every=200)
            try:
                with probe as p:
                    reports = st.packages.merge(packages).value
            except Exception as exc:  # noqa: BLE001
                assert is_injected(exc), f"{exc!r} {where}"
                assert dump_checksum(path) == before, f"the merge left changes behind {where}"
                faults += 1
                continue
            # the fault landed where the merge reads only (its statements differ a little from the
            # reference run): then the merge must have gone through completely
            assert not p.fired or all(r.status == "merged" for r in reports), where
            assert _per_evaluator(path) == reference, where
            st.close()  # start again from the unmerged office, in a new file
            path = copy_db(cyc.office, tmp_path / f"work-{kind}-{k}-{int(after)}.sqlite3")
            before = dump_checksum(path)
            st = Store(f"sqlite:///{path}")
            st.keys.unlock(PASS, key_dir=cyc.key_dir)
        assert [r.status for r in st.packages.merge(packages).value] == ["merged"] * len(packages)
    finally:
        st.close()
    assert faults >= 1
    record("fault injection: merge of 5 packages", trials=len(plan), inputs=faults)
