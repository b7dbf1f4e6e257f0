"""Validation of people (党员, 后备干部): each rule with a passing and a failing example, checking
the field the issue names, its severity and a key word of its Chinese message.  The other
records are covered in ``test_validation_org.py``.

All people and ID numbers are synthetic (IDs built with ``make_id_number``).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian_desktop.domain.dates import PartialDate as P
from dangjian_desktop.domain.enums import (
    Assessment, Evaluation, Gender, LeaveKind, PoliticalStatus, ReserveStatus, Stage,
)
from dangjian_desktop.domain.errors import Issue, PhoneError, Severity
from dangjian_desktop.domain.idcard import make_id_number
from dangjian_desktop.domain.phone import parse_phone
from dangjian_desktop.domain.records import Member, ReserveCadre
from dangjian_desktop.domain.field_checks import check_phone
from dangjian_desktop.domain.validation import validate_member, validate_record, validate_reserve_cadre

TODAY = date(2026, 6, 15)
BRANCH = "00000000-0000-4000-8000-000000000001"  # any branch: validation does not look it up
BIRTH = date(1980, 5, 17)
MALE_ID = make_id_number("410102", BIRTH, 123)
FEMALE_ID = make_id_number("410102", BIRTH, 124)


def member(**kw) -> Member:
    values = dict(
        name="测试党员甲", gender=Gender.MALE, id_number=MALE_ID, stage=Stage.FULL,
        applied_on=P.month(2005, 3), activist_on=P.day(2005, 9, 1), candidate_on=P.day(2006, 3, 1),
        probation_on=P.day(2006, 7, 1), full_on=P.day(2007, 7, 1), branch_uuid=BRANCH,
    )
    values.update(kw)
    return Member(**values)


def errors_on(issues: list[Issue], field: str) -> list[str]:
    return [i.message for i in issues if i.field == field and i.severity is Severity.ERROR]


def warnings_on(issues: list[Issue], field: str) -> list[str]:
    return [i.message for i in issues if i.field == field and i.severity is Severity.WARNING]


def only_error(issues: list[Issue], field: str, keyword: str) -> None:
    """Exactly the expected error: on ``field``, with ``keyword`` in its message."""
    assert [(i.field, i.severity) for i in issues] == [(field, Severity.ERROR)], issues
    assert keyword in issues[0].message, issues[0].message


# ----------------------------------------------------------------- member: identity

def test_complete_member_has_no_issues():
    assert validate_member(member(), TODAY) == []


def test_enum_values_may_be_plain_chinese_strings():
    m = member(gender="男", stage="正式党员", category="农牧渔民", education="高中", evaluation="合格",
               evaluation_year=2025)
    assert validate_member(m, TODAY) == []


def test_unknown_enum_value_names_the_allowed_values():
    issues = validate_member(member(stage="党员"), TODAY)
    msg = errors_on(issues, "stage")
    assert len(msg) == 1 and "入党申请人" in msg[0] and "正式党员" in msg[0]
    only_error(validate_member(member(category="农民"), TODAY), "category", "农牧渔民")


@pytest.mark.parametrize("name", ["", "   ", None])
def test_name_is_required(name):
    only_error(validate_member(member(name=name), TODAY), "name", "姓名")


@pytest.mark.parametrize("ethnicity", ["汉族", "回族", "鄂伦春族", "其他"])
def test_known_ethnicities_pass(ethnicity):
    assert validate_member(member(ethnicity=ethnicity), TODAY) == []


def test_unknown_ethnicity_is_an_error_with_a_hint():
    only_error(validate_member(member(ethnicity="汉"), TODAY), "ethnicity", "汉族")
    only_error(validate_member(member(ethnicity="Han"), TODAY), "ethnicity", "民族")


def test_wrong_check_digit_is_an_id_error():
    wrong = MALE_ID[:-1] + ("0" if MALE_ID[-1] != "0" else "1")
    only_error(validate_member(member(id_number=wrong), TODAY), "id_number", "校验位")


def test_fifteen_digit_id_must_be_stored_as_eighteen():
    old = "410102" + "800517" + "123"
    only_error(validate_member(member(id_number=old), TODAY), "id_number", MALE_ID)


def test_id_must_be_stored_normalised():
    spaced = MALE_ID[:6] + " " + MALE_ID[6:]
    only_error(validate_member(member(id_number=spaced), TODAY), "id_number", "规范")


def test_gender_must_match_id():
    assert validate_member(member(gender=Gender.FEMALE, id_number=FEMALE_ID), TODAY) == []
    only_error(validate_member(member(gender=Gender.FEMALE), TODAY), "gender", "身份证号")


@pytest.mark.parametrize("birth", [P.month(1980, 5), P.day(1980, 5, 17)])
def test_birth_date_matching_id_passes(birth):
    assert validate_member(member(birth_date=birth), TODAY) == []


@pytest.mark.parametrize("birth", [P.month(1980, 6), P.day(1980, 5, 18), P.month(1981, 5)])
def test_birth_date_not_matching_id_is_an_error(birth):
    only_error(validate_member(member(birth_date=birth), TODAY), "birth_date", "不符")


# ----------------------------------------------------------------- member: stages

def test_the_current_stage_needs_its_date():
    m = member(stage=Stage.CANDIDATE, candidate_on=None, probation_on=None, full_on=None)
    only_error(validate_member(m, TODAY), "candidate_on", "请填写")


def test_every_member_needs_the_date_of_joining():
    only_error(validate_member(member(probation_on=None), TODAY), "probation_on", "入党时间")


def test_a_missing_earlier_stage_date_is_only_a_reminder():
    """Old rosters rarely know when a long-standing member applied or became an activist."""
    m = member(stage=Stage.FULL, applied_on=None, activist_on=None, candidate_on=None)
    issues = validate_member(m, TODAY)
    assert {(i.field, i.severity) for i in issues} == {
        ("applied_on", Severity.WARNING), ("activist_on", Severity.WARNING), ("candidate_on", Severity.WARNING)}
    assert all("补录" in i.message for i in issues)


def test_no_date_for_stages_after_the_current_one():
    m = member(stage=Stage.ACTIVIST, probation_on=None, full_on=None)
    only_error(validate_member(m, TODAY), "candidate_on", "不应填写")
    assert validate_member(member(stage=Stage.ACTIVIST, candidate_on=None, probation_on=None,
                                  full_on=None), TODAY) == []


def test_stage_dates_must_be_in_order():
    m = member(activist_on=P.day(2005, 9, 20), candidate_on=P.day(2005, 9, 19))
    only_error(validate_member(m, TODAY), "candidate_on", "早于")


@pytest.mark.parametrize(("activist", "candidate"), [
    (P.day(2005, 9, 20), P.month(2005, 9)),
    (P.month(2005, 9), P.day(2005, 9, 1)),
    (P.day(2005, 9, 20), P.day(2005, 9, 20)),
])
def test_month_and_day_dates_in_the_same_month_are_in_order(activist, candidate):
    assert validate_member(member(activist_on=activist, candidate_on=candidate), TODAY) == []


@pytest.mark.parametrize(("joined", "full"), [
    (P.day(2006, 7, 1), P.day(2007, 7, 1)),
    (P.month(2006, 7), P.month(2007, 7)),
    (P.month(2006, 7), P.day(2007, 7, 1)),
    (P.day(2008, 2, 29), P.day(2009, 2, 28)),
])
def test_full_membership_one_year_after_probation_passes(joined, full):
    assert validate_member(member(probation_on=joined, full_on=full), TODAY) == []


@pytest.mark.parametrize(("joined", "full"), [
    (P.day(2006, 7, 1), P.day(2007, 6, 30)),
    (P.month(2006, 7), P.month(2007, 6)),
    (P.day(2006, 7, 15), P.month(2007, 6)),
])
def test_full_membership_within_one_year_is_an_error(joined, full):
    only_error(validate_member(member(probation_on=joined, full_on=full), TODAY), "full_on", "一年")


def test_stage_date_in_the_future_is_an_error():
    m = member(stage=Stage.APPLICANT, applied_on=P.day(2026, 6, 16), activist_on=None,
               candidate_on=None, probation_on=None, full_on=None)
    only_error(validate_member(m, TODAY), "applied_on", "晚于今天")
    assert validate_member(member(stage=Stage.APPLICANT, applied_on=P.month(2026, 6), activist_on=None,
                                  candidate_on=None, probation_on=None, full_on=None), TODAY) == []


def applicant(applied: P) -> Member:
    return member(stage=Stage.APPLICANT, applied_on=applied, activist_on=None, candidate_on=None,
                  probation_on=None, full_on=None)


def test_applicant_must_be_eighteen():
    only_error(validate_member(applicant(P.day(1998, 5, 16)), TODAY), "applied_on", "18")
    assert validate_member(applicant(P.day(1998, 5, 17)), TODAY) == []
    assert validate_member(applicant(P.month(1998, 5)), TODAY) == []  # may have been at month's end
    only_error(validate_member(applicant(P.month(1998, 4)), TODAY), "applied_on", "18")


def probationer(joined: P) -> Member:
    return member(stage=Stage.PROBATIONARY, probation_on=joined, full_on=None)


def test_probation_over_is_a_warning_not_an_error():
    issues = validate_member(probationer(P.day(2025, 6, 15)), TODAY)
    assert [i.severity for i in issues] == [Severity.WARNING]
    assert "转正" in warnings_on(issues, "stage")[0]
    assert validate_member(probationer(P.day(2025, 6, 16)), TODAY) == []


def test_probation_warning_not_for_members_who_left():
    m = probationer(P.day(2024, 1, 1))
    m.leave_kind, m.leave_on, m.leave_reason = LeaveKind.TRANSFER_OUT, P.day(2024, 6, 1), "转往测试县某村党支部"
    assert validate_member(m, TODAY) == []


# ----------------------------------------------------------------- member: leaving and the rest

def test_leaving_with_kind_and_date_passes():
    m = member(leave_kind=LeaveKind.DEATH, leave_on=P.day(2020, 1, 1))
    assert validate_member(m, TODAY) == []
    moved = member(leave_kind=LeaveKind.TRANSFER_OUT, leave_on=P.day(2020, 1, 1), leave_reason="转往测试县某村党支部")
    assert validate_member(moved, TODAY) == []


def test_a_transfer_out_without_its_destination_is_a_reminder():
    m = member(leave_kind=LeaveKind.TRANSFER_OUT, leave_on=P.day(2020, 1, 1))
    issues = validate_member(m, TODAY)
    assert [(i.field, i.severity) for i in issues] == [("leave_reason", Severity.WARNING)]
    assert "转往的党组织" in issues[0].message


def test_leave_kind_requires_a_date():
    only_error(validate_member(member(leave_kind=LeaveKind.DEATH), TODAY), "leave_on", "离开日期")


def test_leave_date_requires_a_kind():
    only_error(validate_member(member(leave_on=P.day(2020, 1, 1)), TODAY), "leave_kind", "离开方式")


def test_leave_date_not_before_latest_stage_date_nor_in_future():
    early = member(leave_kind=LeaveKind.DEATH, leave_on=P.day(2007, 6, 30))
    only_error(validate_member(early, TODAY), "leave_on", "早于")
    future = member(leave_kind=LeaveKind.DEATH, leave_on=P.day(2026, 7, 1))
    only_error(validate_member(future, TODAY), "leave_on", "晚于今天")


def test_expulsion_requires_a_reason():
    m = member(leave_kind=LeaveKind.EXPELLED, leave_on=P.day(2020, 1, 1), leave_reason="  ")
    only_error(validate_member(m, TODAY), "leave_reason", "原因")
    m.leave_reason = "某纪发〔2020〕1号"
    assert validate_member(m, TODAY) == []


def test_phone_is_checked():
    assert validate_member(member(phone="13812345678"), TODAY) == []
    only_error(validate_member(member(phone="1381234"), TODAY), "phone", "11 位")


def test_counts_and_dues_must_not_be_negative():
    assert validate_member(member(households_linked=0, monthly_dues=Decimal("0")), TODAY) == []
    only_error(validate_member(member(households_linked=-1), TODAY), "households_linked", "负数")
    only_error(validate_member(member(monthly_dues=Decimal("-0.5")), TODAY), "monthly_dues", "负数")
    only_error(validate_member(member(monthly_dues=Decimal("NaN")), TODAY), "monthly_dues", "数字")


def test_evaluation_requires_a_plausible_year():
    assert validate_member(member(evaluation=Evaluation.EXCELLENT, evaluation_year=2025), TODAY) == []
    only_error(validate_member(member(evaluation=Evaluation.EXCELLENT), TODAY), "evaluation_year", "年度")
    only_error(validate_member(member(evaluation=Evaluation.QUALIFIED, evaluation_year=2027), TODAY),
               "evaluation_year", "不合理")


def test_floating_member_without_destination_is_a_warning():
    issues = validate_member(member(floating=True), TODAY)
    assert warnings_on(issues, "floating_destination") and not any(i.is_error for i in issues)
    assert validate_member(member(floating=True, floating_destination="某省某市"), TODAY) == []


def test_garbage_values_give_issues_not_exceptions():
    m = member(name=None, gender="X", id_number=None, stage="?", applied_on="2005-03",
               households_linked="3", monthly_dues=float("nan"), phone=None, ethnicity=None,
               leave_kind="走了", leave_on=date(2020, 1, 1), evaluation_year="2025")
    issues = validate_record(m, TODAY)
    fields = {i.field for i in issues}
    assert {"name", "gender", "id_number", "stage", "applied_on", "households_linked",
            "monthly_dues", "ethnicity", "leave_kind", "evaluation_year"} <= fields
    assert all(re.search(r"[\u4e00-\u9fff]", i.message) for i in issues)


# ----------------------------------------------------------------- reserve cadres

def cadre(**kw) -> ReserveCadre:
    values = dict(name="测试后备乙", gender=Gender.FEMALE, id_number=FEMALE_ID, entered_on=date(2024, 3, 1))
    values.update(kw)
    return ReserveCadre(**values)


def test_complete_reserve_cadre_has_no_issues():
    assert validate_reserve_cadre(cadre(), TODAY) == []


def test_reserve_cadre_identity_is_checked():
    only_error(validate_reserve_cadre(cadre(gender=Gender.MALE), TODAY), "gender", "不符")
    only_error(validate_reserve_cadre(cadre(id_number=FEMALE_ID[:17]), TODAY), "id_number", "18 位")
    only_error(validate_reserve_cadre(cadre(name=""), TODAY), "name", "姓名")


def test_reserve_cadre_entered_not_in_future():
    only_error(validate_reserve_cadre(cadre(entered_on=date(2026, 6, 16)), TODAY), "entered_on", "晚于今天")


def test_promoted_or_dropped_without_date_is_a_warning():
    issues = validate_reserve_cadre(cadre(status=ReserveStatus.PROMOTED), TODAY)
    assert [(i.field, i.severity) for i in issues] == [("status_on", Severity.WARNING)]
    assert "已进入两委" in issues[0].message
    ok = cadre(status=ReserveStatus.DROPPED, status_on=date(2025, 1, 1))
    assert validate_reserve_cadre(ok, TODAY) == []


def test_status_date_not_before_entry():
    bad = cadre(status=ReserveStatus.PROMOTED, status_on=date(2024, 2, 1))
    only_error(validate_reserve_cadre(bad, TODAY), "status_on", "早于")


def test_linked_member_should_be_a_party_member():
    issues = validate_reserve_cadre(cadre(member_uuid="m-1"), TODAY)
    assert [(i.field, i.severity) for i in issues] == [("political_status", Severity.WARNING)]
    assert "中共党员" in issues[0].message
    ok = cadre(member_uuid="m-1", political_status=PoliticalStatus.PROBATIONARY)
    assert validate_reserve_cadre(ok, TODAY) == []


def test_reserve_cadre_enums_assessment_and_phone():
    only_error(validate_reserve_cadre(cadre(source="农民"), TODAY), "source", "致富能手")
    only_error(validate_reserve_cadre(cadre(assessment=Assessment.COMPETENT), TODAY), "assessment_year", "年度")
    assert validate_reserve_cadre(cadre(assessment="称职", assessment_year=2025, phone="0371-12345678"),
                                  TODAY) == []
    only_error(validate_reserve_cadre(cadre(phone="0371-12"), TODAY), "phone", "7 或 8 位")


# ----------------------------------------------------------------- dispatcher

def test_validate_record_dispatches_people_by_type():
    assert validate_record(member(name=""), TODAY) == validate_member(member(name=""), TODAY)
    assert validate_record(cadre(gender=Gender.MALE), TODAY)[0].field == "gender"


def test_validate_record_of_unknown_type_is_an_issue():
    issues = validate_record(object(), TODAY)  # type: ignore[arg-type]
    assert [i.field for i in issues] == ["record"]
    assert "记录类型" in issues[0].message


@given(st.text(alphabet="0123456789", min_size=11, max_size=11).map(lambda d: "1" + d[1:]))
def test_a_stored_mobile_number_is_checked_as_parse_phone_checks_it(number):
    issues: list = []
    check_phone(issues, "phone", number)
    try:
        parse_phone(number, "phone")
    except PhoneError as e:
        assert [i.message for i in issues] == [e.message]
    else:
        assert issues == []


# ----------------------------------------------------------------- member: branch

@pytest.mark.parametrize("branch", [None, "", "  "])
def test_a_member_without_a_branch_is_kept_with_a_warning(branch):
    """A roster may not say which branch (the clerk sets it later): never refused, never silent."""
    issues = validate_member(member(branch_uuid=branch), TODAY)
    assert [(i.field, i.severity) for i in issues] == [("branch_uuid", Severity.WARNING)]
    assert "所在党组织" in issues[0].message


def test_a_member_who_left_needs_no_branch():
    left = member(branch_uuid=None, leave_kind=LeaveKind.DEATH, leave_on=P.day(2020, 1, 1))
    assert warnings_on(validate_member(left, TODAY), "branch_uuid") == []
