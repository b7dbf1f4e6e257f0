"""The other kinds of roster: branches (parents by name), reserve cadres, service requests
(matched by 年度+序号), branch activities."""

from __future__ import annotations

from datetime import date

from conftest import TODAY
from factories import village
from roster_fixtures import Draft, people, write_xlsx

from dangjian_desktop.domain import records as R
from dangjian_desktop.domain.enums import ActivityKind, Channel, OrgKind, RequestStatus, ReserveSource
from dangjian_desktop.services.progress import run_job
from dangjian_desktop.services.roster_import import ImportOptions, RosterImport
from dangjian_desktop.services.roster_import_plan import RowStatus
from dangjian_desktop.storage.repositories import VillageRepository, audit_for, repository_for


def run(store, path, kind, options=ImportOptions(), commit=True):
    with RosterImport.open(store, path, kind, today=TODAY) as job:
        plan = run_job(job.preview(options))
        result = run_job(job.commit(plan)) if commit else None
    return plan, result


def stored(store, record_type):
    with store.db.read() as s:
        return repository_for(record_type, s, audit_for(s)).list()


def add_village(store, name="东岭村") -> R.Village:
    v = village(name)
    with store.db.write() as s:
        VillageRepository(s, audit_for(s)).add(v)
    return v


def test_a_branch_roster_with_parents_further_down_the_file(store, tmp_path):
    east = add_village(store)
    rows = [["党组织名称", "党组织类别", "上级党组织", "所在村", "成立时间"],
            ["东岭村第一党支部", "支部", "东岭村党总支", "东岭村", "1998.07"],
            ["东岭村党总支", "党总支", "", "东岭村", "1985-05-01"],
            ["西岭村党支部", "党支部", "不存在党委", "", ""],
            ["北岭村党支部", "党支部", "", "北岭村", ""]]
    plan, result = run(store, write_xlsx(tmp_path / "党组织.xlsx", [Draft("Sheet1", rows)]), "branches")
    assert [r.status for r in plan.rows] == [RowStatus.NEW, RowStatus.NEW, RowStatus.REFUSED, RowStatus.REFUSED]
    assert plan.rows[2].problems[0].column == "C" and "上级党组织" in plan.rows[2].problems[0].message
    assert plan.rows[3].problems[0].column == "D" and "北岭村" in plan.rows[3].problems[0].message
    by_name = {b.name: b for b in stored(store, R.Branch)}
    assert by_name["东岭村第一党支部"].parent_uuid == by_name["东岭村党总支"].uuid
    assert by_name["东岭村党总支"].kind is OrgKind.GENERAL_BRANCH and by_name["东岭村党总支"].village_uuid == east.uuid
    again, _ = run(store, write_xlsx(tmp_path / "党组织.xlsx", [Draft("Sheet1", rows[:3])]), "branches", commit=False)
    assert [r.status for r in again.rows] == [RowStatus.UNCHANGED, RowStatus.UNCHANGED]


def test_a_reserve_cadre_roster(store, tmp_path):
    add_village(store)
    persons = people(2)
    rows = [["姓名", "性别", "公民身份号码", "政治面貌", "所在村", "人员来源", "拟任职务", "纳入时间"],
            [persons[0].name, persons[0].gender, persons[0].id_number, "党员", "东岭村", "退役军人", "书记", "2024.3.1"],
            [persons[1].name, persons[1].gender, persons[1].id_number, "群众", "东岭村", "返乡创业", "委员", "2024年3月"]]
    plan, result = run(store, write_xlsx(tmp_path / "后备.xlsx", [Draft("后备干部", rows)]), "reserve")
    assert result.added == 1
    assert (plan.rows[1].problems[0].column, plan.rows[1].problems[0].row) == ("H", 3)
    cadre = stored(store, R.ReserveCadre)[0]
    assert cadre.source is ReserveSource.VETERAN and cadre.entered_on == date(2024, 3, 1)


def test_service_requests_are_matched_by_year_and_serial(store, tmp_path):
    add_village(store)
    head = ["序号", "受理日期", "群众姓名", "所在村", "办理事项", "办理方式", "办理状态", "办结日期"]
    rows = [head, [1, "2026-03-02", "王某", "东岭村", "低保申请", "代办", "办结", "2026-03-10"],
            [2, "2026-03-05", "李某", "东岭村", "医保转移", "上门", "办理中", ""]]
    path = write_xlsx(tmp_path / "代办.xlsx", [Draft("台账", rows)])
    plan, result = run(store, path, "requests")
    assert result.added == 2
    requests = {r.serial: r for r in stored(store, R.ServiceRequest)}
    assert requests[1].year == 2026 and requests[1].status is RequestStatus.CLOSED
    assert requests[2].channel is Channel.DOOR_TO_DOOR
    rows[2] = [2, "2026-03-05", "李某", "东岭村", "医保转移", "上门", "已办结", "2026-03-20"]
    plan, result = run(store, write_xlsx(tmp_path / "代办2.xlsx", [Draft("台账", rows)]), "requests")
    assert (result.added, result.updated, result.unchanged) == (0, 1, 1)
    assert {f for f, _o, _n in plan.rows[1].changes} == {"status", "completed_on"}


def test_activities_take_the_branch_from_the_option(store, tmp_path):
    rows = [["会议类型", "召开时间", "会议主题", "应到人数", "实到人数"],
            ["支部党员大会", "2026-03-01", "学习", 30, 28],
            ["主题党日", "2026-04-01", "植树", 30, 31]]
    path = write_xlsx(tmp_path / "三会一课.xlsx", [Draft("Sheet1", rows)])
    plan, _ = run(store, path, "activities", commit=False)
    assert all(r.status is RowStatus.REFUSED for r in plan.rows)
    assert "党组织" in plan.rows[0].problems[0].message
    plan, result = run(store, path, "activities", ImportOptions(branch="东岭村党支部", create_branches=True))
    assert result.added == 1 and result.branches_created == 1
    assert plan.rows[1].problems[0].column == "E" and "多于应到" in plan.rows[1].problems[0].message
    activity = stored(store, R.Activity)[0]
    assert activity.kind is ActivityKind.GENERAL_MEETING and activity.held_on == date(2026, 3, 1)
    again, _ = run(store, path, "activities", ImportOptions(branch="东岭村党支部"), commit=False)
    assert again.rows[0].status is RowStatus.UNCHANGED


def test_a_branch_tree_with_a_cycle_or_a_refused_parent_writes_neither(store, tmp_path):
    rows = [["党组织名称", "党组织类别", "上级党组织", "成立时间"],
            ["甲党总支", "党总支", "乙党总支", ""],
            ["乙党总支", "党总支", "甲党总支", ""],
            ["丙党总支", "党总支", "", "2099-01-01"],
            ["丙一党支部", "党支部", "丙党总支", ""],
            ["丁党支部", "党支部", "", ""]]
    plan, result = run(store, write_xlsx(tmp_path / "环.xlsx", [Draft("Sheet1", rows)]), "branches")
    assert [r.status for r in plan.rows] == [RowStatus.REFUSED] * 4 + [RowStatus.NEW]
    assert "循环" in plan.rows[0].problems[-1].message and plan.rows[0].problems[-1].column == "C"
    assert plan.rows[2].problems[-1].column == "D"  # founded in the future
    assert "未能导入" in plan.rows[3].problems[-1].message
    assert result.added == 1 and [b.name for b in stored(store, R.Branch)] == ["丁党支部"]
