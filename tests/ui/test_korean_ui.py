"""No English on any screen of the Korean UI: every screen of the office and the laptop, the scoring
form, and what the screens show after work is done — the intake preview's problems and warnings,
an import's report, a paper-score import, an export's status line, a merge report — read in Korean.
Names that are the same in both languages (Ctrl, Enter, USB, PDF, .xlsx …) and the applicants' own
data are allowed."""

from __future__ import annotations

import re

import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractItemView, QComboBox, QGroupBox, QLabel, QLineEdit, QListWidget, QPlainTextEdit, QWidget,
)

from evaluator.excel.columns import SCORE_TEMPLATE
from ui.settings import Settings

from .conftest import flush_events
from .test_office_flow import BAD, GOOD, write_intake

#: the score template is Korean by default: each header → its key
KEY_OF = {c.ko: c.key for c in SCORE_TEMPLATE}

WORD = re.compile(r"[A-Za-z]{3,}")
#: what reads the same in the Korean UI: keys, file kinds, the language's own name, a term kept in
#: brackets, and applicants' data planted by the tests (a formula-looking title)
ALLOWED = {"Shift", "Ctrl", "Enter", "USB", "PDF", "xlsx", "xlsm", "English", "what", "SUM", "mepkg", "mekit",
           "sqlite", "Alt", "Tab", "Delete", "KRW"}


def english(text: str) -> list[str]:
    """English words in ``text``, leaving out markup and values quoted as typed ('abc')."""
    text = re.sub(r"<[^>]+>", " ", text.replace("&", ""))
    text = re.sub(r"'[^']*'", " ", text)
    text = re.sub(r"[^\s()]+\.(xlsx|xlsm|pdf|mepkg|mekit|sqlite3)(?![A-Za-z0-9])", " ", text)  # file names
    return [w for w in WORD.findall(text) if w not in ALLOWED]


def visible_texts(root: QWidget) -> list[tuple[str, str]]:
    out = []
    for w in root.findChildren(QWidget):
        if not w.isVisibleTo(root):
            continue
        texts = [w.toolTip(), w.accessibleName(), w.accessibleDescription()]
        if isinstance(w, (QLabel, QAbstractButton)):
            texts.append(w.text())
        if isinstance(w, QGroupBox):
            texts.append(w.title())
        if isinstance(w, QLineEdit):
            texts.append(w.placeholderText())
        if isinstance(w, QPlainTextEdit):
            texts.append(w.toPlainText())
        if isinstance(w, QComboBox):
            texts += [w.itemText(i) for i in range(w.count()) if w.itemData(i) != "en"]
        if isinstance(w, QListWidget):
            texts += [w.item(i).text() for i in range(w.count())]
        if isinstance(w, QAbstractItemView) and w.model() is not None and not isinstance(w, QListWidget):
            m = w.model()
            texts += [str(m.headerData(c, Qt.Horizontal) or "") for c in range(m.columnCount())]
        out += [(f"{type(w).__name__}#{w.objectName()}", t) for t in texts if t]
    return out


def english_on(root: QWidget) -> list[str]:
    return [f"{where}: {text[:120]!r}" for where, text in visible_texts(root) if english(text)]


def test_every_office_screen_and_its_results_read_in_korean(demo_before_visits_store, make_window, qapp, tmp_path,
                                                            dialogs):
    demo_store = demo_before_visits_store
    w = make_window(demo_store)
    w.resize(1280, 820)
    found = []
    for key in list(w.screens):
        found += english_on(w.show_screen(key))
    found += [f"menu: {a.text()}" for a in w.menuBar().actions() if english(a.text())]
    # the intake preview: problems and warnings
    imp = w.show_screen("import")
    imp.load(write_intake(tmp_path / "bad.xlsx", BAD))
    flush_events(qapp)
    found += english_on(imp)
    # an import's report
    imp.load(write_intake(tmp_path / "good.xlsx", GOOD))
    imp.import_btn.click()
    found += english_on(imp)
    # a paper-score import (with finalising) and its report
    sheet = tmp_path / "scores.xlsx"
    demo_store.excel.export_template("scores", sheet, evaluator="EV01")  # (Korean: sheet 점수, Korean headers)
    wb = openpyxl.load_workbook(sheet)
    ws = wb["점수"]
    keys = [KEY_OF[c.value] for c in ws[1]]
    first = ws.cell(2, keys.index("application_id") + 1).value
    for row in ws.iter_rows(min_row=2):
        if row[keys.index("application_id")].value == first:
            if str(row[keys.index("allowed")].value).startswith("0–"):
                row[keys.index("value")].value = 10
            else:
                row[keys.index("level")].value = "우"
    ws.cell(2, keys.index("comment") + 1).value = "종이 평가표에서 옮김"
    wb.save(sheet)
    imp.reset()
    imp.finalise_scores.setChecked(True)
    dialogs.files.append(sheet)
    from PySide6.QtWidgets import QPushButton

    imp.findChild(QPushButton, "import_scores").click()
    found += [f"question: {t}" for _k, t, i in dialogs.shown[-1:] for t in (t, i) if english(t)]
    found += english_on(imp)
    # an export's status line
    outs = w.show_screen("outputs")
    dialogs.files.append(tmp_path / "progress.xlsx")
    outs.buttons["export_progress"].click()
    found += english_on(outs)
    # the workbook itself speaks Korean (the Outputs screen's language follows the interface's)
    wb = openpyxl.load_workbook(tmp_path / "progress.xlsx", read_only=True)
    assert wb.sheetnames == ["요약", "평가위원별", "신청별", "_meta"]
    assert next(wb["요약"].iter_rows(max_row=1, values_only=True))[:2] == ("사업유형 코드", "사업유형")
    wb.close()
    # a merge report (a file that is not a package: the report says why, in Korean)
    kits = w.show_screen("kits")
    junk = tmp_path / "result-EV09.mepkg"
    junk.write_bytes(b"not a package")

    def new_key(dlg):  # (a file that is no result package is refused before any passphrase is asked)
        raise AssertionError("the office key's passphrase was asked for a file that is no package")

    dialogs.on_exec["passphraseDialog"] = new_key
    kits.merge([junk])
    assert w.ctx.store.keys.identity() is None  # and no office key was made
    report = kits.report.toPlainText().splitlines()
    assert report[0].startswith("패키지 1개") and "거부됨, 바뀐 것 없음" in report[2]
    # the core's own reason is Korean too (its message catalogue follows the interface's language)
    found += [f"merge report: {line}" for line in report if english(line)]
    assert found == []


def test_every_field_screen_and_the_scoring_form_read_in_korean(field_store, make_window, qapp):
    Settings().set("identity_evaluator", "EV01")
    w = make_window(field_store)
    w.resize(1280, 820)
    found = []
    for key in ("today", "handback"):
        found += english_on(w.show_screen(key))
    w.show_screen("today")
    form = w.screens["today"].open_application(w.screens["today"].model.record(0).application_id)
    flush_events(qapp)
    found += english_on(form)
    assert found == []
