"""The small checks every record validator is made of: one field at a time, each appending an
``Issue`` (in Chinese, naming the field) to the validator's list instead of raising."""

from __future__ import annotations

import math
import re
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from .dates import PartialDate
from .enums import ETHNICITIES
from .errors import Issue, PhoneError, Severity
from .phone import parse_phone
from .pipeline import as_partial, is_future

MIN_YEAR = 1990  # earliest plausible year for 软弱涣散, income and evaluation years
E = TypeVar("E", bound=StrEnum)


def add_error(issues: list[Issue], field: str, message: str) -> None:
    issues.append(Issue(field, message, Severity.ERROR))


def add_warning(issues: list[Issue], field: str, message: str) -> None:
    issues.append(Issue(field, message, Severity.WARNING))


def is_blank(value: object) -> bool:
    return not isinstance(value, str) or not value.strip()


def check_required_text(issues: list[Issue], field: str, value: object, label: str) -> None:
    if is_blank(value):
        add_error(issues, field, f"{label}不能为空，请填写")


def check_enum(issues: list[Issue], field: str, value: object, enum_cls: type[E], label: str,
          *, optional: bool = False) -> E | None:
    """The enum member for ``value`` (a member or its Chinese value), else an issue and ``None``."""
    if value is None:
        if not optional:
            add_error(issues, field, f"请选择{label}")
        return None
    if isinstance(value, enum_cls):
        return value
    if isinstance(value, str) and value in enum_cls._value2member_map_:
        return enum_cls(value)
    allowed = "、".join(e.value for e in enum_cls)
    add_error(issues, field, f"{label}“{value}”不是可选的值，应为：{allowed}")
    return None


def check_date(issues: list[Issue], field: str, value: object, label: str,
          today: date | None = None, *, required: bool = False) -> PartialDate | None:
    """The value as a ``PartialDate``; an issue when missing (if required), unreadable or future."""
    if value is None:
        if required:
            add_error(issues, field, f"请填写{label}")
        return None
    d = as_partial(value)
    if d is None:
        add_error(issues, field, f"{label}“{value}”不是有效日期，应为 YYYY-MM-DD 或 YYYY-MM")
    elif today is not None and is_future(d, today):
        add_error(issues, field, f"{label} {d} 晚于今天，请核对")
    return d


def check_number(issues: list[Issue], field: str, value: object, label: str,
            *, optional: bool = True, integer: bool = False) -> bool:
    """Whether ``value`` is a finite number ≥ 0 (``None`` passes when optional)."""
    if value is None:
        if not optional:
            add_error(issues, field, f"请填写{label}")
        return optional
    kinds = (int,) if integer else (int, float, Decimal)
    if isinstance(value, bool) or not isinstance(value, kinds) or not _finite(value):
        add_error(issues, field, f"{label}应为{'整数' if integer else '数字'}，现在是“{value}”")
        return False
    if value < 0:
        add_error(issues, field, f"{label}不能为负数，现在是 {value}")
        return False
    return True


def _finite(value: int | float | Decimal) -> bool:
    if isinstance(value, Decimal):
        return value.is_finite()
    return not isinstance(value, float) or math.isfinite(value)


def check_year(issues: list[Issue], field: str, value: object, label: str, last: int) -> bool:
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_YEAR <= value <= last:
        add_error(issues, field, f"{label}“{value}”不合理，应在 {MIN_YEAR} 至 {last} 年之间")
        return False
    return True


_CANONICAL_MOBILE = re.compile(r"1[3-9][0-9]{9}")  # what parse_phone keeps as it is


def check_phone(issues: list[Issue], field: str, value: object) -> None:
    if type(value) is str and _CANONICAL_MOBILE.fullmatch(value):
        return  # the stored form of most numbers: nothing to find (a bulk import checks thousands)
    try:
        parse_phone(value, field)
    except PhoneError as e:
        issues.append(Issue.from_error(e))


def check_ethnicity(issues: list[Issue], value: object) -> None:
    if value in ETHNICITIES or value == "其他":
        return
    hint = f"，是否应为“{value}族”" if isinstance(value, str) and f"{value}族" in ETHNICITIES else ""
    add_error(issues, "ethnicity", f"民族“{value}”不是 56 个民族的规范名称{hint}；请填写全称（如“汉族”），或选“其他”")
