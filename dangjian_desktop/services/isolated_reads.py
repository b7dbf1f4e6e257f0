"""The parse step of the roster importer, run in a worker process (``exchange.isolation``).

``read_roster(path, sheet)`` is what the importer calls instead of reading a file in the
window's process: a roster's sheets, read within limits (``roster_loaded``). It is a job
(yields ``Progress``; closing it kills the child). The shared gate (``file_guard``) runs here
first, in the caller's process — it is streamed and bounded — so that an obviously bad file is
refused at once without starting a process; the child runs it again with the parser. A crash,
a memory blow-up or a timeout of the child becomes the importer's own refusal
(``RosterFileError``) naming the file; nothing reaches the window.

The monthly packages have their own worker (``package_stream``). The in-process reader
(``roster_loaded.load_roster``) stays available to tests and benchmarks; the program uses this.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any, TypeVar

from ..exchange import roster_sniff
from ..exchange.isolation import IsolationFailure, Limits, run_isolated
from ..exchange.roster_loaded import LoadedBook, LoadedWorkbook, load_roster, with_scans
from ..exchange.roster_sniff import FileFormat, check_before_parsing, sniff
from .progress import Job, Progress
from .roster_import_scans import SheetScans

T = TypeVar("T")
ROSTER_LIMITS = Limits(timeout_s=300, memory_mb=1536)


def _drive(job: Generator[object | None, None, T], progress: Callable[[Any], Progress | None],
           first: Progress) -> Job[T]:
    """Turn the child's notes into ``Progress``; a heartbeat repeats the last step."""
    last = first
    try:
        while True:
            try:
                note = next(job)
            except StopIteration as stop:
                return stop.value
            if note is not None:
                last = progress(note) or last
            yield last
    finally:
        job.close()  # kills the child if this job is closed early (cancelled)


# ---------------------------------------------------------------- rosters

def read_roster(path: Path | str, sheet: str | None = None, limits: Limits = ROSTER_LIMITS) -> Job[LoadedWorkbook]:
    """A roster's sheets read in a worker process (only ``sheet`` if given).

    The gate's scan of each .xlsx sheet (extent, hidden rows, merged ranges) runs here, in a
    thread, while the worker starts and opens the file: the worker reads a sheet's rows only
    once its scan has passed, as if it had scanned it itself, and a refused sheet is refused
    with the scan's own message."""
    path = Path(path)
    sniffed = sniff(path)
    check_before_parsing(sniffed)  # the gate, here too: no process for what it refuses

    def note(n: tuple[int, int, str]) -> Progress:
        return Progress(n[0], n[1], f"正在读取工作表“{n[2]}”")

    scans = SheetScans(path, sheet) if sniffed.format is FileFormat.XLSX else None
    try:
        job = run_isolated(load_roster, (str(path), sheet, scans.receiver if scans else None), limits)
        book: LoadedBook = yield from _drive(scans.watch(job) if scans else job, note,
                                             Progress(0, 0, f"正在读取 {path.name}"))
        if scans is not None:
            book = with_scans(book, scans.result())
    except IsolationFailure as failure:
        raise roster_sniff.GATE.refuse(path, failure.cause) from None
    finally:
        if scans is not None:
            scans.close()
    return LoadedWorkbook(book)
