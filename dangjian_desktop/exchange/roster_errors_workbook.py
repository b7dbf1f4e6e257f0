"""The error list of a roster import saved as an .xlsx the clerk can fix and import again.

One sheet per sheet of the original file, with the same name (a sheet's name may say which
branch its people belong to), its header as one row (two-level headers as 父_子, which the
importer maps again), then the refused rows copied as they were read. Each bad cell is filled
red and carries a comment with its reason; two columns are added at the right: 错误原因 (all
reasons of the row) and 原行号 (where the row was in the original file) — the importer ignores
both. Columns of 身份证号 are formatted as text, so a number typed in again keeps its digits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from .output_file import write_in_memory

REASON_HEADER = "错误原因"
ROW_HEADER = "原行号"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_BAD_FILL = "FFC7CE"
_HEADER_FILL = "DDEBF7"


@dataclass
class ErrorRow:
    source_row: int
    cells: Sequence[object]
    bad: dict[int, str] = field(default_factory=dict)  # column index → reason for that cell
    reasons: list[str] = field(default_factory=list)  # all reasons of the row, cell or not


@dataclass
class ErrorSheet:
    name: str
    headers: list[str]  # one per column, in file order (index = position)
    rows: list[ErrorRow]
    text_columns: frozenset[int] = frozenset()  # columns that must stay text (身份证号)


def _safe(value: object) -> object:
    if isinstance(value, str):
        return _CONTROL.sub("", value)
    return value


def write_error_workbook(path: Path | str, sheets: Iterable[ErrorSheet]) -> Path:
    """Write the refused rows; the file is written aside and moved into place at the end
    (``output_file.OutputWriteError`` names the file and the cause when it cannot be written)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    path = Path(path)
    wb = Workbook(write_only=True)
    bad_fill = PatternFill("solid", fgColor=_BAD_FILL)
    head_fill = PatternFill("solid", fgColor=_HEADER_FILL)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    any_sheet = False
    for sheet in sheets:
        any_sheet = True
        ws = wb.create_sheet(sheet.name[:31] or "Sheet1")
        width = max([len(sheet.headers)] + [len(r.cells) for r in sheet.rows])
        headers = list(sheet.headers) + [""] * (width - len(sheet.headers))
        for i, h in enumerate(headers):
            ws.column_dimensions[_letter(i + 1)].width = 22 if i in sheet.text_columns else max(8, min(30, len(h) * 2 + 2))
        ws.column_dimensions[_letter(width + 1)].width = 100
        ws.column_dimensions[_letter(width + 2)].width = 8
        ws.freeze_panes = "A2"
        ws.page_setup.orientation = "landscape"  # printed, the reasons stay on the rows' page
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.print_title_rows = "1:1"
        header_cells = []
        for h in [*headers, REASON_HEADER, ROW_HEADER]:
            c = WriteOnlyCell(ws, h)
            c.font, c.fill = bold, head_fill
            header_cells.append(c)
        ws.append(header_cells)
        for row in sheet.rows:
            out = []
            for i in range(width):
                value = _safe(row.cells[i]) if i < len(row.cells) else None
                if value == "":
                    value = None
                c = WriteOnlyCell(ws, value)
                if i in sheet.text_columns:
                    c.number_format = "@"
                    if isinstance(value, str):
                        c.data_type = "s"
                elif isinstance(value, (date, datetime)):
                    c.number_format = "yyyy-mm-dd"
                elif isinstance(value, str):
                    c.data_type = "s"  # text starting with "=" stays text
                if i in row.bad:
                    c.fill = bad_fill
                    c.comment = Comment(_safe(row.bad[i]), "导入检查")  # type: ignore[arg-type]
                out.append(c)
            reason = WriteOnlyCell(ws, _safe("；".join(row.reasons)))
            reason.alignment = wrap
            reason.data_type = "s"
            out += [reason, WriteOnlyCell(ws, row.source_row)]
            ws.append(out)
    if not any_sheet:
        ws = wb.create_sheet("未导入的行")
        ws.append(["没有未导入的行"])
    return write_in_memory(path, wb.save)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)
