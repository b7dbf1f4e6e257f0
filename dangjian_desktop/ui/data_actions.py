"""The main window's data-safety and exchange entries, connected: 文件 → 备份数据库… / 从备份恢复…,
数据交换 → 导出月报数据包… / 导入乡镇数据包… / 审核乡镇数据包… (district) / 导入审核回执…
(township), 帮助 → 操作日志…, and at the township the latest verdict of the district in the
status bar. The window creates the placeholder actions; this module gives them their work, so
the window module stays a shell.

Editing can be held (``hold_editing``) while the start-up check of the database runs: the tabs
and every entry that writes are disabled until ``release_editing``.

Nothing here loads a service or a dialog module before it is needed: the window's start reads
its first rows without SQLAlchemy or Alembic, and opening a dialog the first time may take the
import.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QLabel, QWidget

from .review_status import ReviewStatusLabel

if TYPE_CHECKING:
    from .main_window import MainWindow

# (object name, text) of the window's entries this module connects; the window creates and places them.
DATA_ACTIONS = (
    ("action_backup", "备份数据库(&B)…"), ("action_restore", "从备份恢复(&R)…"),
    ("action_export_package", "导出月报数据包(&E)…"), ("action_import_package", "导入乡镇数据包(&I)…"),
    ("action_audit_log", "操作日志(&L)…"),
)
# Entries that write to the database (or copy it): off while editing is held.
WRITING_ACTIONS = ("action_new", "action_edit", "action_delete", "action_backup", "action_restore",
                   "action_export_package", "action_import_package", "action_import_roster", "action_review",
                   "action_import_receipt")


def _describe(action: QAction, tip: str) -> None:
    action.setToolTip(tip)
    action.setStatusTip(tip)


class DataActions(QObject):
    switch_requested = Signal(str)  # a restore put the data into another file: open that one

    def __init__(self, window: MainWindow, actions: dict[str, QAction]) -> None:
        super().__init__(window)
        self.window = window
        ctx = window.ctx
        district = ctx.unit.is_district
        pending = actions
        self.backup, self.restore = pending["action_backup"], pending["action_restore"]
        self.export, self.import_ = pending["action_export_package"], pending["action_import_package"]
        self.audit = pending["action_audit_log"]
        self.review = self._new_action("审核乡镇数据包(&V)…", "action_review")
        self.receipt = self._new_action("导入审核回执(&R)…", "action_import_receipt")
        menu = window.menus["exchange"]  # the two new entries right after 导入乡镇数据包
        after = menu.actions()[menu.actions().index(self.import_) + 1:]
        if after:
            menu.insertActions(after[0], [self.review, self.receipt])
        else:
            menu.addActions([self.review, self.receipt])

        for action, slot, tip in (
            (self.backup, self.show_backups, "立即备份数据库，查看已有的备份"),
            (self.restore, self.show_backups, "从备份恢复数据库（恢复前会先备份当前数据）"),
            (self.export, self.export_package, "把本乡镇的数据导出为月报数据包，报送到区里"
             if not district else "重新导出某个乡镇的月报数据包"),
            (self.import_, self.import_packages, "检查并导入乡镇报来的月报数据包"),
            (self.review, self.review_packages, "审核已导入的乡镇数据包，导出回执"),
            (self.receipt, self.import_receipt, "导入区里发回的审核回执，查看审核结果"),
            (self.audit, self.show_audit_log, "查看谁在什么时候做了哪些操作"),
        ):
            action.triggered.connect(lambda _c=False, s=slot: s())
            action.setEnabled(True)
            _describe(action, window.tr(tip))
        if not district:
            self.import_.setEnabled(False)
            _describe(self.import_, window.tr("乡镇的数据库不能导入乡镇数据包（这是区里的功能）；"
                                              "区里发回的审核回执请用“导入审核回执”"))
            self.review.setEnabled(False)
            _describe(self.review, window.tr("审核是区里的功能"))
        else:
            self.receipt.setEnabled(False)
            _describe(self.receipt, window.tr("审核回执由乡镇导入；区里在“审核乡镇数据包”中导出回执"))

        self.review_label = ReviewStatusLabel(ctx)  # filled by ``refresh()`` once the database is checked
        if not district:
            window.statusBar().addPermanentWidget(self.review_label)
        self._held: list[tuple[QAction, bool]] | None = None

    def _new_action(self, text: str, name: str) -> QAction:
        action = QAction(self.window.tr(text), self.window)
        action.setObjectName(name)
        return action

    # -- the entries ----------------------------------------------------------------------------
    def _open(self, dialog: QDialog) -> None:
        from PySide6.QtCore import Qt  # not before the first rows: see qt_ints

        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def show_backups(self) -> None:
        from ..services.backup_service import BackupService
        from .backup_dialog import BackupDialog

        ctx = self.window.ctx
        dialog = BackupDialog(BackupService.for_store(ctx.store), self.window, ctx.workers)
        dialog.restored.connect(self._restored)
        self._open(dialog)

    def _restored(self, path: str) -> None:
        if Path(path) != self.window.ctx.store.path:
            self.switch_requested.emit(path)  # the header of the old file was destroyed
        else:
            self.window.refresh_all()

    def export_package(self) -> None:
        from .package_export_dialog import PackageExportDialog

        self._open(PackageExportDialog(self.window.ctx, self.window, busy=[self.export]))

    def import_packages(self) -> None:
        from .package_import_dialog import PackageImportDialog

        dialog = PackageImportDialog(self.window.ctx, self.window, busy=[self.import_])
        dialog.imported.connect(lambda _report: self.window.refresh_all())
        self._open(dialog)

    def review_packages(self) -> None:
        from .review_dialog import ReviewDialog

        self._open(ReviewDialog(self.window.ctx, self.window))

    def import_receipt(self) -> None:
        from .review_dialog import import_receipts

        import_receipts(self.window.ctx, self.window, [self.receipt], self.review_label.refresh)

    def show_audit_log(self) -> None:
        from .audit_log_dialog import AuditLogDialog

        self._open(AuditLogDialog(self.window.ctx, self.window))

    # -- holding edits while the database is checked -------------------------------------------
    @property
    def editing_held(self) -> bool:
        return self._held is not None

    def hold_editing(self, note: str) -> None:
        """Browse nothing, write nothing: the tabs and every writing entry off, ``note`` shown."""
        window = self.window
        if self._held is None:
            actions = [a for a in window.findChildren(QAction) if a.objectName() in WRITING_ACTIONS]
            self._held = [(a, a.isEnabled()) for a in actions]
            for a in actions:
                a.setEnabled(False)
            window.tabs.setEnabled(False)
        self._note(note)

    def release_editing(self, note: str = "") -> None:
        if self._held is not None:
            for action, was_enabled in self._held:
                action.setEnabled(was_enabled)
            self._held = None
            self.window.tabs.setEnabled(True)
        self._note(note)

    def flash(self, text: str, msecs: int = 5000) -> None:
        """A passing note beside the counts (``showMessage`` would hide the counts meanwhile)."""
        self._note(text)
        QTimer.singleShot(msecs, self, lambda: self.note == text and self._held is None and self._note(""))

    def _note(self, text: str) -> None:
        label = self.window.findChild(QLabel, "check_note")
        if label is None:
            label = QLabel()
            label.setObjectName("check_note")
            self.window.statusBar().addPermanentWidget(label)
        label.setText(text)
        label.setVisible(bool(text))

    @property
    def note(self) -> str:
        label = self.window.findChild(QLabel, "check_note")
        return label.text() if isinstance(label, QWidget) and not label.isHidden() else ""
