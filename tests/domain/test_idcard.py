"""身份证号: valid numbers parse and round-trip; every single-character substitution and every
adjacent transposition is caught; foreign digits, impossible dates and wrong lengths are
rejected with a clear message; 15-digit conversion; masking.

All numbers are synthetic, built with ``make_id_number``.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian_desktop.domain.enums import Gender
from dangjian_desktop.domain.errors import IdNumberError
from dangjian_desktop.domain.idcard import (
    PROVINCE_CODES, check_digit, is_valid_id_number, make_id_number, mask_id_number, normalise,
    parse_id_number,
)

TODAY = date(2026, 6, 15)
DIGITS = "0123456789"

area_codes = st.builds(
    lambda province, rest: province + rest,
    st.sampled_from(sorted(PROVINCE_CODES)),
    st.text(alphabet=DIGITS, min_size=4, max_size=4),
)
births = st.dates(min_value=date(1920, 1, 1), max_value=date(2008, 12, 31))
valid_ids = st.builds(make_id_number, area_codes, births, st.integers(0, 999))


def _rejected(value: str) -> bool:
    try:
        parse_id_number(value, today=TODAY)
    except IdNumberError:
        return True
    return False


@given(area_codes, births, st.integers(0, 999))
def test_valid_numbers_parse_with_birth_date_and_gender(area, birth, seq):
    value = make_id_number(area, birth, seq)
    parsed = parse_id_number(value, today=TODAY)
    assert parsed.value == value
    assert len(value) == 18
    assert parsed.birth_date == birth
    assert parsed.gender is (Gender.MALE if seq % 2 else Gender.FEMALE)
    assert not parsed.converted_from_15


@given(valid_ids)
def test_spaced_fullwidth_and_lowercase_forms_normalise_to_the_same_value(value):
    fullwidth = value.translate({ord(c): chr(ord(c) - ord("0") + ord("０")) for c in DIGITS})
    spaced = f" {value[:6]} {value[6:14]}\u3000{value[14:]} "
    lower = value.lower()
    for variant in (fullwidth, spaced, lower, fullwidth.lower()):
        assert normalise(variant) == value
        assert parse_id_number(variant, today=TODAY).value == value


@given(valid_ids)
def test_every_single_character_substitution_is_rejected(value):
    for pos in range(18):
        alphabet = DIGITS + "X"
        for ch in alphabet:
            if ch == value[pos]:
                continue
            wrong = value[:pos] + ch + value[pos + 1:]
            assert _rejected(wrong), f"substituting {ch!r} at position {pos} of {value} went unnoticed"


@given(valid_ids)
def test_every_adjacent_transposition_is_rejected(value):
    swaps = 0
    for pos in range(17):
        a, b = value[pos], value[pos + 1]
        if a == b:
            continue
        swapped = value[:pos] + b + a + value[pos + 2:]
        swaps += 1
        assert _rejected(swapped), f"swapping positions {pos},{pos + 1} of {value} went unnoticed"
    assert swaps > 0


def test_check_digit_error_message_tells_the_clerk_to_compare_digit_by_digit():
    value = make_id_number("410102", date(1985, 3, 9), 17)
    wrong_check = "0" if value[-1] != "0" else "1"
    with pytest.raises(IdNumberError) as exc:
        parse_id_number(value[:-1] + wrong_check, today=TODAY)
    assert exc.value.field == "id_number"
    assert "校验位" in exc.value.message


@pytest.mark.parametrize("foreign", ["٣", "३", "৩", "๓"])  # Arabic-Indic, Devanagari, Bengali, Thai
def test_digits_of_other_scripts_are_rejected(foreign):
    value = make_id_number("410102", date(1985, 3, 9), 17)
    assert foreign.isdigit()  # the trap: str.isdigit would accept it
    for pos in (0, 8, 16):
        with pytest.raises(IdNumberError) as exc:
            parse_id_number(value[:pos] + foreign + value[pos + 1:], today=TODAY)
        assert "数字" in exc.value.message


def test_a_fifteen_digit_number_of_foreign_digits_is_rejected():
    with pytest.raises(IdNumberError, match="数字"):
        parse_id_number("٣" * 15, today=TODAY)


def test_future_birth_date_is_rejected():
    value = make_id_number("410102", date(2026, 6, 16), 11)
    with pytest.raises(IdNumberError, match="晚于今天"):
        parse_id_number(value, today=TODAY)
    assert is_valid_id_number(value, today=date(2026, 6, 16))


def test_impossible_birth_date_is_rejected():
    first17 = "410102" + "19900230" + "123"
    with pytest.raises(IdNumberError, match="不存在") as exc:
        parse_id_number(first17 + check_digit(first17), today=TODAY)
    assert "19900230" in exc.value.message


def test_unknown_province_code_is_rejected():
    first17 = "991234" + "19900101" + "123"
    with pytest.raises(IdNumberError, match="地区码"):
        parse_id_number(first17 + check_digit(first17), today=TODAY)


@pytest.mark.parametrize("length", [0, 1, 14, 16, 17, 19, 20])
def test_wrong_length_is_rejected(length):
    value = (make_id_number("410102", date(1985, 3, 9), 17) * 2)[:length]
    with pytest.raises(IdNumberError) as exc:
        parse_id_number(value, today=TODAY)
    assert ("18 位" in exc.value.message) or ("不能为空" in exc.value.message)


@pytest.mark.parametrize("value, says_digits", [
    ("4101011990abc", True), ("41010119900101", False), ("4101011990010112X", False), ("410101199001011234Y", True),
    ("410101199001011234x", False), ("41010119900X01123", True),
])
def test_a_wrong_length_also_says_digits_only_when_other_characters_are_in_it(value, says_digits):
    with pytest.raises(IdNumberError) as exc:
        parse_id_number(value, today=TODAY)
    assert f"现在是 {len(value)} 位" in exc.value.message
    assert ("只能由数字组成" in exc.value.message) is says_digits, exc.value.message


def test_fifteen_digit_number_is_converted_to_eighteen():
    old = "410102" + "850309" + "017"
    parsed = parse_id_number(old, today=TODAY)
    assert parsed.converted_from_15
    assert parsed.value == make_id_number("410102", date(1985, 3, 9), 17)
    assert parsed.birth_date == date(1985, 3, 9)
    assert parsed.gender is Gender.MALE


def test_masking_keeps_first_three_and_last_four():
    assert mask_id_number("110" + "0" * 11 + "1234") == "110***********1234"
    value = make_id_number("320106", date(1970, 12, 31), 246)
    masked = mask_id_number(value)
    assert masked == value[:3] + "*" * 11 + value[-4:]
    assert len(masked) == 18
    assert mask_id_number("12345") == "*****"


_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


@given(st.text(alphabet=DIGITS, min_size=17, max_size=17))
def test_the_check_digit_is_the_weighted_sum_of_gb_11643(first17):
    assert check_digit(first17) == "10X98765432"[sum(int(d) * w for d, w in zip(first17, _WEIGHTS)) % 11]


def test_the_check_digit_of_digits_of_other_scripts_is_what_it_was():
    arabic = "٤١٠١٠٢١٩٩٠٠١٠١٠٠١"[:17]  # int() reads these; the base-13 shortcut must not
    assert check_digit(arabic) == "10X98765432"[sum(int(d) * w for d, w in zip(arabic, _WEIGHTS)) % 11]


@given(st.text(alphabet=DIGITS + "xX ａ\u3000０１Ｘｘ-٣", max_size=20))
def test_normalising_a_plain_value_takes_the_short_way_to_the_same_result(raw):
    slow = "".join(raw.translate({ord("０") + i: str(i) for i in range(10)} | {ord("Ｘ"): "X", ord("ｘ"): "X",
                                                                                 ord("x"): "X"}).split())
    assert normalise(raw) == slow
