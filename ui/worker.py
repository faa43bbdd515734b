"""Core work runs as operations on ONE background worker (Anki's ``taskman`` + ``operations``).

* :class:`TaskManager` owns a ``ThreadPoolExecutor(max_workers=1)``; a finished future travels back
  to the GUI thread through a Qt signal (a queued connection), so callbacks run on the GUI thread.
* :class:`QueryOp` reads, :class:`WriteOp` changes: its body returns the core's
  :class:`~evaluator.changes.Outcome`, whose ``changes`` (computed by the core) every screen then
  hears through ``ctx.changed``, and whose ``value`` goes to the success callback.
  :class:`JobOp` is a long job that gets the core's ``progress(fraction, msg)``
  callback and a :class:`~evaluator.jobs.CancelToken`; its progress dialog appears only when the
  job outlasts :data:`PROGRESS_DELAY_MS`, with a Cancel button.
* Op bodies receive the store and never touch widgets.  Failures go to the one error dialog
  (:func:`ui.errors.show_error`) unless the caller passes its own ``failure``.
* Every ``QTimer`` the app creates goes through :func:`make_timer`, so the tests can check that
  none is left running.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
import weakref
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressBar, QProgressDialog, QWidget
from shiboken6 import isValid

from .i18n import tr

log = logging.getLogger(__name__)

PROGRESS_DELAY_MS = 500
#: the interpreter's switch interval while the worker has work (CPython's default is 5 ms).  Each time
#: the GUI thread enters Python (a timer, a model's data(), a progress slot) while the worker runs
#: Python, it waits up to this long for the GIL; a screen's repaint enters Python hundreds of times.
#: 0.5 ms keeps those waits short (the GUI's p99 tick gap during exports 17-27 → 9-16 ms, measured)
#: at no measurable cost to the jobs (the worker's CPU time the same within noise).
WORKER_SWITCH_INTERVAL_S = 0.0005
#: the worker pushes progress at most this often (the GUI thread never drowns in signals)
PROGRESS_MIN_INTERVAL_S = 0.05

#: every timer created through make_timer (checked by the UI tests' leak fixture)
live_timers: weakref.WeakSet[QTimer] = weakref.WeakSet()


def _cancelled(exc: BaseException) -> bool:
    # the core's modules are imported on the worker after the window shows, not with this one
    from evaluator.errors import Cancelled

    return isinstance(exc, Cancelled)


def make_timer(parent: QObject, *, interval_ms: int = 0, single_shot: bool = True,
               timeout: Callable[[], None] | None = None) -> QTimer:
    t = QTimer(parent)
    t.setInterval(interval_ms)
    t.setSingleShot(single_shot)
    if timeout is not None:
        t.timeout.connect(timeout)
    live_timers.add(t)
    return t


_busy_workers = 0
_default_interval: float | None = None


def _short_switch_interval(delta: int) -> None:
    """Count the task managers whose worker has work; the first sets the short switch interval, the
    last one idle puts back what was there before (several windows each have their own manager)."""
    global _busy_workers, _default_interval
    _busy_workers += delta
    if delta > 0 and _busy_workers == 1:
        _default_interval = sys.getswitchinterval()
        sys.setswitchinterval(min(_default_interval, WORKER_SWITCH_INTERVAL_S))
    elif delta < 0 and _busy_workers == 0 and _default_interval is not None:
        sys.setswitchinterval(_default_interval)
        _default_interval = None


class SyncExecutor:
    """Runs each submitted function at once on the calling thread (deterministic UI tests)."""

    def submit(self, fn: Callable[[], Any]) -> Future:
        fut: Future = Future()
        try:
            fut.set_result(fn())
        except BaseException as exc:  # noqa: BLE001 - delivered to the failure callback
            fut.set_exception(exc)
        return fut

    def shutdown(self, wait: bool = True) -> None:
        return None


class TaskManager(QObject):
    """One background worker; results come back on the GUI thread."""

    _finished = Signal(object)
    _progressed = Signal(object)

    def __init__(self, executor: Any = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = executor or ThreadPoolExecutor(max_workers=1, thread_name_prefix="evaluator-worker")
        self._pending = 0
        self._closed = False
        self._finished.connect(self._on_finished)
        self._progressed.connect(self._on_progress)
        self._progress_sinks: dict[int, Callable[[float, str], None]] = {}

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def run(self, fn: Callable[[], Any], on_done: Callable[[Future], None]) -> None:
        if self._closed:  # the window is closing: nothing new starts
            log.debug("task refused: the task manager is shut down")
            return
        self._pending += 1
        self._switch_interval(busy=True)
        fut = self._executor.submit(fn)
        fut.add_done_callback(lambda f: self._deliver(on_done, f))

    _interval_held = False

    def _switch_interval(self, *, busy: bool) -> None:
        """A short GIL switch interval while a worker has work; the interpreter's own when idle."""
        if isinstance(self._executor, SyncExecutor) or busy == self._interval_held:
            return  # one thread has nothing to switch between; or nothing changes
        self._interval_held = busy
        _short_switch_interval(+1 if busy else -1)

    def _deliver(self, on_done, fut) -> None:
        if isValid(self):
            self._finished.emit((on_done, fut))

    def _on_finished(self, payload) -> None:
        on_done, fut = payload
        self._pending -= 1
        if self._pending == 0:
            self._switch_interval(busy=False)
        if self._closed:  # results that arrive after shutdown have no screen left to show them
            return
        on_done(fut)

    # progress travels worker -> GUI thread as a queued signal
    def progress_callback(self, job_id: int, sink: Callable[[float, str], None]) -> Callable[[float, str], None]:
        self._progress_sinks[job_id] = sink
        last = [0.0, -1.0]

        def progress(fraction: float, message: str = "") -> None:
            now = time.monotonic()
            if fraction < 1.0 and now - last[0] < PROGRESS_MIN_INTERVAL_S and abs(fraction - last[1]) < 0.05:
                return
            last[0], last[1] = now, fraction
            if isValid(self):
                self._progressed.emit((job_id, float(fraction), str(message)))

        return progress

    def _on_progress(self, payload) -> None:
        job_id, fraction, message = payload
        sink = self._progress_sinks.get(job_id)
        if sink is not None:
            sink(fraction, message)

    def forget_progress(self, job_id: int) -> None:
        self._progress_sinks.pop(job_id, None)

    def wait_idle(self, timeout: float = 30.0) -> None:
        """Block until queued work is done (used before closing a store or the app)."""
        done = threading.Event()
        if isinstance(self._executor, SyncExecutor):
            return
        self._executor.submit(done.set)
        done.wait(timeout)

    def shutdown(self) -> None:
        if not self._closed:
            self._closed = True
            self._executor.shutdown(wait=True)
            self._switch_interval(busy=False)


class _Op:
    """Common plumbing: run ``op(store)`` on the worker, deliver success/failure on the GUI thread."""

    def __init__(self, ctx, *, parent: QObject | None, op: Callable, success: Callable | None = None) -> None:
        self.ctx = ctx
        self.parent = parent
        self._op = op
        self._success = success
        self._failure: Callable[[BaseException], None] | None = None
        self._finally: Callable[[], None] | None = None

    def failure(self, fn: Callable[[BaseException], None]) -> _Op:
        self._failure = fn
        return self

    def finally_(self, fn: Callable[[], None]) -> _Op:
        self._finally = fn
        return self

    def _body(self) -> Callable[[], Any]:
        store = self.ctx.store
        return lambda: self._op(store)

    def run_in_background(self) -> _Op:
        self.ctx.tasks.run(self._body(), self._done)
        return self

    def _alive(self) -> bool:
        return self.parent is None or isValid(self.parent)

    def _done(self, fut: Future) -> None:
        try:
            exc = fut.exception()
            if not self._alive():
                if exc is not None and not _cancelled(exc):
                    log.error("operation failed after its window closed", exc_info=exc)
                return
            if exc is None:
                result = self._after_success(fut.result())
                if self._success is not None:
                    self._success(result)
            else:
                self._handle_failure(exc)
        finally:
            if self._finally is not None and self._alive():
                self._finally()

    def _after_success(self, result: Any) -> Any:
        """What the success callback receives."""
        return result

    def _handle_failure(self, exc: BaseException) -> None:
        if self._failure is not None:
            self._failure(exc)
        else:
            from .errors import show_error

            show_error(self.parent if isinstance(self.parent, QWidget) else None, exc)


class QueryOp(_Op):
    """A read: ``QueryOp(ctx, parent=w, op=lambda store: store.people.evaluators(), success=fill)``."""


class WriteOp(_Op):
    """A change: the body returns the core's ``Outcome``; after success every screen hears
    ``ctx.changed(kinds, initiator)`` with the kinds of records the core says changed, and the
    success callback gets the outcome's value."""

    def _after_success(self, result: Any) -> Any:
        from evaluator.changes import Outcome

        if not isinstance(result, Outcome):
            return result  # a job that only reads (an export, a PDF)
        if result.changes:
            self.ctx.changed.emit(result.changes.kinds, self.parent)
        return result.value


class JobOp(WriteOp):
    """A long job: ``op(store, progress, cancel)``; a progress dialog with Cancel after ~0.5 s."""

    _next_id = 0

    def __init__(self, ctx, *, parent, label: str, op, success=None) -> None:
        super().__init__(ctx, parent=parent, op=op, success=success)
        from evaluator.jobs import CancelToken

        self.label = label
        self.cancel_token = CancelToken()
        JobOp._next_id += 1
        self.job_id = JobOp._next_id
        self.dialog: QProgressDialog | None = None
        self._bar: QProgressBar | None = None
        self._fraction, self._message = 0.0, ""
        self._running = False
        self._timer: QTimer | None = None

    def _body(self):
        store = self.ctx.store
        progress = self.ctx.tasks.progress_callback(self.job_id, self._on_progress)
        token = self.cancel_token
        return lambda: self._op(store, progress, token)

    def run_in_background(self) -> JobOp:
        self._running = True
        owner = self.parent if self.parent is not None else self.ctx.tasks
        self._timer = make_timer(owner, interval_ms=PROGRESS_DELAY_MS, timeout=self._show_dialog)
        self._timer.start()
        self.ctx.active_jobs.add(self)
        super().run_in_background()
        return self

    def _show_dialog(self) -> None:
        if not self._running or not self._alive():
            return
        dlg = QProgressDialog(self.label, tr("Cancel"), 0, 1000, self.parent)
        dlg.setWindowTitle(self.label)
        dlg.setWindowModality(Qt.WindowModal)
        dlg.setMinimumDuration(0)
        dlg.setAutoClose(False)
        dlg.setAutoReset(False)
        # progress goes to the dialog's bar: QProgressDialog.setValue on a modal dialog runs a nested
        # event loop (processEvents), in which the job's end could arrive and close the dialog under
        # the caller's feet
        bar = QProgressBar(dlg)
        bar.setRange(0, 1000)
        dlg.setBar(bar)
        dlg.canceled.connect(self.cancel)
        if self._fraction <= 0 and not self._message:
            bar.setRange(0, 0)  # busy until the job reports progress
        bar.setValue(int(self._fraction * 1000))
        if self._message:
            dlg.setLabelText(f"{self.label}\n{self._message}")
        dlg.show()
        self.dialog = dlg
        self._bar = bar

    def cancel(self) -> None:
        self.cancel_token.cancel()
        if self.dialog is not None and isValid(self.dialog):
            self.dialog.setLabelText(tr("Cancelling…"))

    def _on_progress(self, fraction: float, message: str) -> None:
        self._fraction, self._message = fraction, message
        dlg, bar = self.dialog, self._bar
        if dlg is not None and isValid(dlg) and isValid(bar) and not self.cancel_token.cancelled:
            if bar.maximum() == 0:
                bar.setRange(0, 1000)
            bar.setValue(int(max(0.0, min(1.0, fraction)) * 1000))
            dlg.setLabelText(f"{self.label}\n{message}" if message else self.label)

    def _done(self, fut: Future) -> None:
        self._running = False
        self.ctx.active_jobs.discard(self)
        self.ctx.tasks.forget_progress(self.job_id)
        if self._timer is not None and isValid(self._timer):
            self._timer.stop()
            self._timer.deleteLater()
        if self.dialog is not None and isValid(self.dialog):
            self.dialog.close()
            self.dialog.deleteLater()
        self.dialog, self._bar = None, None
        super()._done(fut)

    def _handle_failure(self, exc: BaseException) -> None:
        if _cancelled(exc) and self._failure is None:
            self.ctx.status_message(str(exc))
            return
        super()._handle_failure(exc)
