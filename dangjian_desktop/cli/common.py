"""What every command shares: exit codes, the one-line Chinese error, progress on stderr."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..services.progress import Progress

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


def fail(message: str, code: int = EXIT_REFUSED) -> int:
    print(f"错误：{message}", file=sys.stderr)
    return code


class ProgressPrinter:
    """Prints a step to stderr when it moves on (the finer steps are for the window's bar)."""

    def __init__(self) -> None:
        self.last = -1

    def __call__(self, step: Progress) -> None:
        if step.message and step.done != self.last:
            self.last = step.done
            print(f"[{step.done:,}/{step.total:,}] {step.message}", file=sys.stderr)
