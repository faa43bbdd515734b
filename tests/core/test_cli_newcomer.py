"""The mistakes a new staff member makes on the command line, each answered with one clear sentence."""

from __future__ import annotations

import json

from evaluator.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_listing_applications_of_a_misspelt_track_or_round_says_so_instead_of_listing_none(capsys, demo_path):
    db = f"sqlite:///{demo_path}"
    code, out, err = run(capsys, "applications", "--track", "activty", "--db", db)
    assert code == 4 and "0 applications" not in out
    assert "has no track 'activty' (tracks: activity, space)" in err
    code, out, err = run(capsys, "applications", "--round", "3", "--db", db)
    assert code == 4 and "has no round '3' (rounds: 1)" in err
    # a round by its Korean name, as rank --round and import --round take it
    items = json.loads(run(capsys, "applications", "--round", "1차", "--track", "space", "--json", "--db", db)[1])["items"]
    assert len(items) == 24 and {i["round"] for i in items} == {"1"}
