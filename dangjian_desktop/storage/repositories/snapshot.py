"""One township's rows in bulk: read them as stored, and replace them with a new snapshot.

The monthly package moves whole snapshots (a township exports all its rows; the district
replaces that township's rows with them), so this repository works on plain tuples of stored
values with ``executemany`` — no ORM object per row, which would be ten times slower.
Columns are named by the caller; the pinyin initials and the order of a village's grid
groups and cooperatives are filled in here, because they are storage details.

Rows of the child tables (incomes, grid groups, cooperatives) have no township column: they
belong to the township of their village.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy.orm import Session

from ..search import fresh_initials
from .mapping import ROW_OF, SEARCH_SOURCE, chunked

Key = tuple[Any, ...]
CHILD_TABLES = ("village_incomes", "grid_groups", "cooperatives")
_INITIALS_SOURCE = {ROW_OF[t].__tablename__: src for t, src in SEARCH_SOURCE.items()}
_POSITIONED = ("grid_groups", "cooperatives")
_CHILD_ORDER = {"village_incomes": "c.year", "grid_groups": "c.position", "cooperatives": "c.position"}
# Unique constraints besides the primary key: a changed row first gets a value nobody has, so
# that two rows swapping their values (two members' ID numbers) do not collide half-way.
_UNIQUE_PARKING = {
    "members": "id_number = '~' || substr(uuid, 1, 17)",
    "service_requests": "serial = -rowid",
    "townships": "code = '~' || substr(uuid, 1, 11)",
}


def keys_of(rows: Sequence[tuple], idx: Sequence[int]) -> list[Key]:
    """The key (a tuple of the values at ``idx``) of each row, built in C."""
    if len(idx) == 1:
        return list(zip(map(itemgetter(idx[0]), rows)))
    return list(map(itemgetter(*idx), rows))


def _cols(columns: Iterable[str], prefix: str = "") -> str:
    return ", ".join(f'{prefix}"{c}"' for c in columns)


class SnapshotRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _run(self, sql: str, params: Any = ()) -> Any:
        return self.session.connection().exec_driver_sql(sql, params)

    def fetch(self, table: str, columns: Sequence[str], township_code: str) -> list[tuple]:
        """The township's rows of ``table`` as stored (tombstones included), in a stable order."""
        if table in CHILD_TABLES:
            sql = (f"SELECT {_cols(columns, 'c.')} FROM {table} c JOIN villages v ON v.uuid = c.village_uuid "
                   f"WHERE v.township_code = ? ORDER BY v.created_at, v.rowid, {_CHILD_ORDER[table]}")
        else:
            sql = f"SELECT {_cols(columns)} FROM {table} WHERE township_code = ? ORDER BY created_at, rowid"
        return [tuple(r) for r in self._run(sql, (township_code,))]

    def owners(self, table: str, uuids: Sequence[str]) -> dict[str, str]:
        """uuid → township code of the rows of ``table`` that already carry one of ``uuids``."""
        out: dict[str, str] = {}
        if table == "village_incomes":
            return out
        for batch in chunked(uuids, 900):
            marks = ", ".join("?" * len(batch))
            if table in CHILD_TABLES:
                sql = (f"SELECT c.uuid, v.township_code FROM {table} c JOIN villages v ON v.uuid = c.village_uuid "
                       f"WHERE c.uuid IN ({marks})")
            else:
                sql = f"SELECT uuid, township_code FROM {table} WHERE uuid IN ({marks})"
            out.update((u, t) for u, t in self._run(sql, tuple(batch)))
        return out

    def apply(self, table: str, columns: Sequence[str], key: Sequence[str], rows: Sequence[tuple],
              new: set[Key], changed: set[Key], removed: Iterable[Key]) -> None:
        """Make the township's part of ``table`` equal ``rows``: delete ``removed``, insert
        the rows whose key is in ``new``, update those in ``changed``."""
        where = " AND ".join(f'"{k}" = ?' for k in key)
        removed = list(removed)
        if removed:
            self._run(f"DELETE FROM {table} WHERE {where}", removed)
        extra_names, extras = self._extras(table, columns, rows)
        if extras is not None:
            rows = [r + x for r, x in zip(rows, extras, strict=True)]
        names = [*columns, *extra_names]
        if len(new) == len(rows):  # a township's first import: every row is new
            inserts, updates = list(rows), []
        else:
            keys = keys_of(rows, [columns.index(k) for k in key])
            inserts = [r for r, k in zip(rows, keys) if k in new]
            updates = [r + k for r, k in zip(rows, keys) if k in changed]
        if updates and table in _UNIQUE_PARKING:
            self._run(f"UPDATE {table} SET {_UNIQUE_PARKING[table]} WHERE {where}", [u[-len(key):] for u in updates])
        if updates:
            sets = ", ".join(f'"{c}" = ?' for c in names)
            self._run(f"UPDATE {table} SET {sets} WHERE {where}", updates)
        if inserts:
            marks = ", ".join("?" * len(names))
            self._run(f"INSERT INTO {table} ({_cols(names)}) VALUES ({marks})", inserts)

    def set_column(self, table: str, column: str, pairs: Sequence[tuple[Any, str]]) -> None:
        """Set ``column`` to each ``(value, uuid)`` pair's value."""
        if pairs:
            self._run(f'UPDATE {table} SET "{column}" = ? WHERE uuid = ?', list(pairs))

    @staticmethod
    def _extras(table: str, columns: Sequence[str], rows: Sequence[tuple]) -> tuple[list[str], list[tuple] | None]:
        """The storage-only columns of the written rows: pinyin initials, or position within the village."""
        if table in _INITIALS_SOURCE:
            src = columns.index(_INITIALS_SOURCE[table])
            return ["initials"], list(zip(map(fresh_initials, [r[src] or "" for r in rows])))
        if table in _POSITIONED:
            vi = columns.index("village_uuid")
            seen: dict[str, int] = {}
            positions = []
            for r in rows:
                positions.append((seen.get(r[vi], 0),))
                seen[r[vi]] = positions[-1][0] + 1
            return ["position"], positions
        return [], None

    def active_members_with_ids(self, id_numbers: Sequence[str], exclude: Iterable[str]) -> list[tuple[str, str, str]]:
        """``(id_number, township_code, name)`` of active members of other townships holding these IDs."""
        skip = set(exclude)
        out: list[tuple[str, str, str]] = []
        for batch in chunked(id_numbers, 900):
            marks = ", ".join("?" * len(batch))
            rows = self._run(
                f"SELECT id_number, township_code, name FROM members WHERE id_number IN ({marks}) "
                "AND deleted = 0 AND leave_kind IS NULL", tuple(batch))
            out.extend((i, t, n) for i, t, n in rows if t not in skip)
        return out

    def township_names(self) -> dict[str, str]:
        return {c: n for c, n in self._run("SELECT code, name FROM townships WHERE deleted = 0")}
