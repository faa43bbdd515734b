"""Settings: language, font size, data folder, identity (and the evaluators' key fingerprints)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox,
    QVBoxLayout, QWidget,
)

from . import dialogs
from .i18n import language, tr, ui_language_names


class SettingsDialog(QDialog):
    def __init__(self, ctx, evaluators: list, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(tr("Settings"))
        self.ctx = ctx
        s = ctx.settings
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.language = QComboBox(self)
        self.language.setObjectName("language")
        for code, name in ui_language_names().items():
            self.language.addItem(name, code)
        # the language the window speaks now: ``evaluator-gui --lang`` may have chosen another one than
        # the saved preference for this run only (choosing one here saves it)
        names = ui_language_names()
        self._shown_language = language()
        self.language.setCurrentIndex(max(0, self.language.findData(self._shown_language)))
        form.addRow(tr("Language"), self.language)
        differs = s.language != self._shown_language
        self.language_note = QLabel(tr("{language} (this session, from --lang); saved: {saved}").format(
            language=names.get(self._shown_language, self._shown_language),
            saved=names.get(s.language, s.language)), self)
        self.language_note.setObjectName("languageNote")
        self.language_note.setWordWrap(True)
        self.remember_language = QCheckBox(tr("Start in {language} from now on").format(
            language=names.get(self._shown_language, self._shown_language)), self)
        self.remember_language.setObjectName("rememberLanguage")
        self.language.currentIndexChanged.connect(lambda _i: self.remember_language.setEnabled(
            self.language.currentData() == self._shown_language))
        if differs:
            form.addRow("", self.language_note)
            form.addRow("", self.remember_language)
        else:
            self.language_note.hide()
            self.remember_language.hide()
        self.font_size = QSpinBox(self)
        self.font_size.setObjectName("fontSize")
        self.font_size.setRange(8, 24)
        self.font_size.setSuffix(" pt")
        self.font_size.setValue(s.get("font_size"))
        self.font_size.setToolTip(tr("Larger text helps on a laptop in sunlight."))
        form.addRow(tr("Font size"), self.font_size)
        folder_row = QWidget(self)
        fl = QHBoxLayout(folder_row)
        fl.setContentsMargins(0, 0, 0, 0)
        self.data_folder = QLineEdit(str(s.data_folder()), folder_row)
        self.data_folder.setObjectName("dataFolder")
        self.data_folder.setAccessibleName(tr("Data folder"))
        fl.addWidget(self.data_folder, 1)
        browse = QPushButton(tr("Choose…"), folder_row)
        browse.setAccessibleName(tr("Choose the data folder"))
        browse.clicked.connect(self._browse)
        fl.addWidget(browse)
        form.addRow(tr("Data folder"), folder_row)
        hint = QLabel(tr("New databases, backups and exports are suggested in this folder."), self)
        hint.setObjectName("muted")
        form.addRow("", hint)
        who = getattr(ctx.store, "identity", None) if ctx.store is not None else None
        from .identity import actor_text

        self.acting = QLabel(actor_text(who) if who is not None else "", self)
        self.acting.setObjectName("identityActing")
        self.acting.setWordWrap(True)
        form.addRow(tr("Who is working"), self.acting)
        acting_hint = QLabel(tr("Choose or add the person working with “Who is working?” at the top of the window."),
                             self)
        acting_hint.setObjectName("muted")
        acting_hint.setWordWrap(True)
        form.addRow("", acting_hint)
        self.evaluator = QComboBox(self)
        self.evaluator.setObjectName("identityEvaluator")
        self.evaluator.addItem(tr("(not an evaluator)"), "")
        for e in evaluators:
            self.evaluator.addItem(f"{e.code} {e.name}", e.code)
        current = ctx.evaluator or s.get("identity_evaluator")
        self.evaluator.setCurrentIndex(max(0, self.evaluator.findData(current)))
        form.addRow(tr("I evaluate as"), self.evaluator)
        keys = []
        own = getattr(ctx, "key_info", None)
        if own is not None:
            keys.append(tr("This database's key: {fp}").format(fp=own.fingerprint))
        if not ctx.is_field:
            keys += [f"{e.code}: {e.key_fingerprint}" for e in evaluators if e.key_fingerprint]
        keys_label = QLabel("\n".join(keys) if keys else tr("No keys yet (they are made with the field kits)."), self)
        keys_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        keys_label.setObjectName("keyFingerprints")
        keys_label.setWordWrap(True)
        form.addRow(tr("Keys"), keys_label)
        lay.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def _browse(self) -> None:
        path = dialogs.folder(self.ctx, self, tr("Data folder"), self.data_folder.text())
        if path is not None:
            self.data_folder.setText(str(path))

    def apply(self) -> dict:
        """Store the values; returns what changed."""
        s = self.ctx.settings
        chosen = self.language.currentData()
        new = {
            "language": chosen,
            "font_size": self.font_size.value(),
            "data_folder": self.data_folder.text().strip(),
            "identity_evaluator": self.evaluator.currentData() or "",
        }
        # the language counts as changed when another one than the language in use was chosen; the
        # one in use is saved too when it came from --lang and the person asked to keep it
        old = {"language": self._shown_language, "font_size": s.get("font_size"), "data_folder": str(s.data_folder()),
               "identity_evaluator": s.get("identity_evaluator")}
        changed = {k: v for k, v in new.items() if v != old[k]}
        for k, v in changed.items():
            s.set(k, v)
        if "language" not in changed and not self.remember_language.isHidden() and self.remember_language.isChecked():
            s.set("language", chosen)  # already in use: nothing to switch
        s.sync()
        return changed
