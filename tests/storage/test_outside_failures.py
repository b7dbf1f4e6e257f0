"""SQLite failing for a cause outside the program (storage/outside_failures.py): a full disk
gives a Chinese ``DatabaseWriteError`` and saves nothing of the step; a failing read is never
taken for a database that is not set up yet, nor for another program's file.

The disk fills for real as far as SQLite can tell: ``PRAGMA max_page_count`` caps the file at
the pages it has, and SQLite then answers a write that needs one more page with SQLITE_FULL,
the error a full disk gives."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest
from sqlalchemy import event, text

from dangjian_desktop.storage.database import Database
from dangjian_desktop.storage.outside_failures import DatabaseWriteError, outside_failure
from dangjian_desktop.storage.plain import read_settings, schema_revision


def fill_up(db: Database) -> None:
    """From now on ``db`` has no room for one more page."""
    with closing(sqlite3.connect(db.path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("VACUUM")  # no free pages left inside the file either
    db.engine.dispose()

    @event.listens_for(db.engine, "connect")
    def capped(dbapi_conn, _record):  # noqa: ANN001, ANN202
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")


def test_a_write_onto_a_full_disk_is_a_chinese_error_and_saves_nothing(store):
    with store.db.write() as s:
        s.execute(text("INSERT INTO settings (key, value) VALUES ('before', 'kept')"))
    fill_up(store.db)
    with pytest.raises(DatabaseWriteError) as caught:
        with store.db.write() as s:
            s.execute(text("INSERT INTO settings (key, value) VALUES ('small', 'fits maybe')"))
            s.execute(text("INSERT INTO settings (key, value) VALUES ('big', :v)"), {"v": "长" * 20_000})
    message = caught.value.message
    assert str(store.path) in message and "磁盘已满" in message and "没有保存" in message
    assert "腾出空间" in message  # what to do
    with closing(sqlite3.connect(store.path)) as conn:
        keys = {k for (k,) in conn.execute("SELECT key FROM settings")}
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert "before" in keys and not keys & {"small", "big"}  # the whole step rolled back


def test_other_database_errors_stay_what_they_are(store):
    with pytest.raises(Exception) as caught:
        with store.db.write() as s:
            s.execute(text("INSERT INTO no_such_table VALUES (1)"))
    assert not isinstance(caught.value, DatabaseWriteError)
    assert outside_failure(caught.value) is None


class _FailingDisk:
    """A connection whose every statement fails as reading on a full disk does (SQLite cannot
    make its shared-memory file beside the database)."""

    def execute(self, *_args):  # noqa: ANN002, ANN202
        error = sqlite3.OperationalError("disk I/O error")
        error.sqlite_errorcode, error.sqlite_errorname = 4874, "SQLITE_IOERR_SHMSIZE"
        raise error


def test_a_failing_read_is_not_taken_for_a_missing_table(tmp_path):
    with closing(sqlite3.connect(tmp_path / "new.db")) as empty:  # a file without our tables
        assert read_settings(empty) == {} and schema_revision(empty) is None
    for read in (read_settings, schema_revision):
        with pytest.raises(sqlite3.OperationalError) as caught:
            read(_FailingDisk())
        sentence = outside_failure(caught.value, tmp_path / "d.db", step=False)
        assert sentence is not None and "磁盘可能已满" in sentence and "没有保存" not in sentence


@pytest.mark.parametrize(("name", "words"), [
    ("SQLITE_FULL", "磁盘已满"), ("SQLITE_IOERR_WRITE", "读写出错"), ("SQLITE_READONLY_DBMOVED", "只能读"),
    ("SQLITE_CANTOPEN", "无法打开"), ("SQLITE_BUSY", "另一个程序"),
])
def test_each_outside_cause_says_what_happened(name, words):
    error = sqlite3.OperationalError("x")
    error.sqlite_errorname = name
    wrapped = RuntimeError("wrapped")
    wrapped.__cause__ = error
    assert words in outside_failure(wrapped, "d.db")
