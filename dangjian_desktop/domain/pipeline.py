"""发展党员 as a pipeline: the rules the five stage dates follow and the operations that move a
member along (advance one stage, record leaving), plus the list of 预备党员 due for 转正.

``stage_date_issues`` gives the findings about a member's stage dates that
``validation.validate_member`` reports, so the checks and the operations agree.  Dates may
be known to the day or only to the month; when either side of a comparison is month-precision
the comparison is made at the month level, so ``2020-05`` counts as "not after"
``2020-05-20`` (and the other way round).  The 预备期 is one year: 转正 is allowed on
``add_years(入党时间, 1)`` or later.

It also holds ``id_number_for_input``, which turns a typed 身份证号 into the stored 18-digit
value (records keep 18-digit numbers only; old 15-digit ones are converted at input).
"""

from __future__ import annotations

import dataclasses
from datetime import date

from .dates import PartialDate, Precision, add_years
from .enums import LeaveKind, Stage
from .errors import DateError, EnumValueError, Issue, RequiredError, Severity, ValidationError
from .idcard import parse_id_number
from .records import STAGE_DATE_FIELDS, Member

STAGE_DATE_LABELS: dict[Stage, str] = {
    Stage.APPLICANT: "递交入党申请日期",
    Stage.ACTIVIST: "确定为入党积极分子日期",
    Stage.CANDIDATE: "确定为发展对象日期",
    Stage.PROBATIONARY: "接收为预备党员日期（入党时间）",
    Stage.FULL: "转正日期",
}

# (stage, date field, label) in stage order, for the per-member loop of ``stage_date_issues``.
_STAGES: tuple[tuple[Stage, str, str], ...] = tuple(
    (stage, STAGE_DATE_FIELDS[stage], STAGE_DATE_LABELS[stage]) for stage in Stage)


def _expected_issue(current: Stage | None, stage: Stage) -> Issue | None:
    """The finding when ``stage`` has no date while the member is at ``current``."""
    if current is None or stage.index > current.index:
        return None
    field, label = STAGE_DATE_FIELDS[stage], STAGE_DATE_LABELS[stage]
    # The current stage's date, and 入党时间 for every member, are facts a roster always
    # carries; the dates of earlier stages are often unknown for members of long standing,
    # so their absence is a reminder, not a refusal.
    if stage is current or stage is Stage.PROBATIONARY:
        return Issue(field, f"当前阶段为“{current}”，请填写{label}")
    return Issue(field, f"缺少{label}，请日后补录", Severity.WARNING)


def _premature_issue(current: Stage | None, stage: Stage) -> Issue | None:
    """The finding when ``stage``, later than ``current``, has a (readable, past) date."""
    if current is None or stage.index <= current.index:
        return None
    field, label = STAGE_DATE_FIELDS[stage], STAGE_DATE_LABELS[stage]
    return Issue(field, f"当前阶段为“{current}”，不应填写{label}；如已进入“{stage}”阶段，请先修改发展阶段")


# The findings that depend on the current stage alone, made once (an ``Issue`` is immutable):
# current stage (or ``None``) → stage → the finding or ``None``.
_EXPECTED = {c: {s: _expected_issue(c, s) for s in Stage} for c in (*Stage, None)}
_PREMATURE = {c: {s: _premature_issue(c, s) for s in Stage} for c in (*Stage, None)}


def as_partial(value: object) -> PartialDate | None:
    """A ``PartialDate`` for a ``PartialDate`` or ``date``; ``None`` for anything else."""
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, date):
        return PartialDate.of(value)
    return None


def not_after(a: PartialDate, b: PartialDate) -> bool:
    """``a ≤ b``, compared by month when either date is known only to the month."""
    if a.precision is Precision.MONTH or b.precision is Precision.MONTH:
        return (a.value.year, a.value.month) <= (b.value.year, b.value.month)
    return a.value <= b.value


def is_future(value: PartialDate | date, today: date) -> bool:
    """After today; a month-precision date is in the future only from the next month on."""
    return PartialDate.of(value).value > today


def probation_complete(probation_on: PartialDate, full_on: PartialDate) -> bool:
    """Whether 转正 on ``full_on`` comes at least one year after 入党 on ``probation_on``."""
    if probation_on.precision is Precision.MONTH or full_on.precision is Precision.MONTH:
        p, f = probation_on.value, full_on.value
        return (f.year, f.month) >= (p.year + 1, p.month)
    return full_on.value >= add_years(probation_on.value, 1)


def coerce_stage(value: object) -> Stage | None:
    """The ``Stage`` for a ``Stage`` or its Chinese value; ``None`` for anything else."""
    if isinstance(value, Stage):
        return value
    if isinstance(value, str) and value in Stage._value2member_map_:
        return Stage(value)
    return None


def latest_stage_date(member: Member) -> tuple[Stage, PartialDate] | None:
    """The last stage (in stage order) that has a date, with that date."""
    found = None
    for stage in Stage:
        d = as_partial(getattr(member, STAGE_DATE_FIELDS[stage], None))
        if d is not None:
            found = (stage, d)
    return found


def stage_dates(member: Member) -> dict[Stage, PartialDate]:
    """The readable stage dates of ``member``, in stage order."""
    dates = {}
    for stage, field in STAGE_DATE_FIELDS.items():
        d = as_partial(getattr(member, field, None))
        if d is not None:
            dates[stage] = d
    return dates


def stage_date_issues(member: Member, today: date) -> list[Issue]:
    """Findings about the stage dates of ``member``.

    Errors: a date unreadable or in the future; the current stage (and, for members,
    入党时间) without its date, or a later stage with one; dates out of stage order; 转正 less than a year after
    入党.  Warning: a 预备党员 whose year of probation is over (转正 is due).

    One pass over the five stages (a roster import checks every member of a township): each
    stage's date is read once and gives at most one finding, in stage order.
    """
    issues: list[Issue] = []
    current = coerce_stage(member.stage)
    expected, premature = _EXPECTED[current], _PREMATURE[current]
    dates: dict[Stage, PartialDate] = {}
    for stage, field, label in _STAGES:
        raw = getattr(member, field, None)
        if raw is None:
            if (missing := expected[stage]) is not None:  # a date this stage should have
                issues.append(missing)
            continue
        d = raw if type(raw) is PartialDate else as_partial(raw)
        if d is None:
            issues.append(Issue(field, f"{label}“{raw}”不是有效日期，应为 YYYY-MM-DD 或 YYYY-MM"))
            continue
        dates[stage] = d
        if d.value > today:
            issues.append(Issue(field, f"{label} {d} 晚于今天，请核对"))
        elif (too_early := premature[stage]) is not None:
            issues.append(too_early)
    if len(dates) > 1:
        issues.extend(_order_issues(dates))
    if dates:
        issues.extend(_probation_issues(member, current, dates, today))
    return issues


def _order_issues(dates: dict[Stage, PartialDate]) -> list[Issue]:
    issues = []
    previous: tuple[Stage, PartialDate] | None = None
    for stage, d in dates.items():
        if previous is not None and not not_after(previous[1], d):
            issues.append(Issue(STAGE_DATE_FIELDS[stage], (
                f"{STAGE_DATE_LABELS[stage]} {d} 早于{STAGE_DATE_LABELS[previous[0]]} {previous[1]}，"
                "各阶段日期应依次不早于前一阶段，请核对")))
        previous = (stage, d)
    return issues


def _probation_issues(member: Member, current: Stage | None,
                      dates: dict[Stage, PartialDate], today: date) -> list[Issue]:
    joined, full = dates.get(Stage.PROBATIONARY), dates.get(Stage.FULL)
    if joined and full and not_after(joined, full) and not probation_complete(joined, full):
        return [Issue("full_on", f"转正日期 {full} 距入党时间 {joined} 不满一年（预备期为一年），请核对")]
    if current is Stage.PROBATIONARY and joined and member.leave_kind is None:
        if today >= add_years(joined.value, 1):
            return [Issue("stage", f"预备期已满一年（入党时间 {joined}），应及时讨论转正", Severity.WARNING)]
    return []


def advance_stage(member: Member, on: PartialDate | date, today: date) -> Member:
    """A copy of ``member`` moved to the next stage, dated ``on``.

    Raise ``ValidationError`` on the new stage's date field when the member is already a
    正式党员 or has left, or ``on`` is in the future, before the previous stage's date, or (for
    转正) less than one year after 入党.
    """
    stage = coerce_stage(member.stage)
    if stage is None:
        raise EnumValueError("stage", f"发展阶段“{member.stage}”无法识别，请先在党员信息中改正")
    target = stage.next
    field = STAGE_DATE_FIELDS[target or Stage.FULL]
    if target is None:
        raise ValidationError(field, "该同志已是正式党员，没有下一个发展阶段")
    if member.leave_kind is not None:
        raise ValidationError(field, f"该同志已{member.leave_kind}，不能再办理“{target}”")
    when = as_partial(on)
    if when is None:
        raise DateError(field, f"请填写{STAGE_DATE_LABELS[target]}")
    _check_stage_date(member, target, when, today)
    return dataclasses.replace(member, stage=target, **{field: when})


def _check_stage_date(member: Member, target: Stage, when: PartialDate, today: date) -> None:
    field = STAGE_DATE_FIELDS[target]
    label = STAGE_DATE_LABELS[target]
    if is_future(when, today):
        raise DateError(field, f"{label} {when} 晚于今天，请核对")
    previous = latest_stage_date(member)
    if previous is not None and not not_after(previous[1], when):
        prev_stage, prev_date = previous
        raise DateError(
            field, f"{label} {when} 早于{STAGE_DATE_LABELS[prev_stage]} {prev_date}，请核对日期"
        )
    if target is Stage.FULL:
        joined = as_partial(member.probation_on)
        if joined is None:
            raise DateError("probation_on", "缺少入党时间（接收为预备党员日期），无法办理转正，请先补录")
        if not probation_complete(joined, when):
            due = add_years(joined.value, 1)
            raise DateError(
                field, f"预备期为一年：入党时间是 {joined}，最早 {due.isoformat()} 才能转正"
            )


def leave_member(
    member: Member, kind: LeaveKind | str, on: PartialDate | date, reason: str, today: date
) -> Member:
    """A copy of ``member`` marked as left (转出/死亡/出党) on ``on``; the record is kept.

    Raise ``ValidationError`` when the member has already left, the kind is unknown, the date
    is in the future or before the member's latest stage date, or 出党 has no reason.
    """
    if member.leave_kind is not None:
        raise ValidationError(
            "leave_kind", f"该同志已于 {member.leave_on} {member.leave_kind}，不能重复办理"
        )
    leave_kind = _coerce_leave_kind(kind)
    when = as_partial(on)
    if when is None:
        raise DateError("leave_on", f"请填写{leave_kind}日期")
    if is_future(when, today):
        raise DateError("leave_on", f"{leave_kind}日期 {when} 晚于今天，请核对")
    latest = latest_stage_date(member)
    if latest is not None and not not_after(latest[1], when):
        raise DateError(
            "leave_on",
            f"{leave_kind}日期 {when} 早于{STAGE_DATE_LABELS[latest[0]]} {latest[1]}，请核对",
        )
    reason = (reason or "").strip()
    if leave_kind is LeaveKind.EXPELLED and not reason:
        raise RequiredError("leave_reason", "办理出党必须填写原因（如处分决定文号）")
    return dataclasses.replace(member, leave_kind=leave_kind, leave_on=when, leave_reason=reason)


def _coerce_leave_kind(kind: object) -> LeaveKind:
    if isinstance(kind, LeaveKind):
        return kind
    if isinstance(kind, str) and kind in LeaveKind._value2member_map_:
        return LeaveKind(kind)
    allowed = "、".join(k.value for k in LeaveKind)
    raise EnumValueError("leave_kind", f"离开方式“{kind}”无法识别，应为：{allowed}")


def probation_due_on(member: Member) -> date | None:
    """The day a 预备党员 becomes due for 转正 (one year after 入党), else ``None``."""
    joined = as_partial(member.probation_on)
    if coerce_stage(member.stage) is not Stage.PROBATIONARY or joined is None:
        return None
    return add_years(joined.value, 1)


def probation_due_members(members: list[Member], on: date) -> list[Member]:
    """Active 预备党员 whose one-year probation has ended by ``on``, longest overdue first."""
    due = []
    for m in members:
        due_on = probation_due_on(m)
        if due_on is not None and due_on <= on and m.leave_kind is None and not m.deleted:
            due.append((due_on, m))
    due.sort(key=lambda pair: pair[0])
    return [m for _, m in due]


def id_number_for_input(
    raw: object, today: date, *, field: str = "id_number"
) -> tuple[str, list[Issue]]:
    """The 18-digit 身份证号 to store for what the clerk typed, and warnings about it.

    A 15-digit number is converted, with a warning asking the clerk to check the result;
    an invalid number raises ``IdNumberError``.
    """
    parsed = parse_id_number(raw, field=field, today=today)
    issues: list[Issue] = []
    if parsed.converted_from_15:
        issues.append(Issue(
            field,
            f"15 位旧身份证号已自动转换为 18 位：{parsed.value}，请与本人证件核对",
            Severity.WARNING,
        ))
    return parsed.value, issues
