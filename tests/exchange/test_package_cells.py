"""Cell codecs: every kind goes canonical → cell → canonical unchanged; texts are cleaned."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from dangjian_desktop.domain.dates import PartialDate
from dangjian_desktop.exchange.cells import CellError, codec, decimal_text, sanitize_text
from dangjian_desktop.exchange.columns import Column, Kind

EPOCH = date(1899, 12, 30)


def _as_read(encoded):
    """What python-calamine hands back for what the writer put in the cell."""
    if encoded is None:
        return ""
    tag, value = encoded
    if tag == "d":
        return date.fromordinal(EPOCH.toordinal() + value)
    return float(value) if tag == "n" else value


@pytest.mark.parametrize("kind, value", [
    (Kind.TEXT, "=SUM(A1)"), (Kind.TEXT, "+1"), (Kind.TEXT, "-2"), (Kind.TEXT, "@x"), (Kind.TEXT, ""),
    (Kind.ID_NUMBER, "41099919850309009X"), (Kind.PHONE, "0371-12345678"),
    (Kind.DATE, date(2026, 2, 28)), (Kind.DATE, date(1899, 5, 4)), (Kind.DATE, None),
    (Kind.PARTIAL_DATE, PartialDate.month(1998, 7)), (Kind.PARTIAL_DATE, PartialDate.day(1998, 7, 1)),
    (Kind.INT, 0), (Kind.INT, None), (Kind.INT, 10**16),
    (Kind.DECIMAL, Decimal("320.50")), (Kind.DECIMAL, Decimal("0.1")), (Kind.DECIMAL, Decimal("0")),
    (Kind.DECIMAL, Decimal("12345678901234567.89")), (Kind.DECIMAL, Decimal("1E-7")), (Kind.DECIMAL, None),
    (Kind.BOOL, True), (Kind.BOOL, False), (Kind.OPT_BOOL, None), (Kind.OPT_BOOL, False),
    (Kind.UUID, None), (Kind.UUID, "00000000-0000-4000-8000-000000000001"),
    (Kind.TIMESTAMP, datetime(2026, 11, 26, 8, 0, 1, tzinfo=UTC)),
])
def test_a_value_survives_the_cell(kind, value):
    c = codec(Column("f", "列", kind))
    canon = c.canon(value)
    assert c.decode(_as_read(c.encode(canon))) == canon
    assert c.typed(canon) == value or (value is None and c.typed(canon) in (None, ""))


def test_month_precision_is_text_and_day_precision_a_date():
    c = codec(Column("f", "列", Kind.PARTIAL_DATE))
    assert c.encode(c.canon(PartialDate.month(1998, 7))) == ("s", "1998-07")
    assert c.encode(c.canon(PartialDate.day(1998, 7, 1)))[0] == "d"


def test_texts_lose_only_what_excel_cannot_store():
    assert sanitize_text("a\x0bb\x00c\r\nd\re\tf\ng") == "abc\nd\ne\tf\ng"
    plain = "中文 =1"
    assert sanitize_text(plain) is plain


def test_decimal_text_is_plain():
    assert [decimal_text(x) for x in (Decimal("320.50"), Decimal("1E+2"), Decimal("-0.0"), "0.30")] == [
        "320.5", "100", "0", "0.3"]


@pytest.mark.parametrize("kind, cell, words", [
    (Kind.ID_NUMBER, 4.10999198503e17, "身份证号被存成了数字"),
    (Kind.DATE, "2025-02-30", "不存在"),
    (Kind.PARTIAL_DATE, "1998-13", "格式不对"),
    (Kind.BOOL, "对", "是"),
    (Kind.INT, 1.5, "整数"),
    (Kind.TIMESTAMP, "2026-11-26 08:00:00", "格式不对"),
])
def test_impossible_cells_are_refused(kind, cell, words):
    with pytest.raises(CellError, match=words):
        codec(Column("f", "列", kind)).decode(cell)


def test_a_text_too_long_for_excel_is_refused():
    with pytest.raises(CellError, match="32,767"):
        codec(Column("f", "列", Kind.TEXT)).encode("字" * 40_000)
