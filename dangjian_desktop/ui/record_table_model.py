"""The one table model behind every record table: columns from ``exchange/columns.py``, rows
fetched on demand from ``services/query.py``.

The model holds the current ``RowSet`` (rowids in display order, found block by block by
SQLite) and a bounded cache of pages of ``Listed`` records; a page is read from the database
the first time a view asks for one of its cells, so only what is on screen is ever loaded.
Sorting and filtering go back to SQL. A row's colour and tooltip come from an optional
``styler`` (overdue requests in red, 预备党员 due for 转正 highlighted), computed once per page.
A view asks ``data`` about eight roles per visible cell on every paint, so ``data`` answers the
roles it does not serve at once and keeps each cell's text once made.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Signal
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel

from ..domain import records as R
from ..exchange.columns import Column, Kind
from ..services.query import Listed, QueryService, RecordFilter, RowSet, SortKey
from . import qt_ints as Q
from .formatting import NUMERIC_KINDS, cell_text

if TYPE_CHECKING:
    from PySide6.QtCore import Qt

RECORD_ROLE = Q.USER_ROLE + 1  # the row's Listed
AnyIndex = QModelIndex | QPersistentModelIndex
_DISPLAY, _TOOLTIP, _FOREGROUND, _BACKGROUND, _ALIGNMENT = (
    Q.DISPLAY_ROLE, Q.TOOLTIP_ROLE, Q.FOREGROUND_ROLE, Q.BACKGROUND_ROLE, Q.ALIGNMENT_ROLE)
_ROLES = frozenset({_DISPLAY, _TOOLTIP, _FOREGROUND, _BACKGROUND, _ALIGNMENT, RECORD_ROLE})
_LEFT, _RIGHT = Q.ALIGN_LEFT_VCENTER, Q.ALIGN_RIGHT_VCENTER


class RowStyle(NamedTuple):  # a named tuple: a dataclass costs the start ~1 ms to make
    foreground: QColor | None = None
    background: QColor | None = None
    tooltip: str = ""


Styler = Callable[[Listed], RowStyle | None]


class RecordTableModel(QAbstractTableModel):
    PAGE = 50  # about two screens of rows per query
    MAX_PAGES = 80  # 4,000 rows at most in memory, whatever the size of the table
    RECENT = 6  # row sets kept for going back (clearing the search box is then instant)

    loaded = Signal(int)  # the row count after a (re)load
    fetch_failed = Signal(object)  # the exception, once per (re)load: cells stay empty meanwhile

    def __init__(self, query: QueryService, kind: type[R.Record], columns: Sequence[Column],
                 styler: Styler | None = None, parent=None) -> None:  # noqa: ANN001 - QObject
        super().__init__(parent)
        self.query, self.kind, self.styler = query, kind, styler
        self.columns = list(columns)
        self.filter = RecordFilter()
        self.sort_key: SortKey | None = None
        self.reveal_ids = False
        self._rows: RowSet | None = None
        self._pages: OrderedDict[int, list[tuple[Listed, RowStyle | None]]] = OrderedDict()
        self._recent: OrderedDict[tuple, RowSet] = OrderedDict()
        self._failed = False
        self._texts: dict[int, dict[int, str]] = {}  # page -> offset * columns + column -> the cell's text
        self._alignments = [_RIGHT if c.kind in NUMERIC_KINDS else _LEFT for c in self.columns]

    # -- loading -------------------------------------------------------------------------------
    def load(self) -> None:
        """Read the rows again: the data changed (a save, an import, 刷新)."""
        self._recent.clear()
        self._show(self._row_set(None))

    def _row_set(self, total: int | None) -> RowSet:
        key = (self.filter.search, tuple(sorted(self.filter.values.items())), self.sort_key)
        rows = self._recent.get(key)
        if rows is None:
            rows = self._recent[key] = self.query.rows(self.kind, self.filter, self.sort_key, total)
            while len(self._recent) > self.RECENT:
                self._recent.popitem(last=False)
        self._recent.move_to_end(key)
        return rows

    def _show(self, rows: RowSet) -> None:
        self.beginResetModel()
        self._rows = rows
        self._failed = False
        self._pages.clear()
        self._texts.clear()
        self.endResetModel()
        self.loaded.emit(len(rows))

    @property
    def is_loaded(self) -> bool:
        return self._rows is not None

    def set_filter(self, flt: RecordFilter) -> None:
        if flt != self.filter or self._rows is None:
            self.filter = flt
            self._show(self._row_set(None))

    def sort(self, column: int, order: Qt.SortOrder | None = None) -> None:
        from PySide6.QtCore import Qt  # called once the first rows are shown: see qt_ints

        if not 0 <= column < len(self.columns):
            return
        self.sort_by(self.columns[column].field, order == Qt.SortOrder.DescendingOrder)

    def sort_by(self, field: str | None, descending: bool = False) -> None:
        """Sort by the column showing ``field`` (none: the table's own order); before the first
        load this only says how the first rows will be ordered."""
        key = SortKey(field, descending) if field in (c.field for c in self.columns) else None
        if key != self.sort_key:
            total = len(self._rows) if self._rows is not None else None
            self.sort_key = key
            if self._rows is not None:
                self._show(self._row_set(total))  # a new order never changes the count

    def set_reveal_ids(self, reveal: bool) -> None:
        self.reveal_ids = reveal
        self._texts.clear()
        ids = [i for i, c in enumerate(self.columns) if c.kind is Kind.ID_NUMBER]
        if ids and self.rowCount():
            self.dataChanged.emit(self.index(0, min(ids)), self.index(self.rowCount() - 1, max(ids)),
                                  [_DISPLAY])

    # -- rows ----------------------------------------------------------------------------------
    def _page(self, n: int) -> list[tuple[Listed, RowStyle | None]]:
        page = self._pages.get(n)
        if page is not None:
            self._pages.move_to_end(n)
            return page
        assert self._rows is not None
        try:
            keys = self._rows.keys(n * self.PAGE, (n + 1) * self.PAGE)
            fetched = self.query.fetch(self.kind, keys)
        except Exception as exc:  # noqa: BLE001 - reported once; painting must not raise per cell
            self._pages[n] = []
            if not self._failed:
                self._failed = True
                self.fetch_failed.emit(exc)
            return []
        page = []
        for key in keys:
            listed = fetched.get(key)
            if listed is not None:  # deleted by another window since the key list was read
                page.append((listed, self.styler(listed) if self.styler else None))
        self._pages[n] = page
        while len(self._pages) > self.MAX_PAGES:
            dropped, _ = self._pages.popitem(last=False)
            self._texts.pop(dropped, None)
        return page

    def _entry(self, row: int) -> tuple[Listed, RowStyle | None] | None:
        if self._rows is None or not 0 <= row < len(self._rows):
            return None
        n, offset = divmod(row, self.PAGE)
        page = self._page(n)
        return page[offset] if offset < len(page) else None

    def listed(self, row: int) -> Listed | None:
        entry = self._entry(row)
        return entry[0] if entry else None

    def record(self, row: int) -> R.Record | None:
        listed = self.listed(row)
        return listed.record if listed else None

    def row_of(self, uuid: str) -> int | None:
        """The row showing the record ``uuid`` under the current filter and sort, if any."""
        if self._rows is None:
            return None
        key = self.query.key_of(self.kind, uuid)
        return None if key is None else self._rows.index_of(key)

    @property
    def cached_rows(self) -> int:
        return sum(len(p) for p in self._pages.values())

    # -- the Qt model interface ----------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() or self._rows is None else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: AnyIndex, role: int = _DISPLAY) -> object:
        if role not in _ROLES or not index.isValid():
            return None
        row, col = index.row(), index.column()
        if role == _ALIGNMENT:
            return self._alignments[col]
        if role == _DISPLAY:
            n, offset = divmod(row, self.PAGE)
            texts = self._texts.get(n)
            text = None if texts is None else texts.get(offset * len(self.columns) + col)
            if text is None:
                return self._text(row, col)
            self._pages.move_to_end(n)
            return text
        entry = self._entry(row)
        if entry is None:
            return None
        listed, style = entry
        if role == RECORD_ROLE:
            return listed
        if role == _TOOLTIP:
            text = self._text(row, col) or ""
            tip = style.tooltip if style else ""
            return "\n".join(t for t in (text if len(text) > 12 else "", tip) if t) or None
        if style is None:
            return None
        color = style.foreground if role == _FOREGROUND else style.background
        return QBrush(color) if color is not None else None

    def _text(self, row: int, col: int) -> str | None:
        entry = self._entry(row)
        if entry is None:
            return None
        column = self.columns[col]
        text = cell_text(column.kind, entry[0].value(column.field), reveal_ids=self.reveal_ids)
        n, offset = divmod(row, self.PAGE)
        if n in self._pages:  # kept as long as its page
            self._texts.setdefault(n, {})[offset * len(self.columns) + col] = text
        return text

    # No ``headerData`` or ``flags`` in Python: QAbstractTableModel's own ``flags`` are the ones
    # wanted (enabled, selectable, no children), and the view's horizontal header reads its
    # labels from ``header_labels()`` — a Python ``headerData`` would make PySide build the
    # whole ``Qt`` namespace to hand it the orientation, on the first paint (see qt_ints).

    def header_labels(self) -> QStandardItemModel:
        """A model holding only the column headers (text and tooltip), for the horizontal header
        of a view of this model (``view.horizontalHeader().setModel(...)``)."""
        labels = QStandardItemModel(0, len(self.columns), self)
        for i, column in enumerate(self.columns):
            item = QStandardItem(column.header)
            item.setToolTip(column.header)
            labels.setHorizontalHeaderItem(i, item)
        return labels
