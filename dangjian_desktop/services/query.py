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

This module loads no SQLAlchemy: the statements are built in ``query_sql.py``, loaded on first
use or by ``warm_up()``. The window's first screen — the 党员 table's 在册 view, in whatever
order its header was left — is answered by ``start_view.py`` with plain ``sqlite3`` and
statements rendered from the same specs, so the window shows its first rows without waiting
for SQLAlchemy to load (≈ 0.2–0.3 s of a start that should take well under a second).
"""

from __future__ import annotations

import threading
from array import array
from collections.abc import Callable, Sequence
from contextlib import closing
from datetime import date
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar

from ..domain import records as R
from ..domain.enums import OrgKind
from ..exchange.columns import Column
from ..storage import plain
from . import start_view
from .query_types import (  # noqa: F401 - re-exported for the window and the tests
    LAYOUTS, TREE_INDENT, BranchNode, Choice, FilterSpec, Listed, RecordFilter, SortKey, TableLayout,
)

if TYPE_CHECKING:
    from .query_specs import TableSpec
    from .query_sql import SqlQueries
    from .store import Store


class QueryService:
    """Read-only queries of the tables; ``today`` decides overdue and probation filters."""

    def __init__(self, store: Store, today: Callable[[], date] = date.today) -> None:
        self.store = store
        self.today = today
        self._sql: SqlQueries | None = None
        self._lock = threading.Lock()
        self._early_count: start_view.EarlyCount | None = None

    @property
    def sql(self) -> SqlQueries:
        """The SQLAlchemy statements (loaded on first use)."""
        if self._sql is None:
            with self._lock:
                if self._sql is None:
                    from .query_sql import SqlQueries

                    self._sql = SqlQueries(self.store, self.today)
        return self._sql

    def count_start_view_early(self) -> None:
        """Start counting the rows of the view the window opens on (the 在册 党员) in a thread,
        for the window's first load: it takes that count, or drops it if it needs none."""
        self._early_count = start_view.EarlyCount(self.store.db)

    def warm_up(self) -> None:
        """Load the SQL machinery now (the window does, in a worker, once its first rows are shown)."""
        self.sql  # noqa: B018 - loading is the point

    # -- specs --------------------------------------------------------------------------------
    @staticmethod
    def layout(kind: type[R.Record]) -> TableLayout:
        return LAYOUTS[kind]

    def spec(self, kind: type[R.Record]) -> TableSpec:
        return self.sql.spec(kind)

    def columns(self, kind: type[R.Record], fields: Sequence[str] | None = None) -> list[Column]:
        layout = self.layout(kind)
        return [layout.column(f) for f in (fields or layout.table_fields)]

    def filters(self, kind: type[R.Record]) -> tuple[FilterSpec, ...]:
        return self.layout(kind).filters

    # -- the plain questions ------------------------------------------------------------------
    def count(self, kind: type[R.Record], flt: RecordFilter | None = None) -> int:
        flt = flt or RecordFilter()
        if start_view.answers(kind, flt, None):
            return start_view.count(self.store.db)
        return self.sql.count(kind, flt)

    def page(self, kind: type[R.Record], flt: RecordFilter | None = None, sort: SortKey | None = None,
             offset: int = 0, limit: int = 100) -> list[Listed]:
        return self.sql.page(kind, flt or RecordFilter(), sort, offset, limit)

    # -- what a scrolling table uses ----------------------------------------------------------
    def rows(self, kind: type[R.Record], flt: RecordFilter | None = None, sort: SortKey | None = None,
             total: int | None = None) -> "RowSet":
        """The matching rows in display order, found lazily (``total``: a known count, e.g.
        when only the sort changed)."""
        flt = flt or RecordFilter()
        early, self._early_count = self._early_count, None  # only ever for the first rows asked for
        if early is not None and total is None and start_view.answers(kind, flt, sort):
            return RowSet(self, kind, flt, sort, early.value)
        return RowSet(self, kind, flt, sort, total)

    def keys(self, kind: type[R.Record], flt: RecordFilter | None = None, sort: SortKey | None = None,
             offset: int = 0, limit: int | None = None) -> array:
        """The rowids of the matching rows in display order (``array('q')``: 8 bytes a row)."""
        flt = flt or RecordFilter()
        if start_view.answers(kind, flt, sort):
            return start_view.keys(self.store.db, sort, offset, limit)
        return self.sql.keys(kind, flt, sort, offset, limit)

    def fetch(self, kind: type[R.Record], keys: Sequence[int]) -> dict[int, Listed]:
        """The rows with these rowids (rows deleted since ``keys`` was read are missing)."""
        if not keys:
            return {}
        if start_view.fetches(kind):
            return start_view.fetch(self.store.db, keys)
        return self.sql.fetch(kind, keys)

    def key_of(self, kind: type[R.Record], uuid: str) -> int | None:
        return self.sql.key_of(kind, uuid)

    # -- choices for filters and forms --------------------------------------------------------
    def choices(self, kind: type[R.Record], filter_name: str) -> list[Choice]:
        spec = next(f for f in self.filters(kind) if f.name == filter_name)
        if spec.dynamic is None:
            return list(spec.choices)
        return self.dynamic_choices(spec.dynamic)

    def dynamic_choices(self, source: str) -> list[Choice]:
        """Choices read from the database (plain reads: the 党员 filters are filled at start-up)."""
        with closing(self.store.db.plain()) as conn:
            if source in ("branches", "villages"):
                place = township_namer(conn)
                if source == "villages":
                    return [Choice(place(name, code), uuid) for name, uuid, code in plain.village_names(conn)]
                outlines = plain.branch_outlines(conn)  # names and places only: filled at start-up
                return [Choice((TREE_INDENT * depth) + place(b.name, b.township_code), b.uuid)
                        for b, depth in tree_order(outlines, lambda b: b)]
            if source == "townships":
                return [Choice(name, code) for name, code in plain.township_names(conn)]
            if source in ("activity_years", "request_years"):
                found = plain.years_used(conn, "activities" if source == "activity_years" else "service_requests")
                return [Choice(f"{y} 年", y) for y in sorted(found | {self.today().year}, reverse=True)]
        raise KeyError(source)

    def member_choices(self, *, branch_uuid: str | None = None, matching: str = "", limit: int = 200) -> list[Choice]:
        """Active members of a branch (and the branches under it), or those matching a name/ID."""
        return self.sql.member_choices(branch_uuid=branch_uuid, matching=matching, limit=limit)

    def member_name(self, uuid: str | None) -> str:
        return self.sql.member_name(uuid) if uuid else ""

    # -- the 党组织 tree ------------------------------------------------------------------------
    def branch_nodes(self) -> list[tuple[BranchNode, int]]:
        """Every branch with its depth, parents before children, siblings by kind and name."""
        return self.sql.branch_nodes()


def township_namer(conn: Any) -> Callable[[str, str], str]:
    """How a village or branch is named in a list: at the district, where twenty townships may
    each have a 北庄村, with its township — ``北庄村（青石镇）`` — unless the name already says it
    (``中共青石镇委员会``); at a township, plainly."""
    unit = plain.unit_from_settings(plain.read_settings(conn))
    if unit is None or not unit.is_district:
        return lambda name, _code: name
    townships = {code: name for name, code in plain.township_names(conn)}

    def place(name: str, code: str) -> str:
        township = townships.get(code)
        return name if not township or township in name else f"{name}（{township}）"

    return place


_KIND_ORDER = {k: i for i, k in enumerate(OrgKind)}
N = TypeVar("N")


def tree_order(nodes: Sequence[N], branch_of: Callable[[N], Any] = attrgetter("branch")) -> list[tuple[N, int]]:
    """Depth-first order; a node whose parent is missing (or on a cycle) becomes a root.
    ``branch_of(node)`` gives what is ordered: a ``Branch`` or a ``plain.BranchOutline``."""
    by_uuid = {branch_of(n).uuid: n for n in nodes}
    children: dict[str | None, list[N]] = {}
    for n in nodes:
        parent = branch_of(n).parent_uuid if branch_of(n).parent_uuid in by_uuid else None
        children.setdefault(parent, []).append(n)
    for group in children.values():
        group.sort(key=lambda n: (branch_of(n).township_code, _KIND_ORDER.get(branch_of(n).kind, 9),
                                  branch_of(n).code or "~", branch_of(n).name))
    out: list[tuple[N, int]] = []
    seen: set[str] = set()

    def walk(parent: str | None, depth: int) -> None:
        for n in children.get(parent, []):
            if branch_of(n).uuid not in seen:
                seen.add(branch_of(n).uuid)
                out.append((n, depth))
                walk(branch_of(n).uuid, depth + 1)

    walk(None, 0)
    for n in nodes:  # parents that form a cycle: show them anyway, at the top level
        if branch_of(n).uuid not in seen:
            seen.add(branch_of(n).uuid)
            out.append((n, 0))
            walk(branch_of(n).uuid, 1)
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
                 sort: SortKey | None, total: int | Callable[[], int] | None = None) -> None:
        """``total``: the count if known, or a function giving it (asked only when needed)."""
        self.service, self.kind, self.filter, self.sort = service, kind, flt, sort
        self._blocks: dict[int, array] = {}
        self._whole: array | None = None
        first = self._block(0)
        if len(first) < self.BLOCK:
            total = len(first)
        elif callable(total):
            total = total()
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
