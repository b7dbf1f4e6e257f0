"""Quick search and sort in the program's own window (offscreen), on its 党员 table.

    python bench/probe_table.py DB [ROUNDS]

Opens the database the way ``app.py`` does, shows the main window and waits for the first
rows. Then, per round, it types into the quick-search box one keystroke at a time — a
person's pinyin initials, their name, the last four digits of their 身份证号 — and clicks
column headers (each column ascending, then descending). A keystroke is timed from the
filter being applied (what the box's short typing pause triggers) until the table has been
painted with the new rows; a sort from the header click until the repaint. The people
typed are drawn at random (fixed seed) from the database, a new one each round, so the
model's cache of recent results never answers. Prints ``search`` and ``sort`` (ms lists),
the row count and ``peak_mb``.
"""

from __future__ import annotations

import os
import random
import sqlite3
import sys
import time
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.common import emit  # noqa: E402


def people(db: str, n: int) -> list[tuple[str, str, str]]:
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        total = conn.execute("SELECT max(rowid) FROM members").fetchone()[0]
        rng = random.Random(8)
        out = []
        while len(out) < n:
            row = conn.execute("SELECT name, initials, id_number FROM members WHERE rowid = ? AND deleted = 0 "
                               "AND leave_kind IS NULL", (rng.randint(1, total),)).fetchone()
            if row and row[1]:
                out.append(row)
        return out


def main(db: str, rounds: int = 3) -> None:
    from PySide6.QtCore import QEvent, QObject, QSettings, Qt
    from PySide6.QtWidgets import QApplication

    from dangjian_desktop.paths import data_dir, log_dir
    from dangjian_desktop.services.store import Store
    from dangjian_desktop.ui.context import UiContext
    from dangjian_desktop.ui.errors import ErrorReporter
    from dangjian_desktop.ui.main_window import MainWindow
    from dangjian_desktop.ui.workers import Workers

    app = QApplication(sys.argv)
    reporter = ErrorReporter(log_dir())
    workers = Workers(app, on_error=reporter.report)
    store = Store.open(db, create=False)
    unit = store.unit()
    settings = QSettings(str(data_dir() / "bench-window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(UiContext(store, unit, settings, reporter, workers))
    window.resize(1280, 800)
    window.show()
    tab = window.members
    deadline = time.perf_counter() + 120
    while not (tab.model.is_loaded and tab.model.rowCount()) and time.perf_counter() < deadline:
        app.processEvents()
    total_rows = tab.model.rowCount()
    view = tab.table
    window.ctx.query.warm_up()  # what the window does right after its first rows (SQLAlchemy loads)
    for _ in range(20):
        app.processEvents()
    verbose = os.environ.get("BENCH_VERBOSE")

    class Paints(QObject):
        count = 0

        def eventFilter(self, obj, event):  # noqa: N802 - Qt override
            if event.type() == QEvent.Type.Paint:
                Paints.count += 1
            return False

    paints = Paints()
    view.viewport().installEventFilter(paints)

    def settle() -> None:
        """Until the table has been painted again (what the clerk sees), at most 5 s."""
        before = Paints.count
        deadline = time.perf_counter() + 5
        while Paints.count == before and time.perf_counter() < deadline:
            app.processEvents()

    search_ms: list[float] = []
    sort_ms: list[float] = []
    visible = [i for i in range(tab.model.columnCount()) if not view.isColumnHidden(i)]
    for name, initials, id_number in people(db, rounds):
        for text in ([initials[:i] for i in range(1, min(len(initials), 3) + 1)]
                     + [name[:i] for i in range(1, len(name) + 1)] + [id_number[-4:][:i] for i in range(1, 5)]):
            tab.search.setText(text)
            start = time.perf_counter()
            tab.apply_filter()
            settle()
            search_ms.append((time.perf_counter() - start) * 1000)
            if verbose:
                print(f"search {text!r}: {search_ms[-1]:.0f} ms, {tab.model.rowCount()} rows", file=sys.stderr)
        tab.search.setText("")
        tab.apply_filter()
        settle()
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            for column in visible:
                start = time.perf_counter()
                view.sortByColumn(column, order)
                settle()
                sort_ms.append((time.perf_counter() - start) * 1000)
                if verbose:
                    print(f"sort {tab.model.columns[column].field} {order.name}: {sort_ms[-1]:.0f} ms", file=sys.stderr)
    emit(search=search_ms, sort=sort_ms, rows=total_rows)
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3)
