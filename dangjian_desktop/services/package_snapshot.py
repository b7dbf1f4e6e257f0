"""Where each sheet of the monthly package lives in the database, and one township's snapshot
read as canonical rows — shared by the export and the import."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ..exchange.canonical import Row, RowCanonicalizer
from ..exchange.columns import SheetSpec
from ..exchange.package_spec import DATA_SHEETS, SHEET_BY_NAME
from ..storage.repositories.mapping import ROW_OF
from ..storage.repositories.snapshot import Key, SnapshotRepository, keys_of

_CHILD_TABLE = {"村集体经济收入": "village_incomes", "网格党小组": "grid_groups", "合作社": "cooperatives"}


def table_of(sheet: SheetSpec) -> str:
    if sheet.record_type is not None:
        return ROW_OF[sheet.record_type].__tablename__
    return _CHILD_TABLE[sheet.name]


def fields_of(sheet: SheetSpec) -> list[str]:
    return [c.field for c in sheet.columns]


def key_index(sheet: SheetSpec) -> list[int]:
    """Where the key columns of ``sheet`` are in its canonical rows."""
    fields = fields_of(sheet)
    return [fields.index(k) for k in sheet.key]


@dataclass
class Snapshot:
    sheets: dict[str, list[Row]]
    cleaned: int = 0  # texts whose control characters had to be removed


def fetch_snapshot(session: Session, township_code: str) -> Snapshot:
    """Every row of the township, tombstones included, as canonical rows per sheet."""
    repo = SnapshotRepository(session)
    out = Snapshot({})
    for sheet in DATA_SHEETS:
        canon = RowCanonicalizer(sheet)
        out.sheets[sheet.name] = [canon.row(r) for r in repo.fetch(table_of(sheet), fields_of(sheet), township_code)]
        out.cleaned += canon.cleaned
    return out


@dataclass
class SheetDiff:
    sheet: str
    rows: int
    new: set[Key]
    changed: set[Key]
    removed: list[Key]

    @property
    def unchanged(self) -> int:
        return self.rows - len(self.new) - len(self.changed)

    @property
    def touched(self) -> bool:
        return bool(self.new or self.changed or self.removed)


def diff_sheet(sheet: SheetSpec, old: Sequence[Row], new: Sequence[Row]) -> SheetDiff:
    """Match rows by key (the record UUID): new, changed, unchanged and removed rows."""
    idx = key_index(sheet)
    keys = keys_of(new, idx)
    if not old:  # a township's first import
        return SheetDiff(sheet.name, len(new), set(keys), set(), [])
    before: dict[Key, Row] = dict(zip(keys_of(old, idx), old))
    added: set[Key] = set()
    changed: set[Key] = set()
    for k, row in zip(keys, new):
        prev = before.pop(k, None)
        if prev is None:
            added.add(k)
        elif prev != row:
            changed.add(k)
    return SheetDiff(sheet.name, len(new), added, changed, list(before))


# Branches and members refer to each other (a branch's secretary is a member, a member belongs
# to a branch) and the foreign keys are deferred. While a deferred violation is outstanding,
# SQLite looks for child rows of every parent row inserted — a full scan of reserve_cadres
# (member_uuid has no index) for every member, seconds at district scale. So branches are
# written without their secretary, members next (nothing outstanding), then the secretaries.
WRITE_ORDER = ("乡镇", "村（社区）", "村集体经济收入", "网格党小组", "合作社", "党组织", "党员", "后备干部", "代办事项", "组织生活")
_LATE = {"党组织": "secretary_uuid"}  # sheet → reference written after the members


def apply_diffs(session: Session, sheets: Mapping[str, Sequence[Row]], diffs: Mapping[str, SheetDiff]) -> None:
    repo = SnapshotRepository(session)
    late: list[tuple[str, str, list[tuple]]] = []
    for sheet in (SHEET_BY_NAME[n] for n in WRITE_ORDER):
        d = diffs[sheet.name]
        if not d.touched:
            continue
        rows = sheets[sheet.name]
        column = _LATE.get(sheet.name)
        if column is not None:
            fields = fields_of(sheet)
            ci, ui = fields.index(column), fields.index("uuid")
            written = d.new | d.changed
            late.append((table_of(sheet), column, [(r[ci], r[ui]) for r in rows
                                                   if r[ci] is not None and (r[ui],) in written]))
            rows = [r[:ci] + (None,) + r[ci + 1:] for r in rows]
        repo.apply(table_of(sheet), fields_of(sheet), sheet.key, rows, d.new, d.changed, d.removed)
    for table, column, pairs in late:
        repo.set_column(table, column, pairs)
