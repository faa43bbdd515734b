"""Accessibility: every interactive control on every screen (and in the dialogs) has a name a
screen reader can say — its own text, an accessible name or a label buddy —, every control is
reachable with Tab, charts carry a text alternative, and text reads at WCAG AA contrast (4.5:1)
under a light and a dark palette."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractItemView, QAbstractSlider, QAbstractSpinBox, QComboBox,
    QLineEdit, QPlainTextEdit, QTextEdit, QWidget,
)

from ui.settings import Settings

from .conftest import flush_events

INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView, QPlainTextEdit,
               QTextEdit, QAbstractSlider)


def accessible_name(w: QWidget) -> str:
    iface = QAccessible.queryAccessibleInterface(w)
    return (iface.text(QAccessible.Name) if iface is not None else "") or ""


def _path(w: QWidget) -> str:
    parts = []
    while w is not None:
        parts.append(w.objectName() or type(w).__name__)
        w = w.parentWidget()
    return "/".join(reversed(parts[:4]))


def nameless(root: QWidget) -> list[str]:
    """Visible, enabled interactive controls under ``root`` that a screen reader cannot name."""
    out = []
    for w in root.findChildren(QWidget):
        ours = type(w).__module__.startswith("ui.") and bool(w.focusPolicy() & Qt.TabFocus)  # level pickers, charts
        if not (isinstance(w, INTERACTIVE) or ours) or not w.isVisibleTo(root) or w.focusPolicy() == Qt.NoFocus:
            continue
        if isinstance(w, QLineEdit) and isinstance(w.parentWidget(), (QAbstractSpinBox, QComboBox)):
            continue  # the spin box's or combo box's own editor: the box is named
        if type(w).__name__ in ("QScrollBar",) or w.objectName().startswith("qt_"):
            continue
        if not accessible_name(w).strip():
            out.append(f"{type(w).__name__} {_path(w)}")
    return out


def untabbable(root: QWidget) -> list[str]:
    """Interactive controls that Tab never reaches."""
    return [f"{type(w).__name__} {_path(w)}" for w in root.findChildren(QWidget)
            if isinstance(w, INTERACTIVE) and w.isVisibleTo(root) and w.isEnabled()
            and w.focusPolicy() != Qt.NoFocus and not (w.focusPolicy() & Qt.TabFocus)
            and not w.objectName().startswith("qt_")]


def _in_layout(layout, w: QWidget) -> bool:
    for i in range(layout.count()):
        item = layout.itemAt(i)
        if item.widget() is w or (item.layout() is not None and _in_layout(item.layout(), w)):
            return True
    return False


def orphans(root: QWidget) -> list[str]:
    """Visible widgets left out of their parent's layout: they sit at its top left corner, over
    whatever is there (the empty white field that covered the passphrase dialogs' prompt)."""
    out = []
    for w in root.findChildren(QWidget):
        parent = w.parentWidget()
        if (not w.isVisibleTo(root) or w.isWindow() or parent is None or parent.layout() is None
                or w.objectName().startswith("qt_")):
            continue
        if not _in_layout(parent.layout(), w):
            out.append(f"{type(w).__name__} {_path(w)}")
    return out


@pytest.fixture
def office_window(demo_store, make_window):
    w = make_window(demo_store)
    w.resize(1280, 820)
    return w


def test_every_office_screen_names_every_control(office_window, qapp, tmp_path):
    w = office_window
    problems = {}
    for key in list(w.screens):
        screen = w.show_screen(key)
        flush_events(qapp)
        found = nameless(screen) + untabbable(screen)
        if found:
            problems[key] = found
    problems.update({"menus": [a.text() for a in w.menuBar().actions() if not a.text()]} if any(
        not a.text() for a in w.menuBar().actions()) else {})
    nav = accessible_name(w.nav)
    assert nav, "the screen list has no name"
    assert problems == {}


def test_every_field_screen_and_the_scoring_form_name_every_control(field_store, make_window, qapp):
    Settings().set("identity_evaluator", "EV01")
    w = make_window(field_store)
    w.resize(1280, 820)
    problems = {}
    today = w.screens["today"]
    for key in ("today", "handback"):
        screen = w.show_screen(key)
        flush_events(qapp)
        if nameless(screen) or untabbable(screen):
            problems[key] = nameless(screen) + untabbable(screen)
    w.show_screen("today")
    form = today.open_application(today.model.record(0).application_id)
    flush_events(qapp)
    if nameless(form) or untabbable(form):
        problems["scoring form"] = nameless(form) + untabbable(form)
    assert problems == {}
    # a level picker says which criterion it scores and which level is chosen
    first = form.rubric.criteria[0]
    form.user_set_value(first.code, form.rubric.levels[1].key)
    name = accessible_name(form.rows[first.code].picker)
    assert first.name_ko in name and form.rubric.levels[1].label_ko in name


def test_the_dialogs_name_every_control(office_window, dialogs, qapp):
    from ui.dialogs import NewDatabasePassphraseDialog, ServerDialog
    from ui.keys import PassphraseDialog
    from ui.screens.kits import FieldDemoDialog, KitUnlockDialog, RegisterKeyDialog
    from ui.screens.ranking import OverrideDialog
    from ui.settings_dialog import SettingsDialog
    from evaluator.workflows import KitProtection

    w = office_window
    ctx = w.ctx
    ranking = w.show_screen("ranking")
    row = ranking.model.rows[0]
    made = [
        SettingsDialog(ctx, ctx.evaluators, w), ServerDialog(w), NewDatabasePassphraseDialog(w, "x.sqlite3"),
        PassphraseDialog("t", "text", create=True, parent=w), PassphraseDialog("t", "text", create=False, parent=w),
        FieldDemoDialog(ctx, ctx.evaluators, w), RegisterKeyDialog(ctx.evaluators, None, None, w),
        KitUnlockDialog(__import__("pathlib").Path("kit.mekit"), KitProtection("passphrase", "EV01"), w),
        OverrideDialog(row, w),
    ]
    problems = {}
    for dlg in made:
        dlg.show()
        flush_events(qapp)
        found = nameless(dlg) + untabbable(dlg) + orphans(dlg)
        if found:
            problems[dlg.objectName()] = found
        dlg.close()
    assert problems == {}


def test_the_key_dialog_chooses_the_package_or_key_file(office_window, dialogs, tmp_path):
    """With no rejected package to suggest, the office picks the evaluator's package or key file
    instead of typing its path."""
    from ui.screens.kits import RegisterKeyDialog

    w = office_window
    dlg = RegisterKeyDialog(w.ctx.evaluators, None, None, w, ctx=w.ctx)
    assert dlg.path.text() == ""
    chosen = tmp_path / "EV01.pub"
    dialogs.files.append(chosen)
    dlg.choose.click()
    assert dlg.path.text() == str(chosen)
    dialogs.files.append(None)  # cancelled: the path stays
    dlg.choose.click()
    assert dlg.path.text() == str(chosen)
    dlg.close()


def test_no_stray_field_covers_a_passphrase_dialogs_prompt(office_window, qapp):
    """The hand-back and kit-building passphrase dialogs (an existing key: one field) and the field
    database dialog (the office key already unlocked: no key field at all)."""
    from ui.keys import PassphraseDialog
    from ui.screens.kits import FieldDemoDialog

    w = office_window
    unlock = PassphraseDialog("Office key", "Passphrase of the office key:", create=False, parent=w)
    unlock.show()
    flush_events(qapp)
    assert orphans(unlock) == [] and unlock.again is None
    assert [e for e in unlock.findChildren(QLineEdit) if e.isVisibleTo(unlock)] == [unlock.passphrase]
    unlock.close()
    w.ctx.key_unlocked = True
    demo = FieldDemoDialog(w.ctx, w.ctx.evaluators, w)
    demo.show()
    flush_events(qapp)
    assert orphans(demo) == [] and demo.passphrase is None and demo.again is None
    demo.close()


def test_charts_have_a_text_alternative(office_window, qapp):
    ranking = office_window.show_screen("ranking")
    flush_events(qapp)
    for chart in (ranking.histogram, ranking.leniency):
        assert chart.accessibleName()
        description = chart.accessibleDescription()
        assert description and any(ch.isdigit() for ch in description), (chart.objectName(), description)
    # the distribution in words: how many applications fall in each band, and where the cut line is
    assert "선정선" in ranking.histogram.accessibleDescription()
    assert all(e in ranking.leniency.accessibleDescription() for e in ("EV01", "EV05"))


# --- contrast: light and dark palettes ---------------------------------------------------------------
def dark_palette() -> QPalette:
    """A dark system theme, as a desktop in dark mode hands it to Qt."""
    pal = QPalette()
    colours = {
        QPalette.Window: "#2b2d30", QPalette.WindowText: "#e6e6e6", QPalette.Base: "#1e1f22",
        QPalette.AlternateBase: "#26282b", QPalette.Text: "#e6e6e6", QPalette.Button: "#3a3c40",
        QPalette.ButtonText: "#e6e6e6", QPalette.BrightText: "#ffffff", QPalette.Highlight: "#3574f0",
        QPalette.HighlightedText: "#ffffff", QPalette.ToolTipBase: "#3a3c40", QPalette.ToolTipText: "#e6e6e6",
        QPalette.PlaceholderText: "#9da0a8", QPalette.Light: "#4a4d52", QPalette.Midlight: "#3f4246",
        QPalette.Mid: "#2f3134", QPalette.Dark: "#1a1b1d", QPalette.Shadow: "#000000", QPalette.Link: "#6ea0ff",
    }
    for role, name in colours.items():
        pal.setColor(role, QColor(name))
    for role in (QPalette.WindowText, QPalette.Text, QPalette.ButtonText):
        pal.setColor(QPalette.Disabled, role, QColor("#8b8e94"))
    return pal


def _texts(root: QWidget):
    """Visible widgets that show text, with the rectangle (in ``root``'s coordinates) their text is in."""
    from PySide6.QtWidgets import QCheckBox, QGroupBox, QLabel

    for w in root.findChildren(QWidget):
        if not w.isVisibleTo(root) or w.width() < 8 or w.height() < 8:
            continue
        if isinstance(w, QLabel) and w.text().strip() and not w.pixmap().isNull() is False:
            rect = w.contentsRect()
        elif isinstance(w, QLineEdit) and w.text():
            rect = w.rect().adjusted(4, 4, -4, -4)
        elif isinstance(w, (QCheckBox,)) and w.text():
            rect = w.rect().adjusted(18, 0, 0, 0)  # the label, not the box
        elif isinstance(w, QAbstractButton) and w.text():
            rect = w.rect().adjusted(4, 4, -4, -4)
        elif isinstance(w, QGroupBox) and w.title():
            rect = w.rect()
            rect.setHeight(w.fontMetrics().height() + 2)
        else:
            continue
        top_left = w.mapTo(root, rect.topLeft())
        yield w, (top_left.x(), top_left.y(), rect.width(), rect.height())


def measured_contrast(image, box) -> float | None:
    """The text's contrast in ``box`` of ``image``: the background is the commonest colour there,
    the text colour the most different one that at least a few pixels have (a glyph's core)."""
    from collections import Counter

    from ui.style import contrast

    x0, y0, w, h = box
    x1, y1 = min(image.width(), x0 + w), min(image.height(), y0 + h)
    counts: Counter = Counter()
    for y in range(max(0, y0), y1):
        for x in range(max(0, x0), x1):
            counts[image.pixel(x, y) & 0xFFFFFF] += 1
    if len(counts) < 2:
        return None
    bg_rgb, _ = counts.most_common(1)[0]
    bg = QColor(bg_rgb)
    scored = sorted(((contrast(QColor(rgb), bg), n) for rgb, n in counts.items() if rgb != bg_rgb), reverse=True)
    seen = 0
    for ratio, n in scored:  # the strongest contrast that at least 4 pixels reach
        seen += n
        if seen >= 4:
            return ratio
    return None


def low_contrast(root: QWidget, minimum: float = 4.5) -> list[str]:
    image = root.grab().toImage()
    out = []
    for w, box in _texts(root):
        ratio = measured_contrast(image, box)
        if ratio is not None and ratio < minimum:
            text = getattr(w, "text", lambda: "")() or getattr(w, "title", lambda: "")()
            out.append(f"{type(w).__name__} {w.objectName() or ''} {text[:24]!r}: {ratio:.2f}")
    return out


@pytest.fixture
def palette(qapp):
    """Switch the application to a palette for one test (the main window restyles itself)."""
    original = QPalette(qapp.palette())

    def use(pal: QPalette) -> None:
        qapp.setPalette(pal)
        flush_events(qapp)

    yield use
    qapp.setPalette(original)
    flush_events(qapp)


def _scoring_form(field_store, make_window, qapp):
    Settings().set("identity_evaluator", "EV01")
    w = make_window(field_store)
    w.resize(1280, 820)
    today = w.screens["today"]
    form = today.open_application(today.model.record(0).application_id)
    rubric = form.rubric
    for i, c in enumerate(rubric.criteria):
        if c.scoring == "levels":
            form.user_set_value(c.code, rubric.levels[i % len(rubric.levels)].key)
        else:
            form.user_set_value(c.code, c.max_points / 2)
        form.user_set_comment(c.code, "현장에서 확인한 근거 — 주민 7명 참석")
        form.rows[c.code].show_comment("현장에서 확인한 근거 — 주민 7명 참석")
    form.visit_box.attendees.setText("대표 외 6명")
    flush_events(qapp)
    return w, form


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_scoring_form_reads_at_aa_contrast(field_store, make_window, qapp, palette, theme):
    if theme == "dark":
        palette(dark_palette())
    w, form = _scoring_form(field_store, make_window, qapp)
    assert w.styleSheet()  # built from the palette in force
    found = low_contrast(form)
    assert found == [], found


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_finalised_evaluation_reads_at_aa_contrast(field_store, make_window, qapp, palette, dialogs, theme):
    """Finalised: the form is read-only, its comments readable (they were grey on grey)."""
    if theme == "dark":
        palette(dark_palette())
    w, form = _scoring_form(field_store, make_window, qapp)
    form.ask_finalise()
    assert form.state == "finalised"
    flush_events(qapp)
    found = low_contrast(form)
    assert found == [], found


def test_the_style_follows_the_palette(palette, qapp):
    from ui.style import contrast, style_sheet, tones

    light = tones(qapp.palette())
    palette(dark_palette())
    dark = tones(qapp.palette())
    assert dark.dark and not light.dark
    for t in (light, dark):  # secondary text and "saved" green read at AA on every background they are on
        for colour in (t.muted, t.good, t.text):
            for bg in (t.window, t.base, t.panel):
                assert contrast(colour, bg) >= 4.5
        assert contrast(t.banner_text, t.banner_bg) >= 4.5
    sheet = style_sheet(qapp.palette())
    assert "#f3f5f8" not in sheet and "background: white" not in sheet


# --- the default window: nothing cramped or cut off ---------------------------------------------------
def test_tables_fit_the_default_window_without_scrolling_sideways(office_window, qapp):
    """At the default 1280×820 every visible column of the main tables is on screen."""
    w = office_window
    assert (w.width(), w.height()) == (1280, 820)
    for key, name in (("applications", "table"), ("assignments", "app_view"), ("ranking", "table"),
                      ("kits", "ev_view"), ("progress", "ev_view")):
        screen = w.show_screen(key)
        flush_events(qapp)
        view = getattr(screen, name)
        assert view.horizontalScrollBar().maximum() == 0, key
    kits = w.show_screen("kits")
    assert kits.ev_view.viewport().height() >= 5 * kits.ev_view.verticalHeader().defaultSectionSize()


def test_chart_labels_never_cover_the_bars(office_window, qapp):
    ranking = office_window.show_screen("ranking")
    flush_events(qapp)
    chart = ranking.histogram
    chart.set_data([(61.0, "selected"), (62.0, "reserve"), (60.5, "not_selected"), (90.0, "selected")], 60, 61.2)
    labels = chart.marker_labels()
    assert len(labels) == 2
    (a, *_), (b, *_) = labels
    assert not a.intersects(b)  # the minimum and the cut line are close: their labels still do not touch
    for rect, *_ in labels:
        assert rect.bottom() <= chart.plot_rect().top()
        assert not any(rect.intersects(bar) for bar, _ in chart.bar_rects())
