"""The 党员 tab: the roster (在册) and the 历史党员 who left, with the development pipeline —
进入下一阶段 asks the date and the service checks the order and the one-year 预备期; 预备党员
whose probation has ended are highlighted; 离开 records 转出/死亡/出党 with date and reason.
身份证号 are masked unless the clerk ticks 显示完整身份证号.

在册 lists every stage of 发展党员, so the status bar never calls them all 党员: it says what the
roster holds, and once the first rows are painted (the count needs the SQL machinery the first
screen does without) how many of the rows listed are 党员 — 预备 and 正式, as 统计 counts them —
and how many are 入党申请人, 入党积极分子 and 发展对象."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QCheckBox, QMessageBox, QToolBar, QWidget

from ..domain import records as R
from ..domain.dates import PartialDate
from ..domain.enums import ETHNICITIES, LeaveKind, Stage
from ..domain.errors import DomainError, IdNumberError
from ..domain.idcard import parse_id_number
from ..domain.pipeline import STAGE_DATE_LABELS, probation_due_on
from ..domain.records import STAGE_DATE_FIELDS
from ..services.query import Listed
from ..services.query_types import MEMBER_STATUS_ACTIVE, MEMBER_STATUS_LEFT, PARTY_MEMBERS, PROBATION_DUE, Choice
from . import qt_ints as Q
from .context import UiContext
from .form_fields import FormField
from .record_tab import RecordTab
from .record_table_model import RowStyle

if TYPE_CHECKING:
    from .record_dialog import RecordDialog
    from .record_form import RecordForm

DUE_BACKGROUND = QColor("#fff1c2")
LEAVE_FIELDS = ("leave_kind", "leave_on", "leave_reason")
NOT_YET_MEMBERS = "入党申请人、入党积极分子、发展对象"


class MembersTab(RecordTab):
    kind = R.Member
    title = "党员"
    empty_text = ("还没有党员记录。先在“党组织”页建好村（社区）和党组织，再点“新增”（Ctrl+N）逐条录入；"
                  "已有 Excel/WPS 花名册的，用“数据交换 → 导入已有名册”一次导入。")
    unit_word = "人"
    shown_filters = ("status", "branch", "stage", "category")
    filter_labels = {"status": (Choice("在册人员", MEMBER_STATUS_ACTIVE), Choice("历史党员（已离开）", MEMBER_STATUS_LEFT))}
    required_filters = frozenset({"status"})
    can_delete = False
    form_fields = (
        FormField("name"), FormField("gender"),
        FormField("id_number"), FormField("birth_date"),
        FormField("ethnicity", choices="ethnicities"), FormField("education"),
        FormField("branch_uuid", label="所在党组织", choices="branches"), FormField("category"),
        FormField("stage"), FormField("applied_on"),
        FormField("activist_on"), FormField("candidate_on"),
        FormField("probation_on"), FormField("full_on"),
        FormField("phone"), FormField("address"),
        FormField("floating"), FormField("floating_destination"),
        FormField("households_linked"), FormField("monthly_dues"),
        FormField("evaluation"), FormField("evaluation_year"),
        FormField("archive_checked"), FormField("leave_kind", read_only=True),
        FormField("leave_on", read_only=True), FormField("leave_reason", read_only=True),
        FormField("notes", multiline=True, wide=True),
    )

    _painted = False  # the first rows are on screen
    _party_members: tuple[tuple, int] | None = None  # (what was counted: ``_count_key``, 党员 among the rows)
    _count_timer: QTimer | None = None
    COUNT_PAUSE_MS = 400  # the 党员 count waits for a pause in the typing: it must not slow the list

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.first_painted.connect(self._first_rows_painted, Q.SINGLE_SHOT_CONNECTION)

    def add_actions(self, toolbar: QToolBar) -> None:
        toolbar.addSeparator()
        self.action_advance = self._action("进入下一阶段", self.advance_current,
                                           "把选中的人员推进到发展党员的下一阶段（如转正），需填写日期")
        self.action_leave = self._action("离开…", self.leave_current, "登记转出、死亡或出党；记录移到历史党员")
        toolbar.addAction(self.action_advance)
        toolbar.addAction(self.action_leave)
        toolbar.addSeparator()
        self.reveal = QCheckBox(self.tr("显示完整身份证号"))
        self.reveal.toggled.connect(self.model.set_reveal_ids)
        toolbar.addWidget(self.reveal)

    def update_actions(self) -> None:
        super().update_actions()
        member = self.current_record()
        active = isinstance(member, R.Member) and member.is_active and not self.ctx.read_only
        self.action_advance.setEnabled(active and member.stage is not Stage.FULL)
        self.action_leave.setEnabled(active)

    def apply_filter(self) -> None:
        history = self.filters["status"].currentData() == MEMBER_STATUS_LEFT
        for i, column in enumerate(self.model.columns):
            if column.field in LEAVE_FIELDS:
                self.table.setColumnHidden(i, not history)
        super().apply_filter()

    def style_row(self, listed: Listed) -> RowStyle | None:
        member = listed.record
        assert isinstance(member, R.Member)
        due = probation_due_on(member)
        if due is not None and member.is_active and due <= self.ctx.today():
            return RowStyle(background=DUE_BACKGROUND,
                            tooltip=f"预备期已满一年（{due.isoformat()} 起可转正），应及时讨论转正")
        return None

    def status_text(self) -> str:
        total = self.model.rowCount()
        if self.filters["status"].currentData() == MEMBER_STATUS_LEFT:
            return self.tr(f"历史党员（已离开）：共 {total:,} 人")
        stage = self.filters["stage"].currentData()
        if stage is not None:  # one stage: the rows are all of it
            label = "预备期满待转正" if stage == PROBATION_DUE else str(stage)
            return self.tr(f"在册 {total:,} 人（{label}）")
        members = self._party_members
        if members is None or members[0] != self._count_key():
            return self.tr(f"在册 {total:,} 人（含{NOT_YET_MEMBERS}）")
        return self.tr(f"在册 {total:,} 人：党员 {members[1]:,} 人，{NOT_YET_MEMBERS} {total - members[1]:,} 人")

    def _on_loaded(self, total: int) -> None:
        super()._on_loaded(total)
        if self._painted:
            if self._count_timer is None:
                self._count_timer = QTimer(self, singleShot=True, interval=self.COUNT_PAUSE_MS)
                self._count_timer.timeout.connect(self._count_party_members)
            self._count_timer.start()  # each search keystroke, filter or sort starts the pause again

    def _first_rows_painted(self) -> None:
        self._painted = True
        self._count_party_members()

    def _count_key(self) -> tuple:
        """What a count answers: the filter, the rows listed, and the database's writes so far (an
        edit can turn a 发展对象 into a 预备党员 without changing the rows)."""
        return self.current_filter(), self.model.rowCount(), self.ctx.store.db.writes

    def _count_party_members(self) -> None:
        """How many of the rows listed are 党员, counted off the GUI thread; the status follows.
        Nothing is counted again for a new order of the same rows."""
        flt = self.current_filter()
        if flt.values.get("status") == MEMBER_STATUS_LEFT or flt.values.get("stage") is not None:
            return  # the status says it without a count
        key = self._count_key()
        if self._party_members is not None and self._party_members[0] == key:
            return
        members = flt.with_value("stage", PARTY_MEMBERS)
        self.ctx.workers.call(lambda: self.ctx.query.count(R.Member, members),
                              on_result=lambda n: self._party_members_counted(key, n), background=True)

    def _party_members_counted(self, key: tuple, n: int) -> None:
        self._party_members = (key, n)
        if key == self._count_key():  # else an older question's answer
            self.status_changed.emit(self.status_text())

    def delete_refusal(self) -> str:
        return self.tr("党员记录不能删除：请用“离开…”登记转出、死亡或出党，记录会移到历史党员。")

    # -- the member dialog: birth date and gender follow a valid 身份证号 --------------------------
    def choices(self, source: str) -> list[Choice]:
        if source == "ethnicities":
            return [Choice(e, e) for e in (*ETHNICITIES, "其他")]
        return super().choices(source)

    def make_dialog(self, title: str, record: R.Record, read_only: bool = False, stored: bool = False) -> RecordDialog:
        dialog = super().make_dialog(title, record, read_only, stored)
        form = dialog.form
        form.editor("id_number").changed.connect(lambda: self._derive_from_id(form, dialog))
        left = isinstance(record, R.Member) and record.leave_kind is not None
        for name in LEAVE_FIELDS:
            form.set_field_visible(name, left)  # leaving is recorded with 离开…, not typed here
        return dialog

    def _derive_from_id(self, form: RecordForm, dialog: RecordDialog) -> None:
        try:
            parsed = parse_id_number(form.editor("id_number").value(), today=self.ctx.today())
        except IdNumberError:
            return
        form.set_value("birth_date", PartialDate.of(parsed.birth_date))
        form.set_value("gender", parsed.gender)
        dialog.revalidate()

    # -- the pipeline ----------------------------------------------------------------------------
    def _member(self) -> R.Member | None:
        record = self.current_record()
        return record if isinstance(record, R.Member) else None

    def advance_current(self) -> None:
        member = self._member()
        if member is None or self.ctx.read_only:
            return
        target = member.stage.next if isinstance(member.stage, Stage) else None
        if target is None:
            QMessageBox.information(self, self.tr("进入下一阶段"), self.tr(f"{member.name}已是正式党员，没有下一个发展阶段。"))
            return
        field = STAGE_DATE_FIELDS[target]
        intro = f"{member.name}：{member.stage} → {target}"
        due = probation_due_on(member)
        if target is Stage.FULL and due is not None and due > self.ctx.today():
            QMessageBox.information(self, self.tr("进入下一阶段"), self.tr(
                f"{member.name}的入党时间是 {member.probation_on}，预备期一年，最早 {due.isoformat()} 才能转正；"
                "到时再办理转正。"))
            return
        if target is Stage.FULL and due is not None:
            intro += f"\n入党时间 {member.probation_on}，预备期一年，最早 {due.isoformat()} 可以转正。"
        base = dataclasses.replace(member, **{field: PartialDate.of(self.ctx.today())})
        from .record_dialog import ActionDialog, as_date_value  # loaded with the first dialog

        def apply(values: dict[str, object]) -> R.Member:
            return self.ctx.records.advance_stage(member.uuid, as_date_value(values[field], field))

        dialog = ActionDialog(self.tr("进入下一阶段"), intro, self.sheet,
                              (FormField(field, label=STAGE_DATE_LABELS[target]),), base, apply, parent=self)
        if dialog.exec():
            self.after_change(member.uuid)

    def leave_current(self) -> None:
        member = self._member()
        if member is None or self.ctx.read_only:
            return
        base = dataclasses.replace(member, leave_kind=LeaveKind.TRANSFER_OUT, leave_on=PartialDate.of(self.ctx.today()),
                                   leave_reason="")

        from .record_dialog import ActionDialog, as_date_value  # loaded with the first dialog

        def apply(values: dict[str, object]) -> R.Member:
            on = as_date_value(values["leave_on"], "leave_on")
            return self.ctx.records.leave(member.uuid, values["leave_kind"], on, str(values["leave_reason"] or ""))

        fields = (FormField("leave_kind", label="离开方式", required=True), FormField("leave_on", label="离开日期"),
                  FormField("leave_reason", label="原因或去向"))
        intro = f"登记 {member.name} 离开：记录会移到“历史党员”，不会删除。出党须填写原因（如处分决定文号）。"
        dialog = ActionDialog(self.tr("党员离开"), intro, self.sheet, fields, base, apply, parent=self)
        if dialog.exec():
            self.after_change(None)
            self.status_changed.emit(self.tr(f"{member.name} 已登记{dialog.result_value.leave_kind}，已移到历史党员"))

    # -- opening a member from elsewhere (后备干部 → 党员档案) -------------------------------------
    def show_member(self, uuid: str) -> bool:
        try:
            member = self.ctx.records.get(R.Member, uuid)
        except DomainError:  # a dangling link: nothing to show
            return False
        assert isinstance(member, R.Member)
        status = MEMBER_STATUS_ACTIVE if member.is_active else MEMBER_STATUS_LEFT
        combo = self.filters["status"]
        combo.blockSignals(True)
        combo.setCurrentIndex(combo.findData(status))
        combo.blockSignals(False)
        for name, other in self.filters.items():
            if name != "status":
                other.blockSignals(True)
                other.setCurrentIndex(0)
                other.blockSignals(False)
        self.search.blockSignals(True)
        self.search.setText(member.name)
        self.search.blockSignals(False)
        self.ensure_loaded()
        self.apply_filter()
        return self.select_uuid(uuid)
