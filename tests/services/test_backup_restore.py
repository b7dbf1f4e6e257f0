"""Restoring a backup (healthy or damaged database), the start-up check, moving a database."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from alembic import command

from backup_helpers import add_members, damage
from dangjian_desktop.services import backup_service as B
from dangjian_desktop.services.startup_check import startup_check
from dangjian_desktop.services.store import Store
from dangjian_desktop.storage import migrate
from dangjian_desktop.storage.backup import open_readonly
from dangjian_desktop.storage.database import Database
from dangjian_desktop.storage.drives import DriveKind
from dangjian_desktop.storage.repositories import AuditLog, MemberRepository

NOW = datetime(2026, 11, 26, 9, 30, 0)


def count(path: Path, table: str = "members") -> int:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def integrity(path: Path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


@pytest.fixture
def damaged(store):
    """A database with 300 members and a daily backup, then damaged in the middle (closed)."""
    add_members(store, 300)
    backup = B.daily_backup(store.path, NOW)
    add_members(store, 5, batch=1)  # written after the backup
    store.close()
    damage(store.path)
    return store.path, backup


def test_restore_backs_up_current_state_first_and_records_who(store):
    add_members(store, 30)
    backup = B.make_backup(store.path, "manual", when=NOW)
    add_members(store, 7, batch=1)
    result = B.restore_backup(store.path, backup.path, operator="李文书", db=store.db, when=NOW + timedelta(hours=1))
    assert result.db_path == store.path and result.counts["党员"] == 30
    with store.db.read() as s:  # the program's open database sees the restored data
        assert MemberRepository(s, AuditLog(s, "")).count() == 30
        last = AuditLog(s, "").entries(limit=1)[0]
    assert (last.operator, last.action) == ("李文书", "恢复")
    assert backup.path.name in last.new_value and str(result.kept) in last.new_value
    assert result.kept.name == "test-20261126-103000-before-restore.db"
    assert count(result.kept) == 37  # what was there before restoring is kept
    assert integrity(store.path) == "ok"


def test_restore_of_an_older_schema_is_upgraded(store, tmp_path):
    old = tmp_path / "old.db"
    with Database(old) as db, db.engine.begin() as conn:  # a backup from the first schema version
        cfg = migrate.alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.exec_driver_sql("INSERT INTO settings VALUES ('operator', '旧操作员')")
        for key, value in (("mode", "乡镇"), ("unit_name", "青石镇"), ("unit_code", "410999101000")):  # this unit's
            conn.exec_driver_sql("INSERT INTO settings VALUES (?, ?)", (key, value))
    B.restore_backup(store.path, old, db=store.db)
    assert migrate.current_revision(store.db) == migrate.head_revision()
    with closing(sqlite3.connect(store.path)) as conn:
        assert conn.execute("SELECT value FROM settings WHERE key='operator'").fetchone() == ("旧操作员",)
    assert count(store.path) == 0


@pytest.mark.parametrize("problem", ["garbage", "newer", "foreign"])
def test_restore_refuses_an_unusable_backup_and_changes_nothing(store, tmp_path, problem):
    add_members(store, 10)
    bad = tmp_path / "bad.db"
    if problem == "garbage":
        bad.write_bytes(b"PK\x03\x04 not a database" * 50)
    elif problem == "foreign":
        with closing(sqlite3.connect(bad)) as conn:
            conn.execute("CREATE TABLE t (x)")
    else:
        B.make_backup(store.path, "manual", dest=bad)
        with closing(sqlite3.connect(bad)) as conn:
            conn.execute("UPDATE alembic_version SET version_num = 'ffff9999'")
            conn.commit()
    expected = {"garbage": "已损坏", "foreign": "不是本程序", "newer": "更新版本"}[problem]
    with pytest.raises(B.BackupServiceError, match=expected):
        B.restore_backup(store.path, bad, db=store.db)
    assert count(store.path) == 10
    assert not any("before-restore" in b.reason for b in B.list_backups(store.path))


def test_start_up_finds_damage_and_offers_the_newest_good_backup(damaged):
    path, backup = damaged
    older = B.make_backup(backup.path, "manual", dest=path.parent / "backups" / "test-20261101-080000-manual.db")
    check = startup_check(path, drive_of=lambda p: DriveKind.LOCAL)
    assert check.damaged and not check.may_open
    assert check.newest_good is not None and check.newest_good.path == backup.path != older.path
    assert str(path) in check.damage_message and "损坏" in check.damage_message


def test_restoring_a_damaged_database_keeps_the_damaged_files(damaged):
    path, backup = damaged
    wal = path.with_name(path.name + "-wal")
    wal.write_bytes(b"a stale wal that must be kept")  # whatever sits there is kept, not deleted
    before = path.read_bytes()
    result = B.restore_backup(path, backup.path, when=NOW)
    assert result.kept == path.parent / "damaged" / "test-20261126-093000"
    assert (result.kept / path.name).read_bytes() == before
    assert (result.kept / wal.name).read_bytes() == b"a stale wal that must be kept"
    assert integrity(path) == "ok" and count(path) == 300
    assert not startup_check(path, drive_of=lambda p: DriveKind.LOCAL).damaged
    with Store.open(path) as store, store.db.read() as s:
        assert AuditLog(s, "").entries(limit=1)[0].operator == "测试员"  # from the backup's settings


@pytest.mark.parametrize("with_wal", [False, True])
def test_restoring_over_a_destroyed_header(damaged, with_wal):
    path, backup = damaged
    with path.open("r+b") as f:
        f.write(os.urandom(100))
    side = path.with_name(path.name + "-wal")
    if with_wal:
        side.write_bytes(b"old wal")
    assert startup_check(path, drive_of=lambda p: DriveKind.LOCAL).damaged
    result = B.restore_backup(path, backup.path, when=NOW)
    if with_wal:  # a -wal beside a replaced file could be replayed onto it: use a new file
        assert result.db_path == path.with_name("test-restored-20261126-093000.db")
        assert side.read_bytes() == b"old wal"
    else:
        assert result.db_path == path
    assert integrity(result.db_path) == "ok" and count(result.db_path) == 300


def test_start_up_check_of_a_good_and_of_a_new_database(store, tmp_path):
    good = startup_check(store.path, drive_of=lambda p: DriveKind.LOCAL)
    assert good.may_open and good.detail == "ok" and good.newest_good is None
    new = startup_check(tmp_path / "new.db", drive_of=lambda p: DriveKind.LOCAL)
    assert new.may_open and not new.exists
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not sqlite at all" * 100)
    bad = startup_check(garbage, drive_of=lambda p: DriveKind.LOCAL)
    assert bad.damaged and bad.newest_good is None


@pytest.mark.parametrize("kind", [DriveKind.REMOVABLE, DriveKind.NETWORK])
def test_start_up_refuses_removable_and_network_drives(store, tmp_path, kind):
    check = startup_check(store.path, local_dir=tmp_path / "local", drive_of=lambda p: kind)
    assert not check.may_open and not check.damaged
    assert str(tmp_path / "local") in check.location_warning
    assert ("可移动磁盘" if kind is DriveKind.REMOVABLE else "网络共享") in check.location_warning


def test_move_copies_with_the_backup_api_and_leaves_the_old_file(store, tmp_path):
    add_members(store, 12)
    before = store.path.read_bytes()
    local = tmp_path / "local"
    moved = B.move_database(store.path, local, operator="测试员")
    assert moved == local / "test.db" and count(moved) == 12 and integrity(moved) == "ok"
    assert store.path.read_bytes() == before
    again = B.move_database(store.path, local)
    assert again == local / "test-2.db"
    with Store.open(moved) as s2, s2.db.read() as s:
        assert AuditLog(s, "").entries(limit=1)[0].action == "迁移"


def test_a_database_left_by_a_crash_is_not_called_damaged(store):
    """A killed program leaves a -wal with committed changes (and a -shm): the read-only start-up
    check reads through them and reports no damage."""
    store.close()
    code = ("import os, sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('PRAGMA wal_autocheckpoint=0');"
            "c.execute(\"INSERT INTO settings VALUES ('crash', '1')\"); c.commit(); os._exit(0)")
    subprocess.run([sys.executable, "-c", code, str(store.path)], check=True)
    wal = store.path.with_name(store.path.name + "-wal")
    assert wal.stat().st_size > 0
    check = startup_check(store.path, drive_of=lambda p: DriveKind.LOCAL)
    assert not check.damaged and check.may_open
    with closing(open_readonly(store.path)) as conn:
        assert conn.execute("SELECT value FROM settings WHERE key='crash'").fetchone() == ("1",)


@pytest.mark.parametrize("how", ["same path", "another spelling", "a link"])
def test_restore_from_the_database_itself_is_refused_at_once(store, tmp_path, how):
    """SQLite's backup of a file onto itself waits for its own lock forever."""
    add_members(store, 3)
    source = {"same path": store.path, "another spelling": store.path.parent / ".." / store.path.parent.name
              / store.path.name, "a link": tmp_path / "link.db"}[how]
    if how == "a link":
        source.symlink_to(store.path)
    with pytest.raises(B.BackupServiceError, match="就是要恢复的数据库本身"):
        B.restore_backup(store.path, source, db=store.db)
    assert count(store.path) == 3
    assert not any("before-restore" in b.reason for b in B.list_backups(store.path))


def test_restore_refuses_while_another_process_reads(store, tmp_path):
    """A command that only reads (``stats``, ``check``) takes no lock file; the swap itself must
    still not happen under it: restoring needs the database to itself."""
    add_members(store, 10)
    backup = B.make_backup(store.path, "manual", when=NOW)
    add_members(store, 3, batch=1)
    reader = subprocess.Popen(
        [sys.executable, "-c", ("import sqlite3, sys, time\n"
                                "c = sqlite3.connect(sys.argv[1]); c.execute('SELECT count(*) FROM members').fetchall()\n"
                                "print('reading', flush=True); time.sleep(60)\n"), str(store.path)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "reading"
        with pytest.raises(B.BackupServiceError, match="正在被另一个程序使用") as refused:
            B.restore_backup(store.path, backup.path, db=store.db, when=NOW + timedelta(hours=1))
        assert str(store.path) in refused.value.message
        assert count(store.path) == 13  # nothing swapped
    finally:
        reader.kill()
        reader.wait(10)
        reader.stdout.close()
    result = B.restore_backup(store.path, backup.path, db=store.db, when=NOW + timedelta(hours=2))
    assert result.counts["党员"] == 10 and count(store.path) == 10
