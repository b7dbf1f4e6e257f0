"""What every command shares: exit codes, the one-line Chinese error, progress on stderr, and
the database's lock for the commands that write to it."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..services.progress import Progress

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


def fail(message: str, code: int = EXIT_REFUSED) -> int:
    print(f"错误：{message}", file=sys.stderr)
    return code


@contextmanager
def holding_database(db: Path, command: str) -> Iterator[None]:
    """The lock the window takes (``instance_lock.py``), held while a command writes to or
    replaces ``db``; raises ``DatabaseInUseError`` (one Chinese line) while someone else holds it.
    Commands that only read (check, stats, backups, backup, the dry runs) do without: SQLite lets
    them read beside a writer, and ``restore`` itself waits for no reader (``storage/backup.py``)."""
    lock = None
    try:
        with _interrupt_after():  # shiboken aborts the process when Ctrl-C cuts its start short
            from ..instance_lock import InstanceLock  # loads Qt's core library: only for these commands

            lock = InstanceLock(db).acquire(command)
        yield
    finally:
        if lock is not None:
            lock.release()


class ProgressPrinter:
    """Prints a step to stderr when it moves on (the finer steps are for the window's bar)."""

    def __init__(self) -> None:
        self.last = -1

    def __call__(self, step: Progress) -> None:
        if step.message and step.done != self.last:
            self.last = step.done
            print(f"[{step.done:,}/{step.total:,}] {step.message}", file=sys.stderr)


@contextmanager
def _ctrl_c_caught(on_first: Callable[[], None]) -> Iterator[list[bool]]:
    """Ctrl-C inside the block does not raise: the first press calls ``on_first``, and each is
    listed in what the block gets. Outside the main thread (where Python does not handle
    signals), or where Ctrl-C is not Python's to raise (ignored, as in a background job), it
    changes nothing."""
    import signal  # not for the window's start, which loads this module

    pressed: list[bool] = []
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT) is not signal.default_int_handler):
        yield pressed
        return

    def caught(_signum: int, _frame: object) -> None:
        if not pressed:
            on_first()
        pressed.append(True)

    before = signal.signal(signal.SIGINT, caught)
    try:
        yield pressed
    finally:
        signal.signal(signal.SIGINT, before)


@contextmanager
def finish_before_interrupt(note: str) -> Iterator[None]:
    """Ctrl-C inside the block does not stop it: ``note`` is printed at once and the block
    runs to its end. For a write that takes seconds and is all or nothing (a roster's one
    transaction): stopped half-way, the clerk would be told it failed when SQLite had
    already committed it, or it had not when it had."""
    with _ctrl_c_caught(lambda: print(note, file=sys.stderr, flush=True)):
        yield


@contextmanager
def _interrupt_after() -> Iterator[None]:
    """Ctrl-C inside the block is raised once the block has ended."""
    with _ctrl_c_caught(lambda: None) as pressed:
        yield
    if pressed:
        raise KeyboardInterrupt
