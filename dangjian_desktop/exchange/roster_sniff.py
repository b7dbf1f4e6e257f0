"""What a roster file really is, decided from its content, never from its extension.

``sniff(path)`` returns the format to read it with (.xlsx/.xlsm, legacy .xls, CSV in UTF-8 or
GBK) or raises ``RosterFileError`` with one Chinese sentence telling the clerk how to re-save
it: a web page (HTML) or an Excel 2003 XML file named ".xls", a WPS .et file, an OpenDocument
sheet, a password-protected workbook, or something that is no table at all.

``check_before_parsing`` runs the checks that must pass before any parser touches the bytes.
Today that is a size limit; the hostile-file checks (zip bombs, duplicate zip entries …) belong
in ``PRE_PARSE_CHECKS`` too, so that every reader gets them.
"""

from __future__ import annotations

import codecs
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from ..domain.errors import DomainError

MAX_FILE_BYTES = 100 * 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
RESAVE = "请用 Excel 或 WPS 打开它，选择“另存为”，保存类型选“Excel 工作簿（*.xlsx）”，再导入另存的文件"


class RosterFileError(DomainError):
    """The file cannot be read as a roster; the message names the file and what to do."""


class FileFormat(StrEnum):
    XLSX = "xlsx"
    XLS = "xls"
    CSV = "csv"


@dataclass(frozen=True)
class SniffedFile:
    path: Path
    format: FileFormat
    size: int
    encoding: str | None = None  # CSV only: "utf-8-sig", "utf-8" or "gb18030"

    @property
    def label(self) -> str:
        return {FileFormat.XLSX: "Excel 工作簿（.xlsx）", FileFormat.XLS: "Excel 97-2003 工作簿（.xls）",
                FileFormat.CSV: f"CSV 文本（{'GBK' if self.encoding == 'gb18030' else 'UTF-8'} 编码）"}[self.format]


def _fail(path: Path, what: str, todo: str = RESAVE) -> RosterFileError:
    return RosterFileError(f"文件“{path.name}”{what}，无法直接导入：{todo}")


def sniff(path: Path | str) -> SniffedFile:
    path = Path(path)
    if not path.exists():
        raise RosterFileError(f"文件“{path}”不存在，请检查路径")
    if not path.is_file():
        raise RosterFileError(f"“{path}”不是文件，请选择一个 Excel 或 CSV 文件")
    size = path.stat().st_size
    if size == 0:
        raise RosterFileError(f"文件“{path.name}”是空的（0 字节），请选择保存了名册的文件")
    with path.open("rb") as f:
        head = f.read(8192)
    if head.startswith(b"PK\x03\x04"):
        return SniffedFile(path, _zip_format(path), size)
    if head.startswith(OLE_MAGIC):
        return SniffedFile(path, _ole_format(path, size), size)
    _refuse_markup(path, head)
    return SniffedFile(path, FileFormat.CSV, size, _text_encoding(path, head, size))


def _zip_format(path: Path) -> FileFormat:
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            mimetype = z.read("mimetype")[:80] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError):
        raise _fail(path, "已损坏（压缩包结构不完整）", "请用 Excel 或 WPS 打开并另存为 .xlsx 后再导入") from None
    if "xl/workbook.xml" in names:
        return FileFormat.XLSX
    if "xl/workbook.bin" in names:
        raise _fail(path, "是 Excel 二进制工作簿（.xlsb）")
    if b"opendocument.spreadsheet" in mimetype:
        raise _fail(path, "是 OpenDocument 表格（.ods）")
    if any(n.startswith("word/") for n in names):
        raise _fail(path, "是 Word 文档，不是表格", "请把名册放进 Excel 或 WPS 表格后另存为 .xlsx 再导入")
    raise _fail(path, "是一个压缩包，不是 Excel 表格", "请选择名册的 .xlsx、.xls 或 .csv 文件")


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


def _ole_format(path: Path, size: int) -> FileFormat:
    if size > MAX_FILE_BYTES:
        raise _too_big(path, size)
    names = ole_stream_names(path.read_bytes())
    if {"EncryptionInfo", "EncryptedPackage"} & names:
        raise _fail(path, "设置了打开密码", "请用 Excel 或 WPS 输入密码打开，在“文件→信息”（WPS：“文件→文档加密”）"
                                       "中取消密码，另存为 .xlsx 后再导入")
    if {"Workbook", "Book"} & names:
        return FileFormat.XLS
    if "WordDocument" in names:
        raise _fail(path, "是 Word 文档，不是表格", "请把名册放进 Excel 或 WPS 表格后另存为 .xlsx 再导入")
    if not names:
        raise _fail(path, "已损坏或不是表格文件", "请用 Excel 或 WPS 打开并另存为 .xlsx 后再导入")
    raise _fail(path, "是 WPS 表格专用格式（.et）或其他程序的文件",
                "请用 WPS 表格打开它，选择“文件→另存为”，文件类型选“Excel 文件（*.xlsx）”，再导入另存的文件")


def _refuse_markup(path: Path, head: bytes) -> None:
    text = head.lstrip(codecs.BOM_UTF8).lstrip(codecs.BOM_UTF16_LE).lstrip(codecs.BOM_UTF16_BE)
    lower = text.replace(b"\x00", b"").lstrip().lower()
    if lower.startswith((b"<html", b"<!doctype html", b"<table", b"<meta", b"<head", b"mime-version:")) \
            or b"<html" in lower[:1024]:
        raise _fail(path, "其实是网页（HTML）格式，只是扩展名为表格（常见于从网上系统导出的 .xls）")
    if lower.startswith(b"<?xml"):
        if b"urn:schemas-microsoft-com:office:spreadsheet" in lower or b"<workbook" in lower:
            raise _fail(path, "是 Excel 2003 XML 表格（SpreadsheetML），只是扩展名为 .xls")
        raise _fail(path, "是 XML 文件，不是表格", "请选择名册的 .xlsx、.xls 或 .csv 文件")


def _text_encoding(path: Path, head: bytes, size: int) -> str:
    if size > MAX_FILE_BYTES:
        raise _too_big(path, size)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head:
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise _fail(path, "是 UTF-16 编码的文本", "请用 Excel 或 WPS 打开后另存为 .xlsx，或另存为“CSV UTF-8”再导入")
        raise _fail(path, "不是 Excel 表格或 CSV 文本（内容无法识别）", "请选择名册的 .xlsx、.xls 或 .csv 文件")
    data = path.read_bytes()
    if data.startswith(codecs.BOM_UTF8):
        encodings = ("utf-8-sig",)
    else:
        encodings = ("utf-8", "gb18030")
    for encoding in encodings:
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    raise _fail(path, "不是 Excel 表格，也不是 UTF-8 或 GBK 编码的 CSV 文本",
                "请用 Excel 或 WPS 打开后另存为 .xlsx 再导入")


def _too_big(path: Path, size: int) -> RosterFileError:
    return RosterFileError(f"文件“{path.name}”有 {size / 1024 / 1024:.0f} MB，超过了 {MAX_FILE_BYTES // 1024 // 1024} MB "
                           "的上限；请删除无关的工作表、图片和空白行列后另存，或分成几个文件导入")


def _check_size(sniffed: SniffedFile) -> None:
    if sniffed.size > MAX_FILE_BYTES:
        raise _too_big(sniffed.path, sniffed.size)


PRE_PARSE_CHECKS: list[Callable[[SniffedFile], None]] = [_check_size]
"""Checks run on every file before parsing; each raises ``RosterFileError``."""


def check_before_parsing(sniffed: SniffedFile) -> None:
    for check in PRE_PARSE_CHECKS:
        check(sniffed)
