"""The window's data safety: 文件 → 备份/恢复 connected; the start-up check beside the shown
window holds editing until it passes (then today's backup), hands a damaged database to the
recovery dialog without writing to it, offers to move a database off a USB stick, and a
switched database is opened at the next start."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
import threading
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QApplication

from backup_helpers import add_members, damage
from conftest import TOWNSHIP
from dangjian_desktop import app as app_module
from dangjian_desktop.services import backup_service as B
from dangjian_desktop.services.startup_check import startup_check
from dangjian_desktop.services.store import Store
from dangjian_desktop.services.unit_service import init_unit
from dangjian_desktop.storage.drives import DriveKind
from dangjian_desktop.ui.backup_dialog import BackupDialog
from dangjian_desktop.ui.main_window import MainWindow
from dangjian_desktop.ui.startup_guard import StartupGuard, remember_db_path, remembered_db_path
from ui_helpers import boxes, ctx  # noqa: F401 - fixtures


def local(_path) -> DriveKind:
    return DriveKind.LOCAL


def members_in(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT count(*) FROM members").fetchone()[0]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def click_in_next_modal(label: str) -> list[str]:
    """Click the button ``label`` of the next modal dialog once its event loop runs."""
    clicked: list[str] = []

    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        buttons = {b.text(): b for b in dialog.findChildren(QAbstractButton)} if dialog is not None else {}
        if label not in buttons:
            QTimer.singleShot(10, attempt)
            return
        clicked.append(dialog.windowTitle())
        buttons[label].click()

    QTimer.singleShot(0, attempt)
    return clicked


@pytest.fixture
def window(ctx, qtbot):
    add_members(ctx.store, 300)  # enough pages to damage
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.members.model.is_loaded and "逾期" in w.overdue_label.text())  # its start's reads done
    return w


def writing_entries(window) -> dict[str, bool]:  # noqa: ANN001
    return {n: window.findChild(QAction, n).isEnabled() for n in
            ("action_new", "action_delete", "action_backup", "action_restore", "action_export_package")}


def test_backup_entries_open_the_backup_dialog_and_a_restore_refreshes(window, qtbot, monkeypatch):
    refreshed: list[bool] = []
    monkeypatch.setattr(window, "refresh_all", lambda: refreshed.append(True))
    backup = window.findChild(QAction, "action_backup")
    assert backup.isEnabled() and backup in window.menus["file"].actions()
    backup.trigger()
    dialog = window.findChild(BackupDialog)
    assert dialog is not None and dialog.isVisible() and dialog.service.db is window.ctx.store.db
    dialog.backup_button.click()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    assert dialog.model.row_at(0).reason == "manual"
    dialog.restored.emit(str(window.ctx.store.path))
    assert refreshed == [True]
    with qtbot.waitSignal(window.data_actions.switch_requested) as switched:
        dialog.restored.emit(str(window.ctx.store.path.with_name("test-restored.db")))
    assert switched.args == [str(window.ctx.store.path.with_name("test-restored.db"))] and refreshed == [True]
    dialog.close()


def test_editing_is_held_until_the_check_passes_then_todays_backup(window, qtbot):
    release = threading.Event()

    def slow_check(path):
        release.wait(10)
        return startup_check(path, drive_of=local)

    before = writing_entries(window)
    assert all(before.values())
    guard = StartupGuard(window, check=slow_check, after_start_ms=0)
    guard.start()
    assert guard.state == "checking" and not window.tabs.isEnabled()
    assert not any(writing_entries(window).values())
    assert window.data_actions.note == "正在检查数据库…"
    window.action_new.trigger()  # Ctrl+N does nothing meanwhile
    assert QApplication.activeModalWidget() is None
    with qtbot.waitSignal(window.data_actions.review_label.refreshed, timeout=10_000):  # the district's verdict
        release.set()
    assert guard.state == "passed"
    assert writing_entries(window) == before and window.tabs.isEnabled()
    assert window.data_actions.note in ("数据库检查通过", "") or window.data_actions.note.startswith("今天的自动备份")
    qtbot.waitUntil(lambda: guard.daily_result is not None, timeout=10_000)
    assert guard.daily_result.reason == "daily" and guard.daily_result.path.is_file()
    assert window.data_actions.note.startswith("今天的自动备份已完成")
    assert guard.next_path is None and guard.exit_code == 0


def test_the_check_can_wait_for_the_first_rows_and_editing_is_held_meanwhile(window, qtbot, monkeypatch):
    from dangjian_desktop.ui import startup_guard as guard_module

    monkeypatch.setattr(guard_module, "LAUNCH_LATEST_MS", 60_000)
    checked: list[Path] = []

    def check(path):
        checked.append(path)
        return startup_check(path, drive_of=local)

    guard = StartupGuard(window, check=check, after_start_ms=60_000)
    guard.start(after=window.members.first_painted)
    assert guard.state == "checking" and not window.tabs.isEnabled() and checked == []
    qtbot.wait(50)
    assert checked == []  # not before the signal
    window.members.first_painted.emit()
    qtbot.waitUntil(lambda: guard.state == "passed", timeout=10_000)
    window.members.first_painted.emit()  # a second emit starts no second check
    qtbot.wait(50)
    assert checked == [window.ctx.store.path] and window.tabs.isEnabled()


def test_the_check_starts_anyway_if_the_first_rows_never_come(window, qtbot, monkeypatch):
    from dangjian_desktop.ui import startup_guard as guard_module

    monkeypatch.setattr(guard_module, "LAUNCH_LATEST_MS", 30)
    guard = StartupGuard(window, check=lambda p: startup_check(p, drive_of=local), after_start_ms=60_000)
    guard.start(after=window.members.first_painted)
    qtbot.waitUntil(lambda: guard.state == "passed", timeout=10_000)
    assert window.tabs.isEnabled()


def test_a_damaged_database_goes_to_the_recovery_dialog_untouched(window, ctx, qtbot, boxes):
    path = ctx.store.path
    good = B.make_backup(path, "daily")  # 300 members
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the pages into the main file, to damage them
    add_members(ctx.store, 50, batch=1)  # these stay in the -wal: it must not be folded into the damage
    damage(path)
    damaged_bytes = digest(path)
    wal = path.with_name(path.name + "-wal")
    wal_bytes = digest(wal) if wal.exists() else None
    clicked = click_in_next_modal("用这个备份恢复(&R)")
    guard = StartupGuard(window, check=lambda p: startup_check(p, drive_of=local))
    with qtbot.waitSignal(guard.finished, timeout=20_000) as finished:
        guard.start()
    assert finished.args == [0]
    assert clicked == ["数据库已损坏 — 党建台账"] and guard.state == "damaged"
    assert not window.isVisible() and not window.action_new.isEnabled()  # editing never came back
    assert guard.next_path == path and members_in(path) == 300
    kept = next((path.parent / "damaged").iterdir())
    assert digest(kept / path.name) == damaged_bytes  # nothing was written to it before it was kept
    if wal_bytes is not None:
        assert digest(kept / wal.name) == wal_bytes
    assert "已从备份" in boxes.texts("information")[-1] and good.path.name in boxes.texts("information")[-1]
    assert remembered_db_path(ctx.settings) is None  # the same file: nothing to remember


def test_a_database_on_a_usb_stick_is_moved_and_remembered(window, ctx, qtbot, boxes, tmp_path):
    clicked = click_in_next_modal("迁移到本机(&M)")
    guard = StartupGuard(window, local_dir=tmp_path / "local", drive_of=lambda p: DriveKind.REMOVABLE)
    with qtbot.waitSignal(guard.finished, timeout=20_000) as finished:
        guard.start()
    assert finished.args == [0]
    moved = tmp_path / "local" / "test.db"
    assert clicked and guard.state == "risky" and guard.next_path == moved and members_in(moved) == 300
    assert "原文件" in boxes.texts("information")[-1]
    assert remembered_db_path(ctx.settings) == moved.resolve()
    assert ctx.store.path.exists()  # the old file stays where it was


def test_quitting_at_the_usb_warning_quits(window, qtbot, tmp_path):
    click_in_next_modal("退出(&Q)")
    guard = StartupGuard(window, local_dir=tmp_path / "local", drive_of=lambda p: DriveKind.NETWORK)
    with qtbot.waitSignal(guard.finished, timeout=20_000) as finished:
        guard.start()
    assert finished.args == [1] and guard.exit_code == 1
    assert guard.next_path is None and not (tmp_path / "local").exists()


@pytest.fixture
def isolated(tmp_path, monkeypatch, qapp):
    """run_gui with its files in tmp_path and without entering the event loop."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(app_module, "log_dir", lambda: tmp_path / "logs")
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    monkeypatch.setattr(app_module, "_settings", lambda: settings)
    monkeypatch.setattr(app_module, "default_db_path", lambda: tmp_path / "default.db")
    monkeypatch.setattr(QApplication, "exec", lambda *a: 0)
    opened: list[Path] = []
    monkeypatch.setattr(MainWindow, "show_first", lambda self: opened.append(self.ctx.store.path))
    return settings, opened


def test_the_next_start_opens_the_remembered_database(isolated, tmp_path):
    settings, opened = isolated
    moved = tmp_path / "local" / "moved.db"
    moved.parent.mkdir()
    with Store.open(moved) as s:
        init_unit(s, TOWNSHIP)
    remember_db_path(settings, moved)
    assert app_module.run_gui(None) == 0
    assert opened == [moved.resolve()] and not (tmp_path / "default.db").exists()
    other = tmp_path / "other.db"
    with Store.open(other) as s:
        init_unit(s, TOWNSHIP)
    assert app_module.run_gui(other) == 0 and opened[-1] == other  # --db still wins


def test_a_destroyed_header_is_restored_into_a_new_file_and_remembered(isolated, tmp_path, boxes):
    settings, opened = isolated
    db = tmp_path / "default.db"
    with Store.open(db) as s:
        init_unit(s, TOWNSHIP)
        add_members(s, 40)
    B.make_backup(db, "daily")
    with db.open("r+b") as f:
        f.write(os.urandom(100))  # the header is gone: SQLite cannot open the file at all
    db.with_name("default.db-wal").write_bytes(b"old wal")  # a side file: restored into a new file beside
    click_in_next_modal("用这个备份恢复(&R)")
    assert app_module.run_gui(None) == 0
    assert len(opened) == 1 and opened[0] != db and members_in(opened[0]) == 40
    assert remembered_db_path(settings) == opened[0].resolve()
    assert db.exists()  # the damaged file stays, beside its byte copy in damaged/
    assert any("文件头已损坏" in t for t in boxes.texts("information"))
    assert boxes.texts("critical") == []
