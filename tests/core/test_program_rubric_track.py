"""A scoring rubric's ``track`` says which track it was written for; a program file may still score
any of its tracks with it: one rubric shared by every track (the benchmark's programs), or a
bundled rubric taken as the template of a track of another code (the guided new-program form).
(A monitoring plan, by contrast, holds a monitoring rubric to its track: docs/follow-up.md.)"""

from __future__ import annotations

from evaluator.programfile import load_program_file
from evaluator.store import Store

from .program_fixtures import calls


def test_tracks_may_share_a_rubric_written_for_one_of_them(tmp_path):
    folder = calls(tmp_path)
    src = (folder / "programs" / "seoul-cbp-2012.toml").read_text(encoding="utf-8")
    assert src.count('rubric = "../rubrics/space.toml"') == 1
    path = folder / "programs" / "p.toml"
    path.write_text(src.replace('rubric = "../rubrics/space.toml"', 'rubric = "../rubrics/activity.toml"'),
                    encoding="utf-8")
    program = load_program_file(path)
    assert [(t.code, t.rubric.code, t.rubric.track) for t in program.tracks] == [
        ("activity", "activity", "activity"), ("space", "activity", "activity")]
    db = tmp_path / "office.sqlite3"
    with Store(f"sqlite:///{db}") as st:
        st.programs.create_from_file(path)
        assert [t.code for t in st.programs.get(program.code).tracks] == ["activity", "space"]


def test_a_rubric_written_for_a_track_the_program_does_not_have_is_taken_as_a_template(tmp_path):
    folder = calls(tmp_path)
    src = (folder / "programs" / "seoul-cbp-2012.toml").read_text(encoding="utf-8")
    assert src.count('code = "activity"') == 1
    path = folder / "programs" / "p.toml"
    path.write_text(src.replace('code = "activity"', 'code = "track1"'), encoding="utf-8")
    program = load_program_file(path)
    assert [(t.code, t.rubric.code) for t in program.tracks][0] == ("track1", "activity")
