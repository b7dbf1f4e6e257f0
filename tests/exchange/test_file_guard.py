"""The gate both importers share: content sniffing, the zip container checks at their limits,
DOCTYPE/ENTITY anywhere in an XML part, and the extent scan that a lying file cannot fool."""

from __future__ import annotations

import io
import random
import re

import openpyxl
import pytest
from hostile_files import BILLION_LAUGHS, MAIN, small_xlsx
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter
from zip_craft import MIB, Entry, write_zip, zeros_entry

from dangjian_desktop.exchange import file_guard
from dangjian_desktop.exchange.file_guard import Content, FileRefused, Gate, beyond_pattern, column_index, scan_sheet_xml

GATE = Gate(FileRefused, "请另存")


def sheet(body: str, dimension: str | None = None) -> bytes:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<worksheet xmlns="{MAIN}">{dim}<sheetData>{body}</sheetData></worksheet>'.encode()


def scan(xml: bytes, **kw):
    return scan_sheet_xml(lambda: io.BytesIO(xml), **kw)


def refusal(path) -> str:
    with pytest.raises(FileRefused) as err:
        GATE.check_zip(path)
    return err.value.message


@pytest.mark.parametrize(("head", "content"), [
    (b"PK\x03\x04rest", Content.ZIP),
    (file_guard.OLE_MAGIC + bytes(100), Content.OLE),
    (b"MZ\x90\x00", Content.EXECUTABLE),
    (b"%PDF-1.7", Content.PDF),
    (b"\x89PNG\r\n\x1a\n", Content.IMAGE),
    (b"\x1f\x8b\x08\x00", Content.ARCHIVE),
    (b"  <html><body>", Content.HTML),
    (b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">', Content.SPREADSHEET_XML),
    (b'<?xml version="1.0"?><note/>', Content.XML),
    ("姓名,性别\n王建国,男\n".encode("utf-8"), Content.TEXT),
    ("姓名,性别\n王建国,男\n".encode("gbk"), Content.TEXT),
    ("姓名,性别\n王建国,男\n".encode("utf-16"), Content.UTF16_TEXT),
    ("姓名,性别,身份证号\n王建国,男,1\n".encode("utf-16-le"), Content.UTF16_TEXT),
    (b"\x00\x01\x02garbage" * 100, Content.UNKNOWN),
])
def test_content_decides_not_the_name(tmp_path, head, content):
    path = tmp_path / "名册.xlsx"
    path.write_bytes(head)
    assert GATE.sniff(path).content is content


def test_size_limit_and_empty_files(tmp_path, monkeypatch):
    path = tmp_path / "大.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(100))
    monkeypatch.setattr(file_guard, "MAX_FILE_BYTES", 100)
    with pytest.raises(FileRefused, match="“大.xlsx”有 0 MB，超过了 0 MB 的上限"):
        GATE.sniff(path)
    empty = tmp_path / "空.xlsx"
    empty.write_bytes(b"")
    with pytest.raises(FileRefused, match="“空.xlsx”是空的"):
        GATE.sniff(empty)


def test_a_normal_workbook_passes(tmp_path):
    path = small_xlsx(tmp_path / "名册.xlsx", sheet('<row r="1"><c r="A1"><v>1</v></c></row>', "A1"))
    assert "xl/worksheets/sheet1.xml" in GATE.check_zip(path)


def test_ratio_limit_counts_only_beyond_the_floor(tmp_path):
    assert file_guard.RATIO_FLOOR == MIB
    at_floor = write_zip(tmp_path / "一兆.xlsx", [zeros_entry("a.bin", 1)])
    GATE.check_zip(at_floor)  # 1 MiB of zeros: ratio 1,000 but not beyond the floor
    beyond = write_zip(tmp_path / "两兆.xlsx", [zeros_entry("a.bin", 2)])
    assert "“a.bin”解压后异常巨大（压缩比" in refusal(beyond)


def test_total_size_and_entry_count(tmp_path, monkeypatch):
    monkeypatch.setattr(file_guard, "MAX_INFLATED_BYTES", 3 * MIB)
    big = write_zip(tmp_path / "大.xlsx", [Entry(f"{i}.bin", bytes(range(256)) * 4096) for i in range(4)])
    assert "解压后异常巨大（4 MB，上限 3 MB）" in refusal(big)
    monkeypatch.setattr(file_guard, "MAX_ZIP_ENTRIES", 3)
    assert "内部有 4 个条目，超过了 3 个的上限" in refusal(big)


def test_doctype_is_found_across_a_chunk_boundary(tmp_path):
    noise = random.Random(1).randbytes(MIB).hex().encode()  # hardly compressible
    part = b"<?xml version='1.0'?><!--" + noise[: 512 + MIB - 32] + b"-->   <!DOCTYPE x []><x/>"
    assert part.index(b"<!DOCTYPE") < 512 + MIB < part.index(b"<!DOCTYPE") + 9
    path = write_zip(tmp_path / "跨块.xlsx", [Entry("xl/styles.xml", part)])
    assert "“xl/styles.xml”含有 XML 文档类型声明" in refusal(path)


def test_strict_ooxml_is_named(tmp_path):
    strict = "http://purl.oclc.org/ooxml/spreadsheetml/main"
    path = small_xlsx(tmp_path / "严格.xlsx", sheet(""), main=strict)
    assert "Strict Open XML" in refusal(path) and "Excel 工作簿（*.xlsx）" in refusal(path)


def test_openpyxl_uses_defusedxml_and_refuses_an_entity_bomb(tmp_path):
    assert openpyxl.DEFUSEDXML is True
    from defusedxml import DefusedXmlException

    path = small_xlsx(tmp_path / "炸弹.xlsx", (BILLION_LAUGHS + f'<worksheet xmlns="{MAIN}"><sheetData><row r="1">'
                                              '<c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
                                              "</sheetData></worksheet>").encode())
    with path.open("rb") as f, pytest.raises(ValueError) as err:  # openpyxl wraps it, naming invalid XML
        openpyxl.load_workbook(f)
    assert isinstance(err.value.__cause__, DefusedXmlException)


# -- the extent scan ---------------------------------------------------------------------------
FAR = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
NEAR = '<row r="1"><c r="A1"><v>1</v></c><c r="B1" s="1"/></row><row r="2"><c r="C2" t="s"><v>0</v></c></row>'


def test_an_honest_dimension_is_believed():
    found = scan(sheet(NEAR, "A1:C2"), cell_limit=100)
    assert (found.max_row, found.max_col) == (2, 3)


@pytest.mark.parametrize("far", [
    FAR,
    '<row r="1048576"><c t="n" r="XFD1048576"><v>1</v></c></row>',  # r not the first attribute
    "<row r='1048576'><c r='XFD1048576'><v>1</v></c></row>",  # single quotes
    '<row r="1048576"><c r = "XFD1048576"><v>1</v></c></row>',  # spaces around =
    '<row r="1048576"><x:c r="XFD1048576"><v>1</v></x:c></row>',  # a namespace prefix
])
def test_a_lying_dimension_does_not_hide_a_far_cell(far):
    found = scan(sheet(NEAR + far, "A1:C2"), cell_limit=100)
    assert (found.max_row, found.max_col) == (1_048_576, 16_384)


def test_a_cell_naming_its_place_twice_counts_as_far_away():
    found = scan(sheet(NEAR + '<row r="3"><c r="A3" t="n" r="XFD1048576"><v>1</v></c></row>', "A1:C2"), cell_limit=100)
    assert found.max_row * found.max_col > 100


def test_cells_without_r_are_placed_by_counting():
    found = scan(sheet(NEAR + '<row r="900"><c/><c s="1"/><c><v>1</v></c></row>', "A1:C2"), cell_limit=100)
    assert (found.max_row, found.max_col) == (900, 3)


def test_styled_empty_cells_far_away_do_not_count_but_are_strictly_refused():
    styled = NEAR + '<row r="1048576"><c r="XFD1048576" s="1"/></row>'
    found = scan(sheet(styled, "A1:XFD1048576"), cell_limit=100)
    assert (found.max_row, found.max_col) == (2, 3)
    assert scan(sheet(styled), strict=(10, 78), layout=False).far
    assert not scan(sheet(NEAR), strict=(10, 78), layout=False).far


def test_hidden_rows_and_merged_ranges():
    found = scan(sheet('<row r="3" hidden="1"><c r="A3"><v>1</v></c></row>') + b'<mergeCells><mergeCell ref="A1:B2"/>'
                 b"</mergeCells>", cell_limit=100)
    assert found.hidden_rows == {3} and found.merged == ((1, 1, 2, 2),)


@given(rows=st.integers(1, 2_000_000), cols=st.integers(1, 16_384), row=st.integers(1, 2_000_000),
       col=st.integers(1, 16_384), quote=st.sampled_from(['"', "'"]))
def test_the_beyond_pattern_is_exact(rows, cols, row, col, quote):
    ref = f"{get_column_letter(col)}{row}"  # openpyxl's, as an independent oracle
    assert column_index(get_column_letter(col)) == col
    found = beyond_pattern(rows, cols, cells_only=True).search(f" r={quote}{ref}{quote}".encode()) is not None
    assert found == (row > rows or col > cols)
    assert (beyond_pattern(rows, cols).search(f' r="{row}"'.encode()) is not None) == (row > rows)
    assert re.fullmatch(r"[A-Z]+[0-9]+", ref)
