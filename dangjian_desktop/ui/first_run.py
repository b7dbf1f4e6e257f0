"""The first-run dialog: which unit this database belongs to (乡镇 or 区, name, 12-digit
统计用区划代码) and who operates it; checked with ``domain.unit.make_unit`` as the clerk types."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget,
)

from ..domain.enums import UnitMode
from ..domain.errors import ValidationError
from ..domain.unit import UnitSettings, make_unit
from .record_form import ERROR_STYLE


class FirstRunDialog(QDialog):
    def __init__(self, db_path: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("首次使用：设置单位"))
        self.unit: UnitSettings | None = None
        intro = QLabel(self.tr(f"数据库 {db_path} 还没有设置所属单位。请填写本单位的信息，"
                               "设置后不能更改。乡镇录入台账并每月报送数据包；区汇总各乡镇的数据包。"))
        intro.setWordWrap(True)
        self.mode = QComboBox()
        self.mode.addItem(self.tr("乡镇（街道）"), UnitMode.TOWNSHIP)
        self.mode.addItem(self.tr("区（县）"), UnitMode.DISTRICT)
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("如：青石镇"))
        self.code = QLineEdit()
        self.code.setPlaceholderText(self.tr("12 位统计用区划代码，如 410102001000"))
        self.code.setMaxLength(16)
        self.operator = QLineEdit()
        self.operator.setPlaceholderText(self.tr("操作员姓名，记入操作日志"))
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("单位类型："), self.mode)
        form.addRow(self.tr("单位名称："), self.name)
        form.addRow(self.tr("区划代码："), self.code)
        form.addRow(self.tr("操作员："), self.operator)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        for edit in (self.name, self.code, self.operator):
            edit.textEdited.connect(lambda _t: self._check(quiet=True))
        self.setMinimumWidth(460)

    def _check(self, quiet: bool = False) -> UnitSettings | None:
        try:
            unit = make_unit(self.mode.currentData(), self.name.text(), self.code.text(), self.operator.text())
        except ValidationError as exc:
            touched = {"name": self.name, "code": self.code}.get(exc.field)
            show = not quiet or (touched is not None and touched.text().strip() != "")
            self.message.setText(exc.message if show else "")
            return None
        self.message.setText("")
        return unit

    def accept(self) -> None:
        unit = self._check()
        if unit is not None:
            self.unit = unit
            super().accept()
