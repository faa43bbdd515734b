"""Ranking through the façade and the CLI: real databases (SQLite and PostgreSQL), the demo program,
the stored snapshot, committee overrides in the audit trail."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, update

from evaluator.cli import main
from evaluator.db.models import Application, AuditEvent, Decision
from evaluator.errors import NotFound, ValidationError
from evaluator.changes import DECISIONS
from evaluator.ranking.reasons import stored_words
from evaluator.store import Store

from .ranking_fixtures import make_small_program


@pytest.fixture
def small(any_db_url):
    st = Store(any_db_url)
    make_small_program(st)
    yield st
    st.close()


def decisions(store) -> dict:
    with store.uow.read() as s:
        rows = s.execute(select(Application.external_id, Decision.computed, Decision.computed_rank,
                                Decision.computed_score, Decision.computed_reason, Decision.override)
                         .join(Decision, Decision.application_id == Application.id)).all()
    return {r[0]: tuple(r[1:]) for r in rows}


def audit_actions(store) -> list[tuple[str, str]]:
    with store.uow.read() as s:
        return [(e.action, e.reason) for e in s.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()]


def test_ranking_on_a_real_database_stores_the_snapshot_and_audits_overrides(small):
    # R-1 (90, 80, 100) → 90; R-2 (80, 70, 90) → 80; R-3 → 70; R-4 → 60; R-5 has 2 members (ineligible)
    assert not small.ranking.rank().recorded  # a read: nothing is the decision of record yet
    assert decisions(small) == {}
    outcome = small.ranking.record()
    assert DECISIONS in outcome.changes
    result = outcome.value
    t = result.track("activity")
    got = [(r.application_id, r.rank, r.score, r.computed_decision) for r in t.rows]
    assert got == [("R-1", 1, 90.0, "selected"), ("R-2", 2, 80.0, "selected"), ("R-3", 3, 70.0, "reserve"),
                   ("R-4", 4, 60.0, "not_selected"), ("R-5", None, 100.0, "ineligible")]
    assert t.rows[2].reason == "rank 3 of 4; score 70.0; quota 2 filled; first reserve"
    assert t.rows[4].reason.startswith("ineligible: members 2 below the minimum 3")
    # the computed snapshot is stored (nothing overridden yet), its reason structured: a code and
    # parameters per phrase, which every reader renders in its own language
    stored = decisions(small)
    computed, rank, score, reason, override = stored["R-3"]
    assert (computed, rank, score, override) == ("reserve", 3, 70.0, None)
    assert json.loads(reason) == [{"code": "rank", "params": {"of": 4, "rank": 3, "score": 70.0}},
                                  {"code": "quota_filled", "params": {"quota": 2}},
                                  {"code": "reserve_place", "params": {"place": 1}}]
    assert stored_words(reason) == (t.rows[2].computed_reason, t.rows[2].computed_reason_ko) == (
        "rank 3 of 4; score 70.0; quota 2 filled; first reserve", "4건 중 3위; 70.0점; 선정 정원 2건 마감; 예비 1순위")
    assert stored["R-5"][0] == "ineligible"
    assert stored_words(stored["R-5"][3])[1] == "부적격: 참여인원 2명으로 최소 3명 미달(주민 3인 이상)"
    n_audit = len(audit_actions(small))
    assert small.ranking.rank().recorded  # what is stored is what a ranking now gives
    assert not small.ranking.record().changes  # nothing changed: nothing rewritten, nothing audited
    assert len(audit_actions(small)) == n_audit

    # the committee overrides R-3 with a reason; the computed result stays beside it
    with pytest.raises(ValidationError, match="written reason"):
        small.ranking.override("R-3", "selected", "   ")
    with pytest.raises(ValidationError, match="not a decision"):
        small.ranking.override("R-3", "maybe", "이유")
    with pytest.raises(NotFound):
        small.ranking.override("R-9", "selected", "이유")
    small.ranking.override("R-3", "selected", "현장 재확인 결과 역량 충분")
    r3 = {r.application_id: r for r in small.ranking.rank().all_rows()}["R-3"]
    assert (r3.computed_decision, r3.decision, r3.override_reason) == ("reserve", "selected", "현장 재확인 결과 역량 충분")
    assert "overridden" in r3.flags and "committee override: selected" in r3.reason
    assert decisions(small)["R-3"][0] == "reserve" and decisions(small)["R-3"][-1] == "selected"
    assert ("override", "현장 재확인 결과 역량 충분") in audit_actions(small)
    assert small.ranking.overrides()[0]["application_id"] == "R-3"

    small.ranking.clear_override("R-3", "위원회 재논의로 원상 회복")
    r3 = {r.application_id: r for r in small.ranking.rank().all_rows()}["R-3"]
    assert r3.decision == "reserve" and r3.override is None
    assert ("clear_override", "위원회 재논의로 원상 회복") in audit_actions(small)
    with pytest.raises(ValidationError, match="no committee override"):
        small.ranking.clear_override("R-3", "again")
    assert small.verify_audit().ok


def test_recusal_abstention_and_drafts_through_the_store(small):
    # EV03 declares a conflict with R-1 after scoring: its 100 no longer counts → (90 + 80)/2 = 85
    small.people.declare_conflict("R-1", "EV03", "personal", "친족")
    # EV02 reopens R-2 and abstains: left out → (80 + 90)/2 = 85 (finalised abstention)
    small.scoring.reopen("R-2", "EV02", "기권 처리")
    small.scoring.abstain("R-2", "EV02", "신청 단체와 같은 마을")
    small.scoring.finalise("R-2", "EV02")
    # EV01 reopens R-4 (draft): only counted in a provisional ranking
    small.scoring.reopen("R-4", "EV01", "점수 수정")
    rows = {r.application_id: r for r in small.ranking.record(stability=False).value.all_rows()}
    assert rows["R-1"].score == pytest.approx(85.0) and rows["R-1"].recusals == 1
    assert rows["R-2"].score == pytest.approx(85.0) and rows["R-2"].abstentions == 1
    assert rows["R-4"].evaluations == 2
    states = {e.evaluator: e.state for e in rows["R-2"].evaluators}
    assert states["EV02"] == "abstained"
    before = decisions(small)
    prov = small.ranking.rank(provisional=True)
    assert prov.provisional and {r.application_id: r for r in prov.all_rows()}["R-4"].evaluations == 3
    assert decisions(small) == before  # a provisional ranking is never stored


def test_ranking_settings_are_validated_audited_and_used(small):
    assert small.ranking.settings()["method"] == "mean"
    small.ranking.set_settings(method="median", min_score={"activity": 75})
    result = small.ranking.rank(stability=False)
    assert result.method == "median"
    t = result.track("activity")
    assert t.min_score == 75.0
    r3 = {r.application_id: r for r in t.rows}["R-3"]
    assert r3.reason == "rank 3 of 4; score 70.0 below the minimum 75"
    assert small.ranking.rank(method="mean", stability=False).method == "mean"  # per call
    with pytest.raises(ValidationError, match="trim_min_evaluators"):
        small.ranking.set_settings(trim_min_evaluators=2)
    with pytest.raises(ValidationError, match="not a ranking setting"):
        small.ranking.set_settings(quota=3)
    with pytest.raises(ValidationError, match="unknown track"):
        small.ranking.set_settings(min_score={"nowhere": 50})
    with pytest.raises(ValidationError, match="Unknown ranking method"):
        small.ranking.rank(method="best")
    with pytest.raises(NotFound, match="no track 'space'"):
        small.ranking.rank(track="space")


def ranking_audits(store) -> list[tuple]:
    with store.uow.read() as s:
        return [(e.old, e.new) for e in s.execute(select(AuditEvent).where(AuditEvent.action == "ranking")
                                                  .order_by(AuditEvent.id)).scalars()]


def test_the_ranking_audit_entry_names_each_changed_decision_with_old_and_new(small):
    small.ranking.rank(stability=False)
    assert ranking_audits(small) == []  # reading a ranking audits nothing: it changed nothing
    small.ranking.record(stability=False)
    (old, new), = ranking_audits(small)
    assert old == {"track": "activity", "decisions": {a: None for a in ("R-1", "R-2", "R-3", "R-4", "R-5")}}
    assert new["decisions"] == {"R-1": "selected", "R-2": "selected", "R-3": "reserve", "R-4": "not_selected",
                                "R-5": "ineligible"}
    assert new["decisions_changed"] == 5 and new["method"] == "mean"
    # a higher minimum score: R-3 (70) drops from reserve to not selected; nothing else changes
    small.ranking.set_settings(min_score=75)
    small.ranking.record(stability=False)
    old, new = ranking_audits(small)[-1]
    assert old == {"track": "activity", "decisions": {"R-3": "reserve"}}
    assert new["decisions"] == {"R-3": "not_selected"} and new["decisions_changed"] == 1
    assert new["selected"] == ["R-1", "R-2"] and new["reserve"] == []
    assert small.verify_audit().ok


def test_a_reason_stored_by_an_earlier_version_is_read_as_it_is_and_rewritten_without_an_audit_entry(small):
    small.ranking.record(stability=False)
    with small.uow.write() as s:  # the snapshot as an earlier version stored it: the English sentence
        s.execute(update(Decision).values(computed_reason="rank 3 of 4; score 70.0; quota 2 filled; first reserve")
                  .where(Decision.application_id == select(Application.id)
                         .where(Application.external_id == "R-3").scalar_subquery()))
    assert stored_words(decisions(small)["R-3"][3]) == ("rank 3 of 4; score 70.0; quota 2 filled; first reserve", "")
    n_audit = len(audit_actions(small))
    assert not small.ranking.rank(stability=False).recorded  # the stored text differs from the structured reason
    small.ranking.record(stability=False)  # the decision of record: the same decisions, the reason now structured
    assert stored_words(decisions(small)["R-3"][3])[1] == "4건 중 3위; 70.0점; 선정 정원 2건 마감; 예비 1순위"
    assert len(audit_actions(small)) == n_audit  # no decision changed: nothing audited
    assert small.verify_audit().ok


def stored_methods(store) -> dict:
    with store.uow.read() as s:
        rows = s.execute(select(Application.external_id, Decision.computed_method, Decision.computed_at)
                         .join(Decision, Decision.application_id == Application.id)).all()
    return {r[0]: (r[1], r[2]) for r in rows}


def test_a_ranking_with_another_method_is_a_what_if_view_that_stores_nothing(small):
    first = small.ranking.record(stability=False).value  # the program's method (mean): the decision of record
    assert (first.method, first.program_method, first.what_if, first.recorded) == ("mean", "mean", False, True)
    before, methods, n_audit = decisions(small), stored_methods(small), len(audit_actions(small))
    assert {m for m, _ in methods.values()} == {"mean"}
    for m in ("median", "trimmed", "normalized"):
        what_if = small.ranking.rank(method=m, stability=False)
        assert (what_if.method, what_if.program_method, what_if.what_if, what_if.recorded) == (m, "mean", True, False)
        assert decisions(small) == before and stored_methods(small) == methods
    assert small.ranking.rank(method="mean", stability=False).recorded  # the program's own method: as recorded
    assert len(audit_actions(small)) == n_audit  # nothing changed, nothing audited

    # once the program's method is the median, the median ranking is the decision of record
    small.ranking.set_settings(method="median")
    r = small.ranking.rank(method="median", stability=False)
    assert (r.what_if, r.recorded) == (False, False)  # the stored decisions are still the mean's
    r = small.ranking.record(stability=False).value
    assert (r.method, r.what_if, r.recorded) == ("median", False, True)
    assert {m for m, _ in stored_methods(small).values()} == {"median"}
    assert small.ranking.rank(method="mean", stability=False).what_if
    assert {m for m, _ in stored_methods(small).values()} == {"median"}
    # a provisional ranking is never the decision of record
    assert not small.ranking.rank(provisional=True, stability=False).recorded


def test_cli_labels_a_what_if_ranking_and_leaves_the_decisions_alone(capsys, demo_path):
    db = f"sqlite:///{demo_path}"
    code, out, _ = run(capsys, "rank", "--db", db, "--json", "--no-stability")
    doc = json.loads(out)
    # the demo's program file ranks by the trimmed mean (BRIEF §4)
    assert code == 0 and (doc["what_if"], doc["recorded"], doc["program_method"]) == (False, True, "trimmed")
    with Store(db) as st:
        before = decisions(st)
    code, out, _ = run(capsys, "rank", "--db", db, "--json", "--no-stability", "--method", "normalized")
    doc = json.loads(out)
    assert code == 0 and (doc["what_if"], doc["recorded"], doc["method"]) == (True, False, "normalized")
    code, out, _ = run(capsys, "rank", "--db", db, "--no-stability", "--method", "median")
    assert code == 0 and "WHAT-IF VIEW: ranked by median, but the program's method is trimmed" in out
    with Store(db) as st:
        assert decisions(st) == before


# --- the demo program ----------------------------------------------------------------------------------
def test_demo_program_selects_10_and_9_with_3_reserves_each_and_a_reason_on_every_row(demo_store):
    result = demo_store.ranking.rank()
    counts = {t.track: (t.selected, t.reserve, len(t.rows)) for t in result.tracks}
    assert counts == {"activity": (10, 3, 24), "space": (9, 3, 24)}
    for t in result.tracks:
        assert t.perturbations > 0 and t.reliability is not None
        assert {q.evaluator for q in t.evaluator_quality} == {"EV01", "EV02", "EV03", "EV04", "EV05"}
        for r in t.rows:
            assert r.reason and r.reason_ko, r.application_id
        reserves = [r.reason for r in t.rows if r.decision == "reserve"]
        assert [x.rsplit("; ", 1)[-1] for x in reserves] == ["first reserve", "second reserve", "third reserve"]
    # the declared conflicts of the demo are reported on their applications
    rows = {r.application_id: r for r in result.all_rows()}
    assert all(rows[a].recusals == 1 for a in ("2012-A-007", "2012-A-019", "2012-S-012"))
    # a lenient evaluator (EV02, +5.5 in the demo's generator) shows as lenient
    q = {x.evaluator: x for x in result.track("activity").evaluator_quality}
    assert q["EV02"].leniency > 0 > q["EV05"].leniency


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_rank_json_table_and_override(capsys, demo_path):
    db = f"sqlite:///{demo_path}"
    code, out, _ = run(capsys, "rank", "--db", db, "--json")
    assert code == 0
    doc = json.loads(out)
    apps = doc["applications"]
    assert len(apps) == 48 and doc["method"] == "trimmed" and not doc["provisional"]
    for field in ("application_id", "track", "rank", "score", "decision", "reason", "evaluations", "spread",
                  "flags", "raw_score", "normalized_score", "stability"):
        assert all(field in a for a in apps), field
    assert sum(a["decision"] == "selected" for a in apps if a["track"] == "activity") == 10
    assert sum(a["decision"] == "selected" for a in apps if a["track"] == "space") == 9
    assert [t["track"] for t in doc["tracks"]] == ["activity", "space"]
    assert doc["tracks"][0]["reliability_method"] == "Krippendorff's alpha (interval)"

    code, out, _ = run(capsys, "rank", "--db", db, "--track", "space", "--method", "median", "--no-stability")
    assert code == 0
    assert "==== cut line: quota 9 " in out and "first reserve" in out and "Community space management" in out
    lines = out.splitlines()
    cut = next(i for i, line in enumerate(lines) if "cut line" in line)
    assert "selected" in lines[cut - 1] and "reserve" in lines[cut + 1]

    top_reserve = next(a["application_id"] for a in apps if a["track"] == "space" and a["decision"] == "reserve")
    code, _, err = run(capsys, "override", top_reserve, "selected", "--db", db, "--reason", " ")
    assert code != 0 and "written reason" in err
    code, out, _ = run(capsys, "override", top_reserve, "selected", "--db", db, "--reason", "현장 재확인")
    assert code == 0
    code, out, _ = run(capsys, "rank", "--db", db, "--track", "space", "--json", "--no-stability")
    row = next(a for a in json.loads(out)["applications"] if a["application_id"] == top_reserve)
    assert (row["decision"], row["computed_decision"], row["override_reason"]) == ("selected", "reserve", "현장 재확인")
    code, out, _ = run(capsys, "rank", "--db", db, "--track", "space", "--lang", "ko", "--no-stability")
    assert "선정*" in out and "위원회 조정: 선정 — 현장 재확인" in out
    assert run(capsys, "override", top_reserve, "--clear", "--db", db, "--reason", "원복")[0] == 0
    code, _, err = run(capsys, "override", top_reserve, "--db", db, "--reason", "x")
    assert code != 0 and "--clear" in err


def test_overrides_need_the_office_database_and_a_cancelled_ranking_stores_nothing(tmp_path, demo_store):
    from evaluator.errors import Cancelled, PermissionDenied
    from evaluator.jobs import CancelToken

    with Store(f"sqlite:///{tmp_path / 'field.sqlite3'}", role="field") as field:
        with pytest.raises(PermissionDenied, match="field database"):
            field.ranking.override("2012-A-001", "selected", "이유")
    token = CancelToken()
    seen = []

    def progress(fraction, message=""):
        seen.append(fraction)
        if fraction > 0.5:
            token.cancel()

    with pytest.raises(Cancelled):
        demo_store.ranking.record(progress=progress, cancel=token)
    assert seen and decisions(demo_store) == {}  # nothing stored
    demo_store.ranking.record(progress=lambda f, m="": seen.append(f))
    assert seen[-1] == 1.0 and len(decisions(demo_store)) == 48


def test_the_office_sets_the_method_of_record_from_the_cli_and_rank_then_stores_it(tmp_path, demo_template, capsys):
    import shutil

    db = tmp_path / "office.sqlite3"
    shutil.copyfile(demo_template, db)
    assert main(["settings", "--json", "--db", str(db)]) == 0
    assert json.loads(capsys.readouterr().out)["method"] == "trimmed"  # the demo's program file
    assert main(["settings", "--method", "median", "--min-score", "activity=65", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "median" in out and "activity 65" in out
    assert main(["rank", "--json", "--db", str(db)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["program_method"] == "median" and doc["recorded"] and not doc["what_if"]
    with Store(f"sqlite:///{db}") as st:
        assert st.ranking.settings()["min_score"] == {"activity": 65.0}
        with st.uow.read() as s:
            assert s.execute(select(AuditEvent).where(AuditEvent.action == "program_settings")).first() is not None
    assert main(["settings", "--min-score", "abc", "--db", str(db)]) == 2
    assert "--min-score: 'abc'" in capsys.readouterr().err


def _loaded_inputs(store):
    from evaluator.ranking.load import effective_settings, load_tracks
    from evaluator.services.common import current_program

    with store.uow.read() as s:
        p = current_program(s)
        return [t.inputs for t in load_tracks(s, p, list(p.tracks), method="mean", provisional=False, stability=True,
                                              settings=effective_settings(p))]


def test_the_loader_hands_the_stability_analysis_a_range_that_holds_every_point(small):
    from evaluator.db.models import Score

    def check():
        for inp in _loaded_inputs(small):
            points = [0.0 if p is None else p for a in inp.applications for e in a.evaluations for p in e.points]
            lo, hi = inp.points_range
            assert lo <= min(points) and hi >= max(points)
        return lo, hi

    lo, hi = check()
    assert lo == 0.0  # (a blank counts 0)
    with small.uow.write() as s:  # the highest score read is the top, whatever the rubric's maximum
        s.execute(update(Score).where(Score.id == select(Score.id).limit(1).scalar_subquery()).values(points=hi + 7))
    assert check()[1] == hi + 7
    with small.uow.write() as s:  # a zero (not interned as the other values are) and a blank
        s.execute(update(Score).where(Score.id == select(Score.id).limit(1).scalar_subquery()).values(points=0.0))
        s.execute(update(Score).where(Score.id == select(Score.id).offset(1).limit(1).scalar_subquery())
                  .values(points=None))
    check()
    assert rows_equal_without_range(small)


def rows_equal_without_range(store) -> bool:
    from dataclasses import replace

    from evaluator.ranking.engine import rank_track

    return all(rank_track(inp) == rank_track(replace(inp, points_range=None)) for inp in _loaded_inputs(store))
