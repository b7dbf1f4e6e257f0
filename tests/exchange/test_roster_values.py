"""Lenient reading of roster cells: synonyms and date forms are taken, ambiguity is refused."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from dangjian_desktop.domain.dates import PartialDate
from dangjian_desktop.domain.enums import Education, Gender, Stage
from dangjian_desktop.domain.idcard import make_id_number
from dangjian_desktop.exchange.columns import MEMBERS, RESERVE_CADRES, SERVICE_REQUESTS
from dangjian_desktop.exchange.roster_values import (
    ID_AS_NUMBER, CellError, Warned, clean_name, parser_for,
)

TODAY = date(2026, 11, 26)


def parse(field: str, value: object, *, typed: bool = True, month_header: bool = False, sheet=MEMBERS):
    return parser_for(sheet.column(field), typed=typed, month_header=month_header, today=TODAY)(value)


def refused(field: str, value: object, **kw) -> str:
    with pytest.raises(CellError) as err:
        parse(field, value, **kw)
    return err.value.message


@pytest.mark.parametrize(("raw", "expected"), [
    ("男", Gender.MALE), ("女", Gender.FEMALE), ("1", Gender.MALE), (2.0, Gender.FEMALE), (" 男性 ", Gender.MALE),
])
def test_gender_codes(raw, expected):
    assert parse("gender", raw) is expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("大专", Education.COLLEGE), ("专科", Education.COLLEGE), ("大学专科", Education.COLLEGE),
    ("本科", Education.BACHELOR), ("小学", Education.PRIMARY), ("硕士研究生", Education.POSTGRADUATE),
])
def test_education_synonyms(raw, expected):
    assert parse("education", raw) is expected


def test_an_unknown_code_is_refused_with_the_allowed_values():
    message = refused("education", "中学")
    assert "中学" in message and "大学本科" in message and "初中" in message


def test_stage_and_ethnicity_synonyms():
    assert parse("stage", "预备") is Stage.PROBATIONARY
    assert parse("stage", "正式党员") is Stage.FULL
    assert parse("ethnicity", "汉") == "汉族"
    assert parse("ethnicity", "回族") == "回族"


@pytest.mark.parametrize(("raw", "expected"), [
    ("是", True), ("√", True), ("否", False), ("", False), (None, False), (True, True), ("×", False),
])
def test_yes_no(raw, expected):
    assert parse("floating", raw) is expected


def test_yes_no_refuses_anything_else():
    assert "是" in refused("floating", "外出")


@pytest.mark.parametrize(("raw", "expected"), [
    ("1998-07-01", PartialDate.day(1998, 7, 1)),
    ("1998.7.1", PartialDate.day(1998, 7, 1)),
    ("1998/07/01", PartialDate.day(1998, 7, 1)),
    ("1998年7月1日", PartialDate.day(1998, 7, 1)),
    ("1998.07", PartialDate.month(1998, 7)),
    ("1998年7月", PartialDate.month(1998, 7)),
    ("1998-07", PartialDate.month(1998, 7)),
    ("19980701", PartialDate.day(1998, 7, 1)),
    ("199807", PartialDate.month(1998, 7)),
    (19980701, PartialDate.day(1998, 7, 1)),
    (19980701.0, PartialDate.day(1998, 7, 1)),
    (1998.07, PartialDate.month(1998, 7)),
    (1998.12, PartialDate.month(1998, 12)),
    (datetime(1998, 7, 1), PartialDate.day(1998, 7, 1)),
    (date(1998, 7, 15), PartialDate.day(1998, 7, 15)),
    ("１９９８．０７", PartialDate.month(1998, 7)),
])
def test_date_forms(raw, expected):
    assert parse("probation_on", raw) == expected


def test_a_date_cell_under_a_month_header_keeps_month_precision():
    assert parse("birth_date", datetime(1980, 5, 1), month_header=True) == PartialDate.month(1980, 5)
    # not the first of the month: the day is real
    assert parse("birth_date", datetime(1980, 5, 17), month_header=True) == PartialDate.day(1980, 5, 17)
    assert parse("birth_date", datetime(1980, 5, 1)) == PartialDate.day(1980, 5, 1)


def test_1998_point_1_typed_as_a_number_is_ambiguous():
    message = refused("probation_on", 1998.1)
    assert "歧义" in message and "1998-01" in message and "1998-10" in message


def test_1998_point_1_in_a_text_cell_is_january_but_in_csv_it_is_ambiguous():
    assert parse("probation_on", "1998.1") == PartialDate.month(1998, 1)
    assert "歧义" in refused("probation_on", "1998.1", typed=False)
    assert parse("probation_on", "1998.10", typed=False) == PartialDate.month(1998, 10)


def test_a_bare_serial_in_a_general_cell_is_refused():
    message = refused("probation_on", 35977)
    assert "35977" in message and "常规" in message
    assert "常规" in refused("probation_on", "35977", typed=False)


@pytest.mark.parametrize("raw", ["98.7.1", "98-07-01", "98年7月", "98.7"])
def test_two_digit_years_are_refused(raw):
    assert "两位" in refused("probation_on", raw)


@pytest.mark.parametrize(("raw", "word"), [("1998", "年份"), ("1998.13", "不存在"), ("1998-02-30", "不存在"),
                                           ("去年七月", "不是可识别的日期"), ("1850-01-01", "不合理")])
def test_other_bad_dates(raw, word):
    assert word in refused("probation_on", raw)


def test_a_day_column_refuses_a_month():
    assert "具体到日" in refused("entered_on", "2020.05", sheet=RESERVE_CADRES)
    assert parse("entered_on", "2020.05.06", sheet=RESERVE_CADRES) == date(2020, 5, 6)


def test_id_number_as_text_is_normalised():
    valid = make_id_number("410999", date(1980, 5, 17), 13)
    spaced = " ".join([valid[:6], valid[6:14], valid[14:]]).replace("X", "x")
    assert parse("id_number", spaced) == valid


@pytest.mark.parametrize("raw", [4.10999198005171e17, 410999198005171000, "4.10999E+17"])
def test_id_number_stored_as_a_number_is_refused(raw):
    assert refused("id_number", raw) == ID_AS_NUMBER


def test_an_old_15_digit_number_survives_as_a_number_and_is_converted_with_a_warning():
    result = parse("id_number", 410999800517123)
    assert isinstance(result, Warned)
    assert len(result.value) == 18 and result.value.startswith("41099919800517123")
    assert "15 位" in result.message


def test_a_bad_check_digit_ending_in_000_hints_at_lost_digits():
    message = refused("id_number", "410999198005171000")
    assert "校验位" in message and "000" in message


def test_names_lose_their_padding():
    assert clean_name("张  三") == "张三"
    assert clean_name(" 张\u3000三 ") == "张三"
    assert clean_name("阿依古丽 · 买买提") == "阿依古丽·买买提"
    assert clean_name("Li  Ming") == "Li Ming"
    assert parse("name", "王 建 国") == "王建国"


def test_phones_numbers_and_money():
    assert parse("phone", 13812345678.0) == "13812345678"
    assert parse("phone", "138 1234 5678") == "13812345678"
    assert "区号" in refused("phone", "1234567")
    assert parse("households_linked", "5户") == 5
    assert parse("households_linked", 3.0) == 3
    assert "整数" in refused("households_linked", "五")
    assert parse("monthly_dues", 2) == Decimal("2")
    assert parse("monthly_dues", "12.50元") == Decimal("12.50")
    assert parse("serial", "0012", sheet=SERVICE_REQUESTS) == 12


def test_remembered_answers_do_not_mix_types():
    gender = parser_for(MEMBERS.column("gender"))
    assert gender(1) is Gender.MALE
    with pytest.raises(CellError):
        gender(True)  # not the same value as 1 for a clerk
    with pytest.raises(CellError):
        gender("X")
    with pytest.raises(CellError):  # a remembered refusal is raised again
        gender("X")
