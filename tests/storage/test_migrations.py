"""Migrations: the newest schema equals the models, every older schema upgrades without loss,
a file from a newer program is refused, and data is backed up before an upgrade."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from dangjian_desktop.services.store import Store, StoreError
from dangjian_desktop.storage import migrate
from dangjian_desktop.storage.database import Database
from dangjian_desktop.storage.models import Base

REVISIONS = [s.revision for s in reversed(list(ScriptDirectory.from_config(migrate.alembic_config()).walk_revisions()))]


def test_upgrade_head_matches_the_models(tmp_path):
    db = Database(tmp_path / "x.db")
    migrate.upgrade(db)
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    db.close()
    assert diff == []


def test_new_database_gets_no_backup(tmp_path):
    db = Database(tmp_path / "x.db")
    assert migrate.upgrade(db) is None
    assert migrate.current_revision(db) == migrate.head_revision()
    assert not (tmp_path / "backups").exists()
    db.close()


@pytest.mark.parametrize("start", REVISIONS[:-1] or [None])
def test_every_older_schema_upgrades_keeping_its_rows(tmp_path, start):
    """A database left at each earlier revision, holding rows, reaches head with every row."""
    path = tmp_path / "old.db"
    db = Database(path)
    if start is not None:
        cfg = migrate.alembic_config()
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, start)
        with closing(sqlite3.connect(path)) as conn:
            conn.execute("INSERT INTO settings VALUES ('unit_name', '青石镇')")
            conn.commit()
    taken = migrate.upgrade(db)
    assert migrate.current_revision(db) == migrate.head_revision()
    if start is not None:
        assert taken is not None and taken.path.exists()
        with closing(sqlite3.connect(path)) as conn:
            assert conn.execute("SELECT value FROM settings WHERE key='unit_name'").fetchone() == ("青石镇",)
    db.close()


def test_database_from_a_newer_program_is_refused(tmp_path):
    path = tmp_path / "new.db"
    Store.open(path).close()
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'zz99'")
        conn.commit()
    with pytest.raises(StoreError, match="更新版本"):
        Store.open(path)


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("这不是数据库")
    with pytest.raises(StoreError, match="不是本程序的数据库"):
        Store.open(path)
    assert path.read_text() == "这不是数据库"  # left untouched


def test_0002_fills_initials_of_existing_rows(tmp_path):
    path = tmp_path / "old.db"
    db = Database(path)
    cfg = migrate.alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(
            "INSERT INTO villages (code, name, kind, category, first_secretary_name, first_secretary_unit,"
            " work_team_size, notes, uuid, township_code, created_at, updated_at, deleted)"
            " VALUES ('', '东岭村', '行政村', '一般村', '', '', 0, '', 'v1', '410999101000',"
            " '2026-01-01T00:00:00', '2026-01-01T00:00:00', 0)"
        )
        conn.commit()
    migrate.upgrade(db)
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT initials FROM villages WHERE uuid='v1'").fetchone() == ("dlc",)
    db.close()
