"""The error workbook: the refused rows as they were, bad cells red with a comment, a reason
column — and the importer reads it back with the same columns."""

from __future__ import annotations

from datetime import datetime

import openpyxl

from dangjian_desktop.exchange.roster_errors_workbook import ErrorRow, ErrorSheet, write_error_workbook
from dangjian_desktop.exchange.roster_mapping import KINDS
from dangjian_desktop.exchange.roster_reader import analyse_sheet
from dangjian_desktop.exchange.roster_source import open_workbook


def test_refused_rows_are_copied_with_their_reasons(tmp_path):
    headers = ["", "序号", "姓名", "公民身份号码", "发展情况_入党时间"]
    rows = [ErrorRow(7, [None, 3, "王建国", 4.10999195203030e17, datetime(1977, 7, 1)],
                     {3: "身份证号被存成了数字"}, ["D列“公民身份号码”：身份证号被存成了数字"]),
            ErrorRow(12, [None, 8, "=李四", "410999", "1998.1"], {3: "应为 18 位", 4: "有歧义"},
                     ["D列：应为 18 位", "E列：有歧义"])]
    path = write_error_workbook(tmp_path / "未导入.xlsx", [ErrorSheet("东岭村党支部", headers, rows, frozenset({3}))])
    ws = openpyxl.load_workbook(path)["东岭村党支部"]
    assert [c.value for c in ws[1]] == [None, "序号", "姓名", "公民身份号码", "发展情况_入党时间", "错误原因", "原行号"]
    assert ws["B1"].font.bold and ws["F1"].font.bold
    assert ws["D2"].fill.fgColor.rgb.endswith("FFC7CE") and ws["D2"].comment.text == "身份证号被存成了数字"
    assert ws["C2"].fill.fill_type is None and ws["C2"].comment is None
    assert ws["D2"].number_format == "@" and ws["D3"].value == "410999" and ws["D3"].data_type == "s"
    assert ws["E2"].value == datetime(1977, 7, 1) and ws["E2"].number_format == "yyyy-mm-dd"
    assert ws["C3"].value == "=李四" and ws["C3"].data_type == "s"  # text, not a formula
    assert ws["F3"].value == "D列：应为 18 位；E列：有歧义" and ws["G3"].value == 12
    assert ws.freeze_panes == "A2"
    assert not list(tmp_path.glob("*.tmp"))

    with open_workbook(path) as wb:
        analysis = analyse_sheet(wb.sheet("东岭村党支部"), KINDS["members"])
    assert {c.header: c.field for c in analysis.columns} == {
        "序号": None, "姓名": "name", "公民身份号码": "id_number", "发展情况_入党时间": "probation_on",
        "错误原因": None, "原行号": None}


def test_nothing_refused_still_gives_a_readable_file(tmp_path):
    path = write_error_workbook(tmp_path / "空.xlsx", [])
    assert openpyxl.load_workbook(path).active["A1"].value == "没有未导入的行"
