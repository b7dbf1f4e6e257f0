"""The 统计 sheet and the 汇总表, read back with openpyxl as a clerk's Excel would show them."""

from __future__ import annotations

import contextlib
import os
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from dangjian_desktop.domain.statistics import (
    BranchCompletion, FigureDef, FigureKind, Period, StatisticsReport, UnitFigures, add_counts, derive,
)
from dangjian_desktop.exchange import stats_workbook as W

FIGURES = (
    FigureDef("members.total", "党员", "人", "党员队伍", note="预备党员和正式党员"),
    FigureDef("members.recruited", "期内发展党员", "人", "党员队伍"),
    FigureDef("secretaries.age_known", "出生日期已知的书记", "人", "村党组织书记"),
    FigureDef("secretaries.age_sum", "书记年龄合计", "岁", "村党组织书记", hidden=True),
    FigureDef("secretaries.mean_age", "书记平均年龄", "岁", "村党组织书记", FigureKind.MEAN,
              "secretaries.age_sum", "secretaries.age_known"),
    FigureDef("requests.received", "期内受理代办事项", "件", "为民服务代理"),
    FigureDef("requests.closed", "已办结", "件", "为民服务代理"),
    FigureDef("requests.closed_share", "办结率", "%", "为民服务代理", FigureKind.SHARE,
              "requests.closed", "requests.received"),
)
COUNTS = [
    {"members.total": 120, "members.recruited": 3, "secretaries.age_known": 2, "secretaries.age_sum": 91,
     "requests.received": 8, "requests.closed": 4},
    {"members.total": 80, "members.recruited": 0, "secretaries.age_known": 0, "secretaries.age_sum": 0,
     "requests.received": 0, "requests.closed": 0},
]


def make_report(n_towns: int = 2) -> StatisticsReport:
    towns = [("410999101000", "青石镇"), ("410999102000", "=HYPERLINK(\"x\")镇\x0b")][:n_towns]
    parts = COUNTS[:n_towns]
    return StatisticsReport(
        unit_name="青川区" if n_towns > 1 else "青石镇", unit_code="410999000000", district=n_towns > 1,
        period=Period.year(2026), as_of=date(2026, 11, 26), income_year=2025, income_threshold=Decimal("5"),
        figures=FIGURES,
        townships=tuple(UnitFigures(c, n, derive(FIGURES, p)) for (c, n), p in zip(towns, parts)),
        total=UnitFigures("", "合计", derive(FIGURES, add_counts(parts))),
        branches=(BranchCompletion("410999101000", "u1", "东岭村党支部", 36, 36, 38),
                  BranchCompletion("410999101000", "u2", "=1+1支部", 36, 4, 6)),
    )


def test_the_summary_workbook_reads_as_a_table_of_townships(tmp_path):
    path = W.write_summary_workbook(tmp_path / "汇总表.xlsx", make_report())
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["汇总表", "指标说明", "党支部组织生活"]
    ws = wb["汇总表"]
    assert ws["A1"].value == "青川区党建工作统计汇总表（2026年）"
    assert "统计截止日：2026-11-26" in ws["A2"].value
    # two header rows: groups (merged) over figure labels with units; hidden helpers left out
    assert [ws.cell(3, c).value for c in range(1, 5)] == ["序号", "乡镇（街道）", "区划代码", "党员队伍"]
    assert [ws.cell(4, c).value for c in range(4, 10)] == [
        "党员（人）", "期内发展党员（人）", "出生日期已知的书记（人）", "书记平均年龄（岁）",
        "期内受理代办事项（件）", "已办结（件）"]
    assert ws.cell(4, 10).value == "办结率（%）" and ws.cell(4, 11).value is None
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A3:A4", "B3:B4", "C3:C4", "D3:E3", "F3:G3", "H3:J3"} <= merged
    rows = [[ws.cell(r, c).value for c in range(1, 11)] for r in range(5, 8)]
    assert rows[0] == [1, "青石镇", "410999101000", 120, 3, 2, 45.5, 8, 4, 50]
    assert rows[1] == [2, "=HYPERLINK(\"x\")镇", "410999102000", 80, 0, 0, "—", 0, 0, "—"]
    assert rows[2] == [None, "合计", "410999000000", 200, 3, 2, 45.5, 8, 4, 50]
    assert ws.cell(6, 2).data_type == "s"  # a name that looks like a formula stays text
    assert ws.freeze_panes == "D5"
    assert ws.cell(7, 4).font.bold
    assert "制表人" in ws.cell(9, 2).value and "审核人" in ws.cell(9, 2).value


def test_the_notes_sheet_explains_each_figure(tmp_path):
    wb = openpyxl.load_workbook(W.write_summary_workbook(tmp_path / "s.xlsx", make_report()))
    notes = {row[3]: row for row in wb["指标说明"].iter_rows(min_row=2, values_only=True) if row[3]}
    assert notes["members.total"] == ("党员队伍", "党员", "人", "members.total", "预备党员和正式党员")
    assert notes["requests.closed_share"][4] == "已办结 ÷ 期内受理代办事项 × 100%"
    assert notes["secretaries.mean_age"][4] == "书记年龄合计 ÷ 出生日期已知的书记"
    assert "secretaries.age_sum" not in notes
    texts = [row[0] for row in wb["指标说明"].iter_rows(values_only=True) if row[0]]
    assert any("多开不抵欠" in t for t in texts)
    branches = list(wb["党支部组织生活"].iter_rows(values_only=True))
    assert branches[1] == ("青石镇", "东岭村党支部", 36, 36, 100, 38)
    assert branches[2] == ("青石镇", "=1+1支部", 36, 4, 11.11, 6)


def test_a_failed_write_leaves_the_old_file_and_no_leftovers(tmp_path, monkeypatch):
    target = tmp_path / "汇总表.xlsx"
    target.write_bytes(b"old")

    def broken_save(self, filename):  # a path, or the file object the workbook is assembled in
        with open(filename, "wb") if isinstance(filename, (str, os.PathLike)) else contextlib.nullcontext(filename) as f:
            f.write(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken_save)
    with pytest.raises(W.StatsWorkbookError, match="无法写入 .*汇总表.xlsx"):
        W.write_summary_workbook(target, make_report())
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["汇总表.xlsx"]


def test_a_missing_folder_is_named(tmp_path):
    with pytest.raises(W.StatsWorkbookError, match="文件夹 .*nowhere 不存在"):
        W.write_summary_workbook(tmp_path / "nowhere" / "s.xlsx", make_report())


def _read_back(path):
    return [list(r) for r in openpyxl.load_workbook(path)["统计"].iter_rows(values_only=True)]


def _check_stats_rows(rows, one_township: bool):
    assert rows[0][0] == ("青石镇" if one_township else "青川区") + "党建工作统计（2026年）"
    header = rows[3]
    assert header[:2] == ["分类", "指标"]
    if one_township:
        assert header[2:5] == ["数值", "单位", "口径"]
        assert rows[4][:5] == ["党员队伍", "党员", 120, "人", "预备党员和正式党员"]
    else:
        assert header[2:5] == ["青石镇", "=HYPERLINK(\"x\")镇", "合计"]
        assert rows[4][:6] == ["党员队伍", "党员", 120, 80, 200, "人"]
    labels = [r[1] for r in rows]
    assert "书记年龄合计" not in labels and "书记平均年龄" in labels
    assert ["青石镇", "=1+1支部", 36, 4, 11.11, 6] in [r[:6] for r in rows]
    rules = rows[[r[0] for r in rows].index("通用口径") + 1:]  # what “—” and 应开展 mean, as in the 汇总表
    assert [r[0] for r in rules] == list(W.RULES) and any("“—”" in r[0] for r in rules)


@pytest.mark.parametrize("write_only", [False, True])
@pytest.mark.parametrize("towns", [1, 2])
def test_the_stats_sheet_in_an_openpyxl_workbook(tmp_path, write_only, towns):
    wb = openpyxl.Workbook(write_only=write_only)
    ws = wb.create_sheet(W.STATS_SHEET)
    n = W.write_stats_sheet(ws, make_report(towns))
    wb.save(tmp_path / "p.xlsx")
    rows = _read_back(tmp_path / "p.xlsx")
    assert len(rows) == n
    _check_stats_rows(rows, towns == 1)


def test_the_stats_sheet_in_an_xlsxwriter_workbook(tmp_path):
    xlsxwriter = pytest.importorskip("xlsxwriter")
    wb = xlsxwriter.Workbook(tmp_path / "p.xlsx")
    n = W.write_stats_sheet(wb.add_worksheet(W.STATS_SHEET), make_report(2))
    wb.close()
    rows = _read_back(tmp_path / "p.xlsx")
    assert len(rows) == n
    _check_stats_rows(rows, False)


def test_anything_else_is_not_a_sheet():
    with pytest.raises(TypeError):
        W.write_stats_sheet(object(), make_report())


def _display_width(text: str) -> int:
    """Excel's column width in characters: a Chinese character takes two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


@pytest.mark.parametrize("towns", [1, 2])
def test_the_stats_sheet_headers_fit_their_columns(tmp_path, towns):
    """A header cell beside another is cut at its column's edge: every header of the figures
    and of the 党支部 table below them must fit (the latter uses the first six columns)."""
    wb = openpyxl.Workbook()
    W.write_stats_sheet(wb.active, make_report(towns))
    wb.save(tmp_path / "p.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "p.xlsx").active
    headers = [row for row in ws.iter_rows() if row[0].value in ("分类", "乡镇")]
    assert len(headers) == 2
    for row in headers:
        for cell in row:
            if cell.value:
                width = ws.column_dimensions[cell.column_letter].width
                assert _display_width(cell.value) <= width, (cell.coordinate, cell.value, width)
