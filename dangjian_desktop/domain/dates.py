"""Dates known to the day or only to the month (出生年月, 入党时间 often are), as one value.

A ``PartialDate`` is a ``datetime.date`` plus a precision. Month precision keeps the first of
the month as its date, so month dates sort and compare with day dates; ``iso()`` gives
``YYYY-MM`` or ``YYYY-MM-DD``, which is also how the database and the packages store it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .errors import DateError


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"


_ISO_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_ISO_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


@dataclass(frozen=True, slots=True, order=True)
class PartialDate:
    value: date
    precision: Precision = Precision.DAY

    def __post_init__(self) -> None:
        if self.precision is Precision.MONTH and self.value.day != 1:
            object.__setattr__(self, "value", self.value.replace(day=1))

    @classmethod
    def day(cls, y: int, m: int, d: int) -> "PartialDate":
        return cls(date(y, m, d), Precision.DAY)

    @classmethod
    def month(cls, y: int, m: int) -> "PartialDate":
        return cls(date(y, m, 1), Precision.MONTH)

    @classmethod
    def of(cls, d: "date | PartialDate") -> "PartialDate":
        return d if isinstance(d, PartialDate) else cls(d, Precision.DAY)

    @classmethod
    def parse_iso(cls, text: str, field: str = "date") -> "PartialDate":
        """Read ``YYYY-MM-DD`` or ``YYYY-MM``; anything else is a ``DateError``."""
        text = text.strip()
        try:
            if m := _ISO_DAY.fullmatch(text):
                return cls(date(int(m[1]), int(m[2]), int(m[3])), Precision.DAY)
            if m := _ISO_MONTH.fullmatch(text):
                return cls(date(int(m[1]), int(m[2]), 1), Precision.MONTH)
        except ValueError:
            raise DateError(field, f"日期“{text}”不存在，请检查年、月、日") from None
        raise DateError(field, f"日期“{text}”格式不对，应为 YYYY-MM-DD 或 YYYY-MM")

    def iso(self) -> str:
        if self.precision is Precision.MONTH:
            return f"{self.value.year:04d}-{self.value.month:02d}"
        return self.value.isoformat()

    def display(self) -> str:
        """The form a clerk writes: 1998-07-01, or 1998-07 where only the month is known."""
        return self.iso()

    def latest(self) -> date:
        """The last day this value may stand for (the month's end for month precision)."""
        if self.precision is Precision.MONTH:
            last = days_in_month(self.value.year, self.value.month)
            return self.value.replace(day=last)
        return self.value

    def __str__(self) -> str:
        return self.iso()


def days_in_month(year: int, month: int) -> int:
    """28–31 (not ``calendar.monthrange``: the calendar module loads ``locale``, ~1 ms of the start)."""
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def add_years(d: date, years: int) -> date:
    """The same calendar day ``years`` later; 29 February becomes 28 February."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def add_months(d: date, months: int) -> date:
    total = d.year * 12 + (d.month - 1) + months
    y, m = divmod(total, 12)
    last = days_in_month(y, m + 1)
    return date(y, m + 1, min(d.day, last))


def age_on(birth: date, on: date) -> int:
    """Whole years of age on ``on``."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def period_bounds(period: str) -> tuple[date, date]:
    """First and last day of a ``YYYY-MM`` period."""
    pd = PartialDate.parse_iso(period, "period")
    if pd.precision is not Precision.MONTH:
        raise DateError("period", f"月份“{period}”格式不对，应为 YYYY-MM")
    return pd.value, pd.latest()
