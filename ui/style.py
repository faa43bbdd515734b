"""The app's look: calm colours taken from the palette, big targets for level buttons, visible
keyboard focus.

Colours are worked out from the application's palette (light, dark or a high-contrast theme), never
hard-coded white or grey: :func:`tones` gives the few the screens need, each checked to read at
WCAG AA (4.5:1) on the background it is drawn on, and :func:`style_sheet` builds the style sheet from
them.  The main window applies it again when the palette changes (the system switched to dark mode).
A few colours are fixed pairs (the header bar, the mode badge, the chosen level): background and
text are set together, so they read the same in every theme.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

#: the contrast every text must reach on its background (WCAG 2.1 AA, normal text)
AA = 4.5


def luminance(c: QColor) -> float:
    """Relative luminance (WCAG 2.1)."""
    def channel(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue())


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two colours (1 … 21)."""
    la, lb = luminance(a), luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def blend(a: QColor, b: QColor, t: float) -> QColor:
    """``a`` moved ``t`` (0 … 1) of the way towards ``b``."""
    return QColor(round(a.red() + (b.red() - a.red()) * t), round(a.green() + (b.green() - a.green()) * t),
                  round(a.blue() + (b.blue() - a.blue()) * t))


def is_dark(palette: QPalette) -> bool:
    return luminance(palette.color(QPalette.Window)) < luminance(palette.color(QPalette.WindowText))


def readable_on(bg: QColor) -> QColor:
    """Near-black or white, whichever reads better on ``bg``."""
    dark, light = QColor("#1d1d1d"), QColor("#ffffff")
    return dark if contrast(dark, bg) >= contrast(light, bg) else light


#: the margin kept above AA, for the shades a style paints behind text (a group box's frame, a tint)
MARGIN = 0.6


def _softest(text: QColor, backgrounds: list[QColor], steps=(0.45, 0.4, 0.35, 0.3, 0.25, 0.2, 0.15, 0.1, 0.0)) -> QColor:
    """``text`` blended as far towards the first background as still reads at AA on all of them."""
    for t in steps:
        c = blend(text, backgrounds[0], t)
        if all(contrast(c, bg) >= AA + MARGIN for bg in backgrounds):
            return c
    return QColor(text)


def _first_readable(candidates: list[str], backgrounds: list[QColor], fallback: QColor) -> QColor:
    for name in candidates:
        c = QColor(name)
        if all(contrast(c, bg) >= AA + MARGIN for bg in backgrounds):
            return c
    return fallback


@dataclass(frozen=True)
class Tones:
    """The colours the screens use, for one palette."""

    dark: bool
    text: QColor  # text on window and base
    window: QColor
    base: QColor
    muted: QColor  # secondary text (hints, labels of facts), still AA on window and base
    panel: QColor  # the navigation and the form header
    line: QColor  # frames of criterion blocks, the drop zone
    accent: QColor  # focus, the navigation's selection mark
    selection: QColor  # the navigation's selected item
    good: QColor  # "saved", "fully evaluated": green text, AA on window and base
    bad: QColor  # the cut line, missing criteria
    missing_bg: QColor
    focus_bg: QColor
    banner_bg: QColor
    banner_text: QColor
    badge_bg: QColor
    chosen: QColor  # the chosen level button (with white text)
    button: QColor
    button_text: QColor
    # row colours of tables (each with readable_on() text): selected / reserve / ineligible / draft / done
    row_selected: QColor
    row_reserve: QColor
    row_ineligible: QColor
    row_draft: QColor
    row_done: QColor


_cache: dict[int, Tones] = {}


def tones(palette: QPalette | None = None) -> Tones:
    """The colours for ``palette`` (the application's when None), worked out once per palette."""
    palette = palette if palette is not None else QApplication.palette()
    key = palette.cacheKey()
    found = _cache.get(key)
    if found is None:
        if len(_cache) > 16:
            _cache.clear()
        found = _cache[key] = _tones(palette)
    return found


def _tones(palette: QPalette) -> Tones:
    window, base = palette.color(QPalette.Window), palette.color(QPalette.Base)
    text = palette.color(QPalette.WindowText)
    dark = is_dark(palette)
    accent = palette.color(QPalette.Highlight)
    panel = blend(window, text, 0.05)
    # where secondary text sits: the window, a text field, the side panels, a group box's frame
    bgs = [window, base, panel, blend(window, text, 0.08)]
    if dark:
        rows = ("#27543a", "#5c4a12", "#3a3d42", "#54461c", "#25462f")
        banner_bg, missing_bg = QColor("#4a3b12"), QColor("#4a2323")
    else:
        rows = ("#dff3e4", "#fff1cc", "#eceef1", "#fff4d6", "#e3f4e6")
        banner_bg, missing_bg = QColor("#fff4d6"), QColor("#fff5f5")
    return Tones(
        dark=dark, text=text, window=window, base=base,
        muted=_softest(text, bgs),
        panel=panel,
        line=blend(base, text, 0.28),
        accent=accent,
        selection=blend(base, accent, 0.3),
        good=_first_readable(["#1b6e37", "#7fd89a", "#a6e7b9"] if not dark else ["#7fd89a", "#a6e7b9"], bgs,
                             QColor(text)),
        bad=_first_readable(["#b3261e", "#ff8a80", "#ffb4ab"] if not dark else ["#ff8a80", "#ffb4ab"], bgs,
                            QColor(text)),
        missing_bg=missing_bg,
        focus_bg=blend(base, accent, 0.1),
        banner_bg=banner_bg,
        banner_text=readable_on(banner_bg),
        badge_bg=blend(window, text, 0.12),
        chosen=QColor("#2459a8"),
        button=palette.color(QPalette.Button),
        button_text=palette.color(QPalette.ButtonText),
        row_selected=QColor(rows[0]), row_reserve=QColor(rows[1]), row_ineligible=QColor(rows[2]),
        row_draft=QColor(rows[3]), row_done=QColor(rows[4]),
    )


def style_sheet(palette: QPalette | None = None, font_pt: float | None = None) -> str:
    """The app's style sheet for ``palette`` (the application's when None).  Its text sizes are those
    of the default 10 pt font, grown or shrunk with ``font_pt`` (the application's font when None: the
    font size chosen in Settings), so a larger font enlarges the level buttons, their descriptions,
    the titles and the navigation too."""
    t = tones(palette)
    if font_pt is None:
        app = QApplication.instance()
        font_pt = app.font().pointSizeF() if app is not None else 10.0
    scale = font_pt / 10.0 if font_pt and font_pt > 0 else 1.0

    def c(colour: QColor) -> str:
        return colour.name()

    def pt(size: float) -> str:
        return f"{size * scale:g}pt"

    readable_banner = c(t.banner_text)
    return f"""
QLabel#screenTitle {{ font-size: {pt(15)}; font-weight: bold; padding: 4px 0 6px 0; }}
QLabel#muted {{ color: {c(t.muted)}; }}
QLabel#summaryLine {{ font-size: {pt(11)}; padding: 2px 0 8px 0; }}
QFrame#headerBar {{ background: #23395d; }}
QFrame#headerBar QLabel {{ color: white; }}
QLabel#modeBadge {{ background: #f0b429; color: #1d1d1d; border-radius: 8px; padding: 2px 10px; font-weight: bold; }}
QListWidget#navigation {{ background: {c(t.panel)}; color: {c(t.text)}; border: none;
    border-right: 1px solid {c(t.line)}; font-size: {pt(11)}; outline: 0; }}
QListWidget#navigation::item {{ padding: 9px 14px; }}
QListWidget#navigation::item:selected {{ background: {c(t.selection)}; color: {c(t.text)};
    border-left: 4px solid {c(t.accent)}; }}
QFrame#formHeader {{ background: {c(t.panel)}; border-bottom: 1px solid {c(t.line)}; }}
QFrame#formHeader QLabel {{ color: {c(t.text)}; }}
QLabel#formTitle {{ font-size: {pt(12)}; }}
QLabel#totalLabel {{ font-size: {pt(13)}; font-weight: bold; padding: 0 12px; }}
QFrame#formHeader QLabel#savedLabel, QLabel#savedLabel {{ color: {c(t.good)}; }}
QLabel#stateBadge {{ border-radius: 8px; padding: 2px 10px; background: {c(t.badge_bg)}; color: {c(t.text)}; }}
QFrame#formHeader QLabel#stateBadge[state="finalised"], QLabel#stateBadge[state="finalised"] {{
    background: #d7f0dd; color: #1b5e31; font-weight: bold; }}
QLabel#banner, QLabel#whatIfBanner {{ background: {c(t.banner_bg)}; color: {readable_banner};
    border: 1px solid #f0b429; border-radius: 4px; padding: 8px; }}
QLabel#whatIfBanner {{ padding: 6px; }}
QLabel#inlineError {{ color: {c(t.bad)}; }}
QFrame[criterionRow="true"] {{ border: 1px solid {c(t.line)}; border-radius: 6px; background: {c(t.base)}; }}
QFrame[criterionRow="true"] QLabel {{ color: {c(t.text)}; }}
QFrame[criterionRow="true"] QLabel#muted {{ color: {c(t.muted)}; }}
QFrame[criterionRow="true"][missing="true"] {{ border: 2px solid {c(t.bad)}; background: {c(t.missing_bg)}; }}
QFrame#levelPicker {{ border: 2px solid transparent; border-radius: 6px; }}
QFrame#levelPicker:focus {{ border: 2px solid {c(t.accent)}; background: {c(t.focus_bg)}; }}
QFrame#levelPicker QToolButton {{ font-size: {pt(11)}; border: 1px solid {c(t.line)}; border-radius: 5px;
    background: {c(t.button)}; color: {c(t.button_text)}; }}
QFrame#levelPicker QToolButton:checked {{ background: {c(t.chosen)}; color: white; border-color: #163a70;
    font-weight: bold; }}
QFrame#levelPicker QToolButton:disabled {{ color: {c(t.button_text)}; }}
QFrame#levelPicker QToolButton:checked:disabled {{ background: {c(t.chosen)}; color: white; }}
QFrame[criterionRow="true"] QLabel#levelDescription {{ color: {c(t.muted)}; font-size: {pt(8.5)}; }}
QFrame[criterionRow="true"] QLabel#levelDescription[selected="true"] {{ color: {c(t.text)}; font-weight: bold; }}
QLineEdit[readOnly="true"], QPlainTextEdit[readOnly="true"] {{ color: {c(t.text)}; }}
QGroupBox#visitBox QCheckBox:disabled {{ color: {c(t.text)}; }}
QGroupBox#visitBox QWidget[missing="true"] {{ border: 2px solid {c(t.bad)}; }}
QLabel#dropZone {{ border: 2px dashed {c(t.line)}; border-radius: 8px; padding: 18px; color: {c(t.text)};
    background: {c(t.panel)}; }}
QLabel#dropZone[hover="true"] {{ border-color: {c(t.accent)}; background: {c(t.focus_bg)}; }}
"""

