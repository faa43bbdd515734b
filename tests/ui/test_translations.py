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
