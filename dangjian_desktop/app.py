"""The composition root of the window: open the database, build the services, show the window."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from .domain.errors import DomainError
from .paths import default_db_path
from .services.demo import make_demo
from .services.overview import overview
from .services.progress import run_job
from .services.store import Store


def _load_qt_translations(app) -> None:  # noqa: ANN001 - QApplication
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    translator = QTranslator(app)
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", path):
        app.installTranslator(translator)


def run_gui(db_path: Path | None, demo: bool = False) -> int:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from .ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("党建台账")
    _load_qt_translations(app)
    path = Path(db_path) if db_path else default_db_path()
    try:
        if demo and not path.exists():
            with Store.open(path) as store:
                run_job(make_demo(store, "township", 1, date.today()))
        store = Store.open(path)
    except DomainError as exc:
        QMessageBox.critical(None, "无法打开数据库", exc.message)
        return 1
    unit = store.unit()
    if unit is None:
        QMessageBox.information(
            None, "尚未设置单位",
            f"数据库 {path} 还没有设置单位。\n请先运行：dangjian-desktop init --db {path} --mode township --code 区划代码 --name 单位名称",
        )
        store.close()
        return 1
    window = MainWindow(unit, overview(store), str(path))
    window.show()
    code = app.exec()
    store.close()
    return code
