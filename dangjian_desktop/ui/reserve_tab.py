"""The 后备干部 tab: source, intended post, mentor, trainings and status, and the link to the
member record where the person is a member (查看党员档案 opens it in the 党员 tab)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QToolBar

from ..domain import records as R
from ..services.query_types import Choice
from .record_dialog import RecordDialog
from .record_form import FormField, RecordForm
from .record_tab import RecordTab


class ReserveTab(RecordTab):
    kind = R.ReserveCadre
    title = "后备干部"
    empty_text = "还没有后备干部记录。点“新增”（Ctrl+N）录入，或用“数据交换 → 导入已有名册”导入现有的台账。"
    unit_word = "人"
    shown_filters = ("village", "source", "status")
    form_fields = (
        FormField("name"), FormField("gender"),
        FormField("id_number"), FormField("birth_date"),
        FormField("education"), FormField("political_status"),
        FormField("village_uuid", label="所在村（社区）", choices="villages"), FormField("phone"),
        FormField("source"), FormField("occupation"),
        FormField("intended_post"), FormField("entered_on"),
        FormField("mentor"), FormField("training_count"),
        FormField("assessment"), FormField("assessment_year"),
        FormField("status"), FormField("status_on"),
        FormField("member_uuid", label="关联党员档案", choices="linked_members", wide=True),
        FormField("trainings", multiline=True, wide=True),
        FormField("notes", multiline=True, wide=True),
    )

    open_member = Signal(str)  # a member's UUID

    def add_actions(self, toolbar: QToolBar) -> None:
        toolbar.addSeparator()
        self.action_member = self._action("查看党员档案", self.show_linked_member, "在“党员”中打开此人的党员记录")
        toolbar.addAction(self.action_member)

    def update_actions(self) -> None:
        super().update_actions()
        record = self.current_record()
        self.action_member.setEnabled(isinstance(record, R.ReserveCadre) and bool(record.member_uuid))

    def show_linked_member(self) -> None:
        record = self.current_record()
        if isinstance(record, R.ReserveCadre) and record.member_uuid:
            self.open_member.emit(record.member_uuid)

    def choices(self, source: str) -> list[Choice]:
        if source == "linked_members":
            return []  # filled per person in make_dialog
        return super().choices(source)

    def make_dialog(self, title: str, record: R.Record, read_only: bool = False, stored: bool = False) -> RecordDialog:
        dialog = super().make_dialog(title, record, read_only, stored)
        form = dialog.form
        self._offer_members(form)
        for name in ("name", "id_number"):
            form.editor(name).changed.connect(lambda: self._offer_members(form))
        return dialog

    def _offer_members(self, form: RecordForm) -> None:
        """The members this person may be: the same 身份证号, or the same name."""
        found: dict[object, Choice] = {}
        for text in (str(form.editor("id_number").value() or ""), str(form.editor("name").value() or "")):
            if len(text.strip()) >= 2:
                for c in self.ctx.query.member_choices(matching=text, limit=20):
                    found.setdefault(c.value, c)
        editor = form.editor("member_uuid")
        current = editor.value()
        if current and current not in found:
            found[current] = Choice(self.ctx.query.member_name(str(current)) or "（已关联）", current)
        editor.set_choices(list(found.values()))  # type: ignore[attr-defined]
