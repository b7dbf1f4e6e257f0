"""数据交换 → 导出月报数据包: the month (last month by default), at the district the township,
and the folder (remembered); the export runs off the GUI thread behind a cancellable progress
dialog, and 导出成功 with the file's path (and 打开所在文件夹) is said only after the service has
read the written file back and verified its checksum.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDir, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
    QMessageBox, QPushButton, QVBoxLayout, QWidget,
)

from ..domain.dates import add_months
from ..exchange.package_spec import check_period, package_file_name
from ..services.package_export import ExportResult, export_package
from . import file_dialogs
from .context import UiContext

EXPORT_DIR_KEY = "exchange/export_dir"


def last_month(today: date) -> str:
    return f"{add_months(today.replace(day=1), -1):%Y-%m}"


def recent_periods(today: date, n: int = 12) -> list[str]:
    """Last month first, then the months before it (the running month last: it may be sent early)."""
    first = today.replace(day=1)
    return [f"{add_months(first, -k):%Y-%m}" for k in range(1, n + 1)] + [f"{first:%Y-%m}"]


def remembered_folder(ctx: UiContext, key: str) -> str:
    folder = str(ctx.settings.value(key, "") or "")
    return folder if folder and Path(folder).is_dir() else QDir.homePath()


class PackageExportDialog(QDialog):
    """Choose month, township (district) and folder; export; show where the file went."""

    exported = Signal(object)  # ExportResult

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, busy: Sequence[QAction] = ()) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.busy = list(busy)
        self.result: ExportResult | None = None
        self.setWindowTitle(self.tr("导出月报数据包"))
        self.setMinimumWidth(560)

        intro = QLabel(self.tr("把本乡镇的全部记录（含已删除记录的标记）导出为一个 Excel 数据包，报送到区里。"
                               "文件写完后会重新读取核对，核对无误才算导出成功。"))
        intro.setWordWrap(True)
        self.period = QComboBox()
        self.period.setEditable(True)
        self.period.addItems(recent_periods(ctx.today()))
        self.period.setCurrentText(last_month(ctx.today()))
        self.period.setToolTip(self.tr("月份，格式 YYYY-MM，如 2026-11"))
        self.township = QComboBox()
        if ctx.unit.is_district:
            for choice in ctx.query.dynamic_choices("townships"):
                self.township.addItem(f"{choice.label}（{choice.value}）", choice.value)
        self.folder = QLineEdit(remembered_folder(ctx, EXPORT_DIR_KEY))
        self.folder.setPlaceholderText(self.tr("数据包保存到哪个文件夹（如U盘）"))
        choose = QPushButton(self.tr("选择文件夹(&F)…"))
        choose.setAutoDefault(False)
        choose.clicked.connect(lambda _c=False: self.choose_folder())
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(choose)
        self.file_label = QLabel()
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        form = QFormLayout()
        form.addRow(self.tr("月份："), self.period)
        if ctx.unit.is_district:
            form.addRow(self.tr("乡镇："), self.township)
        form.addRow(self.tr("保存到："), folder_row)
        form.addRow(self.tr("文件名："), self.file_label)

        self.result_box = QGroupBox(self.tr("导出成功"))
        self.result_box.setStyleSheet("QGroupBox { color: #2e7d32; font-weight: bold; } QLabel { color: palette(text);"
                                      " font-weight: normal; }")
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = QPushButton(self.tr("打开所在文件夹(&O)"))
        self.open_button.setAutoDefault(False)
        self.open_button.clicked.connect(lambda _c=False: self.open_folder())
        box = QVBoxLayout(self.result_box)
        box.addWidget(self.result_label)
        box.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.result_box.hide()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.export_button = buttons.addButton(self.tr("导出(&E)"), QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(lambda _c=False: self.export())
        if ctx.unit.is_district and self.township.count() == 0:
            self.export_button.setEnabled(False)
            self.export_button.setToolTip(self.tr("还没有导入任何乡镇的数据包，没有可导出的乡镇"))

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.result_box)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.period.currentTextChanged.connect(lambda _t: self._show_file_name())
        self.township.currentIndexChanged.connect(lambda _i: self._show_file_name())
        self._show_file_name()

    def _township(self) -> tuple[str | None, str, str]:
        """(code to pass to the service, code, name) of the township to export."""
        if not self.ctx.unit.is_district:
            return None, self.ctx.unit.code, self.ctx.unit.name
        code = self.township.currentData()
        return code, code or "", self.township.currentText().rsplit("（", 1)[0]

    def _show_file_name(self) -> None:
        try:
            period = check_period(self.period.currentText())
        except ValueError as exc:
            self.file_label.setText(str(exc))
            return
        _arg, code, name = self._township()
        self.file_label.setText(package_file_name(code, name, period) if code else "")

    def choose_folder(self) -> None:
        folder = file_dialogs.existing_directory(self, self.tr("选择保存数据包的文件夹"), self.folder.text())
        if folder:
            self.folder.setText(folder)

    def export(self) -> None:
        try:
            period = check_period(self.period.currentText())
        except ValueError as exc:
            QMessageBox.warning(self, self.tr("导出月报数据包"), str(exc))
            return
        folder = self.folder.text().strip()
        if not folder:
            QMessageBox.warning(self, self.tr("导出月报数据包"), self.tr("请先选择保存数据包的文件夹。"))
            return
        township, _code, _name = self._township()
        self.ctx.settings.setValue(EXPORT_DIR_KEY, folder)
        self.result_box.hide()
        store = self.ctx.store
        self.task = self.ctx.workers.job(
            lambda: export_package(store, period, Path(folder), township), title=self.tr("正在导出月报数据包…"),
            parent=self, on_result=self._exported, on_error=self._failed, busy=[self.export_button, *self.busy])

    def _failed(self, exc: BaseException) -> None:
        self.ctx.show_error(self, exc, self.tr("导出失败"))  # a refusal names the file and the cause

    def _exported(self, result: ExportResult) -> None:
        self.result = result
        counts = "，".join(f"{k} {v:,}" for k, v in result.counts.items() if v)
        text = self.tr("{name} {period} 的月报数据包（第 {n} 次导出）已写入并核对无误：\n{path}\n\n{counts}").format(
            name=result.township_name, period=result.period, n=result.sequence, path=result.path, counts=counts)
        if result.cleaned_texts:
            text += "\n" + self.tr("提示：{n} 处文字含有 Excel 无法保存的控制字符，已去掉。").format(n=result.cleaned_texts)
        self.result_label.setText(text)
        self.result_box.show()
        self.adjustSize()  # room for the wrapped lines
        self.exported.emit(result)

    def open_folder(self) -> None:
        if self.result is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.result.path.parent)))
