"""The 组织生活 tab: meetings added and filtered, and the branch × month grid that shows a
missing 支委会 at a glance."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from conftest import TODAY
from dangjian_desktop.domain import records as R
from dangjian_desktop.domain.enums import ActivityKind
from dangjian_desktop.services.activity_grid import CellState, activity_grid
from dangjian_desktop.ui.activities_tab import ActivitiesTab
from dangjian_desktop.ui.activity_grid import COLORS, ActivityGridModel
from ui_helpers import (  # noqa: F401 - fixtures
    add_records, choose, ctx, dialogs, small_township, submit, type_into, type_text,
)


def meeting(branch, kind, held_on, topic="学习", attendance=8, expected=10) -> R.Activity:
    return R.Activity(township_code=branch.township_code, branch_uuid=branch.uuid, kind=kind, held_on=held_on,
                      topic=topic, attendance=attendance, expected=expected)


@pytest.fixture
def tab(ctx, qtbot):
    records = small_township(ctx.store)
    east = records["东岭村党支部"]
    # 支委会 every month of 2026 up to October except March; a 党课 in the first quarter
    add_records(ctx.store, *(meeting(east, ActivityKind.COMMITTEE_MEETING, date(2026, m, 10), f"{m}月支委会")
                             for m in range(1, 11) if m != 3),
                meeting(east, ActivityKind.PARTY_LECTURE, date(2026, 2, 20), "学习党章"))
    widget = ActivitiesTab(ctx)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: widget.model.is_loaded)
    widget.records = records
    return widget


def topics(tab):
    return [tab.model.record(r).topic for r in range(tab.model.rowCount())]


def test_list_filters_and_search(tab, qtbot):
    assert tab.model.rowCount() == 10
    kind = tab.filters["kind"]
    kind.setCurrentIndex(kind.findData(ActivityKind.PARTY_LECTURE))
    assert topics(tab) == ["学习党章"]
    kind.setCurrentIndex(0)
    type_text(qtbot, tab.search, "西山")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 0)


def test_add_a_meeting_with_an_error_then_the_fix(tab, qtbot, dialogs):
    west = tab.records["西山村党支部"]

    def fill(dialog):
        choose(dialog, "branch_uuid", west.uuid)
        choose(dialog, "kind", ActivityKind.THEME_DAY)
        type_into(qtbot, dialog, "held_on", "2026-11-05")
        type_into(qtbot, dialog, "topic", "主题党日：清扫村道")
        type_into(qtbot, dialog, "expected", "20")
        type_into(qtbot, dialog, "attendance", "25")
        assert "多于应到人数" in dialog.form.message("attendance")
        dialog.accept()
        type_into(qtbot, dialog, "attendance", "18")
        return submit(dialog)

    dialogs.then(fill)
    tab.new_record()
    saved = tab.current_record()
    assert (saved.branch_uuid, saved.kind, saved.attendance) == (west.uuid, ActivityKind.THEME_DAY, 18)


def test_a_new_meeting_chooses_no_branch_for_the_clerk_unless_the_list_is_narrowed_to_one(tab, qtbot, dialogs):
    """Not the first organisation of the list (the township's 党委) in silence: with no branch
    filter the form asks; with one, a new meeting is of that branch (clerks enter a branch's
    meetings in a row)."""
    east = tab.records["东岭村党支部"]
    seen = []

    def look(dialog):
        combo = dialog.form.editor("branch_uuid").combo
        seen.append((combo.currentIndex(), dialog.form.editor("branch_uuid").value()))
        dialog.accept()  # refused: 请选择开展活动的党组织
        seen.append(dialog.form.message("branch_uuid"))
        return 0

    dialogs.then(look)
    tab.new_record()
    assert seen[:2] == [(-1, None), "请选择开展活动的党组织"]
    branch = tab.filters["branch"]
    branch.setCurrentIndex(branch.findData(east.uuid))
    seen.clear()
    dialogs.then(lambda dialog: seen.append(dialog.form.editor("branch_uuid").value()) or 0)
    tab.new_record()
    assert seen == [east.uuid]


def test_grid_shows_the_missing_committee_meeting(tab, ctx, qtbot, qtmodeltester):
    tab.pages.setCurrentWidget(tab.grid)
    qtbot.waitUntil(lambda: tab.grid.loaded)
    model = tab.grid.model
    qtmodeltester.check(model, force_py=True)
    names = [model.index(r, 0).data() for r in range(model.rowCount())]
    east = names.index("东岭村党支部")
    march = model.index(east, 3)
    assert march.data() == "0"
    assert march.data(Qt.ItemDataRole.BackgroundRole).color() == COLORS[CellState.MISSING]
    assert model.index(east, 2).data(Qt.ItemDataRole.BackgroundRole).color() == COLORS[CellState.OK]
    assert model.index(east, 11).data(Qt.ItemDataRole.BackgroundRole).color() == COLORS[CellState.PENDING]
    assert model.index(east, 12).data() == ""  # December: not yet
    assert model.index(east, 13).data().startswith("9/10")


def test_grid_of_all_kinds_names_what_is_missing(ctx, tab):
    rows = activity_grid(ctx.store, 2026, None, TODAY)
    east = next(r for r in rows if r.branch_name == "东岭村党支部")
    march = east.cells[2]
    assert march.state is CellState.MISSING
    assert ActivityKind.COMMITTEE_MEETING in march.missing
    assert ActivityKind.PARTY_LECTURE not in march.missing  # held in February: the quarter is met
    assert east.cells[1].state is CellState.MISSING and ActivityKind.PARTY_LECTURE not in east.cells[1].missing
    model = ActivityGridModel()
    model.set_rows(rows, all_kinds=True)
    row = [r.branch_name for r in rows].index("东岭村党支部")
    assert model.index(row, 3).data() == f"{march.met}/{march.due}"
    assert "缺：" in model.index(row, 3).data(Qt.ItemDataRole.ToolTipRole)


def test_a_meeting_of_the_running_month_shows_but_counts_only_once_the_month_ends(tab, ctx, qtbot):
    east = tab.records["东岭村党支部"]
    add_records(ctx.store, meeting(east, ActivityKind.COMMITTEE_MEETING, date(2026, 11, 5), "11月支委会"))
    tab.pages.setCurrentWidget(tab.grid)
    qtbot.waitUntil(lambda: tab.grid.loaded)
    model = tab.grid.model
    row = [model.index(r, 0).data() for r in range(model.rowCount())].index("东岭村党支部")
    november = model.index(row, 11)
    assert november.data() == "1"
    assert november.data(Qt.ItemDataRole.BackgroundRole).color() == COLORS[CellState.EARLY]
    assert "月末后计入" in november.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(row, 13).data() == "9/10  90.00%"  # January to October, as 统计 counts it


def test_the_grid_page_shows_only_its_own_controls(tab, qtbot):
    """The list's search, filters, count and 新增/编辑/删除 do not apply to the grid: on the
    完成情况 page only the grid's 年度 and 类型 are on screen; back on the list they return."""
    list_controls = [tab.search, *tab.filters.values(), tab.count_label, tab.toolbar]
    assert all(w.isVisible() for w in list_controls)
    tab.pages.setCurrentWidget(tab.grid)
    qtbot.waitUntil(lambda: tab.grid.loaded)
    assert not any(w.isVisible() for w in list_controls)
    assert tab.grid.year.isVisible() and tab.grid.kind.isVisible()
    tab.focus_search()  # Ctrl+F goes back to the list, where the search is
    assert tab.pages.currentIndex() == 0
    assert all(w.isVisible() for w in list_controls)
    tab.pages.setCurrentWidget(tab.grid)
    tab.delete_current()  # the window's 删除 (nothing chosen: no question) shows the list it acts on
    assert tab.pages.currentIndex() == 0 and tab.toolbar.isVisible()
