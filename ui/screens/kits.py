"""Office: field kits for every evaluator at once, and merging the result packages that come back
(drag and drop or file picker) with the merge report shown and conflicts resolvable.  Also the
office key, evaluators' keys, the "field database from the demo" shortcut and importing a kit into
a new field database."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView,
    QLabel, QLineEdit, QPlainTextEdit, QPushButton, QSplitter, QTableView, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)
from PySide6.QtCore import Qt

from .. import dialogs
from ..context import CONFLICTS, EVALUATIONS, EVALUATORS
from ..i18n import tr
from ..keys import MIN_PASSPHRASE, key_passphrase
from ..labels import evaluation_state_label
from ..models import RIGHT, Column, RecordModel
from ..widgets import DropZone, plain, title_label
from evaluator.changes import NOTHING, Outcome
from evaluator.workflows import KIT_SUFFIX, PACKAGE_SUFFIX, sqlite_url


def _with_key(st, passphrase):
    """Unlock (or create) the office key when a passphrase was just asked for; what that changed."""
    return st.keys.ensure(passphrase).changes if passphrase is not None else NOTHING


def export_kits(st, evaluators: list[str], folder: Path, passphrase, progress, cancel) -> Outcome:
    """Runs on the worker: unlock (or create) the office key, then one kit per evaluator."""
    changes = _with_key(st, passphrase)
    out = []
    folder.mkdir(parents=True, exist_ok=True)
    for i, code in enumerate(evaluators):
        cancel.raise_if_cancelled()
        progress(i / max(1, len(evaluators)), code)
        done = st.packages.export_kit(code, folder / f"kit-{code}{KIT_SUFFIX}", cancel=cancel)
        out.append(done.value)
        changes |= done.changes
    progress(1.0, "")
    return Outcome(out, changes)


def merge(st, paths: list[Path], passphrase, progress, cancel) -> Outcome:
    changes = _with_key(st, passphrase)
    merged = st.packages.merge(paths, progress=progress, cancel=cancel)
    return Outcome(merged.value, changes | merged.changes)


def report_text(reports) -> str:
    lines = []
    for r in reports:
        name = Path(r.path).name
        who = f"{r.evaluator} #{r.sequence}" if r.evaluator else ""
        if r.status == "rejected":
            lines.append("✖ " + tr("{file}: rejected, nothing changed — {reason}").format(file=name, reason=r.reason))
        elif r.status == "unchanged":
            lines.append("＝ " + tr("{file} ({who}): already merged, nothing changed").format(file=name, who=who))
        else:
            lines.append("✔ " + tr("{file} ({who}): merged — {added} added, {updated} updated, {unchanged} unchanged, "
                                   "{conflicts} conflicts").format(file=name, who=who, added=r.added,
                                                                   updated=r.updated, unchanged=r.unchanged,
                                                                   conflicts=len(r.conflicts)))
            for what, counts in sorted((r.counts or {}).items()):
                lines.append("    " + f"{_record_kind(what)}: " + ", ".join(
                    f"{_change_kind(k)} {v}" for k, v in counts.items()))
        if r.fingerprint:
            lines.append("    " + tr("package fingerprint {fp}").format(fp=r.fingerprint))
        for s in r.skipped:
            lines.append("    ⚠ " + s)
    return "\n".join(lines)


def _record_kind(what: str) -> str:
    return {"evaluations": tr("evaluations"), "scores": tr("scores"), "site_visits": tr("visit logs"),
            "attachments": tr("photos and files"), "audit": tr("audit entries"),
            "audit_entries": tr("audit entries")}.get(what, what)


def _change_kind(kind: str) -> str:
    return {"added": tr("added"), "updated": tr("updated"), "unchanged": tr("unchanged"),
            "removed": tr("removed"), "conflicts": tr("conflicts"), "skipped": tr("skipped")}.get(kind, kind)


class RegisterKeyDialog(QDialog):
    """Pin an evaluator's key from their first package, after they read its fingerprint aloud."""

    def __init__(self, evaluators, path: Path | None, evaluator: str | None, parent=None, ctx=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("registerKeyDialog")
        self.setWindowTitle(tr("Register an evaluator's key"))
        lay = QVBoxLayout(self)
        text = QLabel(tr("The first package of an evaluator carries their new key. Phone the evaluator and ask them "
                         "to read the key fingerprint shown on their Hand back screen; type it here."), self)
        text.setWordWrap(True)
        lay.addWidget(text)
        form = QFormLayout()
        self.evaluator = QComboBox(self)
        self.evaluator.setObjectName("registerEvaluator")
        for e in evaluators:
            self.evaluator.addItem(f"{e.code} {e.name}", e.code)
        if evaluator:
            self.evaluator.setCurrentIndex(max(0, self.evaluator.findData(evaluator)))
        form.addRow(tr("Evaluator"), self.evaluator)
        path_row = QWidget(self)
        pl = QHBoxLayout(path_row)
        pl.setContentsMargins(0, 0, 0, 0)
        self.path = QLineEdit(str(path or ""), path_row)
        self.path.setObjectName("registerPath")
        self.path.setAccessibleName(tr("Package or key file"))
        pl.addWidget(self.path, 1)
        self.choose = QPushButton(tr("Choose…"), path_row)
        self.choose.setObjectName("registerChoose")
        self.choose.setAccessibleName(tr("Choose the package or key file"))
        self.choose.clicked.connect(self.choose_file)
        pl.addWidget(self.choose)
        form.addRow(tr("Package or key file"), path_row)
        self.fingerprint = QLineEdit(self)
        self.fingerprint.setObjectName("registerFingerprint")
        form.addRow(tr("Fingerprint read by the evaluator"), self.fingerprint)
        lay.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def choose_file(self) -> None:
        """The evaluator's first result package, or the public key file they sent."""
        got = dialogs.open_file(self.ctx, self, tr("Package or key file"),
                                tr("Result packages and key files (*{package} *.pub);;All files (*)").format(
                                    package=PACKAGE_SUFFIX))
        if got is not None:
            self.path.setText(str(got))


class KitsScreen(QWidget):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("kitsScreen")
        self.ctx = ctx
        self.last_reports: list = []
        lay = QVBoxLayout(self)
        lay.addWidget(title_label(tr("Kits and packages"), self))
        self.key_label = QLabel("", self)
        self.key_label.setObjectName("officeKey")
        self.key_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        lay.addWidget(self.key_label)
        split = QSplitter(Qt.Vertical, self)
        split.setObjectName("kitsSplit")

        kits = QGroupBox(tr("1. Field kits — one file per evaluator"), split)
        kl = QVBoxLayout(kits)
        intro = QLabel(tr("A kit holds the program, the rubric and the evaluator's assigned applications with "
                          "only what the visit needs. Give each evaluator their file (USB stick or e-mail)."), kits)
        intro.setWordWrap(True)
        kl.addWidget(intro)
        self.evaluators = RecordModel([
            Column("code", tr("Evaluator"), lambda e: e.code),
            Column("name", tr("Name"), lambda e: e.name),
            Column("assigned", tr("Assigned"), lambda e: e.assigned, RIGHT),
            Column("finalised", tr("Finalised"), lambda e: e.finalised, RIGHT),
            Column("key", tr("Key fingerprint"), lambda e: e.key_fingerprint or tr("not registered")),
        ], self)
        self.ev_view = QTableView(kits)
        self.ev_view.setObjectName("kitEvaluators")
        self.ev_view.setModel(self.evaluators)
        self.ev_view.verticalHeader().setVisible(False)
        self.ev_view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.ev_view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.ev_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        # columns fit the rows on screen: measuring all of a round's evaluators (50 in the benchmark)
        # asked Python for every cell on each refresh, while a merge starts or ends on the worker
        self.ev_view.horizontalHeader().setResizeContentsPrecision(0)
        self.ev_view.horizontalHeader().setStretchLastSection(True)
        self.ev_view.setAccessibleName(tr("Evaluators and their kits"))
        # five evaluators at a glance (the demo's, and a typical round's) without scrolling
        rows = self.ev_view.fontMetrics().height() + 8
        self.ev_view.setMinimumHeight(rows * 6 + 6)
        kl.addWidget(self.ev_view, 1)
        row = QHBoxLayout()
        self.build_btn = QPushButton(tr("Build kits for all evaluators…"), kits)
        self.build_btn.setObjectName("buildKits")
        self.build_btn.clicked.connect(self.build_all)
        row.addWidget(self.build_btn)
        self.register_btn = QPushButton(tr("Register an evaluator's key…"), kits)
        self.register_btn.setObjectName("registerKey")
        self.register_btn.clicked.connect(self.register_key)
        row.addWidget(self.register_btn)
        row.addStretch(1)
        kl.addLayout(row)
        self.kits_result = plain(QLabel("", kits))
        self.kits_result.setObjectName("kitsResult")
        self.kits_result.setWordWrap(True)
        self.kits_result.setTextInteractionFlags(Qt.TextSelectableByMouse)
        kl.addWidget(self.kits_result)
        split.addWidget(kits)

        merge_box = QGroupBox(tr("2. Result packages — merge what comes back"), split)
        ml = QVBoxLayout(merge_box)
        self.drop = DropZone(tr("Drop result packages here, or choose them with the button. Merging the same "
                                "package twice changes nothing; a package that fails verification changes nothing "
                                "and says why."), (), merge_box)
        self.drop.filesDropped.connect(self.merge)
        ml.addWidget(self.drop)
        row2 = QHBoxLayout()
        pick = QPushButton(tr("Choose packages…"), merge_box)
        pick.setObjectName("choosePackages")
        pick.clicked.connect(self.choose_packages)
        row2.addWidget(pick)
        row2.addStretch(1)
        ml.addLayout(row2)
        self.report = QPlainTextEdit(merge_box)
        self.report.setObjectName("mergeReport")
        self.report.setReadOnly(True)
        self.report.setPlaceholderText(tr("The merge report appears here."))
        ml.addWidget(self.report, 1)
        split.addWidget(merge_box)

        conflicts = QGroupBox(tr("3. Conflicts to decide"), split)
        cl = QVBoxLayout(conflicts)
        self.conflicts = RecordModel([
            Column("app", tr("Application ID"), lambda c: c.application_id),
            Column("ev", tr("Evaluator"), lambda c: c.evaluator),
            Column("record", tr("Record"), lambda c: tr("Evaluation") if c.record == "evaluation" else tr("Visit log")),
            Column("kept", tr("Kept"), _kept_text),
            Column("rule", tr("Why"), conflict_reason),
        ], self)
        row_split = QSplitter(Qt.Horizontal, conflicts)
        row_split.setObjectName("conflictSplit")
        self.conflict_view = QTableView(row_split)
        self.conflict_view.setObjectName("mergeConflicts")
        self.conflict_view.setAccessibleName(tr("Conflicts to decide"))
        self.conflict_view.setModel(self.conflicts)
        self.conflict_view.verticalHeader().setVisible(False)
        self.conflict_view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.conflict_view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.conflict_view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.conflict_view.horizontalHeader().setStretchLastSection(True)
        self.conflict_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.conflict_view.selectionModel().currentRowChanged.connect(lambda cur, _p: self._show_conflict(cur.row()))
        self.compare = QTableWidget(0, 3, row_split)
        self.compare.setObjectName("conflictCompare")
        self.compare.setAccessibleName(tr("Both values of the selected conflict"))
        self.compare.setHorizontalHeaderLabels([tr("What"), tr("Kept value"), tr("Other value")])
        self.compare.verticalHeader().setVisible(False)
        self.compare.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.compare.setWordWrap(True)
        self.compare.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeToContents)
        self.compare.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.compare.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
        row_split.addWidget(self.conflict_view)
        row_split.addWidget(self.compare)
        row_split.setSizes([420, 620])
        cl.addWidget(row_split, 1)
        row3 = QHBoxLayout()
        self.compare_hint = QLabel(tr("Select a conflict to see both values side by side; rows that differ are "
                                      "marked ≠."), conflicts)
        self.compare_hint.setObjectName("muted")
        self.compare_hint.setWordWrap(True)
        row3.addWidget(self.compare_hint, 1)
        self.keep_btn = QPushButton(tr("Keep this value"), conflicts)
        self.keep_btn.setObjectName("conflictKeep")
        self.keep_btn.clicked.connect(lambda: self.resolve("kept"))
        self.other_btn = QPushButton(tr("Use the other value…"), conflicts)
        self.other_btn.setObjectName("conflictOther")
        self.other_btn.clicked.connect(lambda: self.resolve("other"))
        row3.addWidget(self.keep_btn)
        row3.addWidget(self.other_btn)
        cl.addLayout(row3)
        split.addWidget(conflicts)
        self._rubrics: dict = {}
        self._show_conflict(-1)
        split.setSizes([300, 190, 270])
        lay.addWidget(split, 1)
        ctx.changed.connect(lambda changes, _i: self.refresh()
                            if changes & {EVALUATORS, EVALUATIONS, CONFLICTS} and self.isVisible() else None)

    def refresh(self) -> None:
        def load(st):
            from ..results import rubrics_for

            conflicts = st.packages.conflicts()
            return st.people.evaluators(), conflicts, rubrics_for(st, [c.application_id for c in conflicts])

        self.ctx.query(load, self._fill, parent=self).run_in_background()
        self._show_key()

    def _fill(self, data) -> None:
        evaluators, conflicts, rubrics = data
        self._rubrics = rubrics
        self.evaluators.set_rows(evaluators)
        self.conflicts.set_rows(conflicts)
        if conflicts:
            self.conflict_view.selectRow(0)
        self._show_conflict(self.conflict_view.currentIndex().row() if conflicts else -1)

    def _show_conflict(self, row: int) -> None:
        """Both values of the selected conflict in full, side by side, one row per field."""
        has = 0 <= row < len(self.conflicts.rows)
        self.keep_btn.setEnabled(has)
        self.other_btn.setEnabled(has)
        self.compare.setRowCount(0)
        if not has:
            return
        c = self.conflicts.record(row)
        rows = compare_rows(c, self._rubrics.get(c.application_id))
        self.compare.setRowCount(len(rows))
        bold = self.compare.font()
        bold.setBold(True)
        for i, (what, kept, other) in enumerate(rows):
            differs = kept != other
            for j, text in enumerate((("≠ " if differs else "") + what, kept, other)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if differs:
                    item.setFont(bold)
                self.compare.setItem(i, j, item)
        self.compare.resizeRowsToContents()

    def _show_key(self) -> None:
        info = self.ctx.key_info
        if info is None:
            self.key_label.setText(tr("Office key: none yet — it is made (with a passphrase) when you build the "
                                      "first kits."))
        else:
            self.key_label.setText(tr("Office key fingerprint: {fp}").format(fp=info.fingerprint))

    def _unlock(self) -> tuple[bool, str | None]:
        return key_passphrase(self.ctx, self, has_key=self.ctx.key_info is not None, office=True)

    def _unlocked(self, passphrase) -> None:
        if passphrase is not None:
            self.ctx.key_unlocked = True
            self.ctx.query(lambda st: st.keys.identity(), self._key_known, parent=self).run_in_background()

    def _key_known(self, info) -> None:
        self.ctx.key_info = info
        self._show_key()

    # --- kits -------------------------------------------------------------------------------------
    def build_all(self) -> None:
        codes = [e.code for e in self.evaluators.rows if e.assigned]
        if not codes:
            dialogs.inform(self, tr("Kits"), tr("No evaluator has assignments yet; assign evaluators first."))
            return
        folder = dialogs.folder(self.ctx, self, tr("Folder for the kits"), self.ctx.settings.data_folder())
        if folder is None:
            return
        folder = folder / f"kits-{datetime.now():%Y%m%d-%H%M}"
        go, passphrase = self._unlock()
        if not go:
            return
        self.ctx.job(tr("Building kits"),
                     lambda st, progress, cancel: export_kits(st, codes, folder, passphrase, progress, cancel),
                     lambda kits: self._built(folder, kits, passphrase), parent=self).run_in_background()

    def _built(self, folder: Path, kits, passphrase) -> None:
        self._unlocked(passphrase)
        lines = [tr("%n kits written to {folder}", "", len(kits)).format(folder=folder)]
        for k in kits:
            lines.append(f"• {k.evaluator}: {Path(k.path).name} — " + tr("%n applications", "", len(k.applications)))
        self.kits_result.setText("\n".join(lines))
        self.ctx.status_message(lines[0])

    # --- packages ---------------------------------------------------------------------------------
    def choose_packages(self) -> None:
        paths = dialogs.open_files(self.ctx, self, tr("Choose result packages"),
                                   tr("Result packages (*{suffix});;All files (*)").format(suffix=PACKAGE_SUFFIX))
        if paths:
            self.merge(paths)

    def merge(self, paths: list[Path]) -> None:
        paths = [Path(p) for p in paths]
        # what needs no key first (a missing file, one too big, one that is no result package): a
        # choice of nothing but such files is reported without asking for the office key's
        # passphrase, or making a key
        self.ctx.query(lambda st: st.packages.precheck(paths), lambda pre: self._prechecked(paths, pre),
                       parent=self).run_in_background()

    def _prechecked(self, paths: list[Path], pre) -> None:
        if all(r is not None for r in pre):
            self._merged(pre, None)
            return
        go, passphrase = self._unlock()
        if not go:
            return
        self.ctx.job(tr("Merging %n packages", "", len(paths)),
                     lambda st, progress, cancel: merge(st, paths, passphrase, progress, cancel),
                     lambda reports: self._merged(reports, passphrase), parent=self).run_in_background()

    def _merged(self, reports, passphrase) -> None:
        self._unlocked(passphrase)
        self.last_reports = list(reports)
        merged = sum(1 for r in reports if r.status == "merged")
        rejected = sum(1 for r in reports if r.status == "rejected")
        head = tr("%n packages: {merged} merged, {rejected} rejected.", "", len(reports)).format(merged=merged,
                                                                                              rejected=rejected)
        self.report.setPlainText(head + "\n\n" + report_text(reports))
        self.ctx.status_message(head)

    def register_key(self) -> None:
        rejected = [r for r in self.last_reports if r.status == "rejected" and r.evaluator is None]
        path = Path(rejected[-1].path) if rejected else None
        idx = self.ev_view.currentIndex()
        current = self.evaluators.record(idx.row()).code if idx.isValid() else None
        dlg = RegisterKeyDialog(self.evaluators.rows, path, current, self, ctx=self.ctx)
        if dlg.exec() != QDialog.Accepted:
            return
        code, source, fp = dlg.evaluator.currentData(), Path(dlg.path.text().strip()), dlg.fingerprint.text().strip()
        go, passphrase = self._unlock()
        if not go:
            return

        def op(st):
            changes = _with_key(st, passphrase)
            registered = st.keys.register_evaluator(code, source, fp or None)
            return Outcome(registered.value, changes | registered.changes)

        def done(info) -> None:
            self._unlocked(passphrase)
            self.ctx.status_message(tr("Registered key {fp} for {evaluator}.").format(fp=info.fingerprint,
                                                                                      evaluator=code))

        self.ctx.write(op, done, parent=self).run_in_background()

    # --- conflicts --------------------------------------------------------------------------------
    def resolve(self, take: str) -> None:
        idx = self.conflict_view.currentIndex()
        if not idx.isValid():
            return
        c = self.conflicts.record(idx.row())
        reason = dialogs.text(self, tr("Decide a conflict"), tr("Why? (goes in the audit trail)"), required=take == "other")
        if reason is None:
            return
        self.ctx.write(lambda st: st.packages.resolve_conflict(c.id, take, reason), parent=self).run_in_background()


def _kept_text(c) -> str:
    where = tr("the office's value") if c.kept_from == "office" else tr("the package's value")
    return f"{where} ({c.kept.device or '?'})"


def conflict_reason(c) -> str:
    """Why the rule kept this side, worked out from both sides' values (never read back from the
    rule's English text)."""
    kept, other = c.kept, c.other
    if c.record == "evaluation":
        k_final = (kept.values or {}).get("state") == "finalised"
        o_final = (other.values or {}).get("state") == "finalised"
        if k_final and not o_final:
            return tr("a finalised evaluation beats a draft")
    if (kept.updated_at or "") != (other.updated_at or ""):
        return tr("the later change wins")
    return tr("changed at the same time: the larger device ID wins")


def _when(text) -> str:
    if not text:
        return "—"
    return str(text).replace("T", " ")[:16]


def compare_rows(c, rubric) -> list[tuple[str, str, str]]:
    """(what, kept value, other value) for every field of a conflicting record, in full."""
    from ..i18n import language

    lang = language()
    k, o = c.kept.values or {}, c.other.values or {}
    rows: list[tuple[str, str, str]] = []

    def add(what: str, a, b) -> None:
        rows.append((what, a if a not in (None, "") else "—", b if b not in (None, "") else "—"))

    if c.record == "evaluation":
        def state(v: dict) -> str:
            text = evaluation_state_label(v.get("state", ""))
            return text + (" · " + tr("abstained") if v.get("abstained") else "")

        add(tr("State"), state(k), state(o))
        add(tr("Finalised at"), _when(k.get("finalised_at")), _when(o.get("finalised_at")))
        if k.get("abstain_reason") or o.get("abstain_reason"):
            add(tr("Abstention reason"), k.get("abstain_reason"), o.get("abstain_reason"))
        codes = [cr.code for cr in rubric.criteria] if rubric is not None else []
        codes += sorted(set(k.get("scores") or {}) | set(o.get("scores") or {}) - set(codes))
        for code in codes:
            name = code
            if rubric is not None:
                try:
                    name = rubric.criterion(code).name(lang)
                except KeyError:
                    pass
            a, b = (k.get("scores") or {}).get(code), (o.get("scores") or {}).get(code)
            add(name, _score_text(a, rubric, code), _score_text(b, rubric, code))
            if (a or {}).get("comment") or (b or {}).get("comment"):
                add(tr("{criterion}: comment").format(criterion=name), (a or {}).get("comment"),
                    (b or {}).get("comment"))
        add(tr("Overall comment"), k.get("comment"), o.get("comment"))
    else:
        add(tr("Visited at"), _when(k.get("visited_at")), _when(o.get("visited_at")))
        add(tr("Attendees"), k.get("attendees"), o.get("attendees"))
        items = list(rubric.checklist) if rubric is not None else []
        known = {i.code for i in items}
        extra = sorted(set(k.get("checklist") or {}) | set(o.get("checklist") or {}) - known)
        for code, name in [(i.code, i.name(lang)) for i in items] + [(x, x) for x in extra]:
            def tick(v: dict) -> str:
                return "✔ " + tr("checked") if (v.get("checklist") or {}).get(code) else "✘ " + tr("not checked")

            add(name, tick(k), tick(o))
        add(tr("Notes"), k.get("notes"), o.get("notes"))
    add(tr("Device"), c.kept.device, c.other.device)
    add(tr("Changed at"), _when(c.kept.updated_at), _when(c.other.updated_at))
    return rows


def _score_text(v: dict | None, rubric, code: str) -> str:
    if not v or (v.get("level") is None and v.get("points") is None):
        return "—"
    from ..i18n import language

    if v.get("level") and rubric is not None:
        try:
            level = rubric.level(v["level"])
            pts = rubric.points_for_level(rubric.criterion(code), v["level"])
            return tr("{level} ({points:g} pts)").format(level=level.label(language()), points=pts)
        except KeyError:
            return str(v["level"])
    return tr("{points:g} pts").format(points=float(v["points"]))


# --- field databases ------------------------------------------------------------------------------
class FieldDemoDialog(QDialog):
    """One dialog: which evaluator, and the office key's passphrase when it is needed."""

    def __init__(self, ctx, evaluators, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldDemoDialog")
        self.setWindowTitle(tr("Try the field mode"))
        lay = QVBoxLayout(self)
        text = QLabel(tr("This makes a field database — what an evaluator's laptop holds — from this database's "
                         "kit for one evaluator, and opens it. Reopen the office database later from File → Open "
                         "recent."), self)
        text.setWordWrap(True)
        lay.addWidget(text)
        form = QFormLayout()
        self.evaluator = QComboBox(self)
        self.evaluator.setObjectName("fieldEvaluator")
        for e in evaluators:
            self.evaluator.addItem(f"{e.code} {e.name} ({e.assigned})", e.code)
        form.addRow(tr("Evaluator"), self.evaluator)
        self.needs_key = not ctx.key_unlocked
        self.create_key = ctx.key_info is None
        # only the fields this dialog needs are made (one made but not laid out sits over the text)
        self.passphrase = self._secret("passphrase") if self.needs_key else None
        self.again = self._secret("passphraseAgain") if self.needs_key and self.create_key else None
        if self.passphrase is not None:
            label = tr("New office key passphrase") if self.create_key else tr("Office key passphrase")
            form.addRow(label, self.passphrase)
        if self.again is not None:
            form.addRow(tr("Once more"), self.again)
        self.database = dialogs.DatabasePassphraseFields(self, form, self._check)
        lay.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        for w in (self.passphrase, self.again):
            if w is not None:
                w.textChanged.connect(self._check)
        self._check()

    def _secret(self, name: str) -> QLineEdit:
        w = QLineEdit(self)
        w.setObjectName(name)
        w.setEchoMode(QLineEdit.Password)
        return w

    def key_passphrase(self) -> str | None:
        return self.passphrase.text() if self.passphrase is not None else None

    def _check(self) -> None:
        p = self.passphrase.text() if self.passphrase is not None else ""
        again = self.again.text() if self.again is not None else p
        ok = not self.needs_key or (len(p) >= MIN_PASSPHRASE and p == again)
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(ok and self.database.ok())


def make_field_database(window) -> None:
    """Office database → a kit for one evaluator → a new field database → open it (two clicks)."""
    ctx = window.ctx
    evs = [e for e in getattr(ctx, "evaluators", []) if e.assigned]
    if not evs:
        dialogs.inform(window, tr("Field database"), tr("No evaluator has assignments in this database."))
        return
    dlg = FieldDemoDialog(ctx, evs, window)
    if dlg.exec() != QDialog.Accepted:
        return
    code = dlg.evaluator.currentData()
    passphrase = dlg.key_passphrase()
    db_passphrase = dlg.database.value()
    folder = ctx.settings.data_folder()
    target = folder / f"field-{code}.sqlite3"

    def op(st, progress, cancel):
        from evaluator.workflows import make_field_database

        # the window opens the new field database next: what changed in the office's is not shown
        return make_field_database(st, code, target, db_passphrase=db_passphrase, key_passphrase=passphrase,
                                   progress=progress, cancel=cancel).value

    ctx.job(tr("Making the field database"), op,
            lambda _info: window.switch_to(sqlite_url(target), passphrase=db_passphrase),
            parent=window).run_in_background()


class KitUnlockDialog(QDialog):
    """The secret that opens an encrypted kit: the passphrase the office set for it, or the
    evaluator's own key passphrase (a kit encrypted to their key)."""

    def __init__(self, kit: Path, protection, parent=None, *, again: int = 0) -> None:
        super().__init__(parent)
        self.setObjectName("kitUnlockDialog")
        self.setWindowTitle(tr("Encrypted field kit"))
        lay = QVBoxLayout(self)
        if protection.kind == "passphrase":
            text = tr("{kit} carries applicants' contact data, so the office encrypted it with a passphrase. Type "
                      "the kit passphrase the office gave you (by phone or in person, never with the file).").format(
                kit=kit.name)
            label = tr("Kit passphrase")
        else:
            text = tr("{kit} carries applicants' contact data, so the office encrypted it to your key "
                      "({evaluator}, {fingerprint}). Type your key's passphrase.").format(
                kit=kit.name, evaluator=protection.evaluator, fingerprint=protection.recipient)
            label = tr("Your key's passphrase")
        if again:
            text += "\n\n" + tr("That passphrase did not open the kit. %n tries left.", "", again)
        info = QLabel(text, self)
        info.setObjectName("kitUnlockText")
        info.setWordWrap(True)
        lay.addWidget(info)
        form = QFormLayout()
        self.secret = QLineEdit(self)
        self.secret.setObjectName("kitSecret")
        self.secret.setEchoMode(QLineEdit.Password)
        form.addRow(label, self.secret)
        lay.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.secret.textChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(bool(self.secret.text()))


def ask_kit_secret(window, kit: Path, protection, *, again: int = 0) -> str | None:
    dlg = KitUnlockDialog(kit, protection, window, again=again)
    if dlg.exec() != QDialog.Accepted:
        return None
    return dlg.secret.text()


#: how many times a wrong kit passphrase is asked again
KIT_TRIES = 3


def import_kit_into_new_database(window, kit: Path | None = None) -> None:
    """File → Import a field kit…: the kit, the field database to make (or update), its passphrase,
    and the kit's own secret when it is encrypted (asked again after a wrong one)."""
    from evaluator.workflows import kit_protection

    from ..errors import show_error

    ctx = window.ctx
    if kit is None:
        kit = dialogs.open_file(ctx, window, tr("Import a field kit"),
                                tr("Field kits (*{suffix});;All files (*)").format(suffix=KIT_SUFFIX))
        if kit is None:
            return
    kit = Path(kit)
    try:
        protection = kit_protection(kit)
    except Exception as exc:  # noqa: BLE001 - a damaged kit or a file that cannot be read: its one sentence
        show_error(window, exc)
        return
    if protection.kind == "key" and not protection.has_key:
        dialogs.inform(window, tr("Encrypted field kit"),
                       tr("{kit} is encrypted to evaluator {evaluator}'s key, and this computer has no key file for "
                          "{evaluator}.").format(kit=kit.name, evaluator=protection.evaluator),
                       tr("Import it on the laptop that holds that key, or ask the office for a kit protected with "
                          "a passphrase instead. Nothing was changed."))
        return
    secret = None
    if protection.kind != "none":
        secret = ask_kit_secret(window, kit, protection)
        if secret is None:
            return
    target = dialogs.save_file(ctx, window, tr("New field database"), tr("Database (*.sqlite3)"),
                               f"field-{kit.stem}.sqlite3", ".sqlite3")
    if target is None:
        return
    passphrase = None
    if not target.exists():  # a new field database: encrypted unless the user says otherwise
        go, passphrase = dialogs.new_database_passphrase(window, target.name)
        if not go:
            return
    else:
        passphrase = window.passphrase_for(target)
        if passphrase is False:
            return
    _run_kit_import(window, kit, target, passphrase, protection, secret, KIT_TRIES)


def _run_kit_import(window, kit: Path, target: Path, passphrase, protection, secret, tries: int) -> None:
    ctx = window.ctx

    def op(st, progress, cancel):
        from evaluator.workflows import import_kit, kit_unlock

        unlock = None
        if protection.kind == "passphrase":
            unlock = kit_unlock(kit_passphrase=secret)
        elif protection.kind == "key":
            unlock = kit_unlock(key_passphrase=secret)
        return import_kit(kit, sqlite_url(target), passphrase=passphrase, unlock=unlock).value  # another database

    def failed(exc: BaseException) -> None:
        from evaluator.workflows import wrong_passphrase

        from ..errors import show_error

        if secret is not None and wrong_passphrase(exc, "kit") and tries > 1:
            again = ask_kit_secret(window, kit, protection, again=tries - 1)
            if again is not None:
                _run_kit_import(window, kit, target, passphrase, protection, again, tries - 1)
            return
        show_error(window, exc)

    ctx.job(tr("Importing the kit"), op,
            lambda info: window.switch_to(sqlite_url(target), passphrase=passphrase),
            parent=window).failure(failed).run_in_background()
