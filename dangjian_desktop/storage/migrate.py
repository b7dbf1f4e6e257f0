"""Bringing a database file to the newest schema with Alembic, after backing it up.

The program never calls ``create_all``: an empty file becomes a database by running every
migration from the first. A file that holds data at an older revision is first copied aside
with the backup API (``backups/`` beside it).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from .backup import BackupResult, backup_database, unique_backup_path
from .database import Database


class MigrationError(Exception):
    """The upgrade could not be applied; the database was left as it was."""


class SchemaTooNewError(MigrationError):
    """The file was written by a newer version of the program."""


def migrations_dir() -> Path:
    return Path(str(resources.files("dangjian_desktop.storage") / "migrations"))


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _has_tables(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return False
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0] > 0


def upgrade(db: Database, backup_dir: Path | None = None) -> BackupResult | None:
    """Migrate ``db`` to head; returns the backup taken first, if one was needed."""
    current = current_revision(db)
    head = head_revision()
    if current == head:
        return None
    known = {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    if current is not None and current not in known:
        raise SchemaTooNewError(
            f"数据库 {db.path} 由更新版本的程序创建（结构版本 {current}），请安装最新版本后再打开"
        )
    taken = None
    if _has_tables(db.path):
        folder = backup_dir or db.path.parent / "backups"
        taken = backup_database(db.path, unique_backup_path(folder, db.path, f"before-migrate-{current or 'none'}"))
    cfg = alembic_config()
    with db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        # Batch migrations copy tables; foreign keys are checked once at the end instead
        # (the pragma only takes effect outside a transaction).
        raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise MigrationError(f"数据库 {db.path} 升级后有 {len(broken)} 处引用不一致，已撤销升级")
        finally:
            raw.execute("PRAGMA foreign_keys = ON")
    return taken
