"""The benchmark's data, built once and cached under ``bench/out/`` (git-ignored).

- ``district.db``: ``dangjian-desktop demo --scale district`` (20 townships, ≈ 40,000 members);
- ``stress.db``: a district of 20 townships × 15,000 members (300,000), written like the demo;
- ``township.db``: the demo township (青石镇), the target of the roster import;
- ``district-empty.db``: ``dangjian-desktop init --mode district``, the target of the package import;
- ``packages/``: the 20 townships' monthly packages, exported from ``district.db``;
- ``roster-30000.xlsx``: a 党员花名册 of 30,000 synthetic people with a title row, as offices keep it.

A cache entry is rebuilt when its recipe changes (``RECIPES``) or its file is missing; the
databases are brought to the program's schema before any measurement (``prepare``).
Run as a script (``python bench/data.py stress OUT``) it builds one entry in this process.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:  # run as a script: the program's package from this tree
    sys.path.insert(0, str(ROOT))

from bench.common import OUT, PYTHON, child_env  # noqa: E402

DISTRICT_CODE, DISTRICT_NAME = "410999000000", "青川区"
STRESS_TOWNSHIPS, STRESS_MEMBERS = 20, 15_000
ROSTER_ROWS = 30_000
RECIPES = {  # bump a number to rebuild that entry
    "district.db": 1, "stress.db": 1, "township.db": 1, "district-empty.db": 1, "packages": 1, "roster-30000.xlsx": 1,
}


def _cli(*args: str) -> None:
    done = subprocess.run([PYTHON, "-m", "dangjian_desktop", *args], env=child_env(), cwd=ROOT,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"dangjian-desktop {' '.join(args)} failed:\n{done.stderr[-2000:]}")


def _fresh(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _state() -> dict:
    try:
        return json.loads((OUT / "recipes.json").read_text())
    except (OSError, ValueError):
        return {}


def _cached(name: str) -> bool:
    return _state().get(name) == RECIPES[name] and (OUT / name).exists()


def _built(name: str) -> None:
    state = _state()
    state[name] = RECIPES[name]
    (OUT / "recipes.json").write_text(json.dumps(state, indent=1))


def _build(name: str, make) -> Path:  # noqa: ANN001 - a callable writing OUT / name
    path = OUT / name
    if not _cached(name):
        start = time.perf_counter()
        print(f"building bench/out/{name} …", file=sys.stderr, flush=True)
        make(path)
        _built(name)
        print(f"  done in {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    return path


# -- the entries ---------------------------------------------------------------------------

def _make_district(path: Path) -> None:
    _fresh(path)
    _cli("demo", "--db", str(path), "--scale", "district")


def _make_township(path: Path) -> None:
    _fresh(path)
    _cli("demo", "--db", str(path))


def _make_empty_district(path: Path) -> None:
    _fresh(path)
    _cli("init", "--db", str(path), "--mode", "district", "--code", DISTRICT_CODE, "--name", DISTRICT_NAME,
         "--operator", "基准测试")


def _make_stress(path: Path) -> None:
    _fresh(path)
    subprocess.run([PYTHON, str(HERE / "data.py"), "stress", str(path)], check=True, env=child_env(), cwd=ROOT)


def write_stress(path: Path) -> None:
    """20 townships × 15,000 members (with the demo's villages, branches, requests, meetings)."""
    from dangjian_desktop.domain.enums import UnitMode
    from dangjian_desktop.domain.unit import UnitSettings
    from dangjian_desktop.services import demo_data
    from dangjian_desktop.services.demo import write_township
    from dangjian_desktop.services.store import Store
    from dangjian_desktop.services.unit_service import init_unit

    today = date.today()
    with Store.open(path) as store:
        init_unit(store, UnitSettings(UnitMode.DISTRICT, DISTRICT_NAME, DISTRICT_CODE, "基准测试"))
        for i, (code, name) in enumerate(demo_data.demo_townships("district", 1)[:STRESS_TOWNSHIPS], start=1):
            data = demo_data.generate_township(code, name, seed=1, today=today, members=STRESS_MEMBERS)
            write_township(store, data, "基准测试")
            print(f"  [{i}/{STRESS_TOWNSHIPS}] {name}", file=sys.stderr, flush=True)


def _make_packages(folder: Path) -> None:
    district = OUT / "district.db"
    work = OUT / "district-export.db"  # exporting writes the export numbers: not into district.db
    _fresh(work)
    with closing(sqlite3.connect(district)) as src, closing(sqlite3.connect(work)) as dst:
        src.backup(dst)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.xlsx"):
        old.unlink()
    subprocess.run([PYTHON, str(HERE / "data.py"), "packages", str(folder), str(work)], check=True, env=child_env(),
                   cwd=ROOT)
    _fresh(work)


def write_packages(folder: Path, db: Path) -> None:
    """Each township's package of this month, exported from ``db`` (a copy of district.db):
    what ``dangjian-desktop export --township CODE`` does, in one process."""
    from dangjian_desktop.services.package_export import export_package
    from dangjian_desktop.services.progress import run_job
    from dangjian_desktop.services.store import Store

    with Store.open(db, create=False) as store, closing(store.db.plain()) as conn:
        codes = [c for (c,) in conn.execute("SELECT code FROM townships WHERE deleted = 0 ORDER BY code")]
        for code in codes:
            run_job(export_package(store, package_period(), folder, code))


def package_period() -> str:
    return date.today().strftime("%Y-%m")


def _make_roster(path: Path) -> None:
    subprocess.run([PYTHON, str(HERE / "data.py"), "roster", str(path), str(OUT / "township.db")], check=True,
                   env=child_env(), cwd=ROOT)


ROSTER_HEADERS = ("序号", "姓名", "性别", "民族", "公民身份号码", "出生日期", "文化程度", "所在党支部", "党员类别",
                  "入党时间", "转正时间", "人员类别", "流动党员", "联系电话", "家庭住址")


def write_roster(path: Path, township_db: Path) -> None:
    """A member roster as an office keeps it: a title row, then the header, then 30,000 people
    (synthetic, from the demo generator with another seed) in the township's own branches."""
    import xlsxwriter

    from dangjian_desktop.services import demo_data

    with closing(sqlite3.connect(township_db)) as conn:
        code, name = conn.execute("SELECT code, name FROM townships LIMIT 1").fetchone()
        branches = [n for (n,) in conn.execute(
            "SELECT name FROM branches WHERE deleted = 0 AND kind IN ('党支部', '联合党支部') ORDER BY name")]
    data = demo_data.generate_township(code, name, seed=7, today=date.today(), members=ROSTER_ROWS)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                         "strings_to_formulas": False})
    ws = wb.add_worksheet("党员花名册")
    day = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, [f"{name}党员花名册"])
    ws.write_row(1, 0, ROSTER_HEADERS)
    for i, m in enumerate(data.members[:ROSTER_ROWS], start=1):
        r = i + 1
        values = (i, m.name, m.gender, m.ethnicity, m.id_number, None, m.education, branches[i % len(branches)],
                  m.stage, None, None, m.category, "是" if m.floating else "否", m.phone, m.address)
        for c, v in enumerate(values):
            if v is not None and v != "":
                ws.write_string(r, c, str(v)) if isinstance(v, str) else ws.write_number(r, c, v)
        for c, pd in ((5, m.birth_date), (9, m.probation_on), (10, m.full_on)):
            if pd is not None:
                if pd.precision == "day":
                    ws.write_datetime(r, c, pd.value, day)
                else:
                    ws.write_string(r, c, pd.iso())
    wb.close()


# -- what run.py calls ---------------------------------------------------------------------

def build(quick: bool) -> dict[str, Path]:
    """Every cached entry the run needs (the stress database only for a full run)."""
    OUT.mkdir(parents=True, exist_ok=True)
    paths = {
        "district": _build("district.db", _make_district),
        "township": _build("township.db", _make_township),
        "district_empty": _build("district-empty.db", _make_empty_district),
    }
    paths["packages"] = _build("packages", _make_packages)
    paths["roster"] = _build("roster-30000.xlsx", _make_roster)
    if not quick:
        paths["stress"] = _build("stress.db", _make_stress)
    return paths


def prepare(paths: dict[str, Path]) -> None:
    """Open each database once with the program (migrating a cached one to the current schema,
    and making the day's first-start work happen now rather than in a measured run)."""
    dbs = [str(p) for k, p in paths.items() if str(p).endswith(".db")]
    code = ("import sys\nfrom dangjian_desktop.services.store import Store\n"
            "for p in sys.argv[1:]:\n    Store.open(p, create=False).close()\n")
    subprocess.run([PYTHON, "-c", code, *dbs], check=True, env=child_env(), cwd=ROOT)
    shutil.rmtree(OUT / "backups", ignore_errors=True)  # copies an upgrade made of the cached databases


if __name__ == "__main__":
    what, *args = sys.argv[1:]
    {"stress": write_stress, "roster": write_roster, "packages": write_packages}[what](*map(Path, args))
