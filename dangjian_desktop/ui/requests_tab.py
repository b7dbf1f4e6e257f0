"""The 代办事项 tab: the service ledger. A new request gets the next serial number of its year
and a due date from its category; the status moves by buttons (开始办理 → 办结…, or 退回…
with a reason), closing asks the result and the requester's satisfaction; overdue requests
are shown in red and counted in the status bar."""

from __future__ import annotations

import dataclasses
from datetime import date

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QToolBar

from ..domain import records as R
from ..domain.enums import RequestCategory, RequestStatus
from ..domain.errors import RequiredError
from ..services.query import Listed, RecordFilter
from ..services.query_types import OVERDUE_OPEN
from .record_dialog import ActionDialog, RecordDialog, as_date_value
from .record_form import FormField, RecordForm
from .record_tab import RecordTab
from .record_table_model import RowStyle

OVERDUE_COLOR = QColor("#c62828")
LATE_COLOR = QColor("#a15c00")


class RequestsTab(RecordTab):
    kind = R.ServiceRequest
    title = "代办事项"
    empty_text = "还没有代办事项。群众来办事时点“新增”（Ctrl+N）登记；已有 Excel 台账的，用“数据交换 → 导入已有名册”导入。"
    unit_word = "件"
    search_hint = "申请人、拼音首字母、电话、内容或编号"
    shown_filters = ("year", "status", "category", "overdue", "village")
    form_fields = (
        FormField("serial", label="序号（自动编排）", read_only=True), FormField("received_on"),
        FormField("requester"), FormField("requester_phone"),
        FormField("village_uuid", label="所在村（社区）", choices="villages"), FormField("category"),
        FormField("channel"), FormField("due_on"),
        FormField("clerk_a"), FormField("clerk_b"),
        FormField("content", multiline=True, wide=True),
        FormField("status", read_only=True), FormField("completed_on", read_only=True),
        FormField("return_reason", read_only=True), FormField("satisfaction", read_only=True),
        FormField("result", multiline=True, wide=True),
    )

    def add_actions(self, toolbar: QToolBar) -> None:
        toolbar.addSeparator()
        self.action_start = self._action("开始办理", self.start_current, "状态改为“办理中”")
        self.action_close = self._action("办结…", self.close_current, "登记办结日期、办理结果和群众满意度")
        self.action_return = self._action("退回…", self.return_current, "退回事项，须填写退回原因")
        for action in (self.action_start, self.action_close, self.action_return):
            toolbar.addAction(action)

    def update_actions(self) -> None:
        super().update_actions()
        record = self.current_record()
        status = record.status if isinstance(record, R.ServiceRequest) else None
        editable = not self.ctx.read_only
        self.action_start.setEnabled(editable and status is RequestStatus.RECEIVED)
        self.action_close.setEnabled(editable and status is not None and status.is_open)
        self.action_return.setEnabled(editable and status is not None and status.is_open)

    def style_row(self, listed: Listed) -> RowStyle | None:
        request = listed.record
        assert isinstance(request, R.ServiceRequest)
        if not request.is_overdue(self.ctx.today()):
            return None
        if request.status is RequestStatus.CLOSED:
            return RowStyle(foreground=LATE_COLOR, tooltip=f"超期办结：承诺 {request.due_on}，实际 {request.completed_on}")
        return RowStyle(foreground=OVERDUE_COLOR, tooltip=f"已逾期：承诺 {request.due_on} 前办结，尚未办结")

    def overdue_count(self) -> int:
        return self.ctx.query.count(self.kind, RecordFilter(values={"overdue": OVERDUE_OPEN}))

    def status_text(self) -> str:
        return self.tr(f"代办事项：共 {self.model.rowCount():,} 件；逾期未办结 {self.overdue_count():,} 件")

    def describe(self, record: R.Record) -> str:
        assert isinstance(record, R.ServiceRequest)
        return f"{record.number} {record.requester}"

    # -- the dialog: the due date follows the category until the clerk sets it -------------------
    def make_dialog(self, title: str, record: R.Record, read_only: bool = False, stored: bool = False) -> RecordDialog:
        dialog = super().make_dialog(title, record, read_only, stored)
        if isinstance(record, R.ServiceRequest) and record.status.is_open and not read_only:
            form = dialog.form
            for name in ("category", "received_on"):
                form.editor(name).changed.connect(lambda: self._default_due(form, dialog))
        return dialog

    def _default_due(self, form: RecordForm, dialog: RecordDialog) -> None:
        if "due_on" in form.touched:
            return
        category, received = form.editor("category").value(), form.editor("received_on").value()
        if isinstance(category, RequestCategory) and isinstance(received, date):
            from ..services.records import default_due  # loads SQLAlchemy: not at start-up

            form.set_value("due_on", default_due(category, received))
            dialog.revalidate()

    # -- status buttons ------------------------------------------------------------------------
    def _request(self) -> R.ServiceRequest | None:
        record = self.current_record()
        return record if isinstance(record, R.ServiceRequest) and not self.ctx.read_only else None

    def start_current(self) -> None:
        request = self._request()
        if request is None:
            return
        try:
            self.ctx.records.change_status(request.uuid, RequestStatus.IN_PROGRESS)
        except Exception as exc:  # noqa: BLE001 - shown to the clerk or reported
            self.ctx.show_error(self, exc)
            return
        self.after_change(request.uuid)

    def close_current(self) -> None:
        request = self._request()
        if request is None:
            return
        base = dataclasses.replace(request, completed_on=self.ctx.today(), satisfaction=None)

        def apply(values: dict[str, object]) -> R.ServiceRequest:
            if values["satisfaction"] is None:
                raise RequiredError("satisfaction", "请询问申请人并选择满意度")
            on = as_date_value(values["completed_on"], "completed_on", month_ok=False)
            return self.ctx.records.change_status(
                request.uuid, RequestStatus.CLOSED, on if isinstance(on, date) else on.value,
                result=str(values["result"] or ""), satisfaction=values["satisfaction"])  # type: ignore[arg-type]

        fields = (FormField("completed_on"), FormField("result", multiline=True), FormField("satisfaction"))
        intro = f"办结 {request.number}：{request.requester}（{request.category}）"
        dialog = ActionDialog(self.tr("办结事项"), intro, self.sheet, fields, base, apply, parent=self, ok_text="办结")
        if dialog.exec():
            self.after_change(request.uuid)

    def return_current(self) -> None:
        request = self._request()
        if request is None:
            return

        def apply(values: dict[str, object]) -> R.ServiceRequest:
            return self.ctx.records.change_status(request.uuid, RequestStatus.RETURNED,
                                                  reason=str(values["return_reason"] or ""))

        intro = f"退回 {request.number}：{request.requester}。请写明原因，便于向群众解释。"
        dialog = ActionDialog(self.tr("退回事项"), intro, self.sheet, (FormField("return_reason", multiline=True),),
                              dataclasses.replace(request, return_reason=""), apply, parent=self, ok_text="退回")
        if dialog.exec():
            self.after_change(request.uuid)
