"""The review receipt (回执): a small .xlsx the district sends back to a township.

A visible 回执 sheet says, for a clerk, which township and month, the verdict (待审核 / 已通过 /
退回修改), the reason and when (in 北京时间; the program keeps UTC); the hidden ``_meta`` sheet
carries the same facts for the program with a SHA-256 over them. The reader refuses a receipt whose manifest does not match its checksum
or whose visible verdict differs from the manifest (someone edited it).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from .cells import sanitize_text
from .package_guard import RECEIPT, NotAWorkbookError
from .package_reader import NotAPackageError, PackageReadError, read_manifest
from .package_spec import FORMAT_VERSION, RECEIPT_KIND, RECEIPT_SHEET, ReviewStatus
from .package_writer import atomic_workbook, write_meta_sheet

_LABELS = (("乡镇", "township"), ("月份", "period"), ("审核结果", "status"), ("意见或退回原因", "reason"),
           ("审核单位", "district"), ("审核人", "reviewer"), ("审核时间（北京时间）", "reviewed_at"),
           ("数据包导出号", "export_id"), ("回执号", "receipt_id"))
# Receipts written before the time was shown as 北京时间 showed it in UTC: still read.
_LEGACY_TIME = ("审核时间（UTC）", "reviewed_at")
_BEIJING = timezone(timedelta(hours=8), "北京时间")  # China keeps no summer time


@dataclass(frozen=True)
class Receipt:
    receipt_id: str
    district_code: str
    district_name: str
    township_code: str
    township_name: str
    period: str
    export_id: str
    status: str
    reason: str
    reviewer: str
    reviewed_at: str  # canonical UTC timestamp
    kind: str = RECEIPT_KIND
    format_version: int = FORMAT_VERSION

    def checksum(self) -> str:
        h = hashlib.sha256()
        for f in fields(self):
            h.update(f"{f.name}\x1f{getattr(self, f.name)}\x1e".encode("utf-8"))
        return h.hexdigest()

    def visible(self, *, legacy: bool = False) -> dict[str, str]:
        """What the 回执 sheet shows (``legacy``: with the time in UTC, as older receipts did)."""
        return {"township": f"{self.township_name}（{self.township_code}）", "period": self.period,
                "status": self.status, "reason": self.reason or "无",
                "district": f"{self.district_name}（{self.district_code}）", "reviewer": self.reviewer or "未署名",
                "reviewed_at": self.reviewed_at.replace("T", " ") if legacy else beijing_time(self.reviewed_at),
                "export_id": self.export_id or "无", "receipt_id": self.receipt_id}


def beijing_time(utc_stamp: str) -> str:
    """``2026-11-27T02:30:00`` (UTC) as a township clerk reads it: ``2026-11-27 10:30:00``."""
    try:
        at = datetime.fromisoformat(utc_stamp).replace(tzinfo=UTC)
    except ValueError:
        return utc_stamp.replace("T", " ")
    return at.astimezone(_BEIJING).strftime("%Y-%m-%d %H:%M:%S")


def write_receipt(path: Path, receipt: Receipt) -> None:
    receipt = Receipt(**{f.name: sanitize_text(v) if isinstance(v := getattr(receipt, f.name), str) else v
                         for f in fields(receipt)})
    with atomic_workbook(path) as wb:
        ws = wb.add_worksheet(RECEIPT_SHEET)
        bold = wb.add_format({"bold": True})
        wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        ws.set_column(0, 0, 18)
        ws.set_column(1, 1, 60)
        ws.write_string(0, 0, "月报数据包审核回执", wb.add_format({"bold": True, "font_size": 16}))
        shown = receipt.visible()
        for r, (label, key) in enumerate(_LABELS, start=2):
            ws.write_string(r, 0, label, bold)
            ws.write_string(r, 1, shown[key], wrap)
        ws.activate()
        write_meta_sheet(wb, [*((f.name, str(getattr(receipt, f.name))) for f in fields(receipt)),
                              ("checksum", receipt.checksum())])


def read_receipt(path: Path | str) -> Receipt:
    manifest = read_manifest(path, RECEIPT)
    name = manifest.path.name
    if manifest.kind != RECEIPT_KIND:
        raise NotAPackageError(f"{name}：这是月报数据包，不是审核回执")
    v = manifest.values
    try:
        receipt = Receipt(**{f.name: (int(v[f.name]) if f.type in (int, "int") else v[f.name]) for f in fields(Receipt)})
    except (KeyError, ValueError) as exc:
        raise PackageReadError(f"{name}：回执的说明表缺少“{exc}”，请让区里重新导出回执") from None
    if receipt.checksum() != v.get("checksum") or receipt.status not in ReviewStatus._value2member_map_:
        raise PackageReadError(f"{name}：回执与校验码不符（导出后被修改过），请让区里重新导出回执")
    if RECEIPT_SHEET not in manifest.guard.sheets:
        raise PackageReadError(f"{name}：回执缺少「{RECEIPT_SHEET}」表，请让区里重新导出回执")
    try:
        manifest.guard.check_extent(RECEIPT_SHEET, 40)
    except NotAWorkbookError as exc:
        raise PackageReadError(exc.message) from None
    rows = manifest.book.get_sheet_by_name(RECEIPT_SHEET).to_python()
    shown = {str(r[0]): str(r[1]) for r in rows if len(r) >= 2}
    legacy = _LEGACY_TIME[0] in shown
    labels = [_LEGACY_TIME if legacy and key == "reviewed_at" else (label, key) for label, key in _LABELS]
    expected = receipt.visible(legacy=legacy)
    if any(shown.get(label) != expected[key] for label, key in labels):
        raise PackageReadError(f"{name}：回执「{RECEIPT_SHEET}」表的内容与校验码不符（导出后被修改过），请让区里重新导出回执")
    return receipt


def receipt_in_child(emit, path: str) -> Receipt:  # noqa: ANN001 - the worker's note callback
    """``read_receipt`` as the target of a worker process (``exchange.isolation``)."""
    return read_receipt(path)
