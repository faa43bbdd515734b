"""Every table model passes pytest-qt's model tester; the applications model pages lazily and sorts
and filters through the core."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from ui.context import AppContext
from ui.models import ApplicationsModel, Column, RecordModel
from ui.settings import Settings

from .conftest import flush_events


def ctx_for(store, tasks):
    ctx = AppContext(store, tasks, Settings())
    ctx.program = store.programs.get()
    return ctx


def test_applications_model_pages_lazily_and_passes_the_model_tester(demo_store, sync_tasks, qtmodeltester, qapp):
    ctx = ctx_for(demo_store, sync_tasks)
    model = ApplicationsModel(ctx)
    model.PAGE = 10
    ids = demo_store.applications.ids()
    model.set_ids(ids)
    # only the first page was fetched
    assert model.row_record(0) is not None and model.row_record(9) is not None
    assert model.row_record(10) is None
    assert model.data(model.index(15, 0)) == ids[15]  # the ID is known before the row arrives
    assert model.data(model.index(15, 3)) == "…"
    flush_events(qapp)  # the page asked for by data() is fetched on the next turn of the event loop
    assert model.row_record(15) is not None
    assert model.data(model.index(15, 3)) == model.row_record(15).title
    qtmodeltester.check(model)
    for row in range(model.rowCount()):
        model.data(model.index(row, 1))
    flush_events(qapp)
    assert model.is_loaded()
    qtmodeltester.check(model)
    # sorting asks the core (the model emits the request; it never sorts rows itself)
    asked = []
    model.sortRequested.connect(lambda key, desc: asked.append((key, desc)))
    model.sort(3, Qt.DescendingOrder)
    assert asked == [("title", True)]
    model.sort(9, Qt.AscendingOrder)  # the evaluations column is not sortable in the core
    assert asked == [("title", True)]
    model.refresh_rows()
    flush_events(qapp)
    qtmodeltester.check(model)


def test_record_model_passes_the_model_tester_and_sorts(demo_store, qtmodeltester):
    model = RecordModel([
        Column("code", "Code", lambda e: e.code),
        Column("assigned", "Assigned", lambda e: e.assigned),
        Column("key", "Key", lambda e: e.key_fingerprint),
    ])
    model.set_rows(demo_store.people.evaluators())
    qtmodeltester.check(model)
    model.sort(1, Qt.DescendingOrder)
    values = [model.record(i).assigned for i in range(model.rowCount())]
    assert values == sorted(values, reverse=True)
    model.sort(2, Qt.AscendingOrder)  # None values sort last, no TypeError
    qtmodeltester.check(model)
    model.set_rows([])
    qtmodeltester.check(model)


def test_screen_models_pass_the_model_tester(demo_store, make_window, qtmodeltester):
    w = make_window(demo_store)
    for key in ("applications", "assignments", "progress", "kits", "ranking"):
        screen = w.show_screen(key)
        models = screen.findChildren(RecordModel) + screen.findChildren(ApplicationsModel)
        assert models
        for model in models:
            qtmodeltester.check(model)
    ranking = w.screens["ranking"]
    assert ranking.model.rowCount() == 24 and ranking.evaluator_model.rowCount() > 0


def test_today_model_passes_the_model_tester(field_store, make_window, qtmodeltester):
    Settings().set("identity_evaluator", "EV01")
    w = make_window(field_store)
    model = w.screens["today"].model
    assert model.rowCount() > 0
    qtmodeltester.check(model)


def test_applications_screen_filters_and_sorts_in_the_core(demo_store, make_window, qtbot):
    w = make_window(demo_store)
    screen = w.screens["applications"]
    assert screen.model.rowCount() == 48
    screen.track.setCurrentIndex(screen.track.findData("space"))
    assert screen.model.ids == demo_store.applications.ids(track="space")
    screen.district.setCurrentIndex(screen.district.findData(demo_store.applications.get("2012-S-001").district))
    assert screen.model.ids == demo_store.applications.ids(track="space",
                                                          district=demo_store.applications.get("2012-S-001").district)
    screen.track.setCurrentIndex(0)
    screen.district.setCurrentIndex(0)
    screen.evaluator.setCurrentIndex(screen.evaluator.findData("EV02"))
    assert screen.model.ids == demo_store.applications.ids(evaluator="EV02")
    screen.evaluator.setCurrentIndex(0)
    screen.search.setText("마을")
    assert screen.model.ids == demo_store.applications.ids(search="마을")
    screen.search.clear()
    # clicking a header sorts through the core; a second click reverses
    col = next(i for i, c in enumerate(screen.model.columns) if c.key == "requested_amount")
    screen.table.horizontalHeader().sectionClicked.emit(col)
    assert screen.model.ids == demo_store.applications.ids(sort="requested_amount")
    screen.table.horizontalHeader().sectionClicked.emit(col)
    assert screen.model.ids == demo_store.applications.ids(sort="requested_amount", descending=True)
    # the detail pane follows the selection
    screen.table.selectRow(3)
    app = demo_store.applications.get(screen.model.ids[3])
    assert app.title in screen.detail.toPlainText()
    assert screen.assignments.rowCount() == len(demo_store.people.assignments(application_id=app.id))


def test_all_roles_of_a_cell_in_one_call_agree_with_data(demo_store, make_window, qapp):
    """``multiData`` (one call per cell for the delegate) gives what ``data`` gives role by role, and
    the table is drawn exactly as it is from ``data`` alone."""
    from PySide6.QtCore import QAbstractItemModel, QModelRoleData, QModelRoleDataSpan

    w = make_window(demo_store)
    screen = w.show_screen("applications")
    flush_events(qapp)
    roles = [int(r) for r in (Qt.DisplayRole, Qt.DecorationRole, Qt.ToolTipRole, Qt.FontRole, Qt.TextAlignmentRole,
                              Qt.BackgroundRole, Qt.ForegroundRole, Qt.CheckStateRole, Qt.UserRole)]
    ranking = w.show_screen("ranking")
    flush_events(qapp)
    for model in (screen.model, ranking.model):
        assert model.rowCount() > 0
        for row in range(min(model.rowCount(), 30)):
            for col in range(model.columnCount()):
                index = model.index(row, col)
                for role in roles:
                    slot = QModelRoleData(role)
                    model.multiData(index, QModelRoleDataSpan(slot))
                    assert slot.data() == model.data(index, role), (row, col, role)
    # drawn the same way as through Qt's own multiData (one data() call per role), on the same rows
    class RoleByRole(type(screen.model)):
        def multiData(self, index, span):  # noqa: N802
            QAbstractItemModel.multiData(self, index, span)

    ids = screen.model.ids
    pages = {p: [screen.model.row_record(r) for r in range(p * 200, min(len(ids), (p + 1) * 200))]
             for p in range(len(ids) // 200 + 1)}
    images = []
    for cls in (type(screen.model), RoleByRole):
        model = cls(screen.ctx)
        model.set_ids(ids, pages)
        view = QTableView()
        view.setFocusPolicy(Qt.NoFocus)  # no focus frame on either
        view.setModel(model)
        view.resize(900, 500)
        view.show()
        flush_events(qapp)
        images.append(view.viewport().grab().toImage())
        view.close()
    assert images[0] == images[1]
