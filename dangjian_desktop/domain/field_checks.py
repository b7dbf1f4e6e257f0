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


_YEAR_MONTH = re.compile(r"\s*([0-9]{4})\s*(?:[-./年]\s*([0-9]{1,2})\s*月?|([0-9]{2}))\s*")
_Y_M_D = re.compile(r"\s*[0-9]{4}\s*[-./年]\s*[0-9]{1,2}\s*[-./月]\s*[0-9]{1,2}\s*日?\s*")


def unreadable_date_message(label: str, value: object, *, month_ok: bool) -> str:
    """What to tell the clerk about a date they typed that could not be read: a month where a
    day is needed, a day that does not exist, or how the date should be written."""
    text = str(value).strip()
    if not month_ok and (m := _YEAR_MONTH.fullmatch(text)) and 1 <= int(m[2] or m[3]) <= 12:
        year, month = int(m[1]), int(m[2] or m[3])
        return f"{label}要具体到哪一天，请写成 {year}-{month:02d}-日（如 {year}-{month:02d}-01）"
    if _Y_M_D.fullmatch(text):
        return f"{label}“{text}”不存在，请检查月份和日"
    forms = "2026-11-03 或 2026-11（只知道月份时）" if month_ok else "2026-11-03（也可写 2026.11.3 或 20261103）"
    return f"{label}“{text}”不是有效日期，请写成 {forms}"


def check_date(issues: list[Issue], field: str, value: object, label: str,
          today: date | None = None, *, required: bool = False, month_ok: bool = True) -> PartialDate | None:
    """The value as a ``PartialDate``; an issue when missing (if required), unreadable or future.
    ``month_ok``: a month alone (2026-11) is a valid value of the field (出生年月, 入党时间)."""
    if value is None:
        if required:
            add_error(issues, field, f"请填写{label}")
        return None
    d = as_partial(value)
    if d is None:
        add_error(issues, field, unreadable_date_message(label, value, month_ok=month_ok))
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
    if isinstance(value, bool) or not isinstance(value, int):
        add_error(issues, field, f"{label}“{value}”不是年份，请写四位数字的年份（{MIN_YEAR}–{last}）")
        return False
    if not MIN_YEAR <= value <= last:
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
