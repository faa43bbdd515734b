"""The applications table at work: a sort or a search brings the IDs and the rows on screen in one
trip to the worker, the selected application stays selected, a search typed faster than the worker
answers runs only the newest query, and a change to the applications shows at once."""

from __future__ import annotations

from concurrent.futures import Future

from ui.context import APPLICATIONS
from ui.models import ApplicationsModel
from ui.worker import TaskManager

from .conftest import flush_events


class Recorder:
    """Counts the store's calls the table makes."""

    def __init__(self, store, monkeypatch) -> None:
        self.calls: list[tuple[str, object]] = []
        for name in ("ids", "rows"):
            real = getattr(store.applications, name)

            def wrapped(*a, _name=name, _real=real, **k):
                self.calls.append((_name, a[0] if a else k))
                return _real(*a, **k)

            monkeypatch.setattr(store.applications, name, wrapped)

    def count(self, name: str) -> int:
        return sum(1 for n, _ in self.calls if n == name)


class LaterExecutor:
    """Holds submitted work until :meth:`run` (a worker busy with something else); runs at once
    after :meth:`release` (so closing the window does not wait)."""

    def __init__(self) -> None:
        self.queue: list[tuple] = []
        self.released = False

    def submit(self, fn) -> Future:
        fut: Future = Future()
        self.queue.append((fn, fut))
        if self.released:
            self.run()
        return fut

    def run(self) -> None:
        while self.queue:
            fn, fut = self.queue.pop(0)
            try:
                fut.set_result(fn())
            except BaseException as exc:  # noqa: BLE001 - delivered to the failure callback
                fut.set_exception(exc)

    def release(self) -> None:
        self.released = True
        self.run()

    def shutdown(self, wait: bool = True) -> None:
        self.release()


def test_a_sort_brings_the_rows_on_screen_with_the_ids_and_keeps_the_selection(demo_store, make_window, qapp,
                                                                              monkeypatch):
    monkeypatch.setattr(ApplicationsModel, "PAGE", 5)
    w = make_window(demo_store)
    screen = w.show_screen("applications")
    monkeypatch.setattr(screen, "_visible_rows", lambda: 3)
    flush_events(qapp)
    screen.table.selectRow(7)
    chosen = screen.model.ids[7]
    ids = demo_store.applications.ids(sort="title")
    calls = Recorder(demo_store, monkeypatch)
    title = next(i for i, c in enumerate(screen.model.columns) if c.key == "title")
    screen.table.horizontalHeader().sectionClicked.emit(title)
    assert screen.model.ids == ids
    pos = ids.index(chosen)
    # the selected application is still selected, at its new place
    assert screen.table.currentIndex().row() == pos and screen._current == chosen
    # the rows around it came with the IDs: one query for each, nothing fetched afterwards for them
    assert calls.count("ids") == 1 and calls.count("rows") == 1
    for row in range(max(0, pos - 3), min(len(ids), pos + 4)):
        rec = screen.model.row_record(row)
        assert rec is not None and rec.id == ids[row]
        assert screen.model.data(screen.model.index(row, title)) == rec.title
    # a search that leaves the selected application out selects the first row, shown at once
    screen.search.setText("zzz-no-such-application")
    assert screen.model.ids == [] and screen.count.text()
    screen.search.setText("마을")
    ids = demo_store.applications.ids(sort="title", search="마을")
    assert screen.model.ids == ids and screen.table.currentIndex().row() == 0
    assert screen.model.row_record(0).id == ids[0]
    flush_events(qapp)  # the detail is read once the table is drawn
    assert ids[0] in screen.detail.toPlainText()


def test_a_search_typed_faster_than_the_worker_answers_runs_only_the_newest_query(demo_store, make_window, qapp,
                                                                                 monkeypatch):
    later = LaterExecutor()
    w = make_window(demo_store, tasks=TaskManager(later))
    later.run()  # the window's first reads: the screens are built
    screen = w.show_screen("applications")
    later.run()
    flush_events(qapp)
    assert screen.model.rowCount() == 48
    calls = Recorder(demo_store, monkeypatch)
    for text in ("마", "마을", "마을 "):  # three keystrokes while the worker is busy
        screen.search.setText(text)
    assert calls.calls == []
    later.run()
    assert calls.count("ids") == 1
    assert calls.calls[0][1] == {"sort": "id", "descending": False, "search": "마을"}
    assert screen.model.ids == demo_store.applications.ids(search="마을")
    flush_events(qapp)
    later.release()


def test_a_change_to_the_applications_shows_in_the_table_at_once(demo_store, make_window, qapp):
    w = make_window(demo_store)
    screen = w.show_screen("applications")
    flush_events(qapp)
    amount = next(i for i, c in enumerate(screen.model.columns) if c.key == "requested_amount")
    screen.table.horizontalHeader().sectionClicked.emit(amount)
    screen.table.horizontalHeader().sectionClicked.emit(amount)  # descending
    top = screen.model.row_record(0)
    values = {"id": "2012-A-999", "track": "activity", "title": "새로 들어온 사업", "group_name": "새 모임",
              "district": "종로구", "requested_amount": top.requested_amount + 1}
    w.ctx.write(lambda st: st.applications.put(values), parent=screen).run_in_background()
    assert screen.model.ids[0] == "2012-A-999" and len(screen.model.ids) == 49
    assert screen.model.row_record(0).title == "새로 들어온 사업"
    assert screen.model.data(screen.model.index(0, amount)) == f"{top.requested_amount + 1:,}"
