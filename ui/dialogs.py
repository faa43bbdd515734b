"""Small modal questions, all through Qt's standard dialogs (the tests patch these classes)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QInputDialog, QLabel, QLineEdit, QMessageBox,
    QSpinBox, QVBoxLayout, QWidget,
)

from .i18n import tr
from .widgets import rich_escaped, whole_hint


def _start(ctx, start: str | Path | None) -> str:
    return str(start) if start else ctx.settings.last_folder()


def open_file(ctx, parent: QWidget | None, title: str, filters: str, start=None) -> Path | None:
    path, _ = QFileDialog.getOpenFileName(parent, title, _start(ctx, start), filters)
    if not path:
        return None
    ctx.settings.remember_folder(path)
    return Path(path)


def open_files(ctx, parent: QWidget | None, title: str, filters: str, start=None) -> list[Path]:
    paths, _ = QFileDialog.getOpenFileNames(parent, title, _start(ctx, start), filters)
    if paths:
        ctx.settings.remember_folder(paths[0])
    return [Path(p) for p in paths]


def save_file(ctx, parent: QWidget | None, title: str, filters: str, suggested: str, suffix: str = "") -> Path | None:
    start = Path(ctx.settings.last_folder()) / suggested
    path, _ = QFileDialog.getSaveFileName(parent, title, str(start), filters)
    if not path:
        return None
    p = Path(path)
    if suffix and not p.suffix:
        p = p.with_suffix(suffix)
    ctx.settings.remember_folder(p)
    return p


def folder(ctx, parent: QWidget | None, title: str, start=None) -> Path | None:
    path = QFileDialog.getExistingDirectory(parent, title, _start(ctx, start))
    if not path:
        return None
    ctx.settings.set("last_folder", path)
    return Path(path)


def text(parent: QWidget | None, title: str, label: str, *, required: bool = True, initial: str = "") -> str | None:
    """A one-line answer (e.g. a reason); None when cancelled or left empty while required."""
    value, ok = QInputDialog.getText(parent, title, label, QLineEdit.Normal, initial)
    if not ok:
        return None
    value = value.strip()
    if required and not value:
        QMessageBox.warning(parent, title, tr("A reason is required; nothing was changed."))
        return None
    return value


def passphrase(parent: QWidget | None, title: str, label: str) -> str | None:
    value, ok = QInputDialog.getText(parent, title, label, QLineEdit.Password, "")
    return value if ok and value else None


# the shortest passphrase accepted for a new encrypted field database
MIN_DB_PASSPHRASE = 8


class DatabasePassphraseFields:
    """"Encrypt the field database" (on by default), a new passphrase and the same again; used by
    the kit import dialog and the "field database from the demo" dialog."""

    def __init__(self, parent: QWidget, form: QFormLayout, on_change) -> None:
        self.encrypt = QCheckBox(tr("Encrypt the field database with a passphrase (recommended: a lost laptop "
                                    "then shows nothing)"), parent)
        self.encrypt.setObjectName("encryptDatabase")
        self.encrypt.setChecked(True)
        self.db_passphrase = QLineEdit(parent)
        self.db_passphrase.setObjectName("databasePassphrase")
        self.db_passphrase.setEchoMode(QLineEdit.Password)
        self.db_again = QLineEdit(parent)
        self.db_again.setObjectName("databasePassphraseAgain")
        self.db_again.setEchoMode(QLineEdit.Password)
        form.addRow(self.encrypt)
        form.addRow(tr("Database passphrase"), self.db_passphrase)
        form.addRow(tr("Once more"), self.db_again)
        for w in (self.db_passphrase, self.db_again):
            w.textChanged.connect(on_change)
        self.encrypt.toggled.connect(on_change)
        self.encrypt.toggled.connect(self._enable)

    def _enable(self, on: bool) -> None:
        self.db_passphrase.setEnabled(on)
        self.db_again.setEnabled(on)

    def ok(self) -> bool:
        p = self.db_passphrase.text()
        return not self.encrypt.isChecked() or (len(p) >= MIN_DB_PASSPHRASE and p == self.db_again.text())

    def value(self) -> str | None:
        return self.db_passphrase.text() if self.encrypt.isChecked() else None


class NewDatabasePassphraseDialog(QDialog):
    """Asked before a kit is imported into a new field database."""

    def __init__(self, parent: QWidget | None, name: str) -> None:
        super().__init__(parent)
        self.setObjectName("newDatabasePassphraseDialog")
        self.setWindowTitle(tr("Protect the field database"))
        lay = QVBoxLayout(self)
        text = QLabel(tr("{name} will hold applicants' data on this laptop. With a passphrase, the file is "
                         "encrypted and useless to whoever finds a lost laptop or USB stick; the app asks for the "
                         "passphrase when it opens the database. At least {n} characters.").format(
                             name=name, n=MIN_DB_PASSPHRASE), self)
        text.setWordWrap(True)
        lay.addWidget(text)
        form = QFormLayout()
        self.fields = DatabasePassphraseFields(self, form, self._check)
        lay.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self._check()

    def _check(self) -> None:
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(self.fields.ok())


def new_database_passphrase(parent: QWidget | None, name: str) -> tuple[bool, str | None]:
    """(go on?, passphrase or None for an unencrypted database)."""
    dlg = NewDatabasePassphraseDialog(parent, name)
    if dlg.exec() != QDialog.Accepted:
        return False, None
    return True, dlg.fields.value()


def confirm(parent: QWidget | None, title: str, message: str, details: str = "") -> bool:
    box = QMessageBox(QMessageBox.Question, title, "", QMessageBox.Yes | QMessageBox.No, parent)
    box.setTextFormat(Qt.RichText)
    box.setText(rich_escaped(message))
    box.setDefaultButton(QMessageBox.No)
    if details:
        box.setInformativeText(rich_escaped(details))
    return box.exec() == QMessageBox.Yes


def inform(parent: QWidget | None, title: str, message: str, details: str = "") -> None:
    box = QMessageBox(QMessageBox.Information, title, "", QMessageBox.Ok, parent)
    box.setTextFormat(Qt.RichText)
    box.setText(rich_escaped(message))
    if details:
        box.setInformativeText(rich_escaped(details))
    box.exec()


class ServerDialog(QDialog):
    """File → Connect to server…: where the office's PostgreSQL database is, and the password (asked
    each time: it is kept in memory for the session, never written to the settings)."""

    def __init__(self, parent: QWidget | None, url: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("serverDialog")
        self.setWindowTitle(tr("Connect to server"))
        lay = QVBoxLayout(self)
        text = QLabel(tr("The office database on a PostgreSQL server. The password is not saved: Open recent "
                         "remembers the connection and asks for the password again."), self)
        text.setWordWrap(True)
        lay.addWidget(text)
        form = QFormLayout()
        self.host = QLineEdit(self)
        self.host.setObjectName("serverHost")
        self.host.setPlaceholderText(tr("e.g. db.office.local"))
        self.port = QSpinBox(self)
        self.port.setObjectName("serverPort")
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = QLineEdit(self)
        self.database.setObjectName("serverDatabase")
        self.user = QLineEdit(self)
        self.user.setObjectName("serverUser")
        self.password = QLineEdit(self)
        self.password.setObjectName("serverPassword")
        self.password.setEchoMode(QLineEdit.Password)
        whole_hint(self.password, tr("leave empty if the server needs none"))
        form.addRow(tr("Server"), self.host)
        form.addRow(tr("Port"), self.port)
        form.addRow(tr("Database"), self.database)
        form.addRow(tr("User"), self.user)
        form.addRow(tr("Password"), self.password)
        lay.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        self.buttons.button(QDialogButtonBox.Ok).setText(tr("Connect"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        if url:
            from evaluator.workflows import server_parts

            parts = server_parts(url)
            self.host.setText(parts["host"])
            self.port.setValue(parts["port"] or 5432)
            self.database.setText(parts["database"])
            self.user.setText(parts["user"])
            self.password.setFocus()
        for w in (self.host, self.database, self.user):
            w.textChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        ok = all(w.text().strip() for w in (self.host, self.database, self.user))
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(ok)

    def url(self) -> str:
        """The connection without its password (what Open recent remembers)."""
        from evaluator.workflows import server_url

        return server_url(host=self.host.text().strip(), port=self.port.value(), database=self.database.text().strip(),
                          user=self.user.text().strip())


def server_connection(parent: QWidget | None, url: str | None = None) -> tuple[str, str] | None:
    """(the server's URL without a password, the password typed) or None when cancelled."""
    dlg = ServerDialog(parent, url)
    if dlg.exec() != QDialog.Accepted:
        return None
    return dlg.url(), dlg.password.text()
