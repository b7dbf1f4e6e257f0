"""数据交换 → 导入已有名册: the wizard over ``services/roster_import.py``.

Four pages (``roster_wizard_pages.py``, ``roster_preview_page.py``): choose the file and the
kind of roster; check the column mapping of each sheet (and the branch for rows that give
none); the dry run's counts and problem rows, with the error workbook to save; the result.
Nothing is written before the clerk confirms on the preview page.

This module owns the wizard's state (the open ``RosterImport``, the options, the plan) and
runs every step that touches the file or the database off the GUI thread, behind a progress
dialog: opening and sniffing the file, the preview, saving the error workbook and the commit.
The commit takes a ``before-import`` backup first (``backup_before``; the service's commit does
not take one) and can be cancelled, which rolls the transaction back. While a step runs the
page and the wizard's buttons are disabled and the wizard cannot be closed. A refusal the
clerk can act on (``DomainError``: a web page saved as .xls, a missing column, a conflict with
someone's edit) is shown as its Chinese message and the wizard stays on its page.

Wiring (``main_window``): ``feature_entries.install_roster_import(window, action)``, which imports
this module when the entry is first used.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMessageBox, QWidget, QWizard

from ..domain.errors import DomainError
from ..services.backup_service import BackupInfo, backup_before
from ..services.progress import Progress
from ..services.roster_import import ImportOptions, ImportPlan, ImportResult, RosterImport
from . import file_dialogs
from .context import UiContext
from .roster_preview_page import DonePage, PreviewPage
from .roster_wizard_pages import FilePage, MappingPage, window_text
from .screen_fit import resize_within_screen
from .workers import Task

TITLE = "导入已有名册"
ERRORS_SUFFIX = "-未导入的行.xlsx"

def _as_job(work: Callable[[], Any], message: str) -> Generator[Progress, None, Any]:
    yield Progress(0, 0, message)
    return work()


class RosterWizard(QWizard):
    """The import wizard; ``imported(result)`` after a commit (the window re-reads its tabs)."""

    PAGE_FILE, PAGE_MAPPING, PAGE_PREVIEW, PAGE_DONE = range(4)

    imported = Signal(object)  # ImportResult

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.job: RosterImport | None = None
        self.opened: tuple[Path, str] | None = None  # (file, kind) of ``job``
        self.plan: ImportPlan | None = None
        self.initial_fields: dict[str, list[str | None]] = {}  # per sheet, as opened (to mark changes)
        self.branch: str | None = None
        self.create_branches = False
        self.result: ImportResult | None = None
        self.backup: BackupInfo | None = None
        self.errors_path: Path | None = None
        self.task: Task | None = None
        self.setWindowTitle(self.tr(TITLE))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)  # done: no 取消 to read as an undo
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        for button, text in ((QWizard.WizardButton.BackButton, "< 上一步"), (QWizard.WizardButton.NextButton, "下一步 >"),
                             (QWizard.WizardButton.CommitButton, "导入"), (QWizard.WizardButton.FinishButton, "完成"),
                             (QWizard.WizardButton.CancelButton, "取消")):
            self.setButtonText(button, self.tr(text))
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.done_page = DonePage(self)
        for page_id, page in enumerate((self.file_page, self.mapping_page, self.preview_page, self.done_page)):
            self.setPage(page_id, page)
        self.setStartId(self.PAGE_FILE)
        resize_within_screen(self, 1040, 700)
        self.finished.connect(lambda _r: self.close_job())

    # -- the state the pages share ---------------------------------------------------------
    def options(self) -> ImportOptions:
        return ImportOptions(branch=self.branch, create_branches=self.create_branches)

    @property
    def busy(self) -> bool:
        return self.task is not None

    def close_job(self) -> None:
        if self.job is not None and not self.busy:
            self.job.close()
            self.job, self.opened, self.plan = None, None, None

    # -- background steps ------------------------------------------------------------------
    def run(self, make_job: Callable[[], Generator[Progress, None, Any]], title: str,
            on_result: Callable[[Any], None], *, cancellable: bool = False,
            on_cancel: Callable[[], None] | None = None) -> Task:
        """Run one step off the GUI thread with a progress dialog; the page and the buttons
        are disabled meanwhile. A ``DomainError`` is shown and the wizard stays where it is."""
        page = self.currentPage()
        self._set_busy(True)
        task = self.ctx.workers.job(make_job, title=self.tr(title), parent=self, on_result=on_result,
                                    on_error=lambda exc: self._failed(exc, title), on_cancel=on_cancel,
                                    busy=[page], cancellable=cancellable)
        self.task = task
        task.done.connect(lambda: self._set_busy(False))
        return task

    def _set_busy(self, busy: bool) -> None:
        if not busy:
            self.task = None
        for button in (QWizard.WizardButton.BackButton, QWizard.WizardButton.NextButton,
                       QWizard.WizardButton.CommitButton, QWizard.WizardButton.FinishButton,
                       QWizard.WizardButton.CancelButton):
            self.button(button).setEnabled(not busy)
        if busy:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()
        page = self.currentPage()
        if not busy and page is not None:
            page.completeChanged.emit()  # QWizard recomputes its buttons for the page

    def _failed(self, exc: BaseException, title: str) -> None:
        if isinstance(exc, DomainError):
            message = window_text(exc.message)
            page = self.currentPage()
            if hasattr(page, "show_error"):
                page.show_error(message)
            QMessageBox.warning(self, self.tr(TITLE), message)
        else:
            self.ctx.show_error(self, exc, self.tr(title))

    def open_file(self, path: Path, kind: str, then: Callable[[], None]) -> None:
        """Sniff and analyse ``path`` as a roster of ``kind`` (or keep the one open already)."""
        if self.job is not None and self.opened == (path, kind):
            then()
            return
        self.close_job()
        store, today = self.ctx.store, self.ctx.today()

        def opened(job: RosterImport) -> None:
            self.job, self.opened, self.plan = job, (path, kind), None
            self.initial_fields = {a.sheet: [c.field for c in a.columns] for a in job.sheets}
            self.branch, self.create_branches = None, False
            then()

        # ``opening`` reads the file in a worker process (a hostile file cannot take the window
        # down) and stops it when the clerk cancels.
        self.run(lambda: RosterImport.opening(store, path, kind, today=today), "正在读取名册", opened,
                 cancellable=True)

    def preview(self, then: Callable[[], None] | None = None) -> Task:
        """The dry run with the current mapping and options; ``then()`` once it is shown."""
        job, options = self.job, self.options()
        assert job is not None

        def planned(plan: ImportPlan) -> None:
            self.plan = plan
            if then is not None:
                then()

        return self.run(lambda: job.preview(options), "正在预览", planned, cancellable=True)

    def save_errors(self) -> None:
        """Ask where, then write the refused rows (bad cells in red, a reason column)."""
        job, plan = self.job, self.plan
        if job is None or plan is None or not plan.refused:
            return
        source = Path(job.workbook.path)
        suggested = str(self.errors_path or source.with_name(source.stem + ERRORS_SUFFIX))
        chosen = file_dialogs.save_file_name(self, self.tr("保存错误清单"), suggested, self.tr("Excel 工作簿 (*.xlsx)"))
        if not chosen:
            return
        out = Path(chosen)
        if out.suffix.lower() != ".xlsx":
            out = out.with_name(out.name + ".xlsx")
        if out.resolve() == source.resolve():
            QMessageBox.warning(self, self.tr("保存错误清单"),
                                self.tr(f"“{out.name}”就是正在导入的名册，不能覆盖它；请换一个文件名"))
            return

        def write() -> Path:  # a file that cannot be written is a DomainError naming it (``output_file``)
            return job.save_errors(plan, out)

        def saved(path: Path) -> None:
            self.errors_path = path
            QMessageBox.information(self, self.tr("保存错误清单"),
                                    self.tr(f"未导入的 {len(plan.refused):,} 行已保存到：\n{path}\n\n"
                                            "有问题的单元格标为红色，“错误原因”列写明了原因；改正后可再次导入这个文件。"))

        self.run(lambda: _as_job(write, "正在保存错误清单"), "正在保存错误清单", saved)

    def commit(self, then: Callable[[], None]) -> None:
        """Back the database up, then write the plan in one transaction (cancellable)."""
        job, plan, store = self.job, self.plan, self.ctx.store
        assert job is not None and plan is not None

        def work() -> Generator[Progress, None, tuple[BackupInfo, ImportResult]]:
            yield Progress(0, 0, "正在备份数据库（导入前自动备份）")
            backup = backup_before(store, "import")
            result = yield from job.commit(plan)
            return backup, result

        def committed(outcome: tuple[BackupInfo, ImportResult]) -> None:
            self.backup, self.result = outcome
            self.imported.emit(self.result)
            then()

        def cancelled() -> None:
            QMessageBox.information(self, self.tr(TITLE), self.tr("已取消导入，数据库没有改动。"))

        self.run(work, "正在导入", committed, cancellable=True, on_cancel=cancelled)

    # -- closing ---------------------------------------------------------------------------
    def reject(self) -> None:
        if self.busy:  # the file and the database are in use by the running step
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.busy:
            event.ignore()
            return
        super().closeEvent(event)
