"""Values ⇄ package cells, one codec per column ``Kind``.

Every value passes through a *canonical* form: plain ``str``/``int``/``None`` equal to what the
database stores (ISO dates ``1998-07``/``1998-07-01``, UTC timestamps ``YYYY-MM-DDTHH:MM:SS``,
decimals as plain digits without trailing zeros, booleans 0/1, enums by their Chinese value).
The package checksum is computed over canonical values, so writer and reader agree on it
without comparing floats or formats. Per kind a codec offers:

* ``canon(value)``  — a domain value *or* a stored value → canonical (writer side);
* ``encode(canon)`` — canonical → ``(tag, value)`` for the writer: ``"s"`` text, ``"n"`` number,
  ``"d"`` a date serial number shown with a date format, or ``None`` for an empty cell;
* ``decode(cell)``  — a cell as python-calamine returns it → canonical, or ``CellError``;
* ``typed(canon)``  — canonical → the domain value (``date``, ``PartialDate``, ``Decimal``, …).

Text is *sanitized* on the way in: control characters Excel cannot store are removed and
``\\r\\n``/``\\r`` become ``\\n``; the canonical value (and so the checksum) is the sanitized one,
which is exactly what the file holds. Dates are Excel date cells; a month-precision date is
the text ``1998-07`` (a date cell would invent a day); dates before 1900-03-01 are ISO text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from ..domain.dates import PartialDate
from .columns import Column, Kind
from .package_spec import MAX_CELL_TEXT


class CellError(ValueError):
    """A cell holds something this column cannot hold; ``message`` is Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_BAD_TEXT = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")
_REMOVE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISO_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")
_STAMP = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2})Z")
_EXCEL_EPOCH = date(1899, 12, 30).toordinal()
_FIRST_SAFE_DAY = "1900-03-01"  # Excel's 1900 leap-year bug makes earlier serials ambiguous
YES, NO = "是", "否"


def sanitize_text(text: str) -> str:
    """``text`` without characters an .xlsx cell cannot keep; the same object if it had none."""
    if _BAD_TEXT.search(text) is None:
        return text
    return _REMOVE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def decimal_text(value: Decimal | int | float | str) -> str:
    """A decimal's canonical text: plain digits, no exponent, no trailing zeros."""
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    if not d.is_finite():
        raise CellError(f"“{value}”不是有效的数值")
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _significant_digits(text: str) -> int:
    return len(text.replace("-", "").replace(".", "").lstrip("0"))


def _day_serial(iso: str) -> int:
    return date.fromisoformat(iso).toordinal() - _EXCEL_EPOCH


def _check_day(text: str) -> str:
    try:
        date.fromisoformat(text)
    except ValueError:
        raise CellError(f"日期“{text}”不存在") from None
    return text


# -- canonical forms (writer side: domain or stored values) ---------------------------------
def _canon_text(v: Any) -> str:
    return "" if v is None else sanitize_text(v if isinstance(v, str) else str(v))


def _canon_opt_str(v: Any) -> str | None:
    return None if v is None or v == "" else str(v)


def _canon_int(v: Any) -> int | None:
    return None if v is None or v == "" else int(v)


def _canon_decimal(v: Any) -> str | None:
    return None if v is None or v == "" else decimal_text(v)


def _canon_bool(v: Any) -> int:
    return 1 if v else 0


def _canon_opt_bool(v: Any) -> int | None:
    return None if v is None else (1 if v else 0)


def _canon_date(v: Any) -> str | None:
    if v is None or v == "":
        return None
    if isinstance(v, PartialDate):
        return v.iso()
    return v.isoformat() if isinstance(v, date) else str(v)


def _canon_stamp(v: Any) -> str | None:
    if v is None or v == "":
        return None
    if isinstance(v, datetime):
        if v.tzinfo is not None:
            v = v.astimezone(UTC).replace(tzinfo=None)
        return v.isoformat(timespec="seconds")
    return str(v)


# -- encoders (canonical → what the writer puts in the cell) --------------------------------
Encoded = tuple[str, Any] | None


def excel_length(text: str) -> int:
    """A text's length as Excel counts it (UTF-16 units: a rare character or an emoji is two)."""
    return len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2


def _enc_text(c: str | None) -> Encoded:
    if not c:
        return None
    # Excel (and xlsxwriter, which silently cuts) count UTF-16 units, not characters.
    if len(c) > MAX_CELL_TEXT // 2 and excel_length(c) > MAX_CELL_TEXT:
        extra = "" if len(c) == excel_length(c) else f"（生僻字、表情符号各算两个，共 {excel_length(c):,} 个）"
        raise CellError(f"内容有 {len(c):,} 个字{extra}，超过 Excel 单元格的上限 {MAX_CELL_TEXT:,} 字")
    return ("s", c)


def _enc_number(c: Any) -> Encoded:
    if c is None:
        return None
    if abs(c) < 10**15:
        return ("n", c)
    return ("s", str(c))


def _enc_decimal(c: str | None) -> Encoded:
    if c is None:
        return None
    return ("n", float(c)) if _significant_digits(c) <= 15 else ("s", c)


def _enc_bool(c: int | None) -> Encoded:
    return None if c is None else ("s", YES if c else NO)


def _enc_date(c: str | None) -> Encoded:
    if c is None:
        return None
    if len(c) == 10 and c >= _FIRST_SAFE_DAY:
        return ("d", _day_serial(c))
    return ("s", c)


def _enc_stamp(c: str | None) -> Encoded:
    return None if c is None else ("s", c + "Z")


# -- decoders (a python-calamine cell → canonical) ------------------------------------------
def _expect_text(cell: Any, what: str = "文字") -> str:
    if isinstance(cell, str):
        return cell
    raise CellError(f"应为{what}，却是“{cell}”")


def _dec_text(cell: Any) -> str:
    return cell if type(cell) is str else _expect_text(cell)


def _dec_id_number(cell: Any) -> str:
    if isinstance(cell, (int, float)):
        raise CellError(f"身份证号被存成了数字（{cell}），后几位已丢失")
    return _expect_text(cell)


def _dec_opt_str(cell: Any) -> str | None:
    return _expect_text(cell) or None


def _dec_uuid(cell: Any) -> str | None:
    text = _expect_text(cell, "记录ID")
    if not text:
        return None
    if len(text) > 36 or text != text.strip() or " " in text:
        raise CellError(f"“{text}”不是有效的记录ID")
    return text


def _dec_int(cell: Any) -> int | None:
    if cell == "" or cell is None:
        return None
    if isinstance(cell, bool):
        raise CellError(f"应为整数，却是“{cell}”")
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    if isinstance(cell, str) and re.fullmatch(r"-?[0-9]+", cell):
        return int(cell)
    raise CellError(f"应为整数，却是“{cell}”")


def _dec_decimal(cell: Any) -> str | None:
    if cell == "" or cell is None:
        return None
    if isinstance(cell, bool):
        raise CellError(f"应为数值，却是“{cell}”")
    if isinstance(cell, float):
        return decimal_text(repr(cell))
    if isinstance(cell, (int, str)):
        try:
            return decimal_text(cell)
        except InvalidOperation:
            pass
    raise CellError(f"应为数值，却是“{cell}”")


def _dec_bool(cell: Any) -> int:
    if cell == YES:
        return 1
    if cell == NO:
        return 0
    raise CellError(f"应为“是”或“否”，却是“{cell}”")


def _dec_opt_bool(cell: Any) -> int | None:
    return None if cell == "" else _dec_bool(cell)


def _dec_day(cell: Any) -> str | None:
    if isinstance(cell, datetime):
        if cell.time() != datetime.min.time():
            raise CellError(f"应为日期，却带有时刻“{cell}”")
        cell = cell.date()
    if isinstance(cell, date):
        text = cell.isoformat()
        if text < _FIRST_SAFE_DAY:  # the writer puts these as text: a date cell this early was made elsewhere
            raise CellError(f"日期单元格“{text}”早于 {_FIRST_SAFE_DAY}（Excel 在这之前的日期有误，"
                            "会把不存在的 1900-02-29 当作一天）")
        return text
    text = _expect_text(cell, "日期")
    if not text:
        return None
    if _ISO_DAY.fullmatch(text):
        return _check_day(text)
    raise CellError(f"日期“{text}”格式不对，应为 YYYY-MM-DD")


def _dec_partial(cell: Any) -> str | None:
    if isinstance(cell, str) and len(cell) == 7:
        if _ISO_MONTH.fullmatch(cell) and 1 <= int(cell[5:]) <= 12:
            return cell
        raise CellError(f"日期“{cell}”格式不对，应为 YYYY-MM 或 YYYY-MM-DD")
    return _dec_day(cell)


def _dec_stamp(cell: Any) -> str | None:
    text = _expect_text(cell, "时间")
    if not text:
        return None
    if len(text) != 20 or _STAMP.fullmatch(text) is None:
        raise CellError(f"时间“{text}”格式不对，应为 YYYY-MM-DDTHH:MM:SSZ")
    stamp = text[:19]
    try:
        datetime.fromisoformat(stamp)
    except ValueError:
        raise CellError(f"时间“{text}”不存在") from None
    return stamp


# -- whole columns ----------------------------------------------------------------------------
_PLAIN_TEXT = frozenset({Kind.TEXT, Kind.PHONE, Kind.ID_NUMBER})  # a str cell is already canonical
_OPTIONAL_TEXT = frozenset({Kind.UUID, Kind.ENUM})  # a str cell is canonical; "" is None
_NUMBER_TYPES = frozenset({int, float, bool})
_DATES = frozenset({Kind.DATE, Kind.PARTIAL_DATE})
_WHITESPACE = re.compile(r"\s")


def decode_column(kind: Kind, decode: Callable[[Any], Any], cells: Sequence[Any]) -> tuple[Sequence[Any], Sequence[str]]:
    """``decode`` applied to every cell of a column of ``kind``, and the text of each result for
    the checksum (``None`` → ""); ``CellError`` if a cell cannot be decoded. Exactly the cell by
    cell result, in bulk: a column of strings of a text kind is canonical as it is (an optional
    one needs its empty cells made ``None``; a record ID also no blank and at most 36
    characters, checked over the whole column at once), and any other column decodes each
    distinct cell once — unless equal cells could decode differently (1, 1.0 and True are
    equal in Python, and so are 0.0 and -0.0)."""
    types = set(map(type, cells))
    if types <= {str}:
        if kind in _PLAIN_TEXT:
            return cells, cells
        if kind in _OPTIONAL_TEXT and (kind is Kind.ENUM or (
                max(map(len, cells), default=0) <= 36 and not _WHITESPACE.search("".join(cells)))):
            return [c or None for c in cells], cells
    if kind in _DATES and types <= {date, str}:
        # Date cells are the bulk of a date column and all distinct: only their day is checked.
        days = [c for c in cells if type(c) is date]
        if not days or min(days).isoformat() >= _FIRST_SAFE_DAY:
            iso = date.isoformat
            values = [iso(c) if type(c) is date else decode(c) for c in cells]
            return values, ["" if v is None else v for v in values]
    try:
        distinct = dict.fromkeys(cells)
    except TypeError:  # an unhashable cell: no reader returns one
        distinct = None
    if distinct is not None and 2 * len(distinct) <= len(cells) and len(types & _NUMBER_TYPES) <= 1 \
            and not (float in types and 0.0 in distinct):
        table = {c: decode(c) for c in distinct}
        texts = {c: "" if v is None else str(v) for c, v in table.items()}
        return list(map(table.__getitem__, cells)), list(map(texts.__getitem__, cells))
    values = list(map(decode, cells))
    return values, ["" if v is None else str(v) for v in values]


# -- typed values (canonical → domain) -------------------------------------------------------
def _typed_enum(enum: type[StrEnum]) -> Callable[[Any], Any]:
    def conv(c: str | None) -> Any:
        if c is None:
            return None
        try:
            return enum(c)
        except ValueError:
            return c  # kept as read, as the database does, so that validation reports it
    return conv


def _identity(c: Any) -> Any:
    return c


def _opt(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda c: None if c is None else fn(c)


@dataclass(frozen=True)
class Codec:
    canon: Callable[[Any], Any]
    encode: Callable[[Any], Encoded]
    decode: Callable[[Any], Any]
    typed: Callable[[Any], Any]


_CODECS: dict[Kind, Codec] = {
    Kind.TEXT: Codec(_canon_text, _enc_text, _dec_text, _identity),
    Kind.PHONE: Codec(_canon_text, _enc_text, _dec_text, _identity),
    Kind.ID_NUMBER: Codec(_canon_text, _enc_text, _dec_id_number, _identity),
    Kind.UUID: Codec(_canon_opt_str, _enc_text, _dec_uuid, _identity),
    Kind.ENUM: Codec(_canon_opt_str, _enc_text, _dec_opt_str, _identity),
    Kind.INT: Codec(_canon_int, _enc_number, _dec_int, _identity),
    Kind.DECIMAL: Codec(_canon_decimal, _enc_decimal, _dec_decimal, _opt(Decimal)),
    Kind.BOOL: Codec(_canon_bool, _enc_bool, _dec_bool, bool),
    Kind.OPT_BOOL: Codec(_canon_opt_bool, _enc_bool, _dec_opt_bool, _opt(bool)),
    Kind.DATE: Codec(_canon_date, _enc_date, _dec_day, _opt(date.fromisoformat)),
    Kind.PARTIAL_DATE: Codec(_canon_date, _enc_date, _dec_partial, _opt(PartialDate.parse_iso)),
    Kind.TIMESTAMP: Codec(_canon_stamp, _enc_stamp, _dec_stamp,
                          _opt(lambda c: datetime.fromisoformat(c).replace(tzinfo=UTC))),
}


def codec(column: Column) -> Codec:
    """The codec of ``column``; an enum column's ``typed`` gives its enum member."""
    base = _CODECS[column.kind]
    if column.kind is Kind.ENUM and column.enum is not None:
        return Codec(base.canon, base.encode, base.decode, _typed_enum(column.enum))
    return base
