"""Which field each roster column feeds: the five kinds of roster, their header synonyms
(from ``columns.py`` — one spec per sheet, never a second list of headers) and the automatic
mapping a clerk may then change.

A header matches a column when it equals one of ``Column.headers`` after normalising (spaces,
line breaks, bracket widths, required-marks), then after dropping bracketed hints on both sides
(“出生年月(yyyy-MM)”, “月交党费（元）”), and a flattened two-level header ``父_子`` by its child,
then by its parent. Reference columns (所在党组织, 所在村, 上级党组织) take names; the service
resolves them. ``mapping_key`` identifies a set of headers so that a mapping can be remembered.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from ..domain import records as R
from . import columns as C
from .roster_table import TableLayout, normalize_header, strip_hints

BOOKKEEPING_FIELDS = frozenset(c.field for c in C.BOOKKEEPING)
# Headers that help find the header row but feed no field (unless a kind maps them).
NEUTRAL_HEADERS = ("序号", "编号", "备注", "说明", "错误原因", "原行号", "原工作表")
ERROR_COLUMNS = ("错误原因", "原行号")  # added by the error workbook; ignored when remembering
_MONTH_HINT = re.compile(r"y{2,4}[-./年]?m{1,2}(?!.*d)", re.IGNORECASE)


@dataclass(frozen=True)
class RosterKind:
    key: str  # the command line's --kind
    spec: C.SheetSpec
    required: tuple[str, ...]  # fields the file must give (a column, or a value in each row)
    match_by: tuple[str, ...]  # the fields that find an existing record
    branch_field: str | None = None  # filled from --branch or the sheet name when no column gives it

    @property
    def label(self) -> str:
        return self.spec.name

    @property
    def record_type(self) -> type[R.Record]:
        assert self.spec.record_type is not None
        return self.spec.record_type

    @cached_property
    def columns(self) -> tuple[C.Column, ...]:
        """The columns a roster may fill: no bookkeeping, references only to branches and villages."""
        return tuple(
            c for c in self.spec.columns
            if c.field not in BOOKKEEPING_FIELDS
            and (c.kind is not C.Kind.UUID or c.references in (R.Branch, R.Village))
        )

    def column(self, field: str) -> C.Column:
        return self.spec.column(field)

    def field_label(self, field: str) -> str:
        """How a field is named to the clerk: its header, without the “ID” of references."""
        return self.spec.column(field).header.removesuffix("ID")

    @cached_property
    def _index(self) -> tuple[dict[str, str], dict[str, str]]:
        exact: dict[str, str] = {}
        loose: dict[str, str] = {}
        for col in self.columns:
            for h in col.headers:
                n = normalize_header(h)
                exact.setdefault(n, col.field)
                loose.setdefault(strip_hints(n), col.field)
        return exact, loose

    def _lookup(self, normalized: str) -> str | None:
        exact, loose = self._index
        return exact.get(normalized) or loose.get(strip_hints(normalized)) or exact.get(strip_hints(normalized))

    def field_for(self, header: str) -> str | None:
        """The field a header feeds, or ``None`` when it matches none."""
        n = normalize_header(header)
        if not n:
            return None
        found = self._lookup(n)
        if found is None and "_" in n:
            parent, child = n.split("_", 1)
            found = self._lookup(child) or self._lookup(parent)
        return found

    def knows(self, header: str) -> bool:
        """Whether a header belongs to this kind's table (for finding the header row)."""
        n = normalize_header(header)
        return self.field_for(header) is not None or strip_hints(n) in NEUTRAL_HEADERS

    def references(self, field: str) -> type[R.Record] | None:
        return self.column(field).references


KINDS: dict[str, RosterKind] = {k.key: k for k in (
    RosterKind("members", C.MEMBERS, ("name", "id_number"), ("id_number",), "branch_uuid"),
    RosterKind("branches", C.BRANCHES, ("name",), ("name",)),
    RosterKind("reserve", C.RESERVE_CADRES, ("name", "id_number"), ("id_number",)),
    RosterKind("requests", C.SERVICE_REQUESTS, ("serial", "received_on", "requester"), ("year", "serial")),
    RosterKind("activities", C.ACTIVITIES, ("kind", "held_on", "branch_uuid"), ("branch_uuid", "kind", "held_on"),
               "branch_uuid"),
)}


def month_header(header: str) -> bool:
    """A header that asks for a month only (出生年月, “(yyyy-MM)”): a date cell on the 1st means
    that month."""
    n = normalize_header(header)
    return "年月" in n or bool(_MONTH_HINT.search(n))


Mapping = dict[int, str | None]  # column index → field, None: not imported


def auto_mapping(kind: RosterKind, layout: TableLayout) -> tuple[Mapping, list[str]]:
    """Each header column's field by its header; a field claimed twice keeps its first column.

    Returns the mapping and notes about the columns left out for that reason.
    """
    mapping: Mapping = {}
    taken: dict[str, int] = {}
    notes = []
    for col in layout.columns:
        field = kind.field_for(col.text) if col.text else None
        if field is not None and field in taken:
            first = layout.columns[taken[field]]
            notes.append(f"{col.letter}列“{col.text}”与 {first.letter}列“{first.text}”都对应“"
                         f"{kind.column(field).header}”，只导入 {first.letter}列；如需要请在映射中调整")
            field = None
        if field is not None:
            taken[field] = col.index
        mapping[col.index] = field
    return mapping, notes


def check_mapping(kind: RosterKind, mapping: Mapping) -> list[str]:
    """What is wrong with a (possibly hand-edited) mapping: unknown fields, a field twice."""
    problems = []
    allowed = {c.field for c in kind.columns}
    seen: set[str] = set()
    for field in mapping.values():
        if field is None:
            continue
        if field not in allowed:
            problems.append(f"“{field}”不是{kind.label}名册可以导入的字段")
        elif field in seen:
            problems.append(f"“{kind.column(field).header}”被多个列使用，只能对应一列")
        seen.add(field)
    return problems


def mapping_key(kind: RosterKind, headers: Sequence[str]) -> str:
    """A stable key for a set of headers (the error workbook's own columns left out)."""
    names = [normalize_header(h) for h in headers if normalize_header(h) not in ERROR_COLUMNS]
    digest = hashlib.sha256("\x1f".join([kind.key, *names]).encode()).hexdigest()[:20]
    return f"roster_mapping:{digest}"
