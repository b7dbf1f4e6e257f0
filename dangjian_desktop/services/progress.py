"""Progress of long work: a use case is a generator that yields ``Progress`` and returns its
result; the command line prints it, the window's worker turns it into a progress bar."""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import NamedTuple, TypeVar

T = TypeVar("T")


class Progress(NamedTuple):  # a named tuple: a dataclass costs the start ~1 ms to make
    done: int
    total: int
    message: str = ""

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 0.0


Job = Generator[Progress, None, T]


def run_job(job: "Job[T]", on_progress: Callable[[Progress], object] | None = None) -> T:
    """Drive a job to its end, passing each step to ``on_progress``; return its result."""
    while True:
        try:
            step = next(job)
        except StopIteration as stop:
            return stop.value
        if on_progress is not None:
            on_progress(step)
