"""Record ⇄ row: columns carry the domain field names, so mapping is by name.

The column types (``storage/types.py``) already hand back domain values, so a row becomes a
record by reading its columns; the nested parts of a village live in child tables.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any, TypeVar

from sqlalchemy import inspect

from ...domain import records as R
from .. import models as M
from ..search import initials

ROW_OF: dict[type[R.Record], type[M.Base]] = {
    R.Township: M.TownshipRow,
    R.Village: M.VillageRow,
    R.Branch: M.BranchRow,
    R.Member: M.MemberRow,
    R.ReserveCadre: M.ReserveCadreRow,
    R.ServiceRequest: M.ServiceRequestRow,
    R.Activity: M.ActivityRow,
}

RecT = TypeVar("RecT", bound=R.Record)

_columns_cache: dict[type, tuple[str, ...]] = {}


def column_fields(record_type: type[R.Record]) -> tuple[str, ...]:
    """The record's fields that are columns of its table (nested parts excluded)."""
    cached = _columns_cache.get(record_type)
    if cached is None:
        cols = set(inspect(ROW_OF[record_type]).columns.keys())
        cached = tuple(f.name for f in dataclasses.fields(record_type) if f.name in cols)
        _columns_cache[record_type] = cached
    return cached


# The field whose pinyin initials each table keeps for the quick search.
SEARCH_SOURCE: dict[type[R.Record], str] = {
    R.Village: "name", R.Branch: "name", R.Member: "name", R.ReserveCadre: "name", R.ServiceRequest: "requester",
}


def row_values(record: R.Record) -> dict[str, Any]:
    values = {name: getattr(record, name) for name in column_fields(type(record))}
    source = SEARCH_SOURCE.get(type(record))
    if source is not None:
        values["initials"] = initials(values[source] or "")
    return values


def to_record(record_type: type[RecT], row: Any, **nested: Any) -> RecT:
    values = {name: getattr(row, name) for name in column_fields(record_type)}
    return record_type(**values, **nested)


def village_children(village: R.Village) -> tuple[list[dict], list[dict], list[dict]]:
    """Rows of the village's child tables: incomes, grid groups, cooperatives."""
    incomes = [dict(village_uuid=village.uuid, year=y, amount=a) for y, a in sorted(village.incomes.items())]
    groups = [dict(uuid=g.uuid, village_uuid=village.uuid, position=i, name=g.name, leader=g.leader)
              for i, g in enumerate(village.grid_groups)]
    coops = [dict(uuid=c.uuid, village_uuid=village.uuid, position=i, name=c.name,
                  led_by_branch=c.led_by_branch, headed_by_secretary=c.headed_by_secretary)
             for i, c in enumerate(village.cooperatives)]
    return incomes, groups, coops


def chunked(items: Iterable[Any], size: int = 5000) -> Iterable[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
