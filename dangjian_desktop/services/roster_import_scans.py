"""The gate's scan of a roster's .xlsx sheets, run beside the worker process that reads them.

Scanning a sheet's XML (``roster_source.scan_sheet``: its real extent, hidden rows, merged
ranges) takes about as long as starting the worker and opening the file, and it must pass
before a parser reads the sheet's cells. ``SheetScans`` runs the scans in a thread of the
caller's process while the worker starts, and tells the worker, sheet by sheet, through a
pipe, that it may read that sheet's rows (``roster_loaded.load_roster(..., scanned=…)``): the
worker reads nothing the scan has not passed, as when it scanned each sheet itself. A sheet the
scan refuses is refused with the scan's own message, and the worker is stopped.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Generator
from pathlib import Path
from typing import Any, TypeVar

from ..exchange.isolation import IsolationFailure
from ..exchange.roster_loaded import wanted_sheets
from ..exchange.roster_sniff import RosterFileError
from ..exchange.roster_source import SheetScan, scan_sheet, sheet_parts

T = TypeVar("T")


class SheetScans:
    """The scans of the sheets ``load_roster`` reads the rows of, started at once in a thread;
    ``receiver`` goes to the worker, which hears each sheet's name when its scan has passed."""

    def __init__(self, path: Path, sheet: str | None) -> None:
        self.path = path
        self.parts = wanted_sheets(sheet_parts(path), sheet)
        self.receiver, self._sender = multiprocessing.get_context("spawn").Pipe(duplex=False)
        self.scans: dict[str, SheetScan] = {}
        self.error: BaseException | None = None
        self.failed_at = len(self.parts)  # the sheet (position in the worker's order) the scan refused
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="dangjian-roster-scan", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        for k, p in enumerate(self.parts):
            if self._stopped:
                return
            try:
                self.scans[p.name] = scan_sheet(self.path, p.name, p.part)
                self._sender.send(p.name)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
                self.failed_at, self.error = k, exc
                return

    def watch(self, job: Generator[object | None, None, T]) -> Generator[object | None, None, T]:
        """``job`` (the worker's, whose notes are ``(sheet position, sheets, name)``), stopped —
        its worker killed — once a scan has refused a sheet the worker has come to: until then
        a failure of the worker on an earlier sheet comes first, as it did when the worker
        scanned each sheet just before reading it."""
        reached = -1
        try:
            while True:
                if reached >= self.failed_at:
                    self._raise()
                try:
                    item = next(job)
                except StopIteration as stop:
                    return stop.value
                if isinstance(item, tuple):
                    reached = item[0]
                yield item
        finally:
            job.close()

    def result(self) -> dict[str, SheetScan]:
        """Every scan (the worker has read every sheet, so each has passed)."""
        self._thread.join()
        self._raise()
        return self.scans

    def close(self) -> None:
        """Stop scanning (after the sheet at hand) and close the pipe."""
        self._stopped = True
        for end in (self.receiver, self._sender):
            end.close()

    def _raise(self) -> None:
        if self.error is None:
            return
        if isinstance(self.error, RosterFileError):
            raise self.error
        raise IsolationFailure(f"读取时出错（{type(self.error).__name__}: {self.error}），文件可能已损坏")

    def __getstate__(self) -> Any:  # never sent: only ``receiver`` goes to the worker
        raise TypeError("SheetScans stays in the caller's process")
