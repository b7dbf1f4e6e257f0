"""Finding the header in messy sheets and telling data rows from the rest."""

from __future__ import annotations

from dangjian_desktop.exchange.roster_mapping import KINDS, auto_mapping, mapping_key, month_header
from dangjian_desktop.exchange.roster_table import (
    find_header, is_column_numbers, is_footer, normalize_header, repeats_header, strip_hints,
)

MEMBERS = KINDS["members"]


def header(rows, merged=()):
    return find_header(list(enumerate(rows, start=1)), merged, MEMBERS.knows)


def test_title_rows_are_skipped():
    layout = header([["青石镇党员花名册"], ["填报单位：东岭村", None, "填报时间：2026年11月"],
                     ["序号", "姓名", "性别", "身份证号"], [1, "王建国", "男", "x"]])
    assert layout is not None and layout.header_rows == (3,)
    assert [c.text for c in layout.columns] == ["序号", "姓名", "性别", "身份证号"]
    assert layout.first_data_row == 4


def test_two_level_header_with_merges():
    rows = [["序号", "姓名", "发展情况", None, "联系电话"], [None, None, "入党时间", "转正时间", None]]
    merged = [(1, 1, 2, 1), (1, 2, 2, 2), (1, 3, 1, 4), (1, 5, 2, 5)]
    layout = header(rows, merged)
    assert layout.header_rows == (1, 2)
    assert [c.text for c in layout.columns] == ["序号", "姓名", "发展情况_入党时间", "发展情况_转正时间", "联系电话"]


def test_two_level_header_without_merges_as_in_csv():
    rows = [["序号", "姓名", "发展情况", "", "联系电话"], ["", "", "入党时间", "转正时间", ""]]
    layout = header(rows)
    assert [c.text for c in layout.columns] == ["序号", "姓名", "发展情况_入党时间", "发展情况_转正时间", "联系电话"]


def test_a_group_row_above_a_full_header_needs_merges():
    rows = [["基本情况", None, None, "入党情况", None], ["姓名", "性别", "身份证号", "入党时间", "转正时间"]]
    assert header(rows).header_rows == (2,)  # no merges: the group names are just a title
    layout = header(rows, [(1, 1, 1, 3), (1, 4, 1, 5)])
    assert layout.header_rows == (1, 2)
    assert layout.columns[0].text == "基本情况_姓名" and layout.columns[4].text == "入党情况_转正时间"
    assert MEMBERS.field_for(layout.columns[4].text) == "full_on"


def test_a_data_row_under_the_header_is_not_a_second_level():
    rows = [["姓名", "性别", "身份证号", "入党时间"], ["王建国", "男", "410999198005171234", "1998-07-01"]]
    assert header(rows).header_rows == (1,)


def test_no_header_found():
    assert header([["说明"], ["本表为示例"], ["王建国", "男"]]) is None


def test_header_cells_with_line_breaks_and_hints_map():
    assert normalize_header(" 出生年月\n(yyyy-MM) ") == "出生年月(yyyy-MM)"
    assert strip_hints(normalize_header("月交党费（元）")) == "月交党费"
    assert MEMBERS.field_for("出生年月\n(yyyy-MM)") == "birth_date"
    assert MEMBERS.field_for("公民身份\n号码") == "id_number"
    assert MEMBERS.field_for("*姓名") == "name"
    assert MEMBERS.field_for("加入党组织日期") == "probation_on"
    assert MEMBERS.field_for("籍贯") is None
    assert month_header("出生年月\n(yyyy-MM)") and month_header("出生年月")
    assert not month_header("出生日期(yyyy-MM-dd)")


def test_a_field_claimed_twice_keeps_its_first_column():
    layout = header([["姓名", "身份证号", "公民身份号码"]])
    mapping, notes = auto_mapping(MEMBERS, layout)
    assert mapping == {0: "name", 1: "id_number", 2: None}
    assert "C列" in notes[0] and "B列" in notes[0]


def test_footers_column_numbers_and_repeated_headers():
    assert is_footer(["合计：12 人"])
    assert is_footer([None, "制表人：王某某", None, "审核人：李某某"])
    assert is_footer(["注：身份证号请设为文本格式"])
    assert not is_footer([1, "合计", "男"])  # a 序号 first: a data row
    assert not is_footer(["王建国", "男", "汉族", "x", "y", "z"])
    assert is_column_numbers([1, 2, 3, 4, 5])
    assert is_column_numbers(["(1)", "(2)", "(3)"])
    assert not is_column_numbers([1, "王建国", "男"])
    layout = header([["序号", "姓名", "性别", "身份证号"]])
    assert repeats_header(["序号", "姓名", "性别", "身份证号"], layout)
    assert not repeats_header([1, "王建国", "男", "x"], layout)


def test_mapping_keys_ignore_the_error_workbook_columns():
    a = mapping_key(MEMBERS, ["序号", "姓名", "身份证号"])
    assert a == mapping_key(MEMBERS, ["序号", "姓名", " 身份证号 ", "错误原因", "原行号"])
    assert a != mapping_key(MEMBERS, ["姓名", "序号", "身份证号"])
    assert a != mapping_key(KINDS["reserve"], ["序号", "姓名", "身份证号"])


def test_a_merged_title_or_unit_row_right_above_the_header_is_not_a_parent():
    rows = [["青石镇党员花名册", None, None, None], ["姓名", "性别", "身份证号", "入党时间"]]
    assert header(rows, [(1, 1, 1, 4)]).header_rows == (2,)
    rows = [["填报单位：东岭村", None, "填报日期：2026年", None], ["姓名", "性别", "身份证号", "入党时间"]]
    layout = header(rows, [(1, 1, 1, 2), (1, 3, 1, 4)])
    assert layout.header_rows == (2,) and layout.columns[0].text == "姓名"
