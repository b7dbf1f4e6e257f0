"""Validation of organisations and work records (党组织 and its tree, 村, 乡镇, 代办事项,
组织生活): each rule with a passing and a failing example, checking the field the issue
names, its severity and a key word of its Chinese message."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dangjian_desktop.domain.dates import PartialDate as P
from dangjian_desktop.domain.enums import (
    ActivityKind, OrgKind, RectificationStatus, RequestStatus, Satisfaction,
)
from dangjian_desktop.domain.errors import Issue, Severity
from dangjian_desktop.domain.records import Activity, Branch, ServiceRequest, Township, Village
from dangjian_desktop.domain.validation import (
    validate_activity, validate_branch, validate_branch_tree, validate_record,
    validate_service_request, validate_township, validate_village,
)

TODAY = date(2026, 6, 15)


def only_error(issues: list[Issue], field: str, keyword: str) -> None:
    """Exactly the expected error: on ``field``, with ``keyword`` in its message."""
    assert [(i.field, i.severity) for i in issues] == [(field, Severity.ERROR)], issues
    assert keyword in issues[0].message, issues[0].message


# ----------------------------------------------------------------- branches

def test_branch_rules():
    assert validate_branch(Branch(name="某村党支部"), TODAY) == []
    assert validate_branch(Branch(name="某村党支部")) == []  # today defaults to the real date
    only_error(validate_branch(Branch(name=" "), TODAY), "name", "名称")
    only_error(validate_branch(Branch(name="某村党支部", kind="支部"), TODAY), "kind", "党总支")


@pytest.mark.parametrize(("year", "ok"), [(1989, False), (1990, True), (2027, True), (2028, False)])
def test_weak_year_must_be_plausible(year, ok):
    issues = validate_branch(Branch(name="某村党支部", weak_year=year), TODAY)
    if ok:
        assert issues == []
    else:
        only_error(issues, "weak_year", "不合理")


def test_rectification_status_requires_weak_year():
    bad = Branch(name="某村党支部", rectification_status=RectificationStatus.IN_PROGRESS)
    only_error(validate_branch(bad, TODAY), "rectification_status", "软弱涣散")
    good = Branch(name="某村党支部", weak_year=2025, rectification_status="已整顿销号")
    assert validate_branch(good, TODAY) == []


def test_election_date_not_in_future_nor_before_founding():
    only_error(validate_branch(Branch(name="某村党支部", last_election_on=date(2026, 7, 1)), TODAY),
               "last_election_on", "晚于今天")
    bad = Branch(name="某村党支部", founded_on=P.month(2000, 5), last_election_on=date(1999, 1, 1))
    only_error(validate_branch(bad, TODAY), "last_election_on", "成立")
    good = Branch(name="某村党支部", founded_on=P.month(2000, 5), last_election_on=date(2021, 5, 10))
    assert validate_branch(good, TODAY) == []


def tree(*specs: tuple[str, OrgKind, str | None]) -> list[Branch]:
    return [Branch(uuid=u, name=f"测试{u}", kind=k, parent_uuid=p) for u, k, p in specs]


def test_valid_branch_tree_has_no_issues():
    branches = tree(("c", OrgKind.COMMITTEE, None), ("g", OrgKind.GENERAL_BRANCH, "c"),
                    ("b1", OrgKind.BRANCH, "g"), ("b2", OrgKind.BRANCH, "c"),
                    ("j", "联合党支部", "g"), ("lone", OrgKind.BRANCH, None))
    assert validate_branch_tree(branches) == {}


def test_missing_or_deleted_parent():
    branches = tree(("c", OrgKind.COMMITTEE, None), ("b", OrgKind.BRANCH, "nowhere"),
                    ("b2", OrgKind.BRANCH, "c"))
    branches[0].deleted = True
    result = validate_branch_tree(branches)
    assert set(result) == {"b", "b2"}
    assert all(i.field == "parent_uuid" and "不存在" in i.message for i in result["b"] + result["b2"])


def test_parent_kind_must_be_allowed():
    branches = tree(("c", OrgKind.COMMITTEE, None), ("b", OrgKind.BRANCH, "c"),
                    ("sub", OrgKind.BRANCH, "b"), ("top", OrgKind.COMMITTEE, "c"))
    result = validate_branch_tree(branches)
    assert set(result) == {"sub", "top"}
    assert "党总支" in result["sub"][0].message and "党支部" in result["sub"][0].message
    assert "最上级" in result["top"][0].message


def test_cycles_are_reported_for_every_branch_on_them():
    branches = tree(("g1", OrgKind.GENERAL_BRANCH, "g2"), ("g2", OrgKind.GENERAL_BRANCH, "g1"),
                    ("b", OrgKind.BRANCH, "g1"), ("self", OrgKind.BRANCH, "self"))
    result = validate_branch_tree(branches)
    assert set(result) == {"g1", "g2", "self"}
    for uuid in ("g1", "g2", "self"):
        assert any("循环" in i.message and i.field == "parent_uuid" for i in result[uuid])


# ----------------------------------------------------------------- villages and townships

def test_village_rules():
    good = Village(name="某村", code="410102001001", service_center_area=Decimal("320.5"),
                   incomes={2024: Decimal("12.5"), 2025: Decimal("0")},
                   first_secretary_name="测试第一书记", first_secretary_start=date(2024, 1, 1),
                   first_secretary_end=date(2026, 1, 1))
    assert validate_village(good, TODAY) == []
    only_error(validate_village(Village(name=""), TODAY), "name", "名称")


@pytest.mark.parametrize("code", ["41010200100", "4101020010011", "41010200100A", "٤١٠١٠٢٠٠١٠٠١"])
def test_village_code_must_be_twelve_ascii_digits(code):
    only_error(validate_village(Village(name="某村", code=code), TODAY), "code", "12 位")


def test_village_area_and_incomes():
    only_error(validate_village(Village(name="某村", service_center_area=Decimal("-1")), TODAY),
               "service_center_area", "负数")
    only_error(validate_village(Village(name="某村", incomes={2025: Decimal("-3")}), TODAY), "incomes", "负数")
    only_error(validate_village(Village(name="某村", incomes={1980: Decimal("3")}), TODAY), "incomes", "年份")
    only_error(validate_village(Village(name="某村", incomes={2027: Decimal("3")}), TODAY), "incomes", "年份")


def test_first_secretary_term():
    bad = Village(name="某村", first_secretary_name="测试第一书记",
                  first_secretary_start=date(2024, 1, 1), first_secretary_end=date(2023, 12, 31))
    only_error(validate_village(bad, TODAY), "first_secretary_end", "早于")
    nameless = Village(name="某村", first_secretary_start=date(2024, 1, 1))
    only_error(validate_village(nameless, TODAY), "first_secretary_name", "姓名")


def test_township_rules():
    assert validate_township(Township(code="410999101000", name="青石镇")) == []
    only_error(validate_township(Township(code="", name="青石镇")), "code", "不能为空")
    only_error(validate_township(Township(code="4109 99", name="青石镇")), "code", "数字和字母")
    only_error(validate_township(Township(code="410999101000", name=" ")), "name", "名称")


# ----------------------------------------------------------------- service requests

def request(**kw) -> ServiceRequest:
    values = dict(year=2026, serial=1, received_on=date(2026, 3, 2), requester="测试村民丙",
                  due_on=date(2026, 3, 17))
    values.update(kw)
    return ServiceRequest(**values)


def test_open_and_closed_requests_pass():
    assert validate_service_request(request(), TODAY) == []
    closed = request(status=RequestStatus.CLOSED, completed_on=date(2026, 3, 10))
    assert validate_service_request(closed, TODAY) == []
    rated = request(status="已办结", completed_on=date(2026, 3, 10), satisfaction=Satisfaction.SATISFIED)
    assert validate_service_request(rated, TODAY) == []


def test_serial_year_and_due_date():
    only_error(validate_service_request(request(serial=0), TODAY), "serial", "从 1 开始")
    only_error(validate_service_request(request(year=2025), TODAY), "year", "不一致")
    only_error(validate_service_request(request(due_on=date(2026, 3, 1)), TODAY), "due_on", "早于")
    only_error(validate_service_request(request(received_on=date(2026, 6, 16), due_on=None), TODAY),
               "received_on", "晚于今天")


def test_requester_and_phone():
    only_error(validate_service_request(request(requester=""), TODAY), "requester", "申请人")
    only_error(validate_service_request(request(requester_phone="12345"), TODAY), "requester_phone", "11 位")
    assert validate_service_request(request(requester_phone="(0371)12345678"), TODAY) == []


def test_closed_request_needs_a_valid_completion_date():
    only_error(validate_service_request(request(status=RequestStatus.CLOSED), TODAY), "completed_on", "办结日期")
    early = request(status=RequestStatus.CLOSED, completed_on=date(2026, 3, 1))
    only_error(validate_service_request(early, TODAY), "completed_on", "早于")
    future = request(status=RequestStatus.CLOSED, completed_on=date(2026, 6, 16))
    only_error(validate_service_request(future, TODAY), "completed_on", "晚于今天")


def test_returned_request_needs_a_reason():
    returned = request(status=RequestStatus.RETURNED)
    only_error(validate_service_request(returned, TODAY), "return_reason", "退回原因")
    ok = request(status=RequestStatus.RETURNED, return_reason="不属于代办范围")
    assert validate_service_request(ok, TODAY) == []


@pytest.mark.parametrize("status", [RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS])
def test_open_request_must_not_have_completion_date(status):
    only_error(validate_service_request(request(status=status, completed_on=date(2026, 3, 5)), TODAY),
               "completed_on", "已办结")


@pytest.mark.parametrize("typed, keyword", [
    ("2026-03", "要具体到哪一天，请写成 2026-03-日"), ("2026年3月", "2026-03-01"),
    ("2026-02-30", "不存在"), ("三月二日", "2026.11.3"),
])
def test_a_date_typed_wrongly_is_named_as_a_day_date(typed, keyword):
    """受理日期 takes a day: the clerk who typed a month, or a day that does not exist, is told
    so — never that YYYY-MM would do."""
    issues = validate_service_request(request(received_on=typed, due_on=None, year=2026), TODAY)
    only_error(issues, "received_on", keyword)
    assert "YYYY-MM" not in issues[0].message


def test_a_month_date_field_still_offers_the_month():
    issues = validate_activity(activity(held_on="2026-05"), TODAY)
    only_error(issues, "held_on", "要具体到哪一天")
    branch = Branch(name="某村党支部", founded_on="1955年")
    assert "2026-11（只知道月份时）" in validate_branch(branch, TODAY)[0].message


# ----------------------------------------------------------------- activities

def activity(**kw) -> Activity:
    values = dict(branch_uuid="b-1", kind=ActivityKind.THEME_DAY, held_on=date(2026, 5, 10),
                  attendance=20, expected=25)
    values.update(kw)
    return Activity(**values)


def test_activity_rules():
    assert validate_activity(activity(), TODAY) == []
    assert validate_activity(activity(attendance=25), TODAY) == []
    only_error(validate_activity(activity(attendance=26), TODAY), "attendance", "多于")
    only_error(validate_activity(activity(expected=-1, attendance=0), TODAY), "expected", "负数")
    only_error(validate_activity(activity(attendance=-1), TODAY), "attendance", "负数")
    only_error(validate_activity(activity(held_on=date(2026, 6, 16)), TODAY), "held_on", "晚于今天")
    only_error(validate_activity(activity(kind="座谈会"), TODAY), "kind", "主题党日")
    only_error(validate_activity(activity(branch_uuid=""), TODAY), "branch_uuid", "党组织")


# ----------------------------------------------------------------- dispatcher

def test_validate_record_dispatches_by_type():
    crowded = activity(attendance=26)
    assert validate_record(crowded, TODAY) == validate_activity(crowded, TODAY)
    assert validate_record(request(serial=0), TODAY)[0].field == "serial"
    assert validate_record(Village(name="某村", code="1"), TODAY)[0].field == "code"
    assert validate_record(Branch(name="", weak_year=2030), TODAY)[1].field == "weak_year"
    assert validate_record(Township(code="", name="镇"), TODAY)[0].field == "code"


def test_an_activity_without_expected_attendance_is_a_reminder_not_an_error():
    issues = validate_activity(activity(expected=0, attendance=12), TODAY)
    assert [(i.field, i.severity) for i in issues] == [("expected", Severity.WARNING)]


def test_an_activity_with_no_attendance_at_all_is_a_reminder():
    issues = validate_activity(activity(expected=0, attendance=0), TODAY)
    assert [(i.field, i.severity) for i in issues] == [("attendance", Severity.WARNING)]
    assert "出席率无法统计" in issues[0].message


def test_the_same_clerk_on_both_posts_is_a_reminder():
    """AB岗: B岗 stands in when A岗 is away, so one person on both defeats it (a 提示: a small
    office may have to, for a while)."""
    issues = validate_service_request(request(clerk_a="测试干部甲", clerk_b="测试干部 甲"), TODAY)
    assert [(i.field, i.severity) for i in issues] == [("clerk_b", Severity.WARNING)]
    assert "同一人" in issues[0].message
    assert validate_service_request(request(clerk_a="测试干部甲", clerk_b="测试干部乙"), TODAY) == []
    assert validate_service_request(request(clerk_a="", clerk_b=""), TODAY) == []
