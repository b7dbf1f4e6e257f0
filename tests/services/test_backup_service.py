"""Taking backups: by hand, before an import, daily with rotation; listing them."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import datetime, timedelta

import pytest

from backup_helpers import add_members
from dangjian_desktop.services import backup_service as B
from dangjian_desktop.storage.backup import parse_backup_name, unique_backup_path
from dangjian_desktop.storage.repositories import AuditLog

NOW = datetime(2026, 11, 26, 9, 30, 0)


def audit_lines(store) -> list[tuple[str, str, str]]:
    with store.db.read() as s:
        return [(e.operator, e.action, e.new_value or "") for e in AuditLog(s, "").entries()]


def test_manual_backup_is_verified_listed_and_audited(store):
    add_members(store, 40)
    info = B.make_backup(store.path, "manual", when=NOW, db=store.db)
    assert info.path.parent == store.path.parent / "backups"
    assert info.path.name == "test-20261126-093000-manual.db"
    assert info.counts is not None and info.counts["党员"] == 40 and info.label == "手动"
    with closing(sqlite3.connect(info.path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one self-contained file
    operator, action, detail = audit_lines(store)[0]
    assert (operator, action) == ("测试员", "备份") and info.path.name in detail
    assert [b.path for b in B.list_backups(store.path)] == [info.path]


def test_two_backups_in_the_same_second_get_different_names(store):
    first = B.make_backup(store.path, "manual", when=NOW)
    second = B.make_backup(store.path, "manual", when=NOW)
    assert first.path != second.path and second.path.name == "test-20261126-093000.2-manual.db"
    assert parse_backup_name(second.path.name).reason == "manual"
    assert [b.path for b in B.list_backups(store.path)] == [second.path, first.path]


def test_listing_shows_only_this_databases_backups_newest_first(store):
    folder = store.path.parent / "backups"
    old = B.make_backup(store.path, "daily", when=NOW - timedelta(days=2))
    new = B.make_backup(store.path, "before-import", when=NOW)
    (folder / "notes.txt").write_text("clerk's own file")
    (folder / "other-20261126-093000-manual.db").write_bytes(b"")  # another database's backup
    broken = folder / "test-20261125-080000-manual.db"
    broken.write_bytes(b"garbage" * 100)
    listed = B.list_backups(store.path)
    assert [b.path for b in listed] == [new.path, broken, old.path]
    assert [b.label for b in listed] == ["导入前", "手动", "每日自动"]
    assert listed[1].counts is None and not listed[1].readable
    assert B.newest_good_backup(store.path).path == new.path


def test_backup_of_a_missing_database_is_a_clear_error(tmp_path):
    with pytest.raises(B.BackupServiceError, match="不存在"):
        B.make_backup(tmp_path / "nope.db")


def test_backup_of_a_file_that_is_no_database_names_both_causes_and_leaves_no_folder(tmp_path):
    notes = tmp_path / "notes.db"
    notes.write_text("meeting notes, not a database\n" * 40)
    with pytest.raises(B.BackupServiceError) as caught:
        B.make_backup(notes)
    message = caught.value.message
    assert str(notes) in message and "不是数据库文件" in message and "选错了文件" in message
    assert "从备份恢复" in message  # it may also be the unit's own database, damaged
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]  # no empty backups/ folder
    assert notes.read_text().startswith("meeting notes")


def test_a_failed_backup_leaves_an_existing_backups_folder_alone(store, tmp_path):
    kept = B.make_backup(store.path, "manual", when=NOW)
    broken = store.path.parent / "broken.db"
    broken.write_bytes(b"garbage" * 100)
    with pytest.raises(B.BackupServiceError):
        B.make_backup(broken, dest=kept.path.parent / "broken-copy.db")
    assert [p.name for p in kept.path.parent.iterdir()] == [kept.path.name]


def test_backup_before_an_import_keeps_the_ten_newest(store):
    for i in range(12):
        B.make_backup(store.path, "before-import", when=NOW - timedelta(hours=i + 1))
    info = B.backup_before(store, "import")
    assert info.reason == "before-import"
    kept = [b for b in B.list_backups(store.path) if b.reason == "before-import"]
    assert len(kept) == 10 and kept[0].path == info.path
    assert "导入前备份" in audit_lines(store)[0][2]


def test_daily_backup_once_a_day(store):
    first = B.daily_backup(store.path, NOW)
    assert first is not None and first.reason == "daily"
    assert B.daily_backup(store.path, NOW + timedelta(hours=8)) is None
    assert B.daily_backup(store.path, NOW + timedelta(days=1)) is not None
    assert len(B.list_backups(store.path)) == 2


def test_daily_backup_skips_a_new_empty_file(tmp_path):
    (tmp_path / "new.db").write_bytes(b"")
    assert B.daily_backup(tmp_path / "new.db", NOW) is None
    assert B.daily_backup(tmp_path / "missing.db", NOW) is None


def test_a_clock_fallen_back_does_not_delete_the_backup_just_made(store):
    """A flat CMOS battery sets the PC's clock years back: today's backup then carries the
    oldest name of all, and rotation must still keep it (and the newest such one after it)."""
    for day in range(400):
        B.daily_backup(store.path, NOW - timedelta(days=day))
    wrong = datetime(2000, 1, 1, 8, 0)
    first = B.daily_backup(store.path, wrong)
    assert first is not None and first.path.exists()
    second = B.daily_backup(store.path, wrong + timedelta(days=1))
    assert second is not None and second.path.exists()
    made_before = [p for p, _w, r in B.backup_files(store.path) if r == "daily" and _w.year > 2000]
    assert len(made_before) == 7 + 11  # the kept ones of the right clock are untouched
    before_import = B.backup_before(store)  # rotation after an import's backup keeps it too
    assert before_import.path.exists()


def test_rotation_keeps_7_days_and_12_months_and_nothing_else_is_touched(tmp_path):
    db = tmp_path / "dangjian.db"
    folder = tmp_path / "backups"
    folder.mkdir()
    made = []
    for day in range(450):  # fifteen months of daily backups, one a day
        when = NOW - timedelta(days=day)
        path = unique_backup_path(folder, db, "daily", when)
        path.write_bytes(b"x")
        made.append((when, path))
    untouched = [folder / n for n in (
        "dangjian-20200101-000000-manual.db", "dangjian-20200101-000000-before-migrate-0001.db",
        "dangjian-20200101-000000-before-restore.db", "other-20200101-000000-daily.db",
        "dangjian-20200101-000000-daily.db-wal", "dangjian-20200101-000000-daily.db-journal",
        "dangjian-daily.db", "readme.txt",
    )]
    for p in untouched:
        p.write_bytes(b"keep")
    deleted = B.rotate(db)
    left = {p for _w, p in made if p.exists()}
    newest_per_month: dict[tuple[int, int], object] = {}
    for when, path in made:  # newest first
        newest_per_month.setdefault((when.year, when.month), path)
    expected = {p for _w, p in made[:7]} | set(list(newest_per_month.values())[:12])
    assert left == expected and len(left) == 7 + 11  # this month's newest is also today's
    assert len(deleted) == 450 - len(expected)
    assert all(p.exists() for p in untouched)
    assert B.rotate(db) == []  # stable
