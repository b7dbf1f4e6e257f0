"""Opening a database file for the program: migrate (after a backup), then hand out the unit
settings and sessions. The composition root (``app.py``, ``cli/``) opens one ``Store``.

A database already at the program's schema revision is opened without loading Alembic or
SQLAlchemy (the revision and the unit are read with plain ``sqlite3``); only an older (or
newer, or new) file goes through ``storage/migrate.py``.

Only a path where no file exists yet becomes a new database (``create=True``: ``init``,
``demo``, the window's first start). An existing file that is not one of this program's
databases — 0 bytes (a copy cut short, a power cut while it was made), not SQLite, or another
program's SQLite file — is refused before anything is written to it (``check_is_ours``, which
the backups use too).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from ..domain.errors import DomainError
from ..domain.unit import UnitSettings
from ..storage.database import Database
from ..storage.plain import (
    SCHEMA_REVISION, connect_for_reading, has_tables, is_read_only, read_settings, schema_revision, unit_from_settings,
)


class StoreError(DomainError):
    """The database file cannot be opened or upgraded; the message says why and what to do."""


def empty_message(path: Path) -> str:
    return f"数据库文件 {path} 是空的（0 字节），可能在写入时断电或复制不完整；请从备份恢复（restore）"


def read_only_message(path: Path) -> str:
    return (f"数据库 {path} 所在的位置是只读的（如写保护的U盘、光盘或只读共享文件夹），无法打开；"
            "请把它复制到本机（如“文档”文件夹）后再打开")


def check_writable(path: Path | str) -> None:
    """Raise ``StoreError`` when ``path`` or its folder cannot be written: SQLite would fail to
    open it with a message that reads like damage."""
    if is_read_only(path):
        raise StoreError(read_only_message(Path(path)))


def foreign_message(path: Path) -> str:
    return (f"{path} 不是党建台账的数据库（其中没有本程序的数据表，可能是别的程序的文件），程序没有改动它；"
            "请选择党建台账的数据库文件")


def _check_is_sqlite(path: Path) -> None:
    if path.stat().st_size == 0:
        raise StoreError(empty_message(path))
    with path.open("rb") as f:
        head = f.read(16)
    if head != b"SQLite format 3\x00":
        raise StoreError(f"文件 {path} 不是本程序的数据库（不是 SQLite 文件），请选择正确的数据库文件")


def _revision(db: Database, existed: bool, create: bool) -> str | None:
    """The schema revision; raises for an existing file that is not ours (nothing written)."""
    with closing(db.plain()) as conn:
        revision = schema_revision(conn)
        if revision is None and existed and (not create or has_tables(conn)):
            raise StoreError(foreign_message(db.path))
    return revision


def check_is_ours(path: Path | str) -> None:
    """Raise ``StoreError`` unless the existing file ``path`` is one of this program's databases
    (at any schema revision); reads only, and only through SQLite (a plain ``open()`` and close
    of a file this process has open would drop the locks SQLite holds on it)."""
    path = Path(path)
    if path.stat().st_size == 0:
        raise StoreError(empty_message(path))
    try:
        with closing(connect_for_reading(path)) as conn:
            revision = schema_revision(conn)
    except sqlite3.DatabaseError:
        return  # damaged, or not SQLite at all: what reads it next says so (and offers the backups)
    if revision is None:
        raise StoreError(foreign_message(path))


def _migrate(db: Database) -> None:
    from ..storage import migrate
    from ..storage.backup import BackupError  # the copy made before an upgrade

    try:
        migrate.upgrade(db)
    except (migrate.MigrationError, BackupError) as exc:
        raise StoreError(str(exc)) from exc


class Store:
    """An open, migrated database and the unit it belongs to."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @property
    def path(self) -> Path:
        return self.db.path

    @classmethod
    def open(cls, path: Path | str, *, create: bool = True) -> "Store":
        path = Path(path)
        if not path.exists() and not create:
            raise StoreError(f"数据库文件 {path} 不存在")
        if path.exists() and path.is_dir():
            raise StoreError(f"{path} 是一个文件夹，请给出数据库文件的路径")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"无法创建文件夹 {path.parent}：{exc.strerror or exc}") from exc
        check_writable(path)
        existed = path.exists()
        if existed:
            _check_is_sqlite(path)
        db = Database(path)
        try:
            if _revision(db, existed, create) != SCHEMA_REVISION:
                _migrate(db)
        except StoreError as exc:
            db.close()
            raise StoreError(str(exc)) from exc
        except Exception as exc:  # SQLAlchemy wraps sqlite errors
            db.close()
            orig = exc if isinstance(exc, sqlite3.Error) else getattr(exc, "orig", None)
            if not isinstance(orig, sqlite3.Error):
                raise
            from ..storage.backup import sqlite_message  # an error's words: not on every start's path

            sentence = outside_failure(orig, path, step=False) or f"无法打开数据库 {path}：{sqlite_message(orig)}"
            raise StoreError(sentence) from exc
        return cls(db)

    def unit(self) -> UnitSettings | None:
        with closing(self.db.plain()) as conn:
            return unit_from_settings(read_settings(conn))

    def operator(self) -> str:
        unit = self.unit()
        return unit.operator if unit else ""

    def is_empty(self) -> bool:
        with closing(self.db.plain()) as conn:
            tables = ("townships", "villages", "branches", "members", "reserve_cadres", "service_requests", "activities")
            return all(conn.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone() is None for t in tables)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def outside_failure(exc: BaseException, path: Path | str | None = None, *, step: bool = True) -> str | None:
    """``storage.outside_failures.outside_failure`` for the window and the command line (loaded
    only once something has failed): the Chinese sentence for a database the disk could not
    serve, or None."""
    from ..storage import outside_failures

    return outside_failures.outside_failure(exc, path, step=step)
