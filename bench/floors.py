"""The floors: the same work done the plainest fast way, measured in the same run.

- a bare PySide6 window with an empty table, from process start to its first paint;
- reading workbooks with python-calamine and inserting every row with ``sqlite3.executemany``
  in one transaction (the floor of the package import and the roster import);
- writing the same rows with xlsxwriter in constant-memory mode (the floor of the export).
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from python_calamine import CalamineWorkbook


def read_rows(path: Path) -> dict[str, list[list]]:
    wb = CalamineWorkbook.from_path(str(path))
    return {name: wb.get_sheet_by_name(name).to_python() for name in wb.sheet_names}


def calamine_to_sqlite(paths: list[Path], db: Path) -> float:
    """Read every sheet of every file and insert all rows, one transaction. Seconds."""
    start = time.perf_counter()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("BEGIN")
    made: set[tuple[str, int]] = set()
    for path in paths:
        for sheet, rows in read_rows(path).items():
            if len(rows) < 2:
                continue
            width = max(len(r) for r in rows)
            table = f"t{abs(hash((sheet, width)))}"
            if (table, width) not in made:
                cols = ", ".join(f"c{i}" for i in range(width))
                conn.execute(f"CREATE TABLE IF NOT EXISTS {table} ({cols})")
                made.add((table, width))
            marks = ", ".join("?" * width)
            conn.executemany(f"INSERT INTO {table} VALUES ({marks})",
                             (list(r) + [None] * (width - len(r)) for r in rows[1:]))
    conn.execute("COMMIT")
    conn.close()
    return time.perf_counter() - start


def xlsxwriter_write(rows_by_sheet: dict[str, list[list]], out: Path) -> float:
    """Write the given rows with xlsxwriter (constant memory). Seconds."""
    import xlsxwriter

    start = time.perf_counter()
    wb = xlsxwriter.Workbook(str(out), {"constant_memory": True, "strings_to_formulas": False,
                                        "strings_to_numbers": False})
    for sheet, rows in rows_by_sheet.items():
        ws = wb.add_worksheet(sheet[:31])
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                ws.write(r, c, value)
    wb.close()
    return time.perf_counter() - start
