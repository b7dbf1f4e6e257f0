"""The form builder: a grid of labelled editors for chosen fields of a record, driven by the
sheet's column spec (header, kind), with each field's validation message shown right under
its editor. Used by the add/edit dialog, the small action dialogs and the branch panel.

Messages appear for the fields the clerk has touched, or for every field once ``reveal_all``
is set (after a save attempt), so a new record does not open covered in red.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from ..domain import records as R
from ..domain.errors import Issue
from ..exchange.columns import Kind, SheetSpec
from ..services.query_types import Choice
from .field_editors import FieldEditor, make_editor
from .form_fields import FormField  # noqa: F401 - re-exported for the tabs

ERROR_STYLE = "color: #c62828;"
WARNING_STYLE = "color: #a15c00;"

Choices = Callable[[str], Sequence[Choice]]


def _defaults(record_type: type) -> dict[str, tuple[bool, object]]:
    """For each dataclass field: (may be None, the value an empty editor stands for)."""
    out: dict[str, tuple[bool, object]] = {}
    for f in dataclasses.fields(record_type):
        if f.default is not dataclasses.MISSING:
            out[f.name] = (f.default is None, f.default)
        elif f.default_factory is not dataclasses.MISSING:
            out[f.name] = (False, f.default_factory())
        else:
            out[f.name] = (False, "")
    return out


class RecordForm(QWidget):
    edited = Signal(str)  # the field the clerk changed

    def __init__(self, sheet: SheetSpec, fields: Sequence[FormField], choices: Choices | None = None,
                 columns: int = 2, parent: QWidget | None = None, record_type: type | None = None) -> None:
        super().__init__(parent)
        record_type = record_type or sheet.record_type
        assert record_type is not None
        defaults = _defaults(record_type)
        self._base: R.Record | Any = None
        self.editors: dict[str, FieldEditor] = {}
        self.messages: dict[str, QLabel] = {}
        self.labels: dict[str, QLabel] = {}
        self.touched: set[str] = set()
        self.reveal_all = False
        self.read_only = False  # the whole form (a 查看 at the district)
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        row = col = 0
        for spec in fields:
            column = sheet.column(spec.field)
            optional, empty = defaults.get(spec.field, (True, None))
            editor = make_editor(column, optional=optional and not spec.required, empty=empty,
                                 multiline=spec.multiline,
                                 choices=choices(spec.choices) if spec.choices and choices else None, parent=self)
            editor.set_read_only(spec.read_only)
            editor.changed.connect(lambda name=spec.field: self._on_changed(name))
            label = QLabel((spec.label or column.header) + "：")
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            label.setBuddy(editor.widget)
            label.setContentsMargins(0, 4, 0, 0)
            message = QLabel()
            message.setWordWrap(True)
            message.hide()
            cell = QWidget()
            box = QVBoxLayout(cell)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(1)
            box.addWidget(editor.widget)
            box.addWidget(message)
            box.addStretch(1)  # the editor stays level with its label when a neighbour has a message
            if spec.wide and col:
                row, col = row + 1, 0
            span = 2 * columns - 1 if spec.wide else 1
            grid.addWidget(label, row, 2 * col)
            grid.addWidget(cell, row, 2 * col + 1, 1, span)
            col = columns if spec.wide else col + 1
            if col >= columns:
                row, col = row + 1, 0
            self.editors[spec.field], self.messages[spec.field], self.labels[spec.field] = editor, message, label
        for c in range(columns):
            grid.setColumnStretch(2 * c + 1, 1)
        self.general = QLabel()
        self.general.setWordWrap(True)
        self.general.setStyleSheet(ERROR_STYLE)
        self.general.hide()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(grid)
        outer.addWidget(self.general)
        outer.addStretch(1)

    # -- values --------------------------------------------------------------------------------
    def set_record(self, record: R.Record | Any) -> None:
        self._base = record
        for name, editor in self.editors.items():
            editor.set_value(getattr(record, name, None))
        self.touched.clear()
        self.reveal_all = False
        self.show_issues([])

    def values(self) -> dict[str, object]:
        return {name: editor.value() for name, editor in self.editors.items()}

    def record(self) -> R.Record | Any:
        """The record as the form now has it (the fields not in the form unchanged)."""
        return dataclasses.replace(self._base, **self.values())

    def editor(self, name: str) -> FieldEditor:
        return self.editors[name]

    def first_editable(self) -> FieldEditor | None:
        return next((e for e in self.editors.values() if not e.read_only), None)

    def set_value(self, name: str, value: object) -> None:
        self.editors[name].set_value(value)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        for editor in self.editors.values():
            editor.set_read_only(read_only)

    def mask_private(self) -> None:
        """Show the 身份证号 and phone numbers masked (a read-only view whose list masks them)."""
        for editor in self.editors.values():
            if editor.column.kind in (Kind.ID_NUMBER, Kind.PHONE):
                editor.show_masked()

    def set_field_visible(self, name: str, visible: bool) -> None:
        self.labels[name].setVisible(visible)
        self.editors[name].widget.parentWidget().setVisible(visible)

    def _on_changed(self, name: str) -> None:
        self.touched.add(name)
        self.edited.emit(name)

    # -- messages ------------------------------------------------------------------------------
    def show_issues(self, issues: Sequence[Issue]) -> None:
        by_field: dict[str, list[Issue]] = {}
        general: list[str] = []
        for issue in issues:
            if issue.field in self.editors:
                by_field.setdefault(issue.field, []).append(issue)
            elif self.reveal_all:
                general.append(issue.message)
        for name, label in self.messages.items():
            shown = by_field.get(name, []) if (self.reveal_all or name in self.touched) else []
            label.setText("\n".join(i.message for i in shown))
            label.setStyleSheet(ERROR_STYLE if any(i.is_error for i in shown) else WARNING_STYLE)
            label.setVisible(bool(shown))
        self.general.setStyleSheet(ERROR_STYLE)
        self.general.setText("\n".join(general))
        self.general.setVisible(bool(general))

    def note(self, text: str) -> None:
        """A line under the form (after the messages that belong to no field)."""
        before = "" if self.general.isHidden() else self.general.text()
        if not before:  # no message of its own: the note is a 提示's colour
            self.general.setStyleSheet(WARNING_STYLE)
        self.general.setText(f"{before}\n{text}" if before else text)
        self.general.setVisible(True)

    def message(self, name: str) -> str:
        label = self.messages[name]
        return label.text() if not label.isHidden() else ""

    def first_error_field(self, issues: Sequence[Issue]) -> str | None:
        return next((i.field for i in issues if i.is_error and i.field in self.editors), None)
