"""The content decides how a roster is read; files that only look like spreadsheets are refused
with a message that says how to re-save them."""

from __future__ import annotations

import zipfile

import pytest
from roster_fixtures import (
    Draft, compound_file, encrypted_xls, encrypted_xlsx, html_as_xls, spreadsheetml_as_xls, write_csv, write_xls,
    write_xlsx, wps_et,
)

from dangjian_desktop.exchange import file_guard, roster_sniff
from dangjian_desktop.exchange.roster_sniff import FileFormat, RosterFileError, check_before_parsing, sniff
from dangjian_desktop.exchange.roster_source import open_workbook


def message(path) -> str:
    with pytest.raises(RosterFileError) as err:
        with open_workbook(path):
            pass
    return err.value.message


def test_formats_by_content_not_by_extension(tmp_path):
    xlsx_named_xls = write_xlsx(tmp_path / "名册.xls", [Draft("Sheet1", [["姓名"]])])
    assert sniff(xlsx_named_xls).format is FileFormat.XLSX
    xls_named_xlsx = write_xls(tmp_path / "名册.xlsx", "Sheet1", [["姓名"]])
    assert sniff(xls_named_xlsx).format is FileFormat.XLS
    csv_named_txt = write_csv(tmp_path / "名册.txt", [["姓名"], ["王建国"]])
    assert sniff(csv_named_txt).format is FileFormat.CSV


@pytest.mark.parametrize(("encoding", "expected"), [("utf-8-sig", "utf-8-sig"), ("utf-8", "utf-8"), ("gbk", "gb18030")])
def test_csv_encodings(tmp_path, encoding, expected):
    path = write_csv(tmp_path / "名册.csv", [["姓名", "民族"], ["王建国", "汉族"]], encoding=encoding)
    assert sniff(path).encoding == expected
    with open_workbook(path) as wb:
        rows = list(wb.sheet(wb.sheet_names[0]).rows())
    assert rows[1] == (2, ["王建国", "汉族"])


@pytest.mark.parametrize(("make", "words"), [
    (html_as_xls, ("网页", "另存为", ".xlsx")),
    (spreadsheetml_as_xls, ("2003 XML", "另存为")),
    (wps_et, ("WPS", "另存为", "xlsx")),
    (encrypted_xlsx, ("密码", "取消密码", ".xlsx")),
    (encrypted_xls, ("密码", ".xlsx")),
])
def test_files_that_need_resaving(tmp_path, make, words):
    path = make(tmp_path / "名册.xls")
    text = message(path)
    assert "名册.xls" in text
    for w in words:
        assert w in text


def test_other_files_are_refused_clearly(tmp_path):
    empty = tmp_path / "空.xlsx"
    empty.write_bytes(b"")
    assert "空的" in message(empty)
    assert "不存在" in message(tmp_path / "没有.xlsx")
    docx = tmp_path / "名册.docx"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    assert "Word" in message(docx)
    binary = tmp_path / "名册.xlsx"
    binary.write_bytes(b"\x00\x01\x02garbage" * 100)
    assert "无法识别" in message(binary)
    word = compound_file(tmp_path / "名册.doc", {"WordDocument": b"x"})
    assert "Word" in message(word)


def test_checks_run_before_any_parser(tmp_path, monkeypatch):
    path = write_csv(tmp_path / "名册.csv", [["姓名"], ["王建国"]])
    seen = []
    monkeypatch.setattr(roster_sniff, "PRE_PARSE_CHECKS", [seen.append])
    check_before_parsing(sniff(path))
    assert [s.path for s in seen] == [path]
    monkeypatch.setattr(file_guard, "MAX_FILE_BYTES", 10)  # the shared gate's size limit
    assert "上限" in message(path)
