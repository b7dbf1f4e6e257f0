"""The table of a record tab: how it is set up (selection, row height, the header's labels and
first widths, the default order) and how its layout is remembered in the window's settings
(widths, column order, the sort) between runs.

The first screen runs this module, so it does not touch PySide's ``Qt`` namespace (see qt_ints).
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from .record_table_model import RecordTableModel


def make_record_table(model: RecordTableModel, default_sort: str | None, descending: bool) -> QTableView:
    """A read-only, row-selecting table over ``model``, its columns as wide as their header or
    their spec's width, its rows in the default order (the header's indicator comes later)."""
    table = QTableView()
    table.setModel(model)
    table.horizontalHeader().setModel(model.header_labels())  # no Python headerData
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    table.verticalHeader().hide()
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionsMovable(True)
    header.setStretchLastSection(True)
    metrics = table.fontMetrics()
    for i, column in enumerate(model.columns):
        width = max(metrics.horizontalAdvance(column.header) + 34, column.width * metrics.horizontalAdvance("0") + 14)
        header.resizeSection(i, width)
    if default_sort in [c.field for c in model.columns]:
        model.sort_by(default_sort, descending)
    return table


class TableMemory:
    """A table's layout under ``key`` in the settings: the header's state, the fields it was
    saved for (a state saved for other columns is not applied) and the sort as plain text
    (``field`` or ``-field``: the header's own would have to be read as a Qt enum)."""

    def __init__(self, settings: QSettings, key: str) -> None:
        self.settings = settings
        self.key = key

    def restore(self, table: QTableView, model: RecordTableModel) -> bool:
        """Apply what was saved for these columns; whether the header's sort indicator came
        with it. Without a saved sort, the rows are read again once sorting is switched on."""
        fields = ",".join(c.field for c in model.columns)
        state = self.settings.value(f"{self.key}/header")
        if self.settings.value(f"{self.key}/fields") != fields or not isinstance(state, QByteArray):
            return False
        table.horizontalHeader().restoreState(state)  # widths, order and sort indicator
        sort = self.settings.value(f"{self.key}/sort")
        if isinstance(sort, str):
            model.sort_by(sort.removeprefix("-") or None, sort.startswith("-"))
        return True

    def save(self, table: QTableView, model: RecordTableModel) -> None:
        self.settings.setValue(f"{self.key}/header", table.horizontalHeader().saveState())
        self.settings.setValue(f"{self.key}/fields", ",".join(c.field for c in model.columns))
        sort = model.sort_key
        text = "" if sort is None else ("-" if sort.descending else "") + sort.field
        self.settings.setValue(f"{self.key}/sort", text)
