"""SQLite failures whose cause lies outside the program: the disk is full, the disk or USB
stick failed, the file became read-only or was moved away, or another program held the
database past the busy timeout.

``outside_failure(exc, path)`` is the Chinese sentence for such an error — what happened, that
nothing of the interrupted step was saved (SQLite rolls a failed transaction back whole; what
was saved before is untouched) and what to do — or None for any other error, which stays a
defect for the crash report. ``Database.write`` raises ``DatabaseWriteError`` (a
``DomainError``) with it, so that a form shows it and stays open with what the clerk typed,
and the command line prints it as its one line; the window's error reporter uses it for a
failed read. Reading needs space too: in WAL mode SQLite makes a small shared-memory file
beside the database when it is opened, and on a full disk even that fails.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..domain.errors import DomainError
from .plain import BUSY_TIMEOUT_MS

_BUSY = (f"正被另一个程序使用，等了 {BUSY_TIMEOUT_MS // 1000} 秒仍未结束", "请稍后再试一次")
_BY_CODE = (  # SQLite's error name (a prefix of it) → what happened, what to do
    ("SQLITE_FULL", "所在的磁盘已满", "请删除不需要的文件腾出空间，然后再试一次"),
    ("SQLITE_IOERR_SHMSIZE", "无法读写：旁边的临时文件写不下（磁盘可能已满）", "请删除不需要的文件腾出空间，然后再试一次"),
    ("SQLITE_IOERR", "读写出错（磁盘可能已满，或磁盘、U盘已拔出或损坏）",
     "请检查磁盘空间和U盘，然后再试一次；如果反复出现，请先备份数据库"),
    ("SQLITE_READONLY", "现在只能读、不能写（文件或文件夹没有写入权限，或磁盘被设为只读）",
     "请检查文件的权限或关掉U盘的写保护，然后重新打开程序"),
    ("SQLITE_CANTOPEN", "无法打开（文件可能已被移走、改名或删除，或U盘已拔出）", "请确认数据库文件还在原处，然后重新打开程序"),
    ("SQLITE_BUSY", *_BUSY),
    ("SQLITE_LOCKED", *_BUSY),
)
NOT_SAVED = "这一步没有保存（之前保存的数据不受影响）"


def moved_away_message(path: Path | str, *, missing: bool) -> str:
    """The database file was deleted, renamed or moved (or replaced by another) while open."""
    what = "已被删除、改名或移走" if missing else "已被换成了另一个文件"
    return (f"数据库文件 {path} 在程序打开之后{what}，{NOT_SAVED}。请不要再做修改：先把原来的文件"
            "放回原处并恢复原名（如从回收站还原），然后关闭并重新打开程序；"
            "如果找不到原来的文件，请重新打开程序后从备份恢复（文件 → 备份/恢复）")


class DatabaseWriteError(DomainError):
    """The database could not be written (full disk, I/O error, read-only, busy); nothing of the
    transaction was saved."""


def _sqlite_error(exc: BaseException) -> sqlite3.Error | None:
    """``exc`` itself, SQLAlchemy's wrapped ``orig``, or a cause in its chain."""
    seen = 0
    while exc is not None and seen < 8:
        if isinstance(exc, sqlite3.Error):
            return exc
        orig = getattr(exc, "orig", None)
        if isinstance(orig, sqlite3.Error):
            return orig
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return None


def outside_failure(exc: BaseException, path: Path | str | None = None, *, step: bool = True) -> str | None:
    """The Chinese sentence for ``exc`` when its cause lies outside the program, else None;
    ``step``: say that the step under way was not saved (not for opening a database)."""
    error = _sqlite_error(exc)
    if not isinstance(error, sqlite3.OperationalError):
        return None
    name = getattr(error, "sqlite_errorname", "") or ""
    for code, what, todo in _BY_CODE:
        if name.startswith(code):
            where = f"数据库 {path} " if path else "数据库"
            return f"{where}{what}，{NOT_SAVED}；{todo}" if step else f"{where}{what}；{todo}"
    return None
