"""A database deleted, renamed or moved away while the program has it open (Linux lets a file
manager do that): the program never makes an empty file at the old path — SQLite would then
delete the old ``-wal`` with the latest saved changes in it — and refuses to write on, saying
what happened, rather than saving into a file that is about to vanish."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest
from sqlalchemy import text

from dangjian_desktop.services.store import Store
from dangjian_desktop.storage.outside_failures import DatabaseWriteError


def _save(store: Store, key: str) -> None:
    with store.db.write() as s:
        s.execute(text("INSERT INTO settings (key, value) VALUES (:k, 'x')"), {"k": key})


def _keys(path) -> set[str]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return {k for (k,) in conn.execute("SELECT key FROM settings")}


def test_a_saved_change_survives_the_file_being_renamed_and_put_back(store, tmp_path):
    _save(store, "saved_before")  # committed into the -wal, not yet into the file
    moved = tmp_path / "moved.db"
    store.path.rename(moved)
    with pytest.raises(sqlite3.OperationalError):
        store.unit()  # the window reads its lists like this
    assert not store.path.exists()  # no empty database made at the old path
    store.close()  # SQLite sees the file was renamed: its log stays beside the old name
    moved.rename(store.path)  # the clerk puts it back, as the message asks
    assert "saved_before" in _keys(store.path)


def test_writing_after_the_file_was_deleted_is_refused_with_what_happened(store):
    _save(store, "saved_before")
    store.path.unlink()
    with pytest.raises(DatabaseWriteError) as caught:
        _save(store, "after")
    message = caught.value.message
    assert str(store.path) in message and "删除、改名或移走" in message and "没有保存" in message
    assert "放回原处" in message and "从备份恢复" in message
    assert not store.path.exists()


def test_writing_after_the_file_was_replaced_by_another_is_refused(store, tmp_path):
    moved = tmp_path / "moved.db"
    store.path.rename(moved)
    with closing(sqlite3.connect(store.path)) as other:  # someone puts another file there
        other.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT)")
    with pytest.raises(DatabaseWriteError, match="换成了另一个文件"):
        _save(store, "after")
    store.close()
    assert "after" not in _keys(store.path)


def test_a_new_database_is_still_made_where_none_exists(tmp_path):
    path = tmp_path / "新建 #1?.db"
    with Store.open(path) as store:
        _save(store, "first")
        assert store.unit() is None
    assert "first" in _keys(path.as_posix().replace("?", "%3F").replace("#", "%23"))
