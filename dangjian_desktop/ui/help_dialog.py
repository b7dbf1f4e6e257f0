"""帮助 → 使用说明 (F1): a short help in the window — the keys (read from the window's own
menu entries, so the list cannot drift from them), the few habits of the program a clerk
needs, and where this installation keeps its database, backups, settings and log."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

from ..paths import backups_dir

if TYPE_CHECKING:
    from .main_window import MainWindow

# Keys the table handles itself (not menu shortcuts: they must stay free in text fields).
TABLE_KEYS = (
    ("回车 或 双击", "编辑选中的记录（区级数据库为查看）"),
    ("Delete", "删除选中的记录（先询问；党员不能删除，用“离开…”）"),
)
HABITS = (
    "每类记录一个标签页。搜索框可输入姓名、拼音首字母（zs 找到“张三”）或身份证号；旁边的下拉框按党组织、"
    "阶段、状态等筛选；点列标题排序。",
    "填写时，表单在出错的栏目下方说明原因；保存时再检查一遍。",
    "身份证号在表格中显示为 410***********1234，勾选“显示完整身份证号”后显示全部。",
    "乡镇每月用“数据交换 → 导出月报数据包”报送到区里；区里导入、审核后发回回执，乡镇用“导入审核回执”查看结果。",
    "区级数据库只读：记录来自各乡镇报送的数据包。",
    "按 Alt 加菜单中带下划线的字母，可以不用鼠标打开菜单和菜单项。",
)


def _menu_keys(window: MainWindow) -> list[tuple[str, str]]:
    """(key, what it does) of every menu entry with a shortcut, in menu order."""
    from .main_window import plain_text

    keys = []
    for menu in window.menus.values():
        for action in menu.actions():
            if isinstance(action, QAction) and action.shortcuts():
                key = action.shortcuts()[0].toString(QKeySequence.SequenceFormat.NativeText)
                keys.append((key, plain_text(action.text())))
    return keys


def help_html(window: MainWindow) -> str:
    ctx = window.ctx
    rows = "".join(f"<tr><td><b>{escape(k)}</b></td><td>{escape(v)}</td></tr>"
                   for k, v in [*_menu_keys(window), *TABLE_KEYS])
    habits = "".join(f"<li>{escape(h)}</li>" for h in HABITS)
    places = (
        ("数据库", str(ctx.store.path)),
        ("备份（文件 → 备份数据库）", str(backups_dir(ctx.store.path))),
        ("窗口设置（列宽、排序、窗口大小）", ctx.settings.fileName()),
        ("出错记录（日志）", str(ctx.reporter.log_path)),
    )
    where = "".join(f"<tr><td>{escape(k)}</td><td>{escape(v)}</td></tr>" for k, v in places)
    return (f"<h3>使用说明</h3><h4>常用按键</h4><table cellspacing='4'>{rows}</table>"
            f"<h4>要点</h4><ul>{habits}</ul>"
            f"<h4>数据存放位置</h4><table cellspacing='4'>{where}</table>")


class HelpDialog(QDialog):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle(self.tr("使用说明"))
        self.browser = QTextBrowser()
        self.browser.setHtml(help_html(window))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(640, 560)
        from PySide6.QtCore import Qt  # after the first rows: see qt_ints

        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
