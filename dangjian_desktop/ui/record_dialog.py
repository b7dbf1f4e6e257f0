"""Dialogs around a ``RecordForm``: adding/editing a whole record, and the small action
dialogs (advance a stage, leave, close or return a request) that ask for a few values and
hand them to a service call.

Both validate as the clerk types and keep the dialog open with the Chinese message beside
the field when the save or the action is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QLabel, QMessageBox, QScrollArea, QVBoxLayout, QWidget,
)

from ..domain import records as R
from ..domain.dates import PartialDate
from ..domain.errors import DateError, DomainError, Issue, ValidationError
from ..domain.field_checks import unreadable_date_message
from ..domain.validation import validate_record
from ..exchange.columns import SheetSpec
from .record_form import Choices, FormField, RecordForm
from .screen_fit import resize_to_fit

if TYPE_CHECKING:  # the service module loads SQLAlchemy: not needed to build the window
    from ..services.records import RecordService


def as_date_value(value: object, field: str, *, month_ok: bool = True) -> PartialDate | date:
    """What an action dialog's date editor gave, or a ``DateError`` naming the field.
    ``month_ok``: the field takes a month alone (入党时间, 离开时间), not only a day."""
    if isinstance(value, (date, PartialDate)):
        return value
    if value in (None, ""):
        raise DateError(field, "请填写日期")
    raise DateError(field, unreadable_date_message("日期", value, month_ok=month_ok))


class _FormDialog(QDialog):
    def __init__(self, title: str, form: RecordForm, intro: str = "", parent: QWidget | None = None,
                 scroll: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = form
        layout = QVBoxLayout(self)
        if intro:
            label = QLabel(intro)
            label.setWordWrap(True)
            layout.addWidget(label)
        if scroll:
            area = QScrollArea()
            area.setWidgetResizable(True)
            area.setWidget(form)
            area.setFrameShape(QScrollArea.Shape.NoFrame)
            area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from field to field, not to the frame
            layout.addWidget(area, 1)
        else:
            layout.addWidget(form)
        self.buttons = QDialogButtonBox()
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def focus_first_field(self) -> None:
        """The clerk types at once: the cursor starts in the first field that can be edited."""
        first = self.form.first_editable()
        if first is not None:
            first.widget.setFocus()

    def _focus(self, name: str | None) -> None:
        if name is not None:
            self.form.editor(name).widget.setFocus()


class RecordDialog(_FormDialog):
    """Add or edit one record; Save validates everything and writes through ``RecordService``.
    A read-only view (the district's 查看) shows 身份证号 and phones masked when ``masked``."""

    def __init__(self, title: str, sheet: SheetSpec, fields: Sequence[FormField], record: R.Record,
                 service: RecordService, choices: Choices | None = None, *, read_only: bool = False,
                 masked: bool = False, show_all: bool = False, today: Callable[[], date] = date.today,
                 parent: QWidget | None = None) -> None:
        form = RecordForm(sheet, fields, choices)
        super().__init__(title, form, parent=parent, scroll=len(fields) > 14)
        self.service, self.today = service, today
        self.saved: R.Record | None = None
        form.set_record(record)
        if read_only:
            form.set_read_only(True)
            if masked:  # 身份证号 and phones as the list shows them, unless revealed there
                form.mask_private()
            self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
        else:
            self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        form.edited.connect(self.revalidate)
        if not read_only:
            self.focus_first_field()
        if show_all and not read_only:  # a stored record: what is wrong or missing shows at once
            form.reveal_all = True
            self.revalidate()
        hint = form.sizeHint()
        resize_to_fit(self, max(hint.width() + 60, 640), min(hint.height() + 110, 760))

    def revalidate(self) -> None:
        self.form.show_issues(validate_record(self.form.record(), self.today()))

    def accept(self) -> None:
        if not self.form.reveal_all and self._unseen_warnings():
            return  # shown now; the next 保存 saves
        self.form.reveal_all = True
        try:
            result = self.service.save(self.form.record())
        except DomainError as exc:
            QMessageBox.warning(self, self.windowTitle(), exc.message)
            return
        if not result.saved:
            self.form.show_issues(result.issues)
            self._focus(self.form.first_error_field(result.issues))
            return
        self.saved = result.record
        super().accept()

    def reject(self) -> None:
        """取消 or Esc (often pressed to close an input method's list) asks before what the
        clerk typed is thrown away."""
        if self.form.touched and not self.form.read_only and QMessageBox.question(
                self, self.windowTitle(), self.tr("填写的内容还没有保存，确定要放弃吗？"),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            return
        super().reject()


    def _unseen_warnings(self) -> bool:
        """A 提示 the clerk has not seen (on a field not yet touched, or on none): show every
        message, say so under the form, and keep the dialog open once. Errors are the save's."""
        issues = validate_record(self.form.record(), self.today())
        unseen = [i for i in issues if not i.is_error and i.field not in self.form.touched]
        if not unseen or any(i.is_error for i in issues):
            return False
        self.form.reveal_all = True
        self.form.show_issues(issues)
        self.form.note(self.tr("有提示（橙色字），请看一下；确认无误后再点“保存”。"))
        self._focus(next((i.field for i in unseen if i.field in self.form.editors), None))
        return True


class ActionDialog(_FormDialog):
    """Ask for a few fields and run ``apply(values)``; a ``ValidationError`` it raises is shown
    beside its field (or under the form) and the dialog stays open."""

    def __init__(self, title: str, intro: str, sheet: SheetSpec, fields: Sequence[FormField], base: Any,
                 apply: Callable[[dict[str, object]], object], choices: Choices | None = None,
                 parent: QWidget | None = None, ok_text: str = "确定") -> None:
        form = RecordForm(sheet, fields, choices, columns=1)
        super().__init__(title, form, intro, parent)
        self.apply = apply
        self.result_value: object = None
        form.set_record(base)
        ok = self.buttons.addButton(self.tr(ok_text), QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setDefault(True)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        form.edited.connect(lambda _n: form.show_issues([]))
        self.setMinimumWidth(420)
        self.focus_first_field()

    def accept(self) -> None:
        try:
            self.result_value = self.apply(self.form.values())
        except ValidationError as exc:
            self.form.reveal_all = True
            self.form.show_issues([Issue(exc.field, exc.message)])
            self._focus(exc.field if exc.field in self.form.editors else None)
            return
        except DomainError as exc:
            QMessageBox.warning(self, self.windowTitle(), exc.message)
            return
        super().accept()
