"""Start-up safety without a slow start: the window shows at once with editing held (status bar
正在检查数据库…) while ``PRAGMA quick_check`` and the drive check run in a worker — SQLite's C
code releases the GIL, so the check overlaps the window's own start.

* Passed: editing is released; a little later (once the first rows are on screen) today's
  automatic backup (``daily_backup``) runs in a worker and, at a township, the district's latest
  verdict is read for the status bar.
* Damaged: the window goes, the store is closed (nothing more is written to the file) and the
  recovery dialog offers the newest good backup; after a restore the program reopens.
* On a removable drive or a network share: the warning is shown once with the offer to move
  the database to this computer; editing stays held until then.

A database the program switched to (after a move, or a restore whose old file had a destroyed
header) is remembered in the window settings and opened at the next start when no ``--db`` is
given. ``app.run_gui`` ends the event loop on ``finished`` and reopens whatever ``next_path`` names;
``recover_unopenable`` is the same recovery for a file ``Store.open`` refused outright.

The services are imported where they are used (the check in its worker): importing them, with
SQLAlchemy and Alembic, before the first rows are painted would slow the start down.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QSettings, QTimer, Signal, SignalInstance
from PySide6.QtWidgets import QDialog

if TYPE_CHECKING:
    from ..services.backup_service import BackupInfo
    from ..services.startup_check import StartupCheck
    from .main_window import MainWindow
    from .workers import Workers

DB_PATH_KEY = "database/path"
EXIT_QUIT = 1  # the clerk chose to quit rather than restore or move
AFTER_START_MS = 3000  # the daily backup and the verdict wait this long after the check passed
LAUNCH_LATEST_MS = 1000  # the check starts with the first rows on screen, or after this long


def check_database(path: Path, local_dir: Path | None = None, drive_of: Callable | None = None) -> StartupCheck:
    """``PRAGMA quick_check`` and the drive (runs in a worker)."""
    from ..services.startup_check import startup_check

    return startup_check(path, local_dir, drive_of)


def backup_today(path: Path) -> BackupInfo | None:
    """Today's ``daily`` backup if there is none yet (runs in a worker)."""
    from ..services.backup_service import daily_backup

    return daily_backup(path)


def _tr(text: str) -> str:
    return QCoreApplication.translate("StartupGuard", text)


def remembered_db_path(settings: QSettings) -> Path | None:
    """The database the program last switched to, if it still exists."""
    value = settings.value(DB_PATH_KEY, "")
    path = Path(str(value)) if value else None
    return path if path is not None and path.is_file() else None


def remember_db_path(settings: QSettings, path: Path) -> None:
    settings.setValue(DB_PATH_KEY, str(Path(path).resolve()))
    settings.sync()


def _hold_wal(path: Path) -> sqlite3.Connection | None:
    """A read-only connection that has looked into the file: while it is open, closing the
    program's connections is not "the last close", which would fold the ``-wal`` into the
    damaged file. Read-only, it never writes when it closes itself."""
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
    except sqlite3.Error:
        pass  # too damaged to read even that: nothing to protect the WAL with
    return conn


def _recover(check: StartupCheck, workers: Workers | None) -> Path | None:
    """The recovery dialog for a damaged database: the restored file, or None to quit."""
    from ..services.backup_service import BackupService
    from .recovery_dialog import RecoveryDialog

    dialog = RecoveryDialog(check, BackupService(check.db_path), None, workers)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    restored = dialog.result_path
    dialog.deleteLater()
    return restored if accepted else None


def recover_unopenable(path: Path, workers: Workers | None = None,
                       settings: QSettings | None = None) -> Path | int | None:
    """``Store.open`` refused ``path``: if the file is damaged, offer a backup. The file to open
    instead, ``EXIT_QUIT`` when the clerk quit, None when the file is not damaged (say why)."""
    check = check_database(path)
    if not check.damaged:
        return None
    restored = _recover(check, workers)
    if restored is None:
        return EXIT_QUIT
    if settings is not None and Path(restored).resolve() != Path(path).resolve():
        remember_db_path(settings, restored)
    return restored


class StartupGuard(QObject):
    """Checks the open database beside the shown window; see the module's docstring."""

    finished = Signal(int)  # the window is done with: end the event loop with this code (app.exit)

    def __init__(self, window: MainWindow, *, check: Callable[[Path], StartupCheck] | None = None,
                 daily: Callable[[Path], BackupInfo | None] = backup_today, local_dir: Path | None = None,
                 drive_of: Callable | None = None, after_start_ms: int = AFTER_START_MS) -> None:
        # drive_of: Path → storage.drives.DriveKind (tests pretend a USB stick)
        super().__init__(window)
        self.window = window
        self.ctx = window.ctx
        self.check = check or (lambda path: check_database(path, local_dir, drive_of))
        self.daily = daily
        self.after_start_ms = after_start_ms
        self.state = "new"  # → checking → passed / damaged / risky / failed
        self.next_path: Path | None = None  # the database to open instead, once the loop returns
        self.exit_code = 0
        self.daily_result: BackupInfo | None = None
        self._stopped = False
        self._launched = False
        window.data_actions.switch_requested.connect(lambda path: self.switch_to(Path(path)))

    def start(self, after: SignalInstance | None = None) -> None:
        """Hold editing now and check the database — at once, or once ``after`` is emitted (the
        first rows on screen: the check reads the whole file and should not slow the first
        paint on a PC with few cores), at the latest ``LAUNCH_LATEST_MS`` from now."""
        self.state = "checking"
        self.window.data_actions.hold_editing(_tr("正在检查数据库…"))
        if after is None:
            self._launch()
        else:
            after.connect(self._launch)
            QTimer.singleShot(LAUNCH_LATEST_MS, self, self._launch)

    def _launch(self) -> None:
        if self._launched or self._stopped:
            return
        self._launched = True
        path, check = self.ctx.store.path, self.check
        self.ctx.workers.call(lambda: check(path), on_result=self._checked, on_error=self._check_failed,
                              background=True)  # read-only: closing the window need not ask

    def stop(self) -> None:
        """The program is closing (or reopening): results still on their way are ignored."""
        self._stopped = True

    def _checked(self, check: StartupCheck) -> None:
        if self._stopped:
            return
        if check.damaged:
            self.state = "damaged"
            self.window.data_actions.hold_editing(_tr("数据库已损坏"))
            QTimer.singleShot(0, self, lambda: self._damaged(check))  # once the check's task has ended
        elif check.location_warning is not None:
            self.state = "risky"
            self.window.data_actions.hold_editing(_tr("数据库位置不安全，暂不能修改"))
            QTimer.singleShot(0, self, lambda: self._risky(check))
        else:
            self.state = "passed"
            self.window.data_actions.release_editing()
            self.window.data_actions.flash(_tr("数据库检查通过"))
            QTimer.singleShot(self.after_start_ms, self, self._after_start)

    def _after_start(self) -> None:
        if self._stopped:
            return
        if not self.ctx.unit.is_district:
            self.window.data_actions.review_label.refresh()  # the district's latest verdict
        path, daily = self.ctx.store.path, self.daily
        self.ctx.workers.call(lambda: daily(path), on_result=self._backed_up, on_error=self._backup_failed)

    def _check_failed(self, exc: BaseException) -> None:
        if self._stopped:
            return
        self.state = "failed"
        self.window.data_actions.hold_editing(_tr("数据库检查未完成，暂不能修改；请重新启动程序"))
        self.ctx.show_error(self.window, exc, _tr("无法检查数据库"))

    def _damaged(self, check: StartupCheck) -> None:
        if self._stopped:
            return
        self.window.hide()
        self.ctx.workers.wait()  # the tabs' reads end before the file is let go
        holder = _hold_wal(self.ctx.store.path)
        try:
            self.ctx.store.close()  # nothing more is written to the damaged file
            restored = _recover(check, self.ctx.workers)  # keeps file and -wal aside first
        finally:
            if holder is not None:
                holder.close()
        if restored is None:
            self.quit(EXIT_QUIT)
        else:
            self.switch_to(restored)

    def _risky(self, check: StartupCheck) -> None:
        from .recovery_dialog import ask_to_move

        if self._stopped:
            return
        moved = ask_to_move(check, self.window)
        if moved is None:
            self.quit(EXIT_QUIT)
        else:
            self.switch_to(moved)

    def switch_to(self, path: Path) -> None:
        """Reopen the program on ``path`` (a restored or moved database); another file than the
        one open now is remembered for the next start."""
        self.next_path = Path(path)
        if self.next_path.resolve() != self.ctx.store.path.resolve():
            remember_db_path(self.ctx.settings, self.next_path)
        self.quit(0)

    def quit(self, code: int) -> None:
        self.exit_code = code
        self._stopped = True
        if self.window.isVisible():
            self.window.save_settings()
            self.window.hide()
        self.finished.emit(code)

    def _backed_up(self, info: BackupInfo | None) -> None:
        self.daily_result = info
        if info is not None and not self._stopped:
            self.window.data_actions.flash(_tr("今天的自动备份已完成（{time:%H:%M}）").format(time=datetime.now()))

    def _backup_failed(self, exc: BaseException) -> None:
        if not self._stopped:
            self.ctx.show_error(self.window, exc, _tr("自动备份没有完成"))
