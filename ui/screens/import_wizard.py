"""Office: import the intake spreadsheet — pick the file, check the detected header and the column
mapping (editable), look at a preview and every problem with its location, then import or cancel.

Nothing is written until "Import"; the preview comes from ``store.excel.preview_applications(path, mapping)``
and the import from ``store.excel.import_applications(path, mapping=…)``, both on the worker.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QListWidget, QPlainTextEdit, QPushButton,
    QSplitter, QStackedWidget, QTableView, QTableWidget, QVBoxLayout, QWidget,
)

from evaluator.changes import Outcome
from evaluator.domain import APPLICATION_FIELDS

from .. import dialogs

from ..i18n import tr
from ..labels import category_label, track_label
from ..models import LEFT, RIGHT, Column, RecordModel, fmt_amount
from ..problems import grouped
from ..results import applications_report, assignments_report, rubrics_for, scores_report
from ..widgets import DropZone, WrappingCheckBox, plain, title_label

IGNORE = "-"
KEEP = ""
# rows (beyond those on screen) the preview looks at to size its columns
SIZE_SAMPLE_ROWS = 200


def field_labels() -> dict[str, str]:
    return {
        "id": tr("Application ID"), "track": tr("Track"), "category": tr("Category"), "title": tr("Project title"),
        "group_name": tr("Group name"), "representative": tr("Representative"), "phone": tr("Phone"),
        "email": tr("Email"), "district": tr("District"), "neighbourhood": tr("Neighbourhood"),
        "address": tr("Address"), "members": tr("Members"), "requested_amount": tr("Requested (KRW)"),
        "self_contribution": tr("Self-contribution (KRW)"), "summary": tr("Summary"),
        "submitted_on": tr("Submitted on"),
    }


class ImportScreen(QWidget):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("importScreen")
        self.ctx = ctx
        self.path: Path | None = None
        self.preview = None
        self.report = None
        self._choices: QStandardItemModel | None = None  # the mapping's field choices
        lay = QVBoxLayout(self)
        lay.addWidget(title_label(tr("Import applications"), self))
        self.steps = QLabel("", self)
        self.steps.setObjectName("muted")
        lay.addWidget(self.steps)
        self.pages = QStackedWidget(self)
        lay.addWidget(self.pages, 1)

        # step 1: the file
        p1 = QWidget(self)
        l1 = QVBoxLayout(p1)
        intro = QLabel(tr("Choose the intake spreadsheet (.xlsx). Title rows, Korean headers, merged cells, "
                          "amounts like 5,000,000원 and dates like 2012.04.12 are understood; nothing is "
                          "written until you press Import."), p1)
        intro.setWordWrap(True)
        l1.addWidget(intro)
        self.drop = DropZone(tr("Drop an .xlsx file here"), (".xlsx", ".xlsm"), p1)
        self.drop.filesDropped.connect(lambda paths: self.load(paths[0]))
        l1.addWidget(self.drop)
        row = QHBoxLayout()
        pick = QPushButton(tr("Choose file…"), p1)
        pick.setObjectName("chooseIntake")
        pick.clicked.connect(self.choose)
        row.addWidget(pick)
        row.addStretch(1)
        l1.addLayout(row)
        others = QGroupBox(tr("Other workbooks"), p1)
        ol = QGridLayout(others)
        b = QPushButton(tr("Evaluators and assignments…"), others)
        b.setObjectName("import_assignments")
        b.clicked.connect(lambda _=False: self.import_other("assignments"))
        ol.addWidget(b, 0, 0)
        h = QLabel(tr("Evaluators, assignments and conflict declarations from a workbook."), others)
        h.setObjectName("muted")
        h.setWordWrap(True)
        ol.addWidget(h, 0, 1)
        b = QPushButton(tr("Paper scores…"), others)
        b.setObjectName("import_scores")
        b.clicked.connect(lambda _=False: self.import_other("scores"))
        ol.addWidget(b, 1, 0)
        h = QLabel(tr("Scores typed into the score template (the paper fallback); finalised evaluations stay "
                      "locked."), others)
        h.setObjectName("muted")
        h.setWordWrap(True)
        ol.addWidget(h, 1, 1)
        self.finalise_scores = WrappingCheckBox(tr("Finalise the evaluations whose scores are complete (the others are "
                                            "left as they are)"), others)
        self.finalise_scores.setObjectName("importScoresFinalise")
        ol.addWidget(self.finalise_scores, 2, 1)
        ol.setColumnStretch(1, 1)
        l1.addWidget(others)
        l1.addStretch(1)
        self.pages.addWidget(p1)

        # step 2: header, mapping, preview, problems
        p2 = QWidget(self)
        l2 = QVBoxLayout(p2)
        self.detected = plain(QLabel("", p2))
        self.detected.setWordWrap(True)
        l2.addWidget(self.detected)
        split = QSplitter(Qt.Horizontal, p2)
        mapping_box = QWidget(split)
        ml = QVBoxLayout(mapping_box)
        ml.setContentsMargins(0, 0, 0, 0)
        ml.addWidget(QLabel(tr("Column mapping (change a field to correct it)"), mapping_box))
        self.mapping = QTableWidget(0, 3, mapping_box)
        self.mapping.setObjectName("importMapping")
        self.mapping.setHorizontalHeaderLabels([tr("Column"), tr("Header in the sheet"), tr("Field")])
        self.mapping.verticalHeader().setVisible(False)
        self.mapping.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.mapping.setEditTriggers(QAbstractItemView.NoEditTriggers)
        ml.addWidget(self.mapping)
        split.addWidget(mapping_box)
        right = QWidget(split)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(QLabel(tr("Preview (first rows, as they will be stored)"), right))
        self.rows_model = RecordModel([], self)
        self.rows_view = QTableView(right)
        self.rows_view.setObjectName("importPreview")
        self.rows_view.setModel(self.rows_model)
        self.rows_view.verticalHeader().setVisible(False)
        self.rows_view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        # column widths from the rows on screen plus a sample, never from all 10,000 preview rows
        self.rows_view.horizontalHeader().setResizeContentsPrecision(SIZE_SAMPLE_ROWS)
        rl.addWidget(self.rows_view, 3)
        self.problems_label = QLabel("", right)
        rl.addWidget(self.problems_label)
        self.problems = QListWidget(right)
        self.problems.setObjectName("importProblems")
        rl.addWidget(self.problems, 2)
        split.addWidget(right)
        split.setSizes([420, 800])
        l2.addWidget(split, 1)
        row2 = QHBoxLayout()
        back = QPushButton(tr("Cancel"), p2)
        back.setObjectName("importCancel")
        back.clicked.connect(self.reset)
        row2.addWidget(back)
        row2.addStretch(1)
        recheck = QPushButton(tr("Check again"), p2)
        recheck.setObjectName("importRecheck")
        recheck.clicked.connect(self.recheck)
        row2.addWidget(recheck)
        self.import_btn = QPushButton(tr("Import"), p2)
        self.import_btn.setObjectName("importCommit")
        self.import_btn.clicked.connect(self.commit)
        row2.addWidget(self.import_btn)
        l2.addLayout(row2)
        self.pages.addWidget(p2)

        # step 3: the report
        p3 = QWidget(self)
        l3 = QVBoxLayout(p3)
        self.result_title = plain(QLabel("", p3))
        self.result_title.setObjectName("summaryLine")
        self.result_title.setWordWrap(True)
        l3.addWidget(self.result_title)
        self.result_text = QPlainTextEdit(p3)
        self.result_text.setObjectName("importReport")
        self.result_text.setReadOnly(True)
        l3.addWidget(self.result_text, 1)
        again = QPushButton(tr("Import another file"), p3)
        again.clicked.connect(self.reset)
        r3 = QHBoxLayout()
        r3.addStretch(1)
        r3.addWidget(again)
        l3.addLayout(r3)
        self.pages.addWidget(p3)
        self._show_step(0)

    def refresh(self) -> None:
        return None

    def _show_step(self, i: int) -> None:
        names = [tr("1. Choose the file"), tr("2. Check mapping and preview"), tr("3. Done")]
        self.steps.setText("  →  ".join(f"<b>{n}</b>" if j == i else n for j, n in enumerate(names)))
        self.pages.setCurrentIndex(i)

    def reset(self) -> None:
        self.path, self.preview = None, None
        self._show_step(0)

    # --- step 1 → 2 -------------------------------------------------------------------------------
    def choose(self) -> None:
        path = dialogs.open_file(self.ctx, self, tr("Choose the intake spreadsheet"),
                                 tr("Excel workbooks (*.xlsx *.xlsm);;All files (*)"))
        if path is not None:
            self.load(path)

    def load(self, path: Path, mapping: dict | None = None) -> None:
        self.path = Path(path)

        def op(st, progress, cancel):
            return st.excel.preview_applications(self.path, mapping, progress=progress, cancel=cancel)

        self.ctx.job(tr("Reading {file}").format(file=self.path.name), op, self._previewed,
                     parent=self).run_in_background()

    def current_mapping(self) -> dict[str, str]:
        """{column letter: field key}, "" = keep aside, "-" = ignore (the core's mapping format)."""
        out: dict[str, str] = {}
        for r in range(self.mapping.rowCount()):
            letter = self.mapping.item(r, 0).text()
            combo: QComboBox = self.mapping.cellWidget(r, 2)
            out[letter] = combo.currentData()
        return out

    def recheck(self) -> None:
        if self.path is not None:
            self.load(self.path, self.current_mapping())

    def _previewed(self, preview) -> None:
        from PySide6.QtWidgets import QTableWidgetItem

        self.preview = preview
        self._show_step(1)
        self.detected.setText(tr("Sheet “{sheet}”: header found on row {row}; %n data rows — would add {add}, update "
                                 "{upd}, leave {same} unchanged.", "", preview.total_rows).format(
            sheet=preview.sheet, row=preview.header_row, add=preview.would_add,
            upd=preview.would_update, same=preview.would_unchanged))
        labels = field_labels()
        # one list of choices shared by every column's combo box (filling each one item by item took
        # a third of this method with a wide sheet)
        old_choices, self._choices = self._choices, QStandardItemModel(self)
        for text, key in ((tr("(keep aside)"), KEEP), (tr("(ignore)"), IGNORE),
                          *((labels.get(k, k), k) for k in ("id", *APPLICATION_FIELDS))):
            item = QStandardItem(text)
            item.setData(key, Qt.UserRole)
            self._choices.appendRow(item)
        self.mapping.setRowCount(len(preview.columns))
        previous = self.mapping
        for r, col in enumerate(preview.columns):
            self.mapping.setItem(r, 0, QTableWidgetItem(col.letter))
            self.mapping.setItem(r, 1, QTableWidgetItem(col.header))
            combo = QComboBox(self.mapping)
            combo.setModel(self._choices)
            combo.setAccessibleName(tr("Field of column {letter} ({header})").format(letter=col.letter,
                                                                                     header=col.header))
            i = combo.findData(col.field if col.field is not None else KEEP)
            combo.setCurrentIndex(max(0, i))
            self.mapping.setCellWidget(r, 2, combo)
            QWidget.setTabOrder(previous, combo)  # Tab walks the columns' choices in order, then the preview
            previous = combo
        QWidget.setTabOrder(previous, self.rows_view)
        if old_choices is not None:
            old_choices.deleteLater()
        self.mapping.resizeColumnToContents(0)
        fields = [c.field for c in preview.columns if c.field and c.field != IGNORE]
        cols = [Column("_row", tr("Row"), lambda d: d.get("_row"))]
        cols += [Column(f, labels.get(f, f), lambda d, f=f: self._show_value(f, d.get(f)),
                        RIGHT if f in ("members", "requested_amount", "self_contribution") else LEFT)
                 for f in fields]
        self.rows_model.columns = cols
        self.rows_model.set_rows(list(preview.rows))
        self.rows_view.resizeColumnsToContents()
        self.problems.clear()
        for mark, found in (("✖", preview.problems), ("⚠", preview.warnings)):
            for group in grouped(found):  # one heading per sheet row, its problems by column below it
                if group.heading:
                    self.problems.addItem(f"{mark} {group.heading}")
                    for line in group.lines:
                        self.problems.addItem(f"    {line}")
                else:
                    for line in group.lines:
                        self.problems.addItem(f"{mark} {line}")
        if preview.problems:
            self.problems_label.setText(tr("%n problems must be fixed in the sheet before importing:", "",
                                           len(preview.problems)))
        else:
            self.problems_label.setText(tr("No problems found.") + (
                " " + tr("%n warnings:", "", len(preview.warnings)) if preview.warnings else ""))
        self.import_btn.setEnabled(preview.ok)
        self.import_btn.setText(tr("Import %n applications", "", preview.total_rows))

    def _show_value(self, field: str, value):
        if value is None or value == "":
            return ""
        if field == "track":
            return track_label(self.ctx, value)
        if field == "category":
            return category_label(self.ctx, value)
        if field in ("requested_amount", "self_contribution") and isinstance(value, int):
            return fmt_amount(value)
        if hasattr(value, "isoformat"):
            return value.isoformat()
        return str(value)

    # --- step 2 → 3 -------------------------------------------------------------------------------
    def commit(self) -> None:
        if self.path is None or self.preview is None or not self.preview.ok:
            return
        path, mapping = self.path, self.current_mapping()

        def op(st, progress, cancel):
            return st.excel.import_applications(path, mapping=mapping, progress=progress, cancel=cancel)

        self.ctx.job(tr("Importing {file}").format(file=path.name), op, self._imported,
                     parent=self).run_in_background()

    def _imported(self, report) -> None:
        self.report = report
        self._show_step(2)
        title, lines = applications_report(report)
        self.result_title.setText(title)
        self.result_text.setPlainText("\n".join(lines))
        self.ctx.status_message(title)

    # --- other workbooks: dry run, confirm, import ------------------------------------------------
    def import_other(self, kind: str) -> None:
        """Evaluators and assignments (``kind`` "assignments") or paper scores ("scores"): the workbook is
        read as a dry run first; what it would change is shown, and the import runs once confirmed."""
        label = tr("Evaluators and assignments") if kind == "assignments" else tr("Paper scores")
        path = dialogs.open_file(self.ctx, self, label, tr("Excel workbooks (*.xlsx *.xlsm);;All files (*)"))
        if path is None:
            return
        finalise = kind == "scores" and self.finalise_scores.isChecked()

        def run(st, dry_run, progress, cancel):
            if kind == "assignments":
                report = st.excel.import_assignments(path, dry_run=dry_run, progress=progress, cancel=cancel)
                return report if not dry_run else report.value, None
            outcome = st.excel.import_scores(path, dry_run=dry_run, finalise=finalise, progress=progress,
                                             cancel=cancel)
            report = outcome.value
            ids = [c.application_id for c in report.saved] + [o.application_id for o in report.not_finalised]
            return (outcome if not dry_run else report), rubrics_for(st, ids)

        def describe(report, rubrics) -> tuple[str, list[str]]:
            return assignments_report(report) if kind == "assignments" else scores_report(report, rubrics)

        def confirmed(result) -> None:
            report, rubrics = result
            title, lines = describe(report, rubrics)
            if not dialogs.confirm(self, label, tr("Import this workbook?"), "\n".join([title, *lines[:40]])):
                return

            def real(st, progress, cancel):
                outcome, rubrics_now = run(st, False, progress, cancel)
                return Outcome((outcome.value, rubrics_now), outcome.changes)

            self.ctx.job(tr("Importing {file}").format(file=path.name), real,
                         lambda done: self._other_done(*describe(*done)), parent=self).run_in_background()

        self.ctx.job(tr("Reading {file}").format(file=path.name),
                     lambda st, progress, cancel: run(st, True, progress, cancel), confirmed,
                     parent=self).run_in_background()

    def _other_done(self, title: str, lines: list[str]) -> None:
        self._show_step(2)
        self.result_title.setText(title)
        self.result_text.setPlainText("\n".join(lines))
        self.ctx.status_message(title)
