"""The window's first screen without SQLAlchemy: the 党员 table's 在册 view (no search, no
other filter), in the order any column header gives, and the rows of 党员 pages.

The window opens on that view; answering it with plain ``sqlite3`` lets it show its first
rows before SQLAlchemy has loaded. The statements are not written here: they are rendered by
``query_sql.SqlQueries.start_view_statements`` from the same specs as every other query and
kept in the generated ``start_view_sql.py`` (``python scripts/make_start_view_sql.py``;
``tests/services/test_start_view.py`` fails when it is out of date). Rows are decoded by
``storage/plain.py`` exactly as the column types decode them.

``walk_keys`` (shared with ``query_sql.py``) pages through a key list found in two parts: the
rows without a reference and the rows found by walking the referenced table in order.
"""

from __future__ import annotations

import threading
from array import array
from collections.abc import Callable, Sequence
from contextlib import closing
from functools import cache
from typing import TYPE_CHECKING

from ..domain import records as R
from ..storage.plain import record_decoder
from . import start_view_sql as SQL
from .query_types import MEMBER_STATUS_ACTIVE, Listed, RecordFilter, SortKey

if TYPE_CHECKING:
    from ..storage.database import Database

KIND = R.Member
FILTER = RecordFilter("", {"status": MEMBER_STATUS_ACTIVE})  # the view the window opens on


def _sort(sort: SortKey | None) -> tuple[str, bool]:
    return (sort.field, sort.descending) if sort is not None else SQL.DEFAULT_SORT


def answers(kind: type[R.Record], flt: RecordFilter, sort: SortKey | None) -> bool:
    """True for the 在册 党员 view without a search or another filter, in a known order."""
    return (kind is KIND and not flt.terms() and dict(flt.values) == dict(FILTER.values)
            and _sort(sort) in SQL.KEYS)


def fetches(kind: type[R.Record]) -> bool:
    return kind is KIND


def count(db: Database) -> int:
    with closing(db.plain()) as conn:
        return int(conn.execute(SQL.COUNT).fetchone()[0])


class EarlyCount:
    """The 在册 count, read in a thread while the window is being built (≈ 5 ms at 40,000
    members, ≈ 35 ms at 300,000: SQLite scans an index). It is one statement with one result
    row, so the thread needs the GIL only to start and to take the number; the scan itself
    runs beside the GUI thread. ``value()`` waits for it; it counts afresh if the count failed
    or anything was written through ``db`` since it began."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._writes = db.writes
        self._value: int | None = None
        self._thread = threading.Thread(target=self._run, name="dangjian-early-count", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._value = count(self._db)
        except Exception:  # noqa: BLE001 - value() counts again, and reports any error then
            self._value = None

    def value(self) -> int:
        self._thread.join()
        if self._value is None or self._db.writes != self._writes:
            return count(self._db)
        return self._value


def _rows(conn, sql: str, offset: int, limit: int | None) -> array:  # noqa: ANN001 - sqlite3.Connection
    if (offset, limit) != (0, None):
        return array("q", (k for (k,) in conn.execute(f"{sql} LIMIT ? OFFSET ?", (-1 if limit is None else limit,
                                                                                     offset))))
    return array("q", (k for (k,) in conn.execute(sql)))


def keys(db: Database, sort: SortKey | None, offset: int = 0, limit: int | None = None) -> array:
    walked, unreferenced = SQL.KEYS[_sort(sort)]
    with closing(db.plain()) as conn:
        if unreferenced is None:
            return _rows(conn, walked, offset, limit)
        return walk_keys(lambda: _rows(conn, unreferenced, 0, None), lambda off, lim: _rows(conn, walked, off, lim),
                         lambda: int(conn.execute(SQL.COUNT).fetchone()[0]), _sort(sort)[1], offset, limit)


@cache
def _decoder() -> Callable[[Sequence[object]], R.Record]:
    return record_decoder(KIND, SQL.FETCH_COLUMNS)


_EXTRAS = [(i, name.removeprefix("_lk_")) for i, name in enumerate(SQL.FETCH_COLUMNS) if name.startswith("_lk_")]


def fetch(db: Database, keys: Sequence[int]) -> dict[int, Listed]:
    """The 党员 with these rowids, as the table lists them (with their lookups)."""
    decode = _decoder()
    sql = f"{SQL.FETCH} WHERE {SQL.ROWID} IN ({', '.join('?' * len(keys))})"
    with closing(db.plain()) as conn:
        return {row[0]: Listed(row[0], decode(row), {name: row[i] or "" for i, name in _EXTRAS})
                for row in conn.execute(sql, list(keys))}


def walk_keys(unreferenced: Callable[[], array], walked: Callable[[int, int | None], array], total: Callable[[], int],
              descending: bool, offset: int, limit: int | None) -> array:
    """Rows ``offset`` to ``offset + limit`` of a key list made of the rows without a reference
    (first; last when ``descending``) and the walked rows (``total`` counts both)."""
    first = unreferenced()
    if not first:
        return walked(offset, limit)
    end = None if limit is None else offset + limit
    if not descending:
        out = array("q", first[offset:end])
        if limit is None or len(out) < limit:
            out.extend(walked(max(0, offset - len(first)), None if limit is None else limit - len(out)))
        return out
    n_walked = total() - len(first)
    out = walked(offset, limit) if offset < n_walked else array("q")
    if limit is None or len(out) < limit:
        start = max(0, offset - n_walked)
        out.extend(first[start:None if limit is None else start + limit - len(out)])
    return out
