"""Translations (Qt's system: ``.ts`` sources, ``.qm`` built by ``python -m ui.i18n_build``) and fonts.

Source strings are English; ``resources/translations/evaluator_ko.ts`` and ``evaluator_en.ts`` carry
the Korean and English texts, and Qt's own ``qtbase_*`` catalogue translates the standard buttons and
dialogs.  Every string in ``ui/`` goes through :func:`tr` (one catalogue context, so ``lupdate``
finds them all).  Text the core writes into PDFs and workbooks comes from the core, not from here, and so do the
core's messages (its own catalogue, :mod:`evaluator.messages`, set to the UI's language here).

The bundled Nanum Gothic (OFL) is registered at start-up so Hangul renders on a machine that has
no Korean font installed.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from evaluator.paths import resource

log = logging.getLogger(__name__)

FONT_FILES = ("NanumGothic.ttf", "NanumGothicBold.ttf")
FONT_FAMILY = "NanumGothic"
_installed: list[QTranslator] = []
_language = "ko"


def tr(text: str, disambiguation: str | None = None, n: int = -1) -> str:
    return QCoreApplication.translate("", text, disambiguation, n)


def language() -> str:
    """The language the UI currently speaks ("ko" or "en"): picks data labels (name_ko/name_en)."""
    return _language


def qm_path(lang: str):
    return resource("translations", f"evaluator_{lang}.qm")


def ensure_built() -> None:
    """Build missing or stale ``.qm`` files (``make`` does this; a checkout run without make too)."""
    try:
        from .i18n_build import build

        build()
    except Exception:  # noqa: BLE001 - the app still runs, in the source language
        log.warning("could not build translations", exc_info=True)


def install_language(app: QCoreApplication, lang: str) -> str:
    """Install the app's and Qt's translators for ``lang``; returns the language in effect."""
    global _language
    for t in _installed:
        app.removeTranslator(t)
    _installed.clear()
    lang = lang if lang in ("ko", "en") else "ko"
    from evaluator.messages import set_language

    set_language(lang)  # the core's messages (errors, problems, notes) speak the UI's language
    path = qm_path(lang)
    if not path.exists():
        ensure_built()
    ours = QTranslator(app)
    if ours.load(str(path)):
        app.installTranslator(ours)
        _installed.append(ours)
    else:
        log.warning("translation %s not found; showing the source texts", path)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    else:
        log.warning("Qt's own catalogue qtbase_%s was not found; Qt's dialogs show English", lang)
    # what qtbase_ko lacks (the file dialog's "Look in:" and "Files of type:"); searched first
    extra_path = resource("translations", f"qt_extra_{lang}.qm")
    if not extra_path.exists() and resource("translations", f"qt_extra_{lang}.ts").exists():
        ensure_built()
    extra = QTranslator(app)
    if extra_path.exists() and extra.load(str(extra_path)):
        app.installTranslator(extra)
        _installed.append(extra)
    QLocale.setDefault(QLocale(QLocale.Korean if lang == "ko" else QLocale.English,
                               QLocale.SouthKorea if lang == "ko" else QLocale.UnitedStates))
    _language = lang
    return lang


def register_fonts() -> list[str]:
    """Register the bundled fonts with Qt; returns the families that loaded."""
    families: list[str] = []
    for name in FONT_FILES:
        fid = QFontDatabase.addApplicationFont(str(resource("fonts", name)))
        if fid >= 0:
            families.extend(QFontDatabase.applicationFontFamilies(fid))
        else:
            log.warning("could not load font %s", name)
    return sorted(set(families))


def apply_font(app: QApplication, point_size: int) -> None:
    font = QFont(FONT_FAMILY)
    font.setPointSize(max(7, min(32, int(point_size))))
    app.setFont(font)


def ui_language_names() -> dict[str, str]:
    return {"ko": "한국어", "en": "English"}
