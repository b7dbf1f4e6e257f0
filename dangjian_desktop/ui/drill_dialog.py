"""The records behind one statistics figure: a dialog with their count and a paged table.

``DrillTableModel`` knows only the number of rows and a ``fetch(offset, limit)`` callable (the
service's ``drill_rows``); it reads a page of 100 rows the first time a view asks for one of
its cells and keeps the last few hundred, so a figure of 40,000 members opens at once.
Values look as in the record tabs (``formatting.cell_text``; 身份证号 masked).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget,
)

from ..domain import records as R
from ..exchange.columns import SHEET_OF, Column
from .formatting import NUMERIC_KINDS, cell_text
from .screen_fit import resize_within_screen

if TYPE_CHECKING:  # the statistics load SQLAlchemy: not at the window's start
    from ..services.statistics import DrillDown

AnyIndex = QModelIndex | QPersistentModelIndex
Fetch = Callable[[int, int], list[tuple[Any, ...]]]


class DrillTableModel(QAbstractTableModel):
    PAGE = 100
    MAX_PAGES = 40

    def __init__(self, columns: Sequence[Column], count: int, fetch: Fetch, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.columns, self.count, self.fetch = list(columns), count, fetch
        self._pages: OrderedDict[int, list[tuple[Any, ...]]] = OrderedDict()

    def row(self, row: int) -> tuple[Any, ...] | None:
        if not 0 <= row < self.count:
            return None
        n, offset = divmod(row, self.PAGE)
        page = self._pages.get(n)
        if page is None:
            page = self._pages[n] = self.fetch(n * self.PAGE, self.PAGE)
            while len(self._pages) > self.MAX_PAGES:
                self._pages.popitem(last=False)
        self._pages.move_to_end(n)
        return page[offset] if offset < len(page) else None  # a record deleted since the count

    @property
    def cached_rows(self) -> int:
        return sum(len(p) for p in self._pages.values())

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self.count

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if column.kind in NUMERIC_KINDS else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        values = self.row(index.row())
        if values is None:
            return None
        text = cell_text(column.kind, values[index.column()])
        return text if role == Qt.ItemDataRole.DisplayRole or len(text) > 12 else None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section].header if 0 <= section < len(self.columns) else None
        return str(section + 1)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


def _record_word(record_type: type[R.Record]) -> str:
    return SHEET_OF[record_type].name


class DrillDialog(QDialog):
    """Lists the records counted by one figure (one township's, or all of them)."""

    def __init__(self, drill: DrillDown, columns: Sequence[Column], fetch: Fetch,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.drill = drill
        self.setWindowTitle(self.tr("统计明细") + " — " + drill.title)
        self.model = DrillTableModel(columns, len(drill), fetch, self)
        heading = QLabel(f"<b>{drill.title}</b>　共 {len(drill):,} 条{_record_word(drill.record_type)}记录"
                         + ("" if len(drill) else "（这个数字是 0，没有可列出的记录）"))
        heading.setWordWrap(True)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        char = self.table.fontMetrics().horizontalAdvance("中")
        for i, column in enumerate(columns):
            header.resizeSection(i, max(column.width * char * 6 // 10, char * 3) + 12)
        header.setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        resize_within_screen(self, min(1100, 120 + sum(header.sectionSize(i) for i in range(len(columns)))), 560)
