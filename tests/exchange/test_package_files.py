"""The package file itself: what a clerk sees in it, and every way a changed file is refused."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

import package_records as P
from dangjian_desktop.exchange.canonical import records_from_rows, rows_from_records
from dangjian_desktop.exchange.columns import MEMBERS, SHEETS
from dangjian_desktop.exchange.package_reader import (
    NotAPackageError, PackageTamperedError, package_meta, read_package,
)
from dangjian_desktop.exchange.package_spec import DISPLAY_COLUMNS, LAYOUTS, META_SHEET
from dangjian_desktop.exchange.package_writer import PackageMeta, write_package
from dangjian_desktop.services.progress import run_job


def write(path: Path) -> PackageMeta:
    meta = PackageMeta(P.CODE, "青石镇", "2025-01", "00000000-0000-4000-8000-000000000001", 3,
                       "2025-02-01T08:00:00", "测试员", "0.1.0")
    for _step in write_package(path, meta, rows_from_records(P.township_records()), "2025-02-01 16:00"):
        pass
    return meta


@pytest.fixture
def package(tmp_path) -> Path:
    path = tmp_path / "p.xlsx"
    write(path)
    return path


def test_reading_back_gives_the_records_and_the_manifest(package):
    data = run_job(read_package(package))
    assert data.meta.sequence == 3 and data.meta.township_code == P.CODE
    records = records_from_rows(data.sheets)
    member = next(m for m in records[P.R.Member] if m.name == "孙丙")
    assert member.address == P.CLEAN_HOSTILE and member.id_number == P.ID_WITH_X
    assert not list(package.parent.glob("~*"))  # no temporary file left


def test_a_clerk_can_read_the_workbook(package):
    wb = openpyxl.load_workbook(package)
    assert wb.sheetnames == ["封面", *(s.name for s in SHEETS), META_SHEET]
    assert wb[META_SHEET].sheet_state == "hidden" and wb.active.title == "封面"
    ws = wb["党员"]
    headers = [c.value for c in ws[1]]
    assert headers == [c.header for c in LAYOUTS["党员"]] and "所在党组织（名称）" in headers
    assert ws.freeze_panes == "A2"
    row = {h: c for h, c in zip(headers, ws[2])}
    assert row["姓名"].value == "孙丙" and row["所在党组织（名称）"].value == "东岭社区党支部"
    assert row["身份证号"].data_type == "s" and row["身份证号"].value == P.ID_WITH_X
    assert isinstance(row["入党时间"].value, dt.datetime) and row["入党时间"].number_format == "yyyy-mm-dd"
    assert row["转正时间"].value == "2008-07"  # month precision stays text
    assert row["备注"].value == "=1+1" and row["备注"].data_type == "s"  # never a formula
    assert ws.column_dimensions["A"].width == pytest.approx(MEMBERS.column("name").width, abs=1)
    cover = [[c.value for c in r] for r in wb["封面"].iter_rows()]
    assert ["党员", 2, 0] in [r[:3] for r in cover]


def test_display_columns_do_not_collide_with_spec_headers():
    for sheet in SHEETS:
        spec_headers = {h for c in sheet.columns for h in c.headers}
        for d in DISPLAY_COLUMNS.get(sheet.name, ()):
            assert d.header not in spec_headers, (sheet.name, d.header)


def _edit(path: Path, change) -> None:
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)


@pytest.mark.parametrize("change, words", [
    (lambda wb: wb["党员"].cell(2, 1, "孙丙丙"), "「党员」表的内容与导出时不同"),
    (lambda wb: wb["组织生活"].delete_rows(2), "「组织生活」表的行数与导出时不同"),
    (lambda wb: wb["代办事项"].append([c.value for c in wb["代办事项"][2]]), "「代办事项」表的行数与导出时不同"),
    (lambda wb: wb["村（社区）"].cell(2, 8, "2024年3月"), "「村（社区）」表第 2 行「第一书记任期起」"),
    (lambda wb: wb[META_SHEET].cell(6, 2, "2099-01"), "数据包说明表"),
])
def test_a_changed_package_is_refused_naming_the_sheet(package, change, words):
    _edit(package, change)
    with pytest.raises(PackageTamperedError, match=words) as err:
        run_job(read_package(package))
    assert "重新导出" in err.value.message


def test_a_workbook_without_meta_is_not_a_package(package):
    _edit(package, lambda wb: wb.remove(wb[META_SHEET]))
    with pytest.raises(NotAPackageError, match="这不是月报数据包"):
        package_meta(package)


def test_other_files_are_not_packages(tmp_path):
    text = tmp_path / "notes.xlsx"
    text.write_text("这不是表格")
    with pytest.raises(NotAPackageError, match="这不是月报数据包"):
        package_meta(text)
    with pytest.raises(NotAPackageError, match="不存在"):
        package_meta(tmp_path / "missing.xlsx")


def test_a_cell_far_out_is_refused_before_any_reader_runs(package, tmp_path):
    """One cell at XFD1048576 makes python-calamine abort the process: the guard must stop it."""
    hostile = tmp_path / "hostile.xlsx"
    with zipfile.ZipFile(package) as src, zipfile.ZipFile(hostile, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if data.startswith(b"<?xml") and b"<sheetData><row r=\"1\"" in data and item.filename.endswith("sheet8.xml"):
                data = data.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')
            dst.writestr(item, data)
    with pytest.raises(PackageTamperedError, match="范围"):
        run_job(read_package(hostile))


def test_a_zip_bomb_is_refused(tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", b"<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (5 * 1024 * 1024))
    with pytest.raises(NotAPackageError, match="异常巨大"):
        package_meta(bomb)
