"""Writing the monthly package: a 封面 cover, the 统计 sheet, one sheet per record type and a
hidden ``_meta``.

The writer takes canonical rows (see ``canonical.py``) and streams them with xlsxwriter in
constant-memory mode: every text is written as a string cell (a value starting with ``=`` stays
text), dates as date cells, numbers as numbers. The SHA-256 of each sheet is computed over
the very rows written. The file is written under a temporary name beside the target, flushed
to disk (fsync) and only then renamed into place (``output_file``), so an interrupted export
never leaves a file that looks complete; the caller re-reads it to verify before reporting
success. The 统计 sheet (the township's figures of the month, for a reader) is not data: the
reader ignores it and no checksum covers it.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.exceptions import FileCreateError

from ..domain.errors import DomainError
from ..domain.statistics import StatisticsReport
from .canonical import Row, SheetDigest
from .cells import CellError, codec
from .output_file import write_bytes, write_failure
from .package_meta import PackageMeta
from .package_spec import (
    COVER_SHEET, DATA_SHEETS, LAYOUTS, META_SHEET, NAME_FIELD,
)

PROGRESS_EVERY = 5000
WORKBOOK_OPTIONS = {"constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
                    "strings_to_urls": False}


class PackageWriteError(DomainError):
    """The package could not be written; the message names the sheet/row/column or the file."""


@contextlib.contextmanager
def atomic_workbook(path: Path) -> Iterator[xlsxwriter.Workbook]:
    """An xlsxwriter workbook that becomes ``path`` only once it is complete and on disk.

    The zip is assembled in memory (the sheets stream through xlsxwriter's temporary files)
    and written by ``output_file.write_bytes``: a full disk or a read-only folder is one
    Chinese sentence and leaves nothing behind."""
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    try:
        try:
            yield wb
        except BaseException:
            with contextlib.suppress(Exception):
                wb.close()  # its temporary files; the half-made workbook is dropped
            raise
        wb.close()
    except (OSError, FileCreateError) as exc:  # xlsxwriter's temporary files (the system's temp folder)
        cause = exc if isinstance(exc, OSError) else exc.__context__
        raise PackageWriteError(write_failure(path, cause if isinstance(cause, OSError) else OSError(str(exc)))) from None
    write_bytes(path, buffer.getbuffer(), PackageWriteError)


def write_meta_sheet(wb: xlsxwriter.Workbook, rows: Sequence[tuple[str, str]]) -> None:
    ws = wb.add_worksheet(META_SHEET)
    ws.set_column(0, 0, 28)
    ws.set_column(1, 1, 70)
    for r, (key, value) in enumerate(rows):
        ws.write_string(r, 0, key)
        ws.write_string(r, 1, value)
    ws.hide()


def _name_lookups(sheets: Mapping[str, Sequence[Row]]) -> dict[str, dict[str, str]]:
    """uuid → readable name for the sheets that display columns look names up in."""
    out: dict[str, dict[str, str]] = {}
    for spec in DATA_SHEETS:
        name_field = NAME_FIELD.get(spec.name)
        if name_field is None:
            continue
        fields = [c.field for c in spec.columns]
        ui, ni = fields.index("uuid"), fields.index(name_field)
        out[spec.name] = {row[ui]: row[ni] for row in sheets.get(spec.name, ())}
    return out


def _cover(wb: xlsxwriter.Workbook, meta: PackageMeta, sheets: Mapping[str, Sequence[Row]],
           exported_local: str, fmt: dict[str, Any]) -> None:
    ws = wb.add_worksheet(COVER_SHEET)
    ws.set_column(0, 0, 18)
    ws.set_column(1, 1, 44)
    ws.set_column(2, 2, 12)
    ws.write_string(0, 0, "党建台账 月报数据包", fmt["title"])
    facts = [("单位", f"{meta.township_name}（{meta.township_code}）"), ("月份", meta.period),
             ("制表人", meta.operator or "未署名"), ("导出时间", exported_local),
             ("导出号", meta.export_id), ("本单位导出序号", f"第 {meta.sequence} 次导出")]
    for r, (k, v) in enumerate(facts, start=2):
        ws.write_string(r, 0, k, fmt["bold"])
        ws.write_string(r, 1, v)
    r = len(facts) + 3
    for c, h in enumerate(("表", "记录数", "其中已删除")):
        ws.write_string(r, c, h, fmt["header"])
    for spec in DATA_SHEETS:
        r += 1
        rows = sheets.get(spec.name, ())
        ws.write_string(r, 0, spec.name)
        ws.write_number(r, 1, len(rows))
        fields = [c.field for c in spec.columns]
        if "deleted" in fields:
            di = fields.index("deleted")
            ws.write_number(r, 2, sum(1 for row in rows if row[di]))
    ws.write_string(r + 2, 0, "本文件由党建台账程序生成，供区里导入和查阅。各表数据请勿修改："
                              "区里导入时会核对校验码，修改过的文件将被拒收。", fmt["note"])
    ws.activate()


def _column_writers(ws: Any, sheet_name: str, names: Mapping[str, Mapping[str, str]],
                    date_fmt: Any) -> list[tuple[int, Callable[[int, int, Any], None]]]:
    """Per package column: the index of its value in the canonical row and how to write it."""
    spec_fields = [c.field for c in next(s for s in DATA_SHEETS if s.name == sheet_name).columns]
    out: list[tuple[int, Callable[[int, int, Any], None]]] = []
    for pc in LAYOUTS[sheet_name]:
        if pc.display is not None:
            lookup = names.get(pc.display.target.name, {})

            def write_name(r: int, c: int, v: Any, lookup: Mapping[str, str] = lookup) -> None:
                name = lookup.get(v) if v is not None else None
                if name:
                    ws.write_string(r, c, name)
            out.append((spec_fields.index(pc.display.ref_field), write_name))
            continue
        assert pc.column is not None
        encode = codec(pc.column).encode

        def write_value(r: int, c: int, v: Any, encode: Callable[[Any], Any] = encode) -> None:
            e = encode(v)
            if e is None:
                return
            tag, value = e
            if tag == "s":
                ws.write_string(r, c, value)
            elif tag == "d":
                ws.write_number(r, c, value, date_fmt)
            else:
                ws.write_number(r, c, value)
        out.append((spec_fields.index(pc.column.field), write_value))
    return out


def write_package(path: Path, meta: PackageMeta, sheets: Mapping[str, Sequence[Row]],
                  exported_local: str, stats: StatisticsReport | None = None) -> Iterator[tuple[int, int, str]]:
    """Write the package to ``path``; yields ``(rows done, rows total, sheet)``; fills ``meta``.
    With ``stats`` a 统计 sheet follows the 封面."""
    total = sum(len(sheets.get(s.name, ())) for s in DATA_SHEETS)
    done = 0
    names = _name_lookups(sheets)
    meta.row_counts, meta.sheet_digests = {}, {}
    with atomic_workbook(path) as wb:
        fmt = {
            "title": wb.add_format({"bold": True, "font_size": 16}),
            "bold": wb.add_format({"bold": True}),
            "note": wb.add_format({"italic": True, "font_color": "#666666"}),
            "header": wb.add_format({"bold": True, "bg_color": "#F2DCDB", "border": 1, "text_wrap": True,
                                     "valign": "vcenter"}),
        }
        date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
        _cover(wb, meta, sheets, exported_local, fmt)
        if stats is not None:
            from .stats_workbook import STATS_SHEET, write_stats_sheet  # openpyxl: not for every reader

            write_stats_sheet(wb.add_worksheet(STATS_SHEET), stats)
        for spec in DATA_SHEETS:
            rows = sheets.get(spec.name, ())
            ws = wb.add_worksheet(spec.name)
            cols = LAYOUTS[spec.name]
            for c, pc in enumerate(cols):
                ws.set_column(c, c, pc.width)
                ws.write_string(0, c, pc.header, fmt["header"])
            ws.freeze_panes(1, 0)
            ws.autofilter(0, 0, max(len(rows), 1), len(cols) - 1)
            ws.ignore_errors({"number_stored_as_text": "A1:XFD1048576"})
            writers = _column_writers(ws, spec.name, names, date_fmt)
            digest = SheetDigest()
            for r, row in enumerate(rows, start=1):
                digest.add(row)
                c = 0
                try:
                    for c, (src, write) in enumerate(writers):
                        write(r, c, row[src])
                except CellError as exc:
                    raise PackageWriteError(
                        f"「{spec.name}」表第 {r + 1} 行「{cols[c].header}」列无法写入 Excel：{exc.message}"
                    ) from None
                if r % PROGRESS_EVERY == 0:
                    yield done + r, total, spec.name
            done += len(rows)
            meta.row_counts[spec.name] = digest.rows
            meta.sheet_digests[spec.name] = digest.hexdigest()
            yield done, total, spec.name
        meta.checksum = meta.compute_checksum()
        write_meta_sheet(wb, meta.meta_rows())
