"""The office on PostgreSQL under load: 8 processes merge 8 different result packages at once while
2 more keep ranking, each through the command line exactly as users run it.

Afterwards every package is merged exactly once and every one of its evaluations is in the office
as the laptop had it (state, abstention, total, every score); nothing a user would see went wrong
(every process exits 0, no error, traceback, deadlock or serialisation failure on stderr); the
office's audit chain verifies.  The office is built once (demo program, three more evaluators so
that there are eight, eight kits, eight field databases scored through the Store, eight packages)
and each round merges into a fresh copy of it (``CREATE DATABASE … TEMPLATE``).  The fast run
(``make test``) does one round with 4 merging processes; ``make reliability`` four rounds of 8.

A known gap (docs/reliability.md): two *first* stored rankings at once on PostgreSQL race on the
decision snapshot; the test reports that as an expected failure after checking everything else.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from evaluator.demo import build_demo
from evaluator.workflows import import_kit
from evaluator.packages.results import MERGED
from evaluator.store import Store

from ..core.packages_fixtures import PASS, enter_scores, evaluation_totals, url
from .support import full_run, record, seeded, trials

pytestmark = pytest.mark.postgres

RANKERS = 2


def _mergers() -> int:
    """8 merging processes in the full run; the fast run (``make test``) starts 4 to stay quick."""
    return 8 if full_run() else 4
EXTRA = ("EV06", "EV07", "EV08")  # the demo has five evaluators; three more make eight packages
#: two first non-provisional rankings at once both insert the decision snapshot (a known gap)
KNOWN_RANKING_RACE = "uq_decision_application_id"
BAD_WORDS = ("error", "traceback", "deadlock", "serializ", "could not", "exception")


def _scored_per_laptop() -> int:
    return 10 if full_run() else 4


@pytest.fixture(scope="module")
def office(pg_server, tmp_path_factory):
    """The PostgreSQL office before any merge (a template database) and the eight packages."""
    root = tmp_path_factory.mktemp("pg-office")
    key_dir = root / "keys"
    name = f"t_office_load_{uuid.uuid4().hex[:12]}"
    base = pg_server.create_database(name)
    try:
        with Store(base) as st:
            build_demo(st, before_visits=True)
            apps = sorted(st.applications.ids())
            for i, ev in enumerate(EXTRA):
                st.people.put_evaluator(ev, f"추가 평가자 {i + 1}", organisation="O<Brien & Co")
                mine = apps[i::len(EXTRA)][:_scored_per_laptop() + 2]
                for app in mine:
                    st.people.assign(app, ev)
            st.keys.ensure(PASS, key_dir=key_dir)
            evaluators = sorted(e.code for e in st.people.evaluators())
            assert len(evaluators) >= 8, evaluators
            evaluators = evaluators[:_mergers()]
            packages: dict[str, Path] = {}
            laptops: dict[str, dict] = {}
            for ev in evaluators:
                kit = st.packages.export_kit(ev, root / f"{ev}.mekit").value
                field = root / f"field-{ev}.sqlite3"
                import_kit(kit.path, url(field))
                with Store(url(field)) as fld:
                    fld.keys.ensure(PASS, key_dir=key_dir)
                    fld.keys.export_public(root / f"{ev}.pub", key_dir=key_dir)
                    enter_scores(fld, ev, via_facade=1, limit=_scored_per_laptop())
                    laptops[ev] = (evaluation_totals(fld), _scores(fld, ev))
                    packages[ev] = Path(fld.packages.export_package(root / f"{ev}-1.mepkg", key_dir=key_dir).value.path)
                st.keys.register_evaluator(ev, root / f"{ev}.pub")
        secret = root / "office.pass"
        secret.write_text(PASS + "\n")
        yield {"name": name, "packages": packages, "laptops": laptops, "key_dir": key_dir, "secret": secret}
    finally:
        pg_server.drop_database(name)


def _scores(st: Store, ev: str) -> set[tuple]:
    """Every score ``ev`` recorded: (application, criterion, level, points)."""
    out = set()
    for a in st.people.assignments(evaluator=ev):
        info = st.scoring.evaluation(a.application_id, ev) if a.conflict_type is None else None
        out |= {(a.application_id, s.criterion, s.level, s.points) for s in (info.scores if info else ())}
    return out


def _copy_of(pg_server, template: str) -> tuple[str, str]:
    """A fresh database made from the template database (PostgreSQL copies it file by file)."""
    from psycopg import sql

    name = f"t_office_round_{uuid.uuid4().hex[:12]}"
    with pg_server._connect() as conn:  # noqa: SLF001 - the harness's admin connection
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template)))
    return name, pg_server.url_for(name)


def _env() -> dict[str, str]:
    return {**os.environ, "EVALUATOR_BLOCK_QT": "1"}


def _cli(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "evaluator", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=_env(), text=True)


#: a ranking process: runs the command line's own ``main`` (``evaluator rank --json``) over and over
#: until the stop file appears, reporting each run as one JSON line (exit code, stderr, JSON ok)
RANKER = """
import contextlib, io, json, sys, time
from pathlib import Path
from evaluator.cli import main
db, stop = sys.argv[1], Path(sys.argv[2])
runs = 0
while runs == 0 or not stop.exists():
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(["rank", "--db", db, "--json", "--no-stability"])
    try:
        ok = bool(json.loads(out.getvalue()))
    except ValueError:
        ok = False
    print(json.dumps({"rc": rc, "stderr": err.getvalue(), "json": ok}), flush=True)
    runs += 1
    time.sleep(0.2)  # a person ranking again, not a busy loop starving the merges of CPU
"""


def _clean(stderr: str) -> bool:
    low = stderr.lower()
    return not any(w in low for w in BAD_WORDS)


def test_eight_merges_and_two_rankings_at_once_lose_nothing(pg_server, office, tmp_path):
    rng, seed = seeded("pg-office-load")
    rounds = trials(1, 4)
    packages, laptops = office["packages"], office["laptops"]
    merged_scores = ranking_runs = 0
    known_race: list[str] = []
    for round_ in range(rounds):
        name, db = _copy_of(pg_server, office["name"])
        try:
            with Store(db) as st:
                scores_before = st.info().scores
            evs = list(packages)
            rng.shuffle(evs)
            mergers = {ev: _cli("merge", str(packages[ev]), "--db", db, "--json", "--key-dir", str(office["key_dir"]),
                                "--passphrase-file", str(office["secret"])) for ev in evs}
            stop = tmp_path / f"stop-{round_}"
            rankers = [subprocess.Popen([sys.executable, "-c", RANKER, db, str(stop)], stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, env=_env(), text=True) for _ in range(RANKERS)]
            try:
                outs = {ev: p.communicate(timeout=600) for ev, p in mergers.items()}
            finally:
                stop.touch()  # the rankers finish the ranking they are in and stop
            rankings = []
            for p in rankers:
                out, err = p.communicate(timeout=300)
                assert p.returncode == 0 and not err.strip(), f"a ranking process failed: {err[-2000:]}"
                rankings += [json.loads(line) for line in out.splitlines() if line.strip()]
            where = f"(round {round_}, seed {seed})"
            for ev, p in mergers.items():
                out, err = outs[ev]
                assert p.returncode == 0 and _clean(err), f"merge of {ev}'s package {where}: {err[-2000:]}"
                [report] = json.loads(out)["packages"]
                assert report["status"] == MERGED, f"{ev} {where}: {report}"
            for r in rankings:
                if r["rc"] != 0 and KNOWN_RANKING_RACE in r["stderr"]:
                    known_race.append(where)
                    continue
                assert r["rc"] == 0 and _clean(r["stderr"]) and r["json"], f"a ranking failed {where}: {r}"
            ranking_runs += len(rankings)
            with Store(db) as st:
                assert len(st.packages.merged()) == len(packages), where
                office_totals = evaluation_totals(st)
                added = 0
                for ev, (totals, scores) in laptops.items():
                    for key, value in totals.items():
                        assert office_totals.get(key) == value, f"{key} {where}"
                    assert _scores(st, ev) == scores, f"{ev}'s scores differ from the laptop's {where}"
                    added += len(scores)
                assert st.info().scores == scores_before + added, where
                merged_scores += added
                assert st.verify_audit().ok, where
                final = st.ranking.rank()  # and the office ranks the merged results (stored decisions) cleanly
                assert final.all_rows()
        finally:
            pg_server.drop_database(name)
    record(f"office PostgreSQL: {len(packages)} merges at once while 2 processes rank", trials=rounds,
           inputs=rounds * len(packages),
           rankings=ranking_runs, scores_merged=merged_scores)
    if known_race:
        pytest.xfail(f"{len(known_race)} of {ranking_runs} concurrent rankings failed with an unexpected "
                     "IntegrityError on uq_decision_application_id: two processes storing the first decision "
                     "snapshot at once both insert (evaluator/ranking/load.py reads, then inserts; see "
                     "docs/reliability.md, 'Known gaps')")
