"""Child processes for the GUI benchmarks (``python -m benchmarks.gui_probe KIND ARGS…``, offscreen).

Each prints JSON lines on stdout: ``{"event": "shown"}`` the moment the main window has been shown
and the event loop has turned once (the parent times process spawn → this line), then one final
JSON line with the figures.

The app side runs the real entry point, :func:`ui.app.main`, with ``--db URL``: the probe only
creates the ``QApplication`` first (``main`` reuses an existing one) and installs an event filter
that notices the first ``QMainWindow`` shown.  So the app needs no hook for the benchmarks; if it
grows one (``EVALUATOR_EXIT_AFTER_SHOW=1``, see docs/performance.md) the parent can use either.

Kinds:

* ``start-app URL LINGER_S`` / ``start-bare LINGER_S`` — start to shown; then "ready" (app: the
  applications table shows its first rows); after ``LINGER_S`` more seconds, the process's peak RSS
  (VmHWM) — the GUI-memory figure.
* ``table-app URL`` / ``table-bare URL`` — sort and filter the applications table (5 actions), each
  timed from the user's action to the first rows on screen.
* ``stall-app XLSX URL`` / ``stall-bare XLSX`` — a 5 ms heartbeat ``QTimer`` on the GUI thread
  while an intake import runs (app: through the Import screen, preview then import; bare: an
  openpyxl read-only pass of the same file on a plain Python thread); the longest gap.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

T_START = time.perf_counter()
TIMEOUT_S = float(os.environ.get("BENCH_GUI_TIMEOUT", "300"))
#: the heartbeat reads every task's scheduler statistics at each tick (a diagnostic run, not a figure)
GAP_DETAIL = os.environ.get("BENCH_GAP_DETAIL") == "1"
#: innermost frames kept of each thread's stack in a sampled stall
STACK_DEPTH = int(os.environ.get("BENCH_STACK_DEPTH", "14"))


def emit(doc: dict) -> None:
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def status_kb(key: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def peak_mb() -> float:
    hwm = status_kb("VmHWM")
    if hwm is None:
        import resource

        hwm = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return hwm / 1024


PROFILER = None
_PROFILING = [False]


def profile_begin() -> None:
    """Start profiling the GUI thread here (table and stall probes profile only the measured phase)."""
    if PROFILER is not None and not _PROFILING[0]:
        _PROFILING[0] = True
        PROFILER.enable()


def finish(doc: dict) -> None:
    """Print the final line and leave at once (teardown is not what we measure)."""
    doc.setdefault("peak_mb", peak_mb())
    if MESSAGE_BOXES:
        doc["message_boxes"] = MESSAGE_BOXES
    if PROFILER is not None:
        import io
        import pstats

        PROFILER.disable()
        out = io.StringIO()
        stats = pstats.Stats(PROFILER, stream=out)
        stats.sort_stats("cumulative").print_stats(40)
        out.write("\n--- by own time ---\n")
        stats.sort_stats("tottime").print_stats(25)
        Path(os.environ["BENCH_PROFILE"]).write_text(out.getvalue())
    emit(doc)
    os._exit(0)


def fail(message: str) -> None:
    emit({"error": message})
    os._exit(3)


def timed_out() -> None:
    """Say where everything was (threads, open dialogs) before giving up."""
    import faulthandler

    faulthandler.dump_traceback(file=sys.stderr, all_threads=True)
    try:
        _core, widgets = qt()
        for w in widgets.QApplication.topLevelWidgets():
            if w.isVisible():
                text = w.text() if hasattr(w, "text") and callable(w.text) else ""
                print(f"visible window: {type(w).__name__} {w.objectName()!r} {w.windowTitle()!r} {text!r}",
                      file=sys.stderr)
    except Exception as exc:  # noqa: BLE001 - diagnostics only
        print(f"(could not list windows: {exc})", file=sys.stderr)
    sys.stderr.flush()
    fail(f"timed out after {TIMEOUT_S:.0f} s")


# --- plumbing -------------------------------------------------------------------------------------
def qt():
    from PySide6 import QtCore, QtWidgets

    return QtCore, QtWidgets


def app_instance():
    _core, widgets = qt()
    return widgets.QApplication.instance() or widgets.QApplication(sys.argv[:1])


class ShowWatcher:
    """Calls ``on_shown(window)`` once, on the event-loop turn after the first QMainWindow is shown.

    The application-wide event filter removes itself at that moment: left in place, every Qt event
    of the process (thousands while a screen is built) would go through this Python method, and with
    the app's worker thread running Python each of them waits for the GIL — the probe's cost, not the
    app's, counted in the stall and table figures."""

    def __init__(self, app, on_shown) -> None:
        core, widgets = qt()

        class Filter(core.QObject):
            def eventFilter(inner, obj, ev):  # noqa: N802, N805
                if (ev.type() == core.QEvent.Type.Show and isinstance(obj, widgets.QMainWindow)
                        and not self.window):
                    self.window = obj
                    app.removeEventFilter(inner)
                    core.QTimer.singleShot(0, lambda: on_shown(obj))
                return False

        self.window = None
        self.filter = Filter()
        app.installEventFilter(self.filter)


def run_app(url: str, on_shown) -> None:
    """Run the real desktop app on ``url``; ``on_shown(window)`` drives it from the event loop."""
    core, _widgets = qt()
    app = app_instance()
    watcher = ShowWatcher(app, on_shown)  # noqa: F841 - kept alive for the run
    core.QTimer.singleShot(int(TIMEOUT_S * 1000), timed_out)
    from ui.app import main

    code = main(["--db", url])
    fail(f"the app returned {code} before the probe finished")


def wait_until(predicate, timeout_s: float = TIMEOUT_S, step_ms: int = 5) -> bool:
    """Spin a nested event loop until ``predicate()`` (the GUI keeps running meanwhile)."""
    core, _w = qt()
    deadline = time.perf_counter() + timeout_s
    loop = core.QEventLoop()
    timer = core.QTimer()
    timer.setInterval(step_ms)

    def check():
        dismiss_message_boxes()
        if predicate() or time.perf_counter() > deadline:
            loop.quit()

    timer.timeout.connect(check)
    timer.start()
    if not predicate():
        loop.exec()
    timer.stop()
    return predicate()


#: message boxes the app showed during the run (recorded, then dismissed so the run goes on)
MESSAGE_BOXES: list[str] = []


def dismiss_message_boxes() -> None:
    _core, widgets = qt()
    for w in widgets.QApplication.topLevelWidgets():
        if isinstance(w, widgets.QMessageBox) and w.isVisible():
            MESSAGE_BOXES.append(f"{w.windowTitle()}: {w.text()}")
            w.done(0)


def linger(seconds: float) -> None:
    end = time.perf_counter() + seconds
    wait_until(lambda: time.perf_counter() >= end, timeout_s=seconds + 1, step_ms=20)


def applications_table(window):
    _core, widgets = qt()
    return window.findChild(widgets.QTableView, "applicationsTable")


def table_has_rows(window) -> bool:
    view = applications_table(window)
    if view is None or view.model() is None or view.model().rowCount() == 0:
        return False
    model = view.model()
    rec = getattr(model, "row_record", None)
    return rec(0) is not None if callable(rec) else True


# --- start and memory -----------------------------------------------------------------------------
def start_app(url: str, linger_s: str) -> None:
    def on_shown(win):
        shown = time.perf_counter() - T_START
        emit({"event": "shown", "in_process_s": shown})
        ready_ok = wait_until(lambda: table_has_rows(win), timeout_s=120)
        ready = time.perf_counter() - T_START
        emit({"event": "ready" if ready_ok else "not_ready", "in_process_s": ready})
        linger(float(linger_s))
        finish({"shown_in_process_s": shown, "ready_in_process_s": ready if ready_ok else None,
                "rss_mb": (status_kb("VmRSS") or 0) / 1024})

    run_app(url, on_shown)


def start_bare(linger_s: str) -> None:
    _core, widgets = qt()
    app = app_instance()

    def on_shown(_win):
        shown = time.perf_counter() - T_START
        emit({"event": "shown", "in_process_s": shown})
        emit({"event": "ready", "in_process_s": shown})
        linger(float(linger_s))
        finish({"shown_in_process_s": shown, "ready_in_process_s": shown, "rss_mb": (status_kb("VmRSS") or 0) / 1024})

    _watch = ShowWatcher(app, on_shown)  # noqa: F841
    win = widgets.QMainWindow()
    win.setWindowTitle("bare")
    win.resize(1280, 820)
    win.show()
    app.exec()


# --- sort and filter ------------------------------------------------------------------------------
ACTIONS = (("sort", "title", False), ("sort", "title", True), ("sort", "requested_amount", True),
           ("filter", "햇살", None), ("filter", "", None))


def table_app(url: str) -> None:
    core, widgets = qt()

    def on_shown(win):
        if not wait_until(lambda: table_has_rows(win), timeout_s=120):
            fail("the applications table never showed rows")
        view = applications_table(win)
        model = view.model()
        search = win.findChild(widgets.QLineEdit, "applicationsSearch")
        keys = [getattr(c, "key", None) for c in getattr(model, "columns", [])]
        state = {"reset": False, "rows": False}
        model.modelReset.connect(lambda: state.update(reset=True, rows=False))
        if hasattr(model, "rowsFetched"):
            model.rowsFetched.connect(lambda: state.update(rows=state["reset"]))
        header = view.horizontalHeader()
        timings = []
        profile_begin()
        for kind, arg, desc in ACTIONS:
            state.update(reset=False, rows=False)
            t0 = time.perf_counter()
            clicks = 0
            if kind == "sort":
                if arg not in keys:
                    fail(f"the applications model has no column '{arg}' (columns {keys})")
                section = keys.index(arg)
                # the screen toggles the order when the same header is clicked again
                header.sectionClicked.emit(section)
                clicks += 1
                if not wait_until(lambda: state["rows"]):
                    fail(f"no rows after sorting by {arg}")
                current_desc = header.sortIndicatorOrder() == core.Qt.SortOrder.DescendingOrder
                if current_desc != desc:
                    state.update(reset=False, rows=False)
                    header.sectionClicked.emit(section)
                    clicks += 1
                    if not wait_until(lambda: state["rows"]):
                        fail(f"no rows after sorting by {arg} again")
            else:
                if search is None:
                    fail("no search field named applicationsSearch")
                search.setText(arg)
                if not wait_until(lambda: state["rows"]):
                    fail(f"no rows after filtering by {arg!r}")
            core.QCoreApplication.processEvents()
            timings.append({"action": f"{kind} {arg}{' desc' if desc else ''}".strip(),
                            "s": time.perf_counter() - t0, "rows": model.rowCount(), "clicks": clicks})
        finish({"actions": timings, "total_s": sum(t["s"] for t in timings)})

    run_app(url, on_shown)


def _bare_rows(url: str) -> list[tuple]:
    import sqlite3

    path = url.removeprefix("sqlite:///")
    con = sqlite3.connect(path)
    try:
        return con.execute(
            "SELECT a.external_id, t.code, a.category, a.title, a.group_name, a.district, a.requested_amount, "
            "a.submitted_on, a.status FROM application a JOIN track t ON t.id = a.track_id ORDER BY a.external_id"
        ).fetchall()
    finally:
        con.close()


def table_bare(url: str) -> None:
    core, widgets = qt()
    app = app_instance()
    all_rows = _bare_rows(url)
    columns = ("id", "track", "category", "title", "group_name", "district", "requested_amount", "submitted_on",
               "status")

    class Model(core.QAbstractTableModel):
        def __init__(self) -> None:
            super().__init__()
            self.rows = list(all_rows)

        def rowCount(self, parent=core.QModelIndex()):  # noqa: N802
            return 0 if parent.isValid() else len(self.rows)

        def columnCount(self, parent=core.QModelIndex()):  # noqa: N802
            return 0 if parent.isValid() else len(columns)

        def data(self, index, role=core.Qt.ItemDataRole.DisplayRole):
            if role == core.Qt.ItemDataRole.DisplayRole and index.isValid():
                v = self.rows[index.row()][index.column()]
                return "" if v is None else str(v)
            return None

        def sort_by(self, col: int, desc: bool) -> None:
            self.layoutAboutToBeChanged.emit()
            self.rows.sort(key=lambda r: (r[col] is None, r[col] if r[col] is not None else 0), reverse=desc)
            self.layoutChanged.emit()

        def filter(self, needle: str) -> None:
            self.beginResetModel()
            self.rows = [r for r in all_rows if not needle or any(needle in str(r[i] or "") for i in (0, 3, 4, 5))]
            self.endResetModel()

    def on_shown(_win):
        timings = []
        for kind, arg, desc in ACTIONS:
            t0 = time.perf_counter()
            if kind == "sort":
                model.sort_by(columns.index(arg), bool(desc))
            else:
                model.filter(arg)
            core.QCoreApplication.processEvents()
            timings.append({"action": f"{kind} {arg}{' desc' if desc else ''}".strip(),
                            "s": time.perf_counter() - t0, "rows": model.rowCount()})
        finish({"actions": timings, "total_s": sum(t["s"] for t in timings)})

    _watch = ShowWatcher(app, on_shown)  # noqa: F841
    win = widgets.QMainWindow()
    model = Model()
    view = widgets.QTableView(win)
    view.setModel(model)
    win.setCentralWidget(view)
    win.resize(1280, 820)
    win.show()
    app.exec()


# --- GUI-thread stall during an import ------------------------------------------------------------
class Heartbeat:
    """A 5 ms timer on the GUI thread; a watchdog thread samples every thread's stack while a tick is
    more than 50 ms late, so the report says what the GUI thread was doing during its longest stalls.

    Each gap over half that is kept with the CPU time every thread used in it (``long_gaps``): the
    GUI thread's own work, a GIL hold by the worker, or neither (the machine); ``BENCH_GAP_DETAIL=1``
    adds each task's run-queue wait from /proc (a diagnostic run: it reads /proc at every tick)."""

    def __init__(self, interval_ms: int = 5, sample_after_s: float | None = None) -> None:
        import threading

        if sample_after_s is None:  # a diagnostic run may sample shorter stalls too
            sample_after_s = float(os.environ.get("BENCH_SAMPLE_AFTER_MS", "50")) / 1000

        core, _w = qt()
        self.interval_ms = interval_ms
        self.sample_after_s = sample_after_s
        self.gaps: list[float] = []
        self.last = None
        self.t0 = None
        self.stalls: list[dict] = []
        self._current: dict | None = None
        self._stop = threading.Event()
        self._gui_thread = threading.get_ident()
        self.timer = core.QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.setTimerType(core.Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self.tick)
        self.marks: dict[str, float] = {}
        #: every gap over half the sampling threshold: when, how long, CPU ms per thread during it
        self.long_gaps: list[dict] = []

    def start(self) -> None:
        import threading

        self.t0 = self.last = time.perf_counter()
        self._cpu = self._cpu_at_start = self._cpu_now()
        self.timer.start()
        threading.Thread(target=self._watch, name="stall-watchdog", daemon=True).start()

    def mark(self, name: str) -> None:
        self.marks[name] = time.perf_counter() - self.t0

    def _watch(self) -> None:
        import traceback

        while not self._stop.wait(0.01):
            last = self.last
            late = time.perf_counter() - last
            if late > self.sample_after_s and (self._current is None or self._current["last"] != last):
                frames = sys._current_frames()
                stacks = {}
                for ident, frame in frames.items():
                    if ident == threading_ident():
                        continue
                    who = "gui" if ident == self._gui_thread else f"thread-{ident}"
                    stacks[who] = [ln.strip().replace("\n", " ") for ln in traceback.format_stack(frame, limit=STACK_DEPTH)]
                self._current = {"last": last, "at_s": last - self.t0, "late_when_sampled_ms": 1000 * late,
                                 "stacks": stacks}
                self.stalls.append(self._current)

    def tick(self) -> None:
        now = time.perf_counter()
        gap = now - self.last
        self.gaps.append(gap)
        if self._current is not None and self._current["last"] == self.last:
            self._current["gap_ms"] = 1000 * gap
        if gap > self.sample_after_s / 2:
            self._note_gap(now, gap)
        self.last = now
        self._cpu = self._cpu_now()

    # --- diagnostics: each long gap's CPU time per thread (what the GUI thread did, or waited on) ----
    _cpu: dict | None = None

    def _cpu_now(self) -> dict:
        """CPU seconds so far of the GUI thread and of every other live Python thread (by name); with
        ``BENCH_GAP_DETAIL=1`` every task of the process from /proc (native threads too) and the
        seconds each waited runnable for a CPU (``wait:`` — the machine's load, not the app)."""
        import threading

        out = {"gui": time.thread_time()}
        names = {}
        for th in threading.enumerate():
            if th.ident is None or th.ident == self._gui_thread:
                continue
            names[th.native_id] = th.name
            if not GAP_DETAIL:
                try:
                    out[th.name] = time.clock_gettime(time.pthread_getcpuclockid(th.ident))
                except (OSError, AttributeError, ProcessLookupError):
                    pass
        if GAP_DETAIL:
            gui_tid = threading.get_native_id()
            for task in os.listdir("/proc/self/task"):
                try:
                    run_ns, wait_ns, _slices = Path(f"/proc/self/task/{task}/schedstat").read_text().split()
                except (OSError, ValueError):
                    continue
                tid = int(task)
                name = "gui" if tid == gui_tid else names.get(tid) or self._comm(tid)
                out[f"run:{name}"] = out.get(f"run:{name}", 0.0) + int(run_ns) / 1e9
                out[f"wait:{name}"] = out.get(f"wait:{name}", 0.0) + int(wait_ns) / 1e9
        return out

    _comms: dict = {}

    def _comm(self, tid: int) -> str:
        if tid not in self._comms:
            try:
                self._comms[tid] = f"{Path(f'/proc/self/task/{tid}/comm').read_text().strip()}-{tid}"
            except OSError:
                self._comms[tid] = str(tid)
        return self._comms[tid]

    def _note_gap(self, now: float, gap: float) -> None:
        before = self._cpu or {}
        after = self._cpu_now()
        cpu = {k: round(1000 * (v - before[k]), 1) for k, v in after.items()
               if k in before and v - before[k] >= 0.0005}
        self.long_gaps.append({"at_s": round(self.last - self.t0, 4), "gap_ms": round(1000 * gap, 1),
                               "cpu_ms": cpu})

    def stop(self) -> dict:
        self._stop.set()
        self.timer.stop()
        start, end = self._cpu_at_start, self._cpu_now()
        thread_cpu = {k: round(v - start[k], 4) for k, v in end.items() if k in start and not k.startswith("wait:")}
        gaps = sorted(self.gaps)
        if not gaps:
            return {"max_gap_ms": None, "ticks": 0}
        worst = sorted((st for st in self.stalls if "gap_ms" in st), key=lambda st: -st["gap_ms"])[:3]
        for st in worst:
            st.pop("last", None)
        return {
            "max_gap_ms": 1000 * gaps[-1],
            "p99_gap_ms": 1000 * gaps[min(len(gaps) - 1, int(0.99 * len(gaps)))],
            "gaps_over_50ms": sum(1 for g in gaps if g > 0.05),
            "gaps_over_100ms": sum(1 for g in gaps if g > 0.1),
            "ticks": len(gaps),
            "interval_ms": self.interval_ms,
            "marks_s": self.marks,
            "worst_stalls": worst,
            "long_gaps": sorted(self.long_gaps, key=lambda g: -g["gap_ms"])[:8],
            # CPU seconds of each thread from the click to the end (the job's own cost, whatever the load)
            "thread_cpu_s": thread_cpu,
        }


def threading_ident() -> int:
    import threading

    return threading.get_ident()


def stall_app(xlsx: str, url: str) -> None:
    _core, widgets = qt()

    def on_shown(win):
        if not wait_until(lambda: bool(getattr(win, "screens", None)), timeout_s=120):
            fail("the main window never built its screens")
        linger(0.3)
        screen = win.screens.get("import") if isinstance(win.screens, dict) else None
        beat = Heartbeat()
        beat.start()
        profile_begin()
        t0 = time.perf_counter()
        path = "import screen (preview, then import)"
        if screen is not None and hasattr(screen, "load") and hasattr(screen, "commit"):
            if hasattr(win, "show_screen"):
                win.show_screen("import")
            screen.load(Path(xlsx))
            if not wait_until(lambda: getattr(screen, "preview", None) is not None):
                fail("the import preview never arrived")
            beat.mark("preview shown")
            if not screen.preview.ok:
                fail(f"the preview found problems: {screen.preview.problems[:3]}")
            t_preview = time.perf_counter() - t0
            screen.commit()
            if not wait_until(lambda: getattr(screen, "report", None) is not None):
                fail("the import never finished")
            beat.mark("import report shown")
        else:
            path = "ctx.job(import_applications) (no import screen found)"
            done = {}
            win.ctx.job("import", lambda st, progress, cancel: st.excel.import_applications(
                xlsx, progress=progress, cancel=cancel), lambda r: done.update(r=r), parent=win,
                changes={"applications"}).run_in_background()
            t_preview = None
            if not wait_until(lambda: "r" in done):
                fail("the import never finished")
        t_job = time.perf_counter() - t0
        linger(1.0)  # the screens reload after the import: part of what the user waits through
        beat.mark("end")
        finish({**beat.stop(), "job_s": t_job, "preview_s": t_preview, "path": path})

    run_app(url, on_shown)


def stall_bare(xlsx: str) -> None:
    import threading

    _core, widgets = qt()
    app = app_instance()

    def on_shown(_win):
        from .bench_intake import bare_read

        beat = Heartbeat()
        beat.start()
        t0 = time.perf_counter()
        th = threading.Thread(target=bare_read, args=(xlsx,))
        th.start()
        wait_until(lambda: not th.is_alive())
        t_job = time.perf_counter() - t0
        linger(1.0)
        finish({**beat.stop(), "job_s": t_job, "path": "openpyxl read-only pass on a Python thread"})

    _watch = ShowWatcher(app, on_shown)  # noqa: F841
    win = widgets.QMainWindow()
    win.resize(1280, 820)
    win.show()
    app.exec()


# --- GUI-thread stalls during exports, PDF generation and a merge --------------------------------
def _output(win, key: str):
    """The Outputs screen's button for ``key``, the way a user produces it (the save dialog answered
    with a temporary path, the folder not opened); returns the path written."""
    import tempfile

    from ui import dialogs
    from ui.screens.outputs import outputs

    screen = win.show_screen("outputs")
    screen.open_folder.setChecked(False)
    o = next(o for o in outputs() if o.key == key)
    out = Path(tempfile.mkdtemp(prefix="bench-job-")) / f"{o.stem}.{o.kind}"
    saved = dialogs.save_file
    dialogs.save_file = lambda *a, **k: out
    try:
        screen.produce(o)
    finally:
        dialogs.save_file = saved
    return out


def _filled_sheets(win, ids: list[str]):
    """Filled score sheets of the first ``n_apps`` applications on the worker, as the Outputs screen
    runs its PDF jobs (its button prints a whole track; the PDF benchmark's size is this one)."""
    import tempfile

    out = Path(tempfile.mkdtemp(prefix="bench-job-")) / "score-sheets.pdf"
    win.ctx.job("sheets", lambda st, progress, cancel: st.reports.filled_sheets(
        out, application_ids=ids, progress=progress, cancel=cancel), parent=win).run_in_background()
    return out


def _merge(win, packages: list[str]):
    """The Kits screen's merge of the packages (dropped or chosen; the office key already unlocked)."""
    screen = win.show_screen("kits")
    screen.merge([Path(p) for p in packages])
    return None


def jobs_app(url: str, spec: str) -> None:
    """Run each job of ``spec`` (JSON: a list of {"job": export_ranking | export_scores |
    report_summary | sheets | merge, ...}) with its own heartbeat, one after the other."""

    jobs = json.loads(Path(spec).read_text())

    def on_shown(win):
        if not wait_until(lambda: bool(getattr(win, "screens", None)), timeout_s=120):
            fail("the main window never built its screens")
        linger(0.5)
        results = []
        for job in jobs:
            name = job["job"]
            if name == "sheets":  # prepared before the heartbeat starts: the probe's work, not the app's
                ids = win.store.applications.ids()[:job["applications"]]
            elif name == "merge":
                info = win.store.keys.unlock(job["passphrase"], key_dir=job["key_dir"])
                win.ctx.key_unlocked, win.ctx.key_info = True, info
            linger(0.3)
            beat = Heartbeat()
            beat.start()
            profile_begin()
            t0 = time.perf_counter()
            if name == "sheets":
                out = _filled_sheets(win, ids)
            elif name == "merge":
                out = _merge(win, job["packages"])
            else:
                out = _output(win, name)
            if not wait_until(lambda: win.ctx.active_jobs, timeout_s=10):
                fail(f"{name}: the job never started ({MESSAGE_BOXES[-1:]})")
            if not wait_until(lambda: not win.ctx.active_jobs):
                fail(f"{name}: the job never finished")
            t_job = time.perf_counter() - t0
            linger(1.0)  # the screens reload after a merge: part of what the user waits through
            beat.mark("end")
            if out is not None and not (out.exists() and out.stat().st_size > 0):
                fail(f"{name}: nothing written ({MESSAGE_BOXES[-1:]})")
            if name == "merge":
                merged = [r.status for r in getattr(win.screens["kits"], "last_reports", [])]
                if merged.count("merged") != len(job["packages"]):
                    fail(f"merge: {len(job['packages'])} packages, statuses {sorted(set(merged))} ({MESSAGE_BOXES[-1:]})")
            results.append({"job": name, **beat.stop(), "job_s": t_job})
        worst = max(results, key=lambda r: r["max_gap_ms"] or 0)
        finish({"max_gap_ms": worst["max_gap_ms"], "worst_job": worst["job"], "jobs": results})

    run_app(url, on_shown)


KINDS = {"start-app": start_app, "start-bare": start_bare, "table-app": table_app, "table-bare": table_bare,
         "stall-app": stall_app, "stall-bare": stall_bare, "jobs-app": jobs_app}


if __name__ == "__main__":
    kind, *args = sys.argv[1:]
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        PROFILER = cProfile.Profile()  # the GUI thread only: what stalls it is what we want to see
        if kind == "start-app":
            profile_begin()
    KINDS[kind](*args)
