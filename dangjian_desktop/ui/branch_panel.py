"""The detail panel of the 党组织 tab: the selected branch and its village, edited together —
secretary (chosen from the branch's members), 换届, 标准化, 软弱涣散 and its 整顿 plan and
status, 阵地面积, 集体经济收入 by year, cooperatives, first secretary and term. 保存 writes the
branch and the village in one transaction, or neither when something is wrong; ``dirty`` says
that the clerk changed something not yet saved (the tab asks before showing another branch)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox, QHBoxLayout, QHeaderView, QLabel, QMessageBox, QPushButton, QScrollArea, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from ..domain import records as R
from ..domain.errors import DomainError, Issue
from ..domain.validation import validate_record
from ..exchange.columns import BRANCHES, COOPERATIVES, VILLAGE_INCOMES, VILLAGES
from ..services.query_types import Choice
from .context import UiContext
from .field_editors import parse_number_text
from .record_form import ERROR_STYLE, FormField, RecordForm

BRANCH_FIELDS = (
    FormField("name", wide=True), FormField("kind"), FormField("code"),
    FormField("parent_uuid", label="上级党组织", choices="branches"),
    FormField("village_uuid", label="所在村（社区）", choices="villages"),
    FormField("secretary_uuid", label="书记", choices="secretaries"), FormField("founded_on"),
    FormField("secretary_full_time"), FormField("secretary_is_xds"),
    FormField("last_election_on"), FormField("standardized"),
    FormField("weak_year"), FormField("rectification_status"),
    FormField("rectification_plan", multiline=True, wide=True),
    FormField("notes", multiline=True, wide=True),
)
VILLAGE_FIELDS = (
    FormField("name", label="村（社区）名称"), FormField("code"),
    FormField("kind"), FormField("category"),
    FormField("service_center_area"), FormField("work_team_size"),
    FormField("first_secretary_name"), FormField("first_secretary_unit"),
    FormField("first_secretary_start"), FormField("first_secretary_end"),
)


class _RowsTable(QWidget):
    """A small editable table (incomes, cooperatives) with 添加/删除 buttons."""

    changed = Signal()

    def __init__(self, headers: list[str], checks: tuple[int, ...] = ()) -> None:
        super().__init__()
        self.checks = checks
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(110)
        self.table.itemChanged.connect(lambda _i: self.changed.emit())
        add, remove = QPushButton(self.tr("添加")), QPushButton(self.tr("删除所选"))
        add.clicked.connect(lambda: self.add_row())
        remove.clicked.connect(self._remove)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.buttons = (add, remove)

    def add_row(self, values: tuple[object, ...] = ()) -> None:
        self.table.blockSignals(True)
        row = self.table.rowCount()
        self.table.insertRow(row)
        for col in range(self.table.columnCount()):
            value = values[col] if col < len(values) else ("" if col not in self.checks else False)
            item = QTableWidgetItem()
            if col in self.checks:
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if value else Qt.CheckState.Unchecked)
            else:
                item.setText(str(value))
            self.table.setItem(row, col, item)
        self.table.blockSignals(False)
        self.changed.emit()

    def _remove(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.table.removeRow(row)
        if rows:
            self.changed.emit()

    def set_rows(self, rows: list[tuple[object, ...]]) -> None:
        self.table.setRowCount(0)
        for values in rows:
            self.add_row(values)

    def rows(self) -> list[tuple[object, ...]]:
        out = []
        for row in range(self.table.rowCount()):
            items = [self.table.item(row, c) for c in range(self.table.columnCount())]
            out.append(tuple((i.checkState() == Qt.CheckState.Checked) if c in self.checks else i.text().strip()
                             for c, i in enumerate(items) if i is not None))
        return out

    def set_read_only(self, read_only: bool) -> None:
        self.table.setEnabled(not read_only)
        for b in self.buttons:
            b.setEnabled(not read_only)


def _number(text: object) -> object:
    return parse_number_text(str(text), VILLAGE_INCOMES.column("amount").header, integer=False)


def _year(text: object) -> object:
    return parse_number_text(str(text), VILLAGE_INCOMES.column("year").header, integer=True)


class BranchPanel(QWidget):
    saved = Signal(str)  # the branch's UUID

    def __init__(self, ctx: UiContext, choices: Callable[[str], list[Choice]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.branch: R.Branch | None = None
        self.village: R.Village | None = None
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.election = QLabel()
        self.branch_form = RecordForm(BRANCHES, BRANCH_FIELDS, choices)
        self.village_form = RecordForm(VILLAGES, VILLAGE_FIELDS, choices)
        self.incomes = _RowsTable([VILLAGE_INCOMES.column("year").header, VILLAGE_INCOMES.column("amount").header])
        coop = [COOPERATIVES.column(f).header for f in ("name", "led_by_branch", "headed_by_secretary")]
        self.cooperatives = _RowsTable(coop, checks=(1, 2))
        self.village_message = QLabel()
        self.village_message.setStyleSheet(ERROR_STYLE)
        self.village_message.setWordWrap(True)
        self.save_button = QPushButton(self.tr("保存"))
        self.save_button.clicked.connect(self.save)
        self.village_box = QGroupBox(self.tr("所在村（社区）"))
        vbox = QVBoxLayout(self.village_box)
        vbox.addWidget(self.village_form)
        lists = QHBoxLayout()
        for title, table in ((self.tr("集体经济收入（按年度）"), self.incomes), (self.tr("合作社"), self.cooperatives)):
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(table)
            lists.addWidget(box)
        vbox.addLayout(lists)
        vbox.addWidget(self.village_message)
        branch_box = QGroupBox(self.tr("党组织"))
        bbox = QVBoxLayout(branch_box)
        bbox.addWidget(self.election)
        bbox.addWidget(self.branch_form)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.title)
        layout.addWidget(branch_box)
        layout.addWidget(self.village_box)
        layout.addStretch(1)
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(area, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.save_button)
        outer.addLayout(bottom)
        self.dirty = False  # the clerk changed something not yet saved
        for form in (self.branch_form, self.village_form):
            form.edited.connect(lambda _n: self._edited())
        for table in (self.incomes, self.cooperatives):
            table.changed.connect(self._edited)
        read_only = ctx.read_only
        self.branch_form.set_read_only(read_only)
        self.village_form.set_read_only(read_only)
        self.incomes.set_read_only(read_only)
        self.cooperatives.set_read_only(read_only)
        self.save_button.setVisible(not read_only)
        self.setEnabled(False)

    def show_branch(self, branch: R.Branch, village: R.Village | None) -> None:
        self.branch, self.village = branch, village
        self.setEnabled(True)
        self.title.setText(branch.name)
        secretaries = self.ctx.query.member_choices(branch_uuid=branch.uuid)
        self.branch_form.editor("secretary_uuid").set_choices(secretaries)  # type: ignore[attr-defined]
        self.branch_form.set_record(branch)
        self._show_election(branch)
        self.village_box.setVisible(village is not None)
        if village is not None:
            self.village_form.set_record(village)
            self.incomes.set_rows([(str(y), str(a)) for y, a in sorted(village.incomes.items())])
            self.cooperatives.set_rows([(c.name, c.led_by_branch, c.headed_by_secretary) for c in village.cooperatives])
        self.village_message.hide()
        self.dirty = False

    def _edited(self) -> None:
        self.dirty = True
        self.revalidate()

    def _show_election(self, branch: R.Branch) -> None:
        due = branch.next_election_due
        if due is None:
            self.election.setText(self.tr("尚未填写上次换届日期"))
            self.election.setStyleSheet("")
        elif due < self.ctx.today():
            self.election.setText(self.tr(f"换届已到期：应于 {due.isoformat()} 前完成换届"))
            self.election.setStyleSheet(ERROR_STYLE)
        else:
            self.election.setText(self.tr(f"下次换届：{due.isoformat()} 前"))
            self.election.setStyleSheet("")

    def edited_records(self) -> list[R.Record]:
        """The branch, and its village with the incomes and cooperatives of the tables."""
        assert self.branch is not None
        records: list[R.Record] = [self.branch_form.record()]
        if self.village is not None:
            old = self.village.cooperatives
            cooperatives = []
            for i, (name, led, head) in enumerate(self.cooperatives.rows()):
                values = {"name": str(name), "led_by_branch": bool(led), "headed_by_secretary": bool(head)}
                cooperatives.append(dataclasses.replace(old[i], **values) if i < len(old) else R.Cooperative(**values))
            incomes = {_year(y): _number(a) for y, a in self.incomes.rows()}
            records.append(dataclasses.replace(self.village_form.record(), incomes=incomes, cooperatives=cooperatives))
        return records

    def _show(self, branch_issues: list[Issue], village_issues: list[Issue]) -> None:
        self.branch_form.show_issues(branch_issues)
        self.village_form.show_issues(village_issues)
        table_issues = [i.message for i in village_issues if i.field in ("incomes", "cooperatives")]
        self.village_message.setText("\n".join(table_issues))
        self.village_message.setVisible(bool(table_issues))

    def _issues(self, records: list[R.Record]) -> tuple[list[Issue], list[Issue]]:
        today: date = self.ctx.today()
        found = [validate_record(r, today) for r in records]
        return found[0], (found[1] if len(found) > 1 else [])

    def revalidate(self) -> None:
        if self.branch is not None:
            self._show(*self._issues(self.edited_records()))

    def save(self) -> bool:
        if self.branch is None or self.ctx.read_only:
            return False
        self.branch_form.reveal_all = self.village_form.reveal_all = True
        try:
            result = self.ctx.records.save_all(self.edited_records())
        except DomainError as exc:
            QMessageBox.warning(self, self.tr("保存党组织"), exc.message)
            return False
        if not result.saved:
            branch_issues, village_issues = self._issues(list(result.records))
            known = set(branch_issues) | set(village_issues)
            self._show(branch_issues + [i for i in result.issues if i not in known], village_issues)
            return False
        self.dirty = False
        self.saved.emit(self.branch.uuid)
        return True
