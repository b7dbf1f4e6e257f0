"""发展党员 pipeline: advancing stages, leaving, 预备党员 due for 转正, ID input conversion, and
the shared date rules.  All people and ID numbers are synthetic."""

from __future__ import annotations

from datetime import date

import pytest

from dangjian_desktop.domain.dates import PartialDate as P
from dangjian_desktop.domain.enums import Gender, LeaveKind, Stage
from dangjian_desktop.domain.errors import (
    DateError, EnumValueError, IdNumberError, RequiredError, Severity, ValidationError,
)
from dangjian_desktop.domain.idcard import make_id_number
from dangjian_desktop.domain.pipeline import (
    advance_stage, id_number_for_input, leave_member, not_after, probation_complete,
    probation_due_members,
)
from dangjian_desktop.domain.records import Member
from dangjian_desktop.domain.validation import validate_member

TODAY = date(2026, 6, 15)
ID = make_id_number("410102", date(1990, 5, 17), 135)


BRANCH = "00000000-0000-4000-8000-000000000001"  # any branch: validation does not look it up


def applicant(**kw) -> Member:
    values = dict(name="测试申请人丁", gender=Gender.MALE, id_number=ID, stage=Stage.APPLICANT,
                  applied_on=P.day(2020, 3, 1), branch_uuid=BRANCH)
    values.update(kw)
    return Member(**values)


def full_member(**kw) -> Member:
    values = dict(stage=Stage.FULL, activist_on=P.day(2020, 9, 1), candidate_on=P.day(2021, 3, 1),
                  probation_on=P.day(2021, 7, 1), full_on=P.day(2022, 7, 1))
    values.update(kw)
    return applicant(**values)


# ----------------------------------------------------------------- advance_stage

def test_advance_through_all_stages_gives_a_valid_member():
    start = m = applicant()
    steps = [P.day(2020, 9, 1), P.month(2021, 3), P.day(2021, 7, 1), P.day(2022, 7, 1)]
    for expected, on in zip([Stage.ACTIVIST, Stage.CANDIDATE, Stage.PROBATIONARY, Stage.FULL], steps):
        before = m
        m = advance_stage(m, on, TODAY)
        assert m is not before and before.stage is not expected  # a copy; the original unchanged
        assert m.stage is expected and m.stage_date(expected) == on
    assert m.uuid == start.uuid and start.stage is Stage.APPLICANT and start.activist_on is None
    assert validate_member(m, TODAY) == []


def test_advance_accepts_a_plain_date():
    m = advance_stage(applicant(), date(2020, 9, 1), TODAY)
    assert m.activist_on == P.day(2020, 9, 1)


def test_full_member_cannot_advance():
    with pytest.raises(ValidationError) as exc:
        advance_stage(full_member(), P.day(2023, 1, 1), TODAY)
    assert exc.value.field == "full_on"
    assert "已是正式党员" in exc.value.message


def test_member_who_left_cannot_advance():
    m = applicant(leave_kind=LeaveKind.TRANSFER_OUT, leave_on=P.day(2020, 5, 1))
    with pytest.raises(ValidationError) as exc:
        advance_stage(m, P.day(2020, 9, 1), TODAY)
    assert exc.value.field == "activist_on"
    assert "转出" in exc.value.message


def test_date_before_previous_stage_is_rejected():
    with pytest.raises(DateError) as exc:
        advance_stage(applicant(), P.day(2020, 2, 29), TODAY)
    assert exc.value.field == "activist_on"
    assert "早于" in exc.value.message
    # the same month as a month-precision previous date is fine
    m = advance_stage(applicant(applied_on=P.month(2020, 3)), P.day(2020, 3, 1), TODAY)
    assert m.stage is Stage.ACTIVIST


def test_future_date_is_rejected():
    with pytest.raises(DateError) as exc:
        advance_stage(applicant(), P.day(2026, 6, 16), TODAY)
    assert exc.value.field == "activist_on"
    assert "晚于今天" in exc.value.message
    assert advance_stage(applicant(), P.day(2026, 6, 15), TODAY).stage is Stage.ACTIVIST


def probationer(**kw) -> Member:
    values = dict(stage=Stage.PROBATIONARY, full_on=None)
    values.update(kw)
    return full_member(**values)


def test_full_membership_needs_one_year_of_probation():
    with pytest.raises(DateError) as exc:
        advance_stage(probationer(), P.day(2022, 6, 30), TODAY)
    assert exc.value.field == "full_on"
    assert "一年" in exc.value.message and "2022-07-01" in exc.value.message
    assert advance_stage(probationer(), P.day(2022, 7, 1), TODAY).stage is Stage.FULL


def test_full_membership_without_probation_date_is_rejected():
    with pytest.raises(DateError) as exc:
        advance_stage(probationer(probation_on=None), P.day(2022, 7, 1), TODAY)
    assert exc.value.field == "probation_on"
    assert "入党时间" in exc.value.message


# ----------------------------------------------------------------- leave_member

def test_leave_member_records_kind_date_and_reason():
    m = leave_member(full_member(), LeaveKind.TRANSFER_OUT, P.day(2024, 1, 5), " 转往外地 ", TODAY)
    assert (m.leave_kind, m.leave_on, m.leave_reason) == (LeaveKind.TRANSFER_OUT, P.day(2024, 1, 5), "转往外地")
    assert not m.is_active
    assert validate_member(m, TODAY) == []
    assert leave_member(full_member(), "死亡", date(2024, 1, 5), "", TODAY).leave_kind is LeaveKind.DEATH


def test_cannot_leave_twice():
    m = leave_member(full_member(), LeaveKind.TRANSFER_OUT, P.day(2024, 1, 5), "", TODAY)
    with pytest.raises(ValidationError) as exc:
        leave_member(m, LeaveKind.DEATH, P.day(2025, 1, 5), "", TODAY)
    assert exc.value.field == "leave_kind"
    assert "不能重复" in exc.value.message


def test_leave_date_rules():
    with pytest.raises(DateError, match="晚于今天") as exc:
        leave_member(full_member(), LeaveKind.TRANSFER_OUT, P.day(2026, 6, 16), "", TODAY)
    assert exc.value.field == "leave_on"
    with pytest.raises(DateError, match="早于") as exc:
        leave_member(full_member(), LeaveKind.TRANSFER_OUT, P.day(2022, 6, 30), "", TODAY)
    assert exc.value.field == "leave_on"


def test_expulsion_needs_a_reason():
    with pytest.raises(RequiredError) as exc:
        leave_member(full_member(), LeaveKind.EXPELLED, P.day(2024, 1, 5), "  ", TODAY)
    assert exc.value.field == "leave_reason"
    assert "原因" in exc.value.message
    m = leave_member(full_member(), "出党", P.day(2024, 1, 5), "某纪发〔2024〕1号", TODAY)
    assert m.leave_kind is LeaveKind.EXPELLED


def test_unknown_leave_kind():
    with pytest.raises(EnumValueError) as exc:
        leave_member(full_member(), "离开", P.day(2024, 1, 5), "", TODAY)
    assert exc.value.field == "leave_kind"
    assert "转出" in exc.value.message


# ----------------------------------------------------------------- probation_due_members

def test_probation_due_members():
    due_old = probationer(name="测试甲", probation_on=P.day(2024, 3, 1))
    due_today = probationer(name="测试乙", probation_on=P.day(2025, 6, 15))
    not_yet = probationer(name="测试丙", probation_on=P.day(2025, 6, 16))
    left = probationer(name="测试丁", probation_on=P.day(2024, 1, 1), leave_kind=LeaveKind.TRANSFER_OUT,
                       leave_on=P.day(2024, 6, 1))
    deleted = probationer(name="测试戊", probation_on=P.day(2024, 1, 1), deleted=True)
    as_string = probationer(name="测试己", probation_on=P.month(2025, 1), stage="预备党员")
    members = [due_today, not_yet, full_member(), left, deleted, as_string, due_old]
    assert [m.name for m in probation_due_members(members, TODAY)] == ["测试甲", "测试己", "测试乙"]
    assert probation_due_members(members, date(2024, 2, 29)) == []


# ----------------------------------------------------------------- id_number_for_input

def test_id_number_for_input_normalises_without_warning():
    value, issues = id_number_for_input(" " + ID.lower() + " ", TODAY)
    assert value == ID and issues == []


def test_id_number_for_input_converts_fifteen_digits_with_a_warning():
    value, issues = id_number_for_input("410102" + "900517" + "135", TODAY)
    assert value == ID
    assert [(i.field, i.severity) for i in issues] == [("id_number", Severity.WARNING)]
    assert "15 位" in issues[0].message and ID in issues[0].message


def test_id_number_for_input_raises_on_invalid():
    with pytest.raises(IdNumberError) as exc:
        id_number_for_input(ID[:-1] + ("1" if ID[-1] != "1" else "2"), TODAY, field="cadre_id")
    assert exc.value.field == "cadre_id"
    assert "校验位" in exc.value.message


# ----------------------------------------------------------------- shared date rules

@pytest.mark.parametrize(("a", "b", "expected"), [
    (P.day(2020, 5, 1), P.day(2020, 5, 1), True),
    (P.day(2020, 5, 2), P.day(2020, 5, 1), False),
    (P.month(2020, 5), P.day(2020, 5, 1), True),
    (P.day(2020, 5, 31), P.month(2020, 5), True),
    (P.month(2020, 6), P.day(2020, 5, 31), False),
])
def test_not_after(a, b, expected):
    assert not_after(a, b) is expected


@pytest.mark.parametrize(("joined", "full", "expected"), [
    (P.day(2020, 7, 1), P.day(2021, 7, 1), True),
    (P.day(2020, 7, 1), P.day(2021, 6, 30), False),
    (P.day(2020, 2, 29), P.day(2021, 2, 28), True),
    (P.month(2020, 7), P.day(2021, 7, 1), True),
    (P.day(2020, 7, 31), P.month(2021, 6), False),
])
def test_probation_complete(joined, full, expected):
    assert probation_complete(joined, full) is expected
