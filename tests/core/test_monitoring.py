"""Follow-up monitoring (docs/follow-up.md): monitoring rubrics (``kind = "monitoring"``), the
program's plan, visits assigned load-balanced with declared conflicts respected, what is due and
overdue, and visits recorded and refused — on the demo signed off (19 awards)."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from evaluator.audit.personal import TOMBSTONE
from evaluator.cli import main
from evaluator.errors import RubricError, ValidationError
from evaluator.paths import resource
from evaluator.rubric import load_rubric, parse_rubric

from .awards_fixtures import office, signed_off, signed_off_template  # noqa: F401 - fixtures
from .privacy_fixtures import found_in

VISITORS = ["EV01", "EV02", "EV03"]


def test_a_monitoring_rubric_is_a_rubric_of_its_own_kind_shipped_for_each_track():
    for track in ("activity", "space"):
        rd = load_rubric(resource("rubrics", f"monitoring-{track}.toml"))
        assert (rd.kind, rd.track, rd.gates) == ("monitoring", track, ())
        assert rd.checklist and all(c.level_descriptions for c in rd.criteria)
    # an evaluation rubric keeps its version: the kind is not part of a file that does not say it
    text = resource("rubrics", "activity.toml").read_text(encoding="utf-8")
    assert parse_rubric(text).kind == "evaluation"
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "db" / "schema-0005-demo.sqlite3"
    con = sqlite3.connect(f"file:{fixture}?mode=ro", uri=True)
    try:
        stored = con.execute("SELECT content_hash FROM rubric WHERE code = 'activity'").fetchone()[0]
    finally:
        con.close()
    assert parse_rubric(text).content_hash == stored  # as the 0005 demo stored it
    bad = resource("rubrics", "monitoring-activity.toml").read_text(encoding="utf-8").replace(
        '\nkind = "monitoring"\n', '\nkind = "monitoring"\nmin_score = 60\n')
    with pytest.raises(RubricError) as err:
        parse_rubric(bad, "m.toml")
    assert "min_score" in str(err.value.problems[0]) and "monitoring rubric" in str(err.value.problems[0])
    with pytest.raises(RubricError, match="kind"):
        parse_rubric(text.replace("format = 1", 'format = 1\nkind = "audit"'), "x.toml")


def test_a_program_file_cannot_score_a_track_with_a_monitoring_rubric(tmp_path):
    from evaluator.programfile import load_program_file

    src = resource("programs", "seoul-cbp-2012.toml").read_text(encoding="utf-8")
    (tmp_path / "programs").mkdir()
    (tmp_path / "rubrics").mkdir()
    for f in ("activity.toml", "space.toml", "monitoring-space.toml"):
        (tmp_path / "rubrics" / f).write_text(resource("rubrics", f).read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / "programs" / "p.toml"
    path.write_text(src.replace('rubric = "../rubrics/space.toml"', 'rubric = "../rubrics/monitoring-space.toml"'),
                    encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        load_program_file(path)
    assert any("monitoring rubric; a track is scored with an evaluation rubric" in str(p) for p in err.value.problems)


def test_the_plan_assigns_visits_load_balanced_and_never_to_a_declared_conflict(office):
    assert office.monitoring.plan().visits == ()
    with pytest.raises(ValidationError, match="no monitoring plan yet"):
        office.monitoring.assign(VISITORS)
    plan = office.monitoring.set_plan().value
    assert [(v.code, v.months) for v in plan.visits] == [("mid", 3), ("final", 6)]
    assert {r.track: r.code for r in plan.rubrics} == {"activity": "monitoring-activity", "space": "monitoring-space"}
    awards = office.awards.list()
    conflicted = awards[0].application_id
    office.people.declare_conflict(conflicted, "EV01", "personal", note="친척")
    done = office.monitoring.assign(VISITORS).value
    # 19 awards of two visits each: 7, 6 and 6 projects (a project keeps its visitor)
    assert done.added == 38 and sorted(done.loads.values()) == [12, 12, 14] and done.unassigned == ()
    visits = office.monitoring.visits()
    assert len(visits) == 38
    by_award: dict[str, set] = {}
    for v in visits:
        by_award.setdefault(v.application_id, set()).add(v.evaluator)
    assert all(len(evs) == 1 for evs in by_award.values())  # one visitor follows each project
    assert by_award[conflicted] != {"EV01"}
    # again: nothing new to assign
    assert office.monitoring.assign(VISITORS).value.added == 0


def test_due_dates_follow_each_projects_start_and_overdue_visits_are_listed(office):
    a, b = (x.application_id for x in office.awards.list()[:2])
    office.awards.set(a, agreed_on="2012-06-20", starts_on="2012-07-01", ends_on="2012-12-31", reason="협약")
    office.monitoring.set_plan([("mid", 3), ("final", 6)])
    office.monitoring.assign(VISITORS)
    mine = office.monitoring.visits(a)
    assert [(v.sequence, v.plan_code, v.due_on) for v in mine] == [(1, "mid", date(2012, 10, 1)),
                                                                   (2, "final", date(2013, 1, 1))]
    overdue = office.monitoring.due(overdue=True, today=date(2012, 11, 15))
    assert [(d.application_id, d.sequence, d.days_overdue) for d in overdue if d.application_id == a] == [(a, 1, 45)]
    assert all(d.overdue for d in overdue)
    everything = office.monitoring.due(today=date(2012, 11, 15))
    assert len(everything) == 38 and [d.due_on for d in everything] == sorted(d.due_on for d in everything)
    office.awards.set_status(b, "cancelled", reason="사업 포기")
    assert b not in {d.application_id for d in office.monitoring.due(today=date(2012, 11, 15))}


def test_the_demo_is_followed_up_as_of_a_day_of_its_own_2012_project_period(office, signed_off, capsys):
    """The demo's round stays dated 2012; its follow-up counts from 2012-11-15 (the mid-term visits
    45 days late, the final ones to come), not from the real date; ``--today`` still wins, and a
    program that sets no such day counts from the real date."""
    from evaluator.monitoring import service
    from evaluator.services.common import current_program

    for x in office.awards.list():
        office.awards.set(x.application_id, agreed_on="2012-06-20", starts_on="2012-07-01", ends_on="2012-12-31",
                          reason="협약")
    office.monitoring.set_plan([("mid", 3), ("final", 6)])
    office.monitoring.assign(VISITORS)
    assert office.monitoring.as_of() == date(2012, 11, 15)
    late = office.monitoring.due(overdue=True)
    assert len(late) == 19 and {(d.plan_code, d.due_on, d.days_overdue) for d in late} == {
        ("mid", date(2012, 10, 1), 45)}
    assert office.monitoring.due() == office.monitoring.due(today=date(2012, 11, 15))
    assert len(office.monitoring.due(overdue=True, today=date(2013, 1, 15))) == 38  # a day named wins
    assert main(["monitoring", "due", "--overdue", "--db", str(signed_off[0])]) == 0
    out = capsys.readouterr().out
    assert out.count("OVERDUE 45 days") == 19 and " final " not in out
    with office.uow.write() as s:  # a real program sets no follow-up day: the real date counts
        service.set_as_of(s, current_program(s), None)
    assert office.monitoring.as_of() is None
    real = office.monitoring.due(overdue=True)
    assert len(real) == 38 and real[0].days_overdue == (date.today() - date(2012, 10, 1)).days


def test_a_visit_is_refused_before_the_agreement_with_actions_due_before_it_or_incomplete(office):
    a = office.awards.list()[0]
    office.awards.set(a.application_id, agreed_on="2012-06-20", starts_on="2012-07-01", reason="협약")
    office.monitoring.set_plan()
    office.monitoring.assign(VISITORS)
    app = a.application_id
    with pytest.raises(ValidationError, match=r"dated 2012-06-01, before the agreement \(2012-06-20\)"):
        office.monitoring.record(app, 1, visited_at="2012-06-01 10:00")
    with pytest.raises(ValidationError, match="is due 2012-09-01, before the visit"):
        office.monitoring.record(app, 1, visited_at="2012-10-02 10:00",
                                 actions=[{"text": "영수증 정리", "due_on": "2012-09-01"}])
    with pytest.raises(ValidationError, match="not a level"):
        office.monitoring.record(app, 1, visited_at="2012-10-02 10:00", ratings={"spending": "su"})
    with pytest.raises(ValidationError, match="cannot be finalised yet: missing .*Receipts are kept"):
        office.monitoring.record(app, 1, visited_at="2012-10-02 10:00", attendees="대표 외 4명",
                                 checklist={"activity_held": True},
                                 ratings={"as_planned": "good", "participation": "partly", "spending": "good"},
                                 finalise=True)
    assert office.monitoring.visits(app)[0].state == "planned"
    v = office.monitoring.record(app, 1, visited_at="2012-10-02 10:00", attendees="대표 외 4명",
                                 checklist={"activity_held": True, "receipts_kept": True},
                                 ratings={"as_planned": "good", "participation": "partly", "spending": "good"},
                                 findings="새 참여자 2명", actions=[{"text": "영수증 정리", "due_on": "2012-10-31"}],
                                 finalise=True)
    assert "monitoring" in v.changes and v.value.state == "finalised"
    assert v.value.actions[0].due_on == date(2012, 10, 31)
    with pytest.raises(ValidationError, match="is finalised"):
        office.monitoring.record(app, 1, findings="고침")
    extra = office.monitoring.add_visit(app, "EV02").value
    assert extra.sequence == 3 and extra.plan_code == ""
    assert office.verify_audit().ok


def test_the_command_line_plans_assigns_and_lists_what_is_due(signed_off, capsys):
    db = ["--db", f"sqlite:///{signed_off[0]}"]
    assert main(["monitoring", "plan", *db]) == 0
    assert "no monitoring plan yet" in capsys.readouterr().out
    assert main(["monitoring", "plan", "--visit", "mid=3", "--visit", "final=6", *db, "--json"]) == 0
    assert [v["code"] for v in json.loads(capsys.readouterr().out)["visits"]] == ["mid", "final"]
    assert main(["monitoring", "assign", "--evaluators", "EV01,EV02,EV03", *db, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["added"] == 38
    assert main(["monitoring", "due", "--overdue", "--today", "2099-01-01", *db, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["schema"]["name"] == "monitoring-due" and doc["items"] and all(d["overdue"] for d in doc["items"])
    assert main(["monitoring", "due", "--overdue", "--today", "2000-01-01", *db]) == 0
    assert "No monitoring visit is overdue." in capsys.readouterr().out


@pytest.mark.plain_sqlite
def test_follow_up_is_personal_data_exported_to_its_subject_and_destroyed_by_a_purge(office, tmp_path):
    """A monitoring visit's attendees, findings and actions and a support session's note are about the
    group's people: the audit trail seals them (never in the clear), the data subject's export holds
    them, and deleting the subject's data destroys them in every file of the database."""
    a = office.awards.list()[0]
    app = a.application_id
    office.awards.set(app, agreed_on="2012-06-20", starts_on="2012-07-01", reason="협약")
    office.monitoring.set_plan()
    office.monitoring.assign(VISITORS)
    office.monitoring.record(app, 1, visited_at="2012-10-02 10:00", attendees="대표 허윤슬 외 4명",
                             findings="허윤슬 대표가 회계를 혼자 맡음",
                             actions=[{"text": "허윤슬 대표 외 회계 담당 1명 지정", "due_on": "2012-11-30"}])
    office.awards.add_support(app, held_on="2012-08-01", kind="consulting", topic="회계 상담", note="허윤슬 대표 면담")
    db = Path(office.sqlite_path)
    trail = " ".join(json.dumps([json.loads(n) if n else None, json.loads(o) if o else None], ensure_ascii=False)
                     for n, o in sqlite3.connect(db).execute("SELECT new, old FROM audit_event"))  # (as text)
    assert "허윤슬" not in trail  # sealed: the chain holds commitments, the values sit beside it
    doc = json.loads(office.privacy.subject_export(app, tmp_path / "s.json", reason="열람 청구").read_text())
    assert doc["award"]["monitoring_visits"][0]["attendees"] == "대표 허윤슬 외 4명"
    assert doc["award"]["monitoring_visits"][0]["actions"][0]["text"] == "허윤슬 대표 외 회계 담당 1명 지정"
    assert doc["award"]["support"][0]["note"] == "허윤슬 대표 면담"
    office.privacy.set_retention(signed_off_on="2012-05-01", project_ends_on="2012-12-31")
    office.privacy.subject_delete(app, reason="삭제 요청", today=date(2018, 1, 2))
    assert office.verify_audit().ok
    [action] = office.monitoring.visits(app)[0].actions
    assert action.text == TOMBSTONE and action.due_on == date(2012, 11, 30)  # the text destroyed, the date kept
    office.close()
    for f in [db, *db.parent.glob(db.name + "-*")]:
        assert not found_in(f, ("허윤슬",)), f  # (UTF-8, UTF-16 and JSON escapes)
