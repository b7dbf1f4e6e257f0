"""The SQL half of ``query.py``: the statements behind the window's tables, built with
SQLAlchemy from ``query_specs.py`` and run in short read sessions.

``query.py`` loads this module on first use (or in the background once the window shows its
first rows), so that starting the program does not wait for SQLAlchemy; see ``start_view.py``
for how the first screen is answered meanwhile. ``start_view_statements()`` renders the
statements of that first screen, from which ``start_view_sql.py`` is generated.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.dialects import sqlite

from ..domain import records as R
from ..storage import models as M
from ..storage.repositories.mapping import to_record
from .query_specs import SPECS, TableSpec, subtree_of
from .query import tree_order
from .query_types import BranchNode, Choice, Listed, RecordFilter, SortKey
from .start_view import walk_keys
from .store import Store


@dataclass(frozen=True)
class KeyStatements:
    """The statements of a key list: one, or for a sort that walks a reference (``Walk`` in
    ``query_specs.py``) the walked rows and the rows without a reference."""

    descending: bool
    walked: Select  # or the only statement
    unreferenced: Select | None = None


class SqlQueries:
    """Read-only queries of the tables; ``today`` decides overdue and probation filters."""

    def __init__(self, store: Store, today: Any) -> None:
        self.store = store
        self.today = today

    @staticmethod
    def spec(kind: type[R.Record]) -> TableSpec:
        return SPECS[kind]

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

    def count_statement(self, kind: type[R.Record], flt: RecordFilter) -> Select:
        spec = self.spec(kind)
        return self._filtered(spec, select(func.count()).select_from(spec.model), flt)

    def keys_statement(self, kind: type[R.Record], flt: RecordFilter, sort: SortKey | None) -> Select:
        spec = self.spec(kind)
        order, sort_fields = self._order(spec, sort)
        return self._filtered(spec, select(spec.rowid()).select_from(spec.model), flt, sort_fields).order_by(*order)

    def key_statements(self, kind: type[R.Record], flt: RecordFilter, sort: SortKey | None) -> KeyStatements:
        spec = self.spec(kind)
        sort = sort or SortKey(spec.default_sort, spec.default_descending)
        lookup = spec.lookups.get(sort.field)
        if lookup is None or lookup.walk is None:
            return KeyStatements(sort.descending, self.keys_statement(kind, flt, sort))
        walk = lookup.walk()
        order, _ = self._order(spec, sort)
        searched = [n for n in (spec.search_lookups if flt.terms() else []) if n != sort.field]
        walked = select(spec.rowid()).select_from(walk.join(spec.model))
        walked = self._joined(spec, walked, searched).where(*self._where(spec, flt)).order_by(*order)
        then = [k.desc() if sort.descending else k.asc() for k in walk.then] + [spec.rowid()]
        unreferenced = self._filtered(spec, select(spec.rowid()).select_from(spec.model), flt)
        return KeyStatements(sort.descending, walked, unreferenced.where(walk.reference.is_(None)).order_by(*then))

    # -- the plain questions ------------------------------------------------------------------
    def count(self, kind: type[R.Record], flt: RecordFilter) -> int:
        with self.store.db.read() as s:
            return int(s.scalar(self.count_statement(kind, flt)) or 0)

    def page(self, kind: type[R.Record], flt: RecordFilter, sort: SortKey | None, offset: int, limit: int
             ) -> list[Listed]:
        spec = self.spec(kind)
        order, _ = self._order(spec, sort)
        stmt = self._full_select(spec)
        stmt = stmt.where(*self._where(spec, flt)).order_by(*order).offset(offset).limit(limit)
        with self.store.db.read() as s:
            return [self._listed(spec, row) for row in s.execute(stmt)]

    def keys(self, kind: type[R.Record], flt: RecordFilter, sort: SortKey | None, offset: int = 0,
             limit: int | None = None) -> array:
        st = self.key_statements(kind, flt, sort)

        def run(stmt: Select, off: int, lim: int | None) -> array:
            return _rowids(s, stmt if (off, lim) == (0, None) else stmt.limit(lim).offset(off))

        with self.store.db.read() as s:
            if st.unreferenced is None:
                return run(st.walked, offset, limit)
            unreferenced = st.unreferenced
            return walk_keys(lambda: run(unreferenced, 0, None), lambda off, lim: run(st.walked, off, lim),
                             lambda: int(s.scalar(self.count_statement(kind, flt)) or 0), st.descending, offset, limit)

    def fetch(self, kind: type[R.Record], keys: Sequence[int]) -> dict[int, Listed]:
        spec = self.spec(kind)
        stmt = self._full_select(spec).where(spec.rowid().in_(list(keys)))
        with self.store.db.read() as s:
            return {row._key: self._listed(spec, row) for row in s.execute(stmt)}

    def key_of(self, kind: type[R.Record], uuid: str) -> int | None:
        spec = self.spec(kind)
        with self.store.db.read() as s:
            return s.scalar(select(spec.rowid()).select_from(spec.model).where(spec.model.uuid == uuid))

    # -- choices for forms (the filters' choices are plain reads in ``query.py``) -------------
    def member_choices(self, *, branch_uuid: str | None, matching: str, limit: int) -> list[Choice]:
        m = M.MemberRow
        stmt = select(m.name, m.id_number, m.uuid).where(m.deleted.is_(False), m.leave_kind.is_(None))
        if branch_uuid:
            stmt = stmt.where(m.branch_uuid.in_(subtree_of(branch_uuid)))
        if matching.strip():
            stmt = stmt.where(SPECS[R.Member].search_term(matching.strip()))
        with self.store.db.read() as s:
            rows = s.execute(stmt.order_by(m.initials, m.name).limit(limit))
            return [Choice(f"{name}（{id_number[-4:]}）", uuid) for name, id_number, uuid in rows]

    def member_name(self, uuid: str) -> str:
        with self.store.db.read() as s:
            return s.scalar(select(M.MemberRow.name).where(M.MemberRow.uuid == uuid)) or ""

    # -- the 党组织 tree ------------------------------------------------------------------------
    def branch_nodes(self) -> list[tuple[BranchNode, int]]:
        with self.store.db.read() as s:
            return tree_order(self._branch_nodes(s))

    def _branch_nodes(self, s: Any) -> list[BranchNode]:
        b, v, m = M.BranchRow, M.VillageRow, M.MemberRow
        counts = dict(s.execute(select(m.branch_uuid, func.count()).where(m.deleted.is_(False), m.leave_kind.is_(None))
                                .group_by(m.branch_uuid)).all())
        rows = s.execute(select(b, v.name).outerjoin(v, v.uuid == b.village_uuid).where(b.deleted.is_(False)))
        return [BranchNode(to_record(R.Branch, row), village or "", counts.get(row.uuid, 0), row.initials)
                for row, village in rows]

    # -- the first screen, rendered for ``start_view_sql.py`` ---------------------------------
    def start_view_statements(self, kind: type[R.Record], flt: RecordFilter) -> dict[str, Any]:
        """The SQL text of the first screen's questions: its count, its key list in every order
        a column header gives (without LIMIT), and the rows' select (without WHERE)."""
        spec = self.spec(kind)
        sorts = [SortKey(f, d) for f in (*spec.table_fields, "township_name") for d in (False, True)]
        full = self._full_select(spec)
        keys = {}
        for sort in sorts:
            st = self.key_statements(kind, flt, sort)
            keys[(sort.field, sort.descending)] = (render(st.walked),
                                                  None if st.unreferenced is None else render(st.unreferenced))
        return {
            "count": render(self.count_statement(kind, flt)),
            "keys": keys,
            "fetch": render(full),
            "fetch_columns": tuple(c.name for c in full.selected_columns),
        }


def start_view_module() -> str:
    """The text of ``start_view_sql.py``: the first screen's statements, rendered now."""
    from .start_view import FILTER, KIND

    # only renders statements; the 在册 view does not depend on the day (a statement that did
    # would show this fixed day and the test comparing this file with today's text would fail)
    queries = SqlQueries(None, lambda: date(2000, 1, 1))  # type: ignore[arg-type]
    spec = queries.spec(KIND)
    st = queries.start_view_statements(KIND, FILTER)
    keys = "".join(f"    {key!r}: (\n        {w!r},\n        {u!r}),\n" for key, (w, u) in st["keys"].items())
    return (
        '"""Generated by scripts/make_start_view_sql.py from services/query_sql.py: do not edit.\n\n'
        "The statements of the window's first screen (``start_view.py``): the count of the 在册 党员 view,\n"
        "its key list in the order of every column (walked, unreferenced), and the select of its rows.\n"
        '"""\n\n'
        f"DEFAULT_SORT = {(spec.default_sort, spec.default_descending)!r}\n"
        f"ROWID = {str(spec.rowid())!r}\n"
        f"COUNT = {st['count']!r}\n"
        f"KEYS = {{\n{keys}}}\n"
        f"FETCH = {st['fetch']!r}\n"
        f"FETCH_COLUMNS = {st['fetch_columns']!r}\n"
    )


def render(stmt: Select) -> str:
    """A statement as SQLite text with its values written in (SQLAlchemy quotes and escapes them)."""
    return str(stmt.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))


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
