"""What backups a database has, and what each one is: their folder, names, labels and counts.

Backups live in ``backups/`` beside the database, named ``<name>-<date>-<time>-<reason>.db``
(``storage.backup.backup_name``); only files of that pattern and of this database's name are
listed. A backup is read through SQLite only, read-only: a file that cannot be read is listed
with no counts (``readable`` False). Taking, rotating and restoring backups is
``backup_service``'s.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..paths import backups_dir
from ..storage.backup import open_readonly, parse_backup_name, table_row_counts
from .backup_checks import usable_backup

REASON_LABELS = (  # first matching prefix wins
    ("daily", "每日自动"), ("manual", "手动"), ("before-import", "导入前"), ("before-migrate", "升级前"),
    ("before-restore", "恢复前"), ("before-move", "迁移前"), ("other", "其他文件"),
)
COUNT_LABELS = {
    "members": "党员", "branches": "党组织", "reserve_cadres": "后备干部",
    "service_requests": "代办事项", "activities": "组织生活",
}


def reason_label(reason: str) -> str:
    return next((label for prefix, label in REASON_LABELS if reason.startswith(prefix)), reason)


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    reason: str
    size: int
    counts: dict[str, int] | None  # Chinese label → rows; None when the file cannot be read

    @property
    def label(self) -> str:
        return reason_label(self.reason)

    @property
    def readable(self) -> bool:
        return self.counts is not None


def backups_folder(db_path: Path) -> Path:
    return backups_dir(Path(db_path))


def damaged_folder(db_path: Path) -> Path:
    return Path(db_path).resolve().parent / "damaged"


def labelled(counts: dict[str, int]) -> dict[str, int]:
    return {label: counts[t] for t, label in COUNT_LABELS.items() if t in counts}


def backup_info(path: Path) -> BackupInfo | None:
    """What a file in ``backups/`` holds; None if its name is not one of ours."""
    name = parse_backup_name(path.name)
    if name is None or not path.is_file() or path.is_symlink():
        return None
    return BackupInfo(path, name.taken_at, name.reason, path.stat().st_size, counts_of(path))


def counts_of(path: Path) -> dict[str, int] | None:
    """Rows per kind of record (Chinese labels) in the database file ``path``; None when
    SQLite cannot read it."""
    try:
        with closing(open_readonly(path)) as conn:
            return labelled(table_row_counts(conn))
    except sqlite3.Error:
        return None


def backup_files(db_path: Path) -> list[tuple[Path, datetime, str]]:
    folder = backups_folder(db_path)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        name = parse_backup_name(path.name)
        if name is not None and name.stem == Path(db_path).stem and path.is_file() and not path.is_symlink():
            found.append((path, name.taken_at, name.reason))
    return sorted(found, key=lambda f: (f[1], f[0].name), reverse=True)


def list_backups(db_path: Path) -> list[BackupInfo]:
    """The backups of ``db_path`` in its ``backups/`` folder, newest first."""
    return [info for path, _w, _r in backup_files(db_path) if (info := backup_info(path)) is not None]


def newest_good_backup(db_path: Path) -> BackupInfo | None:
    """The newest backup that passes quick_check and that this version can open."""
    return next((b for b in list_backups(db_path) if b.readable and usable_backup(b.path) is None), None)
