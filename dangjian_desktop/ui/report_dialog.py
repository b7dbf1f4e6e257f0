"""统计 → 打印党员花名册… / 打印后备干部花名册… / 打印代办事项台账…: a dialog that asks what to
print (at the district: which township; the ledger's year; 培养中 only; whether 身份证号 and
phones are masked — on by default, offices publish lists with masked IDs), then shows a print
preview (``QPrintPreviewDialog``, from which the clerk prints) or writes a PDF.

The rows are read by ``services.reports`` in a worker; the PDF is laid out and written in the
worker too (``report_printing``), behind a progress dialog that can cancel it (a district's
36,000 members make 1,400 pages, about 15 s); the preview paints in the GUI thread, as Qt requires.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QMessageBox, QPushButton, QSpinBox,
    QVBoxLayout, QWidget,
)

from ..services.progress import Job, Progress
from ..services.reports import ReportKind, ReportOptions, ReportService, ReportTable
from . import file_dialogs
from .context import UiContext
from .report_printing import ReportRenderer
from .screen_fit import resize_within_screen

# The menu entries that open this dialog are made by ``feature_entries.print_actions``, which
# imports this module (and the services it needs) only when one is used.
LONG_PREVIEW = 3000  # rows: above this the preview is slow to build, a PDF is the better way


class PrintReportDialog(QDialog):
    def __init__(self, ctx: UiContext, kind: ReportKind, service: ReportService | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.kind = ctx, kind
        self.service = service or ReportService(ctx.store, ctx.today)
        self.preview_dialog: QPrintPreviewDialog | None = None
        self.setWindowTitle(self.tr("打印") + kind.title)
        form = QFormLayout()
        self.township = QComboBox()
        self.township.addItem(self.tr("全部乡镇"), None)
        if ctx.unit.is_district:
            for choice in ctx.query.dynamic_choices("townships"):
                self.township.addItem(choice.label, choice.value)
            form.addRow(self.tr("乡镇："), self.township)
        self.year = QSpinBox()
        self.year.setRange(2000, ctx.today().year)
        self.year.setValue(ctx.today().year)
        self.year.setSuffix(self.tr(" 年"))
        if kind is ReportKind.REQUESTS:
            form.addRow(self.tr("受理年度："), self.year)
        self.training_only = QCheckBox(self.tr("只列“培养中”的后备干部"))
        self.training_only.setChecked(True)
        if kind is ReportKind.RESERVE:
            form.addRow("", self.training_only)
        self.mask = QCheckBox(self.tr("隐去身份证号和电话号码的中间数字（对外公示时使用）"))
        self.mask.setChecked(True)
        form.addRow("", self.mask)
        self.preview_button = QPushButton(self.tr("打印预览…"))
        self.pdf_button = QPushButton(self.tr("导出 PDF…"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.preview_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.pdf_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.preview_button.clicked.connect(self.preview)
        self.pdf_button.clicked.connect(self.export_pdf)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def options(self) -> ReportOptions:
        return ReportOptions(self.kind, self.township.currentData(), self.year.value(), self.mask.isChecked(),
                             self.training_only.isChecked())

    @property
    def _busy(self) -> list[QWidget]:
        return [self.preview_button, self.pdf_button]

    # -- preview --------------------------------------------------------------------------------
    def preview(self) -> None:
        options = self.options()
        self.ctx.workers.call(lambda: self.service.build(options), on_result=self.open_preview,
                              on_error=lambda exc: self.ctx.show_error(self, exc, self.tr("无法打印")), busy=self._busy)

    def open_preview(self, table: ReportTable) -> None:
        if len(table.rows) > LONG_PREVIEW and QMessageBox.question(
                self, self.tr("打印预览"),
                self.tr(f"这份名单有 {len(table.rows):,} 行，预览要等一会儿。建议改用“导出 PDF”。仍要预览吗？")) \
                != QMessageBox.StandardButton.Yes:
            return
        renderer = ReportRenderer(table, self.ctx.today())
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(table.title)
        renderer.prepare(printer)
        dialog = QPrintPreviewDialog(printer, self)
        dialog.setWindowTitle(self.tr("打印预览 — ") + table.title)
        dialog.paintRequested.connect(lambda device: renderer.render(device))
        self.preview_dialog = dialog
        resize_within_screen(dialog, 1100, 760)
        dialog.exec()

    # -- PDF ------------------------------------------------------------------------------------
    def export_pdf(self) -> None:
        options = self.options()
        folder = str(self.ctx.settings.value("reports/pdf_dir", "") or Path.home())
        where = self.township.currentText() if options.township_code else self.ctx.unit.name
        suggested = str(Path(folder) / f"{where}{self.kind.title}.pdf")
        path = file_dialogs.save_file_name(self, self.tr("导出 PDF"), suggested, self.tr("PDF 文件 (*.pdf)"))
        if not path:
            return
        target = Path(path) if path.lower().endswith(".pdf") else Path(path + ".pdf")
        self.ctx.settings.setValue("reports/pdf_dir", str(target.parent))
        today = self.ctx.today()

        def job() -> Job[tuple[Path, int, int]]:
            yield Progress(0, 0, "正在读取名单…")
            table = self.service.build(options)
            pages = yield from ReportRenderer(table, today).write_pdf_job(target)
            return target, pages, len(table.rows)

        self.ctx.workers.job(job, title=self.tr("导出 PDF"), parent=self, on_result=self._pdf_written,
                             on_error=lambda exc: self.ctx.show_error(self, exc, self.tr("无法导出 PDF")),
                             busy=self._busy)

    def _pdf_written(self, result: tuple[Path, int, int]) -> None:
        path, pages, rows = result
        QMessageBox.information(self, self.tr("导出 PDF"),
                                self.tr(f"已导出 {rows:,} 行、共 {pages} 页到：\n{path}"))
