"""The parse step of both importers, run in a worker process (``exchange.isolation``).

What the importers call instead of reading a file in the window's process:

- ``package_metas(paths)``: the manifest of each monthly package (one child for all files; if
  one file kills it, that file is refused and a new child takes the rest);
- ``read_package_isolated(path)``: a whole package, read and verified;
- ``PackageStream(paths)``: many packages, read and verified in order by one child that reads
  the next file while the caller writes this one (a child per file would cost ~0.2 s each to
  start and leave the second core idle; if a file kills the child, that file is refused and a
  fresh child takes the rest);
- ``read_roster(path, sheet)``: a roster's sheets, read within limits (``roster_loaded``).

Each is a job (yields ``Progress``; closing it kills the child). The shared gate
(``file_guard``) runs here first, in the caller's process — it is streamed and bounded — so that
an obviously bad file is refused at once without starting a process; the child runs it again
with the parser. A crash, a memory blow-up or a timeout of the child becomes the importer's own
refusal (``NotAPackageError`` / ``RosterFileError``) naming the file; nothing reaches the window.

The in-process readers (``package_reader.read_package``, ``roster_loaded.load_roster``) stay
available to tests and benchmarks; the program uses these.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from ..exchange import package_guard, roster_sniff
from ..exchange.isolation import IsolationFailure, Limits, run_isolated
from ..exchange.package_guard import NotAWorkbookError, XlsxGuard
from ..exchange.package_reader import NotAPackageError, PackageData, PackageReadError, package_meta, read_package
from ..exchange.package_writer import PackageMeta
from ..exchange.roster_loaded import LoadedBook, LoadedWorkbook, load_roster, with_scans
from ..exchange.roster_sniff import FileFormat, check_before_parsing, sniff
from .progress import Job, Progress
from .roster_import_scans import SheetScans

T = TypeVar("T")
PACKAGE_LIMITS = Limits(timeout_s=120, memory_mb=1536)  # per file; a package is a few MB
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


# ---------------------------------------------------------------- monthly packages

def _package_refusal(path: Path, failure: IsolationFailure) -> NotAPackageError:
    return NotAPackageError(package_guard.GATE.refuse(path, failure.cause).message)


def _metas_in_child(emit: Callable[[object], None], paths: list[str]) -> list[PackageMeta | str]:
    out: list[PackageMeta | str] = []
    for k, p in enumerate(paths):
        emit(("file", k))
        try:
            out.append(package_meta(p))
        except PackageReadError as exc:
            out.append(exc.message)
        emit(("done", k, out[-1]))
    return out


def package_metas(paths: Sequence[Path], limits: Limits = PACKAGE_LIMITS) -> Job[list[PackageMeta | str]]:
    """Each file's manifest, or the Chinese sentence saying why it is refused."""
    results: dict[int, PackageMeta | str] = {}
    todo = []
    for k, p in enumerate(paths):
        try:
            XlsxGuard(p)  # the gate (size, content, zip bomb, DOCTYPE …): no process for these
        except NotAWorkbookError as exc:
            results[k] = exc.message
        else:
            todo.append(k)
    while todo:
        batch, current = todo, [todo[0]]

        def note(n: Any, batch: list[int] = batch, current: list[int] = current) -> Progress:
            if n[0] == "file":
                current[0] = batch[n[1]]
            else:
                results[batch[n[1]]] = n[2]
            return Progress(len(results), len(paths), f"正在检查 {paths[current[0]].name}")

        job = run_isolated(_metas_in_child, ([str(paths[k]) for k in batch],),
                           Limits(limits.timeout_s * len(batch), limits.memory_mb))
        try:
            found = yield from _drive(job, note, Progress(len(results), len(paths), "正在检查数据包"))
            results.update(zip(batch, found))
        except IsolationFailure as failure:  # that file is refused; a fresh child takes the others
            results.setdefault(current[0], _package_refusal(paths[current[0]], failure).message)
        todo = [k for k in batch if k not in results]
    return [results[k] for k in range(len(paths))]


def _package_in_child(emit: Callable[[object], None], path: str) -> PackageData:
    job = read_package(path)
    while True:
        try:
            emit(next(job))
        except StopIteration as stop:
            return stop.value


def read_package_isolated(path: Path, done: int = 0, total: int = 0,
                          limits: Limits = PACKAGE_LIMITS) -> Job[PackageData]:
    """Read and verify a package in a worker process; ``done``/``total`` place it in a longer job."""
    def note(n: tuple[int, int, str]) -> Progress:
        return Progress(done, total, f"正在读取 {path.name}「{n[2]}」")

    try:
        return (yield from _drive(run_isolated(_package_in_child, (str(path),), limits), note,
                                  Progress(done, total, f"正在读取 {path.name}")))
    except IsolationFailure as failure:
        raise _package_refusal(path, failure) from None


def _packages_in_child(emit: Callable[[object], None], paths: list[str]) -> None:
    for k, path in enumerate(paths):
        emit(("file", k))
        try:
            data = _package_in_child(lambda n: emit(("sheet", n[2])), path)
        except PackageReadError as exc:
            emit(("refused", k, type(exc), exc.message))
        else:
            emit(("done", k, data))


class PackageStream:
    """Packages read and verified in a worker process, in the order given; ``take(k)`` hands
    over the ``k``-th when it has arrived (the child meanwhile reads the next: it waits for the
    caller only when one package is ready and not yet taken). ``close`` stops the child."""

    def __init__(self, paths: Sequence[Path], limits: Limits = PACKAGE_LIMITS) -> None:
        self.paths = list(paths)
        self.limits = limits
        self._ready: dict[int, PackageData | PackageReadError] = {}
        self._events = self._run()

    def take(self, k: int, done: int = 0, total: int = 0) -> Job[PackageData]:
        """Package ``k`` (raises ``PackageReadError`` if it is refused)."""
        while k not in self._ready:
            event = next(self._events)
            if isinstance(event, str):
                yield Progress(done, total, event)
            else:
                self._ready[event[0]] = event[1]
        got = self._ready.pop(k)
        if isinstance(got, PackageReadError):
            raise got
        return got

    def close(self) -> None:
        self._events.close()

    def _run(self) -> Generator[str | tuple[int, PackageData | PackageReadError], None, None]:
        todo = list(range(len(self.paths)))
        while todo:
            batch, current, delivered = todo, todo[0], set()
            job = run_isolated(_packages_in_child, ([str(self.paths[k]) for k in batch],),
                               Limits(self.limits.timeout_s * len(batch), self.limits.memory_mb))
            try:
                for note in _notes(job):
                    if note is None:
                        yield f"正在读取 {self.paths[current].name}"
                    elif note[0] == "file":
                        current = batch[note[1]]
                        yield f"正在读取 {self.paths[current].name}"
                    elif note[0] == "sheet":
                        yield f"正在读取 {self.paths[current].name}「{note[1]}」"
                    else:
                        k = batch[note[1]]
                        delivered.add(k)
                        yield k, (note[2] if note[0] == "done" else _refusal_of(note[2], note[3]))
            except IsolationFailure as failure:  # that file is refused; a fresh child takes the others
                delivered.add(current)
                yield current, _package_refusal(self.paths[current], failure)
            todo = [k for k in batch if k not in delivered]


def _notes(job: Generator[object | None, None, Any]) -> Generator[Any, None, None]:
    try:
        yield from job
    finally:
        job.close()  # kills the child when the stream is closed early


def _refusal_of(cls: type[PackageReadError], message: str) -> PackageReadError:
    try:
        return cls(message)
    except TypeError:  # a subclass with another signature
        return PackageReadError(message)


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
