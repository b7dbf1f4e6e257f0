"""A generator of messy synthetic rosters, the way offices keep them in Excel and WPS: title
rows, two-level merged headers, header cells with line breaks and format hints, a 序号 column,
footer rows, hidden rows, a styled cell far away, several sheets, IDs typed as numbers …

Everybody in them is made up: names from a small list, 身份证号 from ``make_id_number``.
Also here: files that only look like spreadsheets (HTML or SpreadsheetML saved as “.xls”,
a WPS-only compound file, password-protected workbooks), built byte by byte.
"""

from __future__ import annotations

import csv
import struct
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment

from dangjian_desktop.domain.idcard import make_id_number

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ("建国", "秀英", "志强", "桂兰", "海涛", "丽娟", "永红", "春梅", "德明", "晓燕",
         "国庆", "玉珍", "卫东", "淑华", "红军", "凤英", "文斌", "翠花", "振华", "美玲")
AREA = "410999"


@dataclass
class Person:
    name: str
    gender: str
    id_number: str
    birth: date
    education: str = "高中"
    probation_on: date = date(2005, 7, 1)
    full_on: date = date(2006, 7, 1)
    phone: str = "13812345678"
    branch: str = "东岭村党支部"


def people(n: int, start: int = 0, branch: str = "东岭村党支部") -> list[Person]:
    out = []
    for i in range(start, start + n):
        female = i % 2 == 1
        birth = date(1950 + i % 45, 1 + i % 12, 1 + i % 27)
        seq = (i * 2 + (0 if female else 1)) % 1000
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i // len(SURNAMES)) % len(GIVEN)]
        out.append(Person(name, "女" if female else "男", make_id_number(AREA, birth, seq), birth,
                          ("高中", "大专", "初中", "本科")[i % 4], date(1975 + i % 40, 7, 1),
                          date(1976 + i % 40, 7, 1), f"138{i:08d}", branch))
    return out


@dataclass
class Draft:
    """One sheet: rows of values (``None`` empty) placed from ``top``/``left``, plus extras."""

    name: str
    rows: list[list[object]]
    top: int = 1
    left: int = 1
    merges: list[str] = field(default_factory=list)
    hidden_rows: list[int] = field(default_factory=list)  # Excel row numbers
    formats: dict[str, str] = field(default_factory=dict)  # cell → number format
    far_styled_cell: bool = False  # a styled empty cell at XFD1048576
    hidden: bool = False


def write_xlsx(path: Path, drafts: list[Draft]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for d in drafts:
        ws = wb.create_sheet(d.name)
        for r, values in enumerate(d.rows, start=d.top):
            for c, v in enumerate(values, start=d.left):
                if v is None:
                    continue
                cell = ws.cell(r, c, v)
                if isinstance(v, str):
                    cell.data_type = "s"
                    if "\n" in v:
                        cell.alignment = Alignment(wrap_text=True)
                elif isinstance(v, (date, datetime)):
                    cell.number_format = "yyyy-mm-dd"
        for ref, fmt in d.formats.items():
            ws[ref].number_format = fmt
        for m in d.merges:
            ws.merge_cells(m)
        for r in d.hidden_rows:
            ws.row_dimensions[r].hidden = True
        if d.far_styled_cell:
            ws["XFD1048576"].number_format = "0.00"
        if d.hidden:
            ws.sheet_state = "hidden"
    wb.save(path)
    return path


MEMBER_TOP = ["序号", "姓名", "性别", "民族", "公民身份号码", "出生年月\n(yyyy-MM)", "学历", "发展情况", None,
              "联系电话", "备注"]
MEMBER_SUB = [None, None, None, None, None, None, None, "入党时间", "转正时间", None, None]


def member_cells(p: Person, i: int) -> list[object]:
    return [i, p.name, p.gender, "汉族", p.id_number, p.birth.strftime("%Y.%m"), p.education,
            p.probation_on, p.full_on, p.phone, None]


def messy_member_draft(persons: list[Person], name: str = "东岭村党支部", *, title: str = "青石镇东岭村党员花名册",
                       footer: bool = True) -> Draft:
    """Title and unit rows, a two-level merged header (序号…发展情况/入党时间,转正时间), data,
    then 合计 and 制表人 rows; the table starts in column B."""
    rows: list[list[object]] = [[title], ["填报单位：东岭村党支部（盖章）", None, None, None, None, None, None, None,
                                          "填报日期：2026年11月"]]
    rows += [MEMBER_TOP, MEMBER_SUB]
    rows += [member_cells(p, i) for i, p in enumerate(persons, start=1)]
    if footer:
        rows += [[f"合计：{len(persons)} 人"], ["制表人：王某某", None, None, "审核人：李某某"]]
    merges = ["B1:L1", "I3:J3"] + [f"{c}3:{c}4" for c in "BCDEFGHKL"]
    return Draft(name, rows, top=1, left=2, merges=merges, far_styled_cell=True)


def data_row(draft: Draft, index: int) -> int:
    """The Excel row number of the ``index``-th person (0-based) in a ``messy_member_draft``."""
    return draft.top + 4 + index


def write_csv(path: Path, rows: list[list[object]], encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows([["" if v is None else v for v in r] for r in rows])
    return path


def write_xls(path: Path, name: str, rows: list[list[object]], *, hidden_rows: tuple[int, ...] = (),
              merges: tuple[tuple[int, int, int, int], ...] = ()) -> Path:
    """A legacy .xls (xlwt): ``merges`` as (first row, last row, first col, last col), 0-based."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet(name)
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    merged_anchor = {(m[0], m[2]): m for m in merges}
    for r, values in enumerate(rows):
        for c, v in enumerate(values):
            if v is None:
                continue
            if (r, c) in merged_anchor:
                r1, r2, c1, c2 = merged_anchor[(r, c)]
                ws.write_merge(r1, r2, c1, c2, v)
            elif isinstance(v, (date, datetime)):
                ws.write(r, c, v, date_style)
            else:
                ws.write(r, c, v)
    for r in hidden_rows:
        ws.row(r).hidden = True
    wb.save(str(path))
    return path


# ---------------------------------------------------------------- files that are not what they seem

def html_as_xls(path: Path) -> Path:
    path.write_text("<html><head><meta charset='utf-8'></head><body><table><tr><td>姓名</td>"
                    "<td>身份证号</td></tr><tr><td>王建国</td><td>x</td></tr></table></body></html>",
                    encoding="utf-8")
    return path


def spreadsheetml_as_xls(path: Path) -> Path:
    path.write_text('<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
                    '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Sheet1">'
                    "<Table><Row><Cell><Data ss:Type=\"String\">姓名</Data></Cell></Row></Table></Worksheet>"
                    "</Workbook>", encoding="utf-8")
    return path


def compound_file(path: Path, streams: dict[str, bytes]) -> Path:
    """A minimal OLE compound file (CFB v3) holding ``streams``; each is padded to 4 KiB so that
    no mini stream is needed."""
    sector = 512
    end, free, fat_sect, nostream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    data = [s.ljust(max(4096, -(-len(s) // sector) * sector), b"\0") for s in streams.values()]
    fat = [fat_sect, end]  # sector 0: the FAT, sector 1: the directory
    starts = []
    for blob in data:
        n = len(blob) // sector
        first = len(fat)
        starts.append(first)
        fat += [first + k + 1 for k in range(n - 1)] + [end]
    assert len(fat) <= 128 and len(streams) <= 3
    fat += [free] * (128 - len(fat))

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        return (raw.ljust(64, b"\0") + struct.pack("<HBB3I", len(raw), kind, 1, nostream, right, child)
                + b"\0" * 16 + b"\0" * 4 + b"\0" * 16 + struct.pack("<IQ", start, size))

    names = list(streams)
    entries = [entry("Root Entry", 5, 1 if names else nostream, nostream, end, 0)]
    for i, (n, blob) in enumerate(zip(names, data, strict=True), start=1):
        entries.append(entry(n, 2, nostream, i + 1 if i < len(names) else nostream, starts[i - 1], len(blob)))
    while len(entries) < 4:
        entries.append(b"\0" * 64 + struct.pack("<HBB3I", 0, 0, 0, nostream, nostream, nostream) + b"\0" * 48)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\0" * 6 + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<I", 0) + struct.pack("<108I", *([free] * 108)))
    assert len(header) == sector
    path.write_bytes(header + struct.pack("<128I", *fat) + b"".join(entries) + b"".join(data))
    return path


def wps_et(path: Path) -> Path:
    return compound_file(path, {"WpsETData": b"WPS-only content"})


def encrypted_xlsx(path: Path) -> Path:
    return compound_file(path, {"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"\x00" * 64})


def encrypted_xls(path: Path) -> Path:
    bof = struct.pack("<HH", 0x0809, 16) + struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 6)
    filepass = struct.pack("<HH", 0x002F, 6) + struct.pack("<HHH", 0, 0x1234, 0x5678)
    return compound_file(path, {"Workbook": bof + filepass + struct.pack("<HH", 0x000A, 0)})
