"""A generator of hostile and broken files for both importers (the monthly package and rosters).

``build_corpus(folder, base)`` writes one file per ``Case`` in ``CASES``. ``base`` is a real
monthly package (exported by the program from a synthetic township): the cases that must get
past the gate into a parser are that package with one part changed, which also makes them a
readable members roster (its 党员 sheet has the roster headers). Each case says which word the
package importer's and the roster importer's message must contain, and how the roster preview
ends. Zips are written by ``zip_craft`` (duplicates, lying sizes and bombs that inflate to
2 GiB from 2 MB), so the whole corpus takes about two seconds to write. Nothing in it names a
real person.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from roster_fixtures import compound_file, encrypted_xls, encrypted_xlsx, html_as_xls, spreadsheetml_as_xls, wps_et
from zip_craft import MIB, Entry, write_zip, zeros_entry

MEMBERS = "党员"


# ---------------------------------------------------------------- xlsx pieces

def read_parts(path: Path) -> list[Entry]:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return [Entry(i.filename, z.read(i)) for i in z.infolist()]


def sheet_part(parts: list[Entry], sheet: str) -> str:
    """The zip entry of ``sheet`` (through workbook.xml and its relationships)."""
    data = {e.name: e.data.decode() for e in parts}
    rid = re.search(rf'<sheet name="{re.escape(sheet)}" sheetId="\d+"(?: state="\w+")? r:id="(\w+)"', data["xl/workbook.xml"])
    assert rid, sheet
    target = re.search(rf'Id="{rid[1]}" Type="[^"]+" Target="([^"]+)"', data["xl/_rels/workbook.xml.rels"])
    assert target
    return "xl/" + target[1]


def patched(base: Path, out: Path, changes: dict[str, Callable[[bytes], bytes]], extra: list[Entry] = ()) -> Path:
    """``base`` with some entries changed (by name, or by sheet name for the 党员/_meta sheets)."""
    parts = read_parts(base)
    names = {MEMBERS: sheet_part(parts, MEMBERS), "_meta": sheet_part(parts, "_meta")}
    todo = {names.get(k, k): fn for k, fn in changes.items()}
    for e in parts:
        if e.name in todo:
            e.data = todo.pop(e.name)(e.data)
    assert not todo, todo
    return write_zip(out, parts + list(extra))


def set_cell(ref: str, cell: str) -> Callable[[bytes], bytes]:
    """Replace the cell ``ref`` of a sheet with the XML ``cell``."""
    def change(xml: bytes) -> bytes:
        pattern = re.compile(rb'<c r="' + ref.encode() + rb'"(?:[^>]*/>|.*?</c>)', re.S)
        assert pattern.search(xml), ref
        return pattern.sub(lambda _m: cell.encode(), xml, count=1)
    return change


def add_rows(rows: bytes, dimension: bytes | None = None) -> Callable[[bytes], bytes]:
    def change(xml: bytes) -> bytes:
        xml = xml.replace(b"</sheetData>", rows + b"</sheetData>")
        return re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="' + dimension + b'"/>', xml) if dimension else xml
    return change


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                 'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                 'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
                 '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
                 'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
                 'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
ROOT_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
             'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
             'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def small_xlsx(path: Path, sheet_xml: str | bytes, *, main: str = MAIN, rel: str = REL, extra: list[Entry] = (),
               target: str = "worksheets/sheet1.xml", book_head: str = "") -> Path:
    """A one-sheet workbook (“名册”) with ``sheet_xml`` as its sheet, written by hand."""
    book = (f'{book_head}<workbook xmlns="{main}" xmlns:r="{rel}"><sheets><sheet name="名册" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>")
    rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
            f'Id="rId1" Type="{rel}/worksheet" Target="{target}"/></Relationships>')
    sheet = sheet_xml if isinstance(sheet_xml, bytes) else sheet_xml.encode()
    return write_zip(path, [Entry("[Content_Types].xml", CONTENT_TYPES.encode()), Entry("_rels/.rels", ROOT_RELS.encode()),
                            Entry("xl/workbook.xml", book.encode()), Entry("xl/_rels/workbook.xml.rels", rels.encode()),
                            Entry("xl/worksheets/sheet1.xml", sheet), *extra])


def roster_sheet(rows: list[list[str]], *, start: int = 1, main: str = MAIN) -> str:
    body = "".join(f'<row r="{r}">' + "".join(text_cell(f"{chr(65 + c)}{r}", v) for c, v in enumerate(row)) + "</row>"
                   for r, row in enumerate(rows, start=start))
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><sheetData>{body}</sheetData></worksheet>'


BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
                            for i in range(1, 10)) + "]>")
DDE = "=cmd|' /C calc'!A0"


# ---------------------------------------------------------------- the cases

ROSTER_HEADER = ["姓名", "性别", "身份证号", "出生年月", "所在党支部", "联系电话"]


def _roster_rows(n: int, start: int = 0) -> list[list[str]]:
    from datetime import date

    from dangjian_desktop.domain.idcard import make_id_number

    return [[f"测试{i}号", "男", make_id_number("410999", date(1970 + i % 30, 1 + i % 12, 1 + i % 28), 11 + 2 * (i % 400)),
             f"{1970 + i % 30}-{1 + i % 12:02d}", "东岭社区党支部", ""] for i in range(start, start + n)]


@dataclass(frozen=True)
class Case:
    name: str  # the file's stem; unique
    suffix: str
    make: Callable[[Path, Path], object]  # (file to write, base package)
    package: str  # a word the package importer's refusal must contain
    roster: str  # a word the roster importer's refusal (or its preview's problems and notes) must contain
    # False: the roster preview runs and lists ``roster`` among its problems or notes, or, when
    # ``roster`` is empty, counts exactly what it counts for the untouched base package
    roster_refused: bool = True
    what: str = ""


def _bytes(data: bytes) -> Callable[[Path, Path], object]:
    return lambda out, _base: out.write_bytes(data)


def _with(fn: Callable[[Path], object]) -> Callable[[Path, Path], object]:
    return lambda out, _base: fn(out)


def _member(ref: str, cell: str) -> Callable[[Path, Path], object]:
    return lambda out, base: patched(base, out, {MEMBERS: set_cell(ref, cell)})


def _oversize(out: Path, _base: Path) -> None:
    with out.open("wb") as f:  # sparse: costs nothing on disk
        f.write(b"PK\x03\x04")
        f.truncate(101 * MIB)


def _truncated(fraction: float) -> Callable[[Path, Path], object]:
    def make(out: Path, base: Path) -> None:
        data = base.read_bytes()
        out.write_bytes(data[: int(len(data) * fraction)] if fraction < 1 else data[:-10])
    return make


def _zip_bomb(out: Path, base: Path) -> None:  # 2 GiB from about 2 MiB
    write_zip(out, read_parts(base) + [zeros_entry("xl/media/image1.bin", 2048)])


def _ratio_bomb(out: Path, base: Path) -> None:  # 8 MiB of zeros in one entry: ratio 1,000
    write_zip(out, read_parts(base) + [zeros_entry("xl/printerSettings/printerSettings1.bin", 8)])


def _spread_bomb(out: Path, base: Path) -> None:  # 300 entries of 0.9 MiB each: none over the per-entry floor
    filler = bytes(int(0.9 * MIB))
    write_zip(out, read_parts(base) + [Entry(f"xl/media/pad{i}.bin", filler) for i in range(300)])


def _many_entries(out: Path, base: Path) -> None:
    write_zip(out, read_parts(base) + [Entry(f"xl/media/x{i}.bin", b"x") for i in range(2500)])


def _duplicate_sheet(out: Path, base: Path) -> None:
    parts = read_parts(base)
    part = sheet_part(parts, MEMBERS)
    forged = next(e for e in parts if e.name == part).data.replace("孙丙".encode(), "冒名".encode())
    write_zip(out, parts + [Entry(part, forged)])


def _encrypted_entry(out: Path, base: Path) -> None:
    parts = read_parts(base)
    parts[-1].flags |= 0x1
    write_zip(out, parts)


def _lying_sizes(out: Path, _base: Path) -> None:
    """The sheet's directory entry declares its first 600 bytes; the stream holds a far cell after them."""
    head = roster_sheet([ROSTER_HEADER] + _roster_rows(2)).encode()[:600]
    actual = head + b"x</t></is></c></row>" + b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>'
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    small_xlsx(out, b"")
    parts = read_parts(out)
    sheet = next(e for e in parts if e.name == "xl/worksheets/sheet1.xml")
    sheet.raw, sheet.crc, sheet.size = c.compress(actual) + c.flush(), zlib.crc32(head), len(head)
    write_zip(out, parts)


def _doctype_in(part: str, body: str | None = None) -> Callable[[Path, Path], object]:
    def change(xml: bytes) -> bytes:
        text = xml.decode()
        start = text.index("?>") + 2 if text.startswith("<?xml") else 0
        return (BILLION_LAUGHS + (body or "") + text[start:]).encode()
    return lambda out, base: patched(base, out, {part: change})


def _xxe(out: Path, base: Path) -> None:
    xxe = ('<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
           f'<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>&xxe;</t></si></sst>')
    write_zip(out, read_parts(base) + [Entry("xl/sharedStrings.xml", xxe.encode())])


def _doctype_utf16(out: Path, base: Path) -> None:
    patched(base, out, {MEMBERS: lambda xml: (BILLION_LAUGHS.replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
                                                + xml.decode().split("?>", 1)[1]).encode("utf-16")})


def _strict(out: Path) -> None:
    strict = "http://purl.oclc.org/ooxml/spreadsheetml/main"
    small_xlsx(out, roster_sheet([ROSTER_HEADER] + _roster_rows(3), main=strict), main=strict,
               rel="http://purl.oclc.org/ooxml/officeDocument/relationships")


def _deep_workbook(out: Path, base: Path) -> None:
    patched(base, out, {"xl/workbook.xml": lambda xml: xml.replace(b"<sheets>", b"<x>" * 100_000 + b"</x>" * 100_000
                                                                   + b"<sheets>")})


def _deep_sheet(out: Path, base: Path) -> None:
    deep = b"<is><t>" + b"<r>" * 20_000 + b"</r>" * 20_000 + b"</t></is>"  # small enough for the ratio check
    patched(base, out, {MEMBERS: lambda xml: xml.replace(b"<is><t>\xe5\xad\x99\xe4\xb8\x99</t></is>", deep, 1)})


FAR = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'


def _far(rows: bytes, dimension: bytes | None = None) -> Callable[[Path, Path], object]:
    return lambda out, base: patched(base, out, {MEMBERS: add_rows(rows, dimension)})


def _styled_rows(out: Path, base: Path) -> None:
    rows = b"".join(b'<row r="%d" s="1" customFormat="1"/>' % r for r in range(4, 1_048_577))
    patched(base, out, {MEMBERS: add_rows(rows)})


def _without_meta(out: Path, base: Path) -> None:
    parts = read_parts(base)
    meta = sheet_part(parts, "_meta")
    book = next(e for e in parts if e.name == "xl/workbook.xml")
    book.data = re.sub(rb'<sheet name="_meta"[^>]*/>', b"", book.data)
    write_zip(out, [e for e in parts if e.name != meta])


def _no_header(out: Path) -> None:
    small_xlsx(out, roster_sheet([["项目", "数量", "单价"], ["水泥", "10", "35"], ["钢筋", "4", "4200"]]))


def _broken_workbook(out: Path, base: Path) -> None:
    patched(base, out, {"xl/workbook.xml": lambda xml: xml[: len(xml) // 2]})


def _outside_target(out: Path) -> None:
    small_xlsx(out, roster_sheet([ROSTER_HEADER] + _roster_rows(2)), target="../../../../etc/passwd")


def _zip_of(names: dict[str, bytes]) -> Callable[[Path], object]:
    return lambda out: write_zip(out, [Entry(n, d) for n, d in names.items()])


def _csv(text: str, encoding: str) -> Callable[[Path], object]:
    return lambda out: out.write_bytes(text.encode(encoding))


def _long_gap(out: Path) -> None:
    rows = [ROSTER_HEADER] + _roster_rows(2)
    sheet = roster_sheet(rows).replace("</sheetData>", roster_sheet(_roster_rows(1, 5), start=5000)
                                       .split("<sheetData>")[1].split("</sheetData>")[0] + "</sheetData>")
    small_xlsx(out, sheet)


def _control_raw(out: Path, base: Path) -> None:
    patched(base, out, {MEMBERS: set_cell("A2", text_cell("A2", "孙\x01丙\x1b"))})


HEADER_CSV = ",".join(ROSTER_HEADER) + "\n" + "\n".join(",".join(r) for r in _roster_rows(2)) + "\n"

CASES: list[Case] = [
    Case("empty", ".xlsx", _bytes(b""), "空的", "空的", what="0 字节"),
    Case("garbage", ".xlsx", _bytes(bytes(range(256)) * 40), "无法识别", "无法识别", what="随机二进制"),
    Case("exe_renamed", ".xlsx", _bytes(b"MZ\x90\x00\x03" + bytes(2000)), "程序", "程序", what=".exe 改名为 .xlsx"),
    Case("pdf_renamed", ".xlsx", _bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"), "PDF", "PDF"),
    Case("png_renamed", ".xlsx", _bytes(b"\x89PNG\r\n\x1a\n" + bytes(500)), "图片", "图片"),
    Case("gzip_renamed", ".xls", _bytes(b"\x1f\x8b\x08" + bytes(100)),
         "压缩包", "压缩包"),
    Case("oversize", ".xlsx", _oversize, "上限", "上限", what="101 MB（稀疏文件）"),
    Case("truncated_half", ".xlsx", _truncated(0.5), "已损坏", "已损坏", what="数据包截去后一半"),
    Case("truncated_tail", ".xlsx", _truncated(1.0), "已损坏", "已损坏", what="截去最后 10 字节"),
    Case("zip_header_only", ".xlsx", _bytes(b"PK\x03\x04" + bytes(300)), "已损坏", "已损坏"),
    Case("zip_bomb_2gib", ".xlsx", _zip_bomb, "异常巨大", "异常巨大", what="2 MB 解压为 2 GiB"),
    Case("zip_bomb_ratio", ".xlsx", _ratio_bomb, "压缩比", "压缩比", what="一个条目压缩比 1000"),
    Case("zip_bomb_spread", ".xlsx", _spread_bomb, "整体压缩比", "整体压缩比", what="300 个 0.9 MiB 条目"),
    Case("zip_many_entries", ".xlsx", _many_entries, "个条目", "个条目", what="2,500 多个条目"),
    Case("zip_duplicate_sheet", ".xlsx", _duplicate_sheet, "同名", "同名", what="两个党员表条目"),
    Case("zip_encrypted_entry", ".xlsx", _encrypted_entry, "密码", "密码", what="zip 条目加密标志"),
    Case("zip_lying_sizes", ".xlsx", _lying_sizes, "数据包说明表", "无法读取", what="目录声明 600 字节，实际流含 XFD1048576"),
    Case("billion_laughs_workbook", ".xlsx", _doctype_in("xl/workbook.xml"), "DOCTYPE", "DOCTYPE"),
    Case("billion_laughs_sheet", ".xlsx", _doctype_in(MEMBERS), "DOCTYPE", "DOCTYPE"),
    Case("billion_laughs_content_types", ".xlsx", _doctype_in("[Content_Types].xml"), "DOCTYPE", "DOCTYPE"),
    Case("external_entity", ".xlsx", _xxe, "DOCTYPE", "DOCTYPE", what="sharedStrings 引用 file:///etc/passwd"),
    Case("doctype_utf16", ".xlsx", _doctype_utf16, "DOCTYPE", "DOCTYPE", what="UTF-16 编码的党员表含 DOCTYPE"),
    Case("strict_ooxml", ".xlsx", _with(_strict), "Strict", "Strict"),
    Case("deep_nesting_workbook", ".xlsx", _deep_workbook, "嵌套", "嵌套", what="workbook.xml 嵌套 10 万层"),
    Case("deep_nesting_cell", ".xlsx", _deep_sheet, "校验码", "不能为空", roster_refused=False, what="一个单元格嵌套 2 万层"),
    Case("far_cell", ".xlsx", _far(FAR, b"A1:XFD1048576"), "范围", "范围过大", what="XFD1048576 有值"),
    Case("far_cell_lying_dimension", ".xlsx", _far(FAR), "范围", "范围过大", what="同上，dimension 仍为 A1:AI3"),
    Case("far_cell_r_not_first", ".xlsx", _far(b'<row r="1048576"><c t="n" r="XFD1048576"><v>1</v></c></row>'),
         "范围", "范围过大"),
    Case("far_cell_single_quotes", ".xlsx", _far(b"<row r='1048576'><c r='XFD1048576'><v>1</v></c></row>"),
         "范围", "范围过大"),
    Case("far_row_no_cell_refs", ".xlsx", _far(b'<row r="1048576"><c><v>1</v></c></row>'), "范围", "范围过大",
         what="远处的行，单元格不带 r"),
    Case("million_styled_rows", ".xlsx", _styled_rows, "范围", "", roster_refused=False,
         what="104 万个带样式的空行"),
    Case("package_without_meta", ".xlsx", _without_meta, "数据包说明表", "", roster_refused=False),
    Case("roster_without_header", ".xlsx", _with(_no_header), "数据包说明表", "表头"),
    Case("id_as_number", ".xlsx", _member("D2", '<c r="D2"><v>410999198503090000</v></c>'), "数字", "数字",
         roster_refused=False),
    Case("formula_in_id", ".xlsx", _member("D2", '<c r="D2"><f>410999198503090000+0</f><v>4.10999198503090E+17</v></c>'),
         "数字", "数字", roster_refused=False),
    Case("dde_text_in_name", ".xlsx", _member("A2", text_cell("A2", DDE.replace("'", "&apos;"))), "校验码",
         "姓名”：内容以“=”开头", roster_refused=False),
    Case("formula_without_value", ".xlsx", _member("A2", '<c r="A2"><f>HYPERLINK("http://example.invalid","点我")</f></c>'),
         "校验码", "不能为空", roster_refused=False),
    Case("date_feb_30", ".xlsx", _member("E2", text_cell("E2", "2001-02-30")), "不存在", "不存在", roster_refused=False),
    Case("date_year_0", ".xlsx", _member("E2", text_cell("E2", "0000-01-01")), "不存在", "年份", roster_refused=False),
    Case("date_1900_02_29", ".xlsx", _member("E2", '<c r="E2" s="4"><v>60</v></c>'), "1900-03-01", "1900-03-01",
         roster_refused=False, what="日期单元格 60（Excel 虚构的 1900-02-29）"),
    Case("huge_string", ".xlsx", _member("A2", text_cell("A2", "长" * 100_000)), "校验码", "上限"),
    Case("control_characters", ".xlsx", _control_raw, "校验码", "控制字符", roster_refused=False,
         what="姓名里有 \\x01 和 \\x1b"),
    Case("password_protected", ".xlsx", _with(encrypted_xlsx), "密码", "密码", what="OLE EncryptedPackage"),
    Case("password_protected_xls", ".xls", _with(encrypted_xls), "旧版 Excel", "密码", what="BIFF8 FILEPASS"),
    Case("wps_et", ".xls", _with(wps_et), "旧版 Excel", "WPS"),
    Case("ole_garbage_workbook", ".xls", _with(lambda out: compound_file(out, {"Workbook": b"\x00\x01garbage"})),
         "旧版 Excel", ".xls"),
    Case("html_as_xls", ".xls", _with(html_as_xls), "网页", "网页"),
    Case("spreadsheetml_as_xls", ".xls", _with(spreadsheetml_as_xls), "2003 XML", "2003 XML"),
    Case("ods_renamed", ".xlsx", _with(_zip_of({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                                                 "content.xml": b"<office:document-content/>"})),
         "workbook.xml", "OpenDocument"),
    Case("docx_renamed", ".xlsx", _with(_zip_of({"word/document.xml": b"<w:document/>"})), "workbook.xml", "Word"),
    Case("xlsb_renamed", ".xlsx", _with(_zip_of({"xl/workbook.bin": b"\x00" * 10})), "workbook.xml", ".xlsb"),
    Case("broken_workbook_xml", ".xlsx", _broken_workbook, "损坏", "损坏"),
    Case("sheet_outside_package", ".xlsx", _with(_outside_target), "数据包说明表", "表头", what="关系指向 ../../etc/passwd"),
    Case("csv_utf16", ".csv", _with(_csv(HEADER_CSV, "utf-16")), "文本", "UTF-16"),
    Case("csv_utf16_no_bom", ".csv", _with(_csv(HEADER_CSV, "utf-16-le")), "文本", "UTF-16"),
    Case("csv_too_wide", ".csv", _with(_csv(HEADER_CSV + ",".join(["x"] * 2000) + "\n", "utf-8")), "文本", "列的上限"),
    Case("csv_too_long", ".csv", _with(_csv(HEADER_CSV + "x,男\n" * 200_001, "utf-8")), "文本", "行的上限"),
    Case("csv_huge_field", ".csv", _with(_csv(HEADER_CSV + "x" * 200_000 + ",男\n", "utf-8")), "文本", "无法按 CSV 读取"),
    Case("long_run_of_empty_rows", ".xlsx", _with(_long_gap), "数据包说明表", "没有读取", roster_refused=False),
]


def build_corpus(folder: Path, base: Path) -> dict[str, Path]:
    """Write every case into ``folder`` (named ``<case><suffix>``); ``base`` is a real monthly package."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for case in CASES:
        path = folder / f"{case.name}{case.suffix}"
        case.make(path, base)
        out[case.name] = path
    assert len(out) == len(CASES) >= 40
    return out
