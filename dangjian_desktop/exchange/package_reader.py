"""Reading a monthly package back: the manifest first, then every data sheet, verified.

``read_manifest`` is cheap (the ``_meta`` sheet only) and tells what a file is. ``read_package``
returns canonical rows (see ``canonical.py``) after checking, in this order, that the file is
a package of a known format, that every sheet is there with the expected headers and the
expected number of rows, that every cell can be read, and that each sheet's SHA-256 and the
package checksum match the manifest. Anything else means the file was changed after export:
the error names the sheet (and row and column where it can) and asks for a fresh export.
Sheets are read with python-calamine behind ``XlsxGuard``'s size and extent checks.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .calamine_book import open_xlsx

from ..domain.errors import DomainError
from .canonical import Row, column_digest
from .cells import CellError, codec, decode_column
from .package_guard import PACKAGE, NotAWorkbookError, Sender, XlsxGuard
from .package_spec import (
    DATA_SHEETS, LAYOUTS, META_SHEET, PACKAGE_KIND, RECEIPT_KIND, SUPPORTED_FORMAT_VERSIONS,
)
from .package_meta import PackageMeta

FIRST_DATA_ROW = 2  # Excel row number of a sheet's first record (row 1 is the header)
EXTENT_SLACK = 200
_ASK_AGAIN = "数据包在导出后被修改过，请让乡镇重新导出后再导入"


class PackageReadError(DomainError):
    """The file is refused; the message names the file and what is wrong with it."""


class NotAPackageError(PackageReadError):
    pass


class PackageTamperedError(PackageReadError):
    pass


@dataclass
class Manifest:
    """What the ``_meta`` sheet of a package or a receipt says, as text."""

    path: Path
    kind: str
    values: dict[str, str]
    guard: XlsxGuard
    book: Any  # the open CalamineWorkbook (None once closed: ``read_package`` opens it again)
    meta: PackageMeta | None = None  # a package's, once checked (``package_manifest``)


@dataclass
class PackageData:
    path: Path
    meta: PackageMeta
    sheets: dict[str, list[Row]]  # canonical rows; sheets[name][i] is Excel row i + FIRST_DATA_ROW


def read_manifest(path: Path | str, sender: Sender = PACKAGE) -> Manifest:
    """Open ``path`` and read its ``_meta`` sheet; ``NotAPackageError`` when it has none.
    ``sender``: the kind of file expected (a refusal names it and whom to ask for a new one)."""
    return _open(Path(path), defer_data=False, sender=sender)


def _open(path: Path, defer_data: bool, sender: Sender = PACKAGE) -> Manifest:
    if not path.is_file():
        raise NotAPackageError(f"文件 {path} 不存在，请检查文件名")
    try:
        guard = XlsxGuard(path, defer_data, sender)
    except NotAWorkbookError as exc:
        raise NotAPackageError(exc.message) from None  # the gate says what the file is
    with _gate_first(guard):
        if META_SHEET not in guard.sheets:
            raise NotAPackageError(f"{path.name}：这不是{sender.what}（没有{sender.manifest} {META_SHEET}），"
                                   f"{sender.choose}")
        try:
            guard.check_extent(META_SHEET, 400)
            book = _open_book(path)
            rows = book.get_sheet_by_name(META_SHEET).to_python()
        except NotAWorkbookError as exc:
            raise NotAPackageError(exc.message) from None
        except NotAPackageError:
            raise
        except Exception as exc:  # calamine's own errors: a damaged file
            raise NotAPackageError(f"{path.name}：文件已损坏，无法读取（{exc}）") from None
        values = {str(r[0]): str(r[1]) for r in rows if len(r) >= 2 and isinstance(r[0], str) and r[0]}
        kind = values.get("kind", "")
        if kind not in (PACKAGE_KIND, RECEIPT_KIND):
            raise NotAPackageError(f"{path.name}：这不是{sender.what}（{sender.manifest}不完整）")
        version = values.get("format_version", "")
        if not version.isdigit() or int(version) not in SUPPORTED_FORMAT_VERSIONS:
            raise NotAPackageError(f"{path.name}：{sender.what}的格式版本“{version}”本程序不认识，"
                                   "请把程序升级到最新版本后再导入")
    return Manifest(path, kind, values, guard, book)


def _open_book(path: Path) -> Any:
    try:
        return open_xlsx(path)
    except Exception as exc:  # calamine's own errors: a damaged file
        raise NotAPackageError(f"{path.name}：文件已损坏，无法读取（{exc}）") from None


@contextmanager
def _gate_first(guard: XlsxGuard) -> Iterator[None]:
    """A refusal found before the gate has seen the deferred data sheets waits for their scan:
    a declaration in them is what the file is refused for, as when the gate ran in one go."""
    try:
        yield
    except PackageReadError:
        finish_gate(guard)
        raise


def finish_gate(guard: XlsxGuard) -> None:
    """The gate's scan of the data sheets still pending (no extent check): for a file not read."""
    try:
        guard.scan_data()
    except NotAWorkbookError as exc:
        raise NotAPackageError(exc.message) from None


def _meta_from(manifest: Manifest) -> PackageMeta:
    v = manifest.values
    try:
        meta = PackageMeta(
            township_code=v["township_code"], township_name=v["township_name"], period=v["period"],
            export_id=v["export_id"], sequence=int(v["sequence"]), exported_at=v["exported_at"],
            operator=v.get("operator", ""), program_version=v.get("program_version", ""),
            kind=v["kind"], format_version=int(v["format_version"]),
            row_counts={s.name: int(v[f"rows.{s.name}"]) for s in DATA_SHEETS},
            sheet_digests={s.name: v[f"sha256.{s.name}"] for s in DATA_SHEETS},
            checksum=v["checksum"],
        )
    except (KeyError, ValueError) as exc:
        raise PackageTamperedError(f"{manifest.path.name}：数据包说明表 {META_SHEET} 缺少或写错了“{exc}”，"
                                   f"{_ASK_AGAIN}") from None
    if meta.compute_checksum() != meta.checksum:
        raise PackageTamperedError(f"{manifest.path.name}：数据包说明表 {META_SHEET} 与校验码不符，{_ASK_AGAIN}")
    return meta


def package_manifest(path: Path | str, defer_data: bool = False) -> Manifest:
    """The manifest of a monthly package, checked (``meta``). With ``defer_data`` the data
    sheets' part of the gate is left to ``read_package`` (or ``finish_gate``), which scans each
    of them once for the gate and the extent together."""
    manifest = _open(Path(path), defer_data)
    with _gate_first(manifest.guard):
        if manifest.kind != PACKAGE_KIND:
            raise NotAPackageError(f"{manifest.path.name}：这是审核回执，不是月报数据包")
        manifest.meta = _meta_from(manifest)
    return manifest


def package_meta(path: Path | str) -> PackageMeta:
    """The manifest of a monthly package (cheap: reads no data sheet)."""
    meta = package_manifest(path).meta
    assert meta is not None
    return meta


def read_package(path: Path | str, manifest: Manifest | None = None) -> Iterator[tuple[int, int, str]]:
    """Read and verify a package; yields ``(sheets done, sheets total, sheet)``, returns ``PackageData``.

    ``manifest``: from ``package_manifest(path, defer_data=True)``, if the file has not changed since.
    """
    if manifest is None or manifest.meta is None or manifest.guard.changed():
        manifest = package_manifest(path, defer_data=True)
    meta = manifest.meta
    assert meta is not None
    try:
        manifest.guard.scan_data({s.name: meta.row_counts[s.name] + 1 + EXTENT_SLACK for s in DATA_SHEETS})
    except NotAWorkbookError as exc:
        raise NotAPackageError(exc.message) from None
    if manifest.book is None:
        manifest.book = _open_book(manifest.path)
    sheets: dict[str, list[Row]] = {}
    for i, spec in enumerate(DATA_SHEETS, start=1):
        sheets[spec.name] = _read_sheet(manifest, spec.name, meta)
        yield i, len(DATA_SHEETS), spec.name
    return PackageData(manifest.path, meta, sheets)


def _read_sheet(manifest: Manifest, name: str, meta: PackageMeta) -> list[Row]:
    label = f"{manifest.path.name}：「{name}」表"
    if name not in manifest.guard.sheets:
        raise PackageTamperedError(f"{label}不见了，{_ASK_AGAIN}")
    cols = LAYOUTS[name]
    expected = meta.row_counts[name]
    try:
        # Room for a few rows added by hand, so that the row-count message below can say so.
        manifest.guard.check_extent(name, expected + 1 + EXTENT_SLACK)
    except NotAWorkbookError as exc:
        raise PackageTamperedError(exc.message) from None
    cells = manifest.book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    header = [str(h) for h in cells[0]] if cells else []
    # Display columns (names beside IDs) are for reading only: their header text may change
    # between program versions without a new format version.
    shown = [h if c.column is not None else "" for h, c in zip(header, cols)]
    if len(header) < len(cols) or shown != [c.header if c.column is not None else "" for c in cols] \
            or any(h != "" for h in header[len(cols):]):
        raise PackageTamperedError(f"{label}的表头与导出时不同，{_ASK_AGAIN}")
    body = cells[1:]
    del cells
    if len(body) != expected:
        raise PackageTamperedError(f"{label}的行数与导出时不同（导出时 {expected:,} 行，现在 {len(body):,} 行），"
                                   f"{_ASK_AGAIN}")
    # Column by column, each distinct cell decoded once (``decode_column``); the checksum is
    # taken over the columns' texts in one go (``column_digest``): much faster than cell by cell.
    columns = list(zip(*body)) if body else [() for _ in cols]
    del body
    decoded: list[Sequence[Any]] = []
    texts: list[Sequence[str]] = []
    for i, c in enumerate(cols):
        if c.column is None:
            continue
        decode = codec(c.column).decode
        try:
            values, text = decode_column(c.column.kind, decode, columns[i])
        except CellError:
            _raise_cell_error(label, columns[i], decode, c.header)
        decoded.append(values)
        texts.append(text)
    del columns
    if column_digest(texts, expected) != meta.sheet_digests[name]:
        raise PackageTamperedError(f"{label}的内容与导出时不同（校验码不符），{_ASK_AGAIN}")
    return list(zip(*decoded)) if expected else []


def _raise_cell_error(label: str, values: Sequence[Any], decode: Any, header: str) -> None:
    for n, value in enumerate(values):
        try:
            decode(value)
        except CellError as exc:
            raise PackageTamperedError(
                f"{label}第 {n + FIRST_DATA_ROW} 行「{header}」列：{exc.message}，{_ASK_AGAIN}"
            ) from None
    raise AssertionError("unreachable")
