"""Reading messy synthetic rosters: the right rows come out, each problem names its sheet, row
(as Excel shows it) and column; both .xlsx readers, legacy .xls and CSV agree."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from roster_fixtures import Draft, data_row, messy_member_draft, people, write_csv, write_xls, write_xlsx

from dangjian_desktop.domain import records as R
from dangjian_desktop.domain.dates import PartialDate
from dangjian_desktop.domain.enums import Education, Gender
from dangjian_desktop.exchange.roster_mapping import KINDS
from dangjian_desktop.exchange.roster_reader import ReadContext, analyse_sheet, read_sheet
from dangjian_desktop.exchange.roster_sniff import RosterFileError
from dangjian_desktop.exchange.roster_source import open_workbook
from dangjian_desktop.exchange.roster_values import ID_AS_NUMBER

MEMBERS = KINDS["members"]
TODAY = date(2026, 11, 26)


def read(path, sheet=None, *, kind=MEMBERS, calamine=True, defaults=None):
    with open_workbook(path, prefer_calamine=calamine) as wb:
        raw = wb.sheet(sheet or wb.sheet_names[0])
        analysis = analyse_sheet(raw, kind)
        ctx = ReadContext("410999101000", lambda field, name: f"uuid:{name}", defaults or {}, TODAY)
        return analysis, list(read_sheet(raw, analysis, kind, ctx))


@pytest.mark.parametrize("calamine", [True, False], ids=["calamine", "openpyxl"])
def test_a_messy_member_roster(tmp_path, calamine):
    persons = people(6)
    draft = messy_member_draft(persons)
    draft.rows[4 + 1][4] = 410999195102020021  # an ID typed as a number: digits lost
    draft.rows[4 + 2][1] = "张  三"
    draft.rows[4 + 3][5] = 1998.1  # 出生年月 typed as a number: ambiguous
    draft.hidden_rows = [data_row(draft, 4)]
    analysis, rows = read(write_xlsx(tmp_path / "花名册.xlsx", [draft]), calamine=calamine)

    assert analysis.layout.header_rows == (3, 4)
    by_letter = {c.letter: (c.header, c.field) for c in analysis.columns}
    assert by_letter["F"] == ("公民身份号码", "id_number")
    assert by_letter["G"] == ("出生年月 (yyyy-MM)", "birth_date")
    assert by_letter["I"] == ("发展情况_入党时间", "probation_on")
    assert by_letter["J"] == ("发展情况_转正时间", "full_on")
    assert by_letter["B"] == ("序号", None)
    assert "A" not in by_letter  # the empty margin column is not offered
    assert analysis.column_of("name").samples[:2] == (persons[0].name, persons[1].name)

    assert [r.row for r in rows] == [data_row(draft, i) for i in range(6)]  # footers are not data
    first = rows[0].record
    assert isinstance(first, R.Member) and not rows[0].problems
    assert first.name == persons[0].name and first.id_number == persons[0].id_number
    assert first.birth_date == PartialDate.month(persons[0].birth.year, persons[0].birth.month)
    assert first.probation_on == PartialDate.day(1975, 7, 1)
    assert first.education is Education.HIGH_SCHOOL and first.gender is Gender.MALE

    bad_id = rows[1].problems
    assert [(p.sheet, p.row, p.column, p.header, p.message) for p in bad_id] == [
        ("东岭村党支部", 6, "F", "公民身份号码", ID_AS_NUMBER)]
    assert rows[1].refused and rows[1].record is None
    assert rows[2].record.name == "张三"
    ambiguous = rows[3].problems[0]
    assert (ambiguous.row, ambiguous.column, ambiguous.is_error) == (8, "G", True) and "歧义" in ambiguous.message
    hidden = rows[4]
    assert not hidden.refused and hidden.problems[0].row == 9 and "隐藏" in hidden.problems[0].message


def test_the_same_file_reads_the_same_with_both_xlsx_readers(tmp_path):
    path = write_xlsx(tmp_path / "花名册.xlsx", [messy_member_draft(people(5))])
    fast = [(r.row, r.values) for r in read(path, calamine=True)[1]]
    slow = [(r.row, r.values) for r in read(path, calamine=False)[1]]
    assert fast == slow and len(fast) == 5


def test_several_sheets_and_a_table_far_from_a1(tmp_path):
    sheets = [Draft("东岭村", [["姓名", "性别", "身份证号"]] + [[p.name, p.gender, p.id_number] for p in people(2)],
                    top=4, left=3),
              Draft("西岭村", [["姓名", "身份证号"]] + [[p.name, p.id_number] for p in people(3, start=10)])]
    path = write_xlsx(tmp_path / "两个村.xlsx", sheets)
    analysis, rows = read(path, "东岭村")
    assert analysis.layout.header_rows == (4,) and analysis.column_of("id_number").letter == "E"
    assert [r.row for r in rows] == [5, 6]
    _a, rows = read(path, "西岭村")
    assert [r.row for r in rows] == [2, 3, 4]
    assert rows[0].record.gender is Gender.MALE and rows[1].record.gender is Gender.FEMALE  # from the ID


def test_template_rows_column_numbers_and_repeated_headers_are_not_data(tmp_path):
    persons = people(3)
    head = ["序号", "姓名", "性别", "身份证号"]
    rows = [head, [1, 2, 3, 4]] + [[i, p.name, p.gender, p.id_number] for i, p in enumerate(persons[:2], 1)]
    rows += [head, [3, persons[2].name, persons[2].gender, persons[2].id_number], [4], [5], ["合计", None, "3人"]]
    _a, read_rows = read(write_xlsx(tmp_path / "t.xlsx", [Draft("Sheet1", rows)]))
    assert [r.row for r in read_rows] == [3, 4, 6] and not any(r.problems for r in read_rows)


def test_a_required_value_missing_names_its_column(tmp_path):
    p = people(1)[0]
    rows = [["姓名", "身份证号", "性别"], [None, p.id_number, "男"], ["王建国", None, "男"]]
    _a, read_rows = read(write_xlsx(tmp_path / "t.xlsx", [Draft("Sheet1", rows)]))
    assert [(x.row, x.column, x.header, x.message) for r in read_rows for x in r.problems] == [
        (2, "A", "姓名", "不能为空，请填写"), (3, "B", "身份证号", "不能为空，请填写")]


def test_references_are_names_resolved_by_the_caller(tmp_path):
    p = people(1)[0]
    rows = [["姓名", "身份证号", "所在党支部"], [p.name, p.id_number, "东岭村党支部"], [p.name, p.id_number, None]]
    _a, read_rows = read(write_xlsx(tmp_path / "t.xlsx", [Draft("Sheet1", rows)]), defaults={"branch_uuid": "西岭村党支部"})
    assert read_rows[0].record.branch_uuid == "uuid:东岭村党支部" and read_rows[0].names == {"branch_uuid": "东岭村党支部"}
    assert read_rows[1].record.branch_uuid == "uuid:西岭村党支部"  # an empty cell takes the default


def test_a_legacy_xls_roster(tmp_path):
    persons = people(3)
    rows = [["青石镇党员花名册"], ["姓名", "性别", "公民身份号码", "入党时间"]]
    rows += [[p.name, p.gender, p.id_number, p.probation_on] for p in persons]
    rows[3][2] = float(persons[1].id_number[:15] + "000")  # typed as a number
    path = write_xls(tmp_path / "老名册.xls", "东岭村", rows, hidden_rows=(4,), merges=((0, 0, 0, 3),))
    analysis, read_rows = read(path)
    assert analysis.layout.header_rows == (2,)
    assert [r.row for r in read_rows] == [3, 4, 5]
    assert read_rows[0].record.probation_on == PartialDate.day(1975, 7, 1)
    assert [(x.row, x.column, x.message) for x in read_rows[1].problems] == [(4, "C", ID_AS_NUMBER)]
    assert "隐藏" in read_rows[2].problems[0].message and read_rows[2].problems[0].row == 5


def test_a_gbk_csv_with_a_two_level_header(tmp_path):
    persons = people(2)
    rows = [["序号", "姓名", "身份证号", "发展情况", ""], ["", "", "", "入党时间", "转正时间"]]
    rows += [[1, persons[0].name, persons[0].id_number, "1998.07", "1999.7"],
             [2, persons[1].name, persons[1].id_number, "1998.1", "1999年7月1日"]]
    analysis, read_rows = read(write_csv(tmp_path / "名册.csv", rows, encoding="gbk"))
    assert [c.field for c in analysis.columns] == [None, "name", "id_number", "probation_on", "full_on"]
    assert read_rows[0].record.full_on == PartialDate.month(1999, 7)
    assert [(x.row, x.column) for x in read_rows[1].problems] == [(4, "D")]
    assert "歧义" in read_rows[1].problems[0].message


def test_a_value_in_the_far_corner_is_refused_before_any_reader_runs(tmp_path):
    path = tmp_path / "远.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "姓名"
    wb.active["XFD1048576"] = "x"
    wb.save(path)
    with open_workbook(path) as book, pytest.raises(RosterFileError) as err:
        book.sheet(book.sheet_names[0])
    assert "数据范围过大" in err.value.message and "1,048,576" in err.value.message
