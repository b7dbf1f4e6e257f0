"""Backups as the program takes them, and restoring one.

When: before every import (``backup_before``) and migration (``storage.migrate``), daily on the
first start of a day (``daily_backup``: 7 daily and 12 monthly kept), and by hand (the
``文件 → 备份/恢复`` dialog, ``dangjian-desktop backup``). Every copy goes through SQLite's
online backup API and counts only after ``integrity_check`` and the row counts agree.

Backups live in ``backups/`` beside the database, named ``<name>-<date>-<time>-<reason>.db``
(listed and described by ``backup_catalog``, whose names this module also offers).
Rotation deletes only files of that pattern whose reason is ``daily`` or ``before-import…``;
nothing else in any folder is ever deleted, but for what a failed backup of ours left (the
``.part`` copy's journal, on a full disk).

Restoring refuses a backup of another unit (another 区划代码, or a district's backup over a
township's database, or one without a unit) unless asked (``other_unit``): the command line's
``--other-unit``, the window's confirmation, both after ``unit_mismatch``. Restoring first keeps
the current state (a verified backup, or for a damaged file a byte copy
of it and its ``-wal`` in ``damaged/``), then writes the backup into place through a
connection to the database, verifies it, brings it to the newest schema and records who did
it in the audit log. Moving a database to the local data folder is a verified backup-API copy;
the old file stays where it was.
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.errors import DomainError
from ..storage.backup import (
    BackupError, backup_database, check_file, copy_aside, ensure_unused, open_readonly, parse_backup_name, restore_database,
    table_row_counts, unique_backup_path,
)
from ..storage.database import Database
from ..storage.repositories import AuditLog, audit_for
from .backup_catalog import (  # noqa: F401 - the catalogue's names are also this module's
    COUNT_LABELS, REASON_LABELS, BackupInfo, backup_files, backup_info, counts_of, backups_folder, damaged_folder,
    labelled, list_backups, newest_good_backup, reason_label,
)
from .backup_checks import unit_mismatch, usable_backup
from .backup_output import not_written, remove_partial
from .store import Store, StoreError, check_is_ours, check_writable

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# Alembic (``storage.migrate``) is imported where it is needed: the daily backup at start-up
# does not need it, and importing it would slow the window's start.

KEEP_DAILY_DAYS = 7
KEEP_MONTHS = 12
KEEP_BEFORE_IMPORT = 10

ACTION_BACKUP = "备份"
ACTION_RESTORE = "恢复"
ACTION_MOVE = "迁移"



class BackupServiceError(DomainError):
    """A backup, restore or move was refused or failed; nothing was changed."""


class OtherUnitError(BackupServiceError):
    """The backup belongs to another unit than the database (or to none); nothing was changed."""


@dataclass(frozen=True)
class RestoreResult:
    db_path: Path  # the restored database: the same file, or a new one beside it (switch to it)
    backup: Path
    kept: Path | None  # the state before restoring: a backup file or a ``damaged/`` folder
    counts: dict[str, int]
    target: Path  # the database that was to be restored


def _audit(db: Database, action: str, detail: str, operator: str | None) -> None:
    with db.write() as s:
        log = audit_for(s) if operator is None else AuditLog(s, operator)
        log.event(action, "database", detail)


def _audit_file(db_path: Path, action: str, detail: str, operator: str | None) -> None:
    with Database(db_path) as db:
        _audit(db, action, detail, operator)


def make_backup(db_path: Path, reason: str = "manual", operator: str | None = None,
                when: datetime | None = None, db: Database | None = None, dest: Path | None = None,
                audit_into: Session | None = None) -> BackupInfo:
    """A verified backup of ``db_path`` (into its ``backups/`` folder unless ``dest`` is given),
    recorded in the audit log (inside ``audit_into``, the caller's open write transaction, if given).
    ``operator`` None: the operator named in the database's settings.
    """
    db_path = Path(db_path)
    if not db_path.is_file():
        raise BackupServiceError(f"数据库文件 {db_path} 不存在")
    try:
        check_writable(db_path)  # SQLite cannot open it there: never call that damage
        check_is_ours(db_path)  # nothing of ours to back up, nor a settings table for the audit line
    except StoreError as exc:
        raise BackupServiceError(exc.message) from exc
    dest = dest or unique_backup_path(backups_folder(db_path), db_path, reason, when)
    try:
        backup_database(db_path, dest)
        detail = f"{reason_label(reason)}备份：{dest}"
        if audit_into is not None:
            audit_for(audit_into).event(ACTION_BACKUP, "database", detail)
        elif db is not None:
            _audit(db, ACTION_BACKUP, detail, operator)
        else:
            _audit_file(db_path, ACTION_BACKUP, detail, operator)
    except BackupError as exc:
        remove_partial(dest)
        ok, detail = check_file(db_path)
        if not ok:
            raise BackupServiceError(f"数据库 {db_path} 无法备份：文件已损坏，或者不是数据库文件（{detail}）。"
                                     "如果选错了文件，请指定党建台账的数据库；如果它就是本单位的数据库，"
                                     "请从备份恢复（restore）") from exc
        raise BackupServiceError(not_written(dest, exc) or str(exc)) from exc
    info = backup_info(dest)
    if info is None:  # a name of the clerk's choosing (--out)
        with closing(open_readonly(dest)) as conn:
            counts = labelled(table_row_counts(conn))
        info = BackupInfo(dest, when or datetime.now(), reason, dest.stat().st_size, counts)
    return info


def _slug(reason: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-") or "other"


def backup_before(store: Store, reason: str = "import", session: Session | None = None) -> BackupInfo:
    """What an importer calls before it writes: a verified backup named ``before-<reason>``.

    An importer already inside its write transaction passes its ``session``: the copy reads the
    state before the import through its own connection (WAL readers are not blocked) and the
    audit line commits with the import, so a refused import leaves no trace in the database.
    """
    info = make_backup(store.path, f"before-{_slug(reason)}", db=store.db, audit_into=session)
    rotate(store.path, just_made=info.path)
    return info


def daily_backup(db_path: Path, now: datetime | None = None, operator: str | None = None) -> BackupInfo | None:
    """On the first start of a day: a ``daily`` backup, then rotation. None if one exists already."""
    now = now or datetime.now()
    db_path = Path(db_path)
    if not db_path.is_file() or db_path.stat().st_size == 0:
        return None
    if any(r == "daily" and w.date() == now.date() for _p, w, r in backup_files(db_path)):
        return None
    info = make_backup(db_path, "daily", operator, now)
    rotate(db_path, just_made=info.path)
    return info


def rotate(db_path: Path, just_made: Path | None = None) -> list[Path]:
    """Delete old ``daily`` and ``before-import`` backups beyond what is kept; returns them.

    Which are newest is read from the names, i.e. from the computer's clock. ``just_made`` is
    never deleted: on a PC whose clock has fallen back (a flat CMOS battery after a power cut
    sets it to a year long past) the backup just taken would otherwise look oldest and be
    deleted at once, every day, while the clerk is told it was made."""
    keep: set[Path] = {just_made} if just_made is not None else set()
    days: set[object] = set()
    months: set[object] = set()
    imports = 0
    doomed: list[Path] = []
    for path, when, reason in backup_files(db_path):  # newest first
        if reason == "daily":
            for seen, key, limit in ((days, when.date(), KEEP_DAILY_DAYS), (months, (when.year, when.month), KEEP_MONTHS)):
                if key not in seen and len(seen) < limit:
                    seen.add(key)
                    keep.add(path)
        elif reason.startswith("before-import"):
            imports += 1
            if imports <= KEEP_BEFORE_IMPORT:
                keep.add(path)
        else:
            continue  # manual, before-migrate, before-restore, before-move: kept for good
        if path not in keep:
            doomed.append(path)
    deleted = []
    for path in doomed:
        try:
            path.unlink()
            deleted.append(path)
        except OSError:
            pass  # left for the next rotation
    return deleted


def _operator_in(db_path: Path) -> str:
    try:
        with closing(open_readonly(db_path)) as conn:
            row = conn.execute("SELECT value FROM settings WHERE key='operator'").fetchone()
    except sqlite3.Error:
        return ""
    return row[0] if row else ""


def _keep_current(db_path: Path, when: datetime, healthy: bool) -> Path | None:
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    if healthy:
        dest = unique_backup_path(backups_folder(db_path), db_path, "before-restore", when)
        return backup_database(db_path, dest).path
    folder = damaged_folder(db_path) / f"{db_path.stem}-{when:%Y%m%d-%H%M%S}"
    n = 1
    while folder.exists():
        n += 1
        folder = folder.with_name(f"{db_path.stem}-{when:%Y%m%d-%H%M%S}.{n}")
    return copy_aside(db_path, folder)


def restore_backup(db_path: Path, backup: Path, operator: str | None = None, db: Database | None = None,
                   when: datetime | None = None, other_unit: bool = False) -> RestoreResult:
    """Put ``backup`` in place of ``db_path``, after keeping the current state. A backup of
    another unit (``unit_mismatch``) raises ``OtherUnitError`` unless ``other_unit``.

    ``db`` is the program's open database on ``db_path``, if any: its connections are closed
    first and it reopens them on next use. ``operator`` None: the name in the current settings.
    """
    from ..storage import migrate

    db_path, backup, when = Path(db_path), Path(backup), when or datetime.now()
    if db_path.exists() and backup.exists() and db_path.samefile(backup):  # SQLite would wait for itself
        raise BackupServiceError(f"{backup} 就是要恢复的数据库本身，不是备份；请选择 backups 文件夹中的备份文件")
    why_not = usable_backup(backup)
    if why_not is not None:
        raise BackupServiceError(why_not)
    mismatch = None if other_unit else unit_mismatch(db_path, backup)
    if mismatch is not None:
        raise OtherUnitError(f"{mismatch}，未恢复")
    operator = operator if operator is not None else (_operator_in(db_path) or _operator_in(backup))
    if db is not None:
        db.engine.dispose()
    try:
        healthy = db_path.is_file() and db_path.stat().st_size > 0 and check_file(db_path)[0]
        if healthy:  # a damaged file is only read until it has been copied aside
            ensure_unused(db_path)  # before keeping the current state: a refusal leaves nothing behind
        kept = _keep_current(db_path, when, healthy)
        outcome = restore_database(backup, db_path, when, exclusive=healthy)
        target = db if db is not None and outcome.path == db.path else Database(outcome.path)
        if db is not None and target is db:
            db.adopt_file()  # a header destroyed beyond repair: the restored copy replaced the file
        try:
            migrate.upgrade(target)
            note = f"，恢复前的数据保存在 {kept}" if kept else ""
            taken = parse_backup_name(backup.name)
            stamp = f"（{taken.taken_at:%Y-%m-%d %H:%M}）" if taken else ""
            _audit(target, ACTION_RESTORE, f"从备份 {backup.name}{stamp}恢复{note}", operator)
        finally:
            if target is not db:
                target.close()
    except (BackupError, migrate.MigrationError) as exc:
        raise BackupServiceError(str(exc)) from exc
    return RestoreResult(outcome.path, backup, kept, labelled(outcome.row_counts), db_path)


def move_database(src: Path, dest_dir: Path, operator: str | None = None) -> Path:
    """Copy ``src`` into ``dest_dir`` with the backup API and verify it; ``src`` stays as it is.

    Returns the new file (``<name>.db``, or ``<name>-2.db`` … when that name is taken).
    """
    src, dest_dir = Path(src), Path(dest_dir)
    dest = dest_dir / src.name
    n = 1
    while dest.exists() or dest.with_name(dest.name + "-wal").exists():
        n += 1
        dest = dest_dir / f"{src.stem}-{n}{src.suffix}"
    if dest.resolve() == src.resolve():
        raise BackupServiceError(f"数据库 {src} 已在文件夹 {dest_dir} 中")
    try:
        backup_database(src, dest)
        _audit_file(dest, ACTION_MOVE, f"数据库从 {src} 复制到 {dest}，原文件保留未动", operator)
    except BackupError as exc:
        raise BackupServiceError(str(exc)) from exc
    return dest


class BackupService:
    """The backups of one database, for the window (which may not reach storage itself)."""

    def __init__(self, db_path: Path, operator: str | None = None, db: Database | None = None) -> None:
        self.db_path = Path(db_path)
        self.operator = operator
        self.db = db

    @classmethod
    def for_store(cls, store: Store) -> "BackupService":
        return cls(store.path, None, store.db)  # operator: read from the settings each time

    @property
    def folder(self) -> Path:
        return backups_folder(self.db_path)

    def list(self) -> list[BackupInfo]:
        return list_backups(self.db_path)

    def newest_good(self) -> BackupInfo | None:
        return newest_good_backup(self.db_path)

    def make_now(self) -> BackupInfo:
        return make_backup(self.db_path, "manual", self.operator, db=self.db)

    def check(self, backup: Path) -> str | None:
        return usable_backup(backup)

    def describe(self, backup: Path) -> BackupInfo:
        """What a backup file holds, also for a file not named by this program."""
        info = backup_info(backup)
        if info is not None:
            return info
        stat = backup.stat()
        return BackupInfo(backup, datetime.fromtimestamp(stat.st_mtime), "other", stat.st_size, counts_of(backup))

    def unit_mismatch(self, backup: Path) -> str | None:
        return unit_mismatch(self.db_path, backup)

    def restore(self, backup: Path, other_unit: bool = False) -> RestoreResult:
        result = restore_backup(self.db_path, backup, self.operator, self.db, other_unit=other_unit)
        self.db_path = result.db_path
        if self.db is not None and result.db_path != self.db.path:
            self.db = None
        return result
