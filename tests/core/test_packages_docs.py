"""docs/field-workflow.md works exactly as written: its shell blocks are run in order, in one
folder, through the real command line (the app's scoring step in between is done through the
façade, as the app does)."""

from __future__ import annotations

import pytest

import json
import os
import re
import shlex
import subprocess
from pathlib import Path

from evaluator.cli import main
from evaluator.paths import resource
from evaluator.store import Store

from .packages_fixtures import enter_scores

DOC = Path(resource()).parent / "docs" / "field-workflow.md"


def shell_blocks(text: str) -> list[list[str]]:
    return [[ln for ln in block.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
            for block in re.findall(r"```sh\n(.*?)```", text, re.S)]


def run_line(line: str, cwd: Path, capsys, monkeypatch) -> tuple[int, str, str]:
    if line.startswith("export "):  # the shell keeps it for the next lines; so does this test
        name, _, value = line[len("export "):].partition("=")
        monkeypatch.setenv(name, shlex.split(value)[0])
        return 0, "", ""
    if line.startswith("evaluator "):
        argv = shlex.split(line, comments=True)[1:]
        code = main(argv)
        out, err = capsys.readouterr()
        return code, out, err
    proc = subprocess.run(["bash", "-c", line], cwd=cwd, capture_output=True, text=True)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.mark.plain_sqlite
def test_the_field_workflow_document_runs_as_written(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    blocks = shell_blocks(DOC.read_text(encoding="utf-8"))
    assert len(blocks) >= 6
    outputs: list[tuple[str, str]] = []
    for block in blocks:
        if any("package export" in ln for ln in block):
            # step 4: the evaluator scores, visits and finalises in the app
            with Store("sqlite:///field.sqlite3", passphrase=os.environ["EVALUATOR_DB_PASSPHRASE"]) as fld:
                enter_scores(fld, "EV01", limit=4)
        for line in block:
            code, out, err = run_line(line, tmp_path, capsys, monkeypatch)
            assert code == 0, f"{line}\n{out}\n{err}"
            outputs.append((line, out))
    text = "\n".join(out for _, out in outputs)
    assert "merged — " in text and "unchanged — already merged" in text
    assert text.count("Audit trail intact") == 2
    assert "Checked 1 merged packages: 1 intact, 0 failed." in text
    fingerprints = re.findall(r"fingerprint: ([A-Z2-7]{4}(?:-[A-Z2-7]{4}){3})", text)
    assert len(set(fingerprints)) >= 2  # the office's and the evaluator's
    # the office now has EV01's four finalised evaluations, marked with the package's fingerprint
    code = main(["info", "--json", "--db", "office.sqlite3"])
    info = json.loads(capsys.readouterr().out)
    assert code == 0 and info["finalised_evaluations"] == 4
    with Store("sqlite:///office.sqlite3") as office:
        done = [a for a in office.people.assignments(evaluator="EV01") if a.state == "finalised"]
        assert len(done) == 4
        assert office.scoring.evaluation(done[0].application_id, "EV01").package_fingerprint


def test_cli_errors_are_one_clear_sentence_and_a_nonzero_exit(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("EVALUATOR_PASSPHRASE", "a long enough passphrase")
    assert main(["demo", "--before-visits", "--db", "office.sqlite3"]) == 0
    capsys.readouterr()
    code = main(["kit", "export", "--evaluator", "EV01", "--out", "k.mekit", "--db", "office.sqlite3"])
    assert code != 0 and "evaluator keys init" in capsys.readouterr().err
    assert main(["keys", "--db", "office.sqlite3"]) == 4  # no key yet
    assert "no key yet" in capsys.readouterr().out
    assert main(["keys", "init", "--db", "office.sqlite3", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert re.match(r"^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$", doc["fingerprint"]) and doc["kind"] == "office"
    assert main(["keys", "show", "--db", "office.sqlite3", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["fingerprint"] == doc["fingerprint"]
    Path("junk.mepkg").write_bytes(b"junk")
    code = main(["merge", "junk.mepkg", "--db", "office.sqlite3", "--json"])
    out, err = capsys.readouterr()
    assert code == 2 and json.loads(out)["packages"][0]["status"] == "rejected"
    assert "REJECTED" not in err  # the report is on stdout
    code = main(["kit", "import", "missing.mekit", "--db", "field.sqlite3"])
    assert code != 0 and "Cannot read the kit" in capsys.readouterr().err
    monkeypatch.delenv("EVALUATOR_PASSPHRASE")
    code = main(["merge", "junk.mepkg", "--db", "office.sqlite3"])
    assert code != 0 and "passphrase is needed" in capsys.readouterr().err
    assert main(["conflicts", "--db", "office.sqlite3", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["items"] == []
    code = main(["conflicts", "resolve", "7", "--take", "other", "--db", "office.sqlite3"])
    assert code == 4 and "no merge conflict 7" in capsys.readouterr().err

