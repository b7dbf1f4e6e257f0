"""The main window: titled with the unit's name; menus 文件/编辑/数据交换/统计/帮助, a tool bar,
one tab per kind of record and a status bar with the current tab's counts and the overdue
service requests.

The entries of other features keep fixed object names: ``action_backup``, ``action_restore``
(文件), ``action_export_package``, ``action_import_package``, ``action_review``,
``action_import_receipt``, ``action_import_roster`` (数据交换), ``action_statistics`` (统计) and
``action_audit_log`` (帮助); ``data_actions.py`` connects the data-safety and exchange ones.
``refresh_all()`` re-reads every tab after such work changed data. Every menu entry has its
own mnemonic (``(&X)``) within its menu; F1 opens the 使用说明 (``help_dialog.py``).
"""

from __future__ import annotations

from importlib import import_module

from PySide6.QtCore import QByteArray, QLibraryInfo, qVersion
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QWidget

from .. import APP_TITLE, __version__
from ..domain import records as R
from ..services.query import RecordFilter
from ..services.query_types import OVERDUE_OPEN
from .context import UiContext
from .data_actions import DATA_ACTIONS, DataActions
from .elided_label import ElidedLabel
from .feature_entries import install_roster_import, print_actions  # their modules load when used
from .lazy_tabs import LazyTabWidget
from .qt_ints import TOOL_BUTTON_TEXT_ONLY

# (attribute, module, class) of each tab, in order; a tab's module loads when it is first shown
TABS = (("members", "members_tab", "MembersTab"), ("branches", "branches_tab", "BranchesTab"),
        ("reserve", "reserve_tab", "ReserveTab"), ("requests", "requests_tab", "RequestsTab"),
        ("activities", "activities_tab", "ActivitiesTab"), ("stats", "stats_tab", "StatsTab"))
TAB_TITLES = ("党员", "党组织", "后备干部", "代办事项", "组织生活", "统计")
COMING_SOON = "此功能即将提供"


def plain_text(text: str) -> str:
    """A menu entry's text for a tool button: no ``(&X)``, no ``…``, no key after a tab."""
    head = text.split("\t")[0].replace("…", "")
    start = head.find("(&")
    return head[:start] + head[start + 4:] if start >= 0 and head[start + 3:start + 4] == ")" else head


# (menu, object name, text) of the entries that other features will connect
PENDING_ACTIONS: tuple[tuple[str, str, str], ...] = ()


class MainWindow(QMainWindow):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        ctx.query.count_start_view_early()  # counted in a thread while the window is built
        unit = ctx.unit
        mode = "区" if unit.is_district else "乡镇"
        self.setWindowTitle(f"{unit.name} — {APP_TITLE}")
        self.tabs = LazyTabWidget()
        self.tabs.setDocumentMode(True)
        for (attr, module, cls), title in zip(TABS, TAB_TITLES, strict=True):
            self.tabs.add_lazy(title, lambda a=attr, m=module, c=cls: self._build_tab(a, m, c))
        self.setCentralWidget(self.tabs)
        self.tabs.currentChanged.connect(lambda _i: self._tab_status(self.current_tab, self.current_tab.status_text()
                                                                     if self._is_loaded(self.current_tab) else ""))

        self.status_label = QLabel()  # the counts come first: the labels after it give way
        self.overdue_label = QLabel()
        self.unit_label = ElidedLabel(f"{mode}：{unit.name}（{unit.code}）　操作员：{unit.operator or '未设置'}"
                                 + ("　区级数据只读" if ctx.read_only else ""))
        self.statusBar().addWidget(self.status_label, 1)
        self.statusBar().addPermanentWidget(self.overdue_label)
        self.statusBar().addPermanentWidget(self.unit_label)
        self._build_actions()
        # Once the first rows are on screen, SQLAlchemy (the first screen does without it:
        # services/start_view.py) loads in a worker, then the overdue requests are counted.
        self.members.first_painted.connect(self._after_first_rows)
        self._restore_geometry()

    def _build_tab(self, attr: str, module: str, cls: str) -> QWidget:
        """Make one tab (its module is imported now) and connect it to the window."""
        tab = getattr(import_module(f".{module}", __package__), cls)(self.ctx)
        tab.status_changed.connect(lambda text: self._tab_status(tab, text))
        if attr == "stats":  # figures, charts and their records; computes when first shown
            return tab
        tab.records_changed.connect(self._update_overdue)
        if attr == "reserve":
            tab.open_member.connect(self.open_member)
        elif attr == "branches":
            tab.restore_state()
        return tab

    def _tab(self, attr: str):  # noqa: ANN202 - the tab, built when first asked for
        return self.tabs.tab([a for a, _m, _c in TABS].index(attr))

    members = property(lambda self: self._tab("members"))
    branches = property(lambda self: self._tab("branches"))
    reserve = property(lambda self: self._tab("reserve"))
    requests = property(lambda self: self._tab("requests"))
    activities = property(lambda self: self._tab("activities"))
    stats = property(lambda self: self._tab("stats"))

    def built_tabs(self) -> list:  # the tabs built so far (the statistics tab too)
        return self.tabs.built()

    @property
    def current_tab(self):  # noqa: ANN201 - one of the tabs
        return self.tabs.currentWidget()

    @staticmethod
    def _is_loaded(tab) -> bool:  # noqa: ANN001
        return getattr(tab, "loaded", False) or getattr(getattr(tab, "model", None), "is_loaded", False)

    # -- menus and tool bar -------------------------------------------------------------------
    def _action(self, text: str, slot=None, shortcut=None, name: str = "") -> QAction:  # noqa: ANN001
        action = QAction(self.tr(text), self)
        if name:
            action.setObjectName(name)
        if shortcut is not None:
            action.setShortcuts([QKeySequence(shortcut)])  # setShortcut would build Qt's enums: see qt_ints
        if slot is not None:
            action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_actions(self) -> None:
        bar = self.menuBar()
        menus = {key: bar.addMenu(self.tr(title)) for key, title in (
            ("file", "文件(&F)"), ("edit", "编辑(&E)"), ("exchange", "数据交换(&D)"), ("stats", "统计(&S)"),
            ("help", "帮助(&H)"))}
        self.action_new = self._action("新增(&N)", lambda: self.current_tab.new_record(), QKeySequence.StandardKey.New,
                                       "action_new")
        self.action_edit = self._action("编辑(&E)…\tEnter", lambda: self.current_tab.edit_current(), None, "action_edit")
        self.action_delete = self._action("删除(&D)\tDel", lambda: self.current_tab.delete_current(), None, "action_delete")
        self.action_find = self._action("查找(&F)", lambda: self.current_tab.focus_search(),
                                        QKeySequence.StandardKey.Find, "action_find")
        self.action_refresh = self._action("刷新(&R)", self.refresh_all, QKeySequence.StandardKey.Refresh,
                                           "action_refresh")
        self.action_quit = self._action("退出(&X)", self.close, QKeySequence.StandardKey.Quit, "action_quit")
        self.action_about = self._action("关于(&A)", self.show_about, None, "action_about")
        self.action_help = self._action("使用说明(&U)", self.show_help, "F1", "action_help")
        # Enter and Delete edit and delete in the table only (a window-wide shortcut would take
        # them from every text field and dialog): the menu shows them after a tab, as Qt shows a
        # shortcut, and the table handles the keys (record_tab).
        for action in (self.action_new, self.action_delete):
            action.setEnabled(not self.ctx.read_only)

        pending = {}
        for menu, name, text in PENDING_ACTIONS:
            action = self._action(text, name=name)
            action.setEnabled(False)
            action.setToolTip(self.tr(COMING_SOON))
            action.setStatusTip(self.tr(COMING_SOON))
            pending[name] = action
        self.pending_actions = pending
        self.action_import_roster = self._action("导入已有名册(&M)…", name="action_import_roster")
        install_roster_import(self, self.action_import_roster)  # the wizard; disabled at the district
        pending = {**pending, "action_import_roster": self.action_import_roster}  # its place in the menu
        data = {name: self._action(text, name=name) for name, text in DATA_ACTIONS}  # wired by DataActions
        pending = {**pending, **data}
        self.action_statistics = self._action("统计报表(&T)…", lambda: self.tabs.setCurrentWidget(self.stats), None,
                                              "action_statistics")
        pending["action_statistics"] = self.action_statistics

        menus["file"].addActions([pending["action_backup"], pending["action_restore"]])
        menus["file"].addSeparator()
        menus["file"].addAction(self.action_quit)
        menus["edit"].addActions([self.action_new, self.action_edit, self.action_delete])
        menus["edit"].addSeparator()
        menus["edit"].addActions([self.action_find, self.action_refresh])
        menus["exchange"].addActions([pending[n] for n in ("action_export_package", "action_import_package",
                                                            "action_import_roster")])
        menus["stats"].addAction(pending["action_statistics"])
        menus["stats"].addSeparator()
        menus["stats"].addActions(print_actions(self, self.ctx))  # 党员花名册, 后备干部花名册, 代办事项台账
        menus["help"].addActions([self.action_help, pending["action_audit_log"], self.action_about])
        self.menus = menus

        toolbar = self.addToolBar(self.tr("常用"))
        toolbar.setObjectName("toolbar_main")
        toolbar.setMovable(False)
        toolbar.setProperty("toolButtonStyle", TOOL_BUTTON_TEXT_ONLY)  # no Qt enum: see qt_ints
        toolbar.addActions([self.action_find, self.action_refresh])  # 新增/编辑/删除 sit in each tab
        toolbar.addSeparator()
        toolbar.addActions([pending[n] for n in ("action_export_package", "action_import_package",
                                                 "action_statistics", "action_backup")])
        for action in toolbar.actions():  # the tool bar's buttons without the menus' (&X) and …
            action.setIconText(plain_text(action.text()))
        self.data_actions = DataActions(self, data)  # backup/restore, packages, review, audit log
        data["action_backup"].setShortcuts([QKeySequence("Ctrl+B")])

    # -- status bar ---------------------------------------------------------------------------
    def _tab_status(self, tab: QWidget, text: str) -> None:
        if tab is self.current_tab:
            self.status_label.setText(text)

    def _after_first_rows(self) -> None:
        """Load the SQL machinery off the GUI thread (≈ 0.3 s: the window stays responsive),
        then show the overdue count, the first figure that needs it."""
        self.ctx.workers.call(self.ctx.query.warm_up, on_result=self._warmed_up, background=True)

    def _warmed_up(self, _none: None) -> None:  # a method: not called once the window is gone
        self._update_overdue()

    def _update_overdue(self) -> None:
        n = self.ctx.query.count(R.ServiceRequest, RecordFilter(values={"overdue": OVERDUE_OPEN}))
        self.overdue_label.setText(self.tr(f"逾期未办结代办事项：{n:,} 件"))
        self.overdue_label.setStyleSheet("color: #c62828;" if n else "")

    # -- navigation ---------------------------------------------------------------------------
    def open_member(self, uuid: str) -> None:
        self.tabs.setCurrentWidget(self.members)
        if not self.members.show_member(uuid):
            QMessageBox.information(self, self.tr("党员档案"), self.tr("找不到关联的党员记录，可能已被删除。"))

    def refresh_all(self) -> None:
        """Re-read every tab that has been shown (after an import, a restore, …)."""
        for tab in self.built_tabs():  # one not built yet reads its data when first shown
            if self._is_loaded(tab):
                tab.refresh()
        self._update_overdue()

    def show_help(self) -> None:
        from .help_dialog import HelpDialog  # loads when first asked for

        HelpDialog(self).open()

    def show_about(self) -> None:
        """The versions in plain words; Qt's build details (English compiler text) go to the log."""
        import sys

        import PySide6

        python = ".".join(str(n) for n in sys.version_info[:3])
        try:
            self.ctx.reporter.info(f"关于：Qt {qVersion()}，{QLibraryInfo.build()}；Python {sys.version}")
        except OSError:
            pass  # the box matters more than the log line
        QMessageBox.about(
            self, self.tr("关于党建台账"),
            f"<h3>{APP_TITLE}</h3><p>版本 {__version__}</p>"
            f"<p>乡镇党建办的离线台账与月报数据包。</p>"
            f"<p>数据库：{self.ctx.store.path}</p>"
            f"<p>运行环境：Qt {qVersion()}，Python {python}，PySide6 {PySide6.__version__}</p>")

    # -- remembered geometry ------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geometry = self.ctx.settings.value("window/geometry")
        self._geometry_restored = isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)
        if not self._geometry_restored:
            self._fit_screen()
        state = self.ctx.settings.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def _fit_screen(self) -> None:
        """First start: 1280×800, or the whole screen on a small one (1366×768 is common)."""
        screen = self.screen()
        if screen is None:
            return
        avail = screen.availableGeometry()
        width, height = min(1280, avail.width()), min(800, avail.height())
        self.resize(width, height)
        self.move(avail.x() + (avail.width() - width) // 2, avail.y() + (avail.height() - height) // 2)
        self._start_maximized = avail.width() < 1400 or avail.height() < 900

    def show_first(self) -> None:
        """Show the window as it was left, or fitted to the screen on the first start."""
        if getattr(self, "_start_maximized", False):
            self.showMaximized()
        else:
            self.show()

    def save_settings(self) -> None:
        self.ctx.settings.setValue("window/geometry", self.saveGeometry())
        self.ctx.settings.setValue("window/state", self.saveState())
        for tab in self.built_tabs():
            tab.save_state()
        self.ctx.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.ctx.workers.running and QMessageBox.question(
                self, self.tr("正在处理"), self.tr("还有工作正在进行，确定要退出吗？未完成的工作会被取消。"),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            event.ignore()
            return
        for tab in self.built_tabs():  # the 党组织 panel edits in place: its unsaved changes
            may_leave = getattr(tab, "may_leave_edits", None)
            if may_leave is not None and not may_leave(self.tr("退出")):
                event.ignore()
                return
        self.save_settings()
        self.ctx.workers.wait()
        super().closeEvent(event)
