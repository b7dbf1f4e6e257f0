"""A sheet held column by column gives back exactly the rows it was made of: values keep their
type (1, 1.0 and True stay apart, so do 0.0 and -0.0), rows lose only their trailing empty
cells, and the table survives pickling (it crosses from the worker process)."""

from __future__ import annotations

import math
import pickle
from datetime import date, datetime, time

from dangjian_desktop.exchange.roster_columns import SheetTable, TableRow, encode_column


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
    return type(a) is type(b) and a == b


def _trimmed(values: list[object]) -> list[object]:
    values = list(values)
    while values and (values[-1] is None or values[-1] == ""):
        values.pop()
    return values


TRICKY = [
    (1, ["序号", "姓名", "是否", "日期", None, ""]),
    (3, [1.0, "张三", True, date(2020, 1, 1), None, "x"]),
    (4, [1, "张三", 1, datetime(2020, 1, 1), "", None]),
    (5, [True, "李四", 1.0, "2020-01-01", 0.0, ""]),
    (9, [-0.0, "李四", False, date(2020, 1, 1), -0.0]),
    (10, [0, "", 0.0, time(8, 30), float("nan")]),
    (12, [0.0, None, "1", datetime(2020, 1, 1, 8), float("nan"), None, None]),
    (13, ["合计", None]),
]


def test_a_tricky_sheet_comes_back_value_for_value():
    table = SheetTable.from_rows(TRICKY)
    assert len(table) == len(TRICKY) and table.width == 7
    for i, (number, values) in enumerate(TRICKY):
        got = table.cells(i)
        want = _trimmed(values)
        assert len(got) == len(want) and all(_same(a, b) for a, b in zip(got, want, strict=True)), (number, got)
    assert [n for n, _ in table.rows()] == [n for n, _ in TRICKY]


def test_equal_values_of_different_types_are_kept_apart():
    column = encode_column([1, 1.0, True, 1, 0.0, -0.0, False, 0, 0.0])
    assert [type(v).__name__ for v in column.distinct] == ["int", "float", "bool", "float", "float", "bool", "int"]
    assert list(column.codes) == [0, 1, 2, 0, 3, 4, 5, 6, 3]
    floats = encode_column([2.0, 1.5, 2.0])  # one type, no zero: the plain path
    assert floats.distinct == [2.0, 1.5] and list(floats.codes) == [0, 1, 0]


def test_each_distinct_value_is_kept_once():
    column = encode_column(["男", "女", "男", None, "男", "", "女"])
    assert column.distinct == ["男", "女", None, ""]
    assert list(column.codes) == [0, 1, 0, 2, 0, 3, 1]
    unique = encode_column(["a", "b", "c"])
    assert unique.distinct == ["a", "b", "c"] and list(unique.codes) == [0, 1, 2]


def test_an_unhashable_value_does_not_stop_the_reading():
    shared = ["x"]
    column = encode_column(["a", shared, "a", shared])
    assert [column.value(i) for i in range(4)] == ["a", ["x"], "a", ["x"]]


def test_the_table_crosses_a_process_boundary_intact():
    table = pickle.loads(pickle.dumps(SheetTable.from_rows(TRICKY), protocol=pickle.HIGHEST_PROTOCOL))
    assert [n for n, _ in table.rows()] == [n for n, _ in TRICKY]
    assert table.cells(1) == [1.0, "张三", True, date(2020, 1, 1), None, "x"]
    assert type(table.cells(2)[2]) is int and type(table.cells(3)[0]) is bool


def test_a_table_row_reads_like_the_list_of_its_cells():
    table = SheetTable.from_rows(TRICKY)
    row = TableRow(table, 7)
    assert len(row) == 1 and row[0] == "合计" and list(row) == ["合计"] and row == ["合计"]
    assert row[-1] == "合计" and row[:1] == ["合计"]


def test_an_empty_sheet():
    table = SheetTable.from_rows([])
    assert len(table) == 0 and table.width == 0 and list(table.rows()) == [] and table.column(0) is None
