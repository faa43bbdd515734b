"""Main window (minimal until the desktop-app issue lands): the applications of the open database."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QMainWindow, QTableView


class ApplicationsModel(QAbstractTableModel):
    """A table over an ordered list of application IDs; rows are fetched from the core."""

    COLUMNS = ("id", "track", "category", "title", "group_name", "district", "requested_amount")
    HEADERS = ("접수번호", "사업유형", "분야", "사업명", "단체명", "자치구", "신청금액")

    def __init__(self, store, parent=None) -> None:
        super().__init__(parent)
        self._store = store
        self._ids = store.application_ids()
        self._rows = {r.id: r for r in store.application_rows(self._ids)}

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or role != Qt.DisplayRole:
            return None
        row = self._rows[self._ids[index.row()]]
        value = getattr(row, self.COLUMNS[index.column()])
        if self.COLUMNS[index.column()] == "requested_amount" and value is not None:
            return f"{value:,}"
        return "" if value is None else str(value)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return self.HEADERS[section]
        return None


class MainWindow(QMainWindow):
    def __init__(self, store) -> None:
        super().__init__()
        self.store = store
        program = store.program() if store.has_program() else None
        self.setWindowTitle(f"Maeul Evaluator — {program.name_ko}" if program else "Maeul Evaluator")
        self.table = QTableView(self)
        self.model = ApplicationsModel(store, self)
        self.table.setModel(self.model)
        self.setCentralWidget(self.table)
        self.resize(1100, 700)
