"""The printable lists as tables (services/reports.py): which records, in which order, with
which columns, and masking that leaves no full 身份证号 or phone number in any row; and the
rows behind a statistics figure with the names of what they refer to."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from decimal import Decimal

import factories as F
import pytest
from conftest import TODAY

from dangjian_desktop.domain import records as R
from dangjian_desktop.domain.enums import LeaveKind, OrgKind, RequestStatus, ReserveStatus, Stage, UnitMode
from dangjian_desktop.domain.statistics import Period
from dangjian_desktop.domain.unit import UnitSettings
from dangjian_desktop.services.reports import ReportKind, ReportOptions, ReportService, mask_phone
from dangjian_desktop.services.statistics import StatisticsService
from dangjian_desktop.services.store import Store
from dangjian_desktop.storage.repositories import AuditLog, SettingsRepository, repository_for

FULL_ID = re.compile(r"[0-9]{17}[0-9X]")
FULL_MOBILE = re.compile(r"1[3-9][0-9]{9}")


def add(store, *records: R.Record) -> None:
    with store.db.write() as s:
        audit = AuditLog(s, "测试员")
        for r in records:
            repository_for(type(r), s, audit).add(r)


def township_records(code: str = F.TOWNSHIP_CODE, prefix: str = "") -> dict[str, R.Record]:
    """Two villages and branches; members of every kind; reserve cadres; requests of two years."""
    east = R.Village(township_code=code, name=f"{prefix}东岭村", incomes={2025: Decimal("6.25")})
    west = R.Village(township_code=code, name=f"{prefix}西山村")
    committee = R.Branch(township_code=code, name=f"{prefix}镇党委", kind=OrgKind.COMMITTEE)
    b_east = R.Branch(township_code=code, name=f"{prefix}东岭村党支部", parent_uuid=committee.uuid, village_uuid=east.uuid)
    b_west = R.Branch(township_code=code, name=f"{prefix}西山村党支部", parent_uuid=committee.uuid, village_uuid=west.uuid)

    def member(name: str, **kw) -> R.Member:
        return dataclasses.replace(F.member(prefix + name, **kw), township_code=code)

    people = {
        "张三": member("张三", branch_uuid=b_west.uuid, phone="13812345678"),
        "李四": member("李四", branch_uuid=b_east.uuid, stage=Stage.PROBATIONARY,
                     probation_on=F.PartialDate.day(2026, 3, 1), phone="0371-6543210"),
        "王五": member("王五", branch_uuid=b_east.uuid, stage=Stage.APPLICANT),
        "赵六": member("赵六", branch_uuid=b_east.uuid, leave_kind=LeaveKind.DEATH, leave_on=F.PartialDate.day(2026, 2, 1)),
    }
    b_east.secretary_uuid = people["张三"].uuid  # a secretary of another branch's village, on purpose
    reserve = [R.ReserveCadre(township_code=code, name=f"{prefix}后备{i}", gender=F.Gender.MALE,
                              id_number=F.id_number(), village_uuid=west.uuid, phone="13900001111", status=status)
               for i, status in enumerate((ReserveStatus.TRAINING, ReserveStatus.PROMOTED, ReserveStatus.TRAINING))]
    requests = [R.ServiceRequest(township_code=code, year=y, serial=n, received_on=date(y, m, 1),
                                 requester=f"{prefix}申请人{n}", requester_phone="13700002222",
                                 village_uuid=east.uuid, content="代办医保缴费",
                                 status=RequestStatus.CLOSED if n == 1 else RequestStatus.RECEIVED)
                for y, n, m in ((2026, 2, 5), (2026, 1, 2), (2025, 7, 9))]
    return {"east": east, "west": west, "committee": committee, "b_east": b_east, "b_west": b_west, **people,
            **{f"reserve{i}": r for i, r in enumerate(reserve)}, **{f"request{i}": q for i, q in enumerate(requests)}}


@pytest.fixture
def town(store):
    records = township_records()
    add(store, *records.values())
    return records


@pytest.fixture
def service(store):
    return ReportService(store, lambda: TODAY)


def _column(table, header: str) -> list:
    i = [c.header for c in table.columns].index(header)
    return [row[i] for row in table.rows]


def test_the_member_roster_lists_full_and_probationary_members_by_branch(service, town):
    table = service.build(ReportOptions(ReportKind.MEMBERS))
    assert table.title == "青石镇党员花名册" and table.unit_name == "青石镇"
    assert table.scope == "截至 2026年11月26日" and table.count_text == "共 2 人" and table.landscape
    assert [c.header for c in table.columns][:3] == ["序号", "姓名", "性别"]
    # the applicant and the member who died are not on it; 东岭 before 西山 (by branch)
    assert _column(table, "姓名") == ["李四", "张三"]
    assert _column(table, "序号") == [1, 2]
    assert _column(table, "所在党组织") == ["东岭村党支部", "西山村党支部"]
    assert _column(table, "发展阶段") == [Stage.PROBATIONARY, Stage.FULL]


def test_masking_leaves_no_full_id_or_phone_in_any_row(service, town):
    masked = service.build(ReportOptions(ReportKind.MEMBERS))
    text = " ".join(str(v) for row in masked.rows for v in row)
    assert not FULL_ID.search(text) and not FULL_MOBILE.search(text)
    zhang = town["张三"]
    assert _column(masked, "身份证号")[1] == zhang.id_number[:3] + "*" * 11 + zhang.id_number[-4:]
    assert _column(masked, "联系电话") == ["0371-***3210", "138****5678"]
    full = service.build(ReportOptions(ReportKind.MEMBERS, mask=False))
    assert _column(full, "身份证号")[1] == zhang.id_number and not full.masked
    assert _column(full, "联系电话") == ["0371-6543210", "13812345678"]


@pytest.mark.parametrize(("phone", "masked"), [
    ("13812345678", "138****5678"), ("0371-12345678", "0371-****5678"), ("010-1234567-89", "010-***4567"),
    ("", ""), ("12345", "*****"),
])
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked


def test_the_reserve_roster_lists_those_in_training_unless_asked(service, town):
    table = service.build(ReportOptions(ReportKind.RESERVE))
    assert _column(table, "姓名") == ["后备0", "后备2"] and table.scope.endswith("（培养中）")
    assert _column(table, "所在村（社区）") == ["西山村", "西山村"]
    assert set(_column(table, "联系电话")) == {"139****1111"}
    everyone = service.build(ReportOptions(ReportKind.RESERVE, training_only=False, mask=False))
    assert sorted(_column(everyone, "姓名")) == ["后备0", "后备1", "后备2"]
    assert set(_column(everyone, "联系电话")) == {"13900001111"}


def test_the_request_ledger_lists_one_year_by_number(service, town):
    table = service.build(ReportOptions(ReportKind.REQUESTS, year=2026))
    assert table.title == "青石镇代办事项台账" and table.scope == "2026年度" and table.count_text == "共 2 件"
    assert _column(table, "编号") == ["2026-0001", "2026-0002"]
    assert _column(table, "申请人") == ["申请人1", "申请人2"]
    assert _column(table, "办理状态") == [RequestStatus.CLOSED, RequestStatus.RECEIVED]
    assert _column(service.build(ReportOptions(ReportKind.REQUESTS, year=2025)), "编号") == ["2025-0007"]


def test_an_empty_list_is_a_table_without_rows(store, service):
    table = service.build(ReportOptions(ReportKind.MEMBERS))
    assert table.rows == [] and table.count_text == "共 0 人"


@pytest.fixture
def district(tmp_path):
    with Store.open(tmp_path / "district.db") as store:
        with store.db.write() as s:
            SettingsRepository(s).save_unit(UnitSettings(UnitMode.DISTRICT, "青川区", "410999000000", "测试员"))
        towns = [("410999102000", "柳河乡", "柳"), ("410999101000", "青石镇", "青")]
        for code, name, prefix in towns:
            add(store, R.Township(township_code=code, code=code, name=name), *township_records(code, prefix).values())
        yield store


def test_at_the_district_rows_come_township_by_township_with_their_names(district):
    service = ReportService(district, lambda: TODAY)
    table = service.build(ReportOptions(ReportKind.MEMBERS))
    assert table.title == "青川区党员花名册"
    assert _column(table, "所属乡镇") == ["青石镇", "青石镇", "柳河乡", "柳河乡"]  # by township code
    assert _column(table, "姓名") == ["青李四", "青张三", "柳李四", "柳张三"]
    one = service.build(ReportOptions(ReportKind.MEMBERS, township_code="410999102000"))
    assert one.title == "柳河乡党员花名册" and "所属乡镇" not in [c.header for c in one.columns]
    assert _column(one, "姓名") == ["柳李四", "柳张三"]


def test_drill_rows_name_what_the_records_refer_to(store, service, town):
    stats = StatisticsService(store, lambda: TODAY)
    report = stats.compute(Period.year(2026))
    members = stats.drill(report, "members.total")
    headers = [c.header for c in service.drill_columns(members.record_type)]
    rows = service.drill_rows(members, 0, 10)
    assert len(rows) == len(members) == 2
    by_name = {row[headers.index("姓名")]: row for row in rows}
    assert by_name["李四"][headers.index("所在党组织")] == "东岭村党支部"
    assert by_name["张三"][headers.index("身份证号")] == town["张三"].id_number  # the window masks it, not the rows
    assert service.drill_rows(members, 1, 10) == rows[1:]  # a later page

    branches = stats.drill(report, "branches.total")
    headers = [c.header for c in service.drill_columns(branches.record_type)]
    rows = {row[0]: row for row in service.drill_rows(branches)}
    assert rows["东岭村党支部"][headers.index("上级党组织")] == "镇党委"
    assert rows["东岭村党支部"][headers.index("所在村（社区）")] == "东岭村"
    assert rows["东岭村党支部"][headers.index("书记")] == "张三"
    assert rows["镇党委"][headers.index("上级党组织")] == ""

    villages = stats.drill(report, "income.reported")
    columns = service.drill_columns(villages.record_type, report.income_year)
    assert columns[-1].header == "2025年集体经济收入（万元）"
    (row,) = service.drill_rows(villages, income_year=report.income_year)
    assert row[0] == "东岭村" and row[-1] == Decimal("6.25") and len(row) == len(columns)

    requests = stats.drill(report, "requests.received")
    headers = [c.header for c in service.drill_columns(requests.record_type)]
    assert sorted(row[headers.index("编号")] for row in service.drill_rows(requests)) == ["2026-0001", "2026-0002"]
