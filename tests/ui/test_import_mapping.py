"""The import screen's column mapping: every column has its own choice among the same fields (the
combo boxes share one list), a changed choice is what "Check again" and "Import" use, and a second
preview starts from the sheet's own mapping again."""

from __future__ import annotations

from ui.screens.import_wizard import IGNORE, KEEP, field_labels

from .test_office_flow import GOOD, write_intake


def combo(screen, letter):
    row = next(r for r in range(screen.mapping.rowCount()) if screen.mapping.item(r, 0).text() == letter)
    return screen.mapping.cellWidget(row, 2)


def test_each_column_keeps_its_own_choice_and_check_again_uses_it(demo_store, make_window, tmp_path):
    w = make_window(demo_store)
    screen = w.show_screen("import")
    path = write_intake(tmp_path / "intake.xlsx", GOOD)
    screen.load(path)
    assert screen.pages.currentIndex() == 1
    mapping = screen.current_mapping()
    notes = [screen.problems.item(i).text() for i in range(screen.problems.count())]
    assert any("따로 보관" in n and "비고" in n for n in notes), notes
    assert mapping["A"] == "id" and mapping["D"] == "title" and mapping["K"] == KEEP
    labels = field_labels()
    title = combo(screen, "D")
    assert title.currentText() == labels["title"]
    assert title.count() == 2 + len(labels)  # keep aside, ignore, then every field
    assert [title.itemData(i) for i in range(2)] == [KEEP, IGNORE]
    # the extra column ("비고") is kept aside; ignoring it changes that column only
    extra = combo(screen, "K")
    extra.setCurrentIndex(extra.findData(IGNORE))
    assert screen.current_mapping() == {**mapping, "K": IGNORE}
    assert title.currentData() == "title"
    screen.recheck()
    assert screen.current_mapping() == {**mapping, "K": IGNORE}
    assert next(c.field for c in screen.preview.columns if c.letter == "K") == IGNORE
    notes = [screen.problems.item(i).text() for i in range(screen.problems.count())]
    assert not any("따로 보관" in n for n in notes), notes  # no longer "kept aside"
    # a new file starts from what the sheet says
    screen.reset()
    screen.load(path)
    assert screen.current_mapping() == mapping
    screen.import_btn.click()
    assert screen.pages.currentIndex() == 2
    assert demo_store.applications.get("2012-A-101").title == GOOD[0][3]
