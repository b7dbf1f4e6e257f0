"""The common machinery of a record tab: the quick-search box, the filter drop-downs, a tool
bar and the paged table (its setup and remembered layout: ``record_table_view``; the add/edit/
delete dialogs: ``record_editing``). Each tab module only says what differs (its fields,
filters, row colours and extra actions).

Keys: Ctrl+N new and Ctrl+F search come from the window's menu; Enter or a double click edits
the current row; Delete (in the table) asks before deleting — the table handles those two, so
they stay free in text fields (the 编辑 menu only shows them). Column widths, order and sort
are kept in the window's settings. A tab loads its first page only when it is first shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QLabel, QLineEdit, QTableView,
    QToolBar, QVBoxLayout, QWidget,
)

from ..domain import records as R
from ..exchange.columns import SHEET_OF
from ..services.query import Listed, RecordFilter
from ..services.query_types import TOWNSHIP_COLUMN, Choice
from . import qt_ints as Q
from .context import UiContext
from .form_fields import FormField
from .record_editing import RecordEditing
from .record_table_model import RecordTableModel, RowStyle
from .record_table_view import TableMemory, make_record_table


if TYPE_CHECKING:
    from .empty_hint import EmptyHint


# The closed width of a filter whose choices come from the data, in Latin letters (a Chinese
# character takes two): a branch's 第一支部 or a village's （乡镇） should still show.
CLOSED_WIDTH = {"branches": 18, "villages": 12}  # characters of a closed filter (the name is elided in the middle)
SEARCH_MIN_WIDTH = 180  # px: the window must fit a 1024-pixel screen; wider windows show the whole hint


class RecordTab(RecordEditing, QWidget):
    kind: ClassVar[type[R.Record]]
    title: ClassVar[str]
    unit_word: ClassVar[str] = "条"
    search_hint: ClassVar[str] = "姓名、拼音首字母或身份证号"
    form_fields: ClassVar[tuple[FormField, ...]] = ()
    shown_filters: ClassVar[tuple[str, ...]] = ()
    filter_labels: ClassVar[dict[str, Sequence[Choice]]] = {}  # own wording for a filter's choices
    required_filters: ClassVar[frozenset[str]] = frozenset()  # no “全部” choice
    can_delete: ClassVar[bool] = True
    empty_text: ClassVar[str] = ("还没有记录。点“新增”（Ctrl+N）逐条录入，"
                                 "或用“数据交换 → 导入已有名册”导入现有的 Excel/WPS 台账。")

    status_changed = Signal(str)
    records_changed = Signal()
    first_painted = Signal()  # once, just after the table first painted what it loaded (rows or none)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.spec = ctx.query.layout(self.kind)  # what the table shows (no SQL: the window starts fast)
        self.sheet = SHEET_OF[self.kind]
        fields = list(self.spec.table_fields)
        if ctx.read_only:
            fields.insert(1, TOWNSHIP_COLUMN.field)
        self.model = RecordTableModel(ctx.query, self.kind, ctx.query.columns(self.kind, fields), self.style_row, self)
        self.model.loaded.connect(self._on_loaded)
        self.model.fetch_failed.connect(lambda exc: self.ctx.show_error(self, exc, self.tr("读取数据出错")))
        self._choice_cache: dict[str, list[Choice]] = {}
        self._state_restored = False
        self._empty_hint: EmptyHint | None = None
        self._sort_remembered = False  # the header's sort indicator came from the settings

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("搜索") + self.tr(self.search_hint) + "（Ctrl+F）")
        self.search.setToolTip(self.tr("搜索") + self.tr(self.search_hint) + self.tr("；可输入拼音首字母，如 zs 找到“张三”"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(SEARCH_MIN_WIDTH)
        self.search.setMaximumWidth(
            max(SEARCH_MIN_WIDTH, self.search.fontMetrics().horizontalAdvance(self.search.placeholderText()) + 40))
        self._search_timer = QTimer(self, singleShot=True, interval=120)  # a pause between keystrokes
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_filter)

        self.filters: dict[str, QComboBox] = {}
        top = QHBoxLayout()
        top.addWidget(self.search, 1)  # grows up to its whole hint, sharing the room with the stretch
        names = list(self.shown_filters) + (["township"] if ctx.read_only else [])
        for spec in self.spec.filters:
            if spec.name in names:
                top.addWidget(self._filter_combo(spec.name, spec.label))
        top.addStretch(1)

        self.toolbar = QToolBar()
        self.toolbar.setProperty("toolButtonStyle", Q.TOOL_BUTTON_TEXT_ONLY)  # no Qt enum: see qt_ints
        self.action_new = self._action("新增", self.new_record, "新增一条记录（Ctrl+N）")
        self.action_edit = self._action("编辑", self.edit_current, "编辑选中的记录（回车或双击）")
        self.action_delete = self._action("删除", self.delete_current, "删除选中的记录（Delete）")
        for action in (self.action_new, self.action_edit, self.action_delete):
            self.toolbar.addAction(action)
        self.add_actions(self.toolbar)
        self.count_label = QLabel()
        top.addWidget(self.count_label)

        self.table = self._make_table()
        self.table.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addLayout(top)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.wrap_table(self.table), 1)
        if ctx.read_only:
            for action in (self.action_new, self.action_delete):
                action.setEnabled(False)
            self.action_edit.setText(self.tr("查看"))
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self.update_actions())
        self.update_actions()

    # -- building ------------------------------------------------------------------------------
    def _action(self, text: str, slot, tip: str = "") -> QAction:  # noqa: ANN001 - callable
        action = QAction(self.tr(text), self)
        action.setToolTip(self.tr(tip or text))
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def add_actions(self, toolbar: QToolBar) -> None:
        """Tab-specific actions after 新增/编辑/删除."""

    def wrap_table(self, table: QTableView) -> QWidget:
        """The widget that holds the table (a tab may put it beside something else)."""
        return table

    def show_record_controls(self, shown: bool) -> None:
        """Show or hide what acts on the record table: the search, the filters, the count and
        the 新增/编辑/删除 tool bar (a tab hides them while a page of its own is in front)."""
        for widget in (self.search, *self.filters.values(), self.count_label, self.toolbar):
            widget.setVisible(shown)

    def _filter_combo(self, name: str, label: str) -> QComboBox:
        combo = QComboBox()
        combo.setToolTip(self.tr(label))
        dynamic = self._is_dynamic(name)
        if dynamic:  # branch names can be long: a fixed width, and a wider list when open
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(CLOSED_WIDTH.get(self._source(name), 8))
            combo.view().setMinimumWidth(280)
        else:
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        if name not in self.required_filters:
            combo.addItem(self.tr("全部") + label, None)
        combo.setProperty("filter_name", name)
        combo.setProperty("filter_label", self.tr(label))
        combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.filters[name] = combo
        fixed = self.filter_labels.get(name)
        if not dynamic:
            self._fill_combo(combo, fixed if fixed is not None else self.ctx.query.choices(self.kind, name))
        return combo

    def _fill_combo(self, combo: QComboBox, choices: Sequence[Choice]) -> None:
        combo.blockSignals(True)
        for c in choices:
            combo.addItem(c.label, c.value)
        combo.blockSignals(False)

    def _make_table(self) -> QTableView:
        table = make_record_table(self.model, self.spec.default_sort, self.spec.default_descending)
        # The header shows its sort indicator, and a click sorts, once the first rows are painted
        # (``_enable_sorting``): handing the model Qt's sort order builds PySide's Qt namespace.
        table.doubleClicked.connect(lambda _i: self.edit_current())
        delete = QAction(self)
        delete.setShortcuts([QKeySequence(QKeySequence.StandardKey.Delete)])  # not setShortcut: see qt_ints
        delete.setProperty("shortcutContext", Q.WIDGET_SHORTCUT)
        delete.triggered.connect(lambda _c=False: self.delete_current())
        table.addAction(delete)
        return table

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if obj is self.table.viewport() and event.type() == QEvent.Type.Paint and self.model.is_loaded:
            obj.removeEventFilter(self)
            QTimer.singleShot(0, self.first_painted.emit)  # after this paint
        if obj is self.table and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            from PySide6.QtCore import Qt  # a key press comes after the first rows: see qt_ints

            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.edit_current()
                return True
        # Not super().eventFilter(): QObject's returns False, and calling it from Python makes
        # PySide build every QtCore enum (~15 ms of the start) on the first event.
        return False

    # -- loading -------------------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: ANN001, N802
        super().showEvent(event)
        if not self.model.is_loaded:
            QTimer.singleShot(0, self.ensure_loaded)
        else:
            self._fill_dynamic_filters()  # another tab may have added a branch or a village

    def ensure_loaded(self) -> None:
        if not self.model.is_loaded:
            self.restore_state()
            # The branches, villages or years the filters offer are read once the first rows are
            # on screen (at the district, hundreds of branches: ~5 ms of the start) — unless a
            # filter without “全部” needs them to say what the first rows are.
            later = not any(self._is_dynamic(name) for name in self.required_filters if name in self.filters)
            if not later:
                self._fill_dynamic_filters()
            self.apply_filter()
            self.table.viewport().installEventFilter(self)  # for ``first_painted``
            self.first_painted.connect(self._enable_sorting, Q.SINGLE_SHOT_CONNECTION)
            if later:
                self.first_painted.connect(self._fill_dynamic_filters, Q.SINGLE_SHOT_CONNECTION)

    def _enable_sorting(self) -> None:
        """Show the sort indicator — the remembered one, or the table's default — and let a click
        on a header sort. The model already has that order, so nothing is read again."""
        from PySide6.QtCore import Qt  # after the first rows: see qt_ints

        header = self.table.horizontalHeader()
        if not self._sort_remembered:
            key = self.model.sort_key
            fields = [c.field for c in self.model.columns]
            column = fields.index(key.field) if key is not None else -1
            order = Qt.SortOrder.DescendingOrder if key is not None and key.descending else Qt.SortOrder.AscendingOrder
            header.setSortIndicator(column, order)
        self.table.setSortingEnabled(True)

    def _source(self, name: str) -> str | None:
        return next(f for f in self.spec.filters if f.name == name).dynamic

    def _is_dynamic(self, name: str) -> bool:
        return bool(self._source(name)) and name not in self.filter_labels

    def _fill_dynamic_filters(self) -> None:
        """(Re)fill the filters whose choices come from the data (branches, villages, years),
        keeping the current choice; a choice that vanished falls back to “全部”."""
        for name, combo in self.filters.items():
            if self._is_dynamic(name):
                current = combo.currentData()
                combo.blockSignals(True)
                while combo.count() > (0 if name in self.required_filters else 1):
                    combo.removeItem(combo.count() - 1)
                self._fill_combo(combo, self.ctx.query.choices(self.kind, name))
                combo.setCurrentIndex(max(combo.findData(current), 0) if current is not None else 0)
                combo.blockSignals(False)
                self._show_plainly(combo)
                if combo.currentData() != current:
                    self.apply_filter()

    @staticmethod
    def _show_plainly(combo: QComboBox) -> None:
        """The closed box shows the chosen branch or village without its tree indent, elided in
        the middle, with its full name as the tooltip (loaded with the first choices)."""
        from .choice_combo import show_plainly

        show_plainly(combo, combo.property("filter_label")).update_tip()

    def current_filter(self) -> RecordFilter:
        values = {name: combo.currentData() for name, combo in self.filters.items()
                  if combo.currentData() is not None}
        return RecordFilter(self.search.text().strip(), values)

    def apply_filter(self) -> None:
        self._search_timer.stop()
        self.model.set_filter(self.current_filter())

    def refresh(self, select_uuid: str | None = None) -> None:
        """Re-read the table (after a change), keeping or moving the selection."""
        current = select_uuid or (self.current_record().uuid if self.current_record() else None)
        self._choice_cache.clear()
        self._fill_dynamic_filters()
        self.model.load()
        if current is not None:
            self.select_uuid(current)

    def select_uuid(self, uuid: str) -> bool:
        row = self.model.row_of(uuid)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def _on_loaded(self, total: int) -> None:
        self.count_label.setText(self.tr(f"共 {total:,} {self.unit_word}"))
        self._show_empty_hint(total)
        self.update_actions()
        self.status_changed.emit(self.status_text())

    def _show_empty_hint(self, total: int) -> None:
        """Over an empty table: that nothing matches, or (nothing to match) what to do first."""
        if total and self._empty_hint is None:
            return  # rows, and never a note: nothing to load
        from .empty_hint import hint_text, note_over  # only ever needed once a table came back empty

        narrowed = bool(self.search.text().strip()) or any(c.currentIndex() > 0 for c in self.filters.values())
        text = None if total else self.tr(hint_text(narrowed, self.ctx.read_only, self.empty_text))
        self._empty_hint = note_over(self.table, self._empty_hint, text)

    def status_text(self) -> str:
        return self.tr(f"{self.title}：共 {self.model.rowCount():,} {self.unit_word}")

    def style_row(self, listed: Listed) -> RowStyle | None:
        return None

    # -- the current row -----------------------------------------------------------------------
    def current_listed(self) -> Listed | None:
        index = self.table.currentIndex()
        return self.model.listed(index.row()) if index.isValid() else None

    def current_record(self) -> R.Record | None:
        listed = self.current_listed()
        return listed.record if listed else None

    def update_actions(self) -> None:
        has = self.current_listed() is not None
        self.action_edit.setEnabled(has)
        self.action_delete.setEnabled(has and not self.ctx.read_only)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # -- editing -------------------------------------------------------------------------------
    def choices(self, source: str) -> list[Choice]:
        if source not in self._choice_cache:
            self._choice_cache[source] = self.ctx.query.dynamic_choices(source)
        return self._choice_cache[source]

    def after_change(self, uuid: str | None) -> None:
        self.refresh(uuid)
        self.records_changed.emit()

    # -- remembered layout ---------------------------------------------------------------------
    def _settings_key(self) -> str:
        return f"tables/{self.kind.__name__}{'_district' if self.ctx.read_only else ''}"

    def restore_state(self) -> None:
        self._sort_remembered = TableMemory(self.ctx.settings, self._settings_key()).restore(self.table, self.model)
        self._state_restored = True

    def save_state(self) -> None:
        if self._state_restored:  # else never shown: keep what was saved before
            TableMemory(self.ctx.settings, self._settings_key()).save(self.table, self.model)
