"""The rules behind the figures the offices report, and the shape of a statistics report.

Pure rules (standard library only), so the services that count with SQL, the workbook writer
and the tests all agree on one definition:

* ``Period``: a month (``YYYY-MM``) or a year (``YYYY``); its *reference date* (统计截止日) is
  the period's last day, or today while the period is running. Events (recruitment, requests
  received, meetings held …) count when dated from the period's first day to the reference
  date; ages are taken on the reference date.
* Ages: ``birth_cutoff`` turns "aged N or more on a day" into a birth-date comparison, so SQL
  can test it on ISO text; ``AGE_BANDS`` are the bands of the party statistics (30岁及以下 …
  61岁及以上); ``YOUTH_AGE`` is the 35-or-under line reported for village secretaries.
* Education: ``HIGH_SCHOOL_OR_ABOVE`` (高中、中专 and everything above).
* 三会一课/主题党日: a kind required ``n`` times a year has calendar windows of ``12 / n``
  months (a month, a quarter). A window is due once it has ended (its last day within the
  period and on or before the reference date); it counts as done when at least one meeting of
  that kind was held inside it. A quarter ending in a month period is judged on the whole
  quarter. Extra meetings never make up for a missed window (超额不抵欠).
* 集体经济收入: the income year is the last calendar year that has ended by the reference date;
  a village reaches the threshold when its income is at least the threshold (万元, exact).
* Shares are percentages, means are plain numbers, both ``Decimal`` rounded half-up to two
  places; a share or mean over nothing is ``None`` (shown as "—"). A total is derived from the
  summed counts of its parts, so totals of shares and means are the correctly weighted means.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from .dates import add_months, add_years, age_on
from .enums import Education
from .errors import DateError, DomainError

Number = int | Decimal
Value = int | Decimal | None


class PeriodNotStartedError(DomainError):
    """The period asked for lies entirely in the future."""


# ---- periods ------------------------------------------------------------------------------

def _check_year(year: int) -> None:
    if not 1900 <= year <= 9998:
        raise DateError("period", f"统计年度 {year} 不对，应为四位数的年份，如 2026")


def _last_day(first: date, months: int) -> date:
    """The last day of the ``months`` months starting on ``first`` (a first of the month)."""
    return date.fromordinal(add_months(first, months).toordinal() - 1)


_MONTH = re.compile(r"([0-9]{4})-([0-9]{1,2})")
_YEAR = re.compile(r"[0-9]{4}")


@dataclass(frozen=True, slots=True)
class Period:
    """A statistics period: one calendar month or one calendar year."""

    start: date
    end: date
    label: str  # "2026-11" or "2026"

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        _check_year(year)
        start = date(year, month, 1)
        return cls(start, _last_day(start, 1), f"{year:04d}-{month:02d}")

    @classmethod
    def year(cls, year: int) -> "Period":
        _check_year(year)
        return cls(date(year, 1, 1), date(year, 12, 31), f"{year:04d}")

    @classmethod
    def parse(cls, text: str) -> "Period":
        """``YYYY-MM`` (a month) or ``YYYY`` (a year); anything else is a ``DateError``."""
        raw = text.strip()
        try:
            if m := _MONTH.fullmatch(raw):
                return cls.month(int(m[1]), int(m[2]))
            if _YEAR.fullmatch(raw):
                return cls.year(int(raw))
        except ValueError:
            raise DateError("period", f"统计期间“{raw}”不存在，月份应在 01 到 12 之间") from None
        raise DateError("period", f"统计期间“{raw}”格式不对，应为 YYYY-MM（某月）或 YYYY（某年）")

    @property
    def is_year(self) -> bool:
        return self.start.month == 1 and self.end.month == 12

    @property
    def year_number(self) -> int:
        return self.start.year

    @property
    def title(self) -> str:
        """How a report heading names it: 2026年 or 2026年11月."""
        if self.is_year:
            return f"{self.start.year}年"
        return f"{self.start.year}年{self.start.month}月"

    def reference_date(self, today: date) -> date:
        """统计截止日: the period's last day, or today while it runs; refuses a future period."""
        if today < self.start:
            raise PeriodNotStartedError(f"统计期间 {self.label} 还没有开始，请选择已经开始的月份或年度")
        return min(self.end, today)


def income_year(reference: date) -> int:
    """The last calendar year that has ended by ``reference`` (its income is then known)."""
    return reference.year if (reference.month, reference.day) == (12, 31) else reference.year - 1


# ---- ages and education -------------------------------------------------------------------

YOUTH_AGE = 35  # 村党组织书记 "35岁及以下"


@dataclass(frozen=True, slots=True)
class AgeBand:
    key: str
    label: str
    low: int
    high: int | None  # inclusive; None: no upper bound


AGE_BANDS: tuple[AgeBand, ...] = (
    AgeBand("le30", "30岁及以下", 0, 30),
    AgeBand("31_35", "31至35岁", 31, 35),
    AgeBand("36_40", "36至40岁", 36, 40),
    AgeBand("41_45", "41至45岁", 41, 45),
    AgeBand("46_50", "46至50岁", 46, 50),
    AgeBand("51_55", "51至55岁", 51, 55),
    AgeBand("56_60", "56至60岁", 56, 60),
    AgeBand("ge61", "61岁及以上", 61, None),
)


def age_band(age: int) -> AgeBand:
    for band in AGE_BANDS:
        if band.high is None or age <= band.high:
            return band
    raise AssertionError("the last band is open")


def birth_cutoff(age: int, on: date) -> date:
    """The latest birth date of a person aged ``age`` or more on ``on``.

    ``age_on(b, on) >= age`` exactly when ``b <= birth_cutoff(age, on)`` (29 February included).
    """
    return add_years(on, -age)


def is_youth(birth: date, on: date) -> bool:
    return age_on(birth, on) <= YOUTH_AGE


HIGH_SCHOOL_OR_ABOVE: tuple[Education, ...] = tuple(e for e in Education if e.high_school_or_above)


# ---- 三会一课 and 主题党日 ----------------------------------------------------------------

def window_months(per_year: int) -> int:
    """The length in months of the window a kind required ``per_year`` times is due in."""
    if per_year <= 0 or 12 % per_year:
        raise ValueError(f"a kind must be required 1, 2, 3, 4, 6 or 12 times a year, not {per_year}")
    return 12 // per_year


def window_index(day: date, months: int) -> int:
    """Calendar windows of ``months`` months, numbered from year 0 (aligned to January)."""
    return (day.year * 12 + day.month - 1) // months


def due_windows(per_year: int, period: Period, reference: date) -> list[tuple[date, date]]:
    """The windows (first day, last day) due in ``period`` as of ``reference`` (see module doc)."""
    months = window_months(per_year)
    idx = window_index(period.start, months)
    out = []
    while True:
        first = date((idx * months) // 12, (idx * months) % 12 + 1, 1)
        last = _last_day(first, months)
        if last > period.end or last > reference:
            return out
        if last >= period.start:
            out.append((first, last))
        idx += 1


# ---- arithmetic ---------------------------------------------------------------------------

_CENT = Decimal("0.01")


def _round(x: Decimal) -> Decimal:
    return x.quantize(_CENT, rounding=ROUND_HALF_UP)


def percent(numerator: Number, denominator: Number) -> Decimal | None:
    """``numerator / denominator`` in per cent, two places; None when nothing is counted."""
    if not denominator:
        return None
    return _round(Decimal(numerator) * 100 / Decimal(denominator))


def mean(total: Number, count: Number) -> Decimal | None:
    if not count:
        return None
    return _round(Decimal(total) / Decimal(count))


def weighted_mean(pairs: Iterable[tuple[Number | None, Number]]) -> Decimal | None:
    """The mean of values weighted by their counts (None values carry no weight)."""
    total = Decimal(0)
    weight = Decimal(0)
    for value, w in pairs:
        if value is not None and w:
            total += Decimal(value) * Decimal(w)
            weight += Decimal(w)
    return _round(total / weight) if weight else None


def reaches_threshold(amount: Decimal | None, threshold: Decimal) -> bool:
    return amount is not None and Decimal(amount) >= threshold


def enum_key(value: StrEnum) -> str:
    """The ASCII key a code gets in figure keys: ``Channel.ON_BEHALF`` → ``on_behalf``."""
    return value.name.lower()


# ---- figures and the report ---------------------------------------------------------------

class FigureKind(StrEnum):
    COUNT = "count"  # an additive count or sum
    SHARE = "share"  # num / den, per cent
    MEAN = "mean"  # num / den


@dataclass(frozen=True, slots=True)
class FigureDef:
    """One figure: its stable key, its Chinese label and unit, and how it is derived."""

    key: str
    label: str
    unit: str
    group: str
    kind: FigureKind = FigureKind.COUNT
    num: str | None = None  # SHARE and MEAN: the counts they divide
    den: str | None = None
    note: str = ""  # 口径: how it is counted, for the 说明 sheet and the tab's tooltip
    hidden: bool = False  # a helper sum behind a mean, not shown


def derive(defs: Iterable[FigureDef], raw: Mapping[str, Number]) -> dict[str, Value]:
    """Every figure's value from the additive counts of one unit (missing counts are 0)."""
    out: dict[str, Value] = {}
    for d in defs:
        if d.kind is FigureKind.COUNT:
            out[d.key] = raw.get(d.key, 0)
        elif d.kind is FigureKind.SHARE:
            out[d.key] = percent(raw.get(d.num or "", 0), raw.get(d.den or "", 0))
        else:
            out[d.key] = mean(raw.get(d.num or "", 0), raw.get(d.den or "", 0))
    return out


def add_counts(parts: Iterable[Mapping[str, Number]]) -> dict[str, Number]:
    total: dict[str, Number] = {}
    for part in parts:
        for key, value in part.items():
            total[key] = total.get(key, 0) + value
    return total


@dataclass(frozen=True)
class UnitFigures:
    """The figures of one township, or of all of them (``code`` empty, name 合计)."""

    code: str
    name: str
    values: Mapping[str, Value]


@dataclass(frozen=True, slots=True)
class BranchCompletion:
    """One 党支部's 三会一课/主题党日 in the period: windows due and windows done."""

    township_code: str
    branch_uuid: str
    name: str
    required: int
    done: int
    held: int  # meetings held in the period (all kinds), for reference

    @property
    def rate(self) -> Decimal | None:
        return percent(self.done, self.required)

    @property
    def below_target(self) -> bool:
        return self.required > 0 and self.done < self.required


@dataclass(frozen=True)
class StatisticsReport:
    """Everything the 统计 tab, the 统计 sheet, the 汇总表 and ``stats --json`` show."""

    unit_name: str
    unit_code: str
    district: bool
    period: Period
    as_of: date
    income_year: int
    income_threshold: Decimal
    figures: tuple[FigureDef, ...]
    townships: tuple[UnitFigures, ...]
    total: UnitFigures
    branches: tuple[BranchCompletion, ...] = ()
    # unit code ("" for the total) → month "YYYY-MM" → status key → requests received
    requests_by_month: Mapping[str, Mapping[str, Mapping[str, int]]] = field(default_factory=dict)
    generated_at: datetime | None = None

    @property
    def visible(self) -> tuple[FigureDef, ...]:
        return tuple(d for d in self.figures if not d.hidden)

    def figure(self, key: str) -> FigureDef:
        for d in self.figures:
            if d.key == key:
                return d
        raise KeyError(key)

    def groups(self) -> list[tuple[str, list[FigureDef]]]:
        """The visible figures by group, in catalogue order."""
        out: dict[str, list[FigureDef]] = {}
        for d in self.visible:
            out.setdefault(d.group, []).append(d)
        return list(out.items())

    def township(self, code: str) -> UnitFigures:
        for t in self.townships:
            if t.code == code:
                return t
        raise KeyError(code)
