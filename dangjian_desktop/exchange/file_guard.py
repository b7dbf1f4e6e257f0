"""The gate every imported file passes before a spreadsheet parser touches it (both importers).

A parser must never see: a file over the size limit; a zip bomb (too many entries, too much
inflated data, a compression ratio no spreadsheet has, per entry or overall); a zip with two
entries of the same name (readers disagree on which one counts); an XML part with a DOCTYPE
or ENTITY declaration (entity bombs, external entities); Strict Open XML (readers return
nothing from it). ``Gate.sniff`` decides what a file is from its content, never its name;
``Gate.check_zip`` runs the container checks; ``Gate.workbook_sheets`` locates the worksheets
through ``workbook.xml`` and its relationships; ``scan_sheet_xml`` (``sheet_extent``) streams
one worksheet's XML for its real extent before a parser allocates for it (python-calamine
aborts the whole process on a value at XFD1048576, whatever ``<dimension>`` claims).

Each importer holds one ``Gate`` with its own error class and its advice to the clerk; every
refusal is one Chinese sentence naming the file and the cause. All work here is streamed in
bounded chunks with the standard library and defusedxml, so it is safe in the window's process.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from ..domain.errors import DomainError
from .sheet_extent import (  # noqa: F401 - part of the gate's API
    STRICT_MAX_COLUMNS, CellRange, SheetScan, beyond_pattern, column_index, column_letter, scan_sheet_xml,
)

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_ZIP_ENTRIES = 2_000
MAX_INFLATED_BYTES = 1024 * 1024 * 1024  # all entries together, as the zip directory declares
MAX_ENTRY_RATIO = 200  # real sheets compress 5-25 times; zeros 1,000 times
MAX_TOTAL_RATIO = 100
RATIO_FLOOR = 1024 * 1024  # ratios count only for an entry (or a whole file) inflating beyond this
MAX_BOOK_XML_BYTES = 16 * 1024 * 1024  # workbook.xml and its relationships, parsed here
MAX_BOOK_DEPTH = 64
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
STRICT_NAMESPACE = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
_CHUNK = 1 << 20
# "<!DOCTYPE" / "<!ENTITY" in the encodings an XML part may use (UTF-8, UTF-16 either way).
_DECLARATIONS = tuple(
    text.encode(encoding) for text in ("<!DOCTYPE", "<!ENTITY") for encoding in ("ascii", "utf-16-le", "utf-16-be")
)
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_BROKEN = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError, ValueError)

class FileRefused(DomainError):
    """A file the gate refuses; ``message`` is one Chinese sentence naming the file and the cause."""


class Content(StrEnum):
    """What a file's first bytes say it is."""

    ZIP = "zip"  # .xlsx/.xlsm, but also .docx, .ods, any zip
    OLE = "ole"  # legacy .xls, .doc, WPS .et, a password-protected .xlsx
    HTML = "html"
    SPREADSHEET_XML = "spreadsheetml"  # Excel 2003 XML
    XML = "xml"
    TEXT = "text"  # CSV or any text
    UTF16_TEXT = "utf16"
    EXECUTABLE = "exe"
    PDF = "pdf"
    IMAGE = "image"
    ARCHIVE = "archive"  # rar, 7z, gzip
    UNKNOWN = "unknown"


# What a clerk is told a file really is (for contents no importer reads).
DESCRIPTIONS = {
    Content.EXECUTABLE: "其实是一个程序（.exe），不是表格",
    Content.PDF: "其实是 PDF 文档，不是表格",
    Content.IMAGE: "其实是一张图片，不是表格",
    Content.ARCHIVE: "其实是 RAR/7z/gz 压缩包，不是表格",
    Content.UNKNOWN: "不是 Excel 表格或 CSV 文本（内容无法识别）",
}
_MAGIC = (
    (b"MZ", Content.EXECUTABLE), (b"\x7fELF", Content.EXECUTABLE), (b"%PDF", Content.PDF),
    (b"\x89PNG", Content.IMAGE), (b"\xff\xd8\xff", Content.IMAGE), (b"GIF8", Content.IMAGE), (b"BM", Content.IMAGE),
    (b"Rar!", Content.ARCHIVE), (b"7z\xbc\xaf", Content.ARCHIVE), (b"\x1f\x8b", Content.ARCHIVE),
)


@dataclass(frozen=True)
class Sniffed:
    path: Path
    content: Content
    size: int
    head: bytes  # the first 8 KiB
    ole_streams: frozenset[str] = frozenset()  # OLE only

    @property
    def encrypted(self) -> bool:
        """A password-protected Office file (an OOXML package inside an OLE file)."""
        return bool({"EncryptionInfo", "EncryptedPackage"} & self.ole_streams)


@dataclass(frozen=True)
class SheetPart:
    name: str
    part: str  # the zip entry of its XML
    hidden: bool


@dataclass(frozen=True)
class Gate:
    """The checks as one importer runs them: its error class and what it tells the clerk to do."""

    error: type[DomainError] = FileRefused
    advice: str = "请用 Excel 或 WPS 打开后另存为 .xlsx 再导入"

    def refuse(self, path: Path, cause: str, advice: str | None = None) -> DomainError:
        todo = self.advice if advice is None else advice
        return self.error(f"文件“{path.name}”{cause}" + (f"；{todo}" if todo else ""))

    # -- what the file is ------------------------------------------------------------------
    def sniff(self, path: Path | str) -> Sniffed:
        """Content and size; refuses a missing, empty or too large file."""
        path = Path(path)
        if not path.exists():
            raise self.error(f"文件“{path}”不存在，请检查文件名和路径")
        if not path.is_file():
            raise self.error(f"“{path}”不是文件，请选择一个 Excel 或 CSV 文件")
        size = path.stat().st_size
        if size == 0:
            raise self.refuse(path, "是空的（0 字节）", "请选择保存了数据的文件")
        if size > MAX_FILE_BYTES:
            raise self.refuse(path, f"有 {size / 1024 / 1024:,.0f} MB，超过了 {MAX_FILE_BYTES // 1024 // 1024} MB 的上限",
                              "请删除无关的工作表、图片和空白行列后另存，或分成几个文件")
        with path.open("rb") as f:
            head = f.read(8192)
        content = _content_of(head)
        streams = frozenset(ole_stream_names(path.read_bytes())) if content is Content.OLE else frozenset()
        return Sniffed(path, content, size, head, streams)

    # -- zip containers --------------------------------------------------------------------
    def check_zip(self, path: Path, defer: Callable[[str], bool] | None = None) -> frozenset[str]:
        """Refuse a zip bomb, duplicate entries, DOCTYPE/ENTITY in XML, Strict OOXML; the entry names.

        ``defer``: entries whose content the caller scans later with ``scan_entries`` (before any
        parser reads them), so that a second search can share that one pass over them."""
        try:
            with zipfile.ZipFile(path) as zf:
                infos = zf.infolist()
                self._check_directory(path, infos)
                for info in infos:
                    if defer is None or not defer(info.filename):
                        self._check_entry(path, zf, info)
        except _BROKEN as exc:
            raise self._broken(path, exc) from None
        return frozenset(i.filename for i in infos)

    def scan_entries(self, path: Path, zf: zipfile.ZipFile, names: Iterable[str],
                     also: Callable[[str, bytes], None] | None = None) -> None:
        """``check_zip``'s content scan of the entries it was told to defer; ``also(name, data)``
        sees every stretch of each entry's bytes as it streams by (stretches overlap by 512 bytes)."""
        try:
            for name in names:
                self._check_entry(path, zf, zf.getinfo(name), also)
        except _BROKEN as exc:
            raise self._broken(path, exc) from None

    def _broken(self, path: Path, _exc: Exception) -> DomainError:
        # Python's own words (``File is not a zip file``) would be English inside the sentence
        return self.refuse(path, "已损坏（压缩包结构不完整），可能没有下载或复制完整")

    def _check_directory(self, path: Path, infos: list[zipfile.ZipInfo]) -> None:
        bomb = "，不像是正常的表格文件（可能是恶意构造的“压缩炸弹”）"
        if len(infos) > MAX_ZIP_ENTRIES:
            raise self.refuse(path, f"内部有 {len(infos):,} 个条目，超过了 {MAX_ZIP_ENTRIES:,} 个的上限{bomb}")
        inflated = sum(i.file_size for i in infos)
        packed = max(sum(i.compress_size for i in infos), 1)
        if inflated > MAX_INFLATED_BYTES:
            raise self.refuse(path, f"解压后异常巨大（{inflated / 1024 / 1024:,.0f} MB，上限 "
                                    f"{MAX_INFLATED_BYTES // 1024 // 1024:,} MB）{bomb}")
        seen: set[str] = set()
        for info in infos:
            if info.filename in seen:
                raise self.refuse(path, f"内部有两个同名的条目“{info.filename}”，文件已损坏或被篡改")
            seen.add(info.filename)
            if info.flag_bits & 0x1:
                raise self.refuse(path, f"内部的条目“{info.filename}”加了密码，无法检查")
            if info.file_size > RATIO_FLOOR and info.file_size > MAX_ENTRY_RATIO * max(info.compress_size, 1):
                ratio = info.file_size / max(info.compress_size, 1)
                raise self.refuse(path, f"中的“{info.filename}”解压后异常巨大（压缩比 {ratio:,.0f} 倍，"
                                        f"上限 {MAX_ENTRY_RATIO} 倍）{bomb}")
        if inflated > RATIO_FLOOR and inflated > MAX_TOTAL_RATIO * packed:
            raise self.refuse(path, f"解压后异常巨大（整体压缩比 {inflated / packed:,.0f} 倍，上限 {MAX_TOTAL_RATIO} 倍）{bomb}")

    def _check_entry(self, path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo,
                     also: Callable[[str, bytes], None] | None = None) -> None:
        """Stream one entry (bounded by its declared size) looking for DTD declarations."""
        if info.is_dir():
            return
        with zf.open(info) as stream:
            head = stream.read(512)
            xml = info.filename.lower().endswith(_XML_SUFFIXES) or _looks_like_xml(head)
            if not xml and also is None:
                return
            if xml and info.filename == "xl/workbook.xml" and STRICT_NAMESPACE in head + stream.read(4096):
                raise self.refuse(path, "是“Strict Open XML”格式的工作簿，本程序不能读取",
                                  "请用 Excel 打开它，另存为时保存类型选“Excel 工作簿（*.xlsx）”"
                                  "（不要选“Strict Open XML 电子表格”），再导入另存的文件")
            data = head
            while True:
                # Every declaration contains "!" in each encoding: one memchr skips the searches.
                if xml and b"!" in data and any(d in data for d in _DECLARATIONS):
                    raise self.refuse(path, f"中的“{info.filename}”含有 XML 文档类型声明（DOCTYPE/ENTITY），"
                                            "正常的表格文件没有这种内容，可能是恶意构造的文件（如“实体炸弹”）")
                if also is not None:
                    also(info.filename, data)
                chunk = stream.read(_CHUNK)
                if not chunk:
                    return
                data = data[-512:] + chunk

    # -- worksheets --------------------------------------------------------------------------
    def workbook_sheets(self, path: Path, zf: zipfile.ZipFile) -> list[SheetPart]:
        """Each worksheet in workbook order (name, zip entry, hidden); entries that are missing are left out."""
        names = set(zf.namelist())
        book_part, rels_part = "xl/workbook.xml", "xl/_rels/workbook.xml.rels"
        if book_part not in names or rels_part not in names:
            raise self.refuse(path, "不是 Excel 工作簿（缺少 workbook.xml）")
        book = self._parse_small(path, zf, book_part)
        rels = self._parse_small(path, zf, rels_part)
        ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
        ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
        targets = {r.get("Id"): r.get("Target", "") for r in rels}
        out = []
        for s in book.iter(f"{ns_main}sheet"):
            target = targets.get(s.get(f"{ns_rel}id"), "")
            part = target.lstrip("/") if target.startswith("/") else "xl/" + target
            if part in names:
                out.append(SheetPart(s.get("name", ""), part, s.get("state", "visible") != "visible"))
        return out

    def _parse_small(self, path: Path, zf: zipfile.ZipFile, part: str):  # -> Element
        from defusedxml import ElementTree as SafeET

        broken = f"的工作簿结构已损坏（{part}"
        if zf.getinfo(part).file_size > MAX_BOOK_XML_BYTES:
            raise self.refuse(path, f"{broken} 异常巨大）")
        depth = 0
        try:
            with zf.open(part) as stream:
                events = SafeET.iterparse(stream, events=("start", "end"), forbid_dtd=True)
                for event, _element in events:
                    depth += 1 if event == "start" else -1
                    if depth > MAX_BOOK_DEPTH:
                        raise self.refuse(path, f"{broken} 的嵌套层数异常），可能是恶意构造的文件")
            return events.root  # type: ignore[attr-defined]
        except (SafeET.ParseError, ValueError) as exc:  # defusedxml's own errors are ValueErrors
            raise self.refuse(path, f"{broken}：{exc}）") from None


def _looks_like_xml(head: bytes) -> bool:
    text = head.lstrip(codecs.BOM_UTF8).lstrip(codecs.BOM_UTF16_LE).lstrip(codecs.BOM_UTF16_BE)
    return text.replace(b"\x00", b"").lstrip()[:1] == b"<"


def _content_of(head: bytes) -> Content:
    if head.startswith(b"PK\x03\x04"):
        return Content.ZIP
    if head.startswith(OLE_MAGIC):
        return Content.OLE
    for magic, content in _MAGIC:
        if head.startswith(magic):
            return content
    utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    text = head.lstrip(codecs.BOM_UTF8).lstrip(codecs.BOM_UTF16_LE).lstrip(codecs.BOM_UTF16_BE)
    lower = text.replace(b"\x00", b"").lstrip().lower()
    if lower.startswith((b"<html", b"<!doctype html", b"<table", b"<meta", b"<head", b"mime-version:")) \
            or b"<html" in lower[:1024]:
        return Content.HTML
    if lower.startswith(b"<?xml"):
        if b"urn:schemas-microsoft-com:office:spreadsheet" in lower or b"<workbook" in lower:
            return Content.SPREADSHEET_XML
        return Content.XML
    if utf16 or _utf16_without_bom(head):
        return Content.UTF16_TEXT
    if b"\x00" in head:
        return Content.UNKNOWN
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        if not re.search(rb"[\x01-\x08\x0e-\x1a\x1c-\x1f]", head):
            return Content.TEXT
    return Content.UNKNOWN


def _utf16_without_bom(head: bytes) -> bool:
    """Text saved as UTF-16 without a byte-order mark: the ASCII characters among it (digits,
    commas, line ends) leave zeros in one byte lane only, and it decodes to printable text."""
    sample = head[: len(head) // 2 * 2][:4096]
    if len(sample) < 16:
        return False
    for zeros, other, encoding in ((sample[1::2], sample[0::2], "utf-16-le"), (sample[0::2], sample[1::2], "utf-16-be")):
        if zeros.count(0) >= 0.2 * len(zeros) and other.count(0) <= 0.01 * len(other):
            text = sample.decode(encoding, errors="replace")
            return "\ufffd" not in text[:-1] and not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", text)
    return False


def ole_stream_names(data: bytes) -> set[str]:
    """The stream names in an OLE compound file (legacy Office, WPS, encrypted OOXML)."""
    import xlrd.compdoc  # the OLE reader that ships with xlrd

    class _Quiet:
        def write(self, _text: str) -> None:
            pass

    try:
        doc = xlrd.compdoc.CompDoc(data, logfile=_Quiet())
    except Exception:  # noqa: BLE001 - any damage means the same thing to the clerk
        return set()
    return {d.name for d in doc.dirlist if d.name}
