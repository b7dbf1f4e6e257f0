"""The plain ints the first screen uses instead of Qt's enums (``ui/qt_ints.py``) are Qt's own."""

from __future__ import annotations

from PySide6.QtCore import Qt

from dangjian_desktop.ui import qt_ints as Q


def test_each_value_is_qts():
    roles = Qt.ItemDataRole
    assert (Q.DISPLAY_ROLE, Q.TOOLTIP_ROLE, Q.ALIGNMENT_ROLE, Q.BACKGROUND_ROLE, Q.FOREGROUND_ROLE, Q.USER_ROLE) == tuple(
        r.value for r in (roles.DisplayRole, roles.ToolTipRole, roles.TextAlignmentRole, roles.BackgroundRole,
                          roles.ForegroundRole, roles.UserRole))
    align = Qt.AlignmentFlag
    assert Q.ALIGN_LEFT_VCENTER == (align.AlignLeft | align.AlignVCenter).value
    assert Q.ALIGN_RIGHT_VCENTER == (align.AlignRight | align.AlignVCenter).value
    assert Q.QUEUED_CONNECTION == Qt.ConnectionType.QueuedConnection.value
    assert Q.SINGLE_SHOT_CONNECTION == Qt.ConnectionType.SingleShotConnection.value
    assert Q.TOOL_BUTTON_TEXT_ONLY == Qt.ToolButtonStyle.ToolButtonTextOnly.value
    assert Q.WIDGET_SHORTCUT == Qt.ShortcutContext.WidgetShortcut.value
    assert Q.TEXT_SELECTABLE_BY_MOUSE == Qt.TextInteractionFlag.TextSelectableByMouse.value


def test_properties_set_by_number_take_effect(qtbot):
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QLabel, QToolBar

    bar, label, action = QToolBar(), QLabel(), QAction()
    qtbot.addWidget(bar)
    qtbot.addWidget(label)
    bar.setProperty("toolButtonStyle", Q.TOOL_BUTTON_TEXT_ONLY)
    label.setProperty("textInteractionFlags", Q.TEXT_SELECTABLE_BY_MOUSE)
    action.setProperty("shortcutContext", Q.WIDGET_SHORTCUT)
    assert bar.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextOnly
    assert label.textInteractionFlags() == Qt.TextInteractionFlag.TextSelectableByMouse
    assert action.shortcutContext() == Qt.ShortcutContext.WidgetShortcut


def test_namespace_built_is_seen():
    assert Q.namespace_built()  # this module imported Qt
