"""The backup dialog and the start-up recovery, clicked through as a clerk would (offscreen)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QAbstractButton, QApplication, QFileDialog, QMessageBox

from backup_helpers import add_members, damage
from dangjian_desktop.services import backup_service as B
from dangjian_desktop.services.startup_check import startup_check
from dangjian_desktop.storage.drives import DriveKind
from dangjian_desktop.ui.backup_dialog import BackupDialog, show_backup_dialog, size_text
from dangjian_desktop.ui.recovery_dialog import RecoveryDialog, resolve_startup
from dangjian_desktop.ui.workers import Workers

NOW = datetime(2026, 11, 26, 9, 30, 0)


def local(_path) -> DriveKind:
    return DriveKind.LOCAL


def members_in(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT count(*) FROM members").fetchone()[0]


@pytest.fixture
def said(monkeypatch) -> list[tuple[str, str]]:
    """Message boxes answered without a screen; what they said is recorded."""
    log: list[tuple[str, str]] = []
    for kind in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, kind, lambda _p, title, text, *a, _k=kind, **kw: log.append((_k, text)))
    return log


def answer(monkeypatch, yes: bool) -> list[str]:
    asked: list[str] = []

    def question(_parent, _title, text, *_a, **_k):
        asked.append(text)
        return QMessageBox.StandardButton.Yes if yes else QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def click_when_shown(*labels: str) -> list[str]:
    """Click the first button named one of ``labels`` in the next modal dialog, once its event
    loop runs. If there is none the dialog is closed (no hang) and the returned list says so."""
    missing: list[str] = []

    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, attempt)
            return
        buttons = {b.text(): b for b in dialog.findChildren(QAbstractButton)}
        found = [buttons[t] for t in labels if t in buttons]
        if found:
            found[0].click()
        else:
            missing.append(f"{labels} not in {list(buttons)}")
            dialog.close()

    QTimer.singleShot(0, attempt)
    return missing


@pytest.fixture
def with_backups(store):
    add_members(store, 20)
    B.make_backup(store.path, "daily", when=NOW - timedelta(days=1))
    add_members(store, 5, batch=1)
    B.make_backup(store.path, "before-import", when=NOW)
    return store


def test_backup_dialog_lists_and_makes_backups(qtbot, qtmodeltester, with_backups, said):
    dialog = BackupDialog(B.BackupService.for_store(with_backups))
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    model = dialog.model
    assert model.rowCount() == 2 and not dialog.empty_label.isVisibleTo(dialog)
    row = [model.index(0, c).data() for c in range(model.columnCount())]
    newest = B.list_backups(with_backups.path)[0]
    assert row[:4] == ["2026-11-26 09:30:00", "导入前", size_text(newest.size), "25"]
    assert row[-1] == newest.path.name
    assert model.headerData(3, Qt.Orientation.Horizontal) == "党员"
    dialog.backup_button.click()
    assert model.rowCount() == 3 and model.row_at(0).reason == "manual"
    assert said == []


def test_restore_selected_after_confirmation(qtbot, with_backups, said, monkeypatch):
    asked = answer(monkeypatch, yes=True)
    add_members(with_backups, 3, batch=2)  # entered after the newest backup
    dialog = BackupDialog(B.BackupService.for_store(with_backups))
    qtbot.addWidget(dialog)
    dialog.table.selectRow(1)  # yesterday's daily backup: 20 members
    with qtbot.waitSignal(dialog.restored) as signal:
        dialog.restore_button.click()
    assert "2026-11-25 09:30" in asked[0] and "党员 20" in asked[0]
    assert signal.args == [str(with_backups.path)]
    assert members_in(with_backups.path) == 20
    assert said[-1][0] == "information" and "恢复前的数据已备份为" in said[-1][1]
    kinds = [b.reason for b in B.list_backups(with_backups.path)]
    assert kinds.count("before-restore") == 1 and dialog.model.rowCount() == 3


def test_backup_and_restore_run_off_the_gui_thread_with_workers(qtbot, with_backups, said, monkeypatch):
    answer(monkeypatch, yes=True)
    workers = Workers()
    dialog = BackupDialog(B.BackupService.for_store(with_backups), workers=workers)
    qtbot.addWidget(dialog)
    dialog.backup_button.click()
    assert not dialog.isEnabled()  # disabled while the backup runs
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 3 and dialog.isEnabled())
    dialog.table.selectRow(2)  # yesterday's daily backup: 20 members
    with qtbot.waitSignal(dialog.restored, timeout=10_000):
        dialog.restore_button.click()
    assert members_in(with_backups.path) == 20 and dialog.isEnabled()
    assert workers.wait(5000)


def test_a_failed_restore_says_why_in_chinese(qtbot, with_backups, said, monkeypatch):
    answer(monkeypatch, yes=True)
    dialog = BackupDialog(B.BackupService.for_store(with_backups))
    qtbot.addWidget(dialog)
    B.list_backups(with_backups.path)[1].path.write_bytes(b"\0" * 4096)  # rotted since it was listed
    dialog.table.selectRow(1)
    dialog.restore_button.click()
    assert said[0][0] == "warning" and "已损坏" in said[0][1] and dialog.isEnabled()
    assert members_in(with_backups.path) == 25


def test_restore_not_confirmed_changes_nothing(qtbot, with_backups, said, monkeypatch):
    answer(monkeypatch, yes=False)
    dialog = BackupDialog(B.BackupService.for_store(with_backups))
    qtbot.addWidget(dialog)
    dialog.table.selectRow(1)
    assert dialog.restore_selected() is None
    assert members_in(with_backups.path) == 25 and said == [] and dialog.model.rowCount() == 2


def test_restore_from_a_file_that_is_no_backup_is_refused(qtbot, with_backups, said, monkeypatch, tmp_path):
    bad = tmp_path / "表格.xlsx"
    bad.write_bytes(b"PK\x03\x04" * 100)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    asked = answer(monkeypatch, yes=True)
    dialog = BackupDialog(B.BackupService.for_store(with_backups))
    qtbot.addWidget(dialog)
    dialog.file_button.click()
    assert asked == [] and said[0][0] == "warning" and "表格.xlsx" in said[0][1]
    assert members_in(with_backups.path) == 25


def test_show_backup_dialog_returns_nothing_when_closed(qtbot, with_backups):
    missing = click_when_shown("关闭", "&Close", "Close")  # Qt's own button: translated in the program only
    assert show_backup_dialog(B.BackupService.for_store(with_backups)) is None
    assert missing == []


@pytest.fixture
def damaged(with_backups) -> Path:
    path = with_backups.path
    add_members(with_backups, 300, batch=3)  # enough pages to damage
    with_backups.close()
    damage(path)
    return path


def test_recovery_dialog_offers_the_newest_good_backup_and_restores_it(qtbot, damaged, said):
    check = startup_check(damaged, drive_of=local)
    dialog = RecoveryDialog(check, B.BackupService(damaged))
    qtbot.addWidget(dialog)
    dialog.show()
    assert "2026-11-26 09:30:00" in dialog.backup_label.text() and "导入前" in dialog.backup_label.text()
    assert dialog.restore_button.isEnabled() and dialog.restore_button.isDefault()
    with qtbot.waitSignal(dialog.accepted):
        dialog.restore_button.click()
    assert dialog.result_path == damaged
    assert not startup_check(damaged, drive_of=local).damaged and members_in(damaged) == 25
    assert (damaged.parent / "damaged").is_dir() and "损坏的原文件已原样保存在" in said[-1][1]


def test_recovery_without_backups_lets_the_clerk_pick_a_file(qtbot, damaged, said, monkeypatch, tmp_path):
    elsewhere = tmp_path / "U盘" / "台账备份.db"
    elsewhere.parent.mkdir()
    newest = B.list_backups(damaged)[0].path
    elsewhere.write_bytes(newest.read_bytes())
    for b in B.list_backups(damaged):
        b.path.rename(tmp_path / b.path.name)  # test setup: move the backups out of reach
    check = startup_check(damaged, drive_of=local)
    assert check.newest_good is None
    dialog = RecoveryDialog(check, B.BackupService(damaged))
    qtbot.addWidget(dialog)
    assert not dialog.restore_button.isEnabled() and "没有找到完好的备份" in dialog.backup_label.text()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(elsewhere), ""))
    dialog.file_button.click()
    assert dialog.restore_button.isEnabled() and "台账备份.db" in dialog.backup_label.text()
    dialog.restore_button.click()
    assert dialog.result_path == damaged and members_in(damaged) == 25


def test_resolve_startup_restores_a_damaged_database(qtbot, damaged, said):
    missing = click_when_shown("用这个备份恢复(&R)")
    assert resolve_startup(damaged, drive_of=local) == damaged
    assert missing == [] and members_in(damaged) == 25


def test_resolve_startup_quitting_writes_nothing(qtbot, damaged, said):
    before = damaged.read_bytes()
    missing = click_when_shown("退出(&Q)")
    assert resolve_startup(damaged, drive_of=local) is None
    assert missing == [] and damaged.read_bytes() == before and not (damaged.parent / "damaged").exists()


def test_resolve_startup_moves_a_database_off_a_usb_stick(qtbot, with_backups, said, tmp_path):
    with_backups.close()
    missing = click_when_shown("迁移到本机(&M)")
    moved = resolve_startup(with_backups.path, local_dir=tmp_path / "local", drive_of=lambda p: DriveKind.REMOVABLE)
    assert missing == [] and moved == tmp_path / "local" / "test.db" and members_in(moved) == 25
    assert with_backups.path.exists() and "原文件" in said[-1][1]
    missing = click_when_shown("退出(&Q)")
    assert resolve_startup(with_backups.path, local_dir=tmp_path / "l2", drive_of=lambda p: DriveKind.NETWORK) is None
    assert missing == [] and not (tmp_path / "l2").exists()


def test_resolve_startup_of_a_healthy_local_database_shows_nothing(qtbot, store, said):
    assert resolve_startup(store.path, drive_of=local) == store.path and said == []


def test_open_backup_folder(qtbot, store, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    dialog = BackupDialog(B.BackupService.for_store(store))
    qtbot.addWidget(dialog)
    assert dialog.empty_label.isVisibleTo(dialog) and not dialog.restore_button.isEnabled()
    dialog.folder_button.click()
    assert opened == [str(store.path.parent / "backups")] and (store.path.parent / "backups").is_dir()


@pytest.fixture
def district_file(tmp_path) -> Path:
    from dangjian_desktop.domain.enums import UnitMode
    from dangjian_desktop.domain.unit import UnitSettings
    from dangjian_desktop.services.store import Store
    from dangjian_desktop.services.unit_service import init_unit

    path = tmp_path / "区里的备份.db"
    with Store.open(path) as s:
        init_unit(s, UnitSettings(UnitMode.DISTRICT, "青川区", "410999000000", "测试员"))
    return path


def unit_code_in(path: Path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT value FROM settings WHERE key = 'unit_code'").fetchone()[0]


@pytest.mark.parametrize("yes", [False, True])
def test_a_backup_of_another_unit_is_restored_only_when_confirmed(qtbot, with_backups, said, monkeypatch,
                                                                  district_file, yes):
    """The same check as ``restore`` on the command line (``unit_mismatch``); the window asks."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(district_file), ""))
    asked = answer(monkeypatch, yes=yes)
    dialog = BackupDialog(B.BackupService.for_store(with_backups))
    qtbot.addWidget(dialog)
    dialog.file_button.click()
    [question] = asked
    assert "青川区" in question and "410999000000" in question and "青石镇" in question and "410999101000" in question
    assert unit_code_in(with_backups.path) == ("410999000000" if yes else "410999101000")
    assert ("恢复前的数据已备份为" in said[-1][1]) if yes else said == []


@pytest.mark.parametrize("yes", [False, True])
def test_the_recovery_dialog_asks_too(qtbot, damaged, said, monkeypatch, yes):
    asked = answer(monkeypatch, yes=yes)
    monkeypatch.setattr(B.BackupService, "unit_mismatch", lambda self, backup: "备份文件属于区“青川区”（410999000000）")
    restored = []
    monkeypatch.setattr(B.BackupService, "restore", lambda self, backup, other_unit=False: restored.append(other_unit))
    monkeypatch.setattr(RecoveryDialog, "_restored", lambda self, result: None)
    dialog = RecoveryDialog(startup_check(damaged, drive_of=local), B.BackupService(damaged))
    qtbot.addWidget(dialog)
    dialog.restore_button.click()
    assert len(asked) == 1 and "青川区" in asked[0]
    assert restored == ([True] if yes else [])
