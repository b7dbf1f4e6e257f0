"""What the window shows before it opens a database that failed the start-up check: a damaged
database (offer the newest good backup and restore it) or one on a removable drive or a
network share (offer to move it to the local data folder).

Wiring (``app.py``), before ``Store.open``::

    path = resolve_startup(path, workers=workers)  # shows the dialogs only when needed
    if path is None:
        return 1                      # the clerk chose to quit; nothing was written
    store = Store.open(path)
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QGroupBox, QHBoxLayout, QLabel, QMessageBox, QStyle,
    QVBoxLayout, QWidget,
)

from ..domain.errors import DomainError
from ..services.backup_service import BackupInfo, BackupService, RestoreResult, damaged_folder, move_database
from ..services.startup_check import StartupCheck, startup_check
from .backup_dialog import ask, choose_backup_file, other_unit_question, restore_summary, run_service
from .workers import Workers


def _tr(text: str) -> str:
    return QCoreApplication.translate("RecoveryDialog", text)


def describe_backup(info: BackupInfo) -> str:
    counts = "，".join(f"{k} {v:,}" for k, v in (info.counts or {}).items())
    return _tr("{when}（{kind}）\n{counts}\n文件：{path}").format(
        when=f"{info.taken_at:%Y-%m-%d %H:%M:%S}", kind=info.label, counts=counts, path=info.path)


class RecoveryDialog(QDialog):
    """A damaged database: show what is wrong, offer the newest good backup, restore it."""

    def __init__(self, check: StartupCheck, service: BackupService, parent: QWidget | None = None,
                 workers: Workers | None = None) -> None:
        super().__init__(parent)
        self.check = check
        self.service = service
        self.workers = workers
        self.chosen: BackupInfo | None = check.newest_good
        self.result_path: Path | None = None
        self.setWindowTitle(self.tr("数据库已损坏 — 党建台账"))
        self.setMinimumWidth(620)

        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(48, 48))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        headline = QLabel(self.tr("<b>数据库文件已损坏，程序没有打开它。</b>"))
        message = QLabel(check.damage_message or "")
        message.setWordWrap(True)
        message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top = QHBoxLayout()
        top.addWidget(icon)
        text = QVBoxLayout()
        text.addWidget(headline)
        text.addWidget(message)
        top.addLayout(text, 1)

        self.backup_box = QGroupBox(self.tr("可以恢复的最新完好备份"))
        self.backup_label = QLabel()
        self.backup_label.setWordWrap(True)
        self.backup_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box_layout = QVBoxLayout(self.backup_box)
        box_layout.addWidget(self.backup_label)

        steps = QLabel(self.tr(
            "恢复时，程序先把损坏的文件原样复制到 {damaged}，再用备份替换数据库并做完整性检查。"
            "备份之后录入的数据需要重新录入。"
        ).format(damaged=damaged_folder(check.db_path)))
        steps.setWordWrap(True)

        buttons = QDialogButtonBox()
        self.restore_button = buttons.addButton(self.tr("用这个备份恢复(&R)"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.file_button = buttons.addButton(self.tr("选择其他备份文件(&F)…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.quit_button = buttons.addButton(self.tr("退出(&Q)"), QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.clicked.connect(lambda _c=False: self.restore())
        self.file_button.clicked.connect(lambda _c=False: self.choose_file())
        self.quit_button.clicked.connect(self.reject)
        for b in (self.file_button, self.quit_button):
            b.setAutoDefault(False)
        self.restore_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.backup_box)
        layout.addWidget(steps)
        layout.addWidget(buttons)
        self._show_chosen()

    def _show_chosen(self) -> None:
        if self.chosen is None:
            self.backup_label.setText(self.tr(
                "在 {folder} 中没有找到完好的备份。\n如果在U盘或其他地方存有备份，请点击“选择其他备份文件”。"
            ).format(folder=self.service.folder))
        else:
            self.backup_label.setText(describe_backup(self.chosen))
        self.restore_button.setEnabled(self.chosen is not None)

    def choose_file(self) -> None:
        path = choose_backup_file(self, self.service, self.tr("无法使用这个文件"))
        if path is None:
            return
        self.chosen = self.service.describe(path)
        self.backup_box.setTitle(self.tr("选定的备份"))
        self._show_chosen()

    def restore(self) -> None:
        if self.chosen is None:
            return
        backup = self.chosen.path
        other = self.service.unit_mismatch(backup)
        if other is not None and not ask(self, self.tr("恢复备份"), other_unit_question(other)):
            return
        run_service(self, self.workers, lambda: self.service.restore(backup, other_unit=other is not None),
                    self._restored, self.tr("恢复失败"))

    def _restored(self, result: RestoreResult) -> None:
        self.result_path = result.db_path
        QMessageBox.information(self, self.tr("恢复完成"), restore_summary(result))
        self.accept()


def ask_to_move(check: StartupCheck, parent: QWidget | None = None) -> Path | None:
    """A database on a removable drive or share: offer the move; the new path, or None to quit."""
    box = QMessageBox(QMessageBox.Icon.Warning, _tr("数据库位置不安全 — 党建台账"), check.location_warning or "",
                      QMessageBox.StandardButton.NoButton, parent)
    move = box.addButton(_tr("迁移到本机(&M)"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_tr("退出(&Q)"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(move)
    box.exec()
    if box.clickedButton() is not move:
        return None
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        new_path = move_database(check.db_path, check.local_dir)
    except DomainError as exc:
        QGuiApplication.restoreOverrideCursor()
        QMessageBox.warning(parent, _tr("迁移失败"), exc.message)
        return None
    QGuiApplication.restoreOverrideCursor()
    QMessageBox.information(parent, _tr("迁移完成"), _tr(
        "数据库已复制到 {new} 并通过了完整性检查。\n原文件 {old} 保留未动；以后请只使用新位置的数据库。"
    ).format(new=new_path, old=check.db_path))
    return new_path


def resolve_startup(db_path: Path, parent: QWidget | None = None, local_dir: Path | None = None,
                    drive_of: Callable | None = None, workers: Workers | None = None) -> Path | None:
    """The database the window may open for writing, after any recovery or move the clerk
    agreed to; None when the clerk chose to quit (then nothing was written)."""
    check = startup_check(db_path, local_dir, drive_of)
    if check.damaged:
        dialog = RecoveryDialog(check, BackupService(check.db_path), parent, workers)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        restored = dialog.result_path
        dialog.deleteLater()
        if not accepted or restored is None:
            return None
        check = startup_check(restored, local_dir, drive_of)
    if check.location_warning is not None:
        return ask_to_move(check, parent)
    return check.db_path
