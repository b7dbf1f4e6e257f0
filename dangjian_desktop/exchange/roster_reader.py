"""Reading a roster sheet into domain records plus row-level problems.

``analyse_sheet`` finds the header (``roster_table``), maps each column to a field
(``roster_mapping``) and collects a few sample values per column, which is what a wizard
shows before anything is read in full. ``read_sheet`` then walks the data rows and yields one
``RosterRow`` per row: the values the file gives (by field), the domain record built from them,
and every problem with its sheet, row number as Excel shows it, column letter and header and a
Chinese reason. References (所在党组织, 所在村 …) are names in a roster; the caller's
``resolve`` turns a name into a UUID or raises ``CellError``.

Record-level validation (``domain.validation``) is the caller's: an update must be checked
after it is merged with the stored record.
"""

from __future__ import annotations

import os
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from ..domain import records as R
from ..domain.dates import PartialDate
from ..domain.enums import Gender
from ..domain.errors import Severity
from .roster_columns import SheetTable, TableRow
from .roster_mapping import RosterKind, auto_mapping, month_header
from .roster_source import RawSheet, column_letter
from .roster_table import (
    HEAD_ROWS, TableLayout, find_header, is_column_numbers, is_footer, opens_footer, repeats_header,
)
from .roster_values import CellError, Warned, cell_text, parser_for

SAMPLE_ROWS = 12
SAMPLES = 3
HIDDEN_ROW = "这一行在 Excel 中是隐藏的，也一并读入了；如不应导入，请在文件中删除这一行"


@dataclass(frozen=True, slots=True)
class RowProblem:
    sheet: str
    row: int  # as Excel shows it
    column: str  # letter; "" when the problem is not about one cell
    header: str  # the column's header in the file, or the field's label
    message: str
    severity: Severity = Severity.ERROR
    field: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def text(self) -> str:
        where = f"工作表“{self.sheet}”第 {self.row} 行"
        if self.column:
            where += f" {self.column}列“{self.header}”"
        elif self.header:
            where += f"“{self.header}”"
        return f"{where}：{self.message}"


@dataclass
class SourceColumn:
    """One column of the file as a wizard shows it: header, mapped field, sample values."""

    index: int
    header: str
    field: str | None
    samples: tuple[str, ...] = ()
    auto_field: str | None = None  # what the automatic mapping chose

    @property
    def letter(self) -> str:
        return column_letter(self.index + 1)


@dataclass
class SheetAnalysis:
    sheet: str
    layout: TableLayout | None
    columns: list[SourceColumn] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    hidden: bool = False
    size_hint: int = 0
    remembered: bool = False  # the mapping is the one confirmed for a file with the same headers

    @property
    def found(self) -> bool:
        return self.layout is not None

    def mapping(self) -> dict[int, str | None]:
        return {c.index: c.field for c in self.columns}

    def column_of(self, field_name: str) -> SourceColumn | None:
        return next((c for c in self.columns if c.field == field_name), None)

    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


def analyse_sheet(raw: RawSheet, kind: RosterKind) -> SheetAnalysis:
    """Find the header, map its columns automatically and collect sample values."""
    head = []
    rows = raw.rows()
    for number, values in rows:
        head.append((number, values))
        if len(head) >= HEAD_ROWS:
            break
    layout = find_header(head, raw.merged, kind.knows)
    analysis = SheetAnalysis(raw.name, layout,
                             hidden=raw.hidden, size_hint=raw.size_hint)
    if layout is None:
        analysis.notes.append(f"工作表“{raw.name}”的前 {HEAD_ROWS} 行中没有找到{kind.label}名册的表头"
                              f"（如“{kind.column(kind.required[0]).header}”“{kind.column(kind.required[-1]).header}”），已跳过")
        return analysis
    mapping, notes = auto_mapping(kind, layout)
    analysis.notes.extend(f"工作表“{raw.name}”{n}" for n in notes)
    samples: dict[int, list[str]] = {c.index: [] for c in layout.columns}
    data = [values for number, values in head if number >= layout.first_data_row]
    for values in data + [v for _n, v in _take(rows, SAMPLE_ROWS)]:
        if is_footer(values) or is_column_numbers(values):
            continue
        for index, found in samples.items():
            text = cell_text(values[index]) if index < len(values) else ""
            if text and text not in found and len(found) < SAMPLES:
                found.append(text)
    analysis.columns = [
        SourceColumn(c.index, c.text, mapping[c.index], tuple(samples[c.index]), mapping[c.index])
        for c in layout.columns if c.text or samples[c.index]  # not the empty margin columns
    ]
    return analysis


def _take(rows: Iterator, n: int) -> list:
    out = []
    for item in rows:
        out.append(item)
        if len(out) >= n:
            break
    return out


@dataclass(slots=True)
class RosterRow:
    sheet: str
    row: int
    cells: Sequence[object]  # the row as read, for the error workbook
    values: dict[str, object]  # field → value the file gives (references: resolved UUIDs)
    names: dict[str, str]  # reference field → the name as written (or from --branch / the sheet)
    problems: list[RowProblem]
    record: R.Record | None = None

    @property
    def refused(self) -> bool:
        return any(p.is_error for p in self.problems)


Resolve = Callable[[str, str], str]  # (field, name) → UUID, or CellError


@dataclass
class ReadContext:
    township_code: str
    resolve: Resolve
    defaults: Mapping[str, str] = field(default_factory=dict)  # reference field → name for every row
    today: date | None = None
    now: datetime = field(default_factory=R.utc_now)  # created_at of every record read


def read_sheet(raw: RawSheet, analysis: SheetAnalysis, kind: RosterKind, ctx: ReadContext) -> Iterator[RosterRow]:
    """Each data row of the sheet, parsed by the analysis's (possibly edited) mapping.

    The sheet is read column by column (``SheetTable``): each distinct value of a column is
    converted once, when a data row first needs it, and every row with that value shares the
    result — the same value, or the same problem named at that row's own cell."""
    layout = analysis.layout
    if layout is None:
        return
    sheet = analysis.sheet
    table = raw.read_table()
    columns = []
    for c in analysis.columns:
        column = table.column(c.index) if c.field is not None else None
        if column is not None:  # a mapped column beyond the rows read is empty throughout
            parse = parser_for(kind.column(c.field), typed=raw.typed, month_header=month_header(c.header),
                               today=ctx.today)
            columns.append((c.field, c.letter, c.header, parse, column.distinct, column.codes,
                            [_UNSET] * len(column.distinct)))
    refs = [c.field for c in kind.columns if kind.references(c.field) is not None]
    required = frozenset(kind.required)
    hidden = raw.hidden_rows
    numbers = table.numbers
    first = bisect_left(numbers, layout.first_data_row)
    footers = _footer_rows(table, range(first, len(numbers)))
    uuids = _fresh_uuids(len(numbers) - first)
    for i in range(first, len(numbers)):
        if i in footers:
            continue
        number = numbers[i]
        values: dict[str, object] = {}
        problems: list[RowProblem] = []
        for fld, letter, header, parse, distinct, codes, outcomes in columns:
            code = codes[i]
            result = outcomes[code]
            if result is _UNSET:
                result = outcomes[code] = _outcome(parse, distinct[code])
            if result is _SKIP:
                continue
            if type(result) is _Problem:
                problems.append(RowProblem(sheet, number, letter, header, result.message, result.severity, fld))
                result = result.value
                if result is _SKIP:
                    continue
            values[fld] = result
        if not values and not problems:
            continue  # a numbered but empty template row, or only unmapped columns filled
        cells = TableRow(table, i)
        if problems and (is_column_numbers(cells) or repeats_header(cells, layout)):
            continue  # checked only for rows that failed: no data row looks like these
        if number in hidden:
            problems.append(RowProblem(sheet, number, "", "", HIDDEN_ROW, Severity.WARNING))
        names = _resolve_references(values, problems, refs, analysis, kind, ctx, number) if refs else {}
        if not values.keys() >= required:
            _require(values, problems, analysis, kind, number)
        row = RosterRow(sheet, number, cells, values, names, problems)
        if not problems or not row.refused:
            row.record = build_record(kind, values, ctx.township_code, ctx.now, uuids[i - first])
        yield row


_UNSET = object()  # a distinct value not converted yet
_SKIP = object()  # an empty cell, or one whose value is empty: the row does not give this field


class _Problem:
    """A distinct value's conversion that names a problem (an error, or a warning with a value)."""

    __slots__ = ("message", "severity", "value")

    def __init__(self, message: str, severity: Severity, value: object = _SKIP) -> None:
        self.message = message
        self.severity = severity
        self.value = value


def _outcome(parse: Callable[[object], object], v: object) -> object:
    """What one cell value gives: the value, ``_SKIP`` or a ``_Problem``."""
    if v is None or v == "":
        return _SKIP
    try:
        result = parse(v)
    except CellError as exc:
        return _Problem(exc.message, Severity.ERROR)
    if type(result) is Warned:
        return _Problem(result.message, Severity.WARNING, _kept(result.value))
    return _kept(result)


def _kept(result: object) -> object:
    return result if result is not None and (type(result) is not str or result) else _SKIP


def _footer_rows(table: SheetTable, rows: range) -> set[int]:
    """The rows (table positions) that are footers (``is_footer``). Only rows whose first filled
    cell opens like a footer can be: found column by column, each distinct value judged once."""
    undecided, maybe = list(rows), []
    for column in table.columns:
        if not undecided:
            break
        kinds = [0 if v is None or v == "" else 1 if opens_footer(v) else 2 for v in column.distinct]
        codes, left = column.codes, []
        for i in undecided:
            k = kinds[codes[i]]
            if k == 0:
                left.append(i)
            elif k == 1:
                maybe.append(i)
        undecided = left
    return {i for i in maybe if is_footer(table.cells(i))}


def _fresh_uuids(n: int) -> list[str]:
    """``n`` random (version 4) UUIDs as ``str(uuid.uuid4())`` writes them, from one read of
    ``os.urandom``: a call of ``uuid4`` per record costs more than building the record."""
    h = os.urandom(16 * n).hex()
    return [f"{h[i:i + 8]}-{h[i + 8:i + 12]}-4{h[i + 13:i + 16]}-{_VARIANT[int(h[i + 16], 16) & 3]}{h[i + 17:i + 20]}-"
            f"{h[i + 20:i + 32]}" for i in range(0, 32 * n, 32)]


_VARIANT = "89ab"


def _resolve_references(values: dict[str, object], problems: list[RowProblem], refs: list[str],
                        analysis: SheetAnalysis, kind: RosterKind, ctx: ReadContext, number: int) -> dict[str, str]:
    names = {}
    for fld in refs:
        name = values.pop(fld, None) or ctx.defaults.get(fld)
        if not name:
            continue
        names[fld] = str(name)
        try:
            values[fld] = ctx.resolve(fld, str(name))
        except CellError as exc:
            col = analysis.column_of(fld)
            letter, header = (col.letter, col.header) if col else ("", kind.field_label(fld))
            problems.append(RowProblem(analysis.sheet, number, letter, header, exc.message, Severity.ERROR, fld))
    return names


def _require(values: dict[str, object], problems: list[RowProblem], analysis: SheetAnalysis,
             kind: RosterKind, number: int) -> None:
    failed = {p.field for p in problems if p.is_error}
    for fld in kind.required:
        if fld in values or fld in failed:
            continue
        col = analysis.column_of(fld)
        label = kind.field_label(fld)
        if col is None:
            message = f"缺少“{label}”：文件中没有这一列，也没有指定"
            problems.append(RowProblem(analysis.sheet, number, "", label, message, Severity.ERROR, fld))
        else:
            problems.append(RowProblem(analysis.sheet, number, col.letter, col.header, "不能为空，请填写",
                                       Severity.ERROR, fld))


def build_record(kind: RosterKind, values: Mapping[str, object], township_code: str,
                 now: datetime | None = None, uuid: str | None = None) -> R.Record:
    """The domain record for one accepted row: the file's values over the record's defaults,
    with what the 身份证号 or the date says filling a missing 性别, 出生日期 or 年度."""
    kwargs = dict(values)
    record_type = kind.record_type
    id_number = kwargs.get("id_number")
    if record_type in (R.Member, R.ReserveCadre) and isinstance(id_number, str) and len(id_number) == 18:
        if "gender" not in kwargs:
            kwargs["gender"] = Gender.MALE if int(id_number[16]) % 2 else Gender.FEMALE
        if "birth_date" not in kwargs:
            birth = id_number[6:14]
            kwargs["birth_date"] = PartialDate(date(int(birth[:4]), int(birth[4:6]), int(birth[6:])))
    if record_type is R.ServiceRequest and "year" not in kwargs and isinstance(kwargs.get("received_on"), date):
        kwargs["year"] = kwargs["received_on"].year  # type: ignore[union-attr]
    now = now or R.utc_now()
    if uuid is not None:
        kwargs["uuid"] = uuid
    return record_type(township_code=township_code, created_at=now, updated_at=now, **kwargs)
