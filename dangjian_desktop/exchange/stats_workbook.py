"""Statistics in Excel: the 统计 sheet of the monthly package and the district's 汇总表.

Both are built from a ``domain.statistics.StatisticsReport`` (labels, units and groups travel in
the report, so nothing here repeats them):

* ``write_stats_sheet(sheet, report)`` fills a worksheet the package writer has created — an
  openpyxl worksheet (normal or write-only: rows are appended) or an xlsxwriter worksheet
  (``write_row``); the figures are listed one a line (分类, 指标, value per township and
  合计, 单位, 口径), then each 党支部's 三会一课 completion. Text is always written as text
  (never a formula) and stripped of control characters.
* ``write_summary_workbook(path, report)`` writes the 汇总表 with openpyxl: one row per township
  and a 合计 row, the figures as columns under merged group headers, frozen panes, a
  制表人/审核人 line; a 指标说明 sheet with every figure's key and 口径; a sheet of the
  党支部 completion. The file is written beside its target and renamed into place, so an
  existing file is never left half-written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ..domain.errors import DomainError
from ..domain.statistics import FigureDef, FigureKind, StatisticsReport, UnitFigures, Value
from .output_file import write_in_memory

STATS_SHEET = "统计"
SUMMARY_SHEET = "汇总表"
NOTES_SHEET = "指标说明"
BRANCH_SHEET = "党支部组织生活"
MISSING = "—"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

RULES = (
    "统计期间为某月或某年；统计截止日为期间最后一天，期间尚未结束时为统计当天。",
    "党员、党组织、书记、后备干部等存量指标按统计时台账现状计算；“期内”指标按日期在期间第一天至统计截止日之间计算。",
    "已删除的记录一律不计；已转出、死亡、出党的党员不计入党员总数。年龄按统计截止日计算周岁，只有年月的日期按当月1日计。",
    "三会一课及主题党日：每月一次的每月应开展1次，每季一次的每季应开展1次；月、季结束后才计入应开展；"
    "到期的月、季内至少开展一次即为完成，多开不抵欠。完成率 = 按时开展 ÷ 应开展。",
    "占比、平均数保留两位小数；合计行的占比和平均数按各乡镇的分子、分母合计重新计算（即加权平均）。",
    f"“{MISSING}”表示没有可计算的数，如应开展为 0 时（期间内还没有结束的月、季）的完成率。",
)


class StatsWorkbookError(DomainError):
    pass


def clean(value: Value | str) -> Any:
    """A value as a cell takes it: numbers as numbers, text without control characters."""
    if value is None:
        return MISSING
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return _CONTROL.sub("", value)
    return value


def _unit_columns(report: StatisticsReport) -> list[UnitFigures]:
    """The township columns of a vertical listing: each township, then 合计 if more than one."""
    if len(report.townships) == 1:
        return [report.townships[0]]
    return [*report.townships, report.total]


def _heading(report: StatisticsReport) -> str:
    return f"{report.unit_name}党建工作统计（{report.period.title}）"


def _subheading(report: StatisticsReport) -> str:
    return (f"统计截止日：{report.as_of.isoformat()}　集体经济收入年度：{report.income_year}年　"
            f"收入标准：{report.income_threshold}万元")


def _value_headers(report: StatisticsReport) -> list[str]:
    units = _unit_columns(report)
    return [u.name if len(units) > 1 else "数值" for u in units]


def _display_width(text: str) -> int:
    """Characters as Excel measures a column: a Chinese one (or a full-width bracket) takes two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def stats_sheet_rows(report: StatisticsReport) -> list[tuple[list[Any], bool]]:
    """The 统计 sheet as rows of cell values, each with whether it is a heading row."""
    units = _unit_columns(report)
    value_headers = [clean(h) for h in _value_headers(report)]
    rows: list[tuple[list[Any], bool]] = [
        ([_heading(report)], True),
        ([_subheading(report)], False),
        ([], False),
        (["分类", "指标", *value_headers, "单位", "口径"], True),
    ]
    for group, defs in report.groups():
        for d in defs:
            rows.append(([group, d.label, *(clean(u.values[d.key]) for u in units), d.unit, d.note], False))
    if report.branches:
        names = {t.code: t.name for t in report.townships}
        rows += [([], False), (["各党支部三会一课及主题党日完成情况"], True),
                 (["乡镇", "党支部", "应开展（次）", "按时开展（次）", "完成率（%）", "期内召开（次）"], True)]
        for b in report.branches:
            rows.append(([names.get(b.township_code, b.township_code), clean(b.name), b.required, b.done,
                          clean(b.rate), b.held], False))
    rows += [([], False), (["通用口径"], True), *(([rule], False) for rule in RULES)]
    return rows


def stats_sheet_widths(report: StatisticsReport) -> list[int]:
    """Column widths wide enough for every header, of the figures and of the 党支部 table (which
    uses the first six columns): a header next to another is cut at its column's edge."""
    values = [max(12, _display_width(clean(h)) + 2) for h in _value_headers(report)]
    widths = [16, 30, *values, 8, 50]
    if report.branches:
        table = [16, 30, 12, 14, 12, 14]  # 乡镇, 党支部, 应开展（次）, 按时开展（次）, 完成率（%）, 期内召开（次）
        widths += [0] * (len(table) - len(widths))
        widths = [max(w, t) for w, t in zip(widths, table, strict=False)]
    return widths


class _SheetAdapter:
    """Appends rows to an openpyxl worksheet (normal or write-only) or an xlsxwriter one."""

    def __init__(self, sheet: Any) -> None:
        self.sheet = sheet
        self.xlsxwriter = hasattr(sheet, "write_row") and hasattr(sheet, "write_string")
        if not self.xlsxwriter and not hasattr(sheet, "append"):
            raise TypeError("write_stats_sheet needs an openpyxl or xlsxwriter worksheet")
        self.row_index = 0

    def widths(self, widths: Sequence[int]) -> None:
        for i, w in enumerate(widths):
            if self.xlsxwriter:
                self.sheet.set_column(i, i, w)
            else:
                self.sheet.column_dimensions[get_column_letter(i + 1)].width = w

    def append(self, values: Sequence[Any], bold: bool = False) -> None:
        values = [clean(v) for v in values]
        if self.xlsxwriter:
            for col, v in enumerate(values):
                if isinstance(v, str):
                    self.sheet.write_string(self.row_index, col, v)
                else:
                    self.sheet.write_number(self.row_index, col, v)
        else:
            cells = []
            for v in values:
                cell = WriteOnlyCell(self.sheet, value=v)
                if isinstance(v, str):
                    cell.data_type = "s"  # "=…" stays text
                if bold:
                    cell.font = Font(bold=True)
                cells.append(cell)
            self.sheet.append(cells)
        self.row_index += 1


def write_stats_sheet(sheet: Any, report: StatisticsReport) -> int:
    """Fill ``sheet`` with the report's figures; returns the number of rows written."""
    out = _SheetAdapter(sheet)
    out.widths(stats_sheet_widths(report))
    rows = stats_sheet_rows(report)
    for values, heading in rows:
        out.append(values, bold=heading)
    return len(rows)


# ---- the 汇总表 ---------------------------------------------------------------------------

_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="F2DCDB")
_TOTAL_FILL = PatternFill("solid", fgColor="FFF2CC")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_FIXED = ("序号", "乡镇（街道）", "区划代码")


def _text_cell(ws: Any, row: int, col: int, value: str, **style: Any) -> Any:
    cell = ws.cell(row=row, column=col)
    cell.value = clean(value)
    cell.data_type = "s"
    for name, v in style.items():
        setattr(cell, name, v)
    return cell


def _number_format(d: FigureDef) -> str:
    return "0" if d.kind is FigureKind.COUNT else "0.00"


def _write_summary_sheet(ws: Any, report: StatisticsReport) -> None:
    defs = list(report.visible)
    groups = report.groups()
    first = len(_FIXED) + 1
    last_col = len(_FIXED) + len(defs)
    title = f"{report.unit_name}党建工作统计汇总表（{report.period.title}）"
    _text_cell(ws, 1, 1, title, font=Font(bold=True, size=14))
    _text_cell(ws, 2, 1, _subheading(report))
    for i, title in enumerate(_FIXED, start=1):
        _text_cell(ws, 3, i, title, font=Font(bold=True), alignment=_CENTER, fill=_HEAD_FILL, border=_BOX)
        ws.merge_cells(start_row=3, start_column=i, end_row=4, end_column=i)
    col = first
    for group, members in groups:
        _text_cell(ws, 3, col, group, font=Font(bold=True), alignment=_CENTER, fill=_HEAD_FILL, border=_BOX)
        if len(members) > 1:
            ws.merge_cells(start_row=3, start_column=col, end_row=3, end_column=col + len(members) - 1)
        for d in members:
            _text_cell(ws, 4, col, f"{d.label}（{d.unit}）", font=Font(bold=True), alignment=_CENTER,
                       fill=_HEAD_FILL, border=_BOX)
            ws.column_dimensions[get_column_letter(col)].width = 11
            col += 1
    ws.row_dimensions[4].height = 72
    units = [*report.townships, report.total]
    for n, unit in enumerate(units, start=1):
        r = 4 + n
        is_total = unit is report.total
        fill = _TOTAL_FILL if is_total else None
        style = {"border": _BOX, **({"fill": fill, "font": Font(bold=True)} if fill else {})}
        cell = ws.cell(row=r, column=1, value=None if is_total else n)
        for name, v in style.items():
            setattr(cell, name, v)
        _text_cell(ws, r, 2, unit.name, **style)
        _text_cell(ws, r, 3, report.unit_code if is_total else unit.code, **style)
        for i, d in enumerate(defs, start=first):
            value = unit.values[d.key]
            cell = ws.cell(row=r, column=i, value=clean(value))
            cell.number_format = _number_format(d)
            cell.alignment = Alignment(horizontal="right")
            for name, v in style.items():
                setattr(cell, name, v)
    foot = 4 + len(units) + 2
    _text_cell(ws, foot, 2, "制表人：＿＿＿＿＿＿　　审核人：＿＿＿＿＿＿　　填报日期：＿＿＿＿年＿＿月＿＿日")
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 14
    ws.column_dimensions["C"].width = 15
    ws.freeze_panes = ws.cell(row=5, column=first)
    ws.print_title_rows = "3:4"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    assert col - 1 == last_col


def _write_notes_sheet(ws: Any, report: StatisticsReport) -> None:
    headers = ("分类", "指标", "单位", "键（stats --json）", "口径说明")
    for i, h in enumerate(headers, start=1):
        _text_cell(ws, 1, i, h, font=Font(bold=True), fill=_HEAD_FILL, border=_BOX)
    r = 2
    for group, defs in report.groups():
        for d in defs:
            note = d.note
            if d.kind is not FigureKind.COUNT:
                num, den = report.figure(d.num or "").label, report.figure(d.den or "").label
                formula = f"{num} ÷ {den}" + (" × 100%" if d.kind is FigureKind.SHARE else "")
                note = f"{formula}。{note}" if note else formula
            for i, v in enumerate((group, d.label, d.unit, d.key, note), start=1):
                _text_cell(ws, r, i, v)
            r += 1
    r += 1
    _text_cell(ws, r, 1, "通用口径", font=Font(bold=True))
    for rule in RULES:
        r += 1
        _text_cell(ws, r, 1, rule)
    for col, w in zip("ABCDE", (16, 30, 6, 40, 80)):
        ws.column_dimensions[col].width = w


def _write_branch_sheet(ws: Any, report: StatisticsReport) -> None:
    names = {t.code: t.name for t in report.townships}
    headers = ("乡镇（街道）", "党支部", "应开展（次）", "按时开展（次）", "完成率（%）", "期内召开（次）")
    for i, h in enumerate(headers, start=1):
        _text_cell(ws, 1, i, h, font=Font(bold=True), fill=_HEAD_FILL, border=_BOX)
    for r, b in enumerate(report.branches, start=2):
        _text_cell(ws, r, 1, names.get(b.township_code, b.township_code))
        _text_cell(ws, r, 2, b.name)
        for i, v in enumerate((b.required, b.done, clean(b.rate), b.held), start=3):
            ws.cell(row=r, column=i, value=v)
    for col, w in zip("ABCDEF", (14, 34, 12, 14, 12, 14)):
        ws.column_dimensions[col].width = w
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:F{max(1, len(report.branches) + 1)}"


def write_summary_workbook(path: Path | str, report: StatisticsReport) -> Path:
    """Write the 汇总表 to ``path`` (replacing it only once the new file is complete)."""
    path = Path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = SUMMARY_SHEET
    _write_summary_sheet(ws, report)
    _write_notes_sheet(wb.create_sheet(NOTES_SHEET), report)
    _write_branch_sheet(wb.create_sheet(BRANCH_SHEET), report)
    if not path.parent.is_dir():
        raise StatsWorkbookError(f"文件夹 {path.parent} 不存在，请先创建它或换一个保存位置")
    write_in_memory(path, wb.save, StatsWorkbookError)
    return path
