"""Menu entries whose features load heavy modules: the actions are made with the window, the
feature's module is imported the first time its action is used.

The roster wizard (数据交换 → 导入已有名册) and the printed lists (统计 → 打印…) need the
importers, SQLAlchemy and the report layout; importing them while the window is built would
add about half a second to every start, before the first rows could be shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QWidget

from .context import UiContext

ROSTER_DISTRICT_TIP = "区级数据库的记录来自各乡镇报送的数据包，不能直接导入名册；请在乡镇的数据库中导入后报送"

PRINT_ACTIONS = (  # (object name, menu text, what it prints: a services.reports.ReportKind value)
    ("action_print_members", "打印党员花名册(&M)…", "members"),
    ("action_print_reserve", "打印后备干部花名册(&C)…", "reserve"),
    ("action_print_requests", "打印代办事项台账(&R)…", "requests"),
)


def install_roster_import(window: Any, action: QAction) -> None:
    """Connect 数据交换 → 导入已有名册 in ``window`` (a ``MainWindow``): a township opens the
    wizard and re-reads every tab after a commit; a district's action is disabled."""
    ctx: UiContext = window.ctx
    if ctx.read_only:
        action.setEnabled(False)
        action.setToolTip(window.tr(ROSTER_DISTRICT_TIP))
        action.setStatusTip(window.tr(ROSTER_DISTRICT_TIP))
        return
    action.setEnabled(True)
    action.setToolTip(window.tr("把本单位已有的 Excel/WPS 名册（花名册、台账）导入：先预览，确认后写入"))

    def start() -> None:
        from .roster_wizard import RosterWizard

        wizard = RosterWizard(ctx, window)
        from PySide6.QtCore import Qt  # not before the first rows: see qt_ints

        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.imported.connect(lambda _result: window.refresh_all())
        wizard.open()

    action.triggered.connect(lambda _checked=False: start())


def print_actions(parent: QWidget, ctx: UiContext,
                  open_dialog: Callable[[QDialog], object] = lambda d: d.exec()) -> list[QAction]:
    """The three 统计 menu entries, each opening the dialog for its list."""
    def show(kind: str) -> None:
        from ..services.reports import ReportKind
        from .report_dialog import PrintReportDialog

        dialog = PrintReportDialog(ctx, ReportKind(kind), parent=parent)
        from PySide6.QtCore import Qt  # not before the first rows: see qt_ints

        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        open_dialog(dialog)

    actions = []
    for name, text, kind in PRINT_ACTIONS:
        action = QAction(parent.tr(text), parent)
        action.setObjectName(name)
        action.triggered.connect(lambda _checked=False, k=kind: show(k))
        actions.append(action)
    return actions
