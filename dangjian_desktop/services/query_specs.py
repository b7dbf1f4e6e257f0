"""What each table of the window can show, filter, search and sort, as SQL.

One ``TableSpec`` per record kind shown in a paged table (members, reserve cadres, service
requests, activities): its display-only lookup columns (names of the branch, village, linked
member or township, found by joins), its filters and how each becomes a WHERE clause, the
columns the quick search matches, and the SQL sort keys of every column. ``query.py`` runs
them; what each table shows (fields, filters, default order) is its ``TableLayout`` in
``query_types.py``, which the window reads without loading SQLAlchemy; the headers, kinds and
widths come from ``exchange/columns.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ColumnElement, Float, Integer, Select, String, and_, case, cast, func, literal_column, or_, select, type_coerce,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.selectable import Join

from ..domain import enums as E
from ..domain import records as R
from ..domain.dates import PartialDate, add_years
from ..exchange.columns import Column, Kind, SheetSpec
from ..storage import models as M
from .query_types import (  # noqa: F401 - re-exported: the light half of the specs
    LAYOUTS, MEMBER_STATUS_ACTIVE, MEMBER_STATUS_LEFT, OVERDUE_LATE, OVERDUE_OPEN, PARTY_MEMBERS, PROBATION_DUE,
    STATUS_OPEN, TOWNSHIP_COLUMN, TOWNSHIP_FILTER, Choice, FilterSpec, TableLayout, enum_filter,
)


@dataclass(frozen=True)
class Lookup:
    """A display-only column found by a join, e.g. the name of a member's branch."""

    column: Column
    value: Callable[[], ColumnElement]  # the selected expression (on the joined alias)
    sort: Callable[[], Sequence[ColumnElement]]
    join: Callable[[Select], Select]
    # Sorting by it, walk the referenced rows in order (see ``Walk``) instead of sorting them all.
    walk: Callable[[], "Walk"] | None = None


@dataclass(frozen=True)
class Walk:
    """How rows sorted by a referenced table's columns are found without sorting every row:
    SQLite walks the referenced rows (``ref``, by an index in sort order) and for each the
    rows that refer to it (``reference == ref.uuid``, by an index), sorting only within each
    (≈ 1 ms instead of ≈ 100 ms for the first 2,000 of 300,000 members by branch). Rows whose
    ``reference`` is NULL come first (last when descending), ordered by ``then``; a reference
    to a missing row cannot exist (foreign key)."""

    ref: Any  # the aliased referenced table
    reference: Any  # the model's column that refers to it
    then: Sequence[ColumnElement]  # the order within one referenced row

    def join(self, model: Any) -> "WalkJoin":
        """``ref CROSS JOIN model``: SQLite keeps the left table as the outer loop (a plain JOIN
        leaves the order to its planner, which without ANALYZE statistics scans the members)."""
        return WalkJoin(sa_inspect(self.ref).selectable, model.__table__, self.reference == self.ref.uuid)


class WalkJoin(Join):
    inherit_cache = True


@compiles(WalkJoin)
def _compile_walk_join(join: WalkJoin, compiler: Any, **kw: Any) -> str:
    on = {k: v for k, v in kw.items() if k != "asfrom"}
    return (f"{compiler.process(join.left, asfrom=True, **on)} CROSS JOIN "
            f"{compiler.process(join.right, asfrom=True, **on)} ON {compiler.process(join.onclause, **on)}")


def enum_order(col: Any, enum: type[StrEnum]) -> ColumnElement:
    """Sort an enum column by the enum's own order (入党申请人 before 正式党员), not by code point."""
    return case({e.value: i for i, e in enumerate(enum)}, value=col, else_=len(enum))


def unindexed(col: Any, kind: Kind) -> ColumnElement:
    """The column as a sort key SQLite will not walk an index for: scanning the table and
    sorting is 2–3× faster than visiting every row through an index (measured at 40,000
    members: 32 ms against 78 ms for 身份证号)."""
    if kind in (Kind.INT, Kind.BOOL):
        return type_coerce(col, Integer).op("+")(literal_column("0"))
    return type_coerce(col, String).op("||")(literal_column("''"))


def subtree_of(branch_uuid: str) -> Select:
    """The UUIDs of a branch and every branch under it (UNION stops on a cycle of parents)."""
    top = select(M.BranchRow.uuid).where(M.BranchRow.uuid == branch_uuid).cte("subtree", recursive=True)
    child = aliased(M.BranchRow)
    tree = top.union(select(child.uuid).where(child.parent_uuid == top.c.uuid))
    return select(tree.c.uuid)


@dataclass
class TableSpec:
    record_type: type[R.Record]
    model: Any
    sheet: SheetSpec
    table_fields: tuple[str, ...]
    default_sort: str
    filters: tuple[FilterSpec, ...]
    lookups: dict[str, Lookup] = field(default_factory=dict)
    search_lookups: tuple[str, ...] = ()  # lookups the quick search matches (joined when searching)
    default_descending: bool = False  # newest first for ledgers

    @property
    def table(self) -> str:
        return self.model.__tablename__

    def rowid(self) -> ColumnElement:
        return literal_column(f"{self.table}.rowid")

    def column(self, name: str) -> Column:
        if name in self.lookups:
            return self.lookups[name].column
        return self.sheet.column(name)

    # -- SQL pieces ----------------------------------------------------------------------------
    def base_where(self) -> list[ColumnElement]:
        return [self.model.deleted.is_(False)]

    def filter_clause(self, name: str, value: object, today: date) -> ColumnElement | None:
        if name == "township":
            return self.model.township_code == value
        col = getattr(self.model, name, None)
        return None if col is None else col == value

    def search_columns(self) -> list[Any]:
        return [self.model.name, self.model.initials, self.model.id_number]

    def search_term(self, term: str) -> ColumnElement:
        pattern = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        return or_(*(c.like(pattern, escape="\\") for c in self.search_columns()))

    def sort_keys(self, name: str) -> list[ColumnElement]:
        if name in self.lookups:
            return list(self.lookups[name].sort())
        col = self.sheet.column(name)
        attr = getattr(self.model, name)
        if col.kind is Kind.ENUM and col.enum is not None:
            return [enum_order(attr, col.enum)]
        if col.kind is Kind.DECIMAL:
            return [cast(attr, Float)]
        if name in ("name", "requester") and hasattr(self.model, "initials"):
            return [self.model.initials, attr]  # pinyin order, as a clerk looks names up
        return [unindexed(attr, col.kind)]

    def joins_needed(self, names: Sequence[str]) -> list[Lookup]:
        return [self.lookups[n] for n in dict.fromkeys(names) if n in self.lookups]


def _layout_args(layout: TableLayout) -> dict[str, Any]:
    """A ``TableSpec``'s fields that its layout gives (everything but the model and the SQL)."""
    return {"record_type": layout.record_type, "sheet": layout.sheet, "table_fields": layout.table_fields,
            "default_sort": layout.default_sort, "filters": layout.filters,
            "search_lookups": layout.search_lookups, "default_descending": layout.default_descending}


def _branch_lookup(model: Any, column: Column, then: Callable[[], list[Any]] = list) -> Lookup:
    """The branch's name; sorted by branch, then by ``then`` within a branch."""
    b = aliased(M.BranchRow, name="lk_branch")
    return Lookup(column, lambda: b.name,
                  lambda: [b.initials, b.name, *then()], lambda s: s.outerjoin(b, b.uuid == model.branch_uuid),
                  lambda: Walk(b, model.branch_uuid, then()))


def _village_lookup(model: Any, column: Column) -> Lookup:
    v = aliased(M.VillageRow, name="lk_village")
    return Lookup(column, lambda: v.name,
                  lambda: [v.initials, v.name], lambda s: s.outerjoin(v, v.uuid == model.village_uuid))


def _township_lookup(model: Any) -> Lookup:
    t = aliased(M.TownshipRow, name="lk_township")
    return Lookup(TOWNSHIP_COLUMN, lambda: t.name, lambda: [t.code],
                  lambda s: s.outerjoin(t, t.code == model.township_code))


# ---------------------------------------------------------------------------------- members

class MemberSpec(TableSpec):
    def __init__(self) -> None:
        m = M.MemberRow
        layout = LAYOUTS[R.Member]
        super().__init__(
            model=m,
            lookups={"branch_name": _branch_lookup(m, layout.column("branch_name"), lambda: [m.initials, m.name]),
                     "township_name": _township_lookup(m)},
            **_layout_args(layout),
        )

    def filter_clause(self, name: str, value: object, today: date) -> ColumnElement | None:
        m = self.model
        if name == "branch":
            return m.branch_uuid.in_(subtree_of(str(value)))
        if name == "status":
            return m.leave_kind.is_(None) if value == MEMBER_STATUS_ACTIVE else m.leave_kind.is_not(None)
        if name == "stage" and value == PARTY_MEMBERS:  # 党员 as the statistics count them
            return m.stage.in_([E.Stage.PROBATIONARY, E.Stage.FULL])
        if name == "stage" and value == PROBATION_DUE:
            # ISO text compares like the dates: "2025-11" and "2025-11-26" both count as due
            # on 2026-11-26, as in pipeline.probation_due_on.
            return and_(m.stage == E.Stage.PROBATIONARY, m.leave_kind.is_(None),
                        m.probation_on <= PartialDate.of(add_years(today, -1)))
        return super().filter_clause(name, value, today)


# ---------------------------------------------------------------------------------- reserve cadres

class ReserveSpec(TableSpec):
    def __init__(self) -> None:
        r = M.ReserveCadreRow
        layout = LAYOUTS[R.ReserveCadre]
        linked = aliased(M.MemberRow, name="lk_member")
        member = Lookup(layout.column("member_name"), lambda: linked.name,
                        lambda: [linked.initials, linked.name],
                        lambda s: s.outerjoin(linked, linked.uuid == r.member_uuid))
        super().__init__(
            model=r,
            lookups={"village_name": _village_lookup(r, layout.column("village_name")), "member_name": member,
                     "township_name": _township_lookup(r)},
            **_layout_args(layout),
        )

    def filter_clause(self, name: str, value: object, today: date) -> ColumnElement | None:
        if name == "village":
            return self.model.village_uuid == value
        return super().filter_clause(name, value, today)


# ---------------------------------------------------------------------------------- service requests

class RequestSpec(TableSpec):
    def __init__(self) -> None:
        q = M.ServiceRequestRow
        layout = LAYOUTS[R.ServiceRequest]
        super().__init__(
            model=q,
            lookups={"village_name": _village_lookup(q, layout.column("village_name")),
                     "township_name": _township_lookup(q),
                     "number": Lookup(layout.column("number"), lambda: func.printf("%d-%04d", q.year, q.serial),
                                      lambda: [q.year, q.serial], lambda s: s)},
            **_layout_args(layout),
        )

    def filter_clause(self, name: str, value: object, today: date) -> ColumnElement | None:
        q = self.model
        open_statuses = (E.RequestStatus.RECEIVED.value, E.RequestStatus.IN_PROGRESS.value)
        if name == "status" and value == STATUS_OPEN:
            return q.status.in_(open_statuses)
        if name == "village":
            return q.village_uuid == value
        if name == "overdue":
            # The same rule as ServiceRequest.is_overdue; ISO day text compares like dates.
            if value == OVERDUE_OPEN:
                return and_(q.status.in_(open_statuses), q.due_on < today)
            return and_(q.status == E.RequestStatus.CLOSED, q.completed_on > q.due_on)
        return super().filter_clause(name, value, today)

    def search_columns(self) -> list[Any]:
        q = self.model
        return [q.requester, q.initials, q.requester_phone, q.content]

    def search_term(self, term: str) -> ColumnElement:
        q = self.model
        clause = super().search_term(term)
        number = term.split("-")
        if len(number) == 2 and all(p.isascii() and p.isdigit() for p in number) and len(number[1]) <= 5:
            return or_(clause, and_(q.year == int(number[0]), q.serial == int(number[1])))
        if term.isascii() and term.isdigit() and len(term) <= 5:
            return or_(clause, q.serial == int(term))
        return clause

    def sort_keys(self, name: str) -> list[ColumnElement]:
        if name in ("serial", "year", "number"):
            return [self.model.year, self.model.serial]
        return super().sort_keys(name)


# ---------------------------------------------------------------------------------- activities

class ActivitySpec(TableSpec):
    def __init__(self) -> None:
        a = M.ActivityRow
        layout = LAYOUTS[R.Activity]
        super().__init__(
            model=a,
            lookups={"branch_name": _branch_lookup(a, layout.column("branch_name")),
                     "township_name": _township_lookup(a)},
            **_layout_args(layout),
        )

    def filter_clause(self, name: str, value: object, today: date) -> ColumnElement | None:
        a = self.model
        if name == "branch":
            return a.branch_uuid.in_(subtree_of(str(value)))
        if name == "year":
            return type_coerce(a.held_on, String).like(f"{int(value):04d}-%")
        return super().filter_clause(name, value, today)

    def search_columns(self) -> list[Any]:
        return [self.model.topic, self.model.notes, self.lookups["branch_name"].value()]


SPECS: dict[type[R.Record], TableSpec] = {
    spec.record_type: spec for spec in (MemberSpec(), ReserveSpec(), RequestSpec(), ActivitySpec())
}

