"""Floor of the window figures: a bare PySide6 window with an empty table, from process start
to its first paint. Prints one JSON line (``elapsed`` since ``DANGJIAN_BENCH_T0``, ``peak_mb``)
and exits — the same way ``dangjian_desktop/ui/first_rows_probe.py`` reports the program's
window, so that both include the same start and the same end."""

from __future__ import annotations

import json
import os
import resource
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QObject  # noqa: E402
from PySide6.QtGui import QStandardItemModel  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView  # noqa: E402


def report() -> None:
    elapsed = time.time() - float(os.environ["DANGJIAN_BENCH_T0"])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"elapsed": elapsed, "peak_mb": peak}), flush=True)
    os._exit(0)


class FirstPaint(QObject):
    def eventFilter(self, obj, event):  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            obj.removeEventFilter(self)
            obj.event(event)  # the paint itself
            report()
        return False


app = QApplication(sys.argv)
window = QMainWindow()
table = QTableView()
table.setModel(QStandardItemModel(0, 12))
window.setCentralWidget(table)
watcher = FirstPaint()
table.viewport().installEventFilter(watcher)
window.resize(1200, 760)
window.show()
app.exec()
