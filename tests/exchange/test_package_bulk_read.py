"""The package reader's bulk paths give exactly what the cell-by-cell ones give: columns decoded
at once (``decode_column``), the checksum over columns (``column_digest``) and the faster form
of the extent pattern."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from dangjian_desktop.exchange.canonical import SheetDigest, column_digest
from dangjian_desktop.exchange.cells import _CODECS, CellError, decode_column
from dangjian_desktop.exchange.columns import Kind
from dangjian_desktop.exchange.sheet_extent import _greater, beyond_pattern, column_letter

U = "6f1c2a9e-0b7d-4c1e-9a55-1f0e2d3c4b5a"
COLUMNS = {
    Kind.TEXT: [["张三", "", "=1+1", " 空格 ", "张三"], ["a", 1.0], ["x", None]],
    Kind.PHONE: [["13800138000", ""], [13800138000.0, "1"]],
    Kind.ID_NUMBER: [["41099919850309009X", ""], [410999198503090000.0, "x"]],
    Kind.UUID: [[U, "", U, "", U], [U, " " + U[1:]], [U, U + "0"], [U, "a\tb"], ["", "", ""], [U, 5.0],
                ["ab\u3000cd", U, U]],
    Kind.ENUM: [["男", "女", "", "男", "男", ""], ["男", 1.0]],
    Kind.INT: [[1.0, 1.0, 2.0, "", ""], [1, True, 1.0, 1, True, 1.0], ["", "3", "3", "-4", "-4"], [1.5, 1.5, 1.5],
               [True, True, True], [None, None, 2.0, 2.0]],
    Kind.DECIMAL: [[0.5, 0.5, 0.5, "", ""], [0.0, -0.0, 0.0, -0.0], [-0.0, -0.0, 0.0, 0.0], ["1.50", "1.50", 2.0, 2.0],
                   [1, 1.0, True, 1], ["x", "x", "x"]],
    Kind.BOOL: [["是", "否", "是", "是"], ["是", "", "是", "是"], [1.0, 1.0, 1.0]],
    Kind.OPT_BOOL: [["是", "", "", "否"], ["是", "x", "x", "x"]],
    Kind.DATE: [[date(2001, 2, 3), date(2001, 2, 3), ""], [date(1900, 2, 28), date(2001, 1, 1)],
                ["1899-12-31", "1899-12-31", ""], [datetime(2001, 2, 3), datetime(2001, 2, 3), datetime(2001, 2, 3)],
                [datetime(2001, 2, 3, 4, 5), date(2001, 2, 3)], ["2001-02-30", "", ""], [date(2001, 2, 3), 5.0]],
    Kind.PARTIAL_DATE: [[date(2001, 2, 3), "2001-02", "", "2001-02"], [date(2001, 2, 3), "2001-13"],
                        [date(1899, 1, 1), "2001-02"], ["1899-12", "1899-12", "1899-12-31"], [date(2001, 2, 3), 44000.0]],
    Kind.TIMESTAMP: [["2026-10-27T00:00:00Z"] * 3 + [""], ["2026-02-30T00:00:00Z"] * 2, ["2026-10-27 00:00:00"] * 2],
}


def _one_by_one(kind: Kind, cells: list) -> tuple[list, list[str]] | type[CellError]:
    decode = _CODECS[kind].decode
    try:
        values = [decode(c) for c in cells]
    except CellError:
        return CellError
    return values, ["" if v is None else str(v) for v in values]


@pytest.mark.parametrize("kind, cells", [(k, c) for k, cs in COLUMNS.items() for c in cs],
                         ids=lambda v: v.name if isinstance(v, Kind) else "")
def test_a_column_decodes_as_its_cells_do(kind, cells):
    expected = _one_by_one(kind, cells)
    if expected is CellError:
        with pytest.raises(CellError):
            decode_column(kind, _CODECS[kind].decode, tuple(cells))
        return
    values, texts = decode_column(kind, _CODECS[kind].decode, tuple(cells))
    assert (list(values), list(texts)) == (expected[0], expected[1])
    assert [type(v) for v in values] == [type(v) for v in expected[0]]


def test_the_column_digest_is_the_row_digest():
    rows = [("张三", None, 3, "a\nb", ""), ("", "", 0, "=1", "x"), (None, None, None, None, None)]
    for n in range(len(rows) + 1):
        digest = SheetDigest()
        for row in rows[:n]:
            digest.add(row)
        texts = [["" if v is None else str(v) for v in col] for col in zip(*rows[:n])] or [[] for _ in range(5)]
        assert column_digest(texts, n) == digest.hexdigest()
    many = [(str(i), i, None) for i in range(2500)]
    digest = SheetDigest()
    for row in many:
        digest.add(row)
    assert column_digest([[str(i) for i in range(2500)], [str(i) for i in range(2500)], [""] * 2500], 2500) \
        == digest.hexdigest()
    assert column_digest([], 2) == (d := SheetDigest(), d.add(()), d.add(()), d.hexdigest())[-1]


def _backtracking(rows: int, columns: int, cells_only: bool = False) -> re.Pattern[bytes]:
    """The extent pattern as it was written before its quantifiers were made possessive."""
    row_gt = _greater(str(rows), "[0-9]", "9", "[1-9]")
    col_gt = _greater(column_letter(columns), "[A-Z]", "Z", "[A-Z]")
    letters = "[A-Z]{1,3}" if cells_only else "[A-Z]{0,3}"
    lower = "(?=[A-Za-z]{0,2}[a-z])[A-Za-z]{1,3}[0-9]+"
    return re.compile(rf"""r\s*=\s*["'](?:{letters}0*(?:{row_gt})|(?:{col_gt})[0-9]+|{lower})["']""".encode())


def test_the_possessive_extent_pattern_finds_what_the_backtracking_one_finds():
    refs = ["A1", "A0", "0", "00", "A00", "A0001", "A2667", "A2668", "A02668", "ZZ1", "BZ9", "CA1", "BZ2667",
            "BZ2668", "AAA1", "XFD1048576", "a1", "aB1", "Ab1", "ABCD1", "ABC", "A", "", "1", "2667", "2668",
            "9999", "10000", "A10000", "AB12", "B00000000", "A1 ", "A-1", "Z99", "AZ2000"]
    forms = ['r="{}"', "r='{}'", 'r = "{}"', 'xr="{}"', 'r="{}\'']
    for rows, columns in ((2667, 78), (0, 1), (9, 26), (400, 78), (1000, 702)):
        for cells_only in (False, True):
            new, old = beyond_pattern(rows, columns, cells_only=cells_only), _backtracking(rows, columns, cells_only)
            for ref in refs:
                for form in forms:
                    text = f"<c {form.format(ref)}>".encode()
                    assert bool(new.search(text)) == bool(old.search(text)), (rows, columns, cells_only, text)
