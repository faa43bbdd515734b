"""The two whole flows through real widgets, checking the database and the files at each step.

Evaluator: field database from a kit → open a visit → visit log → score every criterion with the
keyboard → attach a photo → finalise → hand back (result package with its fingerprint).
Office: import the intake sheet → assign → build kits → merge the packages that come back (register
the evaluator's key on the way) → rank → override with a reason → Excel and PDF outputs.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QPushButton
from pypdf import PdfReader

from evaluator.store import Store
from evaluator.workflows import import_kit
from ui.screens.scoring import PointsPicker

from .conftest import EVALUATOR_PASSPHRASE, OFFICE_PASSPHRASE, select_rows, type_text
from .test_field_flow import focus
from .test_office_flow import GOOD, write_intake


def fill_passphrase(passphrase, database_passphrase="field laptop 1"):
    def handler(dlg):
        if dlg.passphrase is not None:
            dlg.passphrase.setText(passphrase)
        if dlg.again is not None:  # only a new passphrase is typed twice
            dlg.again.setText(passphrase)
        if hasattr(dlg, "database"):
            dlg.database.db_passphrase.setText(database_passphrase)
            dlg.database.db_again.setText(database_passphrase)
        return dlg.buttons.button(dlg.buttons.StandardButton.Ok).isEnabled()
    return handler


def make_photo(path: Path) -> Path:
    img = QImage(320, 240, QImage.Format_RGB32)
    img.fill(Qt.darkGreen)
    assert img.save(str(path), "PNG")
    return path


def score_with_keyboard(form, qtbot, keys="1232145"):
    focus(form.rows[form.rubric.criteria[0].code].picker, qtbot)
    for i, c in enumerate(form.rubric.criteria):
        picker = QApplication.focusWidget()
        assert picker is form.rows[c.code].picker
        if isinstance(picker, PointsPicker):
            qtbot.keyClicks(picker, "9")
        else:
            qtbot.keyClick(picker, keys[i % len(keys)])
        qtbot.keyClick(picker, Qt.Key_Tab)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)


def test_evaluator_flow(field_store, make_window, dialogs, qtbot, tmp_path):
    w = make_window(field_store)
    assert w.ctx.is_field and w.ctx.evaluator == "EV01"
    today = w.screens["today"]
    kit = field_store.packages.kit_info()
    assert today.model.rowCount() == len(kit.applications)
    # open the first visit with the keyboard
    today.table.setFocus()
    today.table.selectRow(0)
    qtbot.keyClick(today.table, Qt.Key_Return)
    form = today.form
    assert form is not None and form.rubric is not None
    app_id = form.application_id
    # visit log
    form.visited_at.setDateTime(form.visited_at.dateTime().currentDateTime())
    focus(form.attendees, qtbot)
    type_text(form.attendees, "대표 외 3명")
    next(iter(form.checks.values())).setChecked(True)
    # every criterion with the keyboard
    score_with_keyboard(form, qtbot)
    info = field_store.scoring.evaluation(app_id, "EV01")
    assert info.missing == () and info.total is not None
    # a photo from disk, with its thumbnail
    dialogs.files.append([make_photo(tmp_path / "현장.png")])
    form.add_photo_btn.click()
    assert form.photo_list.count() == 1
    assert not form.photo_list.item(0).icon().isNull()
    photos = field_store.scoring.attachments(app_id, evaluator="EV01")
    assert [p.filename for p in photos] == ["현장.png"]
    # finalise (Ctrl+Enter, confirmed)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert field_store.scoring.evaluation(app_id, "EV01").state == "finalised"
    visit = field_store.scoring.visit(app_id, "EV01")
    assert visit["attendees"] == "대표 외 3명" and visit["visited_at"] is not None
    form.closed.emit()
    # hand back: the package, signed with a key made now
    handback = w.show_screen("handback")
    assert handback.open_items.count() == len(kit.applications) - 1
    out = tmp_path / "result-EV01.mepkg"
    dialogs.files.append(out)
    dialogs.on_exec["passphraseDialog"] = fill_passphrase(EVALUATOR_PASSPHRASE)
    handback.export_btn.click()
    assert out.exists() and out.stat().st_size > 0
    text = handback.result.text()
    key = field_store.keys.identity()
    assert key is not None and key.fingerprint in text
    # a second package later needs no passphrase (the key stays unlocked for the session)
    del dialogs.on_exec["passphraseDialog"]
    out2 = tmp_path / "result-EV01-2.mepkg"
    dialogs.files.append(out2)
    handback.export_btn.click()
    assert out2.exists()


def test_office_flow(kit_office_store, kit_world, make_window, dialogs, qtbot, tmp_path):
    office = kit_office_store
    w = make_window(office)
    # 1. intake
    imp = w.show_screen("import")
    dialogs.files.append(write_intake(tmp_path / "intake.xlsx", GOOD))
    imp.choose()
    imp.import_btn.click()
    assert office.applications.get("2012-A-101").title == "골목 책수다 모임"
    # 2. assign EV01 to the new application
    asg = w.show_screen("assignments")
    asg.search.setText("2012-A-101")
    assert asg.apps.ids == ["2012-A-101"]
    select_rows(asg.app_view, [0])
    asg.evaluator_combo.setCurrentIndex(asg.evaluator_combo.findData("EV01"))
    asg.assign_btn.click()
    assert [a.evaluator for a in office.people.assignments(application_id="2012-A-101")] == ["EV01"]
    # 3. kits for everyone (the office key is unlocked with its passphrase)
    kits = w.show_screen("kits")
    dialogs.files.append(tmp_path / "kits")
    dialogs.on_exec["passphraseDialog"] = fill_passphrase(OFFICE_PASSPHRASE)
    kits.build_btn.click()
    made = sorted(p.name for p in (tmp_path / "kits").glob("*/*.mekit"))
    assert made == [f"kit-EV0{i}.mekit" for i in range(1, 6)]
    # … the evaluator works in the field (core calls stand in for the laptop here) …
    kit = next((tmp_path / "kits").glob("*/kit-EV01.mekit"))
    field_url = f"sqlite:///{tmp_path / 'laptop.sqlite3'}"
    import_kit(kit, field_url)
    with Store(field_url) as laptop:
        for a in laptop.people.assignments(evaluator="EV01"):
            if a.is_conflict:
                continue
            app = laptop.applications.get(a.application_id)
            rubric = laptop.programs.rubric(app.track)
            for c in rubric.criteria:
                if c.scoring == "levels":
                    laptop.scoring.save_score(app.id, "EV01", c.code, level=rubric.levels[1].key)
                else:
                    laptop.scoring.save_score(app.id, "EV01", c.code, points=c.max_points * 0.7)
            laptop.scoring.finalise(app.id, "EV01")
        package = laptop.packages.export_package(tmp_path / "EV01.mepkg", passphrase=EVALUATOR_PASSPHRASE).value
    # 4. merge by drag and drop: first refused (EV01's key is not registered yet) …
    kits.drop.filesDropped.emit([Path(package.path)])
    assert "✖" in kits.report.toPlainText()
    assert office.scoring.evaluation("2012-A-101", "EV01") is None
    # … register the key with the fingerprint EV01 reads aloud, merge again
    def register(dlg):
        assert dlg.path.text() == package.path
        dlg.evaluator.setCurrentIndex(dlg.evaluator.findData("EV01"))
        dlg.fingerprint.setText(package.signer_fingerprint)
        return True

    dialogs.on_exec["registerKeyDialog"] = register
    kits.register_btn.click()
    kits.merge([Path(package.path)])
    assert "✔" in kits.report.toPlainText()
    assert package.fingerprint in kits.report.toPlainText()
    assert office.scoring.evaluation("2012-A-101", "EV01").state == "finalised"
    kits.merge([Path(package.path)])  # the same package again changes nothing
    assert "＝" in kits.report.toPlainText()
    # a conflict: the office corrects a score from the paper sheet while the evaluator changes it too
    rubric = office.programs.rubric("activity")
    first, second = rubric.criteria[0].code, rubric.criteria[1].code
    office.scoring.reopen("2012-A-101", "EV01", "종이 평가표와 대조")
    office.scoring.save_score("2012-A-101", "EV01", first, level=rubric.levels[4].key)
    office.scoring.finalise("2012-A-101", "EV01")
    with Store(field_url) as laptop:
        laptop.scoring.reopen("2012-A-101", "EV01", "현장 재확인")
        laptop.scoring.save_score("2012-A-101", "EV01", second, level=rubric.levels[0].key)
        laptop.scoring.finalise("2012-A-101", "EV01")
        package2 = laptop.packages.export_package(tmp_path / "EV01-2.mepkg", passphrase=EVALUATOR_PASSPHRASE).value
    kits.merge([Path(package2.path)])
    assert kits.conflicts.rowCount() == 1
    conflict = kits.conflicts.record(0)
    assert conflict.application_id == "2012-A-101" and conflict.kept_from == "package"
    kits.conflict_view.selectRow(0)
    # both values in full, side by side per criterion, before choosing "use the other value"
    compare = {kits.compare.item(r, 0).text(): (kits.compare.item(r, 1).text(), kits.compare.item(r, 2).text())
               for r in range(kits.compare.rowCount())}
    name1, name2 = rubric.criteria[0].name_ko, rubric.criteria[1].name_ko
    kept1, other1 = compare["≠ " + name1]
    assert kept1.startswith(rubric.levels[1].label_ko) and other1.startswith(rubric.levels[4].label_ko)
    kept2, other2 = compare["≠ " + name2]
    assert kept2.startswith(rubric.levels[0].label_ko) and other2.startswith(rubric.levels[1].label_ko)
    unchanged = rubric.criteria[2].name_ko
    assert unchanged in compare and compare[unchanged][0] == compare[unchanged][1]  # the same on both sides
    assert kits.conflicts.data(kits.conflicts.index(0, 4)) == "나중에 바뀐 값을 유지"
    assert all(not any("a" <= ch <= "z" for ch in kits.conflicts.data(kits.conflicts.index(0, col)))
               for col in (2, 4))  # no English in the reason or record columns
    dialogs.texts.append("사무국이 종이 평가표로 확인한 값 유지")
    kits.findChild(QPushButton, "conflictOther").click()
    scores = {sc.criterion: sc.level for sc in office.scoring.evaluation("2012-A-101", "EV01").scores}
    assert scores[first] == rubric.levels[4].key
    assert kits.conflicts.rowCount() == 0
    # 5. rank, with the cut line and colours; override with a reason
    ranking = w.show_screen("ranking")
    ranking.provisional.setChecked(False)
    ranking.track.setCurrentIndex(ranking.track.findData("activity"))
    rows = ranking.model.rows
    assert rows and rows[0].rank == 1
    assert ranking.table.cut_after is not None
    assert rows[ranking.table.cut_after].decision == "selected"
    target = next(i for i, r in enumerate(rows) if r.decision != "selected" and r.eligible)
    ranking.table.selectRow(target)
    app_id = rows[target].application_id

    def override(dlg):
        dlg.decision.setCurrentIndex(dlg.decision.findData("selected"))
        assert not dlg.buttons.button(dlg.buttons.StandardButton.Ok).isEnabled()  # a reason is required
        dlg.reason.setText("위원회 현장 재확인 결과 선정")
        return True

    dialogs.on_exec["overrideDialog"] = override
    ranking.override_btn.click()
    assert any(o["application_id"] == app_id for o in office.ranking.overrides()), office.ranking.overrides()
    row = next(r for r in ranking.model.rows if r.application_id == app_id)
    assert row.decision == "selected" and row.override == "selected"
    # 6. outputs: Excel and PDF, the folder opened when done
    outs = w.show_screen("outputs")
    xlsx = tmp_path / "ranking.xlsx"
    dialogs.files.append(xlsx)
    outs.buttons["export_ranking"].click()
    wb = openpyxl.load_workbook(xlsx, read_only=True)
    assert any(app_id in str(c.value) for ws in wb.worksheets for r in ws.iter_rows() for c in r)
    wb.close()
    pdf = tmp_path / "summary.pdf"
    dialogs.files.append(pdf)
    outs.buttons["report_summary"].click()
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert app_id in text
    outs.application.setCurrentIndex(outs.application.findData("2012-A-101"))
    dossier = tmp_path / "dossier.pdf"
    dialogs.files.append(dossier)
    outs.buttons["report_dossier"].click()
    assert "2012-A-101" in "".join(p.extract_text() for p in PdfReader(dossier).pages)
    assert dialogs.opened_urls and Path(dialogs.opened_urls[-1].toLocalFile()) == tmp_path


def test_field_database_from_the_demo_in_two_clicks(demo_store, make_window, dialogs):
    w = make_window(demo_store)
    dialogs.on_exec["fieldDemoDialog"] = fill_passphrase(OFFICE_PASSPHRASE)
    from PySide6.QtGui import QAction

    w.findChild(QAction, "actionFieldDemo").trigger()  # click 1 (the dialog's OK is click 2)
    assert w.ctx.is_field and w.ctx.evaluator == "EV01"
    assert list(w.screens) == ["today", "handback"]
    assert w.screens["today"].model.rowCount() == w.store.packages.kit_info().applications.__len__()
    assert "field-EV01" in w.windowTitle()
    assert not Path(w.meta["sqlite_path"]).read_bytes().startswith(b"SQLite format 3")  # encrypted by default


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_pdfs_follow_the_chosen_language(demo_store, make_window, dialogs, tmp_path, lang):
    w = make_window(demo_store)
    outs = w.show_screen("outputs")
    outs.lang.setCurrentIndex(outs.lang.findData(lang))
    outs.track.setCurrentIndex(outs.track.findData("space"))
    pdf = tmp_path / f"blank-{lang}.pdf"
    dialogs.files.append(pdf)
    outs.buttons["report_blank_sheets"].click()
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages[:1])
    assert text
