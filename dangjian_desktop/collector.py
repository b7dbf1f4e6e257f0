"""The program's use of the cyclic garbage collector: paused while the program starts, and
while an import makes tens of thousands of objects; what lives on is frozen out of its way.

**The start.** Loading the program creates a few hundred thousand objects (modules, classes,
enum members, the first page of rows) that live as long as the program does; the collector
would walk them again and again while they are being made (≈ 7 ms of the window's start). So
``__main__`` pauses it first thing, and ``resume()`` starts it again — for a command at once,
for the window once its first rows are on screen — after moving what exists by then out of the
collector's way for good (``gc.freeze``). Code that never paused it (the tests, a library user)
is not affected: ``resume()`` then does nothing.

**Bulk work** (a roster import's preview and commit: ``bulk_work``). Each full collection
would walk every row, record and problem made so far (≈ 0.4 s of a 30,000-row preview), and
the import makes no cycles worth collecting. With ``keep`` (the preview), what the finished
work leaves alive — the rows and the plan, held while the preview is shown and committed — is
frozen too; ``thaw()`` gives it back when the import is closed. Python can only unfreeze
everything, so that also gives back what the start froze: later full collections walk those
again (a few milliseconds each), which is preferred to freezing again whatever the closed
import still holds, cycles and all, for the rest of the program's life.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_paused = False


def pause() -> None:
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


def paused() -> bool:
    return _paused


@contextmanager
def bulk_work(*, keep: bool = False) -> Iterator[None]:
    """No cyclic garbage collection inside; with ``keep``, what is alive when the work ends is
    frozen (nothing is when it fails or is cancelled). Collection resumes afterwards, unless it
    was off before."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        if keep:
            gc.freeze()
    finally:
        if enabled:
            gc.enable()


def thaw() -> None:
    """Give what ``bulk_work(keep=True)`` froze back to the collector (and what the start froze)."""
    gc.unfreeze()
