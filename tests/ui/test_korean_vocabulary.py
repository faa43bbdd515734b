"""One Korean word per thing: a program (the call) is 공모 — as in the header, File → New program and
the core's messages — never 사업, which the app keeps for an applicant's project (사업명, 사업 기간)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from PySide6.QtWidgets import QLabel, QPushButton

from evaluator.paths import resource


def test_every_korean_text_about_the_program_says_gongmo():
    root = ET.parse(resource("translations", "evaluator_ko.ts")).getroot()
    wrong = []
    for m in root.iter("message"):
        source, translation = m.findtext("source") or "", m.findtext("translation") or ""
        if re.search(r"\bprogram('s)?\b", source) and "사업" in translation.replace("지원사업", ""):
            wrong.append(f"{source!r} → {translation!r}")
    assert wrong == []


def test_the_welcome_screen_of_an_empty_database_speaks_of_a_gongmo(make_window, tmp_path):
    from evaluator.store import Store

    with Store(f"sqlite:///{tmp_path / 'empty.sqlite3'}") as empty:
        w = make_window(empty)
        screen = w.screens["welcome"]
        texts = [x.text() for x in screen.findChildren(QLabel) + screen.findChildren(QPushButton)]
        assert any("공모" in t for t in texts)
        assert not [t for t in texts if "사업" in t]
        w.close()
