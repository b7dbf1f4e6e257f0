"""The district import's packages, read in one worker process (``exchange.isolation``).

``PackageStream(paths, seen)`` starts one child running ``read_in_import_order``: it reads the
manifest of every file (``metas``), then the packages to import in import order, each read and
verified while the caller checks and writes the one before (the child waits for the caller only
when a package is ready and not yet taken: one package at a time in each process). ``seen``
holds the export ids imported before: those files are not read. If a file kills the child (a
parser crash, the memory or time limit), that file is refused with the import's own message
naming it and a fresh child takes the rest; ``close`` stops the child (the window's 取消).

The gate's quick refusals (size, content, zip bomb, declarations) are made in the child too:
every file is opened once, by one process, which scans each zip entry once.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from pathlib import Path
from typing import Any

from ..exchange import package_guard
from ..exchange.isolation import IsolationFailure, Limits, run_isolated
from ..exchange.package_batch import import_order, read_in_import_order
from ..exchange.package_meta import PackageMeta
from ..exchange.package_reader import NotAPackageError, PackageData, PackageReadError
from .progress import Job, Progress

PACKAGE_LIMITS = Limits(timeout_s=120, memory_mb=1536)  # per file; a package is a few MB
Event = tuple[Any, ...]


def _refusal(path: Path, failure: IsolationFailure) -> NotAPackageError:
    return NotAPackageError(package_guard.GATE.refuse(path, failure.cause).message)


class PackageStream:
    """Manifests first (``metas``), then the packages in import order (``take``)."""

    def __init__(self, paths: Sequence[Path], seen: frozenset[str] = frozenset(),
                 limits: Limits | None = None) -> None:
        self.paths = list(paths)
        self.seen = seen
        self.limits = limits or PACKAGE_LIMITS
        self._metas: dict[int, PackageMeta | str] = {}
        self._ready: dict[int, PackageData | PackageReadError] = {}
        self._events = self._run()

    def metas(self) -> Job[list[PackageMeta | str]]:
        """Each file's manifest, or the Chinese sentence saying why it is refused."""
        total = len(self.paths)
        while len(self._metas) < total:
            event = next(self._events)
            if event[0] == "file":
                yield Progress(len(self._metas), total, f"正在检查 {self.paths[event[1]].name}")
            elif event[0] == "beat":
                yield Progress(len(self._metas), total, "正在检查数据包")
        return [self._metas[k] for k in range(total)]

    def take(self, k: int, done: int = 0, total: int = 0) -> Job[PackageData]:
        """Package ``k`` of ``paths`` (raises ``PackageReadError`` if it is refused)."""
        text = f"正在读取 {self.paths[k].name}"
        while k not in self._ready:
            try:
                event = next(self._events)
            except StopIteration:  # the child finished without it: not a file to import
                raise NotAPackageError(f"{self.paths[k].name}：没有读取这个数据包") from None
            if event[0] == "sheet":
                text = f"正在读取 {self.paths[k].name}「{event[1]}」"
            yield Progress(done, total, text)
        got = self._ready.pop(k)
        if isinstance(got, PackageReadError):
            raise got
        return got

    def close(self) -> None:
        self._events.close()

    def _left(self, done: set[int]) -> list[int]:
        """Files still to look at, the next one first: manifests, then packages in import order."""
        unread = [k for k in range(len(self.paths)) if k not in self._metas]
        return unread or [k for k in import_order(self._metas, self.seen) if k not in done]

    def _run(self) -> Generator[Event, None, None]:
        done: set[int] = set()
        while left := self._left(done):
            current = left[0]
            job = run_isolated(read_in_import_order, (
                [str(p) for p in self.paths], self.seen, dict(self._metas), frozenset(done),
            ), Limits(self.limits.timeout_s * len(left), self.limits.memory_mb))
            try:
                for note in _notes(job):
                    if note is None:
                        yield ("beat",)
                        continue
                    kind = note[0]
                    if kind == "file":
                        current = note[1]
                    elif kind == "meta":
                        self._metas[note[1]] = note[2]
                    elif kind in ("done", "refused"):
                        done.add(note[1])
                        self._ready[note[1]] = note[2] if kind == "done" else _error(note[2], note[3])
                    yield note
                return
            except IsolationFailure as failure:  # that file is refused; a fresh child takes the others
                refusal = _refusal(self.paths[current], failure)
                if current not in self._metas:
                    self._metas[current] = refusal.message
                elif current not in done:
                    done.add(current)
                    self._ready[current] = refusal
                else:  # it failed after its last file: nothing is lost
                    return
                yield ("file", current)


def _notes(job: Generator[object | None, None, Any]) -> Generator[Any, None, None]:
    try:
        yield from job
    finally:
        job.close()  # kills the child when the stream is closed early


def _error(cls: type[PackageReadError], message: str) -> PackageReadError:
    try:
        return cls(message)
    except TypeError:  # a subclass with another signature
        return PackageReadError(message)
