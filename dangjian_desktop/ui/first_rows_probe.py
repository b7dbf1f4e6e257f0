"""The benchmark's probe of the window's start (``bench/run.py``).

With ``DANGJIAN_BENCH_FIRST_ROWS=1`` in the environment, the window prints one JSON line —
``{"elapsed": seconds since the process started, "peak_mb": peak resident memory, "loaded":
the heavy libraries already imported, and ``PySide6.QtCore.Qt`` if its enums were built}`` — once the 党员 table has painted its first rows, and
the process exits at once (the first screen needs none of ``HEAVY``: see services/start_view.py). Without the variable
``install`` does nothing. ``DANGJIAN_BENCH_T0`` (a ``time.time()`` taken just before the
process was started) makes ``elapsed`` exact; otherwise it comes from ``/proc`` (Linux).
"""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QEvent, QObject

from .qt_ints import namespace_built

ENV = "DANGJIAN_BENCH_FIRST_ROWS"
T0_ENV = "DANGJIAN_BENCH_T0"
HEAVY = ("sqlalchemy", "alembic", "openpyxl", "xlsxwriter", "python_calamine", "xlrd")


def enabled() -> bool:
    return os.environ.get(ENV, "") not in ("", "0")


def process_start() -> float | None:
    """The ``time.time()`` at which this process started, if it can be known."""
    given = os.environ.get(T0_ENV)
    if given:
        return float(given)
    try:
        with open("/proc/self/stat", encoding="ascii") as f:
            ticks = int(f.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/stat", encoding="ascii") as f:
            boot = next(int(line.split()[1]) for line in f if line.startswith("btime"))
        return boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration, AttributeError):
        return None


def peak_mb() -> float | None:
    try:
        import resource
    except ImportError:  # Windows
        return None
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report_and_exit() -> None:
    import json

    start = process_start()
    elapsed = None if start is None else round(time.time() - start, 4)
    loaded = [name for name in HEAVY if name in sys.modules]
    if namespace_built():
        loaded.append("PySide6.QtCore.Qt")  # its ~100 enums, built on first touch (see qt_ints)
    print(json.dumps({"elapsed": elapsed, "peak_mb": peak_mb(), "loaded": loaded}), flush=True)
    sys.stderr.flush()
    os._exit(0)


class _FirstRows(QObject):
    """Watches the table's viewport: the first paint while the model has rows paints them;
    the probe lets that paint happen, then reports (whatever else is queued after it)."""

    def __init__(self, model, parent: QObject) -> None:  # noqa: ANN001 - the table model
        super().__init__(parent)
        self.model = model

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint and self.model.rowCount() > 0:
            obj.removeEventFilter(self)
            obj.event(event)  # the paint itself
            report_and_exit()
        return False


def install(window) -> None:  # noqa: ANN001 - the MainWindow
    """Watch the window's 党员 table when the benchmark asked for it."""
    if not enabled():
        return
    table = window.members.table
    table.viewport().installEventFilter(_FirstRows(table.model(), table))
