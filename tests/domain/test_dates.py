"""PartialDate (day or month precision), add_years/add_months, age_on and period_bounds."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian_desktop.domain.dates import (
    PartialDate, Precision, add_months, add_years, age_on, period_bounds,
)
from dangjian_desktop.domain.errors import DateError


def test_parse_day_and_month_precision():
    d = PartialDate.parse_iso(" 1998-07-01 ")
    assert d == PartialDate.day(1998, 7, 1)
    assert d.precision is Precision.DAY
    m = PartialDate.parse_iso("1998-07")
    assert m == PartialDate.month(1998, 7)
    assert m.precision is Precision.MONTH
    assert m.value == date(1998, 7, 1)


@pytest.mark.parametrize("text", ["1998/07/01", "98-07-01", "1998-7-1", "1998年7月", "", "1998-07-01x"])
def test_parse_rejects_other_formats(text):
    with pytest.raises(DateError) as exc:
        PartialDate.parse_iso(text, "applied_on")
    assert exc.value.field == "applied_on"
    assert "格式不对" in exc.value.message


@pytest.mark.parametrize("text", ["1999-02-29", "2023-13", "2023-04-31", "2023-00"])
def test_parse_rejects_impossible_dates(text):
    with pytest.raises(DateError, match="不存在"):
        PartialDate.parse_iso(text)


def test_parse_rejects_non_ascii_digits():
    with pytest.raises(DateError):
        PartialDate.parse_iso("١٩٩٨-٠٧-٠١")


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_iso_round_trips(d):
    day = PartialDate.of(d)
    assert PartialDate.parse_iso(day.iso()) == day
    month = PartialDate(d, Precision.MONTH)
    assert month.value.day == 1
    assert PartialDate.parse_iso(month.iso()) == month
    assert month.iso() == f"{d.year:04d}-{d.month:02d}"
    assert str(month) == month.display() == month.iso()


def test_month_precision_normalises_to_first_and_latest_is_month_end():
    m = PartialDate(date(2024, 2, 17), Precision.MONTH)
    assert m.value == date(2024, 2, 1)
    assert m.latest() == date(2024, 2, 29)
    assert PartialDate.month(2023, 2).latest() == date(2023, 2, 28)
    assert PartialDate.day(2023, 2, 10).latest() == date(2023, 2, 10)


def test_ordering_by_date():
    dates = [PartialDate.day(2020, 5, 3), PartialDate.month(2019, 12), PartialDate.day(2019, 12, 31)]
    assert sorted(dates) == [
        PartialDate.month(2019, 12), PartialDate.day(2019, 12, 31), PartialDate.day(2020, 5, 3),
    ]
    assert PartialDate.month(2020, 5) < PartialDate.day(2020, 5, 2)


def test_add_years_turns_leap_day_into_28_february():
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert add_years(date(2023, 3, 1), 1) == date(2024, 3, 1)
    assert add_years(date(2020, 7, 1), -2) == date(2018, 7, 1)


def test_add_months_clamps_to_month_end():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 12, 15), 1) == date(2024, 1, 15)
    assert add_months(date(2024, 3, 31), -1) == date(2024, 2, 29)


def test_age_on_birthday_boundary():
    birth = date(2000, 6, 15)
    assert age_on(birth, date(2018, 6, 14)) == 17
    assert age_on(birth, date(2018, 6, 15)) == 18
    assert age_on(date(2004, 2, 29), date(2022, 2, 28)) == 17
    assert age_on(date(2004, 2, 29), date(2022, 3, 1)) == 18


def test_period_bounds():
    assert period_bounds("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    with pytest.raises(DateError, match="YYYY-MM"):
        period_bounds("2024-02-01")


def test_days_in_month_agrees_with_the_calendar_module():
    import calendar

    from dangjian_desktop.domain.dates import days_in_month

    for year in (1900, 1999, 2000, 2023, 2024, 2100, 2400):
        for month in range(1, 13):
            assert days_in_month(year, month) == calendar.monthrange(year, month)[1]
