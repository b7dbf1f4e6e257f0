"""The layout of the monthly package (月报数据包) and of the review receipt (回执).

The data sheets are the column specifications of ``columns.py`` (one spec drives the writer
and the reader). This module adds only what is particular to the package: the format version,
the names of the cover and manifest sheets, the file names, and the *display columns* — a
readable name printed beside a reference column (所在党组织 beside 所在党组织ID) so that a
district clerk can read a sheet without looking UUIDs up. Display columns are derived when
writing, skipped when reading and never part of the checksum; their headers end in （名称）/
（姓名） so that no importer mistakes them for a spec column or one of its synonyms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from .columns import (
    ACTIVITIES, BRANCHES, COOPERATIVES, GRID_GROUPS, MEMBERS, RESERVE_CADRES, SERVICE_REQUESTS, SHEETS,
    VILLAGE_INCOMES, VILLAGES, Column, SheetSpec,
)

FORMAT_VERSION = 1
SUPPORTED_FORMAT_VERSIONS = frozenset({1})
PACKAGE_KIND = "monthly_package"
RECEIPT_KIND = "receipt"
COVER_SHEET = "封面"
META_SHEET = "_meta"
RECEIPT_SHEET = "回执"
MAX_CELL_TEXT = 32_767  # Excel's limit for one cell

_PERIOD = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")
_UNSAFE_FILE_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


class ReviewStatus(StrEnum):
    """The district's verdict on one township's package of one month."""

    PENDING = "待审核"
    APPROVED = "已通过"
    RETURNED = "退回修改"


@dataclass(frozen=True)
class DisplayColumn:
    """A name shown beside the reference column ``ref_field``, looked up in ``target``."""

    ref_field: str
    header: str
    target: SheetSpec
    width: int = 16


@dataclass(frozen=True)
class PackageColumn:
    """One column of a data sheet in the package: a spec column, or a display column."""

    header: str
    width: int
    column: Column | None = None  # None: a display column
    display: DisplayColumn | None = None


# The sheets whose records have a readable name, and the field that holds it.
NAME_FIELD: dict[str, str] = {VILLAGES.name: "name", BRANCHES.name: "name", MEMBERS.name: "name",
                              GRID_GROUPS.name: "name"}

DISPLAY_COLUMNS: dict[str, tuple[DisplayColumn, ...]] = {
    VILLAGE_INCOMES.name: (DisplayColumn("village_uuid", "所在村（名称）", VILLAGES),),
    GRID_GROUPS.name: (DisplayColumn("village_uuid", "所在村（名称）", VILLAGES),),
    COOPERATIVES.name: (DisplayColumn("village_uuid", "所在村（名称）", VILLAGES),),
    BRANCHES.name: (
        DisplayColumn("parent_uuid", "上级党组织（名称）", BRANCHES, 24),
        DisplayColumn("village_uuid", "所在村（名称）", VILLAGES),
        DisplayColumn("secretary_uuid", "书记（姓名）", MEMBERS, 10),
    ),
    MEMBERS.name: (
        DisplayColumn("branch_uuid", "所在党组织（名称）", BRANCHES, 24),
        DisplayColumn("grid_group_uuid", "所在网格（名称）", GRID_GROUPS),
    ),
    RESERVE_CADRES.name: (DisplayColumn("village_uuid", "所在村（名称）", VILLAGES),),
    SERVICE_REQUESTS.name: (DisplayColumn("village_uuid", "所在村（名称）", VILLAGES),),
    ACTIVITIES.name: (DisplayColumn("branch_uuid", "党组织（名称）", BRANCHES, 24),),
}

DATA_SHEETS: tuple[SheetSpec, ...] = SHEETS
SHEET_BY_NAME: dict[str, SheetSpec] = {s.name: s for s in DATA_SHEETS}


def layout(sheet: SheetSpec) -> tuple[PackageColumn, ...]:
    """The package's columns of ``sheet``: each display column just before its reference."""
    displays = {d.ref_field: d for d in DISPLAY_COLUMNS.get(sheet.name, ())}
    out: list[PackageColumn] = []
    for c in sheet.columns:
        d = displays.get(c.field)
        if d is not None:
            out.append(PackageColumn(d.header, d.width, display=d))
        out.append(PackageColumn(c.header, c.width, column=c))
    return tuple(out)


LAYOUTS: dict[str, tuple[PackageColumn, ...]] = {s.name: layout(s) for s in DATA_SHEETS}


def check_period(period: str) -> str:
    """A ``YYYY-MM`` month, or ``ValueError`` with a Chinese message."""
    period = period.strip()
    if not _PERIOD.fullmatch(period):
        raise ValueError(f"月份“{period}”格式不对，应为 YYYY-MM，如 2026-11")
    return period


def safe_file_part(text: str) -> str:
    """``text`` with the characters Windows forbids in file names replaced by ``_``."""
    return _UNSAFE_FILE_CHARS.sub("_", text).strip(" .") or "_"


def package_file_name(township_code: str, township_name: str, period: str) -> str:
    return f"{township_code}_{safe_file_part(township_name)}_{period}.xlsx"


def receipt_file_name(township_code: str, township_name: str, period: str) -> str:
    return f"{township_code}_{safe_file_part(township_name)}_{period}_回执.xlsx"
