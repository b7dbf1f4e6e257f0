"""Measures the time from starting the program to its main window being shown (mapped on the
screen), for the program run from source and for the bundle, under a private Xvfb.

    python build/measure_start.py --db DEMO.db [--runs 5] NAME=COMMAND [NAME=COMMAND ...]
    e.g.  source=".venv/bin/dangjian-desktop"  bundle="pyinstaller-dist/dangjian-desktop/dangjian-desktop"

Each run drops the page cache first when it can (root), so every start is a cold one; the
table gives the median and the slowest run per command, and the ratio to the first command.
Needs Debian's xvfb and x11-utils (xwininfo); the program's window title contains 党建台账.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

TITLE = "党建台账"
WINDOW_LINE = re.compile(r'^\s*(0x[0-9a-f]+) "([^"]*' + TITLE + r'[^"]*)".*?\s(\d+)x(\d+)\+')


def drop_caches() -> bool:
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def shown_window(display: str) -> bool:
    """A top-level window whose title names 党建台账, at least 200 px wide, that is viewable."""
    env = {**os.environ, "DISPLAY": display}
    tree = subprocess.run(["xwininfo", "-root", "-children"], env=env, capture_output=True, text=True).stdout
    for line in tree.splitlines():
        match = WINDOW_LINE.match(line)
        if match and int(match.group(3)) >= 200:
            info = subprocess.run(["xwininfo", "-id", match.group(1)], env=env, capture_output=True, text=True).stdout
            if "IsViewable" in info:
                return True
    return False


def time_to_window(command: list[str], db: Path, display: str, timeout: float = 60.0) -> float:
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    start = time.perf_counter()
    proc = subprocess.Popen([*command, "--db", str(db)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while time.perf_counter() - start < timeout:
            if shown_window(display):
                return time.perf_counter() - start
            if proc.poll() is not None:
                raise SystemExit(f"{command[0]} exited ({proc.returncode}) before showing a window: "
                                 f"{proc.stderr.read().decode(errors='replace')[-2000:]}")
            time.sleep(0.01)
        raise SystemExit(f"{command[0]} showed no window within {timeout:.0f} s")
    finally:
        proc.terminate()
        proc.wait(10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="an existing database with a unit (e.g. the demo)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("commands", nargs="+", metavar="NAME=COMMAND")
    args = parser.parse_args(argv)
    commands = [(name, shlex.split(cmd)) for name, _, cmd in (c.partition("=") for c in args.commands)]

    # -displayfd: Xvfb picks a free display and writes its number once it accepts connections.
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", "1", "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        display = f":{xvfb.stdout.readline().strip()}"
        if display == ":":
            raise SystemExit("Xvfb did not start")
        cold = drop_caches()
        results: dict[str, list[float]] = {name: [] for name, _ in commands}
        for _ in range(args.runs):
            for name, command in commands:  # interleaved, so that both see the same machine state
                drop_caches()
                results[name].append(time_to_window(command, args.db, display))
    finally:
        xvfb.terminate()
        xvfb.wait(10)

    base = statistics.median(results[commands[0][0]])
    print(f"start to shown window, {args.runs} runs each, page cache {'dropped before each run' if cold else 'NOT dropped (not root)'}:")
    for name, times in results.items():
        median = statistics.median(times)
        print(f"  {name:8s} median {median:.2f} s, slowest {max(times):.2f} s, {median / base:.2f}× {commands[0][0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
