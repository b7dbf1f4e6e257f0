"""What a record tab does to one record: 新增, 编辑 (查看 at the district) and 删除 — the dialog,
the confirmation, the refusal of a kind that is not deleted — as a mixin of ``RecordTab``, which
gives it ``ctx``, ``kind``, ``title``, ``sheet``, ``form_fields``, ``model``, ``can_delete``,
``current_listed``/``current_record``, ``refresh`` and ``after_change``.

The dialog's modules load with the first dialog, not with the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from ..domain import records as R
from ..domain.errors import DomainError

if TYPE_CHECKING:
    from .record_dialog import RecordDialog


class RecordEditing:
    """新增/编辑/删除 of the current record (mixed into ``RecordTab``)."""

    def make_dialog(self, title: str, record: R.Record, read_only: bool = False,
                    stored: bool = False) -> RecordDialog:
        """``stored``: an existing record, whose messages show from the start."""
        from .record_dialog import RecordDialog  # the form and its editors load with the first dialog

        return RecordDialog(title, self.sheet, self.form_fields, record, self.ctx.records, self.choices,
                            read_only=read_only, masked=read_only and not self.model.reveal_ids,
                            show_all=stored, today=self.ctx.today, parent=self)

    def run_dialog(self, dialog: RecordDialog) -> R.Record | None:
        if dialog.exec() and dialog.saved is not None:
            self.after_change(dialog.saved.uuid)
            return dialog.saved
        return None

    def new_record(self) -> None:
        if self.ctx.read_only:
            return
        try:
            record = self.ctx.records.new_record(self.kind, **self.new_values())
        except DomainError as exc:
            self.ctx.show_error(self, exc)
            return
        self.run_dialog(self.make_dialog(self.tr(f"新增{self.title}"), record))

    def new_values(self) -> dict[str, object]:
        """What a new record of this tab starts with beyond the service's defaults."""
        return {}

    def edit_current(self) -> None:
        listed = self.current_listed()
        if listed is None:
            return
        try:
            record = self.ctx.records.get(self.kind, listed.record.uuid)  # fresh, not the cached row
        except DomainError as exc:
            self.ctx.show_error(self, exc)
            self.refresh()
            return
        verb = "查看" if self.ctx.read_only else "编辑"
        name = getattr(record, "name", "") or getattr(record, "requester", "")
        self.run_dialog(self.make_dialog(self.tr(f"{verb}{self.title}") + (f" — {name}" if name else ""),
                                         record, read_only=self.ctx.read_only, stored=True))

    def describe(self, record: R.Record) -> str:
        return getattr(record, "name", "") or self.title

    def delete_current(self) -> None:
        record = self.current_record()
        if record is None or self.ctx.read_only:
            return
        if not self.can_delete:
            QMessageBox.information(self, self.tr("不能删除"), self.delete_refusal())
            return
        answer = QMessageBox.question(
            self, self.tr("删除"), self.tr(f"确定要删除“{self.describe(record)}”吗？\n删除后会随月报数据包报送到区里。"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.ctx.records.delete(self.kind, record.uuid)
        except DomainError as exc:
            self.ctx.show_error(self, exc)
            return
        self.after_change(None)

    def delete_refusal(self) -> str:
        return self.tr("这类记录不能删除。")
