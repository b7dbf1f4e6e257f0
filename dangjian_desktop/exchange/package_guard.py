"""Checks on an .xlsx file before any spreadsheet reader touches it.

python-calamine is fast but aborts the whole process on some hostile files (one cell at A1
and one at XFD1048576) and every reader happily inflates a zip bomb. So before reading:
the file must be a zip of sensible size and compression ratio with no duplicate entries,
its sheets are located through ``workbook.xml`` and its relationships, and each sheet that
will be read is scanned for the largest row and column any cell claims.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from defusedxml import ElementTree as SafeET

from ..domain.errors import DomainError

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_INFLATED_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 400

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# A row or cell reference (``r="…"``, whatever the attribute order; a text containing one only
# makes the check stricter) beyond column BZ or with more digits than allowed. One regex
# search over the sheet, no list of every reference: this runs on every sheet imported.
# (A cell without ``r`` sits right after the previous one, which cannot reach far without
# many bytes.) It bounds what calamine allocates to 78 columns × 10 times the rows expected.
MAX_COLUMNS = 78  # BZ
_FAR_REF = "\\sr=\"(?:[C-Z][A-Z]|[A-Z]{{3}}|[A-Z]*[0-9]{{{digits}}})"


class NotAWorkbookError(DomainError):
    """The file is not an .xlsx workbook this program can read safely."""


class XlsxGuard:
    """An .xlsx file that passed the zip checks; ``sheets`` maps sheet names to zip entries."""

    def __init__(self, path: Path) -> None:
        self.path = path
        label = path.name
        if not path.is_file():
            raise NotAWorkbookError(f"文件 {path} 不存在")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise NotAWorkbookError(f"{label}：文件有 {size // 1024 // 1024} MB，太大，不是本程序导出的文件")
        if not zipfile.is_zipfile(path):
            raise NotAWorkbookError(f"{label}：不是 .xlsx 文件（可能已损坏，或是 .xls/.et 等其他格式）")
        try:
            with zipfile.ZipFile(path) as zf:
                infos = zf.infolist()
                names = [i.filename for i in infos]
                if len(names) != len(set(names)):
                    raise NotAWorkbookError(f"{label}：文件内部有重复的条目，已损坏或被篡改")
                inflated = sum(i.file_size for i in infos)
                if inflated > MAX_INFLATED_BYTES or any(
                    i.compress_size and i.file_size / i.compress_size > MAX_RATIO and i.file_size > 1024 * 1024
                    for i in infos
                ):
                    raise NotAWorkbookError(f"{label}：文件解压后异常巨大，拒绝读取")
                self.sheets = self._sheet_entries(zf, set(names))
        except (zipfile.BadZipFile, KeyError, SafeET.ParseError, ValueError) as exc:
            if isinstance(exc, NotAWorkbookError):
                raise
            raise NotAWorkbookError(f"{label}：不是有效的 .xlsx 文件（{exc}）") from None

    def _sheet_entries(self, zf: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
        if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
            raise NotAWorkbookError(f"{self.path.name}：不是 Excel 工作簿（缺少 workbook.xml）")
        book = SafeET.fromstring(zf.read("xl/workbook.xml"))
        rels = SafeET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG_REL}Relationship")}
        out: dict[str, str] = {}
        for sheet in book.iter(f"{_MAIN}sheet"):
            target = targets.get(sheet.get(f"{_REL}id"), "")
            entry = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            if entry in names:
                out[sheet.get("name", "")] = entry
        return out

    def check_extent(self, sheet: str, max_rows: int) -> None:
        """Refuse a sheet with a cell beyond column BZ or far below ``max_rows``."""
        with zipfile.ZipFile(self.path) as zf:
            data = zf.read(self.sheets[sheet])
        far = re.compile(_FAR_REF.format(digits=len(str(max_rows)) + 1).encode())
        if far.search(data) is not None:
            raise NotAWorkbookError(
                f"{self.path.name}：「{sheet}」表的范围超出了数据包说明的行数和列数，"
                "文件在导出后被修改过，请让乡镇重新导出"
            )
