"""身份证号 per GB 11643-1999: normalising, checking, converting old 15-digit numbers, masking.

Only ASCII digits count as digits here: ``str.isdigit`` and the regex ``\\d`` accept digits of
other scripts (Arabic-Indic, full-width…), which would slip past a naive check.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import mul
from datetime import date

from .enums import Gender
from .errors import IdNumberError

ASCII_DIGITS = frozenset("0123456789")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
# First two digits: the province-level region (GB/T 2260), plus 81/82/83 for residence permits
# of Hong Kong, Macao and Taiwan residents.
PROVINCE_CODES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
     "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
     "65", "71", "81", "82", "83"}
)
_FULLWIDTH = {ord("０") + i: str(i) for i in range(10)} | {ord("Ｘ"): "X", ord("ｘ"): "X", ord("x"): "X"}


@dataclass(frozen=True, slots=True)
class IdNumber:
    """A checked 18-character 身份证号 and what it says about its holder."""

    value: str
    birth_date: date
    gender: Gender
    converted_from_15: bool = False

    def __str__(self) -> str:
        return self.value


def check_digit(first17: str) -> str:
    """The GB 11643 mod-11 check character for the first 17 digits."""
    if len(first17) != len(_WEIGHTS):
        raise ValueError(f"the check digit needs 17 digits, got {len(first17)}")
    if first17.isascii() and first17.isdigit():
        return _check_of_ascii_digits(first17)
    return _CHECK_CHARS[sum(map(mul, map(int, first17), _WEIGHTS)) % 11]


def _check_of_ascii_digits(first17: str) -> str:
    # The weights are 2**(17-i) mod 11 and 13 ≡ 2 (mod 11): read as a base-13 number, the
    # digits give the weighted sum in one C call (this runs for every ID of every import).
    return _CHECK_CHARS[2 * int(first17, 13) % 11]


def normalise(raw: object) -> str:
    """Drop spaces (also full-width and inner ones), turn full-width digits into ASCII, x → X."""
    if type(raw) is str and raw.isascii() and raw.isalnum():  # the usual case: nothing to drop
        return raw.replace("x", "X")
    text = "" if raw is None else str(raw)
    text = text.translate(_FULLWIDTH)
    return "".join(text.split())


def _birth_date(yyyymmdd: str, field: str) -> date:
    try:
        return date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        raise IdNumberError(field, f"身份证号中的出生日期 {yyyymmdd} 不存在") from None


def parse_id_number(raw: object, *, field: str = "id_number", today: date | None = None) -> IdNumber:
    """Check a 身份证号 and return it normalised; raise ``IdNumberError`` saying what is wrong.

    A 15-digit number (issued before 1999) is converted to 18 digits; ``converted_from_15``
    tells the caller to warn the clerk.
    """
    today = today or date.today()
    if type(raw) is str and len(raw) == 18 and raw.isascii() and raw[:17].isdigit():
        parsed = _plain_18(raw, today)
        if parsed is not None:
            return parsed
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


def _plain_18(value: str, today: date) -> IdNumber | None:
    """``parse_id_number`` of 17 ASCII digits and a last character, when every check passes;
    ``None`` for anything it would refuse (it then finds the reason). The form most numbers
    arrive in, checked with fewer steps: a roster import checks each of thousands twice."""
    last = value[17]
    if last == "x":
        value, last = value[:17] + "X", "X"
    elif last not in _LAST_CHARS:
        return None
    if value[:2] not in PROVINCE_CODES:
        return None
    year, month_day = divmod(int(value[6:14]), 10000)
    try:
        birth = date(year, *divmod(month_day, 100))
    except ValueError:
        return None
    if birth > today or year < 1900 or last != _check_of_ascii_digits(value[:17]):
        return None
    return IdNumber(value, birth, Gender.MALE if value[16] in "13579" else Gender.FEMALE)


_LAST_CHARS = frozenset("0123456789X")


def is_valid_id_number(raw: object, today: date | None = None) -> bool:
    try:
        parse_id_number(raw, today=today)
    except IdNumberError:
        return False
    return True


def make_id_number(area6: str, birth: date, seq3: int) -> str:
    """Build a checksum-valid number (synthetic people for demos and tests)."""
    first17 = f"{area6}{birth:%Y%m%d}{seq3:03d}"
    return first17 + check_digit(first17)


def mask_id_number(value: str) -> str:
    """110***********1234: the first three and last four characters stay readable."""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
