"""Reading the values people type into rosters: lenient where the meaning is certain, strict
where it is not.

``parser_for(column, typed=…, month_header=…)`` returns a function that turns one cell into the
domain value of that column, or raises ``CellError`` with a Chinese reason. Code synonyms
(男/1, 汉/汉族, 大专/专科/大学专科, 是/√/空 …) are accepted; dates are read from real date cells,
``1998-07-01``, ``1998.07``, ``1998.7.1``, ``1998年7月``, ``19980701`` and ``199807``, keeping
month precision where only the month is given. Ambiguous values are refused, never guessed:
``1998.1`` stored as a number (January or October?), a bare serial number in a general-format
cell, a two-digit year, and a 身份证号 stored as a number (Excel has already dropped its last
digits). ``typed=False`` is for CSV, whose cells carry no type: there ``1998.1`` is ambiguous too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from ..domain import enums as E
from ..domain.dates import PartialDate, Precision
from ..domain.errors import IdNumberError, PhoneError
from ..domain.idcard import parse_id_number
from ..domain.phone import parse_phone
from .cells import sanitize_text
from .columns import Column, Kind
from .roster_codes import BOOL_WORDS, ENUM_SYNONYMS, synonyms


class CellError(Exception):
    """A cell's value cannot be taken; ``message`` says why and what to write instead."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Warned:
    """A value that was taken, with a note the clerk should read (e.g. a converted old ID)."""

    __slots__ = ("value", "message")

    def __init__(self, value: object, message: str) -> None:
        self.value = value
        self.message = message


Parser = Callable[[object], object]

_FULLWIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)},
                            "．": ".", "－": "-", "／": "/", "，": ",", "Ｘ": "X", "ｘ": "x"})
_CJK = r"\u3400-\u9fff\uf900-\ufaff·"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
NAME_FIELDS = frozenset({"name", "requester", "mentor", "clerk_a", "clerk_b"})


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def number_text(value: float | int) -> str:
    """A number as a clerk reads it: ``12`` rather than ``12.0``."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def cell_text(value: object) -> str:
    """How a cell's value reads, for samples, messages and the error workbook."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return number_text(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def clean_text(value: object) -> str:
    """Trim, join the lines of a cell and collapse runs of spaces (also full-width ones)."""
    return " ".join((value if type(value) is str else cell_text(value)).split())


def clean_name(value: object) -> str:
    """A person's name: ``张  三`` and ``张 三`` become ``张三``; ``Li  Ming`` becomes ``Li Ming``."""
    text = clean_text(value)
    return _CJK_GAP.sub("", text) if " " in text else text


def _key(value: object) -> str:
    return "".join(cell_text(value).translate(_FULLWIDTH).split()).upper()


def _enum_parser(column: Column) -> Parser:
    assert column.enum is not None
    table = ENUM_SYNONYMS.get(column.enum) or synonyms(column.enum, {})
    allowed = "、".join(m.value for m in column.enum)

    def parse(value: object) -> object:
        if is_blank(value):
            return None
        member = table.get(_key(value))
        if member is None:
            raise CellError(f"“{clean_text(value)}”不是可选的值，应为：{allowed}")
        return member
    return parse


def _bool_parser(optional: bool) -> Parser:
    def parse(value: object) -> object:
        if is_blank(value):
            return None if optional else False
        if isinstance(value, bool):
            return value
        found = BOOL_WORDS.get(_key(value))
        if found is None:
            raise CellError(f"“{clean_text(value)}”应为“是”或“否”（也可写 √ 或留空表示否）")
        return found
    return parse


# ---------------------------------------------------------------- dates

_Y = r"(\d{4})"
_DAY_TEXT = re.compile(_Y + r"\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")
_MONTH_TEXT = re.compile(_Y + r"\s*[-./年]\s*(\d{1,2})\s*月?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})?")
_TWO_DIGIT_YEAR = re.compile(r"(\d{2})\s*[-./年]\s*\d{1,2}(?:\s*[-./月]\s*\d{1,2}\s*日?)?\s*月?")
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")
_YEAR_ONLY = re.compile(r"\d{4}\s*年?")
_AMBIGUOUS_MONTH = re.compile(r"(\d{4})\.1")
EXCEL_FIRST_SAFE_DAY = date(1900, 3, 1)  # Excel counts a 1900-02-29 that never was


def _make_date(y: int, m: int, d: int | None, text: str) -> PartialDate:
    if not 1900 <= y <= 2100:
        raise CellError(f"“{text}”的年份 {y} 不合理，请核对")
    try:
        return PartialDate(date(y, m, d or 1), Precision.DAY if d else Precision.MONTH)
    except ValueError:
        raise CellError(f"日期“{text}”不存在，请检查年、月、日") from None


def _date_from_number(value: float | int) -> PartialDate:
    text = number_text(value)
    if isinstance(value, float) and not value.is_integer():
        whole, _, frac = repr(value).partition(".")
        if len(whole) == 4 and len(frac) <= 2:
            if frac == "1":
                raise CellError(f"“{text}”有歧义：可能是 {whole} 年 1 月，也可能是 10 月（Excel 把 {whole}.10 存成了 "
                                f"{whole}.1）；请把该列设为文本后写成 {whole}-01 或 {whole}-10")
            return _make_date(int(whole), int(frac), None, text)
    elif _COMPACT.fullmatch(text):
        m = _COMPACT.fullmatch(text)
        assert m is not None
        return _make_date(int(m[1]), int(m[2]), int(m[3]) if m[3] else None, text)
    if _SERIAL.fullmatch(text):
        raise CellError(f"“{text}”是一个数字而不是日期（可能是日期单元格被设成了“常规”格式）；"
                        "请把单元格格式设为日期，或写成 1998-07-01 这样的形式")
    if _YEAR_ONLY.fullmatch(text):
        raise CellError(f"“{text}”只有年份，请写到月或日，如 {text}-07")
    raise CellError(f"“{text}”不是日期，请写成 1998-07-01 或 1998-07 这样的形式")


def _date_from_text(text: str, typed: bool) -> PartialDate:
    s = text.translate(_FULLWIDTH).strip()
    if m := _DAY_TEXT.fullmatch(s):
        return _make_date(int(m[1]), int(m[2]), int(m[3]), text)
    if not typed and _AMBIGUOUS_MONTH.fullmatch(s):
        y = s[:4]
        raise CellError(f"“{text}”有歧义：可能是 {y} 年 1 月，也可能是 10 月；请写成 {y}-01 或 {y}-10")
    if m := _MONTH_TEXT.fullmatch(s):
        return _make_date(int(m[1]), int(m[2]), None, text)
    if m := _COMPACT.fullmatch(s):
        return _make_date(int(m[1]), int(m[2]), int(m[3]) if m[3] else None, text)
    if _TWO_DIGIT_YEAR.fullmatch(s):
        raise CellError(f"“{text}”的年份只有两位，无法确定是哪个世纪；请写出四位年份，如 1998-07-01")
    if _SERIAL.fullmatch(s) or _YEAR_ONLY.fullmatch(s):
        return _date_from_number(float(s) if "." in s else int(s.rstrip("年 ")))
    raise CellError(f"“{text}”不是可识别的日期，请写成 1998-07-01、1998-07 或 1998年7月 这样的形式")


def _date_parser(day_only: bool, typed: bool, month_header: bool) -> Parser:
    def parse(value: object) -> object:
        if is_blank(value):
            return None
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            if value < EXCEL_FIRST_SAFE_DAY:
                raise CellError(f"日期单元格“{value.isoformat()}”早于 1900-03-01：Excel 把并不存在的 1900-02-29 "
                                "也算作一天，这之前的日期单元格不可靠；请核对，确是这一天的请写成文字（如 1900-02-28）")
            # A date cell under a 年月 header (出生年月) stands for its month when it is the 1st.
            result = PartialDate(value, Precision.MONTH if month_header and value.day == 1 else Precision.DAY)
        elif isinstance(value, bool):
            raise CellError(f"“{cell_text(value)}”不是日期")
        elif isinstance(value, (int, float)):
            result = _date_from_number(value)
        else:
            result = _date_from_text(str(value), typed)
        if day_only:
            if result.precision is Precision.MONTH:
                raise CellError(f"“{cell_text(value)}”只写到了月，这一列需要具体到日，如 {result.iso()}-01")
            return result.value
        return result
    return parse


# ---------------------------------------------------------------- numbers, IDs, phones, text

_INT_TEXT = re.compile(r"([0-9][0-9,]*)\s*[年人户次个名元]?")
_DEC_TEXT = re.compile(r"([0-9][0-9,]*(?:\.[0-9]+)?)\s*(?:元|万元|平方米|㎡|m2)?")
_SCI = re.compile(r"[0-9](?:\.[0-9]+)?[eE]\+?[0-9]+")
ID_AS_NUMBER = ("身份证号被存成了数字，Excel 已丢掉了最后几位，无法恢复；"
                "请把这一列的单元格格式设为“文本”，再按证件重新录入")


def _int_parser(value: object) -> object:
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    m = _INT_TEXT.fullmatch(clean_text(value).translate(_FULLWIDTH).replace(" ", ""))
    if m is None:
        raise CellError(f"“{cell_text(value)}”应为整数")
    return int(m[1].replace(",", ""))


def _decimal_parser(value: object) -> object:
    if is_blank(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(number_text(value))
    m = _DEC_TEXT.fullmatch(clean_text(value).translate(_FULLWIDTH).replace(" ", ""))
    if m is None:
        raise CellError(f"“{cell_text(value)}”应为数字")
    try:
        return Decimal(m[1].replace(",", ""))
    except InvalidOperation:
        raise CellError(f"“{cell_text(value)}”应为数字") from None


def _id_parser(today: date | None) -> Parser:
    def parse(value: object) -> object:
        if is_blank(value):
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if not (float(value).is_integer() and 10**14 <= value < 10**15):
                raise CellError(ID_AS_NUMBER)
            value = str(int(value))  # a 15-digit old number fits a double exactly
        text = clean_text(value)
        if _SCI.fullmatch(text):
            raise CellError(ID_AS_NUMBER)
        try:
            parsed = parse_id_number(text, today=today)
        except IdNumberError as exc:
            hint = ""
            if text.endswith("000") and "校验位" in exc.message:
                hint = "；末尾是 000，可能曾被存成数字而丢了最后几位，请按证件重新录入"
            raise CellError(f"“{text}”：{exc.message}{hint}") from None
        if parsed.converted_from_15:
            return Warned(parsed.value, f"15 位旧身份证号“{text}”已转换为 18 位 {parsed.value}，请与本人证件核对")
        return parsed.value
    return parse


_MOBILE = re.compile(r"1[3-9][0-9]{9}")


def _phone_parser(value: object) -> object:
    if type(value) is str and _MOBILE.fullmatch(value):
        return value  # the usual case, already canonical
    if is_blank(value):
        return ""
    text = number_text(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else clean_text(value)
    try:
        return parse_phone(text)
    except PhoneError as exc:
        raise CellError(exc.message) from None


def _ethnicity(value: object) -> object:
    text = clean_text(value).replace(" ", "")
    if text and text not in E.ETHNICITIES and f"{text}族" in E.ETHNICITIES:
        return f"{text}族"
    return text or None


FORMULA_TEXT = "内容以“=”开头，像是公式（或有人想借表格执行命令），已按文字原样读入，本程序导出时也只作文字；如不应如此，请在文件中改正"
CONTROL_TEXT = "含有看不见的控制字符（Excel 单元格存不下），已去掉后读入；请核对内容"


def _text_checked(parse: Parser) -> Parser:
    """``parse`` behind two checks: control characters are removed (what an export would do
    anyway), and a text that reads like a formula (``=cmd|…``, ``=HYPERLINK(…)``) is kept as
    text with a warning."""
    def checked(value: object) -> object:
        cleaned = sanitize_text(value) if type(value) is str else value  # the package writer's rule
        # (a line end written \r\n or \r is only normalised: no warning for that)
        bad = cleaned is not value and cleaned != value.replace("\r\n", "\n").replace("\r", "\n")  # type: ignore[union-attr]
        text = parse(cleaned)
        if type(text) is str and text[:1] == "=":
            return Warned(text, FORMULA_TEXT)
        return Warned(text, CONTROL_TEXT) if bad else text
    return checked


def _text_parser(field: str) -> Parser:
    if field in NAME_FIELDS:
        return _text_checked(clean_name)
    if field == "ethnicity":
        return _ethnicity
    return _text_checked(clean_text)


def _uuid_text(value: object) -> object:
    return clean_text(value) or None


def parser_for(column: Column, *, typed: bool = True, month_header: bool = False,
               today: date | None = None) -> Parser:
    """The function that reads one cell of ``column`` (``typed``: the file keeps cell types).

    It keeps no cache: the reader calls it once for each distinct value of a column
    (``roster_reader.read_sheet``)."""
    kind = column.kind
    if kind is Kind.ENUM:
        return _enum_parser(column)
    if kind in (Kind.BOOL, Kind.OPT_BOOL):
        return _bool_parser(kind is Kind.OPT_BOOL)
    if kind in (Kind.DATE, Kind.PARTIAL_DATE):
        return _date_parser(kind is Kind.DATE, typed, month_header)
    if kind is Kind.INT:
        return _int_parser
    if kind is Kind.DECIMAL:
        return _decimal_parser
    if kind is Kind.ID_NUMBER:
        return _id_parser(today)
    if kind is Kind.PHONE:
        return _phone_parser
    if kind is Kind.UUID:
        return _uuid_text  # a reference, resolved by name by the caller
    return _text_parser(column.field)
