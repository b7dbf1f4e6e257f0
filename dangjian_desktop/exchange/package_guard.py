"""Checks on a monthly package before any spreadsheet reader touches it.

The checks themselves are the shared gate of both importers (``file_guard``): size, content,
zip bomb, duplicate entries, DOCTYPE/ENTITY, Strict OOXML, sheets located through
``workbook.xml``. What is the package's own: the messages (a ``Sender``: a package comes from a
township's export, a receipt from the district, so the advice is to ask that side to export
again) and the extent check, which is strict because a package is machine-written: no
reference of a sheet may lie beyond column BZ or below the rows its manifest promises, styled
or not.

Each entry of the zip is streamed once. The data sheets hold almost all of a package's bytes,
and their extent limits come from the manifest, so a guard made with ``defer_data`` leaves
their part of the gate for ``scan_data``, which searches each data sheet for declarations and
for references beyond its limit in the same pass; ``check_extent`` then answers from it.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..domain.errors import DomainError
from .file_guard import DESCRIPTIONS, STRICT_MAX_COLUMNS, Content, Gate, beyond_pattern, scan_sheet_xml
from .package_spec import DATA_SHEETS

MAX_COLUMNS = STRICT_MAX_COLUMNS
_DATA_NAMES = frozenset(s.name for s in DATA_SHEETS)
_WORKSHEETS = "xl/worksheets/"


class NotAWorkbookError(DomainError):
    """The file is not an .xlsx workbook this program can read safely."""


@dataclass(frozen=True)
class Sender:
    """Who makes the files an importer reads, so whom the clerk is sent to: the district
    imports packages a township exported, a township imports the receipts the district wrote."""

    gate: Gate
    what: str  # 月报数据包 / 审核回执
    manifest: str  # what its ``_meta`` sheet is called
    choose: str  # which file to choose instead
    again: str  # whom to ask for a new one


PACKAGE = Sender(Gate(NotAWorkbookError, "这不是月报数据包或已损坏，请让乡镇用本程序重新导出后再导入"),
                 "月报数据包", "数据包说明表", "请选择乡镇用本程序导出的 .xlsx 文件", "请让乡镇重新导出")
RECEIPT = Sender(Gate(NotAWorkbookError, "这不是审核回执或已损坏，请让区里用本程序重新导出回执后再导入"),
                 "审核回执", "回执说明表", "请选择区里用本程序导出的审核回执（.xlsx 文件）", "请让区里重新导出回执")
GATE = PACKAGE.gate
_NOT_XLSX = {
    Content.OLE: "是旧版 Excel（.xls）或其他 Office 文件",
    Content.HTML: "其实是网页（HTML）",
    Content.SPREADSHEET_XML: "是 Excel 2003 XML 表格",
    Content.XML: "是 XML 文件",
    Content.TEXT: "是文本文件（如 CSV）",
    Content.UTF16_TEXT: "是文本文件（UTF-16 编码）",
}


def _stamp(path: Path) -> tuple[int, ...]:
    st = os.stat(path)
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


class XlsxGuard:
    """An .xlsx file that passed the gate; ``sheets`` maps sheet names to zip entries.

    With ``defer_data`` the worksheets of the data sheets are not scanned yet (``pending``):
    ``scan_data`` must run before a parser reads them.
    """

    def __init__(self, path: Path, defer_data: bool = False, sender: Sender = PACKAGE) -> None:
        self.path = path
        self.sender = sender
        gate = sender.gate
        sniffed = gate.sniff(path)
        if sniffed.content is not Content.ZIP:
            what = "设置了打开密码" if sniffed.encrypted else _NOT_XLSX.get(sniffed.content) or DESCRIPTIONS.get(
                sniffed.content, "不是 .xlsx 文件")
            raise gate.refuse(path, f"{what}，这不是{sender.what}", sender.choose)
        self.stamp = _stamp(path)
        self.pending: dict[str, str] = {}  # data sheet → its entry, not scanned yet
        self._extent: dict[str, tuple[int, bool]] = {}  # sheet → (rows limit, far) found by scan_data
        # Worksheets are scanned after workbook.xml names them (the data sheets maybe later still).
        gate.check_zip(path, defer=lambda name: name.startswith(_WORKSHEETS))
        with zipfile.ZipFile(path) as zf:
            worksheets = [n for n in dict.fromkeys(zf.namelist()) if n.startswith(_WORKSHEETS)]
            try:
                self.sheets = {s.name: s.part for s in gate.workbook_sheets(path, zf)}
            except (DomainError, zipfile.BadZipFile, KeyError, OSError) as exc:
                gate.scan_entries(path, zf, worksheets)  # a declaration anywhere is refused first
                if isinstance(exc, DomainError):
                    raise
                raise gate.refuse(path, f"不是有效的 .xlsx 文件（{exc}）") from None
            if defer_data:
                parts = {p for n, p in self.sheets.items() if n in _DATA_NAMES}
                shared = {p for n, p in self.sheets.items() if n not in _DATA_NAMES}
                self.pending = {n: p for n, p in self.sheets.items()
                                if n in _DATA_NAMES and p in worksheets and p not in shared}
                worksheets = [w for w in worksheets if w not in parts or w in shared]
            gate.scan_entries(path, zf, worksheets)

    def changed(self) -> bool:
        """The file is no longer the one the gate checked (written, replaced or gone)."""
        try:
            return _stamp(self.path) != self.stamp
        except OSError:
            return True

    def scan_data(self, limits: Mapping[str, int] | None = None) -> None:
        """The gate's scan of the deferred data sheets, one pass each; with ``limits`` (sheet →
        rows) also the strict extent, which ``check_extent`` then reports."""
        pending, self.pending = self.pending, {}
        if not pending:
            return
        patterns = {n: beyond_pattern(limits[n], MAX_COLUMNS) for n in pending if limits and n in limits}
        by_part = {p: n for n, p in pending.items()}
        far: set[str] = set()

        def search(part: str, data: bytes) -> None:
            name = by_part[part]
            pattern = patterns.get(name)
            if pattern is not None and name not in far and pattern.search(data) is not None:
                far.add(name)

        try:
            with zipfile.ZipFile(self.path) as zf:
                self.sender.gate.scan_entries(self.path, zf, list(by_part), search if patterns else None)
        except (zipfile.BadZipFile, OSError) as exc:
            raise self.sender.gate.refuse(self.path, f"已损坏（压缩包结构不完整：{exc}），可能没有下载或复制完整") from None
        for name in patterns:
            self._extent[name] = (limits[name], name in far)  # type: ignore[index]

    def check_extent(self, sheet: str, max_rows: int) -> None:
        """Refuse a sheet with a reference beyond column BZ or below ``max_rows``."""
        known = self._extent.get(sheet)
        if known is not None and known[0] == max_rows:
            far = known[1]
        else:
            try:
                with zipfile.ZipFile(self.path) as zf:
                    far = scan_sheet_xml(lambda: zf.open(self.sheets[sheet]), strict=(max_rows, MAX_COLUMNS),
                                         layout=False).far
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                raise self.sender.gate.refuse(self.path, f"的「{sheet}」表已损坏（{exc}）") from None
        if far:
            raise NotAWorkbookError(
                f"{self.path.name}：「{sheet}」表的范围超出了数据包说明的行数和列数，"
                f"文件在导出后被修改过，{self.sender.again}"
            )
