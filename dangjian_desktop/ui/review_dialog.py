"""Reviewing monthly packages (审核) and the receipt (回执) that carries the verdict back.

District: ``ReviewDialog`` lists every imported township and month with 待审核 / 已通过 /
退回修改 and the reason, sets the verdict (a reason is required to return a package) and
exports the receipt file. Township: ``import_receipts`` takes the district's receipt files;
``review_status.ReviewStatusLabel`` (in the status bar) then shows the verdict and its reason.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QDialog, QDialogButtonBox, QHeaderView, QLabel, QMessageBox, QPlainTextEdit,
    QPushButton, QVBoxLayout, QWidget,
)

from ..domain.errors import DomainError
from ..exchange.package_spec import ReviewStatus
from ..services.package_review import Review, export_receipt, import_receipt, list_reviews, set_review
from . import file_dialogs
from .backup_dialog import run_service
from .context import UiContext
from .package_export_dialog import remembered_folder
from .package_preview_view import fill_table, read_only_table
from .review_status import STATUS_COLOR, review_time
from .screen_fit import resize_to_fit

RECEIPT_DIR_KEY = "exchange/receipt_dir"


class ReviewDialog(QDialog):
    """District: the verdict on each township's package of each month, and its receipt."""

    HEADERS = ("乡镇", "月份", "审核结果", "意见或退回原因", "审核人", "审核时间", "回执")
    REASON_COLUMN = 3

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.reviews: list[Review] = []
        self.names = {str(c.value): c.label for c in ctx.query.dynamic_choices("townships")}
        self.setWindowTitle(self.tr("审核乡镇数据包"))
        resize_to_fit(self, 900, 560)
        self.pending_only = QCheckBox(self.tr("只看待审核"))
        self.pending_only.toggled.connect(lambda _c: self.reload())
        self.table = read_only_table()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.itemSelectionChanged.connect(self._selected)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(self.tr("意见或退回原因（退回修改时必填，会写进回执发给乡镇）"))
        self.reason.setMaximumHeight(70)
        self.empty = QLabel(self.tr("还没有导入任何乡镇的数据包。导入后，每个乡镇每个月的数据包都在这里审核。"))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.approve_button = self._button(buttons, self.tr("通过(&P)"), lambda: self.set_status(ReviewStatus.APPROVED))
        self.return_button = self._button(buttons, self.tr("退回修改(&B)"), lambda: self.set_status(ReviewStatus.RETURNED))
        self.pending_button = self._button(buttons, self.tr("改回待审核"), lambda: self.set_status(ReviewStatus.PENDING))
        self.receipt_button = self._button(buttons, self.tr("导出回执(&E)…"), self.export_receipt)

        layout = QVBoxLayout(self)
        layout.addWidget(self.pending_only)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(QLabel(self.tr("意见或退回原因：")))
        layout.addWidget(self.reason)
        layout.addWidget(buttons)
        self.reload()

    def _button(self, box: QDialogButtonBox, text: str, slot: Callable[[], None]) -> QPushButton:
        button = box.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _c=False: slot())
        return button

    def reload(self, keep: tuple[str, str] | None = None) -> None:
        reviews = list_reviews(self.ctx.store)  # a small table: read in place
        if self.pending_only.isChecked():
            reviews = [r for r in reviews if r.status is ReviewStatus.PENDING]
        self.reviews = reviews
        rows = [(f"{self.names.get(r.township_code, '')}（{r.township_code}）", r.period, r.status.value, r.reason,
                 r.reviewer, review_time(r), self.tr("已导出") if r.receipt_id else "") for r in reviews]
        fill_table(self.table, [self.tr(h) for h in self.HEADERS], rows)
        # A long reason would push 审核人, 审核时间 and 回执 out of sight: it takes the room the
        # others leave, cut with “…” (the whole of it in the tooltip and the box below).
        self.table.horizontalHeader().setSectionResizeMode(self.REASON_COLUMN, QHeaderView.ResizeMode.Stretch)
        for i, r in enumerate(reviews):
            self.table.item(i, 2).setForeground(QColor(STATUS_COLOR[r.status.value]))
            self.table.item(i, self.REASON_COLUMN).setToolTip(r.reason)
        self.empty.setVisible(not reviews)
        at = next((i for i, r in enumerate(reviews) if keep == (r.township_code, r.period)), 0 if reviews else -1)
        if at >= 0:
            self.table.selectRow(at)
        self._selected()

    def selected(self) -> Review | None:
        rows = self.table.selectionModel().selectedRows()
        return self.reviews[rows[0].row()] if rows else None

    def _selected(self) -> None:
        review = self.selected()
        for b in (self.approve_button, self.return_button, self.pending_button, self.receipt_button):
            b.setEnabled(review is not None)
        self.reason.setPlainText(review.reason if review else "")

    def set_status(self, status: ReviewStatus) -> None:
        review = self.selected()
        if review is None:
            return
        store, reason = self.ctx.store, self.reason.toPlainText()
        key = (review.township_code, review.period)
        run_service(self, self.ctx.workers, lambda: set_review(store, key[0], key[1], status, reason),
                    lambda _r: self.reload(key), self.tr("审核"))

    def export_receipt(self) -> None:
        review = self.selected()
        if review is None:
            return
        folder = file_dialogs.existing_directory(self, self.tr("选择保存回执的文件夹"),
                                                 remembered_folder(self.ctx, RECEIPT_DIR_KEY))
        if not folder:
            return
        self.ctx.settings.setValue(RECEIPT_DIR_KEY, folder)
        store, key = self.ctx.store, (review.township_code, review.period)

        def done(path: Path) -> None:
            self.reload(key)
            QMessageBox.information(self, self.tr("导出回执"), self.tr(
                "回执已导出：\n{path}\n\n审核结果：{status}。请把这个文件发给乡镇，由乡镇在“数据交换 → 导入审核回执”中导入。"
            ).format(path=path, status=review.status.value))

        run_service(self, self.ctx.workers, lambda: export_receipt(store, key[0], key[1], Path(folder)), done,
                    self.tr("导出回执"))


def _import_all(store, paths: Sequence[Path]) -> list[tuple[bool, str]]:  # noqa: ANN001 - Store
    out = []
    for p in paths:
        try:
            out.append((True, import_receipt(store, p).message))
        except DomainError as exc:  # a refused receipt names the file and the cause
            out.append((False, exc.message))
    return out


def import_receipts(ctx: UiContext, parent: QWidget, busy: Sequence[QAction], on_done: Callable[[], None]) -> None:
    """Township: choose the district's receipt files and import them off the GUI thread."""
    names = file_dialogs.open_file_names(parent, parent.tr("选择区里发回的审核回执"),
                                         remembered_folder(ctx, RECEIPT_DIR_KEY),
                                         parent.tr("审核回执 (*.xlsx);;所有文件 (*)"))
    if not names:
        return
    ctx.settings.setValue(RECEIPT_DIR_KEY, str(Path(names[0]).parent))
    store, paths = ctx.store, [Path(n) for n in names]

    def done(results: list[tuple[bool, str]]) -> None:
        text = "\n".join(message for _ok, message in results)
        if all(ok for ok, _m in results):
            QMessageBox.information(parent, parent.tr("导入审核回执"), text)
        else:
            QMessageBox.warning(parent, parent.tr("导入审核回执"), text)
        on_done()

    ctx.workers.call(lambda: _import_all(store, paths), on_result=done,
                     on_error=lambda exc: ctx.show_error(parent, exc, parent.tr("导入审核回执")), busy=busy)
