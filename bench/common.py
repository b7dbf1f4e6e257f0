"""Shared pieces of the benchmark: figures, medians, child processes with peak memory.

Every target is a ratio against a floor measured in the same run (absolute times drift from
run to run and machine to machine), or an absolute limit where the issue names one. Each
measurement runs in a child process started here, which prints one JSON line at the end
(``seconds``, ``peak_mb`` and whatever else it measured).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
PYTHON = sys.executable


@dataclass
class Figure:
    """One printed line: a measured value against its floor (ratio target) or a limit."""

    name: str
    value: float | None  # seconds or MB
    unit: str  # "s" or "MB"
    floor: float | None = None
    target: float | None = None  # a ratio limit when ``floor`` is set, else an absolute limit
    note: str = ""
    samples: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.floor:
            return None
        return self.value / self.floor

    @property
    def met(self) -> bool | None:
        if self.value is None or self.target is None:
            return None
        measured = self.ratio if self.floor is not None else self.value
        return measured is not None and measured <= self.target

    def fmt(self, v: float | None) -> str:
        if v is None:
            return "—"
        if self.unit == "s":
            return f"{v * 1000:.0f} ms" if v < 1 else f"{v:.2f} s"
        return f"{v:.0f} {self.unit}"

    def line(self) -> str:
        ratio = f"{self.ratio:.2f}×" if self.ratio is not None else "—"
        if self.target is None:
            target = "—"
        else:
            target = f"≤ {self.target:g}×" if self.floor is not None else f"≤ {self.fmt(self.target)}"
        verdict = {True: "met", False: "MISSED", None: "info"}[self.met]
        text = (f"{self.name:<44} {self.fmt(self.value):>9}  floor {self.fmt(self.floor):>9}  {ratio:>6}  "
                f"target {target:<9} {verdict}")
        return text + (f"  ({self.note})" if self.note else "")

    def to_json(self) -> dict:
        return {"name": self.name, "value": self.value, "unit": self.unit, "floor": self.floor,
                "ratio": self.ratio, "target": self.target, "met": self.met, "note": self.note,
                "samples": self.samples}


def median(values: list[float]) -> float:
    return statistics.median(values)


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of every child: this tree's package, offscreen Qt, a private data folder
    (window.ini, logs) and bytecode caching on, as in an installed program."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update({
        "PYTHONPATH": os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]),
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_DATA_HOME": str(OUT / "home"),
        "LOCALAPPDATA": str(OUT / "home"),
    })
    env.update(extra or {})
    return env


class ChildFailed(RuntimeError):
    pass


def run_child(args: list[str], env: dict[str, str] | None = None, timeout: float = 900) -> dict:
    """Run ``python ARGS`` in a child; returns its last JSON line, with ``wall`` (seconds from
    just before the start to the line) added. ``DANGJIAN_BENCH_T0`` tells the child when it
    was started, so that it can report the time since then itself."""
    t0 = time.time()
    start = time.perf_counter()
    proc = subprocess.Popen([PYTHON, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=child_env({**(env or {}), "DANGJIAN_BENCH_T0": repr(t0)}), cwd=ROOT)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise ChildFailed(f"{' '.join(args)}: no answer within {timeout:.0f} s") from None
    wall = time.perf_counter() - start
    lines = [ln for ln in out.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise ChildFailed(f"{' '.join(args)} failed ({proc.returncode}):\n{err[-3000:]}")
    payload = json.loads(lines[-1])
    payload.setdefault("wall", wall)
    return payload


def peak_mb(who: int | None = None) -> float:
    """Peak resident memory (MB) of this process, or (``resource.RUSAGE_CHILDREN``) of the
    largest of its finished children — the importers' parse runs in a worker process."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF if who is None else who).ru_maxrss / 1024


def emit(**values: object) -> None:
    """A child's answer: one JSON line with its peak memory and its own workers' peak."""
    import resource

    print(json.dumps({**values, "peak_mb": peak_mb(), "workers_peak_mb": peak_mb(resource.RUSAGE_CHILDREN)}),
          flush=True)
