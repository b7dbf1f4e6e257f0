"""The 统计 tab: it shows the figures of the report (checked against the service and against the
records themselves), recomputes when the period changes, keeps the figures on a refused period,
drops stale answers, lists exactly the records behind a figure or a bar, paints its charts, and at
the district shows a column per township and exports the 汇总表."""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import TODAY
from openpyxl import load_workbook
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

from dangjian_desktop.domain import records as R
from dangjian_desktop.domain.enums import Stage, UnitMode
from dangjian_desktop.domain.statistics import Period
from dangjian_desktop.domain.unit import UnitSettings
from dangjian_desktop.services import demo_data
from dangjian_desktop.services.statistics import StatisticsService
from dangjian_desktop.services.store import Store
from dangjian_desktop.storage.repositories import AuditLog, SettingsRepository, repository_for
from dangjian_desktop.ui.context import UiContext
from dangjian_desktop.ui.main_window import MainWindow
from dangjian_desktop.ui.stats_model import FIXED_COLUMNS, value_text
from dangjian_desktop.ui.stats_tab import StatsTab
from dangjian_desktop.ui.workers import Workers
from ui_helpers import RecordingReporter, boxes, ctx  # noqa: F401 - fixtures
from write_faults import refuse_writes

ORDER = (R.Township, R.Village, R.Branch, R.Member, R.ReserveCadre, R.ServiceRequest, R.Activity)


def load_township(store, code: str, name: str, seed: int = 5) -> demo_data.TownshipData:
    """A small demo township (3 villages, 90 members …); its 乡镇 row only where none is yet."""
    data = demo_data.generate_township(code, name, seed=seed, today=TODAY, villages=3, members=90,
                                       reserve_cadres=6, service_requests=80)
    by_type: dict[type, list] = {t: [] for t in ORDER}
    for record in data.all_records():
        by_type[type(record)].append(record)
    if not store.unit().is_district:
        by_type[R.Township] = []  # init_unit wrote it
    with store.db.write() as s:
        audit = AuditLog(s, "测试员")
        for t in ORDER:
            repository_for(t, s, audit).bulk_add(by_type[t])
    return data


@pytest.fixture
def town(ctx):
    return load_township(ctx.store, ctx.unit.code, ctx.unit.name)


def shown_tab(ctx, qtbot) -> StatsTab:
    tab = StatsTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1366, 700)
    with qtbot.waitSignal(tab.report_shown, timeout=10_000):
        tab.show()
    return tab


def displayed(tab: StatsTab, column: int = len(FIXED_COLUMNS)) -> dict[str, str]:
    """Every figure's key → the text the tree shows in ``column``."""
    model, out = tab.model, {}
    for g in range(model.rowCount()):
        group = model.index(g, 0)
        for r in range(model.rowCount(group)):
            index = model.index(r, column, group)
            out[model.figure_key(index)] = index.data()
    return out


def test_the_tab_shows_every_figure_of_the_report(ctx, qtbot, qtmodeltester, town):
    tab = shown_tab(ctx, qtbot)
    qtmodeltester.check(tab.model)
    expected = StatisticsService(ctx.store, ctx.today).compute(Period.year(TODAY.year))
    shown = displayed(tab)
    assert len(shown) == len(expected.visible) > 150
    assert shown == {d.key: value_text(expected.total.values[d.key]) for d in expected.visible}
    # … and a few of them counted from the records, not by the service
    in_register = [m for m in town.members if m.leave_kind is None and m.stage in (Stage.PROBATIONARY, Stage.FULL)]
    assert shown["members.total"] == f"{len(in_register):,}"
    assert shown["villages.total"] == "3"
    assert [tab.model.headerData(i, Qt.Orientation.Horizontal) for i in range(3)] == ["指标", "单位", "数值"]
    assert "青石镇 · 2026年 · 统计截止日 2026-11-26" in tab.info.text()
    assert tab.loaded and "统计截止日 2026-11-26" in tab.status_text()


def double_click(qtbot, tab: StatsTab, index) -> None:  # noqa: ANN001 - QModelIndex
    """What a real double click sends: press and release, then the double click (and release)."""
    tab.tree.scrollTo(index)
    where = tab.tree.visualRect(index).center()
    qtbot.mouseClick(tab.tree.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(tab.tree.viewport(), Qt.MouseButton.LeftButton, pos=where)


def _names_listed(dialog) -> Counter:
    column = [c.header for c in dialog.model.columns].index("姓名")
    model = dialog.model
    return Counter(model.index(r, column).data() for r in range(model.rowCount()))


def test_double_clicking_a_figure_lists_exactly_the_records_it_counts(ctx, qtbot, qtmodeltester, town):
    tab = shown_tab(ctx, qtbot)
    index = tab.model.index_of("members.total")
    with qtbot.waitSignal(tab.drill_opened) as opened:
        double_click(qtbot, tab, index)
    dialog = opened.args[0]
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    in_register = [m for m in town.members if m.leave_kind is None and m.stage in (Stage.PROBATIONARY, Stage.FULL)]
    assert dialog.model.rowCount() == len(in_register)
    assert _names_listed(dialog) == Counter(m.name for m in in_register)
    assert dialog.model.cached_rows == dialog.model.rowCount()  # read page by page, all of them now
    id_column = [c.header for c in dialog.model.columns].index("身份证号")
    assert "*" * 11 in dialog.model.index(0, id_column).data()  # masked, as in the record tabs


def test_enter_on_a_figure_lists_its_records_too(ctx, qtbot, town):
    tab = shown_tab(ctx, qtbot)
    index = tab.model.index_of("pipeline.applicant")
    tab.tree.setCurrentIndex(index)
    tab.tree.setFocus()
    with qtbot.waitSignal(tab.drill_opened) as opened:
        qtbot.keyClick(tab.tree, Qt.Key.Key_Return)
    dialog = opened.args[0]
    qtbot.addWidget(dialog)
    applicants = [m for m in town.members if m.leave_kind is None and m.stage is Stage.APPLICANT]
    assert _names_listed(dialog) == Counter(m.name for m in applicants)
    assert "入党申请人" in dialog.windowTitle()


def test_changing_the_period_recomputes_the_figures(ctx, qtbot, town):
    tab = shown_tab(ctx, qtbot)
    with qtbot.waitSignal(tab.report_shown, timeout=10_000) as shown:
        tab.period_kind.setCurrentIndex(1)  # 按月份
        tab.month.setCurrentIndex(2)  # 3 月
    assert shown.args[0].period == Period.month(2026, 3) and tab.month.isVisible()
    expected = StatisticsService(ctx.store, ctx.today).compute(Period.month(2026, 3))
    assert displayed(tab) == {d.key: value_text(expected.total.values[d.key]) for d in expected.visible}
    assert displayed(tab)["requests.received"] != value_text(tab.service.compute(Period.year(2026)).total.values[
        "requests.received"])


def test_a_period_not_yet_begun_is_explained_and_the_figures_stay(ctx, qtbot, town):
    tab = shown_tab(ctx, qtbot)
    before = displayed(tab)
    tab.set_period(Period.month(2026, 12))
    qtbot.waitUntil(lambda: "还没有开始" in tab.info.text())
    assert "color: #c62828" in tab.info.styleSheet()
    assert displayed(tab) == before and tab.report.period == Period.year(2026)


def test_only_the_answer_to_the_last_question_is_shown(ctx, qtbot, town):
    tab = shown_tab(ctx, qtbot)
    shown = []
    tab.report_shown.connect(lambda report: shown.append(report.period.label))
    tab.year.setValue(2025)
    tab.recompute()
    tab.year.setValue(2026)
    tab.recompute()
    qtbot.waitUntil(lambda: ctx.workers.running == 0 and bool(shown))
    assert shown == ["2026"] and tab.report.period.label == "2026"


def test_the_charts_paint_and_a_bar_lists_its_records(ctx, qtbot, town):
    tab = shown_tab(ctx, qtbot)
    report = tab.report
    values = report.total.values
    bands = ("le30", "31_35", "36_40", "41_45", "46_50", "51_55", "56_60", "ge61")
    assert [b.value for b in tab.age_chart.bars] == [values[f"members.age.{k}"] for k in bands]
    assert [s.label for s in tab.funnel_chart.stages] == ["入党申请人", "入党积极分子", "发展对象", "预备党员"]
    rates = [b.value for b in tab.completion_chart.bars]
    assert len(rates) == len(report.branches) and rates == sorted(rates)
    assert sum(c.total for c in tab.requests_chart.columns) == values["requests.received"]
    for page in range(tab.charts.count()):
        tab.charts.setCurrentIndex(page)
        for chart in tab.all_charts:
            chart.grab()  # paints (a Qt warning would fail the test)
    chart = tab.completion_chart
    worst = min(report.branches, key=lambda b: (b.rate is None, b.rate or 0, b.name))
    rect = chart.targets()[f"activities.branch.{worst.branch_uuid}"]
    with qtbot.waitSignal(tab.drill_opened) as opened:
        qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    dialog = opened.args[0]
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == worst.held and dialog.drill.record_type is R.Activity

    month, counts = next(iter(report.requests_by_month[""].items()))
    chart = tab.requests_chart
    tab.charts.setCurrentWidget(chart)
    chart.grab()
    rect = chart.targets()[f"requests.month.{month}.closed"]
    with qtbot.waitSignal(tab.drill_opened) as opened:
        qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    qtbot.addWidget(opened.args[0])
    assert opened.args[0].model.rowCount() == counts["closed"]


@pytest.fixture
def district_ctx(tmp_path, qapp):
    with Store.open(tmp_path / "district.db") as store:
        with store.db.write() as s:
            SettingsRepository(s).save_unit(UnitSettings(UnitMode.DISTRICT, "青川区", "410999000000", "测试员"))
        towns = [load_township(store, code, name, seed=k) for k, (code, name) in
                 enumerate(demo_data.demo_townships("district", 1)[:2])]
        reporter = RecordingReporter(tmp_path / "logs")
        workers = Workers(None, on_error=reporter.report)
        settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
        yield UiContext(store, store.unit(), settings, reporter, workers, today=lambda: TODAY), towns
        workers.wait()
        workers.deleteLater()
        assert reporter.errors == []


def test_the_district_shows_the_total_and_a_column_per_township(district_ctx, qtbot, qtmodeltester):
    ctx, towns = district_ctx
    tab = shown_tab(ctx, qtbot)
    qtmodeltester.check(tab.model)
    names = [t.township.name for t in towns]
    assert [tab.model.headerData(i, Qt.Orientation.Horizontal) for i in range(tab.model.columnCount())] == \
        ["指标", "单位", "合计", *names]
    report = tab.report
    for column, unit in enumerate([report.total, *report.townships], start=len(FIXED_COLUMNS)):
        assert displayed(tab, column) == {d.key: value_text(unit.values[d.key]) for d in report.visible}
    # the second township's column drills into that township only
    index = tab.model.index_of("members.total", len(FIXED_COLUMNS) + 2)
    with qtbot.waitSignal(tab.drill_opened) as opened:
        double_click(qtbot, tab, index)
    qtbot.addWidget(opened.args[0])
    second = [m for m in towns[1].members if m.leave_kind is None and m.stage in (Stage.PROBATIONARY, Stage.FULL)]
    assert _names_listed(opened.args[0]) == Counter(m.name for m in second)
    # choosing one township shows that township alone
    with qtbot.waitSignal(tab.report_shown, timeout=10_000):
        tab.township.setCurrentIndex(1)
    assert [tab.model.headerData(i, Qt.Orientation.Horizontal) for i in range(3)] == ["指标", "单位", names[0]]
    assert tab.scope == towns[0].township.code and len(tab.report.townships) == 1


def test_the_district_exports_the_summary_workbook(district_ctx, qtbot, monkeypatch, boxes, tmp_path):
    ctx, towns = district_ctx
    tab = shown_tab(ctx, qtbot)
    assert tab.export_button.isVisible() and tab.export_button.isEnabled()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "汇总"), ""))
    tab.export_button.click()
    qtbot.waitUntil(lambda: bool(boxes.texts("information")))
    workbook = load_workbook(tmp_path / "汇总.xlsx", read_only=True)
    rows = list(workbook["汇总表"].iter_rows(values_only=True))
    workbook.close()
    assert [t.township.name for t in towns][0] in {str(v) for row in rows for v in row}
    assert "汇总.xlsx" in boxes.texts("information")[0]



def test_the_summary_onto_a_full_disk_is_a_warning(district_ctx, qtbot, monkeypatch, boxes, tmp_path):
    ctx, _towns = district_ctx
    tab = shown_tab(ctx, qtbot)
    folder = refuse_writes(monkeypatch, tmp_path / "满", 28)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(folder / "汇总"), ""))
    tab.export_button.click()
    qtbot.waitUntil(lambda: bool(boxes.texts("warning")))
    [text] = boxes.texts("warning")
    assert "汇总.xlsx" in text and "磁盘已满" in text and list(folder.iterdir()) == []


def _columns_fill_the_tree(tab: StatsTab) -> bool:
    """No blank strip right of the last column, and no value column cut off by the pane's edge:
    the columns are exactly as wide as the pane, or, too many to fit, the labels keep their
    natural width and the tree scrolls sideways."""
    header, viewport = tab.tree.header(), tab.tree.viewport()
    if tab.tree.horizontalScrollBar().isVisible():
        return header.length() > viewport.width() and header.sectionSize(0) == tab.tree.label_width
    return header.length() == viewport.width() and header.sectionSize(0) >= tab.tree.min_label_width


@pytest.mark.parametrize("size", [(1010, 520), (1366, 700), (1906, 960)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_figures_fill_their_pane_at_any_size(ctx, qtbot, town, size):
    tab = shown_tab(ctx, qtbot)
    tab.resize(*size)
    qtbot.waitUntil(lambda: _columns_fill_the_tree(tab), timeout=2000)
    assert not tab.tree.horizontalScrollBar().isVisible()  # a township's one value column always fits
    value = tab.tree.header().sectionSize(len(FIXED_COLUMNS))
    assert value >= tab.tree.fontMetrics().horizontalAdvance("1,820") + 18  # the values are not squeezed
    tab.splitter.setSizes([900, 300])  # the clerk widens the figures: still no blank strip
    qtbot.waitUntil(lambda: _columns_fill_the_tree(tab), timeout=2000)


@pytest.mark.parametrize("width", [1010, 1906])
def test_the_district_figures_fill_their_pane_or_scroll(district_ctx, qtbot, width):
    ctx, _towns = district_ctx
    tab = shown_tab(ctx, qtbot)
    tab.resize(width, 700)
    qtbot.waitUntil(lambda: _columns_fill_the_tree(tab), timeout=2000)


def test_a_township_has_no_township_chooser_and_no_summary_button(ctx, qtbot, town):
    tab = shown_tab(ctx, qtbot)
    assert not tab.township.isVisible() and not tab.export_button.isVisible()


def test_the_statistics_entry_opens_the_tab(ctx, qtbot, town):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    action = window.findChild(QAction, "action_statistics")
    assert action.isEnabled()
    with qtbot.waitSignal(window.stats.report_shown, timeout=10_000):
        action.trigger()
    assert window.tabs.currentWidget() is window.stats and window.tabs.tabText(window.tabs.currentIndex()) == "统计"
    qtbot.waitUntil(lambda: "统计截止日" in window.status_label.text())


def test_an_empty_database_shows_zeros_and_empty_charts(ctx, qtbot):
    tab = shown_tab(ctx, qtbot)
    shown = displayed(tab)
    assert shown["members.total"] == "0" and shown["secretaries.mean_age"] == "—"
    for chart in tab.all_charts:
        chart.grab()
        assert chart.targets() == {} or chart is tab.age_chart or chart is tab.education_chart
    assert tab.funnel_chart.is_empty() and tab.requests_chart.is_empty() and tab.completion_chart.is_empty()


@pytest.mark.parametrize(("top", "step"), [(0, 1), (7, 2), (247, 50), (5136, 2000), (100, 20), (1, 0.2)])
def test_axis_steps_are_round_numbers(top, step):
    from dangjian_desktop.ui.stats_charts import nice_step
    assert nice_step(top) == pytest.approx(step)
