"""The composition root of the window: the Qt application and its Chinese translation, the
lock that keeps a second copy off the database, the error reporter and log, opening (or with
``--demo`` first creating) the database, the first-run dialog, and the main window."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

from . import collector
from .domain.errors import DomainError
from .paths import default_db_path, icon_path, log_dir
from .services.store import Store


AFTER_START_LATEST_MS = 2000  # what waits for the first rows is done at the latest after this long


def _set_icon(app) -> None:  # noqa: ANN001 - QApplication
    """The program's icon for its windows (set after the first rows: the executable and the
    desktop entry show their own icon until then; loading it costs the start ~3 ms)."""
    from PySide6.QtGui import QIcon

    if app.windowIcon().isNull() and icon_path().exists():
        app.setWindowIcon(QIcon(str(icon_path())))


def _load_qt_translations(app) -> bool:  # noqa: ANN001 - QApplication
    """Qt's own Chinese (standard buttons, message boxes, the file dialog). The few strings of
    Qt 6.11's file dialog that this translation lacks are added by ``ui/file_dialogs.py`` when
    a file dialog first opens, not here: the first screen would ask them of every ``tr()``."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    translator = QTranslator(app)
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", path):
        app.installTranslator(translator)
        return True
    return False


def _settings():  # noqa: ANN202 - QSettings
    from PySide6.QtCore import QSettings

    from .paths import data_dir

    return QSettings(str(data_dir() / "window.ini"), QSettings.Format.IniFormat)


def make_demo(store: Store, scale: str, seed: int, today: date):  # noqa: ANN201 - the demo job
    """``services.demo.make_demo``, imported only when a demo is asked for (it loads SQLAlchemy)."""
    from .services.demo import make_demo as demo_job

    return demo_job(store, scale, seed, today)


def _make_demo(store: Store, workers) -> bool:  # noqa: ANN001 - Workers
    """Write the township demo with a progress dialog, off the GUI thread; True when done."""
    from PySide6.QtCore import QEventLoop

    outcome: dict[str, object] = {}
    loop = QEventLoop()
    task = workers.job(lambda: make_demo(store, "township", 1, date.today()), title="正在生成演示数据…", parent=None,
                       on_result=lambda r: outcome.setdefault("result", r),
                       on_error=lambda e: outcome.setdefault("error", e), cancellable=False)
    task.done.connect(loop.quit)
    loop.exec()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return "result" in outcome


def run_gui(db_path: Path | None, demo: bool = False) -> int:
    outcome = _run_gui(db_path, demo)
    while isinstance(outcome, Path):  # restored, or moved into another file: open it afresh
        outcome = _run_gui(outcome, False)
    return outcome


def _run_gui(db_path: Path | None, demo: bool) -> int | Path:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

    from .ui.context import UiContext
    from .ui.errors import ErrorReporter
    from .instance_lock import InstanceLock
    from .ui.main_window import MainWindow
    from .ui.startup_guard import StartupGuard, recover_unopenable, remembered_db_path
    from .ui.workers import Workers

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("党建台账")
    app.setOrganizationName("dangjian-desktop")
    _load_qt_translations(app)
    reporter = ErrorReporter(log_dir())
    reporter.install()
    workers = Workers(app, on_error=reporter.report)
    path = Path(db_path) if db_path else remembered_db_path(_settings()) or default_db_path()
    lock = InstanceLock(path)
    try:
        lock.acquire()
    except DomainError as exc:
        QMessageBox.critical(None, "数据库正在使用", exc.message)
        return 1
    store: Store | None = None
    guard: StartupGuard | None = None
    try:
        store = Store.open(path)
        if demo and store.unit() is None and store.is_empty():
            collector.resume()  # long work before the window: collect as usual
            _set_icon(app)
            _make_demo(store, workers)
        unit = store.unit()
        if unit is None:
            collector.resume()
            _set_icon(app)
            from .ui.first_run import FirstRunDialog  # only on the first start

            dialog = FirstRunDialog(str(path))
            if dialog.exec() != QDialog.DialogCode.Accepted or dialog.unit is None:
                return 0
            from .services.unit_service import init_unit  # loads SQLAlchemy: only on the first start

            init_unit(store, dialog.unit)
            unit = store.unit()
            assert unit is not None
        ctx = UiContext(store, unit, _settings(), reporter, workers)
        window = MainWindow(ctx)
        reporter.parent = window
        if os.environ.get("DANGJIAN_BENCH_FIRST_ROWS"):  # the benchmark's probe (bench/run.py)
            from .ui import first_rows_probe

            first_rows_probe.install(window)
        window.show_first()
        def after_start() -> None:  # once the first rows are on screen (both steps do nothing twice)
            collector.resume()
            _set_icon(app)

        window.members.first_painted.connect(after_start)
        QTimer.singleShot(AFTER_START_LATEST_MS, after_start)
        guard = StartupGuard(window)  # quick_check in a worker; editing held until it passes
        guard.finished.connect(app.exit)  # a damaged or moved database: reopen or quit
        guard.start(after=window.members.first_painted)
        code = app.exec()
        if guard.next_path is not None:
            window.deleteLater()  # the program reopens afresh on the restored or moved file
        return guard.next_path or guard.exit_code or code
    except DomainError as exc:
        recovered = recover_unopenable(path, workers, _settings()) if store is None else None  # damaged?
        if recovered is not None:
            return recovered
        QMessageBox.critical(None, "无法打开数据库", exc.message)
        return 1
    finally:
        collector.resume()
        if guard is not None:
            guard.stop()
        workers.wait()
        if store is not None:
            store.close()
        lock.release()
        reporter.close()
