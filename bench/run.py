"""The benchmark suite at district scale: ``python bench/run.py [--quick] [--only GROUP,...]``.

Builds (once, cached under ``bench/out/``) the district demo database, a 300,000-member stress
database, the 20 townships' packages and a 30,000-row roster; then measures each figure in
child processes, several times, against a floor measured in the same run, and prints one line
per figure: value (median), floor (median), ratio, target, met. Exit status 0 when every
target is met, 1 when one is missed, 2 when a measurement failed. ``--quick`` leaves out the
stress database and uses fewer repetitions (under 2 minutes once the data is built).

Groups: window (first rows, against a bare PySide6 window), table (quick search and sort),
import (20 packages), export (one package), roster (30,000 rows), stats (statistics page).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import data  # noqa: E402
from bench.common import OUT, ChildFailed, Figure, median, run_child  # noqa: E402

GROUPS = ("window", "table", "import", "export", "roster", "stats")
BENCH = ROOT / "bench"


def fresh_copy(src: Path, name: str) -> Path:
    """A copy of a cached database to write into (SQLite's backup API; the cache stays as built)."""
    work = OUT / "work"
    work.mkdir(parents=True, exist_ok=True)
    dst = work / name
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(f"{dst}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(work / "backups", ignore_errors=True)
    with closing(sqlite3.connect(src)) as a, closing(sqlite3.connect(dst)) as b:
        a.backup(b)
    return dst


def spread(values: list[float], scale: float = 1.0, unit: str = "s") -> str:
    """The range of the runs (one run: its value)."""
    if not values:
        return "—"
    lo, hi = min(values) * scale, max(values) * scale
    if len(values) == 1:
        return f"{lo:.2f} {unit}" if unit == "s" else f"{lo:.0f} {unit}"
    return f"{lo:.2f}–{hi:.2f} {unit}" if unit == "s" else f"{lo:.0f}–{hi:.0f} {unit}"


class Runner:
    def __init__(self, quick: bool, paths: dict[str, Path]) -> None:
        self.quick = quick
        self.paths = paths
        self.figures: list[Figure] = []

    def add(self, figure: Figure) -> None:
        self.figures.append(figure)
        print(figure.line(), flush=True)

    def reps(self, full: int, quick: int) -> int:
        return quick if self.quick else full

    # -- the window ------------------------------------------------------------------------
    def window(self) -> None:
        dbs = [("district", "40k")] + ([] if self.quick else [("stress", "300k")])
        probe = {"DANGJIAN_BENCH_FIRST_ROWS": "1"}

        def program(db: Path) -> dict:
            # The probe ends the program with os._exit, which leaves its instance lock behind; a
            # clean exit would have removed it, so it goes before each start.
            Path(f"{db}.lock").unlink(missing_ok=True)
            result = run_child(["-m", "dangjian_desktop", "--db", str(db)], env=probe, timeout=120)
            if result.get("loaded"):
                print(f"note: {db.name}: loaded before the first rows: {result['loaded']}", file=sys.stderr)
            return result

        bare_args = [str(BENCH / "probe_bare_window.py")]
        run_child(bare_args)  # warm-up: bytecode caches, page cache, the day's first start
        for key, _ in dbs:
            program(self.paths[key])
        bare: list[float] = []
        runs: dict[str, list[dict]] = {key: [] for key, _ in dbs}
        for _ in range(self.reps(7, 5)):
            bare.append(run_child(bare_args)["elapsed"])
            for key, _ in dbs:
                runs[key].append(program(self.paths[key]))
        floor = median(bare)
        for (key, label), target in zip(dbs, (1.5, 2.5), strict=False):
            times = [r["elapsed"] for r in runs[key]]
            self.add(Figure(f"first window with rows, {label} members", median(times), "s", floor, target,
                            f"runs {spread(times)}, bare {spread(bare)}", times))
        peaks = [r["peak_mb"] for rs in runs.values() for r in rs]
        self.window_peaks = peaks

    # -- quick search and sort -------------------------------------------------------------
    def table(self) -> None:
        dbs = [("district", "40k", 50 / 1000)] + ([] if self.quick else [("stress", "300k", 150 / 1000)])
        peaks = list(getattr(self, "window_peaks", []))
        for key, label, limit in dbs:
            result = run_child([str(BENCH / "probe_table.py"), str(self.paths[key]), str(self.reps(3, 1))], timeout=600)
            peaks.append(result["peak_mb"])
            for what, name in (("search", "quick-search keystroke"), ("sort", "sort by a column")):
                ms = sorted(result[what])
                p90 = ms[int(0.9 * (len(ms) - 1))]
                self.add(Figure(f"{name}, {label} members", median(ms) / 1000, "s", None, limit,
                                f"{len(ms)} measured, p90 {p90:.0f} ms, max {ms[-1]:.0f} ms",
                                [m / 1000 for m in ms]))
        self.add(Figure("window peak memory", max(peaks), "MB", None, 150,
                        f"first rows and search/sort children, {spread(peaks, unit='MB')}", peaks))

    # -- packages --------------------------------------------------------------------------
    def packages(self) -> list[str]:
        return sorted(str(p) for p in self.paths["packages"].glob("*.xlsx"))

    def import_(self) -> None:
        pkgs = self.packages()
        floors, values, peaks = [], [], []
        for _ in range(self.reps(3, 1)):
            floors.append(run_child([str(BENCH / "probe_work.py"), "floor-import",
                                     str(fresh_copy(self.paths["district_empty"], "floor.db")), *pkgs])["seconds"])
            result = run_child([str(BENCH / "probe_work.py"), "import",
                                str(fresh_copy(self.paths["district_empty"], "import.db")), *pkgs])
            values.append(result["seconds"])
            peaks.append((result["peak_mb"], result["workers_peak_mb"]))
        self.add(Figure(f"import of {len(pkgs)} township packages", median(values), "s", median(floors), 2,
                        f"runs {spread(values)}, floor {spread(floors)}", values))
        self.add(memory_figure("peak memory of the district import", peaks, 150))
        if not self.quick:
            result = run_child([str(BENCH / "probe_work.py"), "preview",
                                str(fresh_copy(self.paths["district_empty"], "preview.db")), *pkgs])
            self.add(Figure(f"preview (dry run) of {len(pkgs)} packages", result["seconds"], "s", median(floors), None,
                            f"validates every record; peak {result['peak_mb']:.0f} MB"))

    def export(self) -> None:
        work = fresh_copy(self.paths["district"], "export.db")
        with closing(sqlite3.connect(work)) as conn:
            code, name, members = conn.execute(
                "SELECT t.code, t.name, count(*) FROM townships t JOIN members m ON m.township_code = t.code "
                "GROUP BY t.code ORDER BY count(*) DESC LIMIT 1").fetchone()
        out = OUT / "work" / "export"
        floors, values = [], []
        for _ in range(self.reps(3, 1)):
            shutil.rmtree(out, ignore_errors=True)
            result = run_child([str(BENCH / "probe_work.py"), "export", str(work), code, str(out)])
            values.append(result["seconds"])
            floors.append(run_child([str(BENCH / "probe_work.py"), "floor-export", result["path"],
                                     str(OUT / "work" / "floor-export.xlsx")])["seconds"])
        self.add(Figure(f"export of one township's package ({members:,} members)", median(values), "s",
                        median(floors), 1.5, f"{name}, {result['rows']:,} rows; runs {spread(values)}", values))

    def roster(self) -> None:
        floors, values, peaks, previews = [], [], [], []
        for _ in range(self.reps(3, 1)):
            floors.append(run_child([str(BENCH / "probe_work.py"), "floor-import",
                                     str(fresh_copy(self.paths["district_empty"], "floor.db")),
                                     str(self.paths["roster"])])["seconds"])
            result = run_child([str(BENCH / "probe_work.py"), "roster",
                                str(fresh_copy(self.paths["township"], "roster.db")), str(self.paths["roster"])])
            values.append(result["seconds"])
            previews.append(result["preview"])
            peaks.append((result["peak_mb"], result["workers_peak_mb"]))
        self.add(Figure(f"legacy roster, {data.ROSTER_ROWS:,} rows, preview + commit", median(values), "s",
                        median(floors), 2.5, f"preview {median(previews):.2f} s, {result['written']:,} rows written, "
                        f"{result['refused']} refused; runs {spread(values)}", values))
        self.add(memory_figure("peak memory of the roster import", peaks, 300))

    def stats(self) -> None:
        values = [run_child([str(BENCH / "probe_work.py"), "stats", str(self.paths["district"])])["seconds"]
                  for _ in range(self.reps(5, 3))]
        self.add(Figure("statistics page, district (this year)", median(values), "s", None, 0.5,
                        f"runs {spread(values)}", values))


def memory_figure(name: str, peaks: list[tuple[float, float]], limit: float) -> Figure:
    """The importers parse in a worker process (exchange/isolation.py) while the program's own
    process checks and writes: both are counted, as if their peaks came at the same time."""
    own, worker = max(p for p, _ in peaks), max(w for _, w in peaks)
    return Figure(name, own + worker, "MB", None, limit, f"program {own:.0f} MB + parsing worker {worker:.0f} MB",
                  [p + w for p, w in peaks])


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    ram = ""
    if Path("/proc/meminfo").exists():
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        ram = f"{kb / 1024 / 1024:.0f} GB"
    try:
        from PySide6 import __version__ as qt
    except ImportError:
        qt = "?"
    return {"date": datetime.now().strftime("%Y-%m-%d %H:%M"), "nproc": os.cpu_count(), "cpu": cpu, "ram": ram,
            "python": platform.python_version(), "pyside6": qt, "sqlite": sqlite3.sqlite_version,
            "system": platform.platform(), "load": os.getloadavg() if hasattr(os, "getloadavg") else None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a reduced set: no 300k stress database, fewer runs")
    parser.add_argument("--only", default=",".join(GROUPS), help=f"comma-separated groups ({', '.join(GROUPS)})")
    args = parser.parse_args(argv)
    groups = [g.strip() for g in args.only.split(",") if g.strip()]
    unknown = set(groups) - set(GROUPS)
    if unknown:
        parser.error(f"unknown group(s): {', '.join(sorted(unknown))}")
    started = time.perf_counter()
    paths = data.build(args.quick)
    data.prepare(paths)
    info = machine()
    print(f"# {info['date']} — {info['nproc']} × {info['cpu']}, {info['ram']} RAM; Python {info['python']}, "
          f"PySide6 {info['pyside6']}, SQLite {info['sqlite']}{' (quick)' if args.quick else ''}", flush=True)
    runner = Runner(args.quick, paths)
    failed: list[str] = []
    for group in GROUPS:
        if group in groups:
            try:
                getattr(runner, "import_" if group == "import" else group)()
            except (ChildFailed, subprocess.CalledProcessError) as exc:
                failed.append(group)
                print(f"{group}: measurement failed: {exc}", file=sys.stderr, flush=True)
    missed = [f for f in runner.figures if f.met is False]
    elapsed = time.perf_counter() - started
    print(f"# {len(runner.figures)} figures, {len(missed)} missed, {len(failed)} failed; {elapsed:.0f} s", flush=True)
    (OUT / ("results-quick.json" if args.quick else "results.json")).write_text(json.dumps(
        {"machine": info, "quick": args.quick, "seconds": elapsed, "figures": [f.to_json() for f in runner.figures],
         "failed": failed}, ensure_ascii=False, indent=1))
    if failed:
        return 2
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
