"""The one place errors are shown: what happened, what to do; details go to the log file.

Domain errors (:class:`evaluator.errors.EvaluatorError`) carry one clear sentence from the core;
this module adds the advice for the person at the screen.  Anything else is a bug: the dialog says
so, the traceback goes to ``evaluator-gui.log`` in the user log directory, and work already saved
stays saved.  No slot catches errors itself; operations route failures here.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

from evaluator.paths import log_dir

from .i18n import language, tr

# The app sets up logging and the exception hook before its window shows; what only showing an
# error needs (the message box, the core's error classes, the problem texts) is imported then.

log = logging.getLogger("ui")
LOG_NAME = "evaluator-gui.log"
_handler: logging.Handler | None = None


def log_file() -> Path:
    return log_dir() / LOG_NAME


def setup_logging() -> Path:
    """Log to a rotating file in the user log directory (no personal data is logged)."""
    global _handler
    path = log_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
    _handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(_handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    return path


def teardown_logging() -> None:
    global _handler
    if _handler is not None:
        logging.getLogger().removeHandler(_handler)
        _handler.close()
        _handler = None


def advice(exc: BaseException) -> str:
    """What the person can do about ``exc`` (translated; the core's own hint, in the UI's language
    from the core's catalogue, alone in the English UI and after the general advice in the Korean one)."""
    from evaluator import errors as E

    general = _general_advice(exc)
    if isinstance(exc, E.EvaluatorError) and exc.hint:
        return exc.hint if language() == "en" else f"{general} ({exc.hint})"
    return general


def _general_advice(exc: BaseException) -> str:
    from evaluator import errors as E

    if isinstance(exc, E.ValidationError) and not getattr(exc, "problems", None):
        # no list of items under it: the core's one sentence names what is wrong
        return tr("Correct what the message above names, then try again; nothing was changed.")
    table: list[tuple[type, str]] = [
        (E.DatabaseInUse, tr("Close the other program that uses this database (or wait for it to finish), "
                             "then try again.")),
        (E.DatabaseTooNew, tr("Install the newer version of Maeul Evaluator that wrote this database.")),
        (E.NotAnEvaluatorDatabase, tr("Choose a Maeul Evaluator database file (.sqlite3).")),
        (E.ReadOnlyDatabase, tr("Free some disk space or move the database to a folder you can write to.")),
        (E.DatabaseUnavailable, tr("Check that the file or the server exists and can be reached, then open it "
                                   "again from the File menu.")),
        (E.MigrationFailed, tr("The original database is untouched and a backup sits beside it. Send the log "
                               "file to your coordinator.")),
        (E.DatabaseError, tr("Check the database and open it again from the File menu.")),
        (E.ConflictOfInterest, tr("Choose another evaluator for this application.")),
        (E.EvaluationLocked, tr("Reopen the evaluation (with a reason) before changing it.")),
        (E.EditConflict, tr("The screen now shows the latest values; check them and repeat your change.")),
        (E.PermissionDenied, tr("Open the right database: office work needs the office database, field work "
                                "a field database.")),
        (E.ValidationError, tr("Correct the items listed and try again; nothing was changed.")),
        (E.NotFound, tr("Refresh the screen; the item may have been changed or removed.")),
        (E.Cancelled, tr("Nothing was written. Start it again when you are ready.")),
        (E.EvaluatorError, tr("Check the input and try again.")),
        (OSError, tr("Check that the file or folder exists and that you may read and write it.")),
    ]
    for cls, text in table:
        if isinstance(exc, cls):
            return text
    return tr("This is a bug in Maeul Evaluator. Work saved so far is safe. Please send the log file to your "
              "coordinator: {path}").format(path=log_file())


def coded_message(exc: BaseException) -> str | None:
    """The core's sentence in the UI's language, for errors that carry a ``code`` and ``params``
    (the English UI keeps the core's own sentence)."""
    code, params = getattr(exc, "code", None), getattr(exc, "params", None)
    if language() == "en" or not isinstance(code, str) or not isinstance(params, dict):
        return None
    templates = {
        "keys.not_in_folder": tr("This database uses office key {fingerprint}, but the key folder {folder} holds no "
                                 "key file for it; choose the key folder of this office, or share a key on purpose "
                                 "with 'evaluator keys use FILE'."),
    }
    template = templates.get(code)
    if template is None:
        return None
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return None


def describe(exc: BaseException) -> tuple[str, str, str]:
    """(what happened, what to do, details) for ``exc``."""
    import traceback

    from evaluator import errors as E

    from .problems import grouped_text, headline

    if isinstance(exc, E.EvaluatorError):
        lead = headline(exc)
        message = coded_message(exc) or exc.message
        what = f"{lead}\n{message}" if lead else message
        details = grouped_text(getattr(exc, "problems", []))
    elif isinstance(exc, OSError):
        what = tr("The file could not be used: {error}").format(error=exc.strerror or str(exc))
        if exc.filename:
            what += f" ({exc.filename})"
        details = ""
    else:
        what = tr("Something went wrong that the program did not expect.")
        details = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return what, advice(exc), details


def show_error(parent, exc: BaseException, *, title: str | None = None) -> None:
    """Show ``exc`` in the one error dialog and log it (``parent``: a QWidget or None)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    from evaluator import errors as E

    from .widgets import rich_escaped

    expected = isinstance(exc, E.EvaluatorError)
    if expected:  # the kind and the places only: messages can quote applicants' data
        places = "; ".join(p.where for p in getattr(exc, "problems", [])[:20] if p.where)
        log.warning("%s%s", type(exc).__name__, f" at {places}" if places else "")
    else:
        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    what, todo, details = describe(exc)
    box = QMessageBox(parent)
    box.setObjectName("errorDialog")
    box.setIcon(QMessageBox.Warning if expected else QMessageBox.Critical)
    box.setWindowTitle(title or tr("Maeul Evaluator"))
    box.setTextFormat(Qt.RichText)
    box.setText(rich_escaped(what))
    box.setInformativeText(rich_escaped(tr("What to do: {advice}").format(advice=todo)))
    if details:
        box.setDetailedText(details)
    box.setStandardButtons(QMessageBox.Ok)
    box.exec()


def install_excepthook() -> None:
    """Unhandled exceptions in slots end in the error dialog instead of a silent console trace."""
    previous = sys.excepthook

    def hook(etype, value, tb):  # noqa: ANN001
        if issubclass(etype, KeyboardInterrupt):
            previous(etype, value, tb)
            return
        show_error(None, value)

    sys.excepthook = hook
