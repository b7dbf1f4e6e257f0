"""Entry point: ``python -m dangjian_desktop`` and the ``dangjian-desktop`` command."""

from __future__ import annotations

import sys


def main() -> int:
    from . import collector

    collector.pause()  # resumed once a command starts, or the window shows its first rows
    if getattr(sys, "frozen", False):  # a no-op elsewhere, and importing it costs ~10 ms of the start
        import multiprocessing

        # In a PyInstaller bundle the executable is also the importers' worker process
        # (exchange/isolation.py); without this a worker would start the program again.
        multiprocessing.freeze_support()
    from .cli import main as cli_main

    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
