"""Screenshots of the main screens, taken from a real run (offscreen).

They go to a temporary folder; ``EVALUATOR_SCREENSHOTS=docs/images`` refreshes the copies in the
documentation (docs/gui.md shows them)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from .conftest import flush_events


def shoot(window, qapp, folder, name: str):
    flush_events(qapp)
    path = folder / f"gui-{name}.png"
    assert window.grab().save(str(path))
    img = QImage(str(path))
    assert img.width() >= 1000 and img.height() >= 700
    return path


def test_office_screenshots(demo_store, make_window, qapp, screenshot_dir, tmp_path, dialogs):
    w = make_window(demo_store)
    w.resize(1366, 820)
    shots = []
    apps = w.show_screen("applications")
    apps.table.selectRow(6)
    shots.append(shoot(w, qapp, screenshot_dir, "applications"))
    w.show_screen("assignments")
    shots.append(shoot(w, qapp, screenshot_dir, "assignments"))
    ranking = w.show_screen("ranking")
    ranking.table.selectRow(2)
    shots.append(shoot(w, qapp, screenshot_dir, "ranking"))
    w.show_screen("outputs")
    shots.append(shoot(w, qapp, screenshot_dir, "outputs"))
    w.show_screen("progress")
    shots.append(shoot(w, qapp, screenshot_dir, "progress"))
    w.show_screen("kits")
    shots.append(shoot(w, qapp, screenshot_dir, "kits"))
    imp = w.show_screen("import")
    from .test_office_flow import BAD, write_intake

    imp.load(write_intake(tmp_path / "접수현황.xlsx", BAD))
    shots.append(shoot(w, qapp, screenshot_dir, "import"))
    assert len({p.read_bytes() for p in shots}) == len(shots)


def test_field_screenshots(field_store, make_window, qapp, screenshot_dir):
    w = make_window(field_store)
    w.resize(1366, 820)
    today = w.screens["today"]
    shoot(w, qapp, screenshot_dir, "today")
    form = today.open_application(today.model.record(1).application_id)
    rubric = form.rubric
    for i, c in enumerate(rubric.criteria[:4]):
        if c.scoring == "levels":
            form.user_set_value(c.code, rubric.levels[i % 3].key)
    form.user_set_comment(rubric.criteria[0].code, "주민 7명이 함께 운영 계획을 설명함")
    form.rows[rubric.criteria[3].code].picker.setFocus(Qt.OtherFocusReason)
    form.scroll.ensureWidgetVisible(form.rows[rubric.criteria[3].code], 0, 200)
    form.scroll.verticalScrollBar().setValue(form.criteria_box.y() - 10)
    shoot(w, qapp, screenshot_dir, "scoring")
    form.closed.emit()
    w.show_screen("handback")
    shoot(w, qapp, screenshot_dir, "handback")
