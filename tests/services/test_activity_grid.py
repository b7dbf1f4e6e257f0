"""services/activity_grid.py: the 组织生活 tab's branch × month grid counts 完成/应完成 by the
rule of the statistics (``domain.statistics.due_windows``), so the two tabs never disagree —
whatever was held in the month still running."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import TODAY
from dangjian_desktop.domain.enums import ActivityKind
from dangjian_desktop.domain.statistics import Period, enum_key
from dangjian_desktop.services.activity_grid import CellState, activity_grid
from dangjian_desktop.services.demo import make_demo
from dangjian_desktop.services.progress import run_job
from dangjian_desktop.services.statistics import compute_statistics
from dangjian_desktop.services.store import Store

# mid-month (the demo's today), a month's last day, a quarter's last day, a month's first day
DAYS = (TODAY, date(2026, 10, 31), date(2026, 9, 30), date(2026, 11, 1))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    with Store.open(tmp_path_factory.mktemp("grid") / "demo.db") as store:
        run_job(make_demo(store, "township", 1, TODAY))
        yield store


@pytest.mark.parametrize("today", DAYS, ids=str)
@pytest.mark.parametrize("year", (2026, 2025))
def test_every_branch_has_the_statistics_done_and_due(demo, year, today):
    report = compute_statistics(demo, Period.year(year), today=today)
    stats = {b.branch_uuid: (b.done, b.required) for b in report.branches}
    grid = {r.branch_uuid: (r.met, r.due) for r in activity_grid(demo, year, None, today)}
    assert stats and grid == stats


@pytest.mark.parametrize("today", DAYS, ids=str)
@pytest.mark.parametrize("kind", list(ActivityKind), ids=lambda k: k.name)
def test_each_kind_adds_up_to_the_statistics_of_that_kind(demo, kind, today):
    report = compute_statistics(demo, Period.year(2026), today=today)
    rows = activity_grid(demo, 2026, kind, today)
    key = enum_key(kind)
    assert sum(r.met for r in rows) == report.total.values[f"activities.done.{key}"]
    assert sum(r.due for r in rows) == report.total.values[f"activities.required.{key}"]


def test_a_meeting_held_in_the_running_month_is_shown_but_not_yet_counted(demo):
    rows = activity_grid(demo, 2026, None, TODAY)
    assert len({r.due for r in rows}) == 1  # every branch is judged on the same months
    november = [r.cells[10] for r in rows]
    assert {c.state for c in november} <= {CellState.EARLY, CellState.PENDING}
    assert any(c.state is CellState.EARLY for c in november)  # the demo holds some November meetings
    assert all(c.held > 0 for c in november if c.state is CellState.EARLY)


def test_the_district_grid_names_the_township_of_each_branch(tmp_path):
    """Twenty townships may each have a 中共北庄村支部委员会: at the district the grid says whose."""
    from package_records import district_store

    from dangjian_desktop.domain import records as R
    from dangjian_desktop.storage.repositories import AuditLog, repository_for

    towns = {"410999101000": "青石镇", "410999102000": "柳河乡"}
    with district_store(tmp_path / "district.db") as store:
        with store.db.write() as s:
            audit = AuditLog(s, "测试员")
            for code, name in towns.items():
                repository_for(R.Township, s, audit).add(R.Township(code=code, name=name))
                repository_for(R.Branch, s, audit).add(R.Branch(township_code=code, name="中共北庄村支部委员会"))
            repository_for(R.Branch, s, audit).add(R.Branch(township_code="410999101000", name="中共青石镇机关支部"))
        names = sorted(row.branch_name for row in activity_grid(store, 2026, None, TODAY))
    assert names == ["中共北庄村支部委员会（柳河乡）", "中共北庄村支部委员会（青石镇）", "中共青石镇机关支部"]
