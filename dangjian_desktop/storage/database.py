"""Opening the SQLite file: pragmas, write transactions begun with BEGIN IMMEDIATE, sessions.

A ``Database`` owns one engine. ``db.read()`` gives a session for reading (a deferred
transaction, never blocking writers in WAL mode); ``db.write()`` a session whose transaction
begins with ``BEGIN IMMEDIATE``, so a read-then-write never fails half-way with
"database is locked" when another connection writes (SQLite upgrades a deferred read
transaction to a write one only if nobody wrote in between).

The engine is made on first use, so that opening a ``Database`` loads no SQLAlchemy: the
window reads its first screen with plain ``sqlite3`` (``plain.py``) meanwhile.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .plain import BUSY_TIMEOUT_MS, connect_for_reading

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

__all__ = ["BUSY_TIMEOUT_MS", "Database", "DatabaseLockedError", "make_engine"]
_BEGIN_OPTION = "dangjian_begin"


class DatabaseLockedError(Exception):
    """Another program holds the database for writing longer than the busy timeout."""


def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN itself (the pysqlite recipe).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = FULL")
    cur.close()


def _on_begin(conn: Any) -> None:
    mode = conn.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(path: Path | str) -> Engine:
    """An engine on ``path`` with the pragmas set on every new connection."""
    from sqlalchemy import create_engine, event

    engine = create_engine(f"sqlite:///{Path(path)}", future=True)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


class Database:
    """One SQLite file: its engine and the two kinds of session."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._engine: Engine | None = None
        self._lock = threading.Lock()

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    from sqlalchemy.orm import sessionmaker

                    engine = make_engine(self.path)
                    self._read = sessionmaker(engine, expire_on_commit=False)
                    self._write = sessionmaker(engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"}),
                                               expire_on_commit=False)
                    self._engine = engine
        return self._engine

    def plain(self) -> sqlite3.Connection:
        """A plain ``sqlite3`` connection that only reads; close it after use."""
        return connect_for_reading(self.path)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; anything written in it is rolled back."""
        self.engine  # noqa: B018 - made on first use
        with self._read() as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction (BEGIN IMMEDIATE): committed on success, rolled back on error."""
        self.engine  # noqa: B018 - made on first use
        with self._write.begin() as session:
            yield session

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
