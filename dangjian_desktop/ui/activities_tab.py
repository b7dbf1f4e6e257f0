"""The 组织生活 tab: the list of meetings (三会一课 and 主题党日) per branch with date, topic and
attendance, and beside it the branch × month grid of held against required.

The grid has its own 年度 and 类型 (a grid is one year, and 全部 there judges all five kinds
together); the list's search, filters, count and 新增/编辑/删除 do not act on it, so they are
hidden while the grid is in front — one set of controls on screen, and each of them works."""

from __future__ import annotations

from PySide6.QtWidgets import QTableView, QTabWidget, QWidget

from ..domain import records as R
from .activity_grid import ActivityGridView
from .record_form import FormField
from .record_tab import RecordTab


class ActivitiesTab(RecordTab):
    kind = R.Activity
    title = "组织生活"
    empty_text = "还没有组织生活记录。开完会后点“新增”（Ctrl+N）登记；已有台账的，用“数据交换 → 导入已有名册”导入。"
    unit_word = "次"
    search_hint = "主题、备注或党组织名称"
    shown_filters = ("branch", "kind", "year")
    form_fields = (
        FormField("branch_uuid", label="党组织", choices="branches"), FormField("kind"),
        FormField("held_on"), FormField("expected"),
        FormField("attendance"),
        FormField("topic", wide=True),
        FormField("notes", multiline=True, wide=True),
    )

    def wrap_table(self, table: QTableView) -> QWidget:
        self.pages = QTabWidget()
        self.pages.setDocumentMode(True)
        self.pages.addTab(table, self.tr("活动记录"))
        self.grid = ActivityGridView(self.ctx.activity_grid, self.ctx.today().year)
        self.pages.addTab(self.grid, self.tr("完成情况（党支部 × 月份）"))
        self.pages.currentChanged.connect(lambda _i: self.show_record_controls(self.pages.currentWidget() is table))
        return self.pages

    # The window's 查找, 编辑 and 删除 act on the list: bring it to the front first.
    def focus_search(self) -> None:
        self.pages.setCurrentIndex(0)
        super().focus_search()

    def edit_current(self) -> None:
        self.pages.setCurrentIndex(0)
        super().edit_current()

    def delete_current(self) -> None:
        self.pages.setCurrentIndex(0)
        super().delete_current()

    def new_values(self) -> dict[str, object]:
        """A meeting of the branch the list is narrowed to: clerks enter a branch's meetings in a
        row. Otherwise no branch is chosen for them (the form asks)."""
        branch = self.filters["branch"].currentData() if "branch" in self.filters else None
        return {"branch_uuid": branch} if branch else {}

    def describe(self, record: R.Record) -> str:
        assert isinstance(record, R.Activity)
        return f"{record.held_on} {record.kind} {record.topic}".strip()

    def after_change(self, uuid: str | None) -> None:
        super().after_change(uuid)
        if self.grid.loaded:
            self.grid.reload()
