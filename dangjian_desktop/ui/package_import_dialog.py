"""数据交换 → 导入乡镇数据包 (district): choose several packages, check them (the service's dry
run) off the GUI thread, look at each township's preview, confirm townships not yet on the
list, then import. The import passes the checksums the preview saw, so a file changed after
the preview is refused; the service backs the database up before it writes. Files already
imported come back as 已导入 and change nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QListWidget, QMessageBox,
    QPushButton, QSplitter, QVBoxLayout, QWidget,
)

from ..services.package_import import (
    ImportOptions, ImportReport, PackageOutcome, Status, import_packages, preview_packages,
)
from . import file_dialogs
from .context import UiContext
from .package_export_dialog import remembered_folder
from .package_preview_view import STATUS_COLOR, PackagePreviewView, fill_table, read_only_table, status_text
from .screen_fit import resize_within_screen

IMPORT_DIR_KEY = "exchange/import_dir"


class PackageImportDialog(QDialog):
    imported = Signal(object)  # the ImportReport of an import that wrote at least one package

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, busy: Sequence[QAction] = ()) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.busy = list(busy)
        self.files: list[Path] = []
        self.report: ImportReport | None = None
        self.confirmed: set[str] = set()  # codes of new townships the clerk confirmed
        self.setWindowTitle(self.tr("导入乡镇数据包"))
        resize_within_screen(self, 1100, 720)

        self.file_list = QListWidget()
        self.file_list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.file_list.setMaximumHeight(110)
        self.add_button = self._button(self.tr("添加文件(&A)…"), self.add_files)
        self.remove_button = self._button(self.tr("移除(&R)"), self.remove_selected)
        self.check_button = self._button(self.tr("重新检查(&C)"), self.preview)
        side = QVBoxLayout()
        for b in (self.add_button, self.remove_button, self.check_button):
            side.addWidget(b)
        side.addStretch(1)
        files_row = QHBoxLayout()
        files_column = QVBoxLayout()
        files_column.addWidget(QLabel(self.tr("① 要导入的数据包文件（点右边的“添加文件”选择）：")))
        files_column.addWidget(self.file_list, 1)
        files_row.addLayout(files_column, 1)
        files_row.addLayout(side)

        self.packages = read_only_table()
        self.packages.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.packages.itemSelectionChanged.connect(self._show_selected)
        fill_table(self.packages, self.package_headers(), [])  # the headers show before any file
        packages_pane = QWidget()
        packages_column = QVBoxLayout(packages_pane)
        packages_column.setContentsMargins(0, 0, 0, 0)
        packages_column.addWidget(QLabel(self.tr("② 检查结果（选中一个，右边显示详情）：")))
        packages_column.addWidget(self.packages, 1)
        self.details = PackagePreviewView()
        self.details.confirmed_changed.connect(self._confirm)
        splitter = QSplitter()
        splitter.addWidget(packages_pane)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([440, 660])

        self.summary = QLabel(self.tr("添加乡镇报来的月报数据包（.xlsx，可一次选多个），程序先检查，不会写入任何数据。"))
        self.summary.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.import_button = buttons.addButton(self.tr("导入(&I)"), QDialogButtonBox.ButtonRole.ActionRole)
        self.import_button.clicked.connect(lambda _c=False: self.import_checked())
        self.import_button.setAutoDefault(False)

        layout = QVBoxLayout(self)
        layout.addLayout(files_row)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        self._update_buttons()

    def package_headers(self) -> list[str]:
        return [self.tr(h) for h in ("文件", "乡镇", "月份", "结果")]

    def _button(self, text: str, slot) -> QPushButton:  # noqa: ANN001 - callable
        button = QPushButton(text)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _c=False: slot())
        return button

    # -- files ----------------------------------------------------------------------------------
    def add_files(self) -> None:
        names = file_dialogs.open_file_names(
            self, self.tr("选择乡镇月报数据包"), remembered_folder(self.ctx, IMPORT_DIR_KEY),
            self.tr("月报数据包 (*.xlsx);;所有文件 (*)"))
        if names:
            self.ctx.settings.setValue(IMPORT_DIR_KEY, str(Path(names[0]).parent))
            self.add_paths([Path(n) for n in names])

    def add_paths(self, paths: Sequence[Path]) -> None:
        """Add files (the same name twice is refused: the preview names packages by file name)."""
        taken = {p.name: p for p in self.files}
        clashes = []
        for p in paths:
            if p.name in taken:
                if taken[p.name].resolve() != p.resolve():
                    clashes.append(p)
                continue
            taken[p.name] = p
            self.files.append(p)
        if clashes:
            QMessageBox.warning(self, self.tr("导入乡镇数据包"), self.tr(
                "文件 {path} 与已添加的另一个文件同名，未添加；请改名后再添加。").format(path=clashes[0]))
        self._files_changed()

    def remove_selected(self) -> None:
        rows = sorted((i.row() for i in self.file_list.selectedIndexes()), reverse=True)
        for r in rows:
            del self.files[r]
        if rows:
            self._files_changed()

    def _files_changed(self) -> None:
        self.file_list.clear()
        self.file_list.addItems([str(p) for p in self.files])
        self.report = None
        self._show_report()
        if self.files:
            self.preview()

    # -- preview and import --------------------------------------------------------------------
    def _controls(self) -> list:
        return [self.add_button, self.remove_button, self.check_button, self.import_button, *self.busy]

    def preview(self) -> None:
        if not self.files:
            return
        store, files = self.ctx.store, list(self.files)
        options = ImportOptions(add_townships=True, today=self.ctx.today())  # new townships: confirmed below
        self.summary.setText(self.tr("正在检查……"))
        self.task = self.ctx.workers.job(
            lambda: preview_packages(store, files, options), title=self.tr("正在检查数据包…"), parent=self,
            on_result=self._previewed, on_error=self._failed, on_cancel=lambda: self.summary.setText(self.tr("检查已取消。")),
            busy=self._controls())
        self.task.done.connect(self._update_buttons)  # after the worker gave the buttons back

    def _previewed(self, report: ImportReport) -> None:
        self.report = report
        self._show_report()

    def _failed(self, exc: BaseException) -> None:
        self.summary.setText("")
        self.ctx.show_error(self, exc, self.tr("导入乡镇数据包"))

    def importable(self) -> list[PackageOutcome]:
        """Previewed packages that may be imported now (new townships only once confirmed)."""
        if self.report is None or not self.report.dry_run:
            return []
        return [o for o in self.report.packages if o.status is Status.PREVIEW
                and (not o.needs_township_confirmation or o.township_code in self.confirmed)]

    def import_checked(self) -> None:
        chosen = self.importable()
        if not chosen:
            return
        by_name = {p.name: p for p in self.files}
        paths = [by_name[o.file] for o in chosen]
        names = "、".join(f"{o.township_name} {o.period}" for o in chosen)
        answer = QMessageBox.question(
            self, self.tr("导入乡镇数据包"),
            self.tr("将导入 {n} 个数据包：{names}。\n每个乡镇的数据会被数据包中的快照替换；导入前程序会先备份数据库。\n确定导入吗？")
            .format(n=len(paths), names=names),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        options = ImportOptions(add_townships=bool(self.confirmed), today=self.ctx.today(),
                                expected_checksums={str(by_name[o.file]): o.checksum for o in chosen})
        store = self.ctx.store
        self.summary.setText(self.tr("正在导入……"))
        self.task = self.ctx.workers.job(
            lambda: import_packages(store, paths, options), title=self.tr("正在导入数据包…"), parent=self,
            on_result=self._imported, on_error=self._failed,
            on_cancel=lambda: self.summary.setText(self.tr("导入已取消；已完成的乡镇已导入，其余未写入。")),
            busy=self._controls())
        self.task.done.connect(self._update_buttons)

    def _imported(self, report: ImportReport) -> None:
        taken = {o.file for o in report.packages}
        previewed = self.report.packages if self.report is not None else []
        report.packages += [o for o in previewed if o.file not in taken]  # refused, 已导入, unconfirmed: still shown
        self.report = report
        self._show_report()
        if any(o.status is Status.IMPORTED for o in report.packages):
            self.imported.emit(report)

    # -- showing --------------------------------------------------------------------------------
    def _confirm(self, code: str, yes: bool) -> None:
        (self.confirmed.add if yes else self.confirmed.discard)(code)
        self._update_buttons()

    def _show_report(self) -> None:
        report = self.report
        outcomes = report.packages if report is not None else []
        rows = [(o.file, o.township_name, o.period, status_text(o)) for o in outcomes]
        fill_table(self.packages, self.package_headers(), rows)
        for r, o in enumerate(outcomes):
            self.packages.item(r, 3).setForeground(QColor(STATUS_COLOR[o.status]))
        if outcomes:
            self.packages.selectRow(0)
        else:
            self.details.show_outcome(None)
        if report is not None:
            self.summary.setText(self._summary(report))
        self._update_buttons()

    def _summary(self, report: ImportReport) -> str:
        count = {s: sum(o.status is s for o in report.packages) for s in Status}
        if report.dry_run:
            parts = [self.tr("可以导入 {n} 个").format(n=count[Status.PREVIEW])]
        else:
            parts = [self.tr("导入成功 {n} 个").format(n=count[Status.IMPORTED])]
            if count[Status.PREVIEW]:
                parts.append(self.tr("新乡镇未确认、未导入 {n} 个").format(n=count[Status.PREVIEW]))
        if count[Status.ALREADY_IMPORTED]:
            parts.append(self.tr("已导入过 {n} 个").format(n=count[Status.ALREADY_IMPORTED]))
        if count[Status.REFUSED]:
            parts.append(self.tr("不能导入 {n} 个").format(n=count[Status.REFUSED]))
        head = self.tr("检查结果：") if report.dry_run else self.tr("导入结果：")
        tail = self.tr("。选中左边的数据包查看详情；确认无误后点“导入”。") if report.dry_run and count[Status.PREVIEW] else "。"
        return head + "，".join(parts) + tail

    def _show_selected(self) -> None:
        rows = self.packages.selectionModel().selectedRows()
        if self.report is None or not rows:
            return
        outcome = self.report.packages[rows[0].row()]
        self.details.show_outcome(outcome, outcome.township_code in self.confirmed)

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(bool(self.files))
        self.check_button.setEnabled(bool(self.files))
        n = len(self.importable())
        self.import_button.setEnabled(n > 0)
        self.import_button.setText(self.tr("导入 {n} 个数据包(&I)").format(n=n) if n else self.tr("导入(&I)"))
        waiting = self.report is not None and self.report.dry_run and any(
            o.status is Status.PREVIEW and o.needs_township_confirmation and o.township_code not in self.confirmed
            for o in self.report.packages)
        self.import_button.setToolTip(self.tr("有新乡镇尚未确认：选中它，勾选确认后才会导入") if waiting else "")

