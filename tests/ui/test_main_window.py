"""The shell: title, menus (with the disabled entries other features will connect), tabs,
status bar, shortcuts dispatched to the current tab, about, and remembered geometry."""

from __future__ import annotations

import re
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from dangjian_desktop import __version__
from dangjian_desktop.ui.main_window import PENDING_ACTIONS, TAB_TITLES, MainWindow
from ui_helpers import boxes, ctx, dialogs, small_township  # noqa: F401 - fixtures


@pytest.fixture
def window(ctx, qtbot):
    small_township(ctx.store)
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.members.model.is_loaded)
    return w


def test_title_menus_tabs_and_status(window, qtbot):
    assert window.windowTitle().startswith("青石镇")
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == list(TAB_TITLES)
    menus = [a.text().split("(")[0] for a in window.menuBar().actions()]
    assert menus == ["文件", "编辑", "数据交换", "统计", "帮助"]
    assert window.status_label.text().startswith("在册 3 人")  # not "党员": 在册 holds every stage
    qtbot.waitUntil(lambda: "党员 3 人" in window.status_label.text())  # counted after the first rows
    assert "410999101000" in window.unit_label.text() and "测试员" in window.unit_label.text()
    qtbot.waitUntil(lambda: window.overdue_label.text() != "")  # counted once the first rows are on screen
    assert "逾期未办结代办事项：0 件" in window.overdue_label.text()


def test_the_status_bar_fits_1024_pixels_without_clipping(window, qtbot):
    """On a 1024×768 screen the counts stay whole; the unit and the district's verdict give
    way with “…” (their whole text in the tooltip) instead of being clipped mid-character."""
    from PySide6.QtWidgets import QLabel

    qtbot.waitUntil(lambda: "党员 3 人" in window.status_label.text())
    review = window.data_actions.review_label
    review.setText("区里审核 2025-01：退回修改（" + "党员花名册缺联系电话，请补齐后重新报送；" * 3 + "）")
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024)
    bar = window.statusBar()
    labels = sorted((w for w in bar.findChildren(QLabel) if w.isVisible() and QLabel.text(w)), key=lambda w: w.x())
    assert window.status_label in labels and review in labels
    for label in labels:
        shown = QLabel.text(label)  # what is painted, not the whole text an elided label keeps
        assert label.fontMetrics().horizontalAdvance(shown) <= label.contentsRect().width(), shown
        assert label.geometry().right() <= bar.width()
    for left, right in zip(labels, labels[1:]):
        assert left.geometry().right() < right.geometry().left()
    assert QLabel.text(window.status_label) == window.status_label.text()  # the counts are whole
    assert QLabel.text(review).endswith("…") and "重新报送" in review.text()


def test_pending_features_are_disabled_entries_with_object_names(window):
    for _menu, name, _text in PENDING_ACTIONS:
        action = window.findChild(QAction, name)
        assert action is not None, name
        assert not action.isEnabled()
        assert "即将提供" in action.toolTip()


def test_lazy_tabs_load_when_shown(window, qtbot):
    assert not window.requests.model.is_loaded
    window.tabs.setCurrentWidget(window.requests)
    qtbot.waitUntil(lambda: window.requests.model.is_loaded)
    qtbot.waitUntil(lambda: "代办事项" in window.status_label.text())


def test_ctrl_n_and_ctrl_f_go_to_the_current_tab(window, qtbot, dialogs):
    opened = []
    dialogs.then(lambda d: opened.append(d.windowTitle()) or 0)
    window.action_new.trigger()
    assert opened == ["新增党员"]
    window.action_find.trigger()
    qtbot.waitUntil(lambda: window.members.search.hasFocus())
    assert window.action_new.shortcut().toString() == "Ctrl+N"
    assert window.action_find.shortcut().toString() == "Ctrl+F"


def test_about_shows_the_version(window, boxes):
    window.action_about.trigger()
    assert any(__version__ in text for text in boxes.texts("about"))


def test_about_names_qt_python_and_pyside_plainly_and_logs_the_build(window, boxes):
    import PySide6
    from PySide6.QtCore import QLibraryInfo, qVersion

    window.action_about.trigger()
    text = boxes.texts("about")[-1]
    python = ".".join(str(n) for n in sys.version_info[:3])
    assert f"Qt {qVersion()}" in text and f"Python {python}" in text and f"PySide6 {PySide6.__version__}" in text
    assert QLibraryInfo.build() not in text and "build" not in text  # no compiler text in English
    window.ctx.reporter.close()
    assert QLibraryInfo.build() in window.ctx.reporter.log_path.read_text(encoding="utf-8")  # for the maintainer


def test_geometry_is_remembered(ctx, qtbot):
    first = MainWindow(ctx)
    qtbot.addWidget(first)
    first.show()
    first.resize(first.width(), 456)  # the offscreen screen is only 800 px wide: check the height
    first.close()
    assert ctx.settings.value("window/geometry") is not None
    second = MainWindow(ctx)
    qtbot.addWidget(second)
    assert second.height() == 456


def test_refresh_all_rereads_loaded_tabs(window, ctx, qtbot):
    import factories as F
    from ui_helpers import add_records

    add_records(ctx.store, F.member("新来的"))
    window.action_refresh.trigger()
    assert window.members.model.rowCount() == 4


def test_closing_at_once_does_not_ask_about_the_libraries_loading_behind(ctx, qtbot, boxes):
    small_township(ctx.store)
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.members.model.is_loaded)
    w.members.first_painted.emit()  # as after the first paint: the SQL machinery loads in a worker
    w.close()
    assert boxes.shown == [] and not w.isVisible()
    qtbot.waitUntil(lambda: ctx.workers.running == 0 and w.overdue_label.text() != "")



MNEMONIC = re.compile(r"\(&([A-Z])\)")


def test_every_menu_entry_has_a_mnemonic_of_its_own(window):
    for key, menu in window.menus.items():
        letters = []
        for action in menu.actions():
            if not action.isSeparator():
                found = MNEMONIC.findall(action.text())
                assert len(found) == 1, f"{key}: {action.text()!r} has no mnemonic"
                letters += found
        assert len(set(letters)) == len(letters), f"{key}: {letters}"


def test_the_menus_show_the_keys_without_taking_enter_and_del_from_text_fields(window, qtbot, dialogs):
    assert window.action_edit.text().endswith("\tEnter") and window.action_delete.text().endswith("\tDel")
    assert window.findChild(QAction, "action_backup").shortcut().toString() == "Ctrl+B"
    assert window.action_help.shortcut().toString() == "F1"
    taken = [(a.objectName(), s.toString()) for a in window.findChildren(QAction) for s in a.shortcuts()
             if s.toString() in ("Return", "Enter", "Del") and a.shortcutContext() != Qt.ShortcutContext.WidgetShortcut]
    assert taken == []  # Enter and Delete edit and delete in the table only
    window.members.search.setFocus()
    qtbot.keyClick(window.members.search, Qt.Key.Key_Return)
    qtbot.keyClick(window.members.search, Qt.Key.Key_Delete)
    assert dialogs.seen == []  # a scripted dialog would have been asked for


def test_f1_opens_a_short_help_with_the_keys_and_where_the_data_lives(window, qtbot, monkeypatch):
    from dangjian_desktop.ui.help_dialog import HelpDialog

    shown = []
    monkeypatch.setattr(HelpDialog, "open", lambda d: shown.append(d))
    window.action_help.trigger()
    assert len(shown) == 1
    qtbot.addWidget(shown[0])
    text = shown[0].browser.toPlainText()
    for words in ("使用说明", "Ctrl+N", "Ctrl+F", "Ctrl+B", "F1", "回车", "Delete", "显示完整身份证号",
                  str(window.ctx.store.path), "backups", "window.ini", "dangjian-desktop.log"):
        assert words in text, words


def _widest_tab(w: MainWindow, qtbot) -> int:  # noqa: ANN001
    widths = []
    for i in range(w.tabs.count()):
        w.tabs.setCurrentIndex(i)
        qtbot.wait(50)
        widths.append(w.minimumSizeHint().width())
    qtbot.waitUntil(lambda: not w.ctx.workers.running, timeout=15_000)  # the 统计 tab computes
    return max(widths)


def test_every_tab_fits_a_1024_pixel_screen(window, qtbot):
    """Old office PCs run 1024 × 768: no tab may push the window wider (the filters' closed
    width, the search box's minimum)."""
    assert _widest_tab(window, qtbot) <= 1024


def test_every_district_tab_fits_a_1024_pixel_screen(tmp_path, qtbot, qapp):
    """The district's tabs have one more filter (乡镇) each."""
    from PySide6.QtCore import QSettings

    from dangjian_desktop.domain.enums import UnitMode
    from dangjian_desktop.domain.unit import UnitSettings
    from dangjian_desktop.services.store import Store
    from dangjian_desktop.services.unit_service import init_unit
    from dangjian_desktop.ui.context import UiContext
    from dangjian_desktop.ui.workers import Workers
    from ui_helpers import RecordingReporter

    with Store.open(tmp_path / "district.db") as store:
        init_unit(store, UnitSettings(UnitMode.DISTRICT, "青川区", "410999000000", "区管理员"))
        reporter = RecordingReporter(tmp_path)
        workers = Workers(None, reporter.report)
        context = UiContext(store, store.unit(), QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat),
                            reporter, workers)
        w = MainWindow(context)
        qtbot.addWidget(w)
        w.show()
        qtbot.waitUntil(lambda: w.members.model.is_loaded)
        assert _widest_tab(w, qtbot) <= 1024
        w.close()


def test_closing_with_a_branch_edited_but_not_saved_asks_first(window, ctx, qtbot, boxes):
    from PySide6.QtWidgets import QMessageBox

    window.tabs.setCurrentIndex(TAB_TITLES.index("党组织"))
    branches = window.branches
    qtbot.waitUntil(lambda: branches.loaded and branches.panel.branch is not None)
    form = branches.panel.branch_form
    form.editor("weak_year").widget.setText("2025")
    form.editor("weak_year").changed.emit()
    boxes.answer = QMessageBox.StandardButton.Cancel
    window.close()
    assert window.isVisible() and any("还没有保存" in t for t in boxes.texts("question"))
    boxes.answer = QMessageBox.StandardButton.Discard
    window.close()
    assert not window.isVisible()
