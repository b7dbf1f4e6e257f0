"""The main window opens on a database and shows the unit and its counts."""

from __future__ import annotations

from dangjian_desktop.services.overview import Overview
from dangjian_desktop.ui.main_window import TAB_TITLES, MainWindow
from conftest import TOWNSHIP


def test_window_shows_unit_and_tabs(qtbot):
    window = MainWindow(TOWNSHIP, Overview({"党员": 12, "党组织": 3}), "/tmp/x.db")
    qtbot.addWidget(window)
    window.show()
    assert "青石镇" in window.windowTitle()
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == list(TAB_TITLES)
    assert "410999101000" in window.statusBar().currentMessage()
    menus = [a.text() for a in window.menuBar().actions()]
    assert [m.split("(")[0] for m in menus] == ["文件", "编辑", "数据交换", "统计", "帮助"]
