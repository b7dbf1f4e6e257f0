"""Copies of the database made with SQLite's online backup API, never a file copy.

A plain copy of a live WAL database can miss what still sits in the ``-wal`` file; the backup
API copies a consistent snapshot. Each copy is checked (``integrity_check`` and the number of
rows per table) before it counts.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path


class BackupError(Exception):
    """A backup could not be written or did not verify; the message is Chinese."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    row_counts: dict[str, int]


def table_row_counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    )]
    return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def integrity_ok(conn: sqlite3.Connection, quick: bool = False) -> tuple[bool, str]:
    pragma = "quick_check" if quick else "integrity_check"
    rows = [r[0] for r in conn.execute(f"PRAGMA {pragma}")]
    return rows == ["ok"], "; ".join(rows[:5])


def backup_database(src: Path, dest: Path) -> BackupResult:
    """Copy ``src`` to ``dest`` (which must not exist) and verify the copy."""
    if dest.exists():
        raise BackupError(f"备份文件 {dest} 已存在，未覆盖")
    tmp = dest.with_name(dest.name + ".part")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(src)) as source, closing(sqlite3.connect(tmp)) as target:
            source.backup(target)
            expected = table_row_counts(source)
        with closing(sqlite3.connect(tmp)) as check:
            ok, detail = integrity_ok(check)
            got = table_row_counts(check)
            # Leave the copy as one self-contained file, not WAL.
            check.execute("PRAGMA journal_mode = DELETE")
        if not ok:
            raise BackupError(f"备份文件 {dest} 完整性检查未通过：{detail}")
        if got != expected:
            raise BackupError(f"备份文件 {dest} 的行数与原数据库不一致")
        tmp.replace(dest)
    except sqlite3.Error as exc:
        raise BackupError(f"无法备份数据库 {src}：{exc}") from exc
    except OSError as exc:
        raise BackupError(f"无法写入备份文件 {dest}：{exc.strerror or exc}") from exc
    finally:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass  # the folder itself could not be made; nothing was written
    return BackupResult(dest, expected)


def backup_name(db_path: Path, reason: str, when: datetime | None = None) -> str:
    when = when or datetime.now()
    return f"{db_path.stem}-{when:%Y%m%d-%H%M%S}-{reason}.db"
