"""What the program checks about its database before opening it for writing.

``startup_check`` opens nothing for writing: it runs ``PRAGMA quick_check`` on a read-only
connection and looks at the drive the file lives on. A damaged database comes back with the
newest good backup to offer; a database on a removable drive or a network share comes back
with a warning and the local folder to move it to (``backup_service.move_database``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..paths import data_dir
from ..storage.backup import check_file
from ..storage.drives import DriveKind, drive_kind

if TYPE_CHECKING:  # imported only for a damaged file: the check runs beside the window's start
    from .backup_service import BackupInfo


@dataclass(frozen=True)
class StartupCheck:
    db_path: Path
    exists: bool
    damaged: bool
    detail: str  # what quick_check said ("ok" when fine)
    drive: DriveKind
    newest_good: BackupInfo | None  # looked up only for a damaged database
    local_dir: Path  # where a database on a risky drive should move to

    @property
    def may_open(self) -> bool:
        """The database may be opened for writing."""
        return not self.damaged and not self.drive.is_risky

    @property
    def damage_message(self) -> str | None:
        if not self.damaged:
            return None
        detail = self.detail if len(self.detail) <= 80 else self.detail[:80] + "…"
        return (f"数据库文件 {self.db_path} 已损坏（{detail}）。为防止损坏扩大，程序没有打开它；"
                f"损坏的文件会原样保留。")

    @property
    def location_warning(self) -> str | None:
        if not self.drive.is_risky:
            return None
        if self.drive is DriveKind.REMOVABLE:
            where, risk = "U盘等可移动磁盘", "拔出磁盘或断电"
        else:
            where, risk = "网络共享文件夹", "网络中断或断电"
        return (f"数据库文件 {self.db_path} 位于{where}上：{risk}时数据库可能损坏，"
                f"程序不能在这里使用它。请把它迁移到本机的数据文件夹 {self.local_dir}（原文件保留不动）。")


def startup_check(db_path: Path | str, local_dir: Path | None = None,
                  drive_of: Callable[[Path], DriveKind] | None = None) -> StartupCheck:
    db_path = Path(db_path)
    local_dir = local_dir or data_dir()
    exists = db_path.is_file() and db_path.stat().st_size > 0
    ok, detail = check_file(db_path) if exists else (True, "ok")
    if not ok:
        from .backup_service import newest_good_backup
    return StartupCheck(
        db_path=db_path, exists=exists, damaged=not ok, detail=detail, drive=(drive_of or drive_kind)(db_path),
        newest_good=None if ok else newest_good_backup(db_path), local_dir=local_dir,
    )
