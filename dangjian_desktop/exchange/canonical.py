"""Canonical row data of the package and its SHA-256.

A *canonical row* is a tuple of canonical values (see ``cells.py``) in the order of the
sheet's spec columns — display columns excluded. The same rows come from domain records
(``rows_from_records``), from the database (the services normalise stored rows with
``RowCanonicalizer``) and from a package file (the reader), so the checksum the township
computes when writing is the one the district recomputes when reading.

The checksum: one SHA-256 per sheet over its rows (cells separated by U+001F, rows ended by
U+001E — both are control characters that sanitized text can never contain), and one over
the package's identity (format, township, period, export id, sequence) and the sheet digests.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import islice
from typing import Any

from ..domain import records as R
from .cells import codec
from .columns import COOPERATIVES, GRID_GROUPS, VILLAGE_INCOMES, VILLAGES, Kind, SheetSpec
from .package_spec import DATA_SHEETS, SHEET_BY_NAME

Row = tuple[Any, ...]
CELL_SEP, ROW_END = "\x1f", "\x1e"
CHILD_SHEETS = (VILLAGE_INCOMES.name, GRID_GROUPS.name, COOPERATIVES.name)


def _text(v: Any) -> str:
    return "" if v is None else str(v)


class SheetDigest:
    """A running SHA-256 over one sheet's canonical rows."""

    def __init__(self) -> None:
        self._h = hashlib.sha256()
        self.rows = 0

    def add(self, row: Row) -> None:
        self._h.update((CELL_SEP.join(map(_text, row)) + ROW_END).encode("utf-8"))
        self.rows += 1

    def hexdigest(self) -> str:
        return self._h.hexdigest()


def column_digest(texts: Sequence[Sequence[str]], rows: int) -> str:
    """The ``SheetDigest`` of ``rows`` rows given column by column as the texts of their values
    (``None`` as ""): the same bytes hashed, joined a thousand rows at a time in C."""
    h = hashlib.sha256()
    if not texts:
        h.update((ROW_END * rows).encode("utf-8"))
        return h.hexdigest()
    lines = map(CELL_SEP.join, zip(*texts))
    while batch := list(islice(lines, 1000)):
        h.update((ROW_END.join(batch) + ROW_END).encode("utf-8"))
    return h.hexdigest()


def package_checksum(identity: Mapping[str, Any], sheet_digests: Mapping[str, str]) -> str:
    """The package's SHA-256: its identity fields and every sheet's digest, in a fixed order."""
    h = hashlib.sha256()
    for key in sorted(identity):
        h.update(f"{key}{CELL_SEP}{_text(identity[key])}{ROW_END}".encode("utf-8"))
    for name in sorted(sheet_digests):
        h.update(f"{name}{CELL_SEP}{sheet_digests[name]}{ROW_END}".encode("utf-8"))
    return h.hexdigest()


class RowCanonicalizer:
    """Turns stored or domain values of one sheet into canonical rows; counts cleaned texts."""

    def __init__(self, sheet: SheetSpec) -> None:
        self.sheet = sheet
        self._canons = [codec(c).canon for c in sheet.columns]
        self._text_cols = [i for i, c in enumerate(sheet.columns)
                           if c.kind in (Kind.TEXT, Kind.PHONE, Kind.ID_NUMBER)]
        self.cleaned = 0

    def row(self, values: Row) -> Row:
        """The canonical row of ``values``; counts the texts whose control characters were removed."""
        row = tuple(canon(v) for canon, v in zip(self._canons, values, strict=True))
        for i in self._text_cols:
            if values[i] is not None and row[i] != values[i]:
                self.cleaned += 1
        return row


# -- domain records ⇄ canonical rows ----------------------------------------------------------
def _children(sheet_name: str, village: R.Village) -> list[dict[str, Any]]:
    if sheet_name == VILLAGE_INCOMES.name:
        return [{"village_uuid": village.uuid, "year": y, "amount": a} for y, a in village.incomes.items()]
    parts = village.grid_groups if sheet_name == GRID_GROUPS.name else village.cooperatives
    return [{"village_uuid": village.uuid, **vars(p)} for p in parts]


def rows_from_records(records: Iterable[R.Record]) -> dict[str, list[Row]]:
    """Canonical rows of every data sheet from domain records (villages give the child sheets)."""
    out: dict[str, list[Row]] = {s.name: [] for s in DATA_SHEETS}
    canon = {s.name: RowCanonicalizer(s) for s in DATA_SHEETS}
    by_type = {s.record_type: s for s in DATA_SHEETS if s.record_type is not None}
    for record in records:
        sheet = by_type[type(record)]
        out[sheet.name].append(canon[sheet.name].row(tuple(getattr(record, c.field) for c in sheet.columns)))
        if isinstance(record, R.Village):
            for child in CHILD_SHEETS:
                spec = canon[child].sheet
                for part in _children(child, record):
                    out[child].append(canon[child].row(tuple(part[c.field] for c in spec.columns)))
    return out


def typed_converters(sheet: SheetSpec) -> list[Callable[[Any], Any]]:
    return [codec(c).typed for c in sheet.columns]


def records_from_rows(sheets: Mapping[str, list[Row]]) -> dict[type[R.Record], list[R.Record]]:
    """Domain records from canonical rows; a village gets its incomes, grid groups, cooperatives."""
    incomes: dict[str, dict[int, Any]] = {}
    groups: dict[str, list[R.GridGroup]] = {}
    coops: dict[str, list[R.Cooperative]] = {}
    for name, target, make in (
        (GRID_GROUPS.name, groups, lambda v: R.GridGroup(uuid=v["uuid"], name=v["name"], leader=v["leader"])),
        (COOPERATIVES.name, coops, lambda v: R.Cooperative(
            uuid=v["uuid"], name=v["name"], led_by_branch=v["led_by_branch"],
            headed_by_secretary=v["headed_by_secretary"])),
    ):
        for values in _typed_dicts(name, sheets.get(name, ())):
            target.setdefault(values["village_uuid"], []).append(make(values))
    for values in _typed_dicts(VILLAGE_INCOMES.name, sheets.get(VILLAGE_INCOMES.name, ())):
        incomes.setdefault(values["village_uuid"], {})[values["year"]] = values["amount"]

    out: dict[type[R.Record], list[R.Record]] = {}
    for sheet in DATA_SHEETS:
        if sheet.record_type is None:
            continue
        items: list[R.Record] = []
        for values in _typed_dicts(sheet.name, sheets.get(sheet.name, ())):
            if sheet is VILLAGES:
                uuid = values["uuid"]
                values.update(incomes=dict(sorted(incomes.get(uuid, {}).items())),
                              grid_groups=groups.get(uuid, []), cooperatives=coops.get(uuid, []))
            items.append(sheet.record_type(**values))
        out[sheet.record_type] = items
    return out


def _typed_dicts(sheet_name: str, rows: Iterable[Row]) -> Iterable[dict[str, Any]]:
    sheet = SHEET_BY_NAME[sheet_name]
    fields = [c.field for c in sheet.columns]
    convs = typed_converters(sheet)
    for row in rows:
        yield {f: conv(v) for f, conv, v in zip(fields, convs, row, strict=True)}
