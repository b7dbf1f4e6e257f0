"""A roster file read in full, within limits, into plain sheets that can cross a process boundary.

``load_roster`` opens a file with ``roster_source`` (sniff, the gate's checks, the parser its
content needs) and collects every non-empty row of the sheets wanted, enforcing what a parser
alone would not: at most ``MAX_ROWS`` rows with content per sheet, ``MAX_COLUMNS`` columns and
``MAX_TEXT`` UTF-16 units per cell (Excel's own limit: longer text comes from a forged file and
could never be exported again), and a stop after ``EMPTY_RUN_LIMIT`` empty rows in a row (the
rest is not read, and a note says from which row). The result is a ``LoadedBook`` of plain
data: the worker process (``exchange.isolation``) sends it back to the window's process,
where ``LoadedWorkbook`` presents it as the ``RosterWorkbook`` the roster reader reads. Each
sheet's rows travel as a ``SheetTable`` (column by column, each distinct value once): a
fraction of the bytes of row lists to pickle, send and unpickle.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, Protocol

from .cells import excel_length
from .package_spec import MAX_CELL_TEXT
from .roster_columns import SheetTable
from .roster_sniff import RosterFileError, SniffedFile
from .roster_source import (
    CellRange, RawSheet, RosterWorkbook, SheetPart, SheetScan, column_letter, open_workbook,
)

MAX_ROWS = 200_000
MAX_COLUMNS = 1_024
MAX_TEXT = MAX_CELL_TEXT  # Excel's limit, in UTF-16 units
EMPTY_RUN_LIMIT = 1_000


@dataclass
class LoadedSheet:
    name: str
    typed: bool
    hidden: bool
    hidden_rows: frozenset[int] = frozenset()
    merged: tuple[CellRange, ...] = ()
    size_hint: int = 0
    table: SheetTable = field(default_factory=lambda: SheetTable.from_rows([]))
    loaded: bool = True  # False: a hidden sheet nobody asked for (its rows were not read)


@dataclass
class LoadedBook:
    sniffed: SniffedFile
    sheet_names: list[str]
    sheets: dict[str, LoadedSheet]
    notes: list[str] = field(default_factory=list)


class Receiver(Protocol):
    def recv(self) -> Any: ...


def load_roster(emit: Callable[[object], None] | None, path: Path | str, sheet: str | None = None,
                scanned: Receiver | None = None) -> LoadedBook:
    """Read the file's sheets (only ``sheet`` if given; hidden ones only so); ``emit`` gets
    ``(sheets done, sheets total, sheet name)`` before each sheet.

    ``scanned``: the caller has run the pre-parse checks and scans each sheet of an .xlsx
    (``roster_source.scan_sheet``) meanwhile, sending a sheet's name when its scan has passed;
    a sheet's rows are read only after that (never, when the scan refuses it). Hidden rows,
    merged ranges and size are the scan's to add (``with_scans``)."""
    passed: set[str] = set()
    with open_workbook(path, checked=scanned is not None) as wb:
        names = wb.sheet_names
        wanted = [sheet] if sheet else names
        book = LoadedBook(wb.sniffed, list(names), {})
        for i, name in enumerate(wanted):
            if emit is not None:
                emit((i, len(wanted), name))
            raw = wb.sheet(name)
            if raw.hidden and not sheet:
                book.sheets[name] = LoadedSheet(name, raw.typed, True, loaded=False)
                continue
            while scanned is not None and name not in passed:
                passed.add(scanned.recv())
            table, note = _collect(raw, wb.path.name)
            book.sheets[name] = LoadedSheet(name, raw.typed, raw.hidden, raw.hidden_rows, raw.merged,
                                            raw.size_hint or (table.numbers[-1] if len(table) else 0), table)
            if note:
                book.notes.append(note)
    return book


def _collect(raw: RawSheet, file_name: str) -> tuple[SheetTable, str]:
    where = f"文件“{file_name}”的工作表“{raw.name}”"
    try:
        table = _within_limits(raw)
    except csv.Error:
        table = None  # read again row by row: its message names the row
    if table is not None:
        return table, ""
    rows: list[tuple[int, list[object]]] = []
    try:
        rows, note = _collect_rows(raw, where, rows)  # names the first offence, or stops at a gap
    except csv.Error as exc:  # a CSV cell over the csv module's 131,072 characters, a stray quote
        raise RosterFileError(f"{where}在第 {(rows[-1][0] if rows else 0) + 1:,} 行附近无法按 CSV 读取（{exc}），"
                              "可能有超长的单元格或不成对的引号；请用 Excel 或 WPS 打开后另存为 .xlsx 再导入") from None
    return SheetTable.from_rows(rows), note


def _within_limits(raw: RawSheet) -> SheetTable | None:
    """The sheet as a table when nothing in it needs ``_collect_rows``'s attention (a run of
    empty rows, too many rows, columns or characters); else ``None``."""
    rows = list(islice(raw.rows(), MAX_ROWS + 1))
    if len(rows) > MAX_ROWS or any(len(v) > MAX_COLUMNS for _, v in rows):
        return None
    numbers = [n for n, _ in rows]
    if any(b - a > EMPTY_RUN_LIMIT for a, b in zip(numbers, numbers[1:])):
        return None
    table = SheetTable.from_rows(rows)
    for column in table.columns:
        for v in column.distinct:
            if type(v) is str and len(v) > MAX_TEXT // 2 and excel_length(v) > MAX_TEXT:
                return None
    return table


def _collect_rows(raw: RawSheet, where: str, rows: list[tuple[int, list[object]]]
                  ) -> tuple[list[tuple[int, list[object]]], str]:
    last = 0
    for number, values in raw.rows():
        if last and number - last > EMPTY_RUN_LIMIT:
            return rows, (f"工作表“{raw.name}”第 {last:,} 行之后有 {number - last - 1:,} 个空行，"
                          f"从第 {number:,} 行起的内容没有读取；如需导入，请删除中间的空行后再导入")
        cells = list(values)
        while cells and (cells[-1] is None or cells[-1] == ""):
            cells.pop()
        if len(cells) > MAX_COLUMNS:
            raise RosterFileError(f"{where}第 {number:,} 行的内容一直到第 {len(cells):,} 列（{column_letter(len(cells))} 列），"
                                  f"超过了 {MAX_COLUMNS:,} 列的上限；请删除数据区以外的列后另存，再导入")
        for i, v in enumerate(cells):
            if type(v) is str and len(v) > MAX_TEXT // 2 and excel_length(v) > MAX_TEXT:
                raise RosterFileError(f"{where}第 {number:,} 行 {column_letter(i + 1)} 列的内容有 {len(v):,} 个字，"
                                      f"超过了 Excel 单元格的上限 {MAX_TEXT:,} 字，文件可能是伪造的；"
                                      "请检查这个单元格，用 Excel 或 WPS 另存后再导入")
        rows.append((number, cells))
        if len(rows) > MAX_ROWS:
            raise RosterFileError(f"{where}有内容的行超过了 {MAX_ROWS:,} 行的上限；请把名册分成几个文件导入")
        last = number
    return rows, ""


def wanted_sheets(parts: Sequence[SheetPart], sheet: str | None) -> list[SheetPart]:
    """The sheets ``load_roster`` opens, in its order (``sheet``, else every one: a hidden sheet
    is scanned, and may refuse the file, even though its rows are not read)."""
    names = [sheet] if sheet else [p.name for p in parts]
    first = {}
    for p in parts:
        first.setdefault(p.name, p)
    return [first[n] for n in names if n in first]


def with_scans(book: LoadedBook, scans: Mapping[str, SheetScan]) -> LoadedBook:
    """``book`` with each scanned sheet's hidden rows, merged ranges and size."""
    for name, scan in scans.items():
        s = book.sheets.get(name)
        if s is not None and s.loaded:
            s.hidden_rows, s.merged, s.size_hint = scan.hidden_rows, scan.merged, scan.max_row or s.size_hint
    return book


class _Book:
    """A ``LoadedBook`` behind the interface ``RosterWorkbook`` expects of a parser."""

    def __init__(self, book: LoadedBook) -> None:
        self.book = book

    @property
    def sheet_names(self) -> list[str]:
        return self.book.sheet_names

    def sheet(self, name: str) -> RawSheet:
        s = self.book.sheets.get(name)
        if s is None:
            raise RosterFileError(f"文件“{self.book.sniffed.path.name}”的工作表“{name}”没有读取，请单独指定这个工作表")
        return RawSheet(s.name, s.typed, s.hidden, s.hidden_rows, s.merged, s.size_hint, table=s.table)

    def close(self) -> None:
        pass


class LoadedWorkbook(RosterWorkbook):
    """An already read roster, as the roster reader reads any workbook; ``notes`` say what was
    left unread."""

    def __init__(self, book: LoadedBook) -> None:
        super().__init__(book.sniffed, _Book(book))  # type: ignore[arg-type]
        self.notes = list(book.notes)
