"""The 统计 tab's table of figures: a tree of groups and figures whose columns fill its pane.

The unit and value columns are as wide as their texts (measured here: resizeColumnToContents
asks the model for every cell of every column, 0.2 s for a district's 22 columns); the label
column (指标) takes the rest of the pane whenever the pane is resized, so no blank strip is left
right of the last column and no value column is cut off at its edge. Only when the labels would
get narrower than ``MIN_LABEL_CHARS`` characters (a district's many townships in a narrow pane)
do they keep their natural width and the tree scrolls sideways instead. The values, right-aligned,
keep a few pixels from the column's right edge, so the last one does not touch the scroll bar.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtWidgets import (
    QAbstractItemView, QHeaderView, QStyledItemDelegate, QStyleOptionViewItem, QTreeView, QWidget,
)

from .stats_model import FIXED_COLUMNS, FigureTreeModel, value_text

LABEL_CHARS = 16  # the label column's natural width, in CJK characters
MIN_LABEL_CHARS = 10  # narrower than this, the labels keep their natural width and the tree scrolls
VALUE_PADDING = 18  # room beside a value's text (the cell's margins, and air before the next column)
VALUE_INSET = 6  # between a right-aligned value and its column's right edge


class _InsetValues(QStyledItemDelegate):
    """Draws a value cell's text (and selection) ``VALUE_INSET`` pixels in from its right edge."""

    def initStyleOption(self, option: QStyleOptionViewItem,  # noqa: N802
                        index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        if index.column() >= len(FIXED_COLUMNS) and index.internalId():  # a figure's value, not a group row
            option.rect = option.rect.adjusted(0, 0, -VALUE_INSET, 0)


class FigureTree(QTreeView):
    def __init__(self, model: FigureTreeModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figures = model
        self.setModel(model)
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setItemDelegate(_InsetValues(self))
        header = self.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        char = self.fontMetrics().horizontalAdvance("中")
        self.label_width = max(char * LABEL_CHARS, 220)
        self.min_label_width = char * MIN_LABEL_CHARS

    def fit_columns(self) -> None:
        """Fit the columns to the figures now in the model, then the labels to the pane."""
        fm, bold = self.fontMetrics(), QFont(self.font())
        bold.setBold(True)
        bold_fm = QFontMetrics(bold)
        self.setColumnWidth(1, fm.horizontalAdvance(self.tr("单位")) + 16)
        units = self.figures.units
        keys = [d.key for d in self.figures.report.visible] if self.figures.report else []
        for i, unit in enumerate(units):
            metrics = bold_fm if unit.township_code is None and len(units) > 1 else fm
            texts = {value_text(unit.figures.values.get(k)) for k in keys}
            width = max([metrics.horizontalAdvance(t) for t in texts] + [fm.horizontalAdvance(unit.title)])
            self.setColumnWidth(i + len(FIXED_COLUMNS), max(width + VALUE_PADDING + VALUE_INSET, 64))
        self.fill_pane()

    def fill_pane(self) -> None:
        """Give the label column what the other columns leave of the pane (see the module doc)."""
        others = sum(self.columnWidth(c) for c in range(1, self.figures.columnCount()))
        room = self.viewport().width() - others
        width = room if room >= self.min_label_width else self.label_width
        if width != self.columnWidth(0):
            self.setColumnWidth(0, width)

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802
        # the viewport, not the tree: a vertical scroll bar that comes or goes changes its width
        if event.type() == QEvent.Type.Resize:
            self.fill_pane()
        return super().viewportEvent(event)
