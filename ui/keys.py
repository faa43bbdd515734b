"""Key passphrases: asked once per session (the store keeps an unlocked key in memory).

The office key signs kits and opens result packages; an evaluator's key signs their result
packages.  Both are made on first use with a passphrase of at least 8 characters.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from .i18n import tr

MIN_PASSPHRASE = 8


class PassphraseDialog(QDialog):
    def __init__(self, title: str, text: str, *, create: bool, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("passphraseDialog")
        self.setWindowTitle(title)
        self.create = create
        lay = QVBoxLayout(self)
        info = QLabel(text, self)
        info.setWordWrap(True)
        lay.addWidget(info)
        form = QFormLayout()
        self.passphrase = QLineEdit(self)
        self.passphrase.setObjectName("passphrase")
        self.passphrase.setEchoMode(QLineEdit.Password)
        form.addRow(tr("Passphrase"), self.passphrase)
        # the second field exists only when a new passphrase is chosen (a field made but never laid out
        # sat on top of the prompt, as an empty white box)
        self.again = QLineEdit(self) if create else None
        if self.again is not None:
            self.again.setObjectName("passphraseAgain")
            self.again.setEchoMode(QLineEdit.Password)
            form.addRow(tr("Once more"), self.again)
        lay.addLayout(form)
        self.hint = QLabel("", self)
        self.hint.setObjectName("muted")
        lay.addWidget(self.hint)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.passphrase.textChanged.connect(self._check)
        if self.again is not None:
            self.again.textChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        p = self.passphrase.text()
        again = self.again.text() if self.again is not None else p
        ok = len(p) >= MIN_PASSPHRASE and p == again
        if len(p) < MIN_PASSPHRASE:
            self.hint.setText(tr("At least {n} characters.").format(n=MIN_PASSPHRASE))
        elif p != again:
            self.hint.setText(tr("Type the same passphrase twice."))
        else:
            self.hint.setText("")
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(ok)


def ask_passphrase(parent, title: str, text: str, *, create: bool) -> str | None:
    dlg = PassphraseDialog(title, text, create=create, parent=parent)
    if dlg.exec() != QDialog.Accepted:
        return None
    return dlg.passphrase.text()


def key_passphrase(ctx, parent, *, has_key: bool, office: bool) -> tuple[bool, str | None]:
    """(go on?, passphrase to pass to the core — None when the key is already unlocked)."""
    if has_key and ctx.key_unlocked:
        return True, None
    if office:
        title = tr("Office key")
        text = (tr("Passphrase of the office key:") if has_key else
                tr("The office needs a key to sign kits and open result packages. Choose its passphrase and "
                   "keep it safe: without it, result packages cannot be opened."))
    else:
        title = tr("Your key")
        text = (tr("Passphrase of your key (it signs your result package):") if has_key else
                tr("Your result package is signed with your own key, made now. Choose its passphrase; you need it "
                   "each time you hand back."))
    p = ask_passphrase(parent, title, text, create=not has_key)
    return (p is not None), p
