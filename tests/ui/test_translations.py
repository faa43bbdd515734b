"""The translation sources are complete: every string the UI shows has a finished Korean and English
translation, with the same placeholders, and the bundled font covers Hangul."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtGui import QFont, QFontMetrics

from evaluator.paths import resource

REPO = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{[a-z_]+(?::[^}]*)?\}|%n")


def lupdate() -> Path:
    import PySide6

    base = Path(PySide6.__file__).parent
    for name in ("lupdate", "lupdate.exe", "Qt/libexec/lupdate"):
        if (base / name).exists():
            return base / name
    pytest.skip("Qt's lupdate is not in this PySide6 installation")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_ui_string_is_translated(lang, tmp_path):
    ts = tmp_path / f"evaluator_{lang}.ts"
    shutil.copyfile(resource("translations", f"evaluator_{lang}.ts"), ts)
    sources = sorted(str(p) for p in (REPO / "ui").rglob("*.py"))
    r = subprocess.run([str(lupdate()), *sources, "-ts", str(ts), "-no-obsolete", "-locations", "none"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "0 new" in r.stdout, f"strings without a translation in {lang}.ts — run lupdate and translate: {r.stdout}"
    unfinished, mismatched = [], []
    for m in ET.parse(ts).iter("message"):
        src = m.findtext("source")
        t = m.find("translation")
        texts = [f.text or "" for f in t.findall("numerusform")] or [t.text or ""]
        if t.get("type") in ("unfinished", "vanished", "obsolete") or not all(texts):
            unfinished.append(src)
        for text in texts:
            if sorted(set(PLACEHOLDER.findall(src))) != sorted(set(PLACEHOLDER.findall(text))):
                mismatched.append((src, text))
    assert not unfinished
    assert not mismatched


def test_hangul_renders_with_the_bundled_font(qapp):
    from ui.i18n import FONT_FAMILY

    font = QFont(FONT_FAMILY)
    assert font.exactMatch() or QFontMetrics(font).inFont("마")
    metrics = QFontMetrics(font)
    assert all(metrics.inFontUcs4(ord(ch)) for ch in "마을공동체평가수우미양가")


def test_qts_own_dialogs_speak_korean(qapp):
    """Qt's file dialog, message box buttons and text-field menu in the Korean UI: no English left
    (qtbase_ko lacks a few of the file dialog's labels; resources/translations/qt_extra_ko.ts adds them)."""
    from PySide6.QtWidgets import QAbstractButton, QFileDialog, QLabel, QLineEdit, QMessageBox, QWidget

    dlg = QFileDialog(None, "", str(REPO), "Excel (*.xlsx)")
    dlg.setOption(QFileDialog.DontUseNativeDialog)
    texts = [w.text() for w in dlg.findChildren(QLabel)] + [b.text() for b in dlg.findChildren(QAbstractButton)]
    texts += [w.toolTip() for w in dlg.findChildren(QWidget)]
    edit = QLineEdit()
    menu = edit.createStandardContextMenu()
    texts += [a.text().split("\t")[0] for a in menu.actions()]
    box = QMessageBox()
    box.setDetailedText("x")
    box.setStandardButtons(QMessageBox.Yes | QMessageBox.No | QMessageBox.Ok | QMessageBox.Cancel)
    texts += [b.text() for b in box.findChildren(QAbstractButton)]
    english = [t for t in texts if re.search(r"[A-Za-z]{2,}", t.replace("&", ""))]
    assert english == [], english
    assert "찾는 위치(&L):" in texts and "파일 형식(&T):" in texts
    for w in (dlg, menu, edit, box):
        w.deleteLater()


def test_english_plurals_agree_with_their_number(qapp):
    """'1 photo', '2 photos': every counted English text has a singular and a plural form."""
    from ui.i18n import install_language, tr

    same_in_both = {"Assign to %n selected", "Declare conflict for %n selected", "… and %n more"}
    for m in ET.parse(resource("translations", "evaluator_en.ts")).iter("message"):
        if m.get("numerus") == "yes" and m.findtext("source") not in same_in_both:
            one, many = [f.text for f in m.find("translation").findall("numerusform")]
            assert one != many, m.findtext("source")
    install_language(qapp, "en")
    try:
        assert tr("%n photos", "", 1) == "1 photo" and tr("%n photos", "", 2) == "2 photos"
        assert tr("{done} of %n evaluations finalised.", "", 1).format(done=0) == "0 of 1 evaluation finalised."
    finally:
        install_language(qapp, "ko")


def test_the_first_language_follows_the_system_locale_korean_when_unknown(monkeypatch, tmp_path):
    """A first start speaks the system's language (ko_* Korean, en_* English; C or another
    language: Korean); a language chosen in Settings wins; ``evaluator-gui --lang`` picks this run's."""
    from PySide6.QtCore import QSettings

    from ui.app import parse_args
    from ui.settings import Settings

    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat))
    for lang_env, expected in (("en_US.UTF-8", "en"), ("ko_KR.UTF-8", "ko"), ("C.UTF-8", "ko"), ("fr_FR.UTF-8", "ko")):
        monkeypatch.setenv("LANG", lang_env)
        assert settings.language == expected, lang_env
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    settings.set("language", "ko")
    assert settings.language == "ko"
    assert parse_args(["--lang", "en"]).lang == "en" and parse_args([]).lang is None


def test_the_core_speaks_the_language_of_the_ui(qapp):
    """Switching the UI's language switches the core's messages with it: an error raised by the
    core reads in the language of the window that shows it."""
    from evaluator import errors as E
    from evaluator.messages import language, msg
    from ui.i18n import install_language

    err = E.DatabaseUnavailable(msg("cli.error", "error: {error}", error="x"))
    install_language(qapp, "en")
    try:
        assert language() == "en" and str(err) == "error: x"
    finally:
        install_language(qapp, "ko")
    assert language() == "ko" and str(err) == "오류: x"
