"""Phone numbers of members, reserve cadres and requesters: reading what a clerk typed,
checking it, and giving it one canonical form for storage.

Accepted forms (spaces anywhere are ignored, full-width digits and punctuation are read as
their ASCII forms):

* a mainland mobile number: 11 digits, ``1`` then ``3``–``9``, e.g. ``13812345678``; it may be
  written in groups (``138 1234 5678``, ``138-1234-5678``) and with a ``+86``/``86``/``0086``
  prefix.  Canonical form: the 11 digits.
* a landline with its area code: ``0371-12345678``, ``037112345678``, ``(0371)12345678``,
  ``010-1234567``.  Area codes ``010`` and ``020``–``029`` have three digits, every other one
  four (``0371``); this is what lets ``037112345678`` be split without a hyphen.  The local
  number has 7 or 8 digits and does not start with 0.  An extension of 1–6 digits may follow
  as ``-123`` or ``转123``.  Canonical form: ``0371-12345678`` or ``0371-12345678-123``.

Only the ASCII digits 0–9 count as digits: the regex ``\\d`` and ``str.isdigit`` also accept
digits of other scripts, which could never be dialled.
"""

from __future__ import annotations

import re
import unicodedata

from .errors import PhoneError

_FULLWIDTH = {ord("０") + i: str(i) for i in range(10)} | {
    ord("－"): "-", ord("—"): "-", ord("–"): "-", ord("‐"): "-",
    ord("（"): "(", ord("）"): ")", ord("＋"): "+",
}
_ALLOWED = frozenset("0123456789-()+转")
_MOBILE = re.compile(r"(?:\+86|0086|86)?(1[3-9][0-9]{9})")
_AREA = re.compile(r"0[12][0-9]|0[3-9][0-9]{2}")
_LOCAL = re.compile(r"([1-9][0-9]{6,7})(?:-([0-9]{1,6}))?")
_EXTENSION = re.compile(r"[0-9]{1,6}")

_FORMS_HINT = "手机号为 11 位数字（如 13812345678），固定电话要带区号（如 0371-12345678）"


def parse_phone(raw: object, field: str = "phone", *, required: bool = False) -> str:
    """Return the canonical form of a phone number, or ``""`` for an empty optional one.

    Raise ``PhoneError`` (with ``field``) saying what is wrong and what a right number looks
    like; an empty value with ``required=True`` is a ``PhoneError`` too.
    """
    text = _clean(raw)
    if not text:
        if required:
            raise PhoneError(field, f"请填写电话号码：{_FORMS_HINT}")
        return ""
    _check_characters(text, field)
    if "转" in text:
        main, ext = _split_extension(text, field)
        landline = _parse_landline(main, field)
        if landline.count("-") > 1:
            raise PhoneError(field, "分机号只能写一个，请删去“-”或“转”后面多余的数字")
        return f"{landline}-{ext}"
    compact = text.replace("-", "")
    if compact.startswith(("1", "+", "86")) and "(" not in compact:
        return _parse_mobile(compact, field)
    if compact.startswith(("0", "(")):
        return _parse_landline(text, field)
    if re.fullmatch(r"[1-9][0-9]{6,7}", compact):
        raise PhoneError(field, f"固定电话“{text}”缺少区号，请在前面加上区号，如 0371-{compact}")
    raise PhoneError(field, f"电话号码“{text}”格式不对：{_FORMS_HINT}")


def is_valid_phone(raw: object) -> bool:
    try:
        parse_phone(raw)
    except PhoneError:
        return False
    return True


def _clean(raw: object) -> str:
    text = "" if raw is None else str(raw)
    return "".join(text.translate(_FULLWIDTH).split())


def _check_characters(text: str, field: str) -> None:
    for ch in text:
        if ch in _ALLOWED:
            continue
        if unicodedata.category(ch) == "Nd":
            raise PhoneError(
                field, f"电话号码中的“{ch}”不是半角数字 0-9，请删去后用半角数字 0-9 重新输入"
            )
        raise PhoneError(
            field, f"电话号码中不能有“{ch}”，只能填写数字，固定电话的区号后可加“-”；{_FORMS_HINT}"
        )


def _split_extension(text: str, field: str) -> tuple[str, str]:
    main, _, ext = text.partition("转")
    if not _EXTENSION.fullmatch(ext):
        raise PhoneError(field, f"分机号“{ext}”不对：“转”后面应是 1 到 6 位数字，如 0371-12345678转123")
    if _MOBILE.fullmatch(main.replace("-", "")):
        raise PhoneError(field, "手机号不能带分机号，请删去“转”及后面的数字")
    return main, ext


def _parse_mobile(compact: str, field: str) -> str:
    if m := _MOBILE.fullmatch(compact):
        return m[1]
    digits = compact.removeprefix("+")
    if len(digits) == 11 and digits.startswith("1"):
        raise PhoneError(field, f"手机号“{digits}”的第二位应是 3 到 9，请核对")
    if "+" in digits:
        raise PhoneError(field, "“+”只能写在国家代码 +86 前面，请删去多余的“+”")
    raise PhoneError(
        field, f"手机号应为 11 位数字，现在是 {len(digits)} 位，请核对；{_FORMS_HINT}"
    )


def _parse_landline(text: str, field: str) -> str:
    area, rest = _split_area(text, field)
    if not _AREA.fullmatch(area):
        raise PhoneError(
            field, f"区号“{area}”不对：区号以 0 开头，010、020–029 为 3 位，其余为 4 位（如 0371）"
        )
    m = _LOCAL.fullmatch(rest)
    if not m:
        raise PhoneError(
            field, f"固定电话号码“{rest}”不对：区号后应是 7 或 8 位号码（不以 0 开头），如 0371-12345678"
        )
    return f"{area}-{m[1]}" + (f"-{m[2]}" if m[2] else "")


def _split_area(text: str, field: str) -> tuple[str, str]:
    """Cut the area code off: ``(0371)…``, ``0371-…`` or ``037112345678`` by the code length rule."""
    if text.startswith("("):
        area, sep, rest = text[1:].partition(")")
        if not sep:
            raise PhoneError(field, "区号的括号没有配对，请写成 (0371)12345678 或 0371-12345678")
        return area, rest.removeprefix("-")
    if "(" in text or ")" in text:
        raise PhoneError(field, "括号只能用来括住区号，如 (0371)12345678")
    head, sep, rest = text.partition("-")
    if sep and len(head) <= 4:
        return head, rest
    length = 3 if text[:2] in ("01", "02") else 4
    return text[:length], text[length:]


def mask_phone(value: str) -> str:
    """13812345678 → 138****5678; 0371-6512345 → 0371-***2345; anything else keeps its last 4."""
    digits = re.sub(r"[^0-9]", "", value)
    if len(digits) <= 4:
        return "*" * len(value)
    if len(digits) == 11 and digits.startswith("1"):
        return digits[:3] + "****" + digits[-4:]
    if "-" in value and value.startswith("0"):
        area, _sep, rest = value.partition("-")
        return area + "-" + "*" * max(0, len(rest) - 4) + rest[-4:]
    return "*" * (len(value) - 4) + value[-4:]
