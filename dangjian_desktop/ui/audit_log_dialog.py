"""帮助 → 操作日志: the audit table, newest first, a page at a time, narrowed by action, date
and a search text. 身份证号 and phone numbers in the values are masked until the clerk ticks
显示完整身份证号和电话 (privacy, issue 9). Pages are read off the GUI thread."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QPushButton, QTableView, QVBoxLayout, QWidget,
)

from ..services.audit_log import PAGE_SIZE, AuditFilter, AuditLine, AuditLogService, AuditPage
from .context import UiContext
from .row_list_model import RowListModel
from .screen_fit import resize_to_fit



class AuditTableModel(RowListModel):
    """A passive list of audit lines; fed by ``set_rows``; masks unless ``reveal`` is set."""

    COL_TIME, COL_OPERATOR, COL_ACTION, COL_TYPE, COL_RECORD, COL_FIELD, COL_CHANGE = range(7)
    HEADERS = ("时间", "操作员", "操作", "记录类型", "记录", "字段", "内容（原值 → 新值）")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reveal = False

    def set_reveal(self, reveal: bool) -> None:
        self.reveal = reveal
        if self._rows:
            self.dataChanged.emit(self.index(0, self.COL_CHANGE), self.index(len(self._rows) - 1, self.COL_CHANGE))

    def change_text(self, line: AuditLine) -> str:
        old, new = line.shown(line.old_value, self.reveal), line.shown(line.new_value, self.reveal)
        if line.field and (old or new):
            return f"{old or '（空）'} → {new or '（空）'}"
        return new or old

    def cell(self, line: AuditLine, col: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = (f"{line.at.astimezone():%Y-%m-%d %H:%M:%S}", line.operator, line.action, line.record_type,
                    line.record_name, line.field_label, self.change_text(line))[col]
            if role == Qt.ItemDataRole.ToolTipRole:
                return text if col in (self.COL_RECORD, self.COL_CHANGE) else None
            return text
        return None


class AuditLogDialog(QDialog):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None, page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = AuditLogService(ctx.store)
        self.page_size = page_size
        self.page: AuditPage | None = None
        self.loads = 0  # pages shown (for tests and the status line)
        self.setWindowTitle(self.tr("操作日志"))
        resize_to_fit(self, 1000, 600)

        self.action = QComboBox()
        self.action.addItem(self.tr("全部操作"), None)
        self.by_date = QCheckBox(self.tr("日期"))
        today = QDate.currentDate()
        self.since, self.until = QDateEdit(today.addMonths(-1)), QDateEdit(today)
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("搜索操作员、姓名或名称、记录类型、字段或内容"))
        self.search.setClearButtonEnabled(True)
        self.reveal = QCheckBox(self.tr("显示完整身份证号和电话"))
        top = QHBoxLayout()
        top.addWidget(self.action)
        top.addWidget(self.by_date)
        top.addWidget(self.since)
        top.addWidget(QLabel(self.tr("至")))
        top.addWidget(self.until)
        top.addWidget(self.search, 1)
        top.addWidget(self.reveal)

        self.model = AuditTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        for col, chars in enumerate((19, 8, 6, 8, 10)):
            header.resizeSection(col, self.fontMetrics().horizontalAdvance("0" * chars) + 24)
        header.setSectionResizeMode(AuditTableModel.COL_CHANGE, QHeaderView.ResizeMode.Stretch)

        self.page_label = QLabel()
        self.prev_button = QPushButton(self.tr("上一页(&P)"))
        self.next_button = QPushButton(self.tr("下一页(&N)"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.page_label, 1)
        bottom.addWidget(self.prev_button)
        bottom.addWidget(self.next_button)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        self._timer = QTimer(self, singleShot=True, interval=250)  # a pause between keystrokes
        self._timer.timeout.connect(lambda: self.load(0))
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.action.currentIndexChanged.connect(lambda _i: self.load(0))
        self.by_date.toggled.connect(self._dates_toggled)
        self.since.dateChanged.connect(lambda _d: self.by_date.isChecked() and self.load(0))
        self.until.dateChanged.connect(lambda _d: self.by_date.isChecked() and self.load(0))
        self.reveal.toggled.connect(self.model.set_reveal)
        self.prev_button.clicked.connect(lambda _c=False: self._turn(-1))
        self.next_button.clicked.connect(lambda _c=False: self._turn(1))
        self._fill_actions()
        self.load(0)

    def _fill_actions(self) -> None:
        for action in self.service.actions():  # a few distinct words: quick on any log
            self.action.addItem(action, action)

    def _dates_toggled(self, on: bool) -> None:
        self.since.setEnabled(on)
        self.until.setEnabled(on)
        self.load(0)

    def current_filter(self) -> AuditFilter:
        dated = self.by_date.isChecked()
        return AuditFilter(self.action.currentData(), self.since.date().toPython() if dated else None,
                           self.until.date().toPython() if dated else None, self.search.text())

    def _turn(self, step: int) -> None:
        if self.page is not None:
            self.load(self.page.offset + step * self.page.limit)

    def load(self, offset: int) -> None:
        flt, service, size = self.current_filter(), self.service, self.page_size
        self.page_label.setText(self.tr("正在读取……"))
        # bound methods: a dialog closed meanwhile is no longer called
        self.ctx.workers.call(lambda: (flt, service.page(flt, offset, size)), on_result=self._show,
                              on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.ctx.show_error(self, exc, self.tr("读取操作日志出错"))

    def _show(self, result: tuple[AuditFilter, AuditPage]) -> None:
        flt, page = result
        if flt != self.current_filter():
            return  # the clerk changed the filter meanwhile: a newer page is on its way
        self.page = page
        self.loads += 1
        self.model.set_rows(page.lines)
        self.page_label.setText(self.tr("第 {page}/{pages} 页，共 {total:,} 条").format(
            page=page.page, pages=page.pages, total=page.total) if page.total else self.tr("没有符合条件的记录"))
        self.prev_button.setEnabled(page.offset > 0)
        self.next_button.setEnabled(page.offset + page.limit < page.total)
