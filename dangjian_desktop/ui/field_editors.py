"""One editor widget per kind of column (``exchange.columns.Kind``): what the form builder
puts beside each label.

An editor turns what the clerk typed into the field's value: a date, a ``PartialDate``, an
int, a ``Decimal``, an enum member, a canonical phone or 身份证号. Text it cannot read is
handed on as typed, so that domain validation names the problem in Chinese beside the field
instead of the editor silently dropping it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QWidget

from ..domain.dates import PartialDate
from ..domain.errors import IdNumberError, PhoneError
from ..domain.idcard import mask_id_number, normalise
from ..domain.phone import mask_phone, parse_phone
from ..domain.pipeline import id_number_for_input
from ..exchange.columns import Column, Kind
from ..services.query_types import Choice
from .choice_combo import show_plainly
from .formatting import cell_text

READ_ONLY_STYLE = "QLineEdit { background: palette(window); }"  # visibly not for typing in
_DATE = re.compile(r"\s*([0-9]{4})\s*(?:[-./年])\s*([0-9]{1,2})\s*(?:(?:[-./月])\s*([0-9]{1,2})\s*日?)?\s*月?\s*")
_COMPACT = re.compile(r"\s*([0-9]{4})([0-9]{2})([0-9]{2})?\s*")


def parse_date_text(text: str, *, partial: bool) -> date | PartialDate | str | None:
    """2026-11-26, 2026.11.26, 2026/11/26, 20261126, 2026年11月26日 (also in full-width digits,
    or with the 。 of a Chinese input method); with ``partial`` also 2026-11 or 2026年11月.
    Empty gives None; anything else is returned as typed."""
    if not text.strip():
        return None
    text = unicodedata.normalize("NFKC", text).replace("。", ".")  # a Chinese input method's ２０２６。１１
    m = _DATE.fullmatch(text) or _COMPACT.fullmatch(text)
    if m is None:
        return text.strip()
    year, month, day = int(m[1]), int(m[2]), m[3]
    try:
        if day is None:
            return PartialDate.month(year, month) if partial else text.strip()
        value = date(year, month, int(day))
    except ValueError:
        return text.strip()
    return PartialDate.of(value) if partial else value


class FieldEditor(QObject):
    """The widget for one field, its value, and a signal when the clerk changes it."""

    changed = Signal()

    def __init__(self, column: Column, optional: bool, empty: object, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.column, self.optional, self.empty = column, optional, empty
        self.read_only = False
        self.widget: QWidget = self._make()

    def _make(self) -> QWidget:
        edit = QLineEdit()
        edit.textEdited.connect(lambda _t: self.changed.emit())
        return edit

    @property
    def line(self) -> QLineEdit:
        assert isinstance(self.widget, QLineEdit)
        return self.widget

    def value(self) -> object:
        text = self.line.text().strip()
        return self._parse(text) if text else self.empty

    def _parse(self, text: str) -> object:
        return text

    def set_value(self, value: object) -> None:
        self.line.setText(cell_text(self.column.kind, value, reveal_ids=True))

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.line.setReadOnly(read_only)
        self.line.setStyleSheet(READ_ONLY_STYLE if read_only else "")
        self._skip_in_tab_order(read_only)

    def _skip_in_tab_order(self, read_only: bool) -> None:
        """A field shown but not for typing (序号, 办理状态) is skipped by Tab; a click still
        selects its text for copying."""
        if not hasattr(self, "_focus_policy"):
            self._focus_policy = self.widget.focusPolicy()
        self.widget.setFocusPolicy(Qt.FocusPolicy.ClickFocus if read_only else self._focus_policy)

    def show_masked(self) -> None:
        """Show a 身份证号 or phone number masked, as the lists and printouts do (a read-only
        view only: the text is no longer the value)."""
        text = self.line.text()
        if text and self.column.kind is Kind.ID_NUMBER:
            self.line.setText(mask_id_number(text))
        elif text and self.column.kind is Kind.PHONE:
            self.line.setText(mask_phone(text))


class TextEditor(FieldEditor):
    def _parse(self, text: str) -> object:
        return " ".join(text.split())  # names and short texts: no stray or double spaces


class LongTextEditor(FieldEditor):
    def _make(self) -> QWidget:
        edit = QPlainTextEdit()
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(50)
        edit.textChanged.connect(self.changed)
        return edit

    def value(self) -> object:
        assert isinstance(self.widget, QPlainTextEdit)
        return self.widget.toPlainText().strip()

    def set_value(self, value: object) -> None:
        assert isinstance(self.widget, QPlainTextEdit)
        self.widget.blockSignals(True)
        self.widget.setPlainText("" if value is None else str(value))
        self.widget.blockSignals(False)

    def set_read_only(self, read_only: bool) -> None:
        assert isinstance(self.widget, QPlainTextEdit)
        self.read_only = read_only
        self.widget.setReadOnly(read_only)
        self.widget.setStyleSheet(READ_ONLY_STYLE.replace("QLineEdit", "QPlainTextEdit") if read_only else "")
        self._skip_in_tab_order(read_only)


class IdNumberEditor(FieldEditor):
    def _make(self) -> QWidget:
        edit = super()._make()
        assert isinstance(edit, QLineEdit)
        edit.setPlaceholderText(self.tr("18 位，末位可为 X"))
        return edit

    def _parse(self, text: str) -> object:
        try:
            return id_number_for_input(text, date.today())[0]  # 15 digits → 18, x → X
        except IdNumberError:
            return normalise(text)


class PhoneEditor(FieldEditor):
    def _parse(self, text: str) -> object:
        try:
            return parse_phone(text)
        except PhoneError:
            return text


class DateEditor(FieldEditor):
    def _make(self) -> QWidget:
        edit = super()._make()
        assert isinstance(edit, QLineEdit)
        partial = self.column.kind is Kind.PARTIAL_DATE
        edit.setPlaceholderText(self.tr("年-月-日 或 年-月") if partial else self.tr("年-月-日"))
        return edit

    def _parse(self, text: str) -> object:
        return parse_date_text(text, partial=self.column.kind is Kind.PARTIAL_DATE)


# The word a clerk writes after a number, by how the column's header ends: 2026年, 35人, 3次.
_COUNTED = {"年度": "年", "年份": "年", "人数": "人", "次数": "次", "户数": "户"}


def number_units(header: str) -> tuple[str, ...]:
    """The units a number in this column may be written with: the header's own (its （万元）
    or （平方米）; 万 alone for 万元) and the counting word (年度 → 年, 人数 → 人)."""
    units: list[str] = []
    if header.endswith("）") and "（" in header:
        unit = header[header.rindex("（") + 1:-1]
        units += [unit, "万"] if unit == "万元" else [unit]
        units += ["㎡", "m²", "平米"] if unit == "平方米" else []
    units += [word for end, word in _COUNTED.items() if header.endswith(end)]
    return tuple(units)


def parse_number_text(text: str, header: str, *, integer: bool) -> object:
    """An int or a finite ``Decimal`` from what the clerk typed (full-width digits, thousands
    commas and the column's unit allowed: 2026年, 12.5万元); anything else is returned as typed."""
    plain = unicodedata.normalize("NFKC", text).replace(",", "").replace("，", "").strip()
    for unit in number_units(header):
        if plain.endswith(unit) and plain != unit:
            plain = plain[:-len(unit)].strip()
            break
    try:
        if integer:
            return int(plain)
        value = Decimal(plain)
        return value if value.is_finite() else text
    except (ValueError, InvalidOperation):
        return text


class NumberEditor(FieldEditor):
    def _parse(self, text: str) -> object:
        return parse_number_text(text, self.column.header, integer=self.column.kind is Kind.INT)


class BoolEditor(FieldEditor):
    def _make(self) -> QWidget:
        box = QCheckBox()
        box.toggled.connect(lambda _c: self.changed.emit())
        return box

    def value(self) -> object:
        assert isinstance(self.widget, QCheckBox)
        return self.widget.isChecked()

    def set_value(self, value: object) -> None:
        assert isinstance(self.widget, QCheckBox)
        self.widget.blockSignals(True)
        self.widget.setChecked(bool(value))
        self.widget.blockSignals(False)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.widget.setEnabled(not read_only)


class ChoiceEditor(FieldEditor):
    """A drop-down: an enum, 是/否/未填, or a reference to another record (by UUID).

    The values are kept in a Python list beside the items, because a ``QComboBox`` item's data
    would turn an enum member into a plain string."""

    def __init__(self, column: Column, optional: bool, empty: object, choices: Sequence[Choice],
                 parent: QObject | None = None) -> None:
        self._choices = list(choices)
        self._values: list[object] = []
        super().__init__(column, optional, empty, parent)

    def _make(self) -> QWidget:
        combo = QComboBox()
        combo.setMaxVisibleItems(20)
        self._fill(combo, self._choices)
        show_plainly(combo)  # a branch shows without its tree indent when closed, named in full as the tooltip
        combo.activated.connect(lambda _i: self.changed.emit())
        return combo

    @property
    def combo(self) -> QComboBox:
        assert isinstance(self.widget, QComboBox)
        return self.widget

    def _fill(self, combo: QComboBox, choices: Sequence[Choice]) -> None:
        combo.clear()
        self._values = []
        if self.optional:
            combo.addItem(self.tr("（未填）"))
            self._values.append(None)
        for c in choices:
            combo.addItem(c.label)
            self._values.append(c.value)

    def set_choices(self, choices: Sequence[Choice]) -> None:
        current = self.value()
        self._choices = list(choices)
        self.combo.blockSignals(True)
        self._fill(self.combo, self._choices)
        self.combo.blockSignals(False)
        self.set_value(current)

    def value(self) -> object:
        i = self.combo.currentIndex()
        return self._values[i] if 0 <= i < len(self._values) else None

    def index_of(self, value: object) -> int:
        return next((i for i, v in enumerate(self._values) if v == value), -1)

    def set_value(self, value: object) -> None:
        i = self.index_of(value)
        if i < 0 and value is not None:  # a stored value the list does not know: show it, keep it
            self.combo.addItem(str(getattr(value, "value", value)))
            self._values.append(value)
            i = len(self._values) - 1
        if i < 0 and not self.optional:  # required and not given: the clerk chooses, nothing is chosen for them
            self.combo.setPlaceholderText(self.tr("（请选择）"))
            self.combo.setCurrentIndex(-1)
            return
        self.combo.setCurrentIndex(max(i, 0))

    def choose(self, value: object) -> None:
        """Select ``value`` as the clerk's click would (``changed`` is emitted)."""
        i = self.index_of(value)
        if i < 0:
            raise ValueError(f"{value!r} is not offered")
        self.combo.setCurrentIndex(i)
        self.combo.activated.emit(i)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.combo.setEnabled(not read_only)


def enum_choices(enum: type[StrEnum]) -> list[Choice]:
    return [Choice(e.value, e) for e in enum]


BOOL_CHOICES = [Choice("是", True), Choice("否", False)]

EDITORS: dict[Kind, type[FieldEditor]] = {
    Kind.TEXT: TextEditor, Kind.ID_NUMBER: IdNumberEditor, Kind.PHONE: PhoneEditor,
    Kind.DATE: DateEditor, Kind.PARTIAL_DATE: DateEditor, Kind.INT: NumberEditor, Kind.DECIMAL: NumberEditor,
    Kind.BOOL: BoolEditor,
}


def make_editor(column: Column, *, optional: bool, empty: object, multiline: bool = False,
                choices: Sequence[Choice] | None = None, parent: QObject | None = None) -> FieldEditor:
    if column.kind is Kind.ENUM and column.enum is not None:
        return ChoiceEditor(column, optional, empty, enum_choices(column.enum), parent)
    if column.kind is Kind.OPT_BOOL:
        return ChoiceEditor(column, True, None, BOOL_CHOICES, parent)
    if column.kind is Kind.UUID or choices is not None:
        return ChoiceEditor(column, optional, empty, choices or [], parent)
    if multiline:
        return LongTextEditor(column, optional, empty, parent)
    return EDITORS.get(column.kind, TextEditor)(column, optional, empty, parent)

