"""Reading with plain ``sqlite3``, so that the window can open a database and show its first
rows before SQLAlchemy and Alembic have loaded (together ≈ 0.3 s of a start that should take
well under a second): the schema revision this program writes (``SCHEMA_REVISION``), the unit
settings, and stored values decoded into domain values.

The decoding functions here are the ones the column types (``types.py``) use, so a row read
either way becomes the same record; ``record_decoder`` picks them by the record's field types.
The filters' choices (branches, villages, townships, years) are read here too: they are plain
lists the window needs before its first rows.
"""

from __future__ import annotations

import dataclasses
import os
import sqlite3
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple, TypeVar
from urllib.parse import quote

from ..domain.dates import PartialDate
from ..domain.enums import UnitMode
from ..domain.unit import UnitSettings

# The newest Alembic revision (migrations/versions/): a database at this revision is opened
# without loading Alembic. tests/storage/test_plain_reads.py checks it against the scripts.
SCHEMA_REVISION = "0004"

BUSY_TIMEOUT_MS = 10_000

RecT = TypeVar("RecT")


def file_uri(path: Path | str) -> str:
    """``path`` as an SQLite URI (without a query), also for a Windows drive or UNC path and a
    name with ``?``, ``#`` or Chinese in it."""
    posix = Path(path).resolve().as_posix()
    return "file://" + quote(posix if posix.startswith("/") else "/" + posix, safe="/:")


def connect_for_reading(path: Path | str) -> sqlite3.Connection:
    """A connection that only reads (``query_only``), waiting for writers like the engine does.

    It never creates the file (``mode=rw``): were the database deleted or renamed while the
    program has it open, SQLite would make an empty file at the old path and, finding the old
    ``-wal`` beside an empty database, delete that log with the latest saved changes in it."""
    conn = sqlite3.connect(f"{file_uri(path)}?mode=rw", uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                           isolation_level=None)
    conn.execute("PRAGMA query_only = ON")
    return conn


# -- stored values -> domain values (also used by types.py) ---------------------------------

def partial_date_value(text: str) -> PartialDate:
    return PartialDate.parse_iso(text)


def day_value(text: str) -> date:
    return date.fromisoformat(text)


def utc_value(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def decimal_value(text: str) -> Decimal:
    return Decimal(text)


def enum_value(enum_cls: type[StrEnum], text: str) -> StrEnum | str:
    """The enum member, or the text as stored when it is not one (so that ``check`` reports it)."""
    try:
        return enum_cls(text)
    except ValueError:
        return text


def _decoder(hint: Any) -> Callable[[Any], Any] | None:
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        hint = args[0] if len(args) == 1 else None
    if hint is PartialDate:
        return partial_date_value
    if hint is datetime:  # before date: a datetime is a date
        return utc_value
    if hint is date:
        return day_value
    if hint is Decimal:
        return decimal_value
    if hint is bool:
        return bool
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        return lambda text, e=hint: enum_value(e, text)
    return None  # int, str: as stored


@cache
def _field_decoders(record_type: type) -> dict[str, Callable[[Any], Any] | None]:
    hints = typing.get_type_hints(record_type)
    return {f.name: _decoder(hints[f.name]) for f in dataclasses.fields(record_type)}


def record_decoder(record_type: type[RecT], columns: Sequence[str]) -> Callable[[Sequence[Any]], RecT]:
    """Turns a row whose values come in ``columns`` order into a ``record_type``; columns
    that are not fields of the record (``initials``, lookups) are left out."""
    decoders = _field_decoders(record_type)
    plan = [(name, i, decoders[name]) for i, name in enumerate(columns) if name in decoders]

    def decode(row: Sequence[Any]) -> RecT:
        values = {}
        for name, i, dec in plan:
            v = row[i]
            values[name] = v if v is None or dec is None else dec(v)
        return record_type(**values)

    return decode


# -- the unit settings -----------------------------------------------------------------------

def is_missing_table(exc: sqlite3.OperationalError) -> bool:
    """SQLite's "no such table" (any other OperationalError has a cause outside the query)."""
    return str(exc).startswith("no such table")


def read_settings(conn: sqlite3.Connection) -> dict[str, str]:
    try:
        return dict(conn.execute("SELECT key, value FROM settings"))
    except sqlite3.OperationalError as exc:
        if is_missing_table(exc):  # a file without the table yet
            return {}
        raise  # a full disk, a failing disk: never taken for a database not set up yet


def unit_from_settings(values: Mapping[str, str]) -> UnitSettings | None:
    """The unit, or None when the database has not been set up (first run)."""
    if not all(values.get(k) for k in ("mode", "unit_name", "unit_code")):
        return None
    return UnitSettings(
        mode=UnitMode(values["mode"]),
        name=values["unit_name"],
        code=values["unit_code"],
        operator=values.get("operator", ""),
        income_threshold=Decimal(values.get("income_threshold") or "5"),
    )


# -- the choices of the window's filters -----------------------------------------------------

def schema_revision(conn: sqlite3.Connection) -> str | None:
    """The Alembic revision the file was written at (None: no version table)."""
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError as exc:
        if is_missing_table(exc):
            return None
        raise  # a full disk, a failing disk: never taken for another program's file
    return None if row is None else row[0]


def has_tables(conn: sqlite3.Connection) -> bool:
    """Whether the file holds any table at all (one made by SQLite but never written to holds none)."""
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' LIMIT 1").fetchone() is not None


class BranchOutline(NamedTuple):
    """What a list of branches needs to order and name them (no decoding of whole records)."""

    uuid: str
    parent_uuid: str | None
    township_code: str
    kind: str
    code: str | None
    name: str


def branch_outlines(conn: sqlite3.Connection) -> list[BranchOutline]:
    """Every branch that is not deleted, as its outline."""
    return [BranchOutline(*row) for row in conn.execute(
        "SELECT uuid, parent_uuid, township_code, kind, code, name FROM branches WHERE deleted IS 0")]


def village_names(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """``(name, uuid, township code)`` of the villages that are not deleted, by township and pinyin."""
    return conn.execute("SELECT name, uuid, township_code FROM villages WHERE deleted IS 0 "
                        "ORDER BY township_code, initials, name").fetchall()


def township_names(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """``(name, code)`` of the townships that are not deleted, by code."""
    return conn.execute("SELECT name, code FROM townships WHERE deleted IS 0 ORDER BY code").fetchall()


DATED = {"activities": "held_on", "service_requests": "received_on"}


def years_used(conn: sqlite3.Connection, table: str) -> set[int]:
    """The years of the dates in ``table`` (activities: held, requests: received)."""
    column = DATED[table]
    rows = conn.execute(f"SELECT DISTINCT substr({column}, 1, 4) FROM {table} WHERE {column} IS NOT NULL")
    return {int(y) for (y,) in rows if y and y.isdigit()}


def is_read_only(path: Path | str) -> bool:
    """The database file, or the folder it is (or would be) in, cannot be written (checked
    before every open: SQLite's own failure there reads like damage)."""
    path = Path(path)
    folder = path.resolve().parent
    if path.exists() and not os.access(path, os.W_OK):
        return True
    return folder.is_dir() and not os.access(folder, os.W_OK)
