"""Operations on the background worker: results on the GUI thread, the progress dialog only for long
jobs, Cancel, the one error dialog with a log file, and the GUI kept responsive meanwhile."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QPushButton, QWidget

from evaluator.errors import Cancelled, DatabaseInUse, ValidationError, Problem
from ui.context import AppContext
from ui.errors import describe, log_file, show_error
from ui.settings import Settings
from ui.worker import TaskManager, make_timer


@pytest.fixture
def real_ctx(demo_store, qtbot):
    tasks = TaskManager()
    parent = QWidget()
    qtbot.addWidget(parent)
    ctx = AppContext(demo_store, tasks, Settings(), parent)
    yield ctx, parent
    tasks.shutdown()


def test_results_arrive_on_the_gui_thread(real_ctx, qtbot):
    ctx, parent = real_ctx
    seen = {}

    def op(st):
        seen["worker"] = threading.current_thread().name
        return st.info().applications

    done = []
    ctx.query(op, lambda n: done.append((n, threading.current_thread() is threading.main_thread())),
              parent=parent).run_in_background()
    qtbot.waitUntil(lambda: bool(done), timeout=10000)
    assert done == [(48, True)]
    assert seen["worker"].startswith("evaluator-worker")


def test_the_gil_changes_hands_often_while_the_worker_has_work_only(real_ctx, qtbot):
    """While a job runs, the GUI thread waits at most a short switch interval for the GIL each time it
    enters Python; when the worker is idle again the interpreter's own interval is back."""
    import sys

    from ui.worker import WORKER_SWITCH_INTERVAL_S

    ctx, parent = real_ctx
    before = sys.getswitchinterval()
    seen, done = [], []
    release = threading.Event()

    def op(st):
        seen.append(sys.getswitchinterval())
        release.wait(5)
        return 1

    ctx.query(op, done.append, parent=parent).run_in_background()
    ctx.query(lambda st: seen.append(sys.getswitchinterval()), done.append, parent=parent).run_in_background()
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert sys.getswitchinterval() == pytest.approx(min(before, WORKER_SWITCH_INTERVAL_S))
    release.set()
    qtbot.waitUntil(lambda: len(done) == 2, timeout=5000)
    assert seen == [pytest.approx(min(before, WORKER_SWITCH_INTERVAL_S))] * 2
    assert sys.getswitchinterval() == pytest.approx(before)


def test_long_job_shows_progress_after_a_moment_and_cancel_stops_it(real_ctx, qtbot, dialogs):
    ctx, parent = real_ctx
    parent.show()
    release = threading.Event()
    steps = []

    def job(st, progress, cancel):
        for i in range(2_000):
            cancel.raise_if_cancelled()
            progress(i / 2_000, f"step {i}")
            steps.append(i)
            release.wait(0.005)
        return "finished"

    ticks = []
    heartbeat = make_timer(parent, interval_ms=10, single_shot=False, timeout=lambda: ticks.append(1))
    heartbeat.start()
    op = ctx.job("Long job", job, lambda r: steps.append(r), parent=parent)
    op.run_in_background()
    assert op.dialog is None  # not at once
    qtbot.waitUntil(lambda: op.dialog is not None and op.dialog.isVisible(), timeout=10000)
    qtbot.waitUntil(lambda: op.dialog is not None and op.dialog.value() > 0, timeout=10000)
    assert ticks  # the GUI thread kept running its timers while the job ran
    cancel_button = op.dialog.findChild(QPushButton)
    assert cancel_button is not None
    cancel_button.click()  # the Cancel button
    qtbot.waitUntil(lambda: op not in ctx.active_jobs, timeout=10000)
    heartbeat.stop()
    assert "finished" not in steps
    assert op.dialog is None
    assert not dialogs.errors  # a cancelled job is not an error


def test_progress_arriving_just_before_the_end_of_a_job_is_shown_without_a_nested_event_loop(real_ctx, qtbot,
                                                                                               dialogs):
    """The job's last progress and its end can wait in the GUI thread's queue together; showing that
    progress must not run the event loop (a modal QProgressDialog.setValue does), or the end arrives
    inside it and closes the dialog the progress was being written to."""
    ctx, parent = real_ctx
    parent.show()
    first, last = threading.Event(), threading.Event()

    def job(st, progress, cancel):
        first.wait(10)
        progress(0.3, "a third")
        last.wait(10)
        progress(0.6, "more")
        return "done"

    out = []
    op = ctx.job("Job", job, out.append, parent=parent)
    op.run_in_background()
    qtbot.waitUntil(lambda: op.dialog is not None and op.dialog.isVisible(), timeout=10000)
    first.set()
    qtbot.waitUntil(lambda: op.dialog is not None and op.dialog.value() == 300, timeout=10000)
    last.set()
    ctx.tasks.wait_idle()  # the last progress and the end are both queued for the GUI thread now
    qtbot.waitUntil(lambda: out == ["done"], timeout=10000)
    assert op.dialog is None and not dialogs.errors


def test_short_job_never_shows_a_dialog(real_ctx, qtbot):
    ctx, parent = real_ctx
    out = []
    op = ctx.job("Short job", lambda st, progress, cancel: st.info().evaluators, out.append, parent=parent)
    op.run_in_background()
    qtbot.waitUntil(lambda: bool(out), timeout=10000)
    assert out == [5] and op.dialog is None


def test_failures_go_to_the_error_dialog_and_the_log(real_ctx, qtbot, dialogs):
    ctx, parent = real_ctx
    dialogs.expect_error()

    def boom(st):
        raise ZeroDivisionError("bug")

    ctx.query(boom, parent=parent).run_in_background()
    qtbot.waitUntil(lambda: bool(dialogs.errors), timeout=10000)
    assert "log" in dialogs.errors[0].lower() or "로그" in dialogs.errors[0]
    assert "ZeroDivisionError" in log_file().read_text(encoding="utf-8")
    # a domain error: its sentence plus what to do; located problems in the details
    ctx.write(lambda st: st.people.assign("2012-A-001", "NOPE"), parent=parent).run_in_background()
    qtbot.waitUntil(lambda: len(dialogs.errors) == 2, timeout=10000)
    assert "NOPE" in dialogs.errors[1]


def test_error_descriptions_say_what_to_do():
    what, todo, details = describe(DatabaseInUse("The database x is in use by another program."))
    # the Korean UI: a Korean headline, then the core's own sentence naming the file
    assert what.splitlines()[0] == "다른 프로그램이 데이터베이스를 사용하고 있습니다."
    assert what.splitlines()[1].startswith("The database x") and todo
    what, todo, details = describe(ValidationError("2 problems.", [Problem(message="bad amount", sheet="a", row=3)]))
    assert details == "시트 'a' 3행\n  bad amount"
    what, todo, details = describe(Cancelled("Cancelled; nothing was written."))
    assert todo


def test_show_error_uses_one_dialog(dialogs, qtbot):
    dialogs.expect_error()
    show_error(None, DatabaseInUse("The database x is in use."))
    assert dialogs.shown[-1][0] == "errorDialog"
