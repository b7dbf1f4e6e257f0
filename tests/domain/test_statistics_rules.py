"""The pure statistics rules: periods and their reference date, the income year, ages and
age bands, 高中及以上, due windows of 三会一课, rounding of shares and means, weighted means,
the income threshold and deriving a unit's figures from its counts."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian_desktop.domain.dates import age_on
from dangjian_desktop.domain.enums import ACTIVITY_REQUIRED_PER_YEAR, Channel, Education
from dangjian_desktop.domain.errors import DateError
from dangjian_desktop.domain.statistics import (
    AGE_BANDS, HIGH_SCHOOL_OR_ABOVE, BranchCompletion, FigureDef, FigureKind, Period, PeriodNotStartedError,
    add_counts, age_band, birth_cutoff, derive, due_windows, enum_key, income_year, is_youth, mean, percent,
    reaches_threshold, weighted_mean, window_months,
)


@pytest.mark.parametrize("text, start, end, label", [
    ("2026-11", date(2026, 11, 1), date(2026, 11, 30), "2026-11"),
    ("2024-2", date(2024, 2, 1), date(2024, 2, 29), "2024-02"),
    (" 2026 ", date(2026, 1, 1), date(2026, 12, 31), "2026"),
    ("2026-12", date(2026, 12, 1), date(2026, 12, 31), "2026-12"),
])
def test_a_period_is_a_month_or_a_year(text, start, end, label):
    p = Period.parse(text)
    assert (p.start, p.end, p.label) == (start, end, label)


@pytest.mark.parametrize("text, message", [
    ("2026-13", "不存在"), ("2026/11", "格式不对"), ("26", "格式不对"), ("2026-11-01", "格式不对"), ("", "格式不对"),
])
def test_a_bad_period_is_refused_in_chinese(text, message):
    with pytest.raises(DateError, match=message):
        Period.parse(text)


def test_period_titles():
    assert Period.parse("2026").title == "2026年" and Period.parse("2026").is_year
    assert Period.parse("2026-03").title == "2026年3月" and not Period.parse("2026-03").is_year


def test_the_reference_date_is_the_period_end_or_today():
    assert Period.year(2025).reference_date(date(2026, 11, 26)) == date(2025, 12, 31)
    assert Period.year(2026).reference_date(date(2026, 11, 26)) == date(2026, 11, 26)
    assert Period.month(2026, 11).reference_date(date(2026, 11, 1)) == date(2026, 11, 1)
    with pytest.raises(PeriodNotStartedError, match="2026-12 还没有开始"):
        Period.month(2026, 12).reference_date(date(2026, 11, 30))


def test_the_income_year_is_the_last_year_that_has_ended():
    assert income_year(date(2026, 11, 26)) == 2025
    assert income_year(date(2026, 12, 30)) == 2025
    assert income_year(date(2026, 12, 31)) == 2026
    assert income_year(date(2027, 1, 1)) == 2026


@given(birth=st.dates(date(1900, 1, 1), date(2030, 12, 31)), on=st.dates(date(1950, 1, 1), date(2040, 12, 31)),
       age=st.integers(0, 110))
def test_birth_cutoff_is_exactly_the_age_test(birth, on, age):
    assert (age_on(birth, on) >= age) == (birth <= birth_cutoff(age, on))


def test_birth_cutoff_on_29_february_and_the_35_line():
    assert birth_cutoff(36, date(2028, 2, 29)) == date(1992, 2, 29)
    assert birth_cutoff(1, date(2028, 2, 29)) == date(2027, 2, 28)
    assert is_youth(date(1991, 11, 26), date(2026, 11, 26))  # exactly 35
    assert not is_youth(date(1990, 11, 26), date(2026, 11, 26))  # 36 today
    assert is_youth(date(1990, 11, 27), date(2026, 11, 26))  # 36 tomorrow


def test_birth_cutoff_boundary_of_the_youth_line():
    on = date(2026, 11, 26)
    assert is_youth(birth_cutoff(36, on) + timedelta(days=1), on)
    assert not is_youth(birth_cutoff(36, on), on)


@pytest.mark.parametrize("age, key", [(0, "le30"), (30, "le30"), (31, "31_35"), (35, "31_35"), (36, "36_40"),
                                      (55, "51_55"), (60, "56_60"), (61, "ge61"), (104, "ge61")])
def test_age_bands(age, key):
    assert age_band(age).key == key


def test_age_bands_cover_every_age_once():
    covered = [a for b in AGE_BANDS for a in range(b.low, (b.high if b.high is not None else 120) + 1)]
    assert covered == list(range(121))


def test_high_school_or_above():
    assert set(HIGH_SCHOOL_OR_ABOVE) == {Education.POSTGRADUATE, Education.BACHELOR, Education.COLLEGE,
                                         Education.SECONDARY_VOCATIONAL, Education.HIGH_SCHOOL}


def test_windows_are_months_and_quarters():
    assert {window_months(n) for n in ACTIVITY_REQUIRED_PER_YEAR.values()} == {1, 3}
    with pytest.raises(ValueError):
        window_months(5)


def test_due_windows_of_a_running_year():
    year = Period.year(2026)
    monthly = due_windows(12, year, date(2026, 11, 26))
    assert len(monthly) == 10 and monthly[-1] == (date(2026, 10, 1), date(2026, 10, 31))
    assert due_windows(4, year, date(2026, 11, 26)) == [
        (date(2026, 1, 1), date(2026, 3, 31)), (date(2026, 4, 1), date(2026, 6, 30)),
        (date(2026, 7, 1), date(2026, 9, 30))]
    assert len(due_windows(12, year, date(2026, 12, 31))) == 12 and len(due_windows(4, year, date(2026, 12, 31))) == 4


def test_due_windows_of_a_month():
    after = date(2027, 2, 1)
    assert due_windows(12, Period.month(2026, 2), after) == [(date(2026, 2, 1), date(2026, 2, 28))]
    assert due_windows(4, Period.month(2026, 2), after) == []  # the quarter has not ended in February
    assert due_windows(4, Period.month(2026, 12), after) == [(date(2026, 10, 1), date(2026, 12, 31))]
    assert due_windows(12, Period.month(2026, 11), date(2026, 11, 29)) == []  # November still running
    assert due_windows(12, Period.month(2026, 11), date(2026, 11, 30)) == [(date(2026, 11, 1), date(2026, 11, 30))]


def test_percent_and_mean_round_half_up_to_two_places():
    assert percent(1, 3) == Decimal("33.33") and percent(2, 3) == Decimal("66.67")
    assert percent(1, 8) == Decimal("12.50") and percent(1, 16) == Decimal("6.25")
    assert percent(1, 800) == Decimal("0.13")  # 0.125 → 0.13
    assert percent(0, 5) == Decimal("0.00") and percent(3, 0) is None
    assert mean(91, 2) == Decimal("45.50") and mean(10, 3) == Decimal("3.33") and mean(0, 0) is None


def test_weighted_mean_weights_by_counts_and_skips_missing_values():
    assert weighted_mean([(Decimal("50"), 2), (Decimal("100"), 6)]) == Decimal("87.50")
    assert weighted_mean([(None, 0), (Decimal("40"), 1)]) == Decimal("40.00")
    assert weighted_mean([(None, 0)]) is None


def test_the_income_threshold_is_inclusive_and_exact():
    assert reaches_threshold(Decimal("5"), Decimal("5"))
    assert reaches_threshold(Decimal("5.00"), Decimal("5"))
    assert not reaches_threshold(Decimal("4.9999999999999999999"), Decimal("5"))
    assert not reaches_threshold(None, Decimal("5"))


def test_enum_keys_are_ascii():
    assert enum_key(Channel.ON_BEHALF) == "on_behalf"
    assert all(enum_key(e).isascii() for e in Education)


def test_derive_turns_counts_into_figures():
    defs = [FigureDef("a", "甲", "人", "组"), FigureDef("b", "乙", "人", "组"),
            FigureDef("s", "占比", "%", "组", FigureKind.SHARE, "a", "b"),
            FigureDef("m", "平均", "岁", "组", FigureKind.MEAN, "a", "b")]
    assert derive(defs, {"a": 1, "b": 3}) == {"a": 1, "b": 3, "s": Decimal("33.33"), "m": Decimal("0.33")}
    assert derive(defs, {}) == {"a": 0, "b": 0, "s": None, "m": None}
    assert add_counts([{"a": 1}, {"a": 2, "b": 5}]) == {"a": 3, "b": 5}


def test_branch_completion():
    done = BranchCompletion("410999101000", "u", "东岭村党支部", 36, 36, 40)
    behind = BranchCompletion("410999101000", "v", "西山村党支部", 36, 4, 6)
    nothing_due = BranchCompletion("410999101000", "w", "南湖社区党支部", 0, 0, 1)
    assert (done.rate, done.below_target) == (Decimal("100.00"), False)
    assert (behind.rate, behind.below_target) == (Decimal("11.11"), True)
    assert (nothing_due.rate, nothing_due.below_target) == (None, False)
