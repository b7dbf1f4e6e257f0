"""The garbage collector during the start: paused while the program loads, then resumed.

Loading the program creates a few hundred thousand objects (modules, classes, enum members,
the first page of rows) that live as long as the program does; the cyclic collector would
walk them again and again while they are being made (≈ 7 ms of the window's start). So
``__main__`` pauses it first thing, and ``resume()`` starts it again — for a command at once,
for the window once its first rows are on screen — after moving what exists by then out of the
collector's way for good (``gc.freeze``). Code that never paused it (the tests, a library
user) is not affected: ``resume()`` then does nothing.
"""

from __future__ import annotations

import gc

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
