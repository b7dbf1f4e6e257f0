"""One writer per database: a ``QLockFile`` beside the database file (``<db>.lock``).

The window holds it while it is open, and so does every command of the command line that
writes to or replaces the database (``cli/common.py`` ``holding_database``): a second window,
or such a command while the window is open, is refused with a message naming the computer and
process that hold the file. Commands that only read take no lock and run alongside.

A lock left behind by a copy that crashed (or was killed) is recovered by Qt, which checks
whether the process recorded in the lock is still running on this computer. The stale time is
0 on purpose: Qt's default (30 s) would let a second copy steal the lock of a copy that has
simply been open for more than 30 seconds.

It lives beside ``app.py`` rather than in ``ui/``: the window and the command line share it.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from PySide6.QtCore import QLockFile

from .domain.errors import DomainError


class DatabaseInUseError(DomainError):
    pass


def lock_path(db_path: Path) -> Path:
    db_path = Path(db_path).resolve()
    return db_path.with_name(db_path.name + ".lock")


class InstanceLock:
    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        self.path = lock_path(self.db_path)
        self._lock = QLockFile(str(self.path))
        self._lock.setStaleLockTime(0)

    def acquire(self, command: str | None = None) -> "InstanceLock":
        """Take the lock or raise ``DatabaseInUseError`` saying who holds it. ``command``: the
        command line's command asking for it (None: the window)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self._lock.tryLock(100):
            return self
        if self._lock.error() == QLockFile.LockError.LockFailedError:
            info = self._lock.getLockInfo()  # PySide6: (pid, hostname, appname)
            pid, host, _app = info if isinstance(info, tuple) and len(info) == 3 else (0, "", "")
            if command is not None:
                where = f"（计算机“{host}”上的进程号 {pid}）" if pid else ""
                raise DatabaseInUseError(
                    f"数据库 {self.db_path} 正在被另一个窗口或命令使用{where}，"
                    f"请先关闭那个窗口或等那个命令结束，再运行 {command}")
            who = f"计算机“{host}”上另一个打开的党建台账（进程号 {pid}）" if pid else "另一个正在运行的党建台账"
            raise DatabaseInUseError(
                f"数据库 {self.db_path} 正在被{who}使用。同一个数据库同时只能打开一个窗口，"
                "请切换到已打开的窗口；如果那台电脑上的程序已经关闭，请稍等片刻再试。")
        from .services.store import read_only_message
        from .storage.drives import is_read_only

        if is_read_only(self.db_path):
            raise DatabaseInUseError(read_only_message(self.db_path))
        raise DatabaseInUseError(_why_no_lock(self.path))

    def release(self) -> None:
        self._lock.unlock()

    @property
    def is_locked(self) -> bool:
        return self._lock.isLocked()


def _why_no_lock(path: Path) -> str:
    """Qt does not say why the lock file could not be made: a small file of our own, made and
    removed beside it, finds out (a full disk, no permission…)."""
    from .exchange.output_file import reason

    probe = path.with_name(f"{path.name}.{os.getpid()}.probe")
    what, todo = "原因不明", "请检查数据库所在文件夹的权限和磁盘空间"
    try:
        f = probe.open("xb")
    except OSError as exc:
        what, todo = reason(exc)
    else:
        try:
            with f:
                f.write(b"\0" * 4096)
        except OSError as exc:
            what, todo = reason(exc)
        with contextlib.suppress(OSError):
            probe.unlink()
    return f"无法在 {path.parent} 中创建锁文件（{what}），数据库没有打开；{todo}，然后再打开程序"
