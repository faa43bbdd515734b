"""Screenshots of the main screens, taken from a real run (offscreen) at the default window size
(1280×820), in the light theme and, for a few screens, a dark one.

They go to a temporary folder; ``EVALUATOR_SCREENSHOTS=docs/images`` refreshes the copies in the
documentation (docs/gui.md shows them)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from .conftest import flush_events
from .test_accessibility import dark_palette, palette  # noqa: F401 - the palette fixture

SIZE = (1280, 820)


def shoot(window, qapp, folder, name: str):
    flush_events(qapp)
    path = folder / f"gui-{name}.png"
    assert window.grab().save(str(path))
    img = QImage(str(path))
    assert (img.width(), img.height()) == SIZE
    return path


def _office(demo_store, make_window, qapp, folder, tmp_path, suffix=""):
    w = make_window(demo_store)
    w.resize(*SIZE)
    shots = []
    apps = w.show_screen("applications")
    apps.table.selectRow(6)
    shots.append(shoot(w, qapp, folder, "applications" + suffix))
    ranking = w.show_screen("ranking")
    ranking.table.selectRow(2)
    shots.append(shoot(w, qapp, folder, "ranking" + suffix))
    if suffix:
        return shots
    w.show_screen("assignments")
    shots.append(shoot(w, qapp, folder, "assignments"))
    w.show_screen("outputs")
    shots.append(shoot(w, qapp, folder, "outputs"))
    w.show_screen("progress")
    shots.append(shoot(w, qapp, folder, "progress"))
    w.show_screen("program")
    shots.append(shoot(w, qapp, folder, "program"))
    w.show_screen("kits")
    shots.append(shoot(w, qapp, folder, "kits"))
    imp = w.show_screen("import")
    from .test_office_flow import BAD, write_intake

    imp.load(write_intake(tmp_path / "접수현황.xlsx", BAD))
    shots.append(shoot(w, qapp, folder, "import"))
    return shots


def test_office_screenshots(demo_store, make_window, qapp, screenshot_dir, tmp_path, dialogs):
    shots = _office(demo_store, make_window, qapp, screenshot_dir, tmp_path)
    assert len({p.read_bytes() for p in shots}) == len(shots)


def _field(field_store, make_window, qapp, folder, suffix=""):
    w = make_window(field_store)
    w.resize(*SIZE)
    today = w.screens["today"]
    shoot(w, qapp, folder, "today" + suffix)
    form = today.open_application(today.model.record(1).application_id)
    rubric = form.rubric
    for i, c in enumerate(rubric.criteria[:4]):
        if c.scoring == "levels":
            form.user_set_value(c.code, rubric.levels[i % 3].key)
    form.user_set_comment(rubric.criteria[0].code, "주민 7명이 함께 운영 계획을 설명함")
    form.rows[rubric.criteria[0].code].show_comment("주민 7명이 함께 운영 계획을 설명함")
    form.rows[rubric.criteria[3].code].picker.setFocus(Qt.OtherFocusReason)
    form.scroll.verticalScrollBar().setValue(form.criteria_box.y() - 10)
    shoot(w, qapp, folder, "scoring" + suffix)
    form.closed.emit()
    if not suffix:
        w.show_screen("handback")
        shoot(w, qapp, folder, "handback")


def test_field_screenshots(field_store, make_window, qapp, screenshot_dir):
    _field(field_store, make_window, qapp, screenshot_dir)


def test_dark_screenshots(demo_store, field_store, make_window, qapp, screenshot_dir, tmp_path, palette, dialogs):
    palette(dark_palette())
    _office(demo_store, make_window, qapp, screenshot_dir, tmp_path, "-dark")
    _field(field_store, make_window, qapp, screenshot_dir, "-dark")
