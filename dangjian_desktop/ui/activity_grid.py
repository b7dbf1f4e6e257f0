"""The branch × month grid of 组织生活: held against required per month, coloured so a missing
支委会 (or any other kind) shows at a glance; a last column gives each branch's 完成率, the
same as the 统计 tab's (the month still running is shown but counts only once it has ended)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from ..domain.enums import ACTIVITY_REQUIRED_PER_YEAR, ActivityKind
from ..services.activity_grid import MONTHS, CellState, GridCell, GridRow

AnyIndex = QModelIndex | QPersistentModelIndex
COLORS = {
    CellState.OK: QColor("#dff0d8"), CellState.MISSING: QColor("#f5c6cb"),
    CellState.EARLY: QColor("#dff0d8"), CellState.PENDING: QColor("#fff1c2"), CellState.FUTURE: QColor("#f0f0f0"),
}
STATE_WORDS = {CellState.OK: "已完成", CellState.MISSING: "未完成",
               CellState.EARLY: "本月进行中，要求的已开展（月末后计入完成率）",
               CellState.PENDING: "本月进行中，尚未开展完（月末后计入完成率）",
               CellState.NOT_DUE: "本月不作要求", CellState.FUTURE: "尚未到"}
RATE_TIP = "已结束的月份、季度中按时开展的项数 ÷ 应开展的项数，与“统计”页的三会一课完成率相同；本月进行中，月末后计入"


class ActivityGridModel(QAbstractTableModel):
    """Rows: branches; columns: 党组织, 1–12 月, 完成率."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[GridRow] = []
        self.all_kinds = True

    def set_rows(self, rows: list[GridRow], all_kinds: bool) -> None:
        self.beginResetModel()
        self.rows, self.all_kinds = rows, all_kinds
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(MONTHS) + 2

    def _cell_text(self, cell: GridCell) -> str:
        if cell.state is CellState.FUTURE:
            return ""
        if self.all_kinds:
            return f"{cell.met}/{cell.due}" if cell.due else ""
        return str(cell.held) if cell.held or cell.due else ""

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, col = self.rows[index.row()], index.column()
        if col == 0:
            return row.branch_name if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole) else None
        if col == len(MONTHS) + 1:
            if role == Qt.ItemDataRole.DisplayRole:
                rate = f"{row.rate}%" if row.rate is not None else "—"
                return f"{row.met}/{row.due}  {rate}"
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{row.branch_name}：完成 {row.met} 项，应完成 {row.due} 项\n{RATE_TIP}"
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        cell = row.cells[col - 1]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell_text(cell)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            color = COLORS.get(cell.state)
            return QBrush(color) if color is not None else None
        if role == Qt.ItemDataRole.ToolTipRole:
            text = f"{row.branch_name} {col} 月：{STATE_WORDS[cell.state]}，已开 {cell.held} 次"
            if cell.missing:
                verb = "缺" if cell.judged else "尚未开"
                text += f"\n{verb}：" + "、".join(k.value for k in cell.missing)
            return text
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return RATE_TIP if section == len(MONTHS) + 1 else None
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == 0:
            return "党组织"
        if 1 <= section <= len(MONTHS):
            return f"{section}月"
        if section == len(MONTHS) + 1:
            return "完成/应完成"
        return None


class ActivityGridView(QWidget):
    """The grid with its year and kind choosers; ``source(year, kind)`` reads the rows."""

    def __init__(self, source: Callable[[int, ActivityKind | None], list[GridRow]], this_year: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self.year = QComboBox()
        for y in range(this_year, this_year - 6, -1):
            self.year.addItem(f"{y} 年", y)
        self.kind = QComboBox()
        self.kind.addItem(self.tr("全部（三会一课和主题党日）"), None)
        for k in ActivityKind:
            per_year = ACTIVITY_REQUIRED_PER_YEAR[k]
            self.kind.addItem(f"{k.value}（每年 {per_year} 次）", k.value)
        self.kind.setCurrentIndex(self.kind.findData(ActivityKind.COMMITTEE_MEETING.value))
        legend = QLabel(self.tr("绿：已完成　红：未完成　黄：本月尚未完成　"
                                "季度要求的会议在季末月份判断；“全部”时格内为“已完成项/应完成项”；"
                                "本月进行中，月末后才计入“完成/应完成”（与“统计”页一致）"))
        legend.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("年度：")))
        top.addWidget(self.year)
        top.addWidget(QLabel(self.tr("类型：")))
        top.addWidget(self.kind)
        top.addStretch(1)
        self.model = ActivityGridModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(self.fontMetrics().horizontalAdvance("12月") + 20)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)  # the months share the width
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(MONTHS) + 1, QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(legend)
        self.year.currentIndexChanged.connect(lambda _i: self.reload())
        self.kind.currentIndexChanged.connect(lambda _i: self.reload())
        self.loaded = False

    def reload(self) -> None:
        data = self.kind.currentData()  # item data comes back as a plain string
        kind = ActivityKind(data) if data else None
        self.model.set_rows(self.source(int(self.year.currentData()), kind), kind is None)
        self.loaded = True

    def showEvent(self, event) -> None:  # noqa: ANN001, N802
        super().showEvent(event)
        if not self.loaded:
            self.reload()
