"""What the import dialog shows of one package (``PackageOutcome``): its status and message, the
confirmation to add a township not yet on the district's list, new / changed / unchanged /
removed per record type, warnings, the roll-forward of member counts, members whose 身份证号 is
active in another township (masked), and the row-level problems with sheet, row and column."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from ..domain.idcard import mask_id_number
from ..services.package_import import PackageOutcome, Status

STATUS_TEXT = {Status.PREVIEW: "可以导入", Status.IMPORTED: "导入成功", Status.ALREADY_IMPORTED: "已导入",
               Status.REFUSED: "不能导入"}
STATUS_COLOR = {Status.PREVIEW: "#2e7d32", Status.IMPORTED: "#2e7d32", Status.ALREADY_IMPORTED: "#616161",
                Status.REFUSED: "#c62828"}
NOTES_LISTED = 20  # unexplained roll-forward lines and cross-township members shown


def status_text(outcome: PackageOutcome) -> str:
    if outcome.status is Status.PREVIEW and outcome.needs_township_confirmation:
        return "新乡镇，需确认"
    return STATUS_TEXT[outcome.status]


def fill_table(table: QTableWidget, headers: Sequence[str], rows: Sequence[Sequence[object]],
               right_from: int = 99) -> None:
    """Replace the table's contents; columns from ``right_from`` on are numbers (right-aligned)."""
    table.clear()
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(f"{value:,}" if isinstance(value, int) else str(value))
            if c >= right_from:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)


def read_only_table() -> QTableWidget:
    table = QTableWidget()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.setWordWrap(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    return table


class PackagePreviewView(QWidget):
    """Shows one outcome; ``confirmed_changed(code, yes)`` when the clerk ticks a new township."""

    confirmed_changed = Signal(str, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.outcome: PackageOutcome | None = None
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.status = QLabel()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.confirm = QCheckBox()
        self.confirm.toggled.connect(self._toggled)
        self.counts = read_only_table()
        self.counts.horizontalHeader().setStretchLastSection(False)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems_label = QLabel()
        self.problems = read_only_table()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for w in (self.title, self.status, self.message, self.confirm, self.counts, self.notes, self.problems_label):
            layout.addWidget(w)
        layout.addWidget(self.problems, 100)
        layout.addStretch(1)  # takes the room when there is no problems table
        self.show_outcome(None)

    def show_outcome(self, outcome: PackageOutcome | None, confirmed: bool = False) -> None:
        self.outcome = outcome
        for w in (self.status, self.message, self.confirm, self.counts, self.notes, self.problems_label, self.problems):
            w.setVisible(outcome is not None)
        if outcome is None:
            self.title.setText(self.tr("检查结果的详情显示在这里：先添加数据包文件，检查完后在左边的列表中选中一个。"))
            return
        who = f"{outcome.township_name}（{outcome.township_code}）" if outcome.township_code else outcome.file
        seq = self.tr("，第 {n} 次导出").format(n=outcome.sequence) if outcome.sequence else ""
        self.title.setText(f"{who} {outcome.period}{seq}")
        self.status.setText(self.tr(status_text(outcome)))
        self.status.setStyleSheet(f"color: {STATUS_COLOR[outcome.status]}; font-weight: bold;")
        self.message.setText(outcome.message)
        self._show_confirm(outcome, confirmed)
        rows = [(c.sheet, c.rows, c.new, c.changed, c.unchanged, c.removed) for c in outcome.counts]
        fill_table(self.counts, [self.tr(h) for h in ("表", "行数", "新增", "修改", "未变", "删除")], rows, 1)
        self.counts.setVisible(bool(rows))
        self.counts.setFixedHeight(self.counts.horizontalHeader().height() + 4
                                   + sum(self.counts.rowHeight(r) for r in range(len(rows))))
        notes = self._notes(outcome)
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))
        problems = [(p.sheet, p.row, p.column, p.severity, p.message) for p in outcome.problems]
        fill_table(self.problems, [self.tr(h) for h in ("表", "行", "列", "级别", "问题")], problems)
        for r, p in enumerate(outcome.problems):
            if p.severity == "错误":
                self.problems.item(r, 3).setForeground(QColor("#c62828"))
        listed = self.tr("（列出前 {n:,} 处）").format(n=len(problems)) if outcome.problem_total > len(problems) else ""
        self.problems_label.setText(self.tr("记录问题 {n:,} 处{listed}：").format(n=outcome.problem_total, listed=listed)
                                    if outcome.problem_total else self.tr("没有发现记录问题。"))
        # the preview validates every record; an import does not (the clerk has seen the preview)
        self.problems_label.setVisible(bool(outcome.problem_total) or outcome.status is Status.PREVIEW)
        self.problems.setVisible(bool(problems))

    def _show_confirm(self, outcome: PackageOutcome, confirmed: bool) -> None:
        show = outcome.needs_township_confirmation and outcome.status is Status.PREVIEW
        self.confirm.setVisible(show)
        self.confirm.blockSignals(True)
        self.confirm.setChecked(confirmed)
        self.confirm.blockSignals(False)
        self.confirm.setText(self.tr("确认“{name}（{code}）”是本区的乡镇，导入时把它加入乡镇名单").format(
            name=outcome.township_name, code=outcome.township_code))

    def _toggled(self, checked: bool) -> None:
        if self.outcome is not None:
            self.confirmed_changed.emit(self.outcome.township_code, checked)

    def _notes(self, outcome: PackageOutcome) -> list[str]:
        notes = [self.tr("提示：") + w for w in outcome.warnings]
        rf = outcome.roll_forward
        if rf is not None:
            notes.append(rf.text())
            notes += ["　" + line for line in rf.unexplained[:NOTES_LISTED]]
            if len(rf.unexplained) > NOTES_LISTED:
                notes.append(self.tr("　……共 {n:,} 条").format(n=len(rf.unexplained)))
        for c in outcome.cross_township[:NOTES_LISTED]:
            notes.append(self.tr("跨乡镇：{name}（{idn}）同时在 {town}（{code}）在册").format(
                name=c.name, idn=mask_id_number(c.id_number), town=c.other_township_name, code=c.other_township_code))
        if len(outcome.cross_township) > NOTES_LISTED:
            notes.append(self.tr("……跨乡镇共 {n:,} 人").format(n=len(outcome.cross_township)))
        return notes
