"""Engine set-up: pragmas, BEGIN IMMEDIATE for writes, backups with the backup API."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing

import pytest
from sqlalchemy import text

from dangjian_desktop.storage.backup import BackupError, backup_database, table_row_counts
from dangjian_desktop.storage.database import Database
from dangjian_desktop.storage.models import SettingRow


def test_pragmas(store):
    with store.db.read() as s:
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert s.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_write_sessions_take_the_write_lock_at_begin(store):
    """With BEGIN IMMEDIATE another writer is kept out from the first statement on, so a
    read-then-write cannot fail half-way with "database is locked"."""
    with store.db.write() as s:
        s.execute(text("SELECT 1"))  # only a read so far
        with closing(sqlite3.connect(store.path, timeout=0.1)) as other:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")


def test_read_sessions_do_not_block_writers(store):
    with store.db.read() as s:
        s.execute(text("SELECT count(*) FROM members")).scalar()
        with closing(sqlite3.connect(store.path, timeout=0.1)) as other:
            other.execute("BEGIN IMMEDIATE")
            other.execute("INSERT INTO settings VALUES ('x', 'y')")
            other.execute("COMMIT")


def test_concurrent_writers_wait_for_each_other(store):
    errors: list[Exception] = []

    def writer(n: int) -> None:
        try:
            for i in range(20):
                with store.db.write() as s:
                    row = s.get(SettingRow, "counter")
                    if row is None:
                        s.add(SettingRow(key="counter", value="1"))
                    else:
                        row.value = str(int(row.value) + 1)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with store.db.read() as s:
        assert s.get(SettingRow, "counter").value == "60"  # no lost update


def test_backup_copies_uncheckpointed_wal_content(store, tmp_path):
    with store.db.write() as s:
        s.add(SettingRow(key="only_in_wal", value="1"))
    dest = tmp_path / "b" / "copy.db"
    result = backup_database(store.path, dest)
    with closing(sqlite3.connect(dest)) as conn:
        assert conn.execute("SELECT value FROM settings WHERE key='only_in_wal'").fetchone() == ("1",)
        assert table_row_counts(conn) == result.row_counts
    with pytest.raises(BackupError, match="已存在"):
        backup_database(store.path, dest)


def test_backup_to_unwritable_place_is_a_clear_error(store, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(BackupError):
        backup_database(store.path, blocker / "copy.db")


def test_database_closes_cleanly(tmp_path):
    with Database(tmp_path / "x.db") as db:
        with db.write() as s:
            s.execute(text("CREATE TABLE t (x)"))



def test_a_run_of_large_writes_copies_the_log_once_at_the_end(store):
    """``write(checkpoint=False)`` commits into the log and leaves it there (the district import
    writes one township per transaction); ``checkpoint()`` copies it into the file once; an
    ordinary write on the same connection checkpoints as usual again."""
    rows = [(f"k{i}", "x" * 200) for i in range(30_000)]  # far more than 1,000 pages of log

    def autocheckpoint(s) -> int:
        return s.execute(text("PRAGMA wal_autocheckpoint")).scalar()

    before = store.path.stat().st_size
    with store.db.write(checkpoint=False) as s:
        assert autocheckpoint(s) == 0
        s.connection().exec_driver_sql("INSERT INTO settings VALUES (?, ?)", rows)
    with store.db.read() as s:  # committed
        assert s.execute(text("SELECT count(*) FROM settings WHERE key LIKE 'k%'")).scalar() == len(rows)
    assert store.path.stat().st_size == before  # still only in the log
    store.db.checkpoint()
    assert store.path.stat().st_size > before + 1000 * 4096
    with store.db.write() as s:
        assert autocheckpoint(s) == 1000
