"""Programs on the desktop (issue 17): the header's program and round switcher, the Program screen
with its rounds and the committee's sign-off, New program… (from a file and from the guided form),
manual gates and withdrawals on the application's detail pane, and the automatic assignment with
its likely conflicts — real widgets on real SQLite databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from evaluator.store import Store
from tests.core.program_fixtures import app_row, calls, evaluators_sheet, intake_sheet, rolling_text

from .conftest import OFFICE_PASSPHRASE, flush_events


def fill_passphrase(passphrase):
    def handler(dlg):
        dlg.passphrase.setText(passphrase)
        if dlg.again is not None:
            dlg.again.setText(passphrase)
        return dlg.buttons.button(dlg.buttons.StandardButton.Ok).isEnabled()
    return handler


def add_rolling(st: Store, tmp_path: Path, *, conflicts: bool = False) -> None:
    """The shipped rolling program (three rounds over 2013) with 4 applications in 1차 and 11 in 2차."""
    st.programs.create_from_file(calls(tmp_path) / "programs" / "seoul-cbp-2013-rolling.toml")
    rows = [app_row(f"2013-F-{i:02d}", "activity", f"2013.02.{i:02d}") for i in range(1, 5)]
    rows += [app_row(f"2013-A-{i:02d}", "activity" if i % 2 else "space", f"2013.05.{i:02d}",
                     group="새싹품앗이" if i == 3 else "", district="강북구" if i == 4 else "종로구")
             for i in range(1, 12)]
    st.excel.import_applications(intake_sheet(tmp_path / "in.xlsx", rows))
    if conflicts:
        st.excel.import_evaluators(evaluators_sheet(tmp_path / "ev.xlsx", [
            ["EV01", "김서연", "예시대학교", "", "서초구", "ev01@example.org", ""],
            ["EV02", "박준호", "새싹품앗이", "", "마포구", "ev02@example.org", ""],
            ["EV03", "이민정", "가상구청", "", "강북구", "ev03@example.org", ""],
            ["EV04", "최동욱", "샘플연구원", "", "", "", ""],
            ["EV05", "정하늘", "마을센터", "", "", "ev05@maeul.example", "010-1111-2222"],
        ]))


@pytest.fixture
def two_programs(demo_store, tmp_path):
    add_rolling(demo_store, tmp_path)
    return demo_store


def test_the_switcher_shows_the_program_and_round_and_switching_changes_every_screen(two_programs, make_window):
    store = two_programs
    w = make_window(store)
    sw = w.switcher
    # the rolling program was made last, so it is the database's current program; its current round is 1차
    assert w.ctx.program.code == "seoul-cbp-2013" and w.ctx.round == "1"
    assert [sw.program.itemData(i) for i in range(sw.program.count())] == ["seoul-cbp-2012-1", "seoul-cbp-2013"]
    assert sw.program.currentData() == "seoul-cbp-2013" and sw.round.currentData() == "1"
    assert [sw.round.itemText(i).split(" ")[0] for i in range(sw.round.count())] == ["1차", "2차", "3차"]
    apps = w.show_screen("applications")
    assert apps.model.ids == [f"2013-F-{i:02d}" for i in range(1, 5)]

    # another round: the applications shown now, and the ranking when it is shown
    sw.round.setCurrentIndex(1)
    sw.round.activated.emit(1)
    assert w.ctx.round == "2"
    assert apps.model.ids == [f"2013-A-{i:02d}" for i in range(1, 12)]
    ranking = w.show_screen("ranking")
    assert ranking.result.round == "2"
    assert {r.application_id for t in ranking.result.tracks for r in t.rows} == set(apps.model.ids)

    # a write that changes a round (closing its intake on the Program screen) shows in the switcher
    program = w.show_screen("program")
    assert program.selected_round().code == "2"
    before = sw.round.itemText(1)
    program.close_btn.click()
    assert store.rounds.get("2").status == "closed"
    assert w.switcher.round.itemText(1) != before and w.switcher.round.currentData() == "2"
    assert program.open_btn.isEnabled() and not program.close_btn.isEnabled()

    # another program: every screen is rebuilt for it, at its current round
    w.switcher.program.setCurrentIndex(0)
    w.switcher.program.activated.emit(0)
    assert w.ctx.program.code == "seoul-cbp-2012-1" and w.ctx.round == w.ctx.program.current_round.code
    assert w.switcher.program.currentData() == "seoul-cbp-2012-1"
    apps = w.show_screen("applications")
    assert len(apps.model.ids) == 48
    tracks = w.show_screen("program").tracks.rows
    assert [(t.code, t.quota, t.reserve_size, t.min_score) for t in tracks] == [
        ("activity", 10, 3, 60.0), ("space", 9, 3, 60.0)]
    # nothing was written by switching: the database's current program is still the rolling one
    with Store(store.url) as other:
        assert other.programs.get().code == "seoul-cbp-2013"


def test_sign_off_asks_who_confirms_and_freezes_the_round(demo_store, make_window, dialogs):
    store = demo_store
    w = make_window(store)
    screen = w.show_screen("program")
    rnd = screen.selected_round()
    assert rnd is not None and not rnd.signed_off and screen.sign_btn.isEnabled()
    before = {r.application_id: r.decision for t in store.ranking.rank().tracks for r in t.rows}

    def sign(dlg):
        assert not dlg.buttons.button(dlg.buttons.StandardButton.Ok).isEnabled()  # who signs is required
        dlg.by.setText("위원장 김가상")
        dlg.note.setText("제3차 선정위원회")
        return True

    dialogs.on_exec["signOffDialog"] = sign
    dialogs.on_exec["passphraseDialog"] = fill_passphrase(OFFICE_PASSPHRASE)  # the office key, made now
    screen.sign_off()
    assert any("위원장 김가상" in m for m in dialogs.messages())  # the confirmation named who signs
    info = store.rounds.get(rnd.code)
    assert info.signed_off and info.signed_off_by == "위원장 김가상" and info.sign_off_note == "제3차 선정위원회"
    # the screen shows the round frozen, and it cannot be signed off twice
    assert not screen.sign_btn.isEnabled() and not screen.close_btn.isEnabled()
    assert "위원장 김가상" in screen.round_state.text() and "제3차 선정위원회" in screen.round_state.text()
    assert "서명" in w.switcher.round.currentText() or "signed" in w.switcher.round.currentText()

    # a later change that would move the ranking does not change the signed-off round's decisions
    store.ranking.set_settings(min_score=99)
    ranking = w.show_screen("ranking")
    ranking.rank()
    after = {r.application_id: r.decision for t in ranking.result.tracks for r in t.rows}
    assert ranking.result.signed_off and after == before
    assert sum(d == "selected" for d in after.values()) == 19


def test_a_bad_program_file_shows_its_problems_with_file_and_key_and_writes_nothing(demo_store, make_window,
                                                                                    dialogs, tmp_path):
    store = demo_store
    w = make_window(store)
    bad = calls(tmp_path) / "programs" / "bad.toml"
    bad.write_text(rolling_text(**{
        'code = "seoul-cbp-2013"': 'code = "gangbuk-2014"',
        'quota = 12 ': 'quota = -1 ',
        'rubric = "../rubrics/space.toml"': 'rubric = "../rubrics/missing.toml"',
        'type = "year"': 'type = "yaer"',
    }), encoding="utf-8")
    seen = {}

    def handler(dlg):
        dialogs.files.append(bad)
        dlg.findChild(type(dlg.create_file_btn), "chooseProgramFile").click()
        seen["problems"] = dlg.file_problems.texts()
        seen["can_create"] = dlg.create_file_btn.isEnabled()
        return False

    dialogs.on_exec["newProgramDialog"] = handler
    w.new_program()
    problems = seen["problems"]
    assert not seen["can_create"]
    assert any(p.startswith("bad.toml, tracks[0] (activity).quota") for p in problems), problems
    assert any(p.startswith("bad.toml, tracks[1] (space).rubric") for p in problems), problems
    assert any(p.startswith("bad.toml, fields[0]") and ".type" in p for p in problems), problems
    assert [p.code for p in store.programs.list()] == ["seoul-cbp-2012-1"]
    assert w.ctx.program.code == "seoul-cbp-2012-1"


def test_a_good_program_file_is_created_and_shown(demo_store, make_window, dialogs, tmp_path):
    store = demo_store
    w = make_window(store)
    good = calls(tmp_path) / "programs" / "seoul-cbp-2013-rolling.toml"

    def handler(dlg):
        dlg.load_file(good)
        assert dlg.file_problems.count() == 0 and "seoul-cbp-2013" in dlg.file_summary.text()
        dlg.create_file_btn.click()
        return dlg.created is not None

    dialogs.on_exec["newProgramDialog"] = handler
    w.new_program()
    assert [p.code for p in store.programs.list()] == ["seoul-cbp-2012-1", "seoul-cbp-2013"]
    assert w.ctx.program.code == "seoul-cbp-2013" and w.switcher.program.currentData() == "seoul-cbp-2013"
    assert [w.switcher.round.itemData(i) for i in range(w.switcher.round.count())] == ["1", "2", "3"]


def test_the_guided_form_validates_as_it_is_typed_and_writes_the_program_file(demo_store, make_window, dialogs,
                                                                               tmp_path):
    store = demo_store
    w = make_window(store)
    target = tmp_path / "calls" / "gangbuk-2014.toml"
    target.parent.mkdir()
    seen = {}

    def handler(dlg):
        dlg.tabs.setCurrentIndex(1)
        dlg.code.setText("gangbuk-2014")
        dlg.name_ko.setText("2014 강북구 마을공동체 공모")
        dlg.name_en.setText("Gangbuk 2014 call")
        dlg.office_ko.setText("강북구청 마을공동체팀")
        dlg.track_table.item(0, 1).setText("주민모임 활동")
        quota = dlg.track_table.item(0, 4)
        quota.setText("열 개")  # not a number: the problem names the key at once
        dlg.check_form()
        seen["typo"] = dlg.form_problems.texts()
        seen["typo_create"] = dlg.create_form_btn.isEnabled()
        quota.setText("8")
        dlg.add_track()
        dlg.track_table.item(1, 0).setText("space")
        dlg.track_table.item(1, 1).setText("공간 조성")
        dlg.track_table.item(1, 6).setText("50,000,000")
        dlg.add_round()
        dlg.add_round()
        dlg.round_table.item(0, 3).setText("2014-01-02")
        dlg.round_table.item(0, 4).setText("2014-06-30")
        dlg.round_table.item(1, 3).setText("2014.06.01")  # overlaps the first round
        dlg.round_table.item(1, 4).setText("2014.12.31")
        dlg.intake.setCurrentIndex(1)  # rolling
        dlg.check_form()
        seen["overlap"] = dlg.form_problems.texts()
        dlg.round_table.item(1, 3).setText("2014.07.01")
        dialogs.files.append(target)
        dlg.findChild(type(dlg.create_form_btn), "chooseTarget").click()
        dlg.check_form()
        seen["clean"] = dlg.form_problems.texts()
        assert dlg.create_form_btn.isEnabled(), (dlg.form_state.text(), seen, dlg.text())
        dlg.create_form_btn.click()
        return dlg.created is not None

    dialogs.on_exec["newProgramDialog"] = handler
    w.new_program()
    assert any("tracks[0]" in p and "quota" in p for p in seen["typo"]) and not seen["typo_create"], seen["typo"]
    assert any("rounds[1]" in p for p in seen["overlap"]), seen["overlap"]
    assert seen["clean"] == []
    # the same TOML file the command line takes, rubric paths relative to it
    text = target.read_text(encoding="utf-8")
    assert 'code = "gangbuk-2014"' in text and 'intake = "rolling"' in text and "budget = 50000000" in text
    rubrics = [line.split('"')[1] for line in text.splitlines() if line.startswith("rubric = ")]
    assert len(rubrics) == 2 and all(not Path(r).is_absolute() and (target.parent / r).is_file() for r in rubrics)
    assert store.programs.check_file(target).code == "gangbuk-2014"
    info = store.programs.get("gangbuk-2014")
    assert [(t.code, t.quota, t.budget) for t in info.tracks] == [("track1", 8, None), ("space", 10, 50_000_000)]
    assert [(r.code, r.opens_on.isoformat()) for r in info.rounds] == [("1", "2014-01-02"), ("2", "2014-07-01")]
    assert w.ctx.program.code == "gangbuk-2014"


def test_gates_and_withdrawal_are_recorded_on_the_detail_pane(demo_store, make_window, dialogs):
    store = demo_store
    w = make_window(store)
    apps = w.show_screen("applications")
    flush_events(QApplication.instance())  # the detail is read once the table is drawn
    app_id = apps.model.ids[0]
    assert apps._current == app_id
    gates = apps.gates.rows
    manual = [g for g in gates if g.kind == "manual"]
    assert manual and all(g.passed is None for g in manual)
    assert apps.selected_gate().code == manual[0].code and apps.gate_fail.isEnabled()
    dialogs.texts.append("같은 활동으로 2011년 지원받음")
    apps.gate_fail.click()
    recorded = {g.code: g for g in store.applications.gates(app_id)}[manual[0].code]
    assert recorded.passed is False and recorded.note == "같은 활동으로 2011년 지원받음"
    shown = {g.code: g for g in apps.gates.rows}[manual[0].code]
    assert shown.passed is False and "같은 활동" in shown.note
    if len(manual) > 1:
        apps.gate_view.selectRow(gates.index(manual[1]))
        dialogs.texts.append("")
        apps.gate_pass.click()
        assert {g.code: g for g in store.applications.gates(app_id)}[manual[1].code].passed is True

    dialogs.texts.append("대표자 사정으로 신청 철회")
    apps.withdraw_btn.click()
    info = store.applications.get(app_id)
    assert info.status == "withdrawn" and info.status_reason == "대표자 사정으로 신청 철회"
    assert "대표자 사정으로 신청 철회" in apps.withdrawn_label.text() and not apps.withdraw_btn.isEnabled()
    assert "대표자 사정으로 신청 철회" in apps.detail.toPlainText()
    # a withdrawal without its reason changes nothing
    other = apps.model.ids[1]
    apps.table.selectRow(1)
    dialogs.texts.append(None)
    apps.withdraw_btn.click()
    assert store.applications.get(other).status != "withdrawn"


def test_automatic_assignment_with_a_likely_conflict_confirmed(tmp_path, make_window, dialogs):
    store = Store(f"sqlite:///{tmp_path / 'office.sqlite3'}")
    try:
        add_rolling(store, tmp_path, conflicts=True)
        w = make_window(store)
        w.switcher.round.setCurrentIndex(1)
        w.switcher.round.activated.emit(1)  # 2차: the applications of May
        screen = w.show_screen("assignments")
        dlg = screen.auto_assign()
        dlg.per_application.setValue(3)
        dlg.run_btn.click()
        result = dlg.result
        assert len(result.added) == 33 and result.applications == 11 and not result.short
        assert all(a.startswith("2013-A-") for a, _ev in result.added)  # only the round shown
        likely = {(c.application_id, c.evaluator): c for c in dlg.conflicts.rows}
        assert {("2013-A-03", "EV02"), ("2013-A-04", "EV03")} <= set(likely)
        loads = {e.code: e.assigned for e in dlg.loads.rows}
        assert sum(loads.values()) == 33 and max(loads.values()) - min(loads.values()) <= 1

        # confirm one: it becomes a declared conflict; dismiss another (with its reason): no conflict declared
        row = dlg.conflicts.rows.index(likely[("2013-A-03", "EV02")])
        dlg.conflict_view.selectRow(row)
        assert dlg.conflict_type.currentData() == "institutional"  # same organisation
        dlg.confirm_btn.click()
        held = {a.evaluator: a for a in store.people.assignments(application_id="2013-A-03")}
        assert held["EV02"].conflict_type == "institutional" and "새싹품앗이" in held["EV02"].conflict_note
        dlg.conflict_view.selectRow(dlg.conflicts.rows.index(likely[("2013-A-04", "EV03")]))
        dialogs.texts.append("같은 자치구 거주일 뿐")
        dlg.dismiss_btn.click()
        assert ("2013-A-04", "EV03") not in {(c.application_id, c.evaluator) for c in dlg.conflicts.rows}
        assert ("2013-A-03", "EV02") not in {(c.application_id, c.evaluator) for c in dlg.conflicts.rows}
        assert not any(a.conflict_type for a in store.people.assignments(application_id="2013-A-04"))
        # assigning again gives 2013-A-03 its third evaluator, never EV02; the loads follow
        dlg.run_btn.click()
        held = [a for a in store.people.assignments(application_id="2013-A-03") if not a.is_conflict]
        assert len(held) == 3 and "EV02" not in {a.evaluator for a in held}
        assert sum(e.assigned for e in dlg.loads.rows) == 33
        dlg.close()
        w.close()
    finally:
        store.close()


def test_a_dismissed_likely_conflict_asks_why_and_stays_dismissed_when_the_dialog_is_reopened(
        tmp_path, make_window, dialogs):
    store = Store(f"sqlite:///{tmp_path / 'office.sqlite3'}")
    try:
        add_rolling(store, tmp_path, conflicts=True)
        w = make_window(store)
        w.switcher.round.setCurrentIndex(1)
        w.switcher.round.activated.emit(1)  # 2차
        screen = w.show_screen("assignments")
        dlg = screen.auto_assign()

        def listed(d) -> set[tuple[str, str]]:
            return {(c.application_id, c.evaluator) for c in d.conflicts.rows}

        # the likely conflicts are listed as the dialog opens, before any assignment
        assert {("2013-A-03", "EV02"), ("2013-A-04", "EV03")} <= listed(dlg)
        dlg.conflict_view.selectRow(dlg.conflicts.rows.index(
            next(c for c in dlg.conflicts.rows if (c.application_id, c.evaluator) == ("2013-A-04", "EV03"))))
        # Cancel: nothing is recorded and it stays listed
        dialogs.texts.append(None)
        dlg.dismiss_btn.click()
        assert ("2013-A-04", "EV03") in listed(dlg) and store.people.dismissed_conflicts() == []
        # with a reason: recorded with it and off the list
        dialogs.texts.append("같은 자치구 거주일 뿐, 단체와 관계 없음")
        dlg.dismiss_btn.click()
        assert not dialogs.texts and ("2013-A-04", "EV03") not in listed(dlg)
        [kept] = store.people.dismissed_conflicts()
        assert (kept.application_id, kept.evaluator, kept.reason) == ("2013-A-04", "EV03", "같은 자치구 거주일 뿐, 단체와 관계 없음")
        dlg.close()

        # reopened, and after an automatic assignment: still not listed
        dlg = screen.auto_assign()
        assert ("2013-A-04", "EV03") not in listed(dlg) and ("2013-A-03", "EV02") in listed(dlg)
        dlg.run_btn.click()
        assert dlg.result.added and ("2013-A-04", "EV03") not in listed(dlg)
        # something new matches (EV03 now gives the applicant's phone): listed again, saying so first
        store.people.put_evaluator("EV03", "이민정", "가상구청", email="ev03@example.org", phone="010-0000-0000")
        dlg.run_btn.click()
        row = next(i for i, c in enumerate(dlg.conflicts.rows)
                   if (c.application_id, c.evaluator) == ("2013-A-04", "EV03"))
        why = dlg.conflicts.index(row, dlg.conflicts.columnCount() - 1).data()
        assert why.startswith("[이전에 같은 자치구 사유로 해제됨: 같은 자치구 거주일 뿐, 단체와 관계 없음;")  # (the app in Korean)
        # Show dismissed lists it with its reason; Restore (asking why) lists it again
        dlg.show_dismissed.setChecked(True)
        assert dlg.dismissed_view.isVisibleTo(dlg) and dlg.restore_btn.isEnabled()
        assert [(d.application_id, d.reason) for d in dlg.dismissed.rows] == [("2013-A-04", kept.reason)]
        dialogs.texts.append("잘못 해제함")
        dlg.restore_btn.click()
        assert ("2013-A-04", "EV03") in listed(dlg) and dlg.dismissed.rows == []
        assert store.people.dismissed_conflicts() == []
        dlg.close()
        w.close()
    finally:
        store.close()


def test_outputs_and_progress_follow_the_round_shown_in_the_header(two_programs, make_window, dialogs, tmp_path):
    import openpyxl
    from pypdf import PdfReader

    w = make_window(two_programs)
    sw = w.switcher
    sw.round.setCurrentIndex(1)
    sw.round.activated.emit(1)
    assert w.ctx.round == "2"
    second = [f"2013-A-{i:02d}" for i in range(1, 12)]

    outs = w.show_screen("outputs")
    outs.refresh()
    assert outs.round.isVisibleTo(outs) and "2차" in outs.round.text()
    assert [outs.application.itemData(i) for i in range(outs.application.count())] == second
    outs.open_folder.setChecked(False)
    # the ranked lists and the blank sheets are of round 2 only, not round 1's four applications
    xlsx = tmp_path / "ranking.xlsx"
    dialogs.files.append(xlsx)
    outs.buttons["export_ranking"].click()
    wb = openpyxl.load_workbook(xlsx, read_only=True)
    cells = {str(c.value) for ws in wb.worksheets for r in ws.iter_rows() for c in r if c.value is not None}
    wb.close()
    assert set(second) <= cells and not {f"2013-F-{i:02d}" for i in range(1, 5)} & cells
    pdf = tmp_path / "blank.pdf"
    dialogs.files.append(pdf)
    outs.buttons["report_blank_sheets"].click()
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert all(a in text for a in second) and "2013-F-01" not in text
    # the progress and scores workbooks and the score template too: round 2's applications, and
    # _meta names the round
    for key in ("export_progress", "export_scores", "score_template"):
        xlsx = tmp_path / f"{key}.xlsx"
        dialogs.files.append(xlsx)
        outs.buttons[key].click()
        wb = openpyxl.load_workbook(xlsx, read_only=True)
        ids = {r[0] for r in wb.worksheets[-2].iter_rows(min_row=2, values_only=True)}  # (the last data sheet)
        meta = {r[0]: r[1] for r in wb["_meta"].iter_rows(values_only=True) if r and r[0]}
        wb.close()
        assert ids <= set(second) and meta["round"] == "2"
        assert key != "export_progress" or ids == set(second)

    # progress counts the round shown: its applications, per track
    progress = w.show_screen("progress")
    progress.refresh()
    assert sum(r.applications for r in progress.tracks.rows) == len(second)
    sw.round.setCurrentIndex(0)
    sw.round.activated.emit(0)
    progress = w.show_screen("progress")
    progress.refresh()
    assert sum(r.applications for r in progress.tracks.rows) == 4


def test_the_program_screen_states_the_program_files_rules_in_the_interfaces_language(demo_store, make_window,
                                                                                       tmp_path):
    # the demo program's file states no rules: nothing is shown for them
    w = make_window(demo_store)
    screen = w.show_screen("program")
    screen.refresh()
    assert not screen.rules.isVisibleTo(screen) and screen.rules.text() == ""

    demo_store.programs.create_from_file(calls(tmp_path) / "programs" / "seoul-remodel-social-housing-2017.toml")
    w = make_window(demo_store)
    screen = w.show_screen("program")
    screen.refresh()
    assert screen.rules.isVisibleTo(screen) and screen.rules_title.isVisibleTo(screen)
    lines = screen.rules.text().splitlines()
    # every gate, the support rule and the track's selection model, one line each, in Korean with the file's keys
    assert len(lines) == 11 and all(line.startswith("• ") for line in lines)
    assert "• 요건 building_age(노후 건축물(15년 이상)): 사용승인(approved_on): 접수일(submitted_on) 기준 만 15년 이상" in lines
    assert any(line.startswith("• 지원금: 리모델링 공사비(remodel_cost) × 사업기간(project_years)별 지원율") and
               "1,000원 단위 절사" in line and "2017-08-08부터 200,000,000원" in line for line in lines)
    assert not any(word in screen.rules.text() for word in ("gate ", "support:", "the budget", "selection"))


def test_the_category_filter_and_column_use_the_programs_own_categories(demo_store, make_window, tmp_path):
    from evaluator.paths import resource

    demo_store.programs.create_from_file(calls(tmp_path) / "programs" / "seoul-remodel-social-housing-2017.toml")
    demo_store.excel.import_applications(resource("programs", "examples") / "remodel-intake-2017.xlsx")
    w = make_window(demo_store)
    apps = w.show_screen("applications")
    combo = apps.category
    # the program's categories (and the 'other' every program has), not the community programs' cafés
    assert [(combo.itemData(i), combo.itemText(i)) for i in range(1, combo.count())] == [
        ("gosiwon", "고시원"), ("inn", "여관·모텔"), ("other", "기타")]
    combo.setCurrentIndex(combo.findData("inn"))
    apps.reload()
    shown = apps.model.ids
    assert shown and len(shown) < 14
    column = next(i for i, c in enumerate(apps.model.columns) if c.key == "category")
    from PySide6.QtCore import Qt

    assert {apps.model.data(apps.model.index(r, column), Qt.DisplayRole) for r in range(len(shown))} == {"여관·모텔"}
