"""The program's first screen (``python -m dangjian_desktop``): it paints the 党员 table's first
rows before SQLAlchemy, Alembic or any spreadsheet library has been imported (they add about
half a second to a start; ``services/start_view.py``), and the benchmark's probe
(``ui/first_rows_probe.py``) reports that moment. The speed itself is measured by bench/run.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import factories as F
from conftest import TOWNSHIP
from dangjian_desktop.domain import records as R
from dangjian_desktop.services.store import Store
from dangjian_desktop.services.unit_service import init_unit
from dangjian_desktop.storage.repositories import AuditLog, repository_for
from dangjian_desktop.ui.first_rows_probe import HEAVY

ROOT = Path(__file__).resolve().parents[2]


def test_the_first_rows_are_painted_without_the_heavy_libraries(tmp_path):
    db = tmp_path / "township.db"
    with Store.open(db) as store:
        init_unit(store, TOWNSHIP)
        branch = F.branch("东岭村党支部")
        with store.db.write() as s:
            audit = AuditLog(s, "测试员")
            repository_for(R.Branch, s, audit).add(branch)
            repository_for(R.Member, s, audit).add(F.member("张三", branch_uuid=branch.uuid))
    home = str(tmp_path / "home")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "DANGJIAN_BENCH_FIRST_ROWS": "1",
           "XDG_DATA_HOME": home, "LOCALAPPDATA": home, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "dangjian_desktop", "--db", str(db)], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    assert done.returncode == 0 and lines, done.stderr[-2000:]
    report = json.loads(lines[-1])
    assert report["loaded"] == [], f"loaded before the first rows were shown: {report['loaded']} (of {HEAVY}, or Qt's enums)"
    assert report["elapsed"] > 0 and report["peak_mb"] > 0
