"""The first two pages of the roster wizard (``roster_wizard.py``): the file and its kind, and
the column mapping of each sheet with the branch for rows that name none.

``StepPage`` is what the wizard's pages share: 下一步 first runs a background step through the
wizard (open the file, preview, commit) and goes on only when it succeeded; a refusal stays
on the page, in red under its controls.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QPushButton, QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget, QWizardPage,
)

from ..exchange.roster_mapping import KINDS
from ..exchange.roster_reader import SheetAnalysis
from ..services.query_types import TREE_INDENT
from ..services.roster_import import RosterImport
from . import file_dialogs
from .record_form import ERROR_STYLE

if TYPE_CHECKING:
    from .roster_wizard import RosterWizard

FILE_FILTER = "名册文件 (*.xlsx *.xlsm *.xls *.csv);;所有文件 (*)"
SETTINGS_FOLDER, SETTINGS_KIND = "roster_import/folder", "roster_import/kind"
NOTE_STYLE = "color: #555;"
SKIPPED = QColor("#888888")
CHANGED = QColor("#1565c0")
ORIGINS = ("自动识别", "上次确认", "本次改选", "不导入", "未识别，不导入")  # the longest last
SKIP = ""  # the drop-down's data for 不导入 (a None would not be found again by findData)

# The service's messages name the command line's options; the wizard names its own controls.
_WINDOW_WORDING = (
    ("可选择新建这些党组织（命令行加 --create-branches）", "可勾选“一并新建这些党组织”"),
    ("（命令行：--branch 名称）", "（在“核对列对应”一步选择所在党组织）"),
)


def window_text(message: str) -> str:
    """A service message as the wizard shows it (its command-line hints put in window terms)."""
    for cli, window in _WINDOW_WORDING:
        message = message.replace(cli, window)
    return message


def note_label(text: str = "", style: str = NOTE_STYLE) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(style)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class StepPage(QWizardPage):
    """A page whose 下一步 runs a step in the background before the wizard may go on."""

    def __init__(self, wizard: "RosterWizard") -> None:
        super().__init__()
        self.wiz = wizard
        self._passed = False
        self.error = note_label(style=ERROR_STYLE)
        self.error.setObjectName("page_error")
        self.error.hide()

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def clear_error(self) -> None:
        self.error.clear()
        self.error.hide()

    def proceed(self) -> None:
        """The step succeeded: let the wizard go to the next page."""
        self._passed = True
        self.wiz.next()

    def validatePage(self) -> bool:  # noqa: N802
        if self._passed:
            self._passed = False
            return True
        if self.wiz.busy:
            return False
        self.clear_error()
        return self.start()

    def start(self) -> bool:
        """Start the page's step and return False, or return True to go on at once."""
        return True


class FilePage(StepPage):
    def __init__(self, wizard: "RosterWizard") -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("选择名册文件"))
        self.setSubTitle(self.tr("选择本单位已有的 Excel 或 WPS 名册（花名册、台账），并说明是哪一类名册。"
                                 "下一步会显示每一列对应到哪一项，预览确认之后才写入数据库。"))
        settings = wizard.ctx.settings
        self.path = QLineEdit()
        self.path.setObjectName("roster_path")
        self.path.setPlaceholderText(self.tr("点“浏览…”选择文件，也可以粘贴文件的完整路径"))
        self.path.textChanged.connect(lambda _t: (self.clear_error(), self.completeChanged.emit()))
        self.browse_button = QPushButton(self.tr("浏览…"))
        self.browse_button.clicked.connect(self.browse)
        self.kind = QComboBox()
        self.kind.setObjectName("roster_kind")
        for key, kind in KINDS.items():
            self.kind.addItem(self.tr(f"{kind.label}名册"), key)
        last = self.kind.findData(settings.value(SETTINGS_KIND, "members"))
        self.kind.setCurrentIndex(max(0, last))
        self.kind.currentIndexChanged.connect(lambda _i: self.clear_error())

        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.browse_button)
        form = QFormLayout()
        form.addRow(self.tr("名册文件："), row)
        form.addRow(self.tr("名册类型："), self.kind)
        hint = note_label(self.tr(
            "支持 .xlsx、.xlsm、.xls 和 .csv（UTF-8 或 GBK）。名册上方的标题行、“填报单位”行，两层合并的表头，"
            "序号列，以及末尾的“合计”“制表人”行都会自动识别。\n"
            "从网上系统导出的“.xls”网页文件、WPS 专用的 .et 文件和设置了打开密码的文件不能直接导入，"
            "请先在 Excel 或 WPS 中另存为 .xlsx。"))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addSpacing(8)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addStretch(1)

    def browse(self) -> None:
        settings = self.wiz.ctx.settings
        start = self.path.text().strip() or str(settings.value(SETTINGS_FOLDER, str(Path.home())))
        chosen = file_dialogs.open_file_name(self, self.tr("选择名册文件"), start, self.tr(FILE_FILTER))
        if chosen:
            self.path.setText(chosen)
            settings.setValue(SETTINGS_FOLDER, str(Path(chosen).parent))

    def isComplete(self) -> bool:  # noqa: N802
        return bool(self.path.text().strip()) and not self.wiz.busy

    def start(self) -> bool:
        path = Path(self.path.text().strip().strip('"')).expanduser()
        kind = self.kind.currentData()
        self.wiz.ctx.settings.setValue(SETTINGS_KIND, kind)
        if self.wiz.job is not None and self.wiz.opened == (path, kind):
            return True  # back and forth: keep the mapping the clerk has already changed
        self.wiz.open_file(path, kind, self.proceed)
        return False


class SheetMapping(QWidget):
    """One sheet's columns: letter, header, sample values and the field each is imported as."""

    COLUMNS = ("列", "表头", "示例数据", "导入为", "说明")
    COL_LETTER, COL_HEADER, COL_SAMPLES, COL_FIELD, COL_ORIGIN = range(5)
    changed = Signal()

    def __init__(self, job: RosterImport, analysis: SheetAnalysis, initial: list[str | None]) -> None:
        super().__init__()
        self.job, self.analysis, self.initial = job, analysis, initial
        assert analysis.layout is not None
        where = self.tr(f"表头在{analysis.layout.rows_label}，数据从第 {analysis.layout.first_data_row} 行起。")
        if analysis.remembered:
            where += self.tr("列对应沿用了上次对同样表头的文件确认过的设置。")
        where += self.tr("如某列对应错了，请在“导入为”中改选；不需要的列选“不导入”。")
        self.table = QTableWidget(len(analysis.columns), len(self.COLUMNS))
        self.table.setObjectName("mapping_table")
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in self.COLUMNS])
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.combos: list[QComboBox] = []
        choices = job.field_choices()
        for row, column in enumerate(analysis.columns):
            for col, text in ((self.COL_LETTER, column.letter), (self.COL_HEADER, column.header),
                              (self.COL_SAMPLES, "；".join(column.samples))):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, col, item)
            self.table.setItem(row, self.COL_ORIGIN, QTableWidgetItem())
            combo = QComboBox()
            combo.addItem(self.tr("不导入"), SKIP)
            for field, label in choices:
                combo.addItem(label, field)
            combo.setMaxVisibleItems(20)
            combo.currentIndexChanged.connect(lambda _i, r=row: self._chosen(r))
            self.table.setCellWidget(row, self.COL_FIELD, combo)
            self.combos.append(combo)
        header = self.table.horizontalHeader()
        for col, mode in ((self.COL_LETTER, QHeaderView.ResizeMode.ResizeToContents),
                          (self.COL_HEADER, QHeaderView.ResizeMode.Interactive),
                          (self.COL_SAMPLES, QHeaderView.ResizeMode.Stretch),
                          (self.COL_FIELD, QHeaderView.ResizeMode.Interactive),
                          (self.COL_ORIGIN, QHeaderView.ResizeMode.Fixed)):
            header.setSectionResizeMode(col, mode)
        self.sync()
        metrics = self.table.fontMetrics()
        longest = max([metrics.horizontalAdvance(c.header) for c in analysis.columns] + [80])
        self.table.setColumnWidth(self.COL_HEADER, min(longest + 24, 260))
        widest = max(metrics.horizontalAdvance(label) for _f, label in choices)
        self.table.setColumnWidth(self.COL_FIELD, widest + 56)
        self.table.setColumnWidth(self.COL_ORIGIN, metrics.horizontalAdvance(ORIGINS[-1]) + 24)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.where = note_label(where)
        layout.addWidget(self.where)
        layout.addWidget(self.table, 1)

    def _chosen(self, row: int) -> None:
        field = self.combos[row].currentData() or None
        self.job.set_field(self.analysis.sheet, self.analysis.columns[row].index, field)
        self.sync()  # a field taken by this column leaves the one that had it
        self.changed.emit()

    def origin(self, row: int) -> str:
        column = self.analysis.columns[row]
        if column.field != self.initial[row]:
            return "本次改选"
        if self.analysis.remembered and column.field != column.auto_field:
            return "上次确认"  # the clerk chose otherwise than the automatic mapping last time
        if column.field is None:
            return "不导入" if self.job.kind.knows(column.header) else "未识别，不导入"
        return "上次确认" if self.analysis.remembered else "自动识别"

    def sync(self) -> None:
        for row, column in enumerate(self.analysis.columns):
            combo = self.combos[row]
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(column.field or SKIP)))
            combo.blockSignals(False)
            origin = self.origin(row)
            self.table.item(row, self.COL_ORIGIN).setText(self.tr(origin))
            color = CHANGED if origin == "本次改选" else (SKIPPED if column.field is None else None)
            for col in (self.COL_LETTER, self.COL_HEADER, self.COL_SAMPLES, self.COL_ORIGIN):
                item = self.table.item(row, col)
                item.setForeground(QBrush(color) if color is not None else QBrush())
                font = item.font()
                font.setBold(origin == "本次改选" and col == self.COL_ORIGIN)
                item.setFont(font)

    def field_of(self, letter: str) -> str | None:
        """The field the column with this letter is imported as (for tests and messages)."""
        return next(c.field for c in self.analysis.columns if c.letter == letter)

    def choose(self, letter: str, field: str | None) -> None:
        """Pick ``field`` (None: 不导入) for a column, as the clerk would in its drop-down."""
        row = next(i for i, c in enumerate(self.analysis.columns) if c.letter == letter)
        self.combos[row].setCurrentIndex(self.combos[row].findData(field or SKIP))


class MappingPage(StepPage):
    def __init__(self, wizard: "RosterWizard") -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("核对列对应"))
        self.setSubTitle(self.tr("每一列导入为哪一项，是按表头自动识别的；请核对示例数据，必要时改选。"))
        self.summary = note_label()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("sheet_tabs")
        self.sheets: list[SheetMapping] = []
        self.missing = note_label(style=ERROR_STYLE)
        self.missing.setObjectName("missing_columns")
        self.branch_box = QGroupBox(self.tr("所在党组织"))
        self.branch_hint = note_label()
        self.branch = QComboBox()
        self.branch.setObjectName("branch_choice")
        self.branch.setMinimumContentsLength(16)
        self.branch.currentIndexChanged.connect(self._branch_chosen)
        box = QHBoxLayout(self.branch_box)
        box.addWidget(self.branch_hint, 1)
        box.addWidget(self.branch)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.missing)
        layout.addWidget(self.branch_box)
        layout.addWidget(self.error)

    def initializePage(self) -> None:  # noqa: N802
        job = self.wiz.job
        assert job is not None
        self.tabs.clear()
        for sheet in self.sheets:
            sheet.deleteLater()
        self.sheets = []
        for analysis in job.sheets:
            sheet = SheetMapping(job, analysis, self.wiz.initial_fields[analysis.sheet])
            sheet.changed.connect(self._mapping_changed)
            self.sheets.append(sheet)
            self.tabs.addTab(sheet, analysis.sheet)
        lines = [self.tr(f"文件“{job.workbook.path.name}”（{job.kind.label}名册）：")
                 + self.tr(f"{len(job.sheets)} 个工作表找到了表头。" if len(job.sheets) > 1 else "找到了表头。")]
        lines += [self.tr("说明：") + n for n in job.notes]
        self.summary.setText("\n".join(lines))
        self._fill_branches()
        self._mapping_changed()

    def _fill_branches(self) -> None:
        kind = self.wiz.job.kind  # type: ignore[union-attr]
        self.branch_box.setVisible(kind.branch_field is not None)
        self.branch.blockSignals(True)
        self.branch.clear()
        self.branch.addItem(self.tr("不指定"), "")
        if kind.branch_field is not None:
            for node, depth in self.wiz.ctx.query.branch_nodes():
                self.branch.addItem(TREE_INDENT * depth + node.branch.name, node.branch.name)
        self.branch.setCurrentIndex(max(0, self.branch.findData(self.wiz.branch or "")))
        self.branch.blockSignals(False)

    def _branch_chosen(self, _index: int) -> None:
        self.wiz.branch = self.branch.currentData() or None
        self._mapping_changed()

    def _mapping_changed(self) -> None:
        job = self.wiz.job
        if job is None:
            return
        kind = job.kind
        branch_label = kind.field_label(kind.branch_field) if kind.branch_field else None
        problems = []
        for i, sheet in enumerate(self.sheets):
            missing = [m for m in job.missing_required(sheet.analysis.sheet, self.wiz.options()) if m != branch_label]
            self.tabs.setTabText(i, sheet.analysis.sheet + (self.tr("（缺少必需的列）") if missing else ""))
            if missing:
                problems.append(self.tr(f"工作表“{sheet.analysis.sheet}”还没有“{'”“'.join(missing)}”列："
                                        "请在“导入为”中指定是哪一列。"))
        self.missing.setText("\n".join(problems))
        self.missing.setVisible(bool(problems))
        if kind.branch_field is not None:
            given = all(s.analysis.column_of(kind.branch_field) for s in self.sheets)
            if given:
                text = "名册中有“所在党组织”列；该列为空的行归入："
            elif kind.key == "activities":
                text = "名册中没有“党组织”列：请选择这些活动所属的党组织（不指定时按工作表名称判断）："
            else:
                text = ("名册中没有“所在党组织”列：请选择这些党员所在的党组织，全部行都归入它；"
                        "不指定时按工作表名称判断（如工作表“东岭村党支部”），都判断不出的行不归入任何党组织。")
            self.branch_hint.setText(self.tr(text))
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        return not self.missing.text() and not self.wiz.busy

    def sheet(self, name: str) -> SheetMapping:
        return next(s for s in self.sheets if s.analysis.sheet == name)

    def start(self) -> bool:
        self.wiz.preview(then=self.proceed)
        return False
