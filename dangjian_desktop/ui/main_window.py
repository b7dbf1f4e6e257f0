"""The main window: title with the unit's name, menus, a tab per kind of record."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QTabWidget, QVBoxLayout, QWidget

from .. import APP_TITLE, __version__
from ..domain.unit import UnitSettings
from ..services.overview import Overview

TAB_TITLES = ("党员", "党组织", "后备干部", "代办事项", "组织生活")


class MainWindow(QMainWindow):
    def __init__(self, unit: UnitSettings, overview: Overview, db_path: str) -> None:
        super().__init__()
        self.setWindowTitle(f"{APP_TITLE} — {unit.name}")
        self.resize(1200, 760)
        self.unit = unit
        self.tabs = QTabWidget()
        self.setCentralWidget(self.tabs)
        for title in TAB_TITLES:
            self.tabs.addTab(self._summary_page(title, overview.counts.get(title, 0)), title)
        self._build_menus()
        mode = "区" if unit.is_district else "乡镇"
        self.statusBar().showMessage(f"{mode}：{unit.name}（{unit.code}）  操作员：{unit.operator or '未设置'}  数据库：{db_path}")

    def _summary_page(self, title: str, count: int) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        label = QLabel(f"<h2>{title}</h2><p>共 {count:,} 条记录。</p>")
        label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(label)
        return page

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("文件(&F)"))
        quit_action = QAction(self.tr("退出(&X)"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        for title in ("编辑(&E)", "数据交换(&D)", "统计(&S)"):
            bar.addMenu(self.tr(title))
        help_menu = bar.addMenu(self.tr("帮助(&H)"))
        about = QAction(self.tr("关于(&A)"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _about(self) -> None:
        QMessageBox.about(self, self.tr("关于"), f"{APP_TITLE}\n版本 {__version__}")
