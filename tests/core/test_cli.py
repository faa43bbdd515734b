"""The CLI contract (BRIEF §6): --db/--json anywhere, clear errors, non-zero exits, nothing changed."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from evaluator.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_then_info_reports_48_applications_24_per_track(capsys, tmp_path):
    db = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    code, out, _ = run(capsys, "demo", "--db", db)
    assert code == 0 and "48 applications" in out
    code, out, _ = run(capsys, "--db", db, "info", "--json")  # --db before, --json after the verb
    doc = json.loads(out)
    assert doc["applications"] == 48
    assert doc["applications_per_track"] == {"activity": 24, "space": 24}
    assert doc["evaluators"] == 5 and doc["programs"] == 1
    assert doc["finalised_evaluations"] == doc["evaluations"] == doc["assignments"] > 48 * 3 - 1
    # a second demo into the same database is refused, --if-missing accepts it
    code, _, err = run(capsys, "demo", "--db", db)
    assert code != 0 and "already holds a program" in err
    assert run(capsys, "demo", "--db", db, "--if-missing")[0] == 0


def test_applications_and_evaluators_list_ids_as_json(capsys, demo_path):
    db = f"sqlite:///{demo_path}"
    apps = json.loads(run(capsys, "applications", "--db", db, "--json", "--track", "space")[1])["items"]
    assert len(apps) == 24 and all(a["id"].startswith("2012-S-") for a in apps)
    evs = json.loads(run(capsys, "evaluators", "--json", "--db", db)[1])["items"]
    assert [e["code"] for e in evs] == ["EV01", "EV02", "EV03", "EV04", "EV05"]
    assert all(e["assigned"] >= 20 for e in evs)
    text = run(capsys, "applications", "--db", db)[1]
    assert "2012-A-001" in text and "48 applications" in text


def test_default_database_lives_in_the_user_data_dir(capsys, _isolated_dirs):
    code, out, _ = run(capsys, "init", "--json")
    assert code == 0
    assert (Path(_isolated_dirs) / "evaluator.sqlite3").exists()


@pytest.mark.parametrize("url, needle", [
    ("mysql://x@y/z", "unsupported database 'mysql'"),
    ("sqlite://", "in-memory"),
    ("postgresql+psycopg://nobody@127.0.0.1:1/none", "Cannot connect"),
    ("sqlite:////no/such/folder/x.sqlite3", "no database at /no/such/folder/x.sqlite3"),
])
def test_bad_database_urls_end_with_one_clear_sentence(capsys, url, needle):
    code, out, err = run(capsys, "info", "--db", url)
    assert code != 0
    assert needle in err
    assert "Traceback" not in err and err.count("\n") == 1


@pytest.mark.plain_sqlite
def test_not_a_database_file_is_named_and_left_alone(capsys, tmp_path):
    f = tmp_path / "notes.sqlite3"
    f.write_bytes(b"these are my notes, not a database" * 100)
    before = f.read_bytes()
    code, _, err = run(capsys, "info", "--db", str(f))
    assert code != 0 and "not a Maeul Evaluator database" in err and str(f) in err
    assert f.read_bytes() == before


def test_json_errors_are_one_json_document(capsys, tmp_path):
    code, out, _ = run(capsys, "info", "--json", "--db", "mysql://a@b/c")
    assert code != 0
    assert json.loads(out)["type"] == "InvalidDatabaseURL"


def test_python_dash_m_and_help_on_every_command():
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    r = subprocess.run([sys.executable, "-m", "evaluator", "--help"], capture_output=True, text=True, env=env)
    assert r.returncode == 0 and "demo" in r.stdout
    from evaluator.cli import build_parser

    # every command's help in one fresh interpreter (a process per command took half a minute)
    script = (
        "import contextlib, io, json, sys\n"
        "from evaluator.cli import build_parser, main\n"
        "sub = next(a for a in build_parser()._actions if a.dest == 'command')\n"
        "done = {}\n"
        "for name in sub.choices:\n"
        "    out = io.StringIO()\n"
        "    with contextlib.redirect_stdout(out):\n"
        "        try:\n"
        "            code = main([name, '--help'])\n"
        "        except SystemExit as exc:\n"
        "            code = exc.code\n"
        "    done[name] = [code, out.getvalue()]\n"
        "sys.stderr.write(json.dumps(done))\n"
    )
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr[-2000:]
    done = json.loads(r.stderr)
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert set(done) == set(sub.choices) and len(done) > 20
    for name, (code, text) in done.items():
        assert code == 0, name
        assert f"usage: evaluator {name}" in text and "--db" in text and "--json" in text, name


@pytest.mark.plain_sqlite
def test_database_too_new_is_refused_and_untouched(capsys, tmp_path):
    db = tmp_path / "future.sqlite3"
    assert run(capsys, "init", "--db", str(db))[0] == 0
    with sqlite3.connect(db) as c:
        c.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    before = db.read_bytes()
    code, _, err = run(capsys, "info", "--db", str(db))
    assert code != 0 and "newer version of Maeul Evaluator" in err and "9999_from_the_future" in err
    assert db.read_bytes() == before


def test_a_mistyped_database_path_is_refused_and_nothing_is_created(capsys, tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    for argv in (["info", "--db", "offce.sqlite3"], ["--db", "notaurl", "rank"], ["applications", "--db", "x.db"]):
        code, _, err = run(capsys, *argv)
        assert code == 3 and "There is no database at" in err and "nothing was created" in err
    assert list(work.iterdir()) == []
    code, out, _ = run(capsys, "init", "--db", "office.sqlite3")  # the verbs that make databases still do
    assert code == 0 and (work / "office.sqlite3").exists()
    assert run(capsys, "info", "--db", "office.sqlite3")[0] == 0
