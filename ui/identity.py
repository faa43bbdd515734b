"""Who is acting: chosen (or created) when a session starts, shown in the header, changed from it.

On a SQLite office database the person is one of the database's people (name and role); the audit
trail and the access log name them with the operating-system account.  On PostgreSQL the database
login is the identity (the server knows the role): there is nothing to choose.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout,
)

from .i18n import tr

NEW = "\x00new"


def role_labels() -> dict[str, str]:
    return {"coordinator": tr("Coordinator"), "chair": tr("Committee chair"), "viewer": tr("Viewer"),
            "evaluator": tr("Evaluator"), "": tr("no role")}


def actor_text(actor) -> str:
    """The header's line: the person (or login), their role and the account they work under."""
    role = role_labels().get(actor.role, actor.role)
    if actor.source == "login":
        return tr("Acting: {name} ({role}, database login)").format(name=actor.name, role=role)
    if actor.source == "account":
        return tr("Acting: {account} (operating-system account; nobody chosen)").format(account=actor.account)
    return tr("Acting: {name} ({role}) · account {account}").format(name=actor.name, role=role, account=actor.account)


class ActorDialog(QDialog):
    """Choose one of the people of this database, or add yourself (name and role)."""

    def __init__(self, people: list, current: str = "", parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("actorDialog")
        self.setWindowTitle(tr("Who is working?"))
        lay = QVBoxLayout(self)
        info = QLabel(tr("Everything you change, view, print or export is recorded under your name (Korea's "
                         "Personal Information Protection Act asks for it)."), self)
        info.setWordWrap(True)
        lay.addWidget(info)
        form = QFormLayout()
        self.person = QComboBox(self)
        self.person.setObjectName("actorPerson")
        labels = role_labels()
        for p in people:
            self.person.addItem(f"{p.name} — {labels.get(p.role, p.role)}", p.name)
        self.person.addItem(tr("Someone new…"), NEW)
        i = self.person.findData(current)
        self.person.setCurrentIndex(i if i >= 0 else (0 if people else self.person.count() - 1))
        form.addRow(tr("Person"), self.person)
        self.name = QLineEdit(self)
        self.name.setObjectName("actorName")
        self.name.setPlaceholderText(tr("Your name, as the records should show it"))
        form.addRow(tr("Name"), self.name)
        self.role = QComboBox(self)
        self.role.setObjectName("actorRole")
        for code in ("coordinator", "chair", "viewer"):
            self.role.addItem(labels[code], code)
        form.addRow(tr("Role"), self.role)
        lay.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.person.currentIndexChanged.connect(lambda _i: self._check())
        self.name.textChanged.connect(lambda _t: self._check())
        self._check()

    @property
    def is_new(self) -> bool:
        return self.person.currentData() == NEW

    def _check(self) -> None:
        new = self.is_new
        self.name.setEnabled(new)
        self.role.setEnabled(new)
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(not new or bool(self.name.text().strip()))

    def choice(self) -> tuple[str, str | None]:
        """(name, role for someone new, else None)."""
        if self.is_new:
            return " ".join(self.name.text().split()), self.role.currentData()
        return self.person.currentData(), None


def choose_actor(window) -> None:
    """Ask who is working (on the worker: the people; then the dialog; then act as them)."""
    ctx = window.ctx

    def ask(people) -> None:
        dlg = ActorDialog(people, ctx.settings.get("identity_name"), window)
        if dlg.exec() != QDialog.Accepted:
            return
        name, role = dlg.choice()

        def act(st):
            from evaluator.changes import Outcome

            if role is not None:
                outcome = st.privacy.add_person(name, role)
                st.privacy.act_as(name)
                return outcome
            st.privacy.act_as(name)
            return Outcome(None)

        def done(_value) -> None:
            ctx.settings.set("identity_name", name)
            window.identity_changed()

        ctx.write(act, done, parent=window).run_in_background()

    ctx.query(lambda st: st.privacy.people(), ask, parent=window).run_in_background()
