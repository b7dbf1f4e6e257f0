"""The last two pages of the roster wizard (``roster_wizard.py``): the dry run — counts, the
branches the roster names that do not exist yet, notes, and every problem row with sheet,
row as Excel shows it, column and reason, filterable by status, with 保存错误清单… — and the
result of the commit.

``ProblemTableModel`` is a passive model of (row status, problem) pairs fed by ``set_rows``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QFrame, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
    QMessageBox, QPushButton, QTableView, QVBoxLayout, QWizard,
)

from ..exchange.roster_reader import RowProblem
from ..services.roster_import import ImportPlan
from ..services.roster_import_plan import RowStatus
from .record_form import ERROR_STYLE
from .roster_wizard_pages import StepPage, note_label, window_text
from .row_list_model import RowListModel

if TYPE_CHECKING:
    from .roster_wizard import RosterWizard

ERROR_COLOR, WARNING_COLOR = QColor("#c62828"), QColor("#a15c00")
WARNED = "warned"  # the filter for rows imported with a warning
COUNT_COLORS = {"新增": "#2e7d32", "更新": "#1565c0", "未导入": "#c62828", "有提示": "#a15c00"}


class ProblemTableModel(RowListModel):
    """Problems of a preview, one per line: 状态, 工作表, 行号, 列, 表头, 原因; a row is
    ``(RowStatus, RowProblem)``."""

    HEADERS = ("状态", "工作表", "行号", "列", "表头", "原因")
    COL_STATUS, COL_SHEET, COL_ROW, COL_COLUMN, COL_HEADER, COL_REASON = range(6)

    def cell(self, row: tuple[RowStatus, RowProblem], col: int, role: int) -> Any:
        status, problem = row
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if role == Qt.ItemDataRole.ToolTipRole and col != self.COL_REASON:
                return None
            return self._text(status, problem, col)
        if role == Qt.ItemDataRole.ForegroundRole and col in (self.COL_STATUS, self.COL_REASON):
            return ERROR_COLOR if problem.is_error else WARNING_COLOR
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.COL_ROW:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _text(status: RowStatus, problem: RowProblem, col: int) -> str:
        if col == ProblemTableModel.COL_STATUS:
            return status.value if problem.is_error or status is RowStatus.DUPLICATE else f"{status.value}（提示）"
        if col == ProblemTableModel.COL_SHEET:
            return problem.sheet
        if col == ProblemTableModel.COL_ROW:
            return str(problem.row)
        if col == ProblemTableModel.COL_COLUMN:
            return problem.column
        if col == ProblemTableModel.COL_HEADER:
            return problem.header
        return window_text(problem.message)


def problem_rows(plan: ImportPlan, status: object = None) -> list[tuple[RowStatus, RowProblem]]:
    """The plan's problems in file order; ``status``: a ``RowStatus``, ``WARNED`` or None for all."""
    out = []
    for row in plan.rows:
        if status is WARNED and row.status not in (RowStatus.NEW, RowStatus.UPDATE):
            continue
        if isinstance(status, RowStatus) and row.status is not status:
            continue
        out.extend((row.status, p) for p in row.problems)
    return out


def count_box(label: str, value: int, tip: str) -> QFrame:
    frame = QFrame()
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    frame.setToolTip(tip)
    color = COUNT_COLORS.get(label, "#333") if value else "#888"
    text = QLabel(f"<div align='center'><span style='font-size:17pt; font-weight:600; color:{color}'>{value:,}</span>"
                  f"<br>{label}</div>")
    text.setObjectName(f"count_{label}")
    text.setProperty("count", value)
    box = QVBoxLayout(frame)
    box.setContentsMargins(8, 4, 8, 4)
    box.addWidget(text)
    return frame


COUNT_TIPS = {
    "新增": "数据库中还没有、将新建的记录", "更新": "与数据库中已有记录匹配、将改写其中不同的项",
    "无变化": "与数据库中已有记录完全相同，不必写入", "重复": "与本文件中另一行完全相同，只导入一次",
    "未导入": "有错误、不会导入的行：改正后可再次导入", "有提示": "照常导入、但有需要核对之处的行",
}


class PreviewPage(StepPage):
    def __init__(self, wizard: "RosterWizard") -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("预览"))
        self.setSubTitle(self.tr("以下是导入后的结果预览，数据库还没有改动。点“导入”后一次写入全部可以导入的行。"))
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("导入"))
        self.counts = QGridLayout()
        self.counts.setHorizontalSpacing(8)
        self.branches_box = QGroupBox(self.tr("数据库中没有的党组织"))
        self.branches_text = note_label(style=ERROR_STYLE)
        self.create_branches = QCheckBox(self.tr("核对无误，导入时一并新建这些党组织"))
        self.create_branches.setObjectName("create_branches")
        self.create_branches.toggled.connect(self._create_toggled)
        box = QVBoxLayout(self.branches_box)
        box.addWidget(self.branches_text)
        box.addWidget(self.create_branches)
        self.notes = note_label()
        self.filter = QComboBox()
        self.filter.setObjectName("status_filter")
        self.filter.currentIndexChanged.connect(lambda _i: self._show_problems())
        self.filter_values: list[object] = []  # per choice: a RowStatus, WARNED or None (all)
        self.save_button = QPushButton(self.tr("保存错误清单…"))
        self.save_button.setObjectName("save_errors")
        self.save_button.setToolTip(self.tr("把未导入的行另存为 Excel：有问题的单元格标红，并写明原因；改正后可再次导入"))
        self.save_button.clicked.connect(self.wiz.save_errors)
        self.model = ProblemTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("problem_table")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for col in range(ProblemTableModel.COL_REASON):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ProblemTableModel.COL_REASON, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(lambda now, _before: self._show_detail(now.row()))
        self.detail = note_label(style="")  # the whole reason of the current row: long ones are cut in the table
        self.detail.setObjectName("problem_detail")
        self.empty = note_label(self.tr("没有发现问题。"))
        tools = QHBoxLayout()
        tools.addWidget(QLabel(self.tr("显示：")))
        tools.addWidget(self.filter)
        tools.addStretch(1)
        tools.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(self.counts)
        layout.addWidget(self.branches_box)
        layout.addWidget(self.notes)
        layout.addLayout(tools)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addWidget(self.empty)
        layout.addWidget(self.error)

    def initializePage(self) -> None:  # noqa: N802
        self.show_plan()

    def show_plan(self) -> None:
        plan = self.wiz.plan
        if plan is None:
            return
        while self.counts.count():
            item = self.counts.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        for col, (label, value) in enumerate(plan.counts.items()):
            self.counts.addWidget(count_box(self.tr(label), value, self.tr(COUNT_TIPS.get(label, ""))), 0, col)
        unknown = plan.unknown_branches
        self.branches_box.setVisible(bool(unknown) or plan.create_branches)
        names = "、".join(f"“{n}”（{c:,} 行）" for n, c in unknown.items())
        if plan.create_branches:
            self.branches_text.setText(self.tr(f"导入时将新建：{names}。") if names else self.tr("没有需要新建的党组织。"))
            self.branches_text.setStyleSheet("")
        else:
            self.branches_text.setText(self.tr(f"名册中的 {names} 在本数据库中还没有，这些行暂不导入。"
                                               "请核对名称：如是笔误，请回到上一步或改正文件；确实是新的党组织，请勾选下面一项。"))
            self.branches_text.setStyleSheet(ERROR_STYLE)
        self.create_branches.blockSignals(True)
        self.create_branches.setChecked(plan.create_branches)
        self.create_branches.blockSignals(False)
        self.notes.setText("\n".join(self.tr("说明：") + window_text(n) for n in plan.notes))
        self.notes.setVisible(bool(plan.notes))
        self.save_button.setEnabled(bool(plan.refused))
        self._fill_filter(plan)

    def _fill_filter(self, plan: ImportPlan) -> None:
        previous = self.current_filter()
        self.filter.blockSignals(True)
        self.filter.clear()
        self.filter_values = [None]
        self.filter.addItem(self.tr(f"全部问题（{len(problem_rows(plan)):,} 处）"))
        for label, status in (("未导入的行", RowStatus.REFUSED), ("重复的行", RowStatus.DUPLICATE),
                              ("照常导入、有提示的行", WARNED)):
            n = len(problem_rows(plan, status))
            if n:
                self.filter_values.append(status)
                self.filter.addItem(self.tr(f"{label}（{n:,} 处）"))
        self.filter.setCurrentIndex(self.filter_values.index(previous) if previous in self.filter_values else 0)
        self.filter.blockSignals(False)
        self._show_problems()

    def _show_problems(self) -> None:
        plan = self.wiz.plan
        rows = problem_rows(plan, self.current_filter()) if plan is not None else []
        self.model.set_rows(rows)
        self.table.setVisible(bool(rows))
        self.detail.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        if rows:
            self.table.selectRow(0)
        self._show_detail(0)

    def _show_detail(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            _status, problem = self.model.row_at(row)
            self.detail.setText(window_text(problem.text()))
        else:
            self.detail.clear()

    def current_filter(self) -> object:
        index = self.filter.currentIndex()
        return self.filter_values[index] if 0 <= index < len(self.filter_values) else None

    def select_filter(self, status: object) -> None:
        """Show only the problems of rows with ``status`` (a ``RowStatus``, ``WARNED`` or None)."""
        self.filter.setCurrentIndex(self.filter_values.index(status))

    def _create_toggled(self, checked: bool) -> None:
        self.wiz.create_branches = checked
        task = self.wiz.preview()
        task.done.connect(self._after_repreview)

    def _after_repreview(self) -> None:
        plan = self.wiz.plan
        if plan is not None:  # cancelled or refused: the checkbox shows what the plan holds
            self.wiz.create_branches = plan.create_branches
        self.show_plan()

    def start(self) -> bool:
        plan = self.wiz.plan
        assert plan is not None
        if not plan.to_write:
            QMessageBox.information(self, self.tr("导入已有名册"), self.tr(
                "没有可以写入的行：" + ("全部行都与数据库中的记录相同。" if not plan.refused else
                                       "请按列表改正后再导入（可先“保存错误清单…”，在其中改正）。")))
            return False
        counts = plan.counts
        text = f"将写入数据库：新增 {counts['新增']:,} 条，更新 {counts['更新']:,} 条"
        if plan.create_branches and plan.new_branches:
            text += f"，新建党组织 {len(plan.new_branches)} 个"
        if plan.refused:
            text += f"；另有 {len(plan.refused):,} 行有错误，不导入（导入后仍可保存错误清单）"
        text += "。\n\n导入前会自动备份数据库；导入一次完成，中途取消不会留下任何改动。确定导入吗？"
        answer = QMessageBox.question(self, self.tr("确认导入"), self.tr(text),
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self.wiz.commit(then=self.proceed)
        return False


class DonePage(StepPage):
    def __init__(self, wizard: "RosterWizard") -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("导入完成"))
        self.summary = note_label(style="")
        self.summary.setObjectName("result_summary")
        self.refused = note_label(style=ERROR_STYLE)
        self.save_button = QPushButton(self.tr("保存错误清单…"))
        self.save_button.clicked.connect(self.wiz.save_errors)
        self.backup = note_label()
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.refused)
        layout.addLayout(row)
        layout.addSpacing(12)
        layout.addWidget(self.backup)
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802
        result, plan, backup = self.wiz.result, self.wiz.plan, self.wiz.backup
        assert result is not None and plan is not None
        self.setSubTitle(self.tr(f"“{plan.path.name}”已导入。"))
        self.summary.setText(self.tr(f"<p style='font-size:12pt'>{result.summary()}。</p>"
                                     f"<p>导入的记录已在“{plan.kind.label}”页中显示；这次导入记入了操作日志。</p>"))
        refused = len(plan.refused)
        self.refused.setText(self.tr(f"有 {refused:,} 行因有错误没有导入。可以把它们保存为错误清单，改正后再次导入这个清单。")
                             if refused else "")
        self.refused.setVisible(bool(refused))
        self.save_button.setVisible(bool(refused))
        self.backup.setText(self.tr(f"导入前的数据已自动备份：{backup.path}") if backup is not None else "")
