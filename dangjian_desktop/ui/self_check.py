"""The window half of ``--self-test``: Qt draws offscreen, the Chinese translation, a Chinese
font and the icon are found, and every module of the program loads (a bundle that lacks a
module would otherwise fail only when a clerk reaches that window)."""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys

from .. import APP_NAME, APP_TITLE
from ..paths import icon_path
from ..services.self_test import Context, PrerequisiteFailed, Step


def _qt_draws(ctx: Context) -> str:
    # Offscreen, so that the check runs without a screen; Windows' offscreen plugin sees no
    # system fonts, so there the native platform is used (nothing is shown either way).
    if sys.platform != "win32":
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication.instance() or QApplication([APP_NAME])
    label = QLabel(f"{APP_TITLE} 自检")
    label.resize(240, 40)
    shot = label.grab()
    label.deleteLater()
    if shot.isNull() or shot.width() < 240:
        raise AssertionError("无法绘制窗口部件")
    return f"Qt 平台 {app.platformName()}，窗口部件绘制为 {shot.width()}×{shot.height()} 图像"


def _qt_chinese_and_icon(ctx: Context) -> str:
    from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
    from PySide6.QtGui import QFontDatabase, QPixmap

    app = QCoreApplication.instance()
    if app is None:
        raise PrerequisiteFailed("Qt 没有启动（前面的步骤失败）")
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if not translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", folder):
        raise AssertionError(f"找不到 Qt 的中文翻译 qtbase_zh_CN.qm（{folder}）")
    from .file_dialogs import ExtraChinese  # the file dialog's strings qtbase_zh_CN lacks

    extra = ExtraChinese()  # no parent: once removed it is gone, and a file dialog installs its own
    QCoreApplication.installTranslator(translator)
    QCoreApplication.installTranslator(extra)
    cancel = QCoreApplication.translate("QPlatformTheme", "Cancel")
    dialog = [QCoreApplication.translate("QFileDialog", text) for text in ("File &name:", "Files of &type:")]
    QCoreApplication.removeTranslator(extra)
    QCoreApplication.removeTranslator(translator)
    fonts = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    icon = QPixmap(str(icon_path()))
    problems = [text for bad, text in (
        (cancel != "取消", f"中文翻译未生效（Cancel → {cancel}）"),
        (dialog != ["文件名称(&N)：", "文件类型(&T)："], f"文件对话框的中文未生效（{'，'.join(dialog)}）"),
        (not fonts, "没有中文字体，请安装 fonts-noto-cjk 或 fonts-wqy-microhei"),
        (icon.isNull(), f"找不到程序图标 {icon_path()}"),
    ) if bad]
    if problems:
        raise AssertionError("；".join(problems))
    return f"中文翻译 {translator.filePath()}，中文字体 {fonts[0]} 等 {len(fonts)} 种，图标 {icon_path().name}"


def _all_modules_load(ctx: Context) -> str:
    package = importlib.import_module("dangjian_desktop")
    names = [m.name for m in pkgutil.walk_packages(package.__path__, "dangjian_desktop.")
             if ".migrations" not in m.name]
    for name in names:
        importlib.import_module(name)
    return f"{len(names)} 个模块"


QT_STEPS: tuple[Step, ...] = (
    ("Qt 界面（离屏绘制）", _qt_draws), ("中文翻译、中文字体和图标", _qt_chinese_and_icon),
    ("加载全部程序模块", _all_modules_load),
)
