"""The 统计 tab: every figure the offices report, for a year or a month, with charts, the records
behind each figure and, at the district, the 汇总表 workbook.

Top: the period (年度 / 月份), at the district the township (全部乡镇 shows 合计 and a column per
township; one township shows its own), 刷新 and 导出汇总表…. Left: the figures by group
(``stats_model``, in a ``stats_tree`` that fills its pane); right: the charts
(``stats_charts``, data from ``stats_chart_data``).
Computing runs in a worker (a few hundred ms at district scale); the figures on screen stay
until the new ones arrive, and an answer to an older question is dropped. A double click or
Enter on a figure — or a click on a bar — lists the records it counts (``drill_dialog``).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QLabel, QMessageBox, QPushButton, QScrollArea, QSpinBox, QSplitter,
    QTabWidget, QVBoxLayout, QWidget,
)

from ..domain.errors import DomainError
from ..domain.statistics import Period, StatisticsReport
from . import file_dialogs
from . import stats_chart_data as data
from .context import UiContext
from .stats_charts import BarChart, FunnelChart, StackedColumnChart
from .stats_model import FigureTreeModel, UnitColumn
from .stats_tree import FigureTree

if TYPE_CHECKING:  # their modules load SQLAlchemy and openpyxl: made when the tab first needs them
    from ..services.reports import ReportService
    from ..services.statistics import DrillDown, StatisticsService
    from .drill_dialog import DrillDialog

ERROR_STYLE = "color: #c62828;"


class StatsTab(QWidget):
    title = "统计"
    status_changed = Signal(str)
    records_changed = Signal()  # never emitted: the tab only reads
    report_shown = Signal(object)  # the StatisticsReport now on screen
    drill_opened = Signal(object)  # the DrillDialog just opened

    def __init__(self, ctx: UiContext, service: StatisticsService | None = None,
                 reports: ReportService | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._service = service
        self._reports = reports
        self.report: StatisticsReport | None = None
        self.scope: str | None = None  # the township the figures on screen are of (None: all)
        self.loaded = False
        self.last_seconds = 0.0  # from the request to the figures and charts on screen
        self._generation = 0
        self._timer = QTimer(self, singleShot=True, interval=150)  # one recompute for a burst of changes
        self._timer.timeout.connect(self.recompute)

        self.model = FigureTreeModel(self)
        self.tree = FigureTree(self.model)
        self.tree.activated.connect(self._activated)  # double click or Enter
        self.charts = self._build_charts()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.charts)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        self.info = QLabel()
        self.info.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addLayout(self._build_bar())
        layout.addWidget(self.info)
        layout.addWidget(self.splitter, 1)
        state = ctx.settings.value(self._splitter_key)
        if not (isinstance(state, QByteArray) and self.splitter.restoreState(state)):
            # a township's one value column needs little room; a district's 20 need all they get
            self.splitter.setSizes([700, 560] if ctx.unit.is_district else [420, 840])

    @property
    def service(self) -> StatisticsService:
        if self._service is None:
            from ..services.statistics import StatisticsService

            self._service = StatisticsService(self.ctx.store, self.ctx.today)
        return self._service

    @property
    def reports(self) -> ReportService:
        if self._reports is None:
            from ..services.reports import ReportService

            self._reports = ReportService(self.ctx.store, self.ctx.today)
        return self._reports

    # -- building ------------------------------------------------------------------------------
    def _build_bar(self) -> QHBoxLayout:
        today = self.ctx.today()
        self.period_kind = QComboBox()
        self.period_kind.addItem(self.tr("按年度"), "year")
        self.period_kind.addItem(self.tr("按月份"), "month")
        self.year = QSpinBox()
        self.year.setRange(2000, today.year)
        self.year.setValue(today.year)
        self.year.setSuffix(self.tr(" 年"))
        self.month = QComboBox()
        for m in range(1, 13):
            self.month.addItem(self.tr(f"{m} 月"), m)
        self.month.setCurrentIndex(today.month - 1)
        self.month.setVisible(False)
        self.township = QComboBox()
        self._fill_townships()
        self.township.setVisible(self.ctx.unit.is_district)
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.export_button = QPushButton(self.tr("导出汇总表…"))
        self.export_button.setToolTip(self.tr("把当前统计写成汇总表（每个乡镇一行、合计一行），报送上级"))
        self.export_button.setVisible(self.ctx.unit.is_district)
        self.export_button.setEnabled(False)
        self.period_kind.currentIndexChanged.connect(self._period_kind_changed)
        for signal in (self.year.valueChanged, self.month.currentIndexChanged, self.township.currentIndexChanged):
            signal.connect(lambda *_: self._timer.start())
        self.refresh_button.clicked.connect(self.recompute)
        self.export_button.clicked.connect(self.export_summary)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("统计期间：")))
        for widget in (self.period_kind, self.year, self.month, self.township, self.refresh_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.export_button)
        return bar

    def _fill_townships(self) -> None:
        """全部乡镇 and each township of the database (an import may have added one)."""
        current = self.township.currentData()
        self.township.blockSignals(True)
        self.township.clear()
        self.township.addItem(self.tr("全部乡镇（合计及各乡镇）"), None)
        if self.ctx.unit.is_district:
            for choice in self.ctx.query.dynamic_choices("townships"):
                self.township.addItem(choice.label, choice.value)
        self.township.setCurrentIndex(max(self.township.findData(current), 0))
        self.township.blockSignals(False)

    def _build_charts(self) -> QTabWidget:
        self.age_chart = BarChart(self.tr("党员年龄结构"))
        self.education_chart = BarChart(self.tr("党员学历结构"))
        self.funnel_chart = FunnelChart(self.tr("发展党员各阶段人数"))
        self.completion_chart = BarChart(self.tr("三会一课完成率（按党支部，从低到高）"), row_height=22,
                                         maximum=100, reference=100)
        self.requests_chart = StackedColumnChart(self.tr("每月受理代办事项（按办理状态）"))
        people = QWidget()
        box = QVBoxLayout(people)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.age_chart)
        box.addWidget(self.education_chart)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.completion_chart)
        tabs = QTabWidget()
        tabs.addTab(people, self.tr("年龄与学历"))
        tabs.addTab(self.funnel_chart, self.tr("发展党员"))
        tabs.addTab(scroll, self.tr("三会一课"))
        tabs.addTab(self.requests_chart, self.tr("代办事项"))
        for chart in self.all_charts:
            chart.drill_requested.connect(lambda key: self.open_drill(key, self.scope))
        return tabs

    @property
    def all_charts(self) -> list:
        return [self.age_chart, self.education_chart, self.funnel_chart, self.completion_chart, self.requests_chart]

    def _period_kind_changed(self) -> None:
        self.month.setVisible(self.period_kind.currentData() == "month")
        self._timer.start()

    # -- computing -----------------------------------------------------------------------------
    def period(self) -> Period:
        if self.period_kind.currentData() == "month":
            return Period.month(self.year.value(), self.month.currentData())
        return Period.year(self.year.value())

    def set_period(self, period: Period) -> None:
        """Choose ``period`` in the controls (the figures follow)."""
        self.period_kind.setCurrentIndex(0 if period.is_year else 1)
        self.year.setValue(period.year_number)
        self.month.setCurrentIndex(period.start.month - 1)
        self._timer.start()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if not self.loaded and self._generation == 0:
            self.recompute()

    def refresh(self) -> None:
        """The data changed (an import, a restore): new choices, new figures."""
        self._fill_townships()
        self.recompute()

    def recompute(self) -> None:
        self._timer.stop()
        period, code = self.period(), self.township.currentData()
        self._generation += 1
        generation, started = self._generation, time.perf_counter()
        self._set_info(self.tr(f"正在计算 {period.title} 的统计…") + (self.tr("（显示的仍是上次的结果）") if self.report else ""))
        self.ctx.workers.call(lambda: self.service.compute(period, code),
                              on_result=lambda report: self._show(generation, report, code, started),
                              on_error=lambda exc: self._failed(generation, exc))

    def _show(self, generation: int, report: StatisticsReport, code: str | None, started: float) -> None:
        if generation != self._generation:
            return  # an answer to an older question
        self.report, self.scope = report, code
        self.model.set_report(report, self._unit_columns(report, code))
        self.tree.expandAll()
        self.tree.fit_columns()
        self._fill_charts(report)
        self.loaded = True
        self.export_button.setEnabled(True)
        self.last_seconds = time.perf_counter() - started
        self._set_info(data.describe(report, code is None and report.district))
        self.status_changed.emit(self.status_text())
        self.report_shown.emit(report)

    def _fill_charts(self, report: StatisticsReport) -> None:
        values = self.model.units[0].figures.values  # 合计, or the one township
        self.age_chart.set_bars(data.age_bars(report, values))
        self.education_chart.set_bars(data.education_bars(report, values))
        self.funnel_chart.set_stages(*data.funnel(report, values))
        self.completion_chart.set_bars(*data.completion_bars(report))
        self.requests_chart.set_columns(*data.request_columns(report))

    def _unit_columns(self, report: StatisticsReport, code: str | None) -> list[UnitColumn]:
        if not report.district:
            return [UnitColumn(self.tr("数值"), report.total, None)]
        if code is not None:
            return [UnitColumn(t.name, t, t.code) for t in report.townships]
        return [UnitColumn(self.tr("合计"), report.total, None),
                *(UnitColumn(t.name, t, t.code) for t in report.townships)]

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        if isinstance(exc, DomainError):
            self._set_info(exc.message, error=True)
        else:
            self._set_info(self.tr("统计没有完成。"), error=True)
            self.ctx.show_error(self, exc, self.tr("统计出错"))

    def _set_info(self, text: str, error: bool = False) -> None:
        self.info.setText(text)
        self.info.setStyleSheet(ERROR_STYLE if error else "")

    def status_text(self) -> str:
        if self.report is None:
            return ""
        return self.tr(f"统计：{self.report.unit_name} {self.report.period.title}，统计截止日 "
                       f"{self.report.as_of.isoformat()}")

    # -- the records behind a figure -----------------------------------------------------------
    def _activated(self, index) -> None:  # noqa: ANN001 - QModelIndex
        key = self.model.figure_key(index)
        if key is not None:
            self.open_drill(key, self.model.township_code(index))

    def open_drill(self, key: str, township_code: str | None) -> None:
        report = self.report
        if report is None:
            return
        self.ctx.workers.call(lambda: self.service.drill(report, key, township_code),
                              on_result=lambda drill: self._show_drill(drill, report),
                              on_error=lambda exc: self.ctx.show_error(self, exc, self.tr("无法列出明细")))

    def _show_drill(self, drill: DrillDown, report: StatisticsReport) -> DrillDialog:
        from .drill_dialog import DrillDialog

        columns = self.reports.drill_columns(drill.record_type, report.income_year)
        dialog = DrillDialog(drill, columns,
                             lambda offset, limit: self.reports.drill_rows(drill, offset, limit, report.income_year),
                             self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.drill_opened.emit(dialog)
        dialog.show()
        return dialog

    # -- the window's edit actions on this tab ---------------------------------------------------
    def edit_current(self) -> None:
        self._activated(self.tree.currentIndex())

    def new_record(self) -> None:
        """Nothing to add here: figures come from the records."""

    def delete_current(self) -> None:
        """Nothing to delete here."""

    def focus_search(self) -> None:
        self.tree.setFocus()

    # -- the 汇总表 ----------------------------------------------------------------------------
    def export_summary(self) -> None:
        report = self.report
        if report is None:
            return
        folder = str(self.ctx.settings.value("stats/export_dir", "") or Path.home())
        suggested = str(Path(folder) / f"{report.unit_name}_{report.period.label}_统计汇总表.xlsx")
        path = file_dialogs.save_file_name(self, self.tr("导出汇总表"), suggested, self.tr("Excel 工作簿 (*.xlsx)"))
        if not path:
            return
        target = Path(path) if path.lower().endswith(".xlsx") else Path(path + ".xlsx")
        self.ctx.settings.setValue("stats/export_dir", str(target.parent))
        self.ctx.workers.call(lambda: self.service.write_summary(report, target),
                              on_result=lambda written: QMessageBox.information(
                                  self, self.tr("导出汇总表"), self.tr(f"汇总表已保存到：\n{written}")),
                              on_error=lambda exc: self.ctx.show_error(self, exc, self.tr("无法导出汇总表")),
                              busy=[self.export_button])

    @property
    def _splitter_key(self) -> str:
        return "stats/splitter_district" if self.ctx.unit.is_district else "stats/splitter"

    def save_state(self) -> None:
        self.ctx.settings.setValue(self._splitter_key, self.splitter.saveState())
