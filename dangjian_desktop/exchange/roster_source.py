"""Opening a roster file and handing out each sheet as numbered rows of plain cell values.

Whatever the format, a sheet is a ``RawSheet``: its name, whether it is hidden, its hidden
rows, its merged ranges and ``rows()``, which yields ``(row number as Excel shows it, values)``
for every row with something in it. Values are ``None``/``""``, ``str``, ``int``/``float``,
``bool``, ``date``/``datetime`` — a date-formatted cell arrives as a date, a general-format one
as a number, which is what lets the value parser refuse a bare serial.

- .xlsx/.xlsm: python-calamine when it is installed (fast), else openpyxl in read-only mode.
  Before either parses a sheet, the sheet's XML is scanned (streamed, ``file_guard``): its real
  extent is checked, because calamine aborts the whole process on a value at XFD1048576 and
  openpyxl spends minutes on a bogus used range; hidden rows and merged ranges come from that
  scan too. The sheets are located by the same gate that checked the file.
  The openpyxl path also stops after a long run of empty rows.
- .xls: xlrd (with formatting, for hidden rows and merged ranges).
- .csv: UTF-8 (with or without BOM) or GBK; every cell is text (``typed=False``).
"""

from __future__ import annotations

import csv
import io
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .calamine_book import open_xlsx
from .file_guard import (  # noqa: F401 - re-exported
    CellRange, SheetPart, SheetScan, column_index, column_letter, scan_sheet_xml,
)
from .roster_columns import SheetTable
from .roster_sniff import GATE, FileFormat, RosterFileError, SniffedFile, check_before_parsing, sniff

CELL_LIMIT = 5_000_000  # cells in a sheet's value extent (rows × columns)
MAX_ROWS = 1_048_576
EMPTY_RUN_LIMIT = 1000  # openpyxl path: stop after this many empty rows in a row

Row = tuple[int, Sequence[object]]


@dataclass
class RawSheet:
    name: str
    typed: bool = True
    hidden: bool = False
    hidden_rows: frozenset[int] = frozenset()
    merged: tuple[CellRange, ...] = ()
    size_hint: int = 0  # about how many rows (for progress), 0 when unknown
    _load: Callable[[], Iterable[Row]] = field(default=lambda: (), repr=False)
    table: SheetTable | None = field(default=None, repr=False)  # the rows already read, by column

    def rows(self) -> Iterator[Row]:
        """``(row number, values)`` for each row that is not empty, top to bottom."""
        if self.table is not None:
            yield from self.table.rows()
            return
        for number, values in self._load():
            for v in values:
                if v is not None and v != "":
                    yield number, values
                    break

    def read_table(self) -> SheetTable:
        """Every non-empty row, by column (read once, then kept)."""
        if self.table is None:
            self.table = SheetTable.from_rows(self.rows())
        return self.table


def sheet_parts(path: Path) -> list[SheetPart]:
    """The worksheets of an .xlsx in workbook order, as the gate locates them."""
    try:
        with zipfile.ZipFile(path) as z:
            return GATE.workbook_sheets(path, z)
    except (KeyError, zipfile.BadZipFile, OSError) as exc:
        raise RosterFileError(f"文件“{path.name}”的工作簿结构已损坏（{exc}）；"
                              "请用 Excel 或 WPS 打开后另存为 .xlsx 再导入") from None


def scan_sheet(path: Path, name: str, part: str) -> SheetScan:
    """The gate's scan of one worksheet's XML (real extent, hidden rows, merged ranges);
    refuses a sheet whose values reach too far for any parser."""
    try:
        with zipfile.ZipFile(path) as z:
            scan = scan_sheet_xml(lambda: z.open(part), cell_limit=CELL_LIMIT)
    except (KeyError, zipfile.BadZipFile, OSError, EOFError) as exc:
        raise RosterFileError(f"文件“{path.name}”的工作表“{name}”已损坏（{exc}）；"
                              "请用 Excel 或 WPS 打开后另存为 .xlsx 再导入") from None
    if scan.max_row > MAX_ROWS or scan.max_row * scan.max_col > CELL_LIMIT:
        raise RosterFileError(
            f"文件“{path.name}”的工作表“{name}”数据范围过大（{scan.max_row:,} 行 × {scan.max_col:,} 列），"
            "可能在很远的单元格里有内容；请删除数据区以外的行和列后另存，再导入")
    return scan


class _XlsxBook:
    def __init__(self, sniffed: SniffedFile, prefer_calamine: bool = True, scanned: bool = False) -> None:
        self.path = sniffed.path
        self.parts: list[SheetPart] = sheet_parts(self.path)
        self.scanned = scanned  # the caller scans each sheet (``scan_sheet``) before its rows are read
        self.calamine = None
        if prefer_calamine:
            try:
                import python_calamine  # noqa: F401 - installed? (else openpyxl reads)
            except ImportError:
                pass
            else:
                try:
                    self.calamine = open_xlsx(self.path)
                except Exception as exc:  # noqa: BLE001 - calamine's own error types
                    raise RosterFileError(f"无法读取文件“{self.path.name}”（{exc}）；"
                                          "请用 Excel 或 WPS 打开后另存为 .xlsx 再导入") from None
        self._openpyxl = None

    @property
    def sheet_names(self) -> list[str]:
        return [p.name for p in self.parts]

    def sheet(self, name: str) -> RawSheet:
        part, hidden = next((p.part, p.hidden) for p in self.parts if p.name == name)
        load = self._calamine_rows(name) if self.calamine is not None else self._openpyxl_rows(name)
        if self.scanned:
            return RawSheet(name, True, hidden, _load=load)
        scan = scan_sheet(self.path, name, part)
        return RawSheet(name, True, hidden, scan.hidden_rows, scan.merged, scan.max_row, load)

    def _calamine_rows(self, name: str) -> Callable[[], Iterable[Row]]:
        cache: list[list[object]] = []

        def load() -> Iterable[Row]:
            if not cache:
                try:
                    cache.extend(self.calamine.get_sheet_by_name(name).to_python(skip_empty_area=False))
                except Exception as exc:  # noqa: BLE001 - calamine's own error types
                    raise RosterFileError(f"无法读取文件“{self.path.name}”的工作表“{name}”（{exc}）；"
                                          "请用 Excel 或 WPS 打开后另存为 .xlsx 再导入") from None
            return enumerate(cache, start=1)
        return load

    def _openpyxl_rows(self, name: str) -> Callable[[], Iterable[Row]]:
        def load() -> Iterator[Row]:
            import openpyxl

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # unsupported extensions, bogus styles
                try:
                    wb = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
                except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on damaged files
                    raise RosterFileError(f"无法读取文件“{self.path.name}”（{exc}）；"
                                          "请用 Excel 或 WPS 打开后另存为 .xlsx 再导入") from None
                try:
                    ws = wb[name]
                    ws.reset_dimensions()  # never trust the stored used range
                    empty = 0
                    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
                        if any(v is not None and v != "" for v in values):
                            empty = 0
                            yield number, values
                        else:
                            empty += 1
                            if empty > EMPTY_RUN_LIMIT:
                                break
                finally:
                    wb.close()
        return load

    def close(self) -> None:
        if self.calamine is not None:
            self.calamine.close()


# ---------------------------------------------------------------- .xls and .csv

class _XlsBook:
    def __init__(self, sniffed: SniffedFile) -> None:
        import xlrd

        self.path = sniffed.path
        try:
            self.book = xlrd.open_workbook(str(self.path), formatting_info=True, on_demand=True,
                                           logfile=io.StringIO())
        except xlrd.XLRDError as exc:
            if "encrypted" in str(exc).lower():
                raise RosterFileError(f"文件“{self.path.name}”设置了打开密码，无法直接导入：请用 Excel 或 WPS 输入密码"
                                      "打开，取消密码后另存为 .xlsx 再导入") from None
            raise RosterFileError(f"文件“{self.path.name}”无法按 .xls 读取（{exc}）；"
                                  "请用 Excel 或 WPS 打开后另存为 .xlsx 再导入") from None
        except Exception as exc:  # noqa: BLE001 - xlrd raises many kinds on damaged files
            raise RosterFileError(f"文件“{self.path.name}”已损坏，无法读取（{exc}）；"
                                  "请用 Excel 或 WPS 打开后另存为 .xlsx 再导入") from None

    @property
    def sheet_names(self) -> list[str]:
        return list(self.book.sheet_names())

    def sheet(self, name: str) -> RawSheet:
        import xlrd

        sh = self.book.sheet_by_name(name)
        hidden = frozenset(r + 1 for r, info in sh.rowinfo_map.items() if info.hidden)
        merged = tuple((rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in sh.merged_cells)
        datemode = self.book.datemode

        def value(cell: xlrd.sheet.Cell) -> object:
            if cell.ctype == xlrd.XL_CELL_DATE:
                try:
                    return xlrd.xldate.xldate_as_datetime(cell.value, datemode)
                except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                    return cell.value
            if cell.ctype == xlrd.XL_CELL_BOOLEAN:
                return bool(cell.value)
            if cell.ctype in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                return None
            return cell.value

        def load() -> Iterator[Row]:
            for r in range(sh.nrows):
                yield r + 1, [value(c) for c in sh.row(r)]
        return RawSheet(name, True, sh.visibility != 0, hidden, merged, sh.nrows, load)

    def close(self) -> None:
        self.book.release_resources()


class _CsvBook:
    def __init__(self, sniffed: SniffedFile) -> None:
        self.path = sniffed.path
        self.encoding = sniffed.encoding or "utf-8"

    @property
    def sheet_names(self) -> list[str]:
        return [self.path.stem]

    def sheet(self, name: str) -> RawSheet:
        def load() -> Iterator[Row]:
            text = self.path.read_text(encoding=self.encoding)
            first = next((line for line in text.splitlines() if line.strip()), "")
            delimiter = "\t" if first.count("\t") > first.count(",") else ","
            yield from enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1)
        return RawSheet(name, False, False, frozenset(), (), 0, load)

    def close(self) -> None:
        pass


class RosterWorkbook:
    """An opened roster file: its sheet names and each sheet's rows. Close it when done."""

    def __init__(self, sniffed: SniffedFile, book: _XlsxBook | _XlsBook | _CsvBook) -> None:
        self.sniffed = sniffed
        self._book = book
        self._sheets: dict[str, RawSheet] = {}

    @property
    def path(self) -> Path:
        return self.sniffed.path

    @property
    def sheet_names(self) -> list[str]:
        return self._book.sheet_names

    def sheet(self, name: str) -> RawSheet:
        if name not in self._sheets:
            if name not in self.sheet_names:
                names = "、".join(f"“{n}”" for n in self.sheet_names)
                raise RosterFileError(f"文件“{self.path.name}”中没有名为“{name}”的工作表，现有：{names}")
            self._sheets[name] = self._book.sheet(name)
        return self._sheets[name]

    def close(self) -> None:
        self._book.close()

    def __enter__(self) -> "RosterWorkbook":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_workbook(path: Path | str, *, prefer_calamine: bool = True, checked: bool = False) -> RosterWorkbook:
    """Sniff, run the pre-parse checks, and open the file with the reader its content needs.

    ``checked``: the caller has run the pre-parse checks and scans each .xlsx sheet with
    ``scan_sheet`` before reading its rows (its sheets then come without hidden rows, merged
    ranges and size, which are the scan's)."""
    sniffed = sniff(path)
    if not checked:
        check_before_parsing(sniffed)
    if sniffed.format is FileFormat.XLSX:
        book: _XlsxBook | _XlsBook | _CsvBook = _XlsxBook(sniffed, prefer_calamine, checked)
    elif sniffed.format is FileFormat.XLS:
        book = _XlsBook(sniffed)
    else:
        book = _CsvBook(sniffed)
    return RosterWorkbook(sniffed, book)
