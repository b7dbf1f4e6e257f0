"""The column-wise roster reader gives exactly what reading cell by cell gave: the same rows,
values, references, problems (each at its own row and cell) and records — on a sheet built to
repeat good and bad values, with footers, template rows, column numbers and a repeated header
in the middle, hidden rows, and in CSV (untyped) as in .xlsx (typed), in the worker's table
as in the reader's own."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest
from roster_fixtures import Draft, people, write_csv, write_xlsx

from dangjian_desktop.domain.errors import Severity
from dangjian_desktop.exchange.roster_loaded import LoadedWorkbook, load_roster
from dangjian_desktop.exchange.roster_mapping import KINDS, month_header
from dangjian_desktop.exchange.roster_reader import (
    HIDDEN_ROW, ReadContext, RosterRow, RowProblem, _require, _resolve_references, analyse_sheet, build_record,
    read_sheet,
)
from dangjian_desktop.exchange.roster_source import open_workbook
from dangjian_desktop.exchange.roster_table import is_column_numbers, is_footer, repeats_header
from dangjian_desktop.exchange.roster_values import CellError, Warned, parser_for

MEMBERS = KINDS["members"]
TODAY = date(2026, 11, 26)
NOW = datetime(2026, 11, 26, 8, 0)
HEADER = ["序号", "姓名", "性别", "民族", "身份证号", "出生年月", "学历", "所在党支部", "入党时间", "转正时间",
          "流动党员", "联系电话", "发展阶段"]


def _cell_by_cell(raw, analysis, kind, ctx):
    """The reader as it was: every cell parsed as it comes (the oracle)."""
    layout = analysis.layout
    sheet = analysis.sheet
    plan = []
    for c in analysis.columns:
        if c.field is not None:
            parse = parser_for(kind.column(c.field), typed=raw.typed, month_header=month_header(c.header),
                               today=ctx.today)
            plan.append((c.index, c.field, parse, c.letter, c.header))
    refs = [c.field for c in kind.columns if kind.references(c.field) is not None]
    for number, cells in raw.rows():
        if number < layout.first_data_row or is_footer(cells):
            continue
        values, problems = {}, []
        for index, fld, parse, letter, header in plan:
            v = cells[index] if index < len(cells) else None
            if v is None or v == "":
                continue
            try:
                result = parse(v)
            except CellError as exc:
                problems.append(RowProblem(sheet, number, letter, header, exc.message, Severity.ERROR, fld))
                continue
            if type(result) is Warned:
                problems.append(RowProblem(sheet, number, letter, header, result.message, Severity.WARNING, fld))
                result = result.value
            if result is not None and (type(result) is not str or result):
                values[fld] = result
        if not values and not problems:
            continue
        if problems and (is_column_numbers(cells) or repeats_header(cells, layout)):
            continue
        if number in raw.hidden_rows:
            problems.append(RowProblem(sheet, number, "", "", HIDDEN_ROW, Severity.WARNING))
        names = _resolve_references(values, problems, refs, analysis, kind, ctx, number)
        _require(values, problems, analysis, kind, number)
        row = RosterRow(sheet, number, list(cells), values, names, problems)
        if not row.refused:
            row.record = build_record(kind, values, ctx.township_code, ctx.now)
        yield row


def _tricky_rows(control: str = "") -> list[list[object]]:
    persons = people(8)
    old_id = "410999" + "520303" + "005"  # a 15-digit number: converted, with a warning
    rows: list[list[object]] = [["青石镇党员花名册"], HEADER]
    for i, p in enumerate(persons):
        rows.append([i + 1, p.name, p.gender, "汉", p.id_number, p.birth.strftime("%Y.%m"), p.education,
                     p.branch if i % 3 else "西岭村党支部", p.probation_on, p.full_on, "是" if i % 2 else "",
                     p.phone, "正式党员"])
    p = persons[0]
    rows += [
        [9, p.name, p.gender, "汉族", p.id_number, 1998.1, "大专", p.branch, p.probation_on, p.full_on, "√", p.phone],
        [10, "张  三", "男", "汉族", 410999195203030059, 1998.1, "专科", p.branch, "1998.07", "1999年7月", "否",
         "1381234567", "正式党员"],
        list(range(1, 14)),  # column numbers under the header, repeated mid-sheet
        [11, "张  三", "男", "汉族", 410999195203030059, "1998-07", "大学专科", p.branch, "98.7", "1999.7.1", 1],
        [None] * 13,
        [12],  # a numbered template row
        HEADER,  # the header again (a printed page)
        ["合计：3 人"],
        [13, "=cmd|' /C calc'!A0", "女", "汉族", old_id, "1952-03", "初中", "东岭村党支部", 19750701, 36000, "否", "0371-1234567"],
        [14, "=cmd|' /C calc'!A0", "女", "蒙古", old_id, "1952-03", "初中", "东岭村党支部", "1975-07-01", "", "是",
         "0371-1234567", "预备党员"],
        ["合计", "李四", "男", "汉族", persons[1].id_number, "1990-01", None, None, "2010-07", "2011-07"],  # not a footer
        [15, f"王五{control}", "男", None, persons[2].id_number],
        ["制表人：王某某", None, "审核人：李某某"],
    ]
    return rows


def _compare(raw, ctx):
    analysis = analyse_sheet(raw, MEMBERS)
    old = list(_cell_by_cell(raw, analysis, MEMBERS, ctx))
    new = list(read_sheet(raw, analysis, MEMBERS, ctx))
    assert [r.row for r in new] == [r.row for r in old] and len(old) > 10
    for a, b in zip(old, new, strict=True):
        assert (b.sheet, b.values, b.names, b.problems, b.refused) == (a.sheet, a.values, a.names, a.problems, a.refused)
        cells = list(a.cells)
        while cells and (cells[-1] is None or cells[-1] == ""):
            cells.pop()
        assert list(b.cells) == cells, (list(b.cells), cells)
        if a.record is None:
            assert b.record is None
        else:
            assert dataclasses.replace(b.record, uuid=a.record.uuid) == a.record
    return old


def _context() -> ReadContext:
    def resolve(field: str, name: str) -> str:
        if name.startswith("西"):
            raise CellError(f"“{name}”不存在")
        return f"uuid:{name}"
    return ReadContext("410999101000", resolve, {}, TODAY, NOW)


@pytest.mark.parametrize("calamine", [True, False], ids=["calamine", "openpyxl"])
def test_the_xlsx_reads_as_it_did_cell_by_cell(tmp_path, calamine):
    draft = Draft("东岭村党支部", _tricky_rows(), hidden_rows=[5, 12])
    path = write_xlsx(tmp_path / "花名册.xlsx", [draft])
    with open_workbook(path, prefer_calamine=calamine) as wb:
        old = _compare(wb.sheet(wb.sheet_names[0]), _context())
    messages = {p.message for r in old for p in r.problems}
    assert any("歧义" in m for m in messages) and any("公式" in m for m in messages) and HIDDEN_ROW in messages
    assert sum(1 for r in old if r.refused) >= 4 and sum(1 for r in old if r.record) >= 6


def test_the_workers_table_reads_as_the_file_did(tmp_path):
    path = write_xlsx(tmp_path / "花名册.xlsx", [Draft("东岭村党支部", _tricky_rows(), hidden_rows=[5])])
    with open_workbook(path) as wb:
        direct = _compare(wb.sheet(wb.sheet_names[0]), _context())
    loaded = LoadedWorkbook(load_roster(None, path))
    via_worker = _compare(loaded.sheet(loaded.sheet_names[0]), _context())
    assert [(r.row, r.values, r.problems) for r in via_worker] == [(r.row, r.values, r.problems) for r in direct]


def test_a_csv_reads_as_it_did_cell_by_cell(tmp_path):
    rows = [[v.isoformat() if isinstance(v, date) else v for v in row] for row in _tricky_rows("\x0b")]
    path = write_csv(tmp_path / "花名册.csv", rows)
    with open_workbook(path) as wb:
        old = _compare(wb.sheet(wb.sheet_names[0]), _context())
    assert any("歧义" in p.message for r in old for p in r.problems)
    assert any("控制字符" in p.message for r in old for p in r.problems)


@pytest.mark.parametrize("field", ["households_linked", "monthly_dues", "birth_date", "probation_on", "stage", "floating"])
def test_zero_and_negative_zero_read_alike(field):
    """The table keeps 0.0 and -0.0 apart (each converted once): they give the same value or
    the same problem, as when one parser's answers were remembered for both."""
    parse = parser_for(MEMBERS.column(field), typed=True, today=TODAY)

    def outcome(v):
        try:
            return ("value", parse(v))
        except CellError as exc:
            return ("problem", exc.message)
    assert outcome(0.0) == outcome(-0.0) == outcome(0.0)  # and the same answer when asked again
