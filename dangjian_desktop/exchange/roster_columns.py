"""A sheet's non-empty rows held column by column: each column as its distinct values (in the
order they first appear) and one small code per row.

A roster repeats itself down its columns — 性别, 民族, 文化程度, 所在党支部, 党员类别 and many
dates take a handful of values over 30,000 rows — so a ``SheetTable`` is compact to send from
the worker process that parsed the file (codes travel as ``array`` bytes, each distinct value
once) and lets the roster reader convert each distinct value of a column once instead of
every cell. Values keep their type: ``1``, ``1.0`` and ``True`` (equal in Python) stay apart,
and so do ``0.0`` and ``-0.0``. ``cells(i)`` gives a row back as it was read, without its
trailing empty cells.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import zip_longest

_NUMBERS = frozenset({int, float, bool})


class TableColumn:
    __slots__ = ("distinct", "codes")

    def __init__(self, distinct: list[object], codes: array) -> None:
        self.distinct = distinct
        self.codes = codes

    def __reduce__(self) -> tuple:
        return TableColumn, (self.distinct, self.codes)

    def value(self, i: int) -> object:
        return self.distinct[self.codes[i]]


class SheetTable:
    """Rows ``(number as Excel shows it, values)`` stored by column."""

    __slots__ = ("numbers", "columns")

    def __init__(self, numbers: array, columns: list[TableColumn]) -> None:
        self.numbers = numbers
        self.columns = columns

    def __reduce__(self) -> tuple:
        return SheetTable, (self.numbers, self.columns)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[int, Sequence[object]]]) -> "SheetTable":
        rows = list(rows)
        numbers = array("l", [n for n, _ in rows])
        # zip_longest pads short rows (CSV, openpyxl) with None: trailing, so never seen again
        columns = [encode_column(values) for values in zip_longest(*[v for _, v in rows])]
        return cls(numbers, columns)

    def __len__(self) -> int:
        return len(self.numbers)

    @property
    def width(self) -> int:
        return len(self.columns)

    def column(self, index: int) -> TableColumn | None:
        return self.columns[index] if index < len(self.columns) else None

    def cells(self, i: int) -> list[object]:
        """Row ``i`` (0-based position in the table) without its trailing empty cells."""
        values = [c.distinct[c.codes[i]] for c in self.columns]
        while values and (values[-1] is None or values[-1] == ""):
            values.pop()
        return values

    def rows(self) -> Iterator[tuple[int, list[object]]]:
        for i, number in enumerate(self.numbers):
            yield number, self.cells(i)


class TableRow(Sequence):
    """One row of a table, read when asked for (the error workbook copies refused rows only)."""

    __slots__ = ("table", "index")

    def __init__(self, table: SheetTable, index: int) -> None:
        self.table = table
        self.index = index

    def _cells(self) -> list[object]:
        return self.table.cells(self.index)

    def __len__(self) -> int:
        return len(self._cells())

    def __getitem__(self, key):  # type: ignore[no-untyped-def]
        return self._cells()[key]

    def __iter__(self) -> Iterator[object]:
        return iter(self._cells())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self._cells())


def _typed_key(value: object) -> object:
    """A dictionary key under which only values of the same type and sign compare equal."""
    if type(value) is float:
        return (float, value, math.copysign(1.0, value))
    try:
        hash(value)
    except TypeError:
        return (type(value), id(value))
    return (type(value), value)


def encode_column(values: Sequence[object]) -> TableColumn:
    """The column's distinct values in first-seen order, and each row's index into them."""
    keys: Sequence[object] = values
    try:
        first = dict.fromkeys(values)
    except TypeError:  # an unhashable value
        first = None
    if first is None or not (_NUMBERS.isdisjoint(map(type, first)) or _numbers_apart(values, first)):
        keys = [_typed_key(v) for v in values]
        first = dict.fromkeys(keys)
    if keys is values:
        distinct = list(first)
    else:
        value_of = dict(zip(keys, values))
        distinct = [value_of[k] for k in first]
    if len(distinct) == len(keys):  # every value differs (names, 身份证号, phones)
        codes: Iterable[int] = range(len(keys))
    else:
        for i, k in enumerate(first):
            first[k] = i
        codes = map(first.__getitem__, keys)
    return TableColumn(distinct, array("H" if len(distinct) <= 0xFFFF else "L", list(codes)))


def _numbers_apart(values: Sequence[object], first: dict[object, None]) -> bool:
    """Whether the numbers of a column are all of one type (and, for floats, none is zero,
    which might be -0.0): then no two different values were taken for one."""
    numbers = _NUMBERS.intersection(map(type, values))
    return len(numbers) == 1 and (float not in numbers or 0.0 not in first)
