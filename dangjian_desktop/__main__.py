"""Entry point: ``python -m dangjian_desktop`` and the ``dangjian-desktop`` command."""

from __future__ import annotations

import signal
import sys
import threading


def main() -> int:
    from . import collector

    collector.pause()  # resumed once a command starts, or the window shows its first rows
    if getattr(sys, "frozen", False):  # a no-op elsewhere, and importing it costs ~10 ms of the start
        import multiprocessing

        # In a PyInstaller bundle the executable is also the importers' worker process
        # (exchange/isolation.py); without this a worker would start the program again.
        multiprocessing.freeze_support()
    from .cli import main as cli_main

    code = 1
    try:
        code = cli_main()
    except KeyboardInterrupt:  # the command had ended (it catches its own): what it said stands
        pass
    while True:
        try:
            _ignore_ctrl_c()
            return code
        except KeyboardInterrupt:  # pending from the work's last moments: raised as a function starts
            continue


def _ignore_ctrl_c() -> None:
    """The work is over and said: a Ctrl-C while the interpreter shuts down (it waits for its
    threads) would only add a traceback, or end the process by the signal instead of its
    exit code. From here on Ctrl-C is ignored."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)


if __name__ == "__main__":
    sys.exit(main())
