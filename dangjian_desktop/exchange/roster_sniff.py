"""What a roster file really is, decided from its content, never from its extension.

``sniff(path)`` returns the format to read it with (.xlsx/.xlsm, legacy .xls, CSV in UTF-8 or
GBK) or raises ``RosterFileError`` with one Chinese sentence telling the clerk how to re-save
it: a web page (HTML) or an Excel 2003 XML file named ".xls", a WPS .et file, an OpenDocument
sheet, a password-protected workbook, a program, a PDF or a picture renamed, or something that
is no table at all. The content sniff and the size limit are the shared gate's (``file_guard``).

``check_before_parsing`` runs the checks that must pass before any parser touches the bytes:
``PRE_PARSE_CHECKS``, today the gate's container checks of an .xlsx (zip bomb, duplicate
entries, DOCTYPE/ENTITY in any XML part, Strict OOXML).
"""

from __future__ import annotations

import codecs
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from ..domain.errors import DomainError
from .file_guard import DESCRIPTIONS, Content, Gate

RESAVE = "请用 Excel 或 WPS 打开它，选择“另存为”，保存类型选“Excel 工作簿（*.xlsx）”，再导入另存的文件"
PICK = "请选择名册的 .xlsx、.xls 或 .csv 文件"


class RosterFileError(DomainError):
    """The file cannot be read as a roster; the message names the file and what to do."""


GATE = Gate(RosterFileError, "请用 Excel 或 WPS 打开后另存为 .xlsx 再导入")


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
    found = GATE.sniff(path)
    path, size, content = found.path, found.size, found.content
    if content is Content.ZIP:
        return SniffedFile(path, _zip_format(path), size)
    if content is Content.OLE:
        return SniffedFile(path, _ole_format(path, found.ole_streams), size)
    if content is Content.HTML:
        raise _fail(path, "其实是网页（HTML）格式，只是扩展名为表格（常见于从网上系统导出的 .xls）")
    if content is Content.SPREADSHEET_XML:
        raise _fail(path, "是 Excel 2003 XML 表格（SpreadsheetML），只是扩展名为 .xls")
    if content is Content.XML:
        raise _fail(path, "是 XML 文件，不是表格", PICK)
    if content is Content.UTF16_TEXT:
        raise _fail(path, "是 UTF-16 编码的文本", "请用 Excel 或 WPS 打开后另存为 .xlsx，或另存为“CSV UTF-8”再导入")
    if content is Content.TEXT:
        return SniffedFile(path, FileFormat.CSV, size, _text_encoding(path))
    raise _fail(path, DESCRIPTIONS[content], PICK)


def _zip_format(path: Path) -> FileFormat:
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            mimetype = b""
            if "mimetype" in names:
                with z.open("mimetype") as f:
                    mimetype = f.read(80)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError):
        raise _fail(path, "已损坏（压缩包结构不完整）", "请用 Excel 或 WPS 打开并另存为 .xlsx 后再导入") from None
    if "xl/workbook.xml" in names:
        return FileFormat.XLSX
    if "xl/workbook.bin" in names:
        raise _fail(path, "是 Excel 二进制工作簿（.xlsb）")
    if b"opendocument.spreadsheet" in mimetype:
        raise _fail(path, "是 OpenDocument 表格（.ods）")
    if any(n.startswith("word/") for n in names):
        raise _fail(path, "是 Word 文档，不是表格", "请把名册放进 Excel 或 WPS 表格后另存为 .xlsx 再导入")
    raise _fail(path, "是一个压缩包，不是 Excel 表格", PICK)


def _ole_format(path: Path, names: frozenset[str]) -> FileFormat:
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


def _text_encoding(path: Path) -> str:
    data = path.read_bytes()
    if data.startswith(codecs.BOM_UTF8):
        encodings: tuple[str, ...] = ("utf-8-sig",)
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


def _check_container(sniffed: SniffedFile) -> None:
    if sniffed.format is FileFormat.XLSX:
        GATE.check_zip(sniffed.path)


PRE_PARSE_CHECKS: list[Callable[[SniffedFile], None]] = [_check_container]
"""Checks run on every file before parsing; each raises ``RosterFileError``."""


def check_before_parsing(sniffed: SniffedFile) -> None:
    for check in PRE_PARSE_CHECKS:
        check(sniffed)
