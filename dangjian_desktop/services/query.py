"""Paged, SQL-side queries for the window's tables: SQLite filters, searches and sorts; the
window fetches only the rows it shows.

``count(kind, filter)`` and ``page(kind, filter, sort, offset, limit)`` answer the plain
questions. A table that scrolls uses ``keys(kind, filter, sort)`` instead: the ordered rowids of
the matching rows (one narrow query, a few bytes per row), and then ``fetch(kind, keys)`` for
the slice on screen. That keeps a jump to row 30,000 as fast as row 0, which ``OFFSET`` is not
(SQLite would sort and skip 30,000 whole rows for each page). Each call opens its own short
read session, so the service may be used from any one thread at a time.

The quick search splits the text on spaces; every word must match one of the kind's search
columns: the name, its pinyin initials (``zs`` finds 张三; kept in the ``initials`` column by
the repositories) or the 身份证号, and for requests the content, phone and number.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select

from ..domain import records as R
from ..domain.enums import OrgKind
from ..exchange.columns import Column
from ..storage import models as M
from ..storage.repositories.mapping import to_record
from .query_specs import SPECS, Choice, FilterSpec, TableSpec, subtree_of
from .store import Store


@dataclass(frozen=True)
class RecordFilter:
    """The quick-search text and the chosen filter values (filter name → value)."""

    search: str = ""
    values: Mapping[str, object] = field(default_factory=dict)

    def with_value(self, name: str, value: object | None) -> "RecordFilter":
        values = {k: v for k, v in self.values.items() if k != name}
        if value is not None:
            values[name] = value
        return RecordFilter(self.search, values)

    def with_search(self, text: str) -> "RecordFilter":
        return RecordFilter(text, self.values)

    def terms(self) -> list[str]:
        return self.search.split()


@dataclass(frozen=True)
class SortKey:
    field: str
    descending: bool = False


@dataclass(frozen=True)
class Listed:
    """A record as a table shows it: the domain record plus its display lookups."""

    key: int  # the row's rowid, its position key in ``keys``
    record: R.Record
    extra: Mapping[str, object]

    def value(self, name: str) -> object:
        if name in self.extra:
            return self.extra[name]
        return getattr(self.record, name)


@dataclass(frozen=True)
class BranchNode:
    """One node of the 党组织 tree with what the tree shows beside its name."""

    branch: R.Branch
    village_name: str
    members: int  # 在册 members (all stages) directly in this branch
    initials: str = ""  # pinyin initials of the name, for the tree's search


class QueryService:
    """Read-only queries of the tables; ``today`` decides overdue and probation filters."""

    def __init__(self, store: Store, today: Callable[[], date] = date.today) -> None:
        self.store = store
        self.today = today

    # -- specs --------------------------------------------------------------------------------
    @staticmethod
    def spec(kind: type[R.Record]) -> TableSpec:
        return SPECS[kind]

    def columns(self, kind: type[R.Record], fields: Sequence[str] | None = None) -> list[Column]:
        spec = self.spec(kind)
        return [spec.column(f) for f in (fields or spec.table_fields)]

    def filters(self, kind: type[R.Record]) -> tuple[FilterSpec, ...]:
        return self.spec(kind).filters

    # -- the statements -----------------------------------------------------------------------
    def _where(self, spec: TableSpec, flt: RecordFilter) -> list[ColumnElement]:
        today = self.today()
        clauses = spec.base_where()
        for name, value in flt.values.items():
            clause = spec.filter_clause(name, value, today)
            if clause is not None:
                clauses.append(clause)
        clauses += [spec.search_term(t) for t in flt.terms()]
        return clauses

    def _joined(self, spec: TableSpec, stmt: Select, names: Iterable[str]) -> Select:
        for lookup in spec.joins_needed(list(names)):
            stmt = lookup.join(stmt)
        return stmt

    def _order(self, spec: TableSpec, sort: SortKey | None) -> tuple[list[ColumnElement], list[str]]:
        sort = sort or SortKey(spec.default_sort, spec.default_descending)
        keys = spec.sort_keys(sort.field)
        ordered = [k.desc() if sort.descending else k.asc() for k in keys]
        return ordered + [spec.rowid()], [sort.field]

    def _filtered(self, spec: TableSpec, stmt: Select, flt: RecordFilter, extra_joins: Sequence[str] = ()) -> Select:
        joins = list(extra_joins) + (list(spec.search_lookups) if flt.terms() else [])
        return self._joined(spec, stmt, joins).where(*self._where(spec, flt))

    def _full_select(self, spec: TableSpec) -> Select:
        lookups = list(spec.lookups.items())
        stmt = select(spec.rowid().label("_key"), *spec.model.__table__.c,
                      *(lk.value().label(f"_lk_{name}") for name, lk in lookups))
        return self._joined(spec, stmt, [name for name, _ in lookups])

    def _listed(self, spec: TableSpec, row: Any) -> Listed:
        extra = {name: getattr(row, f"_lk_{name}") or "" for name in spec.lookups}
        return Listed(row._key, to_record(spec.record_type, row), extra)

    # -- the plain questions ------------------------------------------------------------------
    def count(self, kind: type[R.Record], flt: RecordFilter | None = None) -> int:
        spec = self.spec(kind)
        stmt = self._filtered(spec, select(func.count()).select_from(spec.model), flt or RecordFilter())
        with self.store.db.read() as s:
            return int(s.scalar(stmt) or 0)

    def page(self, kind: type[R.Record], flt: RecordFilter | None = None, sort: SortKey | None = None,
             offset: int = 0, limit: int = 100) -> list[Listed]:
        spec = self.spec(kind)
        flt = flt or RecordFilter()
        order, _ = self._order(spec, sort)
        stmt = self._full_select(spec)
        stmt = stmt.where(*self._where(spec, flt)).order_by(*order).offset(offset).limit(limit)
        with self.store.db.read() as s:
            return [self._listed(spec, row) for row in s.execute(stmt)]

    # -- what a scrolling table uses ----------------------------------------------------------
    def rows(self, kind: type[R.Record], flt: RecordFilter | None = None, sort: SortKey | None = None,
             total: int | None = None) -> "RowSet":
        """The matching rows in display order, found lazily (``total``: a known count, e.g.
        when only the sort changed)."""
        return RowSet(self, kind, flt or RecordFilter(), sort, total)

    def keys(self, kind: type[R.Record], flt: RecordFilter | None = None, sort: SortKey | None = None,
             offset: int = 0, limit: int | None = None) -> array:
        """The rowids of the matching rows in display order (``array('q')``: 8 bytes a row)."""
        spec = self.spec(kind)
        flt = flt or RecordFilter()
        order, sort_fields = self._order(spec, sort)
        stmt = self._filtered(spec, select(spec.rowid()).select_from(spec.model), flt, sort_fields).order_by(*order)
        if limit is not None:
            stmt = stmt.limit(limit).offset(offset)
        with self.store.db.read() as s:
            return _rowids(s, stmt)

    def fetch(self, kind: type[R.Record], keys: Sequence[int]) -> dict[int, Listed]:
        """The rows with these rowids (rows deleted since ``keys`` was read are missing)."""
        if not keys:
            return {}
        spec = self.spec(kind)
        stmt = self._full_select(spec).where(spec.rowid().in_(list(keys)))
        with self.store.db.read() as s:
            return {row._key: self._listed(spec, row) for row in s.execute(stmt)}

    def key_of(self, kind: type[R.Record], uuid: str) -> int | None:
        spec = self.spec(kind)
        with self.store.db.read() as s:
            return s.scalar(select(spec.rowid()).select_from(spec.model).where(spec.model.uuid == uuid))

    # -- choices for filters and forms --------------------------------------------------------
    def choices(self, kind: type[R.Record], filter_name: str) -> list[Choice]:
        spec = next(f for f in self.filters(kind) if f.name == filter_name)
        if spec.dynamic is None:
            return list(spec.choices)
        return self.dynamic_choices(spec.dynamic)

    def dynamic_choices(self, source: str) -> list[Choice]:
        with self.store.db.read() as s:
            if source == "branches":
                return [Choice(("　" * depth) + node.branch.name, node.branch.uuid)
                        for node, depth in _tree_order(self._branch_nodes(s))]
            if source == "villages":
                rows = s.execute(select(M.VillageRow.name, M.VillageRow.uuid).where(M.VillageRow.deleted.is_(False))
                                 .order_by(M.VillageRow.township_code, M.VillageRow.initials, M.VillageRow.name))
                return [Choice(name, uuid) for name, uuid in rows]
            if source == "townships":
                rows = s.execute(select(M.TownshipRow.name, M.TownshipRow.code)
                                 .where(M.TownshipRow.deleted.is_(False)).order_by(M.TownshipRow.code))
                return [Choice(name, code) for name, code in rows]
            if source in ("activity_years", "request_years"):
                col = M.ActivityRow.held_on if source == "activity_years" else M.ServiceRequestRow.received_on
                years = s.scalars(select(func.substr(col, 1, 4)).where(col.is_not(None)).distinct())
                found = {int(y) for y in years if y and y.isdigit()} | {self.today().year}
                return [Choice(f"{y} 年", y) for y in sorted(found, reverse=True)]
        raise KeyError(source)

    def member_choices(self, *, branch_uuid: str | None = None, matching: str = "", limit: int = 200) -> list[Choice]:
        """Active members of a branch (and the branches under it), or those matching a name/ID."""
        m = M.MemberRow
        stmt = select(m.name, m.id_number, m.uuid).where(m.deleted.is_(False), m.leave_kind.is_(None))
        if branch_uuid:
            stmt = stmt.where(m.branch_uuid.in_(subtree_of(branch_uuid)))
        if matching.strip():
            stmt = stmt.where(SPECS[R.Member].search_term(matching.strip()))
        with self.store.db.read() as s:
            rows = s.execute(stmt.order_by(m.initials, m.name).limit(limit))
            return [Choice(f"{name}（{id_number[-4:]}）", uuid) for name, id_number, uuid in rows]

    def member_name(self, uuid: str | None) -> str:
        if not uuid:
            return ""
        with self.store.db.read() as s:
            return s.scalar(select(M.MemberRow.name).where(M.MemberRow.uuid == uuid)) or ""

    # -- the 党组织 tree ------------------------------------------------------------------------
    def branch_nodes(self) -> list[tuple[BranchNode, int]]:
        """Every branch with its depth, parents before children, siblings by kind and name."""
        with self.store.db.read() as s:
            return _tree_order(self._branch_nodes(s))

    def _branch_nodes(self, s: Any) -> list[BranchNode]:
        b, v, m = M.BranchRow, M.VillageRow, M.MemberRow
        counts = dict(s.execute(select(m.branch_uuid, func.count()).where(m.deleted.is_(False), m.leave_kind.is_(None))
                                .group_by(m.branch_uuid)).all())
        rows = s.execute(select(b, v.name).outerjoin(v, v.uuid == b.village_uuid).where(b.deleted.is_(False)))
        return [BranchNode(to_record(R.Branch, row), village or "", counts.get(row.uuid, 0), row.initials)
                for row, village in rows]


_KIND_ORDER = {k: i for i, k in enumerate(OrgKind)}


def _tree_order(nodes: list[BranchNode]) -> list[tuple[BranchNode, int]]:
    """Depth-first order; a node whose parent is missing (or on a cycle) becomes a root."""
    by_uuid = {n.branch.uuid: n for n in nodes}
    children: dict[str | None, list[BranchNode]] = {}
    for n in nodes:
        parent = n.branch.parent_uuid if n.branch.parent_uuid in by_uuid else None
        children.setdefault(parent, []).append(n)
    for group in children.values():
        group.sort(key=lambda n: (n.branch.township_code, _KIND_ORDER.get(n.branch.kind, 9), n.branch.code or "~",
                                  n.branch.name))
    out: list[tuple[BranchNode, int]] = []
    seen: set[str] = set()

    def walk(parent: str | None, depth: int) -> None:
        for n in children.get(parent, []):
            if n.branch.uuid not in seen:
                seen.add(n.branch.uuid)
                out.append((n, depth))
                walk(n.branch.uuid, depth + 1)

    walk(None, 0)
    for n in nodes:  # parents that form a cycle: show them anyway, at the top level
        if n.branch.uuid not in seen:
            seen.add(n.branch.uuid)
            out.append((n, 0))
            walk(n.branch.uuid, 1)
    return out



class RowSet:
    """The rows a table shows, as rowids found block by block.

    The first block is a top-N query (SQLite keeps only N rows while sorting): at 300,000
    members it takes ~90 ms where sorting every row takes ~340 ms. If the first block is not
    full it is the whole answer and no count is needed. A jump past the first few blocks
    loads the whole key list at once, which costs about what one deep ``OFFSET`` would.
    """

    BLOCK = 2000
    WHOLE_AFTER = 2  # blocks fetched one by one before the whole list is loaded

    def __init__(self, service: QueryService, kind: type[R.Record], flt: RecordFilter,
                 sort: SortKey | None, total: int | None = None) -> None:
        self.service, self.kind, self.filter, self.sort = service, kind, flt, sort
        self._blocks: dict[int, array] = {}
        self._whole: array | None = None
        first = self._block(0)
        if len(first) < self.BLOCK:
            total = len(first)
        self.total = total if total is not None else service.count(kind, flt)

    def __len__(self) -> int:
        return self.total

    def _block(self, n: int) -> array:
        if self._whole is not None:
            return self._whole[n * self.BLOCK:(n + 1) * self.BLOCK]
        block = self._blocks.get(n)
        if block is None:
            if n >= self.WHOLE_AFTER:
                self._whole = self.service.keys(self.kind, self.filter, self.sort)
                return self._block(n)
            block = self.service.keys(self.kind, self.filter, self.sort, n * self.BLOCK, self.BLOCK)
            self._blocks[n] = block
        return block

    def keys(self, start: int, stop: int) -> list[int]:
        """The rowids of rows ``start`` to ``stop - 1`` (fewer if rows vanished meanwhile)."""
        stop = min(stop, self.total)
        out: list[int] = []
        row = start
        while row < stop:
            n, offset = divmod(row, self.BLOCK)
            block = self._block(n)
            take = block[offset:offset + (stop - row)]
            if not take:
                break
            out.extend(take)
            row += len(take)
        return out

    def index_of(self, key: int) -> int | None:
        """The row of a rowid (loads the whole key list unless it is in a loaded block)."""
        for n, block in self._blocks.items():
            try:
                return n * self.BLOCK + block.index(key)
            except ValueError:
                pass
        if self._whole is None:
            self._whole = self.service.keys(self.kind, self.filter, self.sort)
        try:
            return self._whole.index(key)
        except ValueError:
            return None


def _rowids(session: Any, stmt: Select) -> array:
    """Run a one-column integer query straight on the driver's cursor.

    At 40,000 rows SQLAlchemy's result rows add ~10 ms (a third) to this query. The values
    are rendered as SQL literals by the column types' own literal processors (strings
    quoted and escaped by SQLAlchemy), so no user text is pasted into SQL unescaped.
    """
    conn = session.connection()
    sql = str(stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    cursor = conn.connection.cursor()
    try:
        cursor.execute(sql)
        return array("q", (k for (k,) in cursor))
    finally:
        cursor.close()
