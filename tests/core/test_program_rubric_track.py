"""A program file's track scored with a rubric written for another track is refused, as the
monitoring plan refuses a monitoring rubric of another track: one sentence naming the file, the
rubric and both tracks, and nothing stored."""

from __future__ import annotations

import pytest

from evaluator.cli import main
from evaluator.errors import ValidationError
from evaluator.programfile import load_program_file
from evaluator.store import Store

from .program_fixtures import calls

SENTENCE = ("p.toml, tracks[1] (space).rubric: names the rubric file '../rubrics/activity.toml' (rubric "
            "'activity'), which is for track 'activity', not 'space'")


def _swapped(tmp_path):
    folder = calls(tmp_path)
    src = (folder / "programs" / "seoul-cbp-2012.toml").read_text(encoding="utf-8")
    assert src.count('rubric = "../rubrics/space.toml"') == 1
    path = folder / "programs" / "p.toml"
    path.write_text(src.replace('rubric = "../rubrics/space.toml"', 'rubric = "../rubrics/activity.toml"'),
                    encoding="utf-8")
    return path


def test_a_track_scored_with_another_tracks_rubric_is_refused(tmp_path, capsys):
    path = _swapped(tmp_path)
    with pytest.raises(ValidationError) as err:
        load_program_file(path)
    [problem] = err.value.problems
    assert str(problem) == SENTENCE
    assert (problem.code, problem.field, problem.params["rubric_track"], problem.params["track"]) == (
        "program.rubric_track", "tracks[1].rubric", "activity", "space")
    # the command line says it, and a database is left as it was
    assert main(["program", "check", str(path)]) == 2
    assert SENTENCE in capsys.readouterr().err
    db = tmp_path / "office.sqlite3"
    assert main(["init", "--db", str(db)]) == 0
    with Store(f"sqlite:///{db}") as st:
        with pytest.raises(ValidationError):
            st.programs.create_from_file(path)
        assert st.programs.list() == []


def test_a_rubric_written_for_a_track_the_program_does_not_have_is_taken_as_a_template(tmp_path):
    # the guided form offers the bundled rubrics for any track code: "track1" scored with the
    # activity rubric (written for 'activity', which this program does not have) is accepted
    folder = calls(tmp_path)
    src = (folder / "programs" / "seoul-cbp-2012.toml").read_text(encoding="utf-8")
    assert src.count('code = "activity"') == 1
    path = folder / "programs" / "p.toml"
    path.write_text(src.replace('code = "activity"', 'code = "track1"'), encoding="utf-8")
    program = load_program_file(path)
    assert [(t.code, t.rubric.code) for t in program.tracks][0] == ("track1", "activity")
