"""Phone numbers: accepted mobile and landline forms, their canonical forms, and the Chinese
messages for what is rejected."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian_desktop.domain.errors import PhoneError
from dangjian_desktop.domain.phone import is_valid_phone, parse_phone


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        (" 138 1234 5678 ", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 13812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("19912345678", "19912345678"),
    ],
)
def test_mobile_numbers_are_canonicalised_to_eleven_digits(raw, expected):
    assert parse_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0371-12345678", "0371-12345678"),
        ("037112345678", "0371-12345678"),
        ("(0371)12345678", "0371-12345678"),
        ("（０３７１）１２３４５６７８", "0371-12345678"),
        ("0371 1234567", "0371-1234567"),
        ("010-12345678", "010-12345678"),
        ("01012345678", "010-12345678"),
        ("02187654321", "021-87654321"),
        ("0371-12345678-123", "0371-12345678-123"),
        ("0371-12345678转123", "0371-12345678-123"),
        ("037112345678-8", "0371-12345678-8"),
    ],
)
def test_landlines_are_canonicalised_with_area_code_hyphen(raw, expected):
    assert parse_phone(raw) == expected


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_empty_phone_is_allowed_unless_required(raw):
    assert parse_phone(raw) == ""
    with pytest.raises(PhoneError) as exc:
        parse_phone(raw, "requester_phone", required=True)
    assert exc.value.field == "requester_phone"
    assert "请填写" in exc.value.message


@pytest.mark.parametrize(
    ("raw", "keyword"),
    [
        ("1381234567", "11 位"),
        ("138123456789", "11 位"),
        ("12812345678", "第二位"),
        ("0371-1234", "7 或 8 位"),
        ("0371-01234567", "不以 0 开头"),
        ("037-1234567", "区号"),
        ("23456789", "缺少区号"),
        ("138abcd5678", "不能有"),
        ("0371-12345678转", "分机号"),
        ("0371-12345678转1234567", "分机号"),
        ("13812345678转1", "手机号不能带分机号"),
        ("(0371-12345678", "括号"),
        ("0371-12345678-1转2", "分机号只能写一个"),
    ],
)
def test_invalid_numbers_are_rejected_with_a_specific_message(raw, keyword):
    with pytest.raises(PhoneError) as exc:
        parse_phone(raw, "phone")
    assert exc.value.field == "phone"
    assert keyword in exc.value.message


@pytest.mark.parametrize("foreign", ["٣", "३", "৩"])
def test_digits_of_other_scripts_are_rejected(foreign):
    with pytest.raises(PhoneError) as exc:
        parse_phone("1381234567" + foreign)
    assert "半角数字" in exc.value.message
    assert foreign in exc.value.message


@given(st.sampled_from("3456789"), st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_any_mobile_round_trips(second, rest):
    number = "1" + second + rest
    assert parse_phone(number) == number
    assert parse_phone(f"{number[:3]} {number[3:7]} {number[7:]}") == number
    assert parse_phone(parse_phone(number)) == number


@given(
    st.sampled_from(["010", "021", "0371", "0755", "0991"]),
    st.sampled_from("123456789"),
    st.text(alphabet="0123456789", min_size=6, max_size=7),
)
def test_any_landline_round_trips_and_is_stable(area, first, rest):
    local = first + rest
    canonical = f"{area}-{local}"
    assert parse_phone(area + local) == canonical
    assert parse_phone(f"({area}){local}") == canonical
    assert parse_phone(canonical) == canonical


def test_is_valid_phone():
    assert is_valid_phone("0371-12345678")
    assert not is_valid_phone("12345")
