"""bench/: the benchmark's command answers --help without building anything, and a figure's
ratio and verdict are computed as documented (the benchmark itself is not a unit test)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_the_command_explains_itself():
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--help"], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    assert done.returncode == 0
    assert "--quick" in done.stdout and "--only" in done.stdout


def test_a_figure_is_judged_by_its_ratio_or_its_limit(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT))
    from bench.common import Figure

    window = Figure("first window", 0.30, "s", floor=0.20, target=1.5)
    assert window.ratio == pytest.approx(1.5) and window.met is True and window.line().split()[-1] == "met"
    slow = Figure("first window", 0.31, "s", floor=0.20, target=1.5)
    assert slow.met is False and "MISSED" in slow.line() and "1.55×" in slow.line()
    keystroke = Figure("keystroke", 0.051, "s", target=0.05)
    assert keystroke.ratio is None and keystroke.met is False and "51 ms" in keystroke.line()
    memory = Figure("peak memory", 149.0, "MB", target=150)
    assert memory.met is True and "149 MB" in memory.line()
    assert Figure("preview", 2.0, "s", floor=1.0).met is None  # no target: shown, not judged
