"""Checks on a monthly package before any spreadsheet reader touches it.

The checks themselves are the shared gate of both importers (``file_guard``): size, content,
zip bomb, duplicate entries, DOCTYPE/ENTITY, Strict OOXML, sheets located through
``workbook.xml``. What is the package's own: the messages (a package comes from a township's
export, so the advice is to export again) and the extent check, which is strict because a
package is machine-written: no reference of a sheet may lie beyond column BZ or below the rows
its manifest promises, styled or not.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..domain.errors import DomainError
from .file_guard import DESCRIPTIONS, STRICT_MAX_COLUMNS, Content, Gate, scan_sheet_xml

MAX_COLUMNS = STRICT_MAX_COLUMNS


class NotAWorkbookError(DomainError):
    """The file is not an .xlsx workbook this program can read safely."""


GATE = Gate(NotAWorkbookError, "这不是月报数据包或已损坏，请让乡镇用本程序重新导出后再导入")
_NOT_XLSX = {
    Content.OLE: "是旧版 Excel（.xls）或其他 Office 文件",
    Content.HTML: "其实是网页（HTML）",
    Content.SPREADSHEET_XML: "是 Excel 2003 XML 表格",
    Content.XML: "是 XML 文件",
    Content.TEXT: "是文本文件（如 CSV）",
    Content.UTF16_TEXT: "是文本文件（UTF-16 编码）",
}


class XlsxGuard:
    """An .xlsx file that passed the gate; ``sheets`` maps sheet names to zip entries."""

    def __init__(self, path: Path) -> None:
        self.path = path
        sniffed = GATE.sniff(path)
        if sniffed.content is not Content.ZIP:
            what = "设置了打开密码" if sniffed.encrypted else _NOT_XLSX.get(sniffed.content) or DESCRIPTIONS.get(
                sniffed.content, "不是 .xlsx 文件")
            raise GATE.refuse(path, f"{what}，这不是月报数据包", "请选择乡镇用本程序导出的 .xlsx 文件")
        GATE.check_zip(path)
        try:
            with zipfile.ZipFile(path) as zf:
                self.sheets = {s.name: s.part for s in GATE.workbook_sheets(path, zf)}
        except (zipfile.BadZipFile, KeyError, OSError) as exc:
            raise GATE.refuse(path, f"不是有效的 .xlsx 文件（{exc}）") from None

    def check_extent(self, sheet: str, max_rows: int) -> None:
        """Refuse a sheet with a reference beyond column BZ or below ``max_rows``."""
        try:
            with zipfile.ZipFile(self.path) as zf:
                scan = scan_sheet_xml(lambda: zf.open(self.sheets[sheet]), strict=(max_rows, MAX_COLUMNS), layout=False)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise GATE.refuse(self.path, f"的「{sheet}」表已损坏（{exc}）") from None
        if scan.far:
            raise NotAWorkbookError(
                f"{self.path.name}：「{sheet}」表的范围超出了数据包说明的行数和列数，"
                "文件在导出后被修改过，请让乡镇重新导出"
            )
