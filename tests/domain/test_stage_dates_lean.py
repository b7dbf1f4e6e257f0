"""``stage_date_issues`` (one pass over the stages) gives exactly the findings — same fields,
messages, severities, order — as the former stage-by-stage implementation, kept here as the
reference: exhaustively over a small pool of values and with hypothesis over a wider one."""

from __future__ import annotations

import itertools
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangjian_desktop.domain.dates import PartialDate
from dangjian_desktop.domain.enums import Gender, LeaveKind, Stage
from dangjian_desktop.domain.errors import Issue, Severity
from dangjian_desktop.domain.idcard import make_id_number
from dangjian_desktop.domain.pipeline import (
    STAGE_DATE_LABELS, _order_issues, _probation_issues, as_partial, coerce_stage, is_future,
    stage_date_issues, stage_dates,
)
from dangjian_desktop.domain.records import STAGE_DATE_FIELDS, Member

TODAY = date(2026, 6, 15)
ID = make_id_number("410102", date(1990, 5, 17), 135)
FIELDS = list(STAGE_DATE_FIELDS.values())


# ----------------------------------------------------------------- the former implementation

def reference_issues(member: Member, today: date) -> list[Issue]:
    issues: list[Issue] = []
    current = coerce_stage(member.stage)
    for stage in Stage:
        issues.extend(_reference_one(member, stage, current, today))
    dates = stage_dates(member)
    issues.extend(_order_issues(dates))
    issues.extend(_probation_issues(member, current, dates, today))
    return issues


def _reference_one(member: Member, stage: Stage, current: Stage | None, today: date) -> list[Issue]:
    field, label = STAGE_DATE_FIELDS[stage], STAGE_DATE_LABELS[stage]
    raw = getattr(member, field, None)
    if raw is not None and as_partial(raw) is None:
        return [Issue(field, f"{label}“{raw}”不是有效日期，应为 YYYY-MM-DD 或 YYYY-MM")]
    if raw is not None and is_future(as_partial(raw), today):
        return [Issue(field, f"{label} {as_partial(raw)} 晚于今天，请核对")]
    if current is None:
        return []
    if stage.index <= current.index and raw is None:
        if stage is current or stage is Stage.PROBATIONARY:
            return [Issue(field, f"当前阶段为“{current}”，请填写{label}")]
        return [Issue(field, f"缺少{label}，请日后补录", Severity.WARNING)]
    if stage.index > current.index and raw is not None:
        return [Issue(field, f"当前阶段为“{current}”，不应填写{label}；如已进入“{stage}”阶段，请先修改发展阶段")]
    return []


# ----------------------------------------------------------------- comparisons

STAGES = [*Stage, *(s.value for s in Stage), None, "入党", 3]
SMALL_POOL = [None, PartialDate.day(2025, 6, 15), PartialDate.month(2025, 6), PartialDate.day(2026, 7, 1),
              "2020-13"]


def member(stage: object, dates: dict[str, object], leave_kind: object = None) -> Member:
    return Member(name="测试同志甲", gender=Gender.MALE, id_number=ID, stage=stage,  # type: ignore[arg-type]
                  leave_kind=leave_kind, **dates)


def test_every_combination_of_a_small_pool_gives_the_same_findings() -> None:
    checked = 0
    for stage in STAGES:
        for values in itertools.product(SMALL_POOL, repeat=len(FIELDS)):
            m = member(stage, dict(zip(FIELDS, values, strict=True)))
            assert stage_date_issues(m, TODAY) == reference_issues(m, TODAY), (stage, values)
            checked += 1
    assert checked == len(STAGES) * len(SMALL_POOL) ** len(FIELDS)


def _dates() -> st.SearchStrategy[object]:
    days = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 3, 31))
    return st.one_of(
        st.none(),
        days.map(PartialDate.of),
        days.map(lambda d: PartialDate.month(d.year, d.month)),
        days,  # a plain ``date`` counts as a day-precision date
        st.sampled_from(["", "2021-05", "不详", 20210501]),  # not dates: refused as unreadable
    )


@settings(max_examples=1500, deadline=None)
@given(stage=st.sampled_from(STAGES), values=st.lists(_dates(), min_size=5, max_size=5),
       leave_kind=st.sampled_from([None, *LeaveKind]), today=st.dates(date(2025, 1, 1), date(2027, 1, 1)))
def test_random_members_give_the_same_findings(stage: object, values: list[object], leave_kind: object,
                                               today: date) -> None:
    m = member(stage, dict(zip(FIELDS, values, strict=True)), leave_kind)
    assert stage_date_issues(m, today) == reference_issues(m, today)


def test_a_datetime_stage_date_fails_as_it_did() -> None:
    m = member(Stage.FULL, {"full_on": datetime(2020, 1, 1, 8)})
    with pytest.raises(TypeError):
        reference_issues(m, TODAY)
    with pytest.raises(TypeError):
        stage_date_issues(m, TODAY)
