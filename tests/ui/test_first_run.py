"""The first-run dialog asks the unit and the operator and checks them as typed."""

from __future__ import annotations

from PySide6.QtCore import Qt

from dangjian_desktop.domain.enums import UnitMode
from dangjian_desktop.ui.first_run import FirstRunDialog
from ui_helpers import type_text


def test_first_run_checks_the_area_code(qtbot):
    dialog = FirstRunDialog("/tmp/new.db")
    qtbot.addWidget(dialog)
    type_text(qtbot, dialog.name, "青石镇")
    type_text(qtbot, dialog.code, "41099910100")
    dialog.accept()
    assert dialog.unit is None and "12 位数字" in dialog.message.text()
    qtbot.keyClick(dialog.code, Qt.Key.Key_End)
    type_text(qtbot, dialog.code, "0")
    type_text(qtbot, dialog.operator, "李文书")
    assert dialog.message.text() == ""
    dialog.accept()
    assert dialog.unit is not None
    assert (dialog.unit.mode, dialog.unit.name, dialog.unit.code, dialog.unit.operator) == (
        UnitMode.TOWNSHIP, "青石镇", "410999101000", "李文书")


def test_district_mode_can_be_chosen(qtbot):
    dialog = FirstRunDialog("/tmp/new.db")
    qtbot.addWidget(dialog)
    dialog.mode.setCurrentIndex(1)
    type_text(qtbot, dialog.name, "青川区")
    type_text(qtbot, dialog.code, "410999000000")
    dialog.accept()
    assert dialog.unit.mode is UnitMode.DISTRICT
