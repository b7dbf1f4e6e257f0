"""app.run_gui up to the window: a second copy is refused, the first-run dialog sets up the
unit, --demo writes the demo off the GUI thread; nothing touches the real data directory."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QDialog

from conftest import TOWNSHIP
from dangjian_desktop import app as app_module
from dangjian_desktop.services.progress import Progress
from dangjian_desktop.services.store import Store
from dangjian_desktop.ui.first_run import FirstRunDialog
from dangjian_desktop.instance_lock import InstanceLock
from dangjian_desktop.ui.main_window import MainWindow
from ui_helpers import boxes  # noqa: F401 - fixture


@pytest.fixture
def isolated(tmp_path, monkeypatch, qapp):
    """run_gui with its files in tmp_path and without entering the event loop."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(app_module, "log_dir", lambda: tmp_path / "logs")
    monkeypatch.setattr(app_module, "_settings",
                        lambda: QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat))
    shown = []
    monkeypatch.setattr(QApplication, "exec", lambda *a: shown.append(True) or 0)
    monkeypatch.setattr(MainWindow, "show_first", lambda self: shown.append(self.windowTitle()))
    return shown


def test_second_copy_is_refused(db_path, isolated, boxes):
    holder = InstanceLock(db_path).acquire()
    try:
        assert app_module.run_gui(db_path) == 1
    finally:
        holder.release()
    (kind, text), = boxes.shown
    assert kind == "critical" and "正在被" in text and "使用" in text
    assert isolated == []


def test_first_run_sets_up_the_unit_then_opens(db_path, isolated, monkeypatch):
    def answer(dialog):
        dialog.unit = TOWNSHIP
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(FirstRunDialog, "exec", answer)
    assert app_module.run_gui(db_path) == 0
    assert isolated[0].startswith("青石镇")
    with Store.open(db_path) as store:
        assert store.unit().code == TOWNSHIP.code
    assert InstanceLock(db_path).acquire().is_locked  # released on the way out


def test_first_run_cancelled_writes_nothing(db_path, isolated, monkeypatch):
    monkeypatch.setattr(FirstRunDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected)
    assert app_module.run_gui(db_path) == 0
    with Store.open(db_path) as store:
        assert store.unit() is None
    assert isolated == []


def test_demo_is_written_off_the_gui_thread(db_path, isolated, monkeypatch):
    import threading

    threads = []

    def tiny_demo(store, scale, seed, today):
        from dangjian_desktop.services.unit_service import init_unit

        threads.append(threading.current_thread() is threading.main_thread())
        yield Progress(0, 1, "演示")
        init_unit(store, TOWNSHIP)
        yield Progress(1, 1, "完成")

    monkeypatch.setattr(app_module, "make_demo", tiny_demo)
    assert app_module.run_gui(db_path, demo=True) == 0
    assert threads == [False]
    assert isolated[0].startswith("青石镇")


def test_an_empty_database_file_is_refused_not_set_up(db_path, isolated, boxes):
    db_path.write_bytes(b"")  # a copy cut short: the window must not make a new database of it
    assert app_module.run_gui(db_path) == 1
    (kind, text), = boxes.shown
    assert kind == "critical" and "0 字节" in text and str(db_path) in text
    assert db_path.stat().st_size == 0 and isolated == []
