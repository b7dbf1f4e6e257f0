"""``parse_id_number``'s short way for 17 ASCII digits and a last character gives exactly what
the general way gives — the same ``IdNumber``, or the same error with the same message — kept
here as the reference, for valid numbers, every single-character change of them, other dates,
areas and check characters, and random strings of ID-like characters.

All numbers are synthetic, built with ``make_id_number``.
"""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from dangjian_desktop.domain.enums import Gender
from dangjian_desktop.domain.errors import IdNumberError
from dangjian_desktop.domain.idcard import (
    ASCII_DIGITS, PROVINCE_CODES, IdNumber, _birth_date, check_digit, make_id_number, normalise,
    parse_id_number,
)

TODAY = date(2026, 6, 15)


def reference_parse(raw: object, *, field: str = "id_number", today: date | None = None) -> IdNumber:
    """``parse_id_number``'s general way (as it was before the short way, with today's messages)."""
    today = today or date.today()
    value = normalise(raw)
    if not value:
        raise IdNumberError(field, "身份证号不能为空")
    converted = False
    if len(value) == 15:
        if not set(value) <= ASCII_DIGITS:
            raise IdNumberError(field, "15 位旧身份证号只能由数字组成")
        first17 = value[:6] + "19" + value[6:]
        value = first17 + check_digit(first17)
        converted = True
    if len(value) != 18:
        wrong = "" if set(value[:-1]) <= ASCII_DIGITS and value[-1:] in ASCII_DIGITS | {"X", "x"} else \
            "，且只能由数字组成（最后一位可以是 X）"
        raise IdNumberError(field, f"身份证号应为 18 位，现在是 {len(value)} 位{wrong}")
    first17 = value[:17]
    if not (first17.isascii() and first17.isdigit()) or not (value[17] in ASCII_DIGITS or value[17] == "X"):
        raise IdNumberError(field, "身份证号前 17 位只能是数字，最后一位是数字或 X")
    if value[:2] not in PROVINCE_CODES:
        raise IdNumberError(field, f"身份证号开头的地区码 {value[:2]} 不存在")
    birth = _birth_date(value[6:14], field)
    if birth > today:
        raise IdNumberError(field, f"身份证号中的出生日期 {birth.isoformat()} 晚于今天")
    if birth.year < 1900:
        raise IdNumberError(field, f"身份证号中的出生年份 {birth.year} 不合理")
    expected = check_digit(first17)
    if value[17] != expected:
        raise IdNumberError(field, "身份证号校验位不对，请逐位核对（可能有一位输错或两位颠倒）")
    gender = Gender.MALE if int(value[16]) % 2 else Gender.FEMALE
    return IdNumber(value, birth, gender, converted)


def outcome(parse, raw: object, today: date) -> object:  # type: ignore[no-untyped-def]
    try:
        parsed = parse(raw, field="sfz", today=today)
    except IdNumberError as exc:
        return ("error", type(exc), exc.field, exc.message)
    assert type(parsed) is IdNumber and type(parsed.gender) is Gender
    return parsed


def assert_same(raw: object, today: date = TODAY) -> None:
    assert outcome(parse_id_number, raw, today) == outcome(reference_parse, raw, today), raw


CHANGES = "0123456789Xx ａ０-\u0663"
VALID = [make_id_number(area, birth, seq) for area, birth, seq in (
    ("410102", date(1990, 5, 17), 135), ("110105", date(1900, 1, 1), 2), ("650102", date(2026, 6, 15), 7),
    ("820000", date(1996, 2, 29), 998), ("130102", date(1961, 12, 31), 10))]


def test_valid_numbers_and_every_single_character_change_of_them() -> None:
    for value in VALID:
        assert isinstance(parse_id_number(value, today=TODAY), IdNumber)
        for raw in (value, value.lower(), value[:17] + "x", value[:17] + "X", value + " ", " " + value[1:]):
            assert_same(raw)
        for i in range(18):
            for c in CHANGES:
                assert_same(value[:i] + c + value[i + 1:])


def test_impossible_future_and_too_early_birth_dates() -> None:
    for birth in ("18991231", "19000229", "20000229", "19990230", "19991301", "19990001", "00000101",
                  "20260615", "20260616", "99991231"):
        first17 = "410102" + birth + "135"
        for last in (check_digit(first17), "0", "X"):
            assert_same(first17 + last)


digits = st.one_of(  # mostly with an existing area, so that later checks are reached
    st.text(alphabet="0123456789", min_size=17, max_size=17),
    st.builds(str.__add__, st.sampled_from(sorted(PROVINCE_CODES)),
              st.text(alphabet="0123456789", min_size=15, max_size=15)),
    st.builds(lambda area, birth, seq: make_id_number(area, birth, seq)[:17], st.sampled_from(["410102", "650102"]),
              st.dates(date(1890, 1, 1), date(2030, 12, 31)), st.integers(0, 999)))


@settings(max_examples=1500)
@given(first17=digits, last=st.sampled_from(list("0123456789Xx ab")),
       today=st.dates(date(1990, 1, 1), date(2030, 12, 31)))
def test_random_digits_with_any_last_character(first17: str, last: str, today: date) -> None:
    assert_same(first17 + last, today)
    assert_same(first17 + check_digit(first17), today)


@settings(max_examples=500)
@given(st.one_of(st.text(alphabet="0123456789Xx ", max_size=20), st.integers(), st.none()))
def test_other_input(raw: object) -> None:
    assert_same(raw)
