"""One measured piece of work in this (child) process; prints one JSON line with ``seconds``
(the work only: the interpreter's start and the imports are left out) and ``peak_mb`` (the
whole process, imports included).

    python bench/probe_work.py import DB PACKAGE...       # import_packages (checks + merge)
    python bench/probe_work.py preview DB PACKAGE...      # preview_packages (the dry run)
    python bench/probe_work.py floor-import DB FILE...    # calamine + executemany, one transaction
    python bench/probe_work.py export DB CODE OUT_DIR     # export_package of one township
    python bench/probe_work.py floor-export PACKAGE OUT   # xlsxwriter writing the package's rows
    python bench/probe_work.py roster DB FILE             # RosterImport: open + preview + commit
    python bench/probe_work.py stats DB                   # compute_statistics, this year
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import emit  # noqa: E402


def _import(db: str, *packages: str, dry_run: bool = False) -> None:
    from dangjian_desktop.services.package_import import ImportOptions, import_packages, preview_packages
    from dangjian_desktop.services.progress import run_job
    from dangjian_desktop.services.store import Store

    with Store.open(db, create=False) as store:
        job = preview_packages if dry_run else import_packages
        start = time.perf_counter()
        report = run_job(job(store, list(packages), ImportOptions(add_townships=True)))
        seconds = time.perf_counter() - start
    refused = [p.message for p in report.packages if p.refused]
    if refused:
        raise SystemExit(f"refused: {refused[:3]}")
    emit(seconds=seconds, packages=len(report.packages))


def _floor_import(db: str, *files: str) -> None:
    from bench.floors import calamine_to_sqlite

    emit(seconds=calamine_to_sqlite([Path(f) for f in files], Path(db)))


def _export(db: str, code: str, out: str) -> None:
    from dangjian_desktop.services.package_export import export_package
    from dangjian_desktop.services.progress import run_job
    from dangjian_desktop.services.store import Store

    with Store.open(db, create=False) as store:
        start = time.perf_counter()
        result = run_job(export_package(store, date.today().strftime("%Y-%m"), out, code))
        seconds = time.perf_counter() - start
    emit(seconds=seconds, rows=sum(result.counts.values()), path=str(result.path))


def _floor_export(package: str, out: str) -> None:
    from bench.floors import read_rows, xlsxwriter_write

    rows = read_rows(Path(package))
    emit(seconds=xlsxwriter_write(rows, Path(out)), rows=sum(len(r) for r in rows.values()))


def _roster(db: str, file: str) -> None:
    from dangjian_desktop.services.progress import run_job
    from dangjian_desktop.services.roster_import import ImportOptions, RosterImport
    from dangjian_desktop.services.store import Store

    with Store.open(db, create=False) as store:
        start = time.perf_counter()
        with RosterImport.open(store, file, "members") as job:
            plan = run_job(job.preview(ImportOptions()))
            preview = time.perf_counter() - start
            result = run_job(job.commit(plan))
        seconds = time.perf_counter() - start
    emit(seconds=seconds, preview=preview, refused=len(plan.refused), written=len(plan.to_write),
         result=str(result)[:200])


def _stats(db: str) -> None:
    from dangjian_desktop.domain.statistics import Period
    from dangjian_desktop.services.statistics import compute_statistics
    from dangjian_desktop.services.store import Store

    with Store.open(db, create=False) as store:
        start = time.perf_counter()
        report = compute_statistics(store, Period.year(date.today().year))
        seconds = time.perf_counter() - start
    emit(seconds=seconds, townships=len(report.townships))


COMMANDS = {
    "import": _import, "preview": lambda db, *p: _import(db, *p, dry_run=True), "floor-import": _floor_import,
    "export": _export, "floor-export": _floor_export, "roster": _roster, "stats": _stats,
}

if __name__ == "__main__":
    COMMANDS[sys.argv[1]](*sys.argv[2:])
