"""``文件 → 备份/恢复``: the list of backups (time, kind, size, row counts), a backup made now,
and restoring one after the clerk confirms (the current data is backed up first).

Wiring (``main_window``, for ``action_backup`` and ``action_restore``)::

    dialog = BackupDialog(BackupService.for_store(ctx.store), self, ctx.workers)
    dialog.restored.connect(lambda path: self.refresh_all())  # path: the restored database
    dialog.exec()

or ``show_backup_dialog(service, parent, workers)``, which returns the restored path or None.
With ``workers`` the backup and the restore run off the GUI thread (the dialog is disabled
meanwhile); without, they run in place under a wait cursor.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel, QMessageBox, QPushButton,
    QTableView, QVBoxLayout, QWidget,
)

from ..domain.errors import DomainError
from ..services.backup_service import COUNT_LABELS, BackupInfo, BackupService, RestoreResult
from . import file_dialogs
from .row_list_model import RowListModel
from .workers import Workers
from .screen_fit import resize_to_fit

T = TypeVar("T")


def run_service(owner: QWidget, workers: Workers | None, work: Callable[[], T], on_done: Callable[[T], None],
                title: str) -> None:
    """Run ``work`` with ``owner`` disabled, then ``on_done(result)``; a DomainError becomes a
    warning naming what to do, anything else goes to the window's error handler."""
    def failed(exc: BaseException) -> None:
        if isinstance(exc, DomainError):
            QMessageBox.warning(owner, title, exc.message)
        elif workers is not None:
            workers.on_error(exc)
        else:
            raise exc

    if workers is not None:
        workers.call(work, on_result=on_done, on_error=failed, busy=[owner])
        return
    owner.setEnabled(False)
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        result = work()
    except DomainError as exc:
        QGuiApplication.restoreOverrideCursor()
        owner.setEnabled(True)
        failed(exc)
        return
    except BaseException:
        QGuiApplication.restoreOverrideCursor()
        owner.setEnabled(True)
        raise
    QGuiApplication.restoreOverrideCursor()
    owner.setEnabled(True)
    on_done(result)


def size_text(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{max(1, round(size / 1024))} KB"


class BackupTableModel(RowListModel):
    """A passive list of backups (``BackupInfo``), newest first; fed by ``set_rows``."""

    COL_TIME, COL_KIND, COL_SIZE = 0, 1, 2
    COUNT_COLUMNS = tuple(COUNT_LABELS.values())
    HEADERS = ("时间", "类型", "大小", *COUNT_COLUMNS, "文件")

    def cell(self, b: BackupInfo, col: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(b, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= self.COL_SIZE and col < len(self.HEADERS) - 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(b.path)
        return None

    def _text(self, b: BackupInfo, col: int) -> str:
        if col == self.COL_TIME:
            return f"{b.taken_at:%Y-%m-%d %H:%M:%S}"
        if col == self.COL_KIND:
            return b.label
        if col == self.COL_SIZE:
            return size_text(b.size)
        if col == len(self.HEADERS) - 1:
            return b.path.name
        if b.counts is None:
            return self.tr("无法读取")
        return f"{b.counts.get(self.HEADERS[col], 0):,}"


class BackupDialog(QDialog):
    """Lists the backups of the open database; makes one; restores one."""

    restored = Signal(str)  # path of the restored database (may differ from before: switch to it)

    def __init__(self, service: BackupService, parent: QWidget | None = None, workers: Workers | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.workers = workers
        self.last_result: RestoreResult | None = None
        self.setWindowTitle(self.tr("备份/恢复"))
        resize_to_fit(self, 900, 420)
        intro = QLabel(self.tr(
            "备份保存在 {folder}。\n程序每天第一次启动、每次导入和升级前都会自动备份（保留最近 7 天和 12 个月的每日备份），"
            "每个备份都经过完整性检查和行数核对。恢复前会先备份当前数据。"
        ).format(folder=service.folder))
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model = BackupTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _i: self.restore_selected())
        self.empty_label = QLabel(self.tr("还没有备份。点击“立即备份”做第一个备份。"))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.backup_button = self._button(buttons, self.tr("立即备份(&B)"), self.backup_now)
        self.restore_button = self._button(buttons, self.tr("恢复所选备份(&R)…"), self.restore_selected)
        self.file_button = self._button(buttons, self.tr("从其他文件恢复(&F)…"), self.restore_from_file)
        self.folder_button = self._button(buttons, self.tr("打开备份文件夹(&O)"), self.open_folder)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(self.empty_label)
        layout.addWidget(buttons)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.refresh()

    def _button(self, box: QDialogButtonBox, text: str, slot: Any) -> QPushButton:
        button = box.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def refresh(self) -> None:
        self.model.set_rows(self.service.list())
        self.empty_label.setVisible(self.model.rowCount() == 0)
        if self.model.rowCount():
            self.table.selectRow(0)
        self._update_buttons()

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        chosen = self.selected()
        self.restore_button.setEnabled(chosen is not None and chosen.readable)

    def backup_now(self) -> None:
        run_service(self, self.workers, self.service.make_now, lambda _info: self.refresh(), self.tr("备份"))

    def restore_selected(self) -> None:
        chosen = self.selected()
        if chosen is None or not chosen.readable:
            return
        counts = "，".join(f"{k} {v:,}" for k, v in (chosen.counts or {}).items())
        question = self.tr(
            "确定用 {when} 的备份（{kind}）替换当前数据吗？\n\n备份中有：{counts}。\n\n"
            "之后录入的数据将不在恢复后的数据库中；恢复前会先把当前数据备份到 backups 文件夹。"
        ).format(when=f"{chosen.taken_at:%Y-%m-%d %H:%M}", kind=chosen.label, counts=counts)
        self._confirm_and_restore(chosen.path, question)

    def restore_from_file(self) -> None:
        name = choose_backup_file(self, self.service, self.tr("备份/恢复"))
        if name is None:
            return
        question = self.tr("确定用备份文件 {name} 替换当前数据吗？\n\n恢复前会先把当前数据备份到 backups 文件夹。").format(name=name)
        self._confirm_and_restore(Path(name), question)

    def _confirm_and_restore(self, backup: Path, question: str) -> None:
        other = self.service.unit_mismatch(backup)
        if other is not None:
            question = other_unit_question(other) + "\n\n" + question
        if ask(self, self.tr("恢复备份"), question):
            run_service(self, self.workers, lambda: self.service.restore(backup, other_unit=other is not None),
                        self._restored, self.tr("恢复备份"))

    def _restored(self, result: RestoreResult) -> None:
        self.last_result = result
        self.refresh()
        QMessageBox.information(self, self.tr("恢复完成"), restore_summary(result))
        self.restored.emit(str(result.db_path))

    def open_folder(self) -> None:
        self.service.folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.service.folder)))


def ask(parent: QWidget, title: str, question: str) -> bool:
    """Yes or No, No the default."""
    answer = QMessageBox.question(parent, title, question, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def other_unit_question(mismatch: str) -> str:
    """The warning before a backup of another unit replaces the data (``BackupService.unit_mismatch``,
    the check that makes ``restore`` on the command line refuse without ``--other-unit``)."""
    return QCoreApplication.translate("BackupDialog", "注意：{mismatch}。恢复后当前数据库将变成备份中的单位。\n\n"
                                      "确定要用其他单位的备份替换当前数据吗？").format(mismatch=mismatch)


def choose_backup_file(parent: QWidget, service: BackupService, problem_title: str) -> Path | None:
    """Ask for a backup file anywhere (a USB stick…) and check it; None if cancelled or unusable."""
    name = file_dialogs.open_file_name(
        parent, parent.tr("选择备份文件"), str(service.folder), parent.tr("数据库备份 (*.db);;所有文件 (*)"))
    if not name:
        return None
    problem = service.check(Path(name))
    if problem is not None:
        QMessageBox.warning(parent, problem_title, problem)
        return None
    return Path(name)


def restore_summary(result: RestoreResult) -> str:
    """What the clerk is told after a restore (also used by the recovery dialog)."""
    def tr(text: str) -> str:
        return QCoreApplication.translate("BackupDialog", text)

    counts = "，".join(f"{k} {v:,}" for k, v in result.counts.items())
    text = tr("已从备份 {name} 恢复，并通过了完整性检查：{counts}。").format(name=result.backup.name, counts=counts)
    if result.kept is not None and result.kept.is_dir():
        text += "\n" + tr("损坏的原文件已原样保存在：{kept}").format(kept=result.kept)
    elif result.kept is not None:
        text += "\n" + tr("恢复前的数据已备份为：{kept}").format(kept=result.kept)
    if result.db_path != result.target:
        text += "\n" + tr("原数据库文件 {target} 的文件头已损坏，恢复的数据库另存为 {path}，程序将改用这个文件。").format(
            target=result.target, path=result.db_path)
    return text


def show_backup_dialog(service: BackupService, parent: QWidget | None = None,
                       workers: Workers | None = None) -> Path | None:
    """Open the dialog modally; the restored database's path, or None if nothing was restored."""
    dialog = BackupDialog(service, parent, workers)
    dialog.exec()
    result = dialog.last_result
    dialog.deleteLater()
    return None if result is None else result.db_path
