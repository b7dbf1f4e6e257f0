"""The figures of a statistics report as a tree for the 统计 tab: the service's groups as top
rows, their figures beneath, and the columns 指标 | 单位 | one value column per unit shown (the
township alone, or at the district 合计 and each township).

A passive model: ``set_report(report, units)`` replaces everything; ``figure_key(index)`` and
``township_code(index)`` say what a double-clicked cell counts, for the drill-down.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ..domain.statistics import FigureDef, StatisticsReport, UnitFigures, Value

AnyIndex = QModelIndex | QPersistentModelIndex
GROUP_FILL = QColor("#f3ece6")
FIXED_COLUMNS = ("指标", "单位")


@dataclass(frozen=True)
class UnitColumn:
    """One value column: its heading, the figures it shows and the township it drills into."""

    title: str
    figures: UnitFigures
    township_code: str | None  # None: the whole unit (合计)


def value_text(value: Value) -> str:
    if value is None:
        return "—"
    if isinstance(value, int):
        return f"{value:,}"
    return format(value, ",f") if isinstance(value, Decimal) else str(value)


class FigureTreeModel(QAbstractItemModel):
    def __init__(self, parent=None) -> None:  # noqa: ANN001 - QObject
        super().__init__(parent)
        self.report: StatisticsReport | None = None
        self.groups: list[tuple[str, list[FigureDef]]] = []
        self.units: list[UnitColumn] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_report(self, report: StatisticsReport, units: Sequence[UnitColumn]) -> None:
        self.beginResetModel()
        self.report = report
        self.groups = report.groups()
        self.units = list(units)
        self.endResetModel()

    # -- what a cell stands for -----------------------------------------------------------------
    def figure(self, index: AnyIndex) -> FigureDef | None:
        if not index.isValid() or index.internalId() == 0:
            return None
        return self.groups[index.internalId() - 1][1][index.row()]

    def figure_key(self, index: AnyIndex) -> str | None:
        d = self.figure(index)
        return d.key if d else None

    def unit_column(self, index: AnyIndex) -> UnitColumn | None:
        """The value column of ``index`` (the first one for the label and unit columns)."""
        if not self.units:
            return None
        return self.units[max(index.column() - len(FIXED_COLUMNS), 0)]

    def township_code(self, index: AnyIndex) -> str | None:
        unit = self.unit_column(index)
        return unit.township_code if unit else None

    def index_of(self, key: str, column: int = len(FIXED_COLUMNS)) -> QModelIndex:
        for g, (_group, defs) in enumerate(self.groups):
            for r, d in enumerate(defs):
                if d.key == key:
                    return self.index(r, column, self.index(g, 0))
        return QModelIndex()

    # -- the Qt model interface -----------------------------------------------------------------
    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008 - Qt's overloads
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        if not parent.isValid():
            return len(self.groups)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self.groups[parent.row()][1])
        return 0

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return len(FIXED_COLUMNS) + len(self.units)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        d = self.figure(index)
        column = index.column()
        if d is None:  # a group row
            if role == Qt.ItemDataRole.DisplayRole and column == 0:
                return self.groups[index.row()][0]
            if role == Qt.ItemDataRole.FontRole:
                return self._bold
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(GROUP_FILL)
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return d.label
            if column == 1:
                return d.unit
            return value_text(self.units[column - len(FIXED_COLUMNS)].figures.values.get(d.key))
        if role == Qt.ItemDataRole.FontRole and column >= len(FIXED_COLUMNS) and len(self.units) > 1 \
                and self.units[column - len(FIXED_COLUMNS)].township_code is None:
            return self._bold  # 合计 beside the townships
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= len(FIXED_COLUMNS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = d.note or d.label
            if column >= len(FIXED_COLUMNS):
                unit = self.units[column - len(FIXED_COLUMNS)]
                tip = f"{unit.title}：{d.label} {value_text(unit.figures.values.get(d.key))} {d.unit}\n{tip}"
            return tip + "\n双击或按回车键列出明细"
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section < len(FIXED_COLUMNS):
            return FIXED_COLUMNS[section]
        if section - len(FIXED_COLUMNS) < len(self.units):
            return self.units[section - len(FIXED_COLUMNS)].title
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags | Qt.ItemFlag.ItemNeverHasChildren if index.internalId() else flags
