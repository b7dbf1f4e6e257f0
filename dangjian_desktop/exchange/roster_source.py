"""Opening a roster file and handing out each sheet as numbered rows of plain cell values.

Whatever the format, a sheet is a ``RawSheet``: its name, whether it is hidden, its hidden
rows, its merged ranges and ``rows()``, which yields ``(row number as Excel shows it, values)``
for every row with something in it. Values are ``None``/``""``, ``str``, ``int``/``float``,
``bool``, ``date``/``datetime`` — a date-formatted cell arrives as a date, a general-format one
as a number, which is what lets the value parser refuse a bare serial.

- .xlsx/.xlsm: python-calamine when it is installed (fast), else openpyxl in read-only mode.
  Before either parses a sheet, the sheet's XML is scanned once (streamed): its real extent is
  checked, because calamine aborts the whole process on a value at XFD1048576 and openpyxl
  spends minutes on a bogus used range; hidden rows and merged ranges come from that scan too.
  The openpyxl path also stops after a long run of empty rows.
- .xls: xlrd (with formatting, for hidden rows and merged ranges).
- .csv: UTF-8 (with or without BOM) or GBK; every cell is text (``typed=False``).
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .roster_sniff import FileFormat, RosterFileError, SniffedFile, check_before_parsing, sniff

CELL_LIMIT = 5_000_000  # cells in a sheet's value extent (rows × columns)
MAX_ROWS = 1_048_576
EMPTY_RUN_LIMIT = 1000  # openpyxl path: stop after this many empty rows in a row
_CHUNK = 1 << 20

Row = tuple[int, Sequence[object]]
CellRange = tuple[int, int, int, int]  # first row, first column, last row, last column (1-based)


@dataclass
class RawSheet:
    name: str
    typed: bool = True
    hidden: bool = False
    hidden_rows: frozenset[int] = frozenset()
    merged: tuple[CellRange, ...] = ()
    size_hint: int = 0  # about how many rows (for progress), 0 when unknown
    _load: Callable[[], Iterable[Row]] = field(default=lambda: (), repr=False)

    def rows(self) -> Iterator[Row]:
        """``(row number, values)`` for each row that is not empty, top to bottom."""
        for number, values in self._load():
            for v in values:
                if v is not None and v != "":
                    yield number, values
                    break


def column_index(letters: str) -> int:
    """``A`` → 1, ``XFD`` → 16384."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def column_letter(index: int) -> str:
    """1 → ``A``; the letters a clerk sees above the column."""
    letters = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# ---------------------------------------------------------------- .xlsx: the XML scan

_REF = re.compile(rb"([A-Z]{1,3})([0-9]{1,7})")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3}[0-9]{1,7})(?::([A-Z]{1,3}[0-9]{1,7}))?"')
_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="([0-9]+)"[^>]*?\bhidden="(?:1|true)"'
                         rb'|<(?:\w+:)?row\b[^>]*?\bhidden="(?:1|true)"[^>]*?\br="([0-9]+)"')
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3}[0-9]{1,7}):([A-Z]{1,3}[0-9]{1,7})"')
_VALUE_CELL = re.compile(rb'<(?:\w+:)?c\s+r="([A-Z]{1,3})([0-9]{1,7})"[^>]*?(/?)>')


@dataclass
class SheetScan:
    hidden_rows: frozenset[int]
    merged: tuple[CellRange, ...]
    max_row: int
    max_col: int


def _ref(ref: bytes) -> tuple[int, int]:
    m = _REF.fullmatch(ref)
    assert m is not None
    return int(m[2]), column_index(m[1].decode())


def scan_sheet_xml(stream: io.BufferedIOBase, sheet: str, file_name: str) -> SheetScan:
    """One streamed pass over a worksheet's XML: hidden rows, merged ranges, real extent."""
    hidden: set[int] = set()
    merged: set[CellRange] = set()
    max_row = max_col = 0
    tail = b""
    dimension: tuple[int, int] | None = None
    need_cells = True
    first = True
    while chunk := stream.read(_CHUNK):
        data = tail + chunk
        if first:
            first = False
            if m := _DIMENSION.search(data[:4096]):
                last = _ref(m[2] or m[1])
                if last[0] * last[1] <= CELL_LIMIT:
                    dimension, need_cells = last, False  # a small used range: calamine is safe
        # The plain searches skip the regular expressions on the (usual) chunks without any.
        if b'hidden="1"' in data or b'hidden="true"' in data:
            for m in _HIDDEN_ROW.finditer(data):
                hidden.add(int(m[1] or m[2]))
        if b"mergeCell " in data:
            for m in _MERGE.finditer(data):
                (r1, c1), (r2, c2) = _ref(m[1]), _ref(m[2])
                merged.add((r1, c1, r2, c2))
        if need_cells:
            for m in _VALUE_CELL.finditer(data):
                if not m[3]:
                    max_row = max(max_row, int(m[2]))
                    max_col = max(max_col, column_index(m[1].decode()))
        tail = data[-512:]
    if dimension is not None:
        max_row, max_col = dimension
    if max_row > MAX_ROWS or max_row * max_col > CELL_LIMIT:
        raise RosterFileError(
            f"文件“{file_name}”的工作表“{sheet}”数据范围过大（{max_row:,} 行 × {max_col:,} 列），"
            "可能在很远的单元格里有内容；请删除数据区以外的行和列后另存，再导入")
    return SheetScan(frozenset(hidden), tuple(sorted(merged)), max_row, max_col)


def _workbook_parts(z: zipfile.ZipFile) -> list[tuple[str, str, bool]]:
    """``(sheet name, XML part, hidden)`` for each worksheet, in workbook order."""
    from defusedxml.ElementTree import fromstring

    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    book = fromstring(z.read("xl/workbook.xml"))
    rels = fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    parts = []
    for s in book.iter(f"{ns_main}sheet"):
        target = targets.get(s.get(f"{ns_rel}id"), "")
        part = target.lstrip("/") if target.startswith("/") else "xl/" + target
        parts.append((s.get("name", ""), part, s.get("state", "visible") != "visible"))
    return parts


class _XlsxBook:
    def __init__(self, sniffed: SniffedFile, prefer_calamine: bool = True) -> None:
        self.path = sniffed.path
        try:
            with zipfile.ZipFile(self.path) as z:
                self.parts = _workbook_parts(z)
        except (KeyError, zipfile.BadZipFile, OSError, SyntaxError) as exc:
            raise RosterFileError(f"文件“{self.path.name}”的工作簿结构已损坏（{exc}）；"
                                  "请用 Excel 或 WPS 打开后另存为 .xlsx 再导入") from None
        self.calamine = None
        if prefer_calamine:
            try:
                import python_calamine
            except ImportError:
                pass
            else:
                try:
                    self.calamine = python_calamine.CalamineWorkbook.from_path(str(self.path))
                except Exception as exc:  # noqa: BLE001 - calamine's own error types
                    raise RosterFileError(f"无法读取文件“{self.path.name}”（{exc}）；"
                                          "请用 Excel 或 WPS 打开后另存为 .xlsx 再导入") from None
        self._openpyxl = None

    @property
    def sheet_names(self) -> list[str]:
        return [name for name, _p, _h in self.parts]

    def sheet(self, name: str) -> RawSheet:
        _n, part, hidden = next(p for p in self.parts if p[0] == name)
        try:
            with zipfile.ZipFile(self.path) as z, z.open(part) as stream:
                scan = scan_sheet_xml(stream, name, self.path.name)
        except (KeyError, zipfile.BadZipFile, OSError, EOFError) as exc:
            raise RosterFileError(f"文件“{self.path.name}”的工作表“{name}”已损坏（{exc}）；"
                                  "请用 Excel 或 WPS 打开后另存为 .xlsx 再导入") from None
        load = self._calamine_rows(name) if self.calamine is not None else self._openpyxl_rows(name)
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


def open_workbook(path: Path | str, *, prefer_calamine: bool = True) -> RosterWorkbook:
    """Sniff, run the pre-parse checks, and open the file with the reader its content needs."""
    sniffed = sniff(path)
    check_before_parsing(sniffed)
    if sniffed.format is FileFormat.XLSX:
        book: _XlsxBook | _XlsBook | _CsvBook = _XlsxBook(sniffed, prefer_calamine)
    elif sniffed.format is FileFormat.XLS:
        book = _XlsBook(sniffed)
    else:
        book = _CsvBook(sniffed)
    return RosterWorkbook(sniffed, book)
