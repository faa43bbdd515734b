"""Office: the program shown and its rounds — tracks with quota, reserve, budget and minimum score;
rounds with their intake window, status and applications; opening and closing a round's intake and
the committee's sign-off, which freezes the round's decisions of record."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QPushButton, QTableView, QVBoxLayout, QWidget,
)

from evaluator.changes import NOTHING, Outcome

from .. import dialogs
from ..context import APPLICATIONS, DECISIONS, PROGRAMS
from ..i18n import language, tr
from ..keys import key_passphrase
from ..labels import method_label
from ..models import RIGHT, Column, RecordModel, fmt_amount
from ..switcher import round_status_label
from ..widgets import plain, title_label


def _window(r) -> str:
    if r.opens_on is None and r.closes_on is None:
        return tr("no window")
    return f"{r.opens_on.isoformat() if r.opens_on else '…'} – {r.closes_on.isoformat() if r.closes_on else '…'}"


def _money(v) -> str:
    return tr("no cap") if v is None else tr("{amount} won").format(amount=fmt_amount(v))


def _round_tracks(r) -> str:
    """Each track's quota and budget in the round: 'activity 4 · 120,000,000 won; space 3 · …'."""
    return "; ".join(f"{t.track} {t.quota} · {_money(t.budget)}" for t in r.tracks)


class SignOffDialog(QDialog):
    """Who signs the round off (the committee chair, or the committee), and an optional note."""

    def __init__(self, round_name: str, signer: str, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("signOffDialog")
        self.setWindowTitle(tr("Sign off {round}").format(round=round_name))
        lay = QVBoxLayout(self)
        info = QLabel(tr("The committee's sign-off ranks the round once more with the program's method, stores its "
                         "decisions of record and freezes them: later rankings, imports, merges and setting changes "
                         "never change them. The round is closed, and the audit trail is signed with the office "
                         "key."), self)
        info.setWordWrap(True)
        lay.addWidget(info)
        form = QFormLayout()
        self.by = QLineEdit(signer, self)
        self.by.setObjectName("signOffBy")
        self.by.setPlaceholderText(tr("e.g. the committee chair's name"))
        form.addRow(tr("Signed by"), self.by)
        self.note = QLineEdit(self)
        self.note.setObjectName("signOffNote")
        self.note.setPlaceholderText(tr("optional, e.g. the meeting's minutes number"))
        form.addRow(tr("Note"), self.note)
        lay.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.by.textChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(bool(self.by.text().strip()))


def sign_off(st, code: str, by: str, note: str, passphrase, progress, cancel) -> Outcome:
    """Runs on the worker: make or unlock the office key when a passphrase was asked for, then sign off."""
    changes = st.keys.ensure(passphrase).changes if passphrase is not None else NOTHING
    done = st.rounds.sign_off(code, by=by, note=note, passphrase=passphrase, progress=progress, cancel=cancel)
    return Outcome(done.value, changes | done.changes)


class ProgramScreen(QWidget):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("programScreen")
        self.ctx = ctx
        self.program = ctx.program
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(title_label(tr("Program and rounds"), self))
        top.addStretch(1)
        self.new_btn = QPushButton(tr("New program…"), self)
        self.new_btn.setObjectName("newProgramButton")
        self.new_btn.clicked.connect(self._new_program)
        top.addWidget(self.new_btn)
        lay.addLayout(top)
        self.summary = plain(QLabel("", self))
        self.summary.setObjectName("programSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.RichText)
        lay.addWidget(self.summary)

        lay.addWidget(QLabel(tr("Tracks"), self))
        self.tracks = RecordModel([
            Column("code", tr("Code"), lambda t: t.code),
            Column("name", tr("Name"), lambda t: t.name(language())),
            Column("rubric", tr("Rubric"), lambda t: t.rubric_code),
            Column("quota", tr("Quota"), lambda t: t.quota, RIGHT),
            Column("reserve", tr("Reserve"), lambda t: t.reserve_size, RIGHT),
            Column("budget", tr("Budget (KRW)"), lambda t: fmt_amount(t.budget) if t.budget is not None else "—",
                   RIGHT, sort_key=lambda t: t.budget or 0),
            Column("min", tr("Minimum score"), lambda t: "—" if t.min_score is None else f"{t.min_score:g}", RIGHT),
            Column("apps", tr("Applications"), lambda t: t.applications, RIGHT),
        ], self)
        self.track_view = self._table("programTracks", tr("Tracks"), self.tracks)
        lay.addWidget(self.track_view, 2)
        # the program file's eligibility gates, support amount rule and selection models (docs/rules.md)
        self.rules_title = QLabel(tr("Eligibility and support rules"), self)
        lay.addWidget(self.rules_title)
        self.rules = plain(QLabel("", self))
        self.rules.setObjectName("programRules")
        self.rules.setWordWrap(True)
        self.rules.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.rules_title.setBuddy(self.rules)
        lay.addWidget(self.rules)
        for w in (self.rules_title, self.rules):
            w.setVisible(False)

        lay.addWidget(QLabel(tr("Rounds"), self))
        self.rounds = RecordModel([
            Column("code", tr("Code"), lambda r: r.code),
            Column("name", tr("Name"), lambda r: r.name(language())),
            Column("window", tr("Intake window"), _window),
            Column("status", tr("Status"), lambda r: round_status_label(r.status)),
            Column("apps", tr("Applications"), lambda r: r.applications, RIGHT),
            Column("tracks", tr("Quota and budget per track"), _round_tracks),
        ], self)
        self.round_view = self._table("programRounds", tr("Rounds"), self.rounds)
        self.round_view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.round_view.selectionModel().currentRowChanged.connect(lambda *_: self._round_selected())
        lay.addWidget(self.round_view, 2)

        row = QHBoxLayout()
        self.open_btn = QPushButton(tr("Open intake"), self)
        self.open_btn.setObjectName("openRound")
        self.open_btn.clicked.connect(lambda: self._set_status("open"))
        self.close_btn = QPushButton(tr("Close intake"), self)
        self.close_btn.setObjectName("closeRound")
        self.close_btn.clicked.connect(lambda: self._set_status("close"))
        self.sign_btn = QPushButton(tr("Sign off…"), self)
        self.sign_btn.setObjectName("signOffRound")
        self.sign_btn.clicked.connect(self.sign_off)
        for b in (self.open_btn, self.close_btn, self.sign_btn):
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)
        self.round_state = plain(QLabel("", self))
        self.round_state.setObjectName("roundState")
        self.round_state.setWordWrap(True)
        lay.addWidget(self.round_state)
        ctx.changed.connect(self._on_changed)
        self._round_selected()

    def _table(self, name: str, accessible: str, model) -> QTableView:
        view = QTableView(self)
        view.setObjectName(name)
        view.setAccessibleName(accessible)
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectRows)
        view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        view.verticalHeader().setVisible(False)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        view.horizontalHeader().setStretchLastSection(True)
        view.remember_columns = False  # sized to their contents every time
        return view

    # --- data -------------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.ctx.query(lambda st: (st.programs.get(), st.programs.rules()), self._fill,
                       parent=self).run_in_background()

    def _fill(self, loaded) -> None:
        program, rules = loaded
        self.program = program
        self.rules.setText("\n".join(f"• {line}" for line in rules))  # in the core's language, the interface's
        for w in (self.rules_title, self.rules):
            w.setVisible(bool(rules))
        lang = language()
        method = program.settings.get("method") if program.settings else None
        parts = [f"<b>{escape(program.name(lang))}</b>"]  # its code is in the header's switcher
        if program.office(lang):
            parts.append(escape(program.office(lang)))
        parts.append(escape(tr("Rolling intake") if program.intake == "rolling" else tr("Fixed rounds")))
        if method:
            parts.append(escape(tr("ranked by {method}").format(method=method_label(method))))
        self.summary.setText(" · ".join(parts))
        self.tracks.set_rows(list(program.tracks))
        keep = self.selected_round()
        self.rounds.set_rows(list(program.rounds))
        want = keep.code if keep is not None else self.ctx.round
        codes = [r.code for r in program.rounds]
        if want in codes:
            self.round_view.selectRow(codes.index(want))
        elif codes:
            self.round_view.selectRow(0)
        self._round_selected()

    def selected_round(self):
        row = self.round_view.currentIndex().row() if self.round_view.currentIndex().isValid() else -1
        return self.rounds.record(row) if 0 <= row < len(self.rounds.rows) else None

    def _round_selected(self) -> None:
        r = self.selected_round()
        office = not self.ctx.is_field
        self.open_btn.setEnabled(office and r is not None and r.status == "closed")
        self.close_btn.setEnabled(office and r is not None and r.status == "open")
        self.sign_btn.setEnabled(office and r is not None and not r.signed_off)
        if r is None:
            self.round_state.setText("")
        elif r.signed_off:
            when = r.signed_off_at.strftime("%Y-%m-%d %H:%M") if r.signed_off_at else ""
            text = tr("{round} was signed off on {when} by {by}. Its decisions are frozen: later rankings, imports "
                      "and merges do not change them (an override needs its written reason).").format(
                round=r.name(language()), when=when, by=r.signed_off_by)
            if r.sign_off_note:
                text += " " + tr("Note: {note}").format(note=r.sign_off_note)
            self.round_state.setText(text)
        elif r.status == "open":
            self.round_state.setText(tr("{round}: intake open; not signed off.").format(round=r.name(language())))
        else:
            self.round_state.setText(tr("{round}: intake closed; not signed off.").format(round=r.name(language())))

    def _on_changed(self, changes, initiator) -> None:
        if changes & {PROGRAMS, APPLICATIONS, DECISIONS} and self.isVisible():
            self.refresh()

    # --- actions ----------------------------------------------------------------------------------
    def _new_program(self) -> None:
        window = self.window()
        if hasattr(window, "new_program"):
            window.new_program()

    def _set_status(self, action: str) -> None:
        r = self.selected_round()
        if r is None:
            return
        code = r.code

        def op(st):
            return st.rounds.open(code) if action == "open" else st.rounds.close(code)

        self.ctx.write(op, lambda info: self._fill_round(info), parent=self).run_in_background()

    def _fill_round(self, info) -> None:
        self.ctx.status_message(tr("{round}: {status}.").format(round=info.name(language()),
                                                                status=round_status_label(info.status)))
        self.refresh()

    def sign_off(self) -> None:
        r = self.selected_round()
        if r is None or r.signed_off:
            return
        name = r.name(language())
        dlg = SignOffDialog(name, self.ctx.settings.get("identity_name") or "", self)
        if dlg.exec() != QDialog.Accepted:
            return
        by, note = dlg.by.text().strip(), dlg.note.text().strip()
        if not dialogs.confirm(self, tr("Sign off {round}").format(round=name),
                               tr("Sign off {round} as {by}? Its decisions of record are then frozen.").format(
                                   round=name, by=by),
                               tr("This cannot be undone; a later change to one of its decisions is an override "
                                  "with a written reason.")):
            return
        go, passphrase = key_passphrase(self.ctx, self, has_key=self.ctx.key_info is not None, office=True)
        if not go:
            return
        code = r.code

        def done(info) -> None:
            if passphrase is not None:
                self.ctx.key_unlocked = True
                self.ctx.query(lambda st: st.keys.identity(), lambda k: setattr(self.ctx, "key_info", k),
                               parent=self).run_in_background()
            self.ctx.status_message(tr("{round} is signed off; its decisions are frozen.").format(
                round=info.name(language())))
            self.refresh()

        self.ctx.job(tr("Signing off {round}").format(round=name),
                     lambda st, progress, cancel: sign_off(st, code, by, note, passphrase, progress, cancel),
                     done, parent=self).run_in_background()
