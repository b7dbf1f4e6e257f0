"""Opening the SQLite file: pragmas, write transactions begun with BEGIN IMMEDIATE, sessions.

A ``Database`` owns one engine. ``db.read()`` gives a session for reading (a deferred
transaction, never blocking writers in WAL mode); ``db.write()`` a session whose transaction
begins with ``BEGIN IMMEDIATE``, so a read-then-write never fails half-way with
"database is locked" when another connection writes (SQLite upgrades a deferred read
transaction to a write one only if nobody wrote in between).

After a commit SQLite copies the write-ahead log into the database file once the log has grown
past ``AUTOCHECKPOINT_PAGES`` (a checkpoint: the pages written again, and one more flush to disk).
A run of large transactions in a row (the district import: one per township) asks for
``write(checkpoint=False)``, which commits each of them durably into the log just the same, and
calls ``checkpoint()`` once at the end: each page is then copied once instead of after every
transaction.

The engine is made on first use, so that opening a ``Database`` loads no SQLAlchemy: the
window reads its first screen with plain ``sqlite3`` (``plain.py``) meanwhile.

Only a ``Database`` made on a path where no file exists yet creates the file; one made on an
existing file never makes another (every connection opens with ``mode=rw``). Each write first
checks that the path still names the file that was opened: a database deleted, renamed or moved
away while the program has it open (possible on Linux) is refused with a sentence saying so,
rather than written into a file that is about to vanish or that nobody will find.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .plain import BUSY_TIMEOUT_MS, connect_for_reading, file_uri

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

__all__ = ["BUSY_TIMEOUT_MS", "Database", "make_engine"]
_BEGIN_OPTION = "dangjian_begin"
_CHECKPOINT_OPTION = "dangjian_checkpoint"
AUTOCHECKPOINT_PAGES = 1000  # SQLite's default


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
    options = conn.get_execution_options()
    mode = options.get(_BEGIN_OPTION, "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")
    if mode == "IMMEDIATE":  # a connection's setting outlives the session: set it every time
        pages = AUTOCHECKPOINT_PAGES if options.get(_CHECKPOINT_OPTION, True) else 0
        conn.exec_driver_sql(f"PRAGMA wal_autocheckpoint = {pages}")


def make_engine(path: Path | str) -> Engine:
    """An engine on ``path`` with the pragmas set on every new connection."""
    from sqlalchemy import URL, create_engine, event

    url = URL.create("sqlite", database=file_uri(path), query={"uri": "true", "mode": "rw"})
    engine = create_engine(url, future=True)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def _identity(path: Path) -> tuple[int, int] | None:
    """The file's device and inode (on Windows its volume and file index); None if missing."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


class Database:
    """One SQLite file: its engine and the two kinds of session."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._engine: Engine | None = None
        self._lock = threading.Lock()
        self.writes = 0  # write transactions begun here (a count read earlier is stale once it moves)
        self._file: tuple[int, int] | None = _identity(self.path)  # None: not made yet

    def _ensure_file(self) -> None:
        """Make the file if this ``Database`` was made where none existed (a new database)."""
        if self._file is None:
            if not self.path.exists():
                sqlite3.connect(self.path).close()
            self._file = _identity(self.path)

    def adopt_file(self) -> None:
        """The file at ``path`` was replaced on purpose (a restore): it is the one to write now."""
        self._file = _identity(self.path)

    def check_file(self) -> None:
        """Raise ``DatabaseWriteError`` unless ``path`` still names the file that was opened."""
        now = _identity(self.path)
        if self._file is None or now == self._file:
            return
        from .outside_failures import DatabaseWriteError, moved_away_message

        raise DatabaseWriteError(moved_away_message(self.path, missing=now is None))

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    from sqlalchemy.orm import sessionmaker

                    self._ensure_file()
                    engine = make_engine(self.path)
                    self._read = sessionmaker(engine, expire_on_commit=False)
                    writing = engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
                    self._write = sessionmaker(writing, expire_on_commit=False)
                    self._write_batch = sessionmaker(writing.execution_options(**{_CHECKPOINT_OPTION: False}),
                                                      expire_on_commit=False)
                    self._engine = engine
        return self._engine

    def plain(self) -> sqlite3.Connection:
        """A plain ``sqlite3`` connection that only reads; close it after use."""
        self._ensure_file()
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
    def write(self, *, checkpoint: bool = True) -> Iterator[Session]:
        """One write transaction (BEGIN IMMEDIATE): committed on success, rolled back on error.
        A full disk, a failing disk, a read-only file or a database held too long by another
        program raises ``outside_failures.DatabaseWriteError`` (a ``DomainError`` saying so in Chinese).
        ``checkpoint=False``: the commit leaves the log as it is; call ``checkpoint()`` after the run."""
        self.engine  # noqa: B018 - made on first use
        self.check_file()
        self.writes += 1
        try:
            with (self._write if checkpoint else self._write_batch).begin() as session:
                yield session
        except Exception as exc:  # SQLAlchemy wraps SQLite's errors: the cause is its ``orig``
            from .outside_failures import DatabaseWriteError, outside_failure  # only once one failed

            sentence = outside_failure(exc, self.path)
            if sentence is None:
                raise
            raise DatabaseWriteError(sentence) from exc

    def checkpoint(self) -> None:
        """Copy the write-ahead log into the database file now; never waits for readers."""
        raw = self.engine.raw_connection()
        try:
            raw.cursor().execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        finally:
            raw.close()

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
