"""What the window's tables are, without the SQL: the values passed between the tables and
``query.py`` (filters, sort keys, listed rows, tree nodes, choices) and each table's layout
(its columns, filters and default order).

This module imports no SQLAlchemy, so that the window can be built — and its first rows
shown — before the SQL machinery of ``query_specs.py`` has been loaded. ``query_specs.py``
adds the SQL to these layouts; headers, kinds and widths come from ``exchange/columns.py``.
The values are named tuples, not dataclasses: they are made when the window starts, and each
dataclass costs about half a millisecond to make.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from enum import StrEnum
from typing import NamedTuple

from ..domain import enums as E
from ..domain import records as R
from ..exchange import columns as C
from ..exchange.columns import Column, Kind, SheetSpec


class Choice(NamedTuple):
    label: str
    value: object


class FilterSpec(NamedTuple):
    """A filter a table offers: fixed choices, or ``dynamic`` ones read from the database."""

    name: str
    label: str
    choices: tuple[Choice, ...] = ()
    dynamic: str | None = None  # "branches", "villages", "townships", "activity_years", "request_years"


class RecordFilter(NamedTuple):
    """The quick-search text and the chosen filter values (filter name → value)."""

    search: str = ""
    values: Mapping[str, object] = MappingProxyType({})

    def with_value(self, name: str, value: object | None) -> "RecordFilter":
        values = {k: v for k, v in self.values.items() if k != name}
        if value is not None:
            values[name] = value
        return RecordFilter(self.search, values)

    def with_search(self, text: str) -> "RecordFilter":
        return RecordFilter(text, self.values)

    def terms(self) -> list[str]:
        return self.search.split()


class SortKey(NamedTuple):
    field: str
    descending: bool = False


class Listed(NamedTuple):
    """A record as a table shows it: the domain record plus its display lookups."""

    key: int  # the row's rowid, its position key in ``keys``
    record: R.Record
    extra: Mapping[str, object]

    def value(self, name: str) -> object:
        if name in self.extra:
            return self.extra[name]
        return getattr(self.record, name)


class BranchNode(NamedTuple):
    """One node of the 党组织 tree with what the tree shows beside its name."""

    branch: R.Branch
    village_name: str
    members: int  # 在册 members (all stages) directly in this branch
    initials: str = ""  # pinyin initials of the name, for the tree's search


class TableLayout(NamedTuple):
    """What a paged table shows: its columns, filters and default order (``query_specs.py``
    turns each into SQL). ``lookup_columns`` are display-only columns found by joins."""

    record_type: type[R.Record]
    sheet: SheetSpec
    table_fields: tuple[str, ...]
    default_sort: str
    filters: tuple[FilterSpec, ...]
    lookup_columns: Mapping[str, Column] = MappingProxyType({})
    search_lookups: tuple[str, ...] = ()  # lookups the quick search matches (joined when searching)
    default_descending: bool = False  # newest first for ledgers

    def column(self, name: str) -> Column:
        if name in self.lookup_columns:
            return self.lookup_columns[name]
        return self.sheet.column(name)


def enum_filter(name: str, label: str, enum: type[StrEnum]) -> FilterSpec:
    return FilterSpec(name, label, tuple(Choice(e.value, e) for e in enum))


TOWNSHIP_COLUMN = Column("township_name", "所属乡镇", Kind.TEXT, 10)
TOWNSHIP_FILTER = FilterSpec("township", "乡镇", dynamic="townships")

MEMBER_STATUS_ACTIVE, MEMBER_STATUS_LEFT = "在册", "已离开"
TREE_INDENT = "　"  # before a branch's name in a list, once per level below the top (full-width space)
PROBATION_DUE = "probation_due"
PARTY_MEMBERS = "party_members"  # a stage filter value no list offers: 预备党员 and 正式党员
OVERDUE_OPEN, OVERDUE_LATE = "open", "late"
STATUS_OPEN = "open"

BRANCH_COLUMN = Column("branch_name", "所在党组织", Kind.TEXT, 24)
VILLAGE_COLUMN = Column("village_name", "所在村（社区）", Kind.TEXT, 12)

LAYOUTS: dict[type[R.Record], TableLayout] = {
    R.Member: TableLayout(
        R.Member, C.MEMBERS,
        ("name", "gender", "ethnicity", "id_number", "birth_date", "education", "branch_name",
         "leave_kind", "leave_on", "leave_reason",  # shown in the 历史党员 view only
         "stage", "probation_on", "full_on", "category", "floating", "phone"),
        "branch_name",
        (
            FilterSpec("branch", "党组织", dynamic="branches"),
            FilterSpec("stage", "发展阶段", (*(Choice(s.value, s) for s in E.Stage), Choice("预备期满待转正", PROBATION_DUE))),
            enum_filter("category", "人员类别", E.MemberCategory),
            FilterSpec("status", "状态", (Choice(MEMBER_STATUS_ACTIVE, MEMBER_STATUS_ACTIVE),
                                        Choice(MEMBER_STATUS_LEFT, MEMBER_STATUS_LEFT))),
            TOWNSHIP_FILTER,
        ),
        {"branch_name": BRANCH_COLUMN, "township_name": TOWNSHIP_COLUMN},
    ),
    R.ReserveCadre: TableLayout(
        R.ReserveCadre, C.RESERVE_CADRES,
        ("name", "gender", "id_number", "birth_date", "education", "political_status", "village_name",
         "source", "occupation", "intended_post", "entered_on", "mentor", "training_count", "status",
         "member_name", "phone"),
        "village_name",
        (
            FilterSpec("village", "村（社区）", dynamic="villages"),
            enum_filter("source", "来源", E.ReserveSource),
            enum_filter("status", "状态", E.ReserveStatus),
            TOWNSHIP_FILTER,
        ),
        {"village_name": VILLAGE_COLUMN, "member_name": Column("member_name", "关联党员", Kind.TEXT, 10),
         "township_name": TOWNSHIP_COLUMN},
    ),
    R.ServiceRequest: TableLayout(
        R.ServiceRequest, C.SERVICE_REQUESTS,
        ("number", "received_on", "requester", "requester_phone", "village_name", "category", "content",
         "channel", "clerk_a", "clerk_b", "due_on", "status", "completed_on", "satisfaction"),
        "number",
        (
            FilterSpec("year", "年度", dynamic="request_years"),
            FilterSpec("status", "办理状态", (*(Choice(s.value, s) for s in E.RequestStatus), Choice("未办结", STATUS_OPEN))),
            enum_filter("category", "事项类别", E.RequestCategory),
            FilterSpec("overdue", "逾期情况", (Choice("逾期未办结", OVERDUE_OPEN), Choice("超期办结", OVERDUE_LATE))),
            FilterSpec("village", "村（社区）", dynamic="villages"),
            TOWNSHIP_FILTER,
        ),
        {"village_name": VILLAGE_COLUMN, "township_name": TOWNSHIP_COLUMN,
         "number": Column("number", "编号", Kind.TEXT, 10)},
        default_descending=True,
    ),
    R.Activity: TableLayout(
        R.Activity, C.ACTIVITIES,
        ("held_on", "branch_name", "kind", "topic", "attendance", "expected", "notes"),
        "held_on",
        (
            FilterSpec("branch", "党组织", dynamic="branches"),
            enum_filter("kind", "活动类型", E.ActivityKind),
            FilterSpec("year", "年度", dynamic="activity_years"),
            TOWNSHIP_FILTER,
        ),
        {"branch_name": Column("branch_name", "党组织", Kind.TEXT, 24), "township_name": TOWNSHIP_COLUMN},
        ("branch_name",),
        default_descending=True,
    ),
}
