"""``--self-test``: the proof that an installed program (or a PyInstaller bundle) is whole.

In a temporary folder it creates a database with every migration, upgrades a database left at
the first schema (with its backup), writes a tiny demo township, validates it, and exports and
imports the exported monthly package into a district database. Each step reports 通过, 失败 or
未运行 (an earlier step it builds on failed); the self-test passes only if every step passed.
The caller (``cli``, with ``ui/self_check.py``) adds the steps that need Qt, which this layer may not import.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import date
from enum import Enum
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory

from ..domain.enums import UnitMode
from ..domain.unit import UnitSettings
from ..storage import migrate
from ..storage.database import Database
from ..storage.repositories import SettingsRepository
from . import demo_data, package_export, package_import
from .check import check_database
from .demo import DEMO_DISTRICT, write_township
from .progress import run_job
from .store import Store
from .unit_service import init_unit


OPERATOR = "自检"
TOWNSHIP = ("410999101000", "青石镇")
TINY = {"villages": 2, "members": 40, "reserve_cadres": 5, "service_requests": 12, "months_of_activities": 2}


class Status(Enum):
    PASSED = "通过"
    FAILED = "失败"
    NOT_RUN = "未运行"


class PrerequisiteFailed(Exception):
    """An earlier step this one builds on did not pass."""


@dataclass(frozen=True)
class StepResult:
    title: str
    status: Status
    detail: str
    seconds: float

    @property
    def ok(self) -> bool:
        return self.status is Status.PASSED


@dataclass
class Context:
    """What the steps share: the temporary folder and what earlier steps made in it."""

    workdir: Path
    today: date
    store: Store | None = None
    demo_records: int = 0
    package: Path | None = None
    exported: dict[str, int] | None = None

    def require_store(self) -> Store:
        if self.store is None:
            raise PrerequisiteFailed("数据库没有打开（前面的步骤失败）")
        return self.store

    def require_demo(self) -> Store:
        store = self.require_store()
        if not self.demo_records:
            raise PrerequisiteFailed("没有写入演示数据（前面的步骤失败）")
        return store


Step = tuple[str, Callable[[Context], str]]


def _create_and_migrate(ctx: Context) -> str:
    ctx.store = Store.open(ctx.workdir / "selftest.db")
    revision = migrate.current_revision(ctx.store.db)
    if revision != migrate.head_revision():
        raise AssertionError(f"结构版本是 {revision}，应为 {migrate.head_revision()}")
    return f"新数据库已迁移到结构版本 {revision}（SQLite {sqlite3.sqlite_version}）"


def _upgrade_old_schema(ctx: Context) -> str:
    revisions = [s.revision for s in ScriptDirectory.from_config(migrate.alembic_config()).walk_revisions()]
    first = revisions[-1]
    if len(revisions) == 1:
        return f"只有一个结构版本 {first}，无需升级"
    path = ctx.workdir / "old.db"
    db = Database(path)
    try:
        cfg = migrate.alembic_config()
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, first)
        with closing(sqlite3.connect(path)) as conn:
            conn.execute("INSERT INTO settings VALUES ('unit_name', '青石镇')")
            conn.commit()
    finally:
        db.close()
    with Store.open(path) as old:
        revision = migrate.current_revision(old.db)
    backups = sorted((path.parent / "backups").glob("*"))
    with closing(sqlite3.connect(path)) as conn:
        kept = conn.execute("SELECT value FROM settings WHERE key='unit_name'").fetchone()
    if revision != migrate.head_revision() or kept != ("青石镇",) or not backups:
        raise AssertionError(f"升级后结构版本 {revision}，数据{'保留' if kept else '丢失'}，备份 {len(backups)} 个")
    return f"结构版本 {first} → {revision}，数据保留，升级前备份 {backups[0].name}"


def _write_tiny_demo(ctx: Context) -> str:
    store = ctx.require_store()
    code, name = TOWNSHIP
    data = demo_data.generate_township(code, name, seed=1, today=ctx.today, **TINY)
    with store.db.write() as s:
        SettingsRepository(s).save_unit(UnitSettings(UnitMode.TOWNSHIP, name, code, OPERATOR))
    counts = write_township(store, data, OPERATOR)
    ctx.demo_records = sum(counts.values())
    return "演示乡镇已写入：" + "，".join(f"{label} {n}" for label, n in counts.items())


def _validate(ctx: Context) -> str:
    report = run_job(check_database(ctx.require_demo(), ctx.today))
    records = sum(s.records for s in report.summaries)
    if not report.passed:
        first = report.problems[0] if report.problems else None
        reason = f"{first.label}「{first.name}」{first.issue.message}" if first else report.integrity
        raise AssertionError(f"{report.invalid_records} 条记录有错误，例如 {reason}")
    return f"完整性、引用和 {records} 条记录的校验均通过"


def _export_package(ctx: Context) -> str:
    store = ctx.require_demo()
    result = run_job(package_export.export_package(store, ctx.today.strftime("%Y-%m"), ctx.workdir / "packages"))
    ctx.package, ctx.exported = result.path, dict(result.counts)
    counts = "，".join(f"{sheet} {n}" for sheet, n in result.counts.items() if n)
    return f"{result.path.name}：{counts}，校验码 {result.checksum[:12]}…"


def _import_package(ctx: Context) -> str:
    if ctx.package is None:
        raise PrerequisiteFailed("没有导出的数据包（前面的步骤失败）")
    code, name = DEMO_DISTRICT
    with Store.open(ctx.workdir / "district.db") as district:
        init_unit(district, UnitSettings(UnitMode.DISTRICT, name, code, OPERATOR))
        options = package_import.ImportOptions(add_townships=True, today=ctx.today)
        report = run_job(package_import.import_packages(district, [ctx.package], options))
    outcome = report.packages[0]
    if outcome.status is not package_import.Status.IMPORTED:
        raise AssertionError(f"数据包没有导入：{outcome.message}")
    imported = {c.sheet: c.new for c in outcome.counts}
    if imported != ctx.exported:
        raise AssertionError(f"导入的条数 {imported} 与导出的 {ctx.exported} 不同")
    return f"区数据库导入了 {sum(imported.values())} 条记录，与导出的条数一致"


DATA_STEPS: tuple[Step, ...] = (
    ("新建数据库并迁移", _create_and_migrate),
    ("升级旧结构的数据库", _upgrade_old_schema),
    ("写入小型演示数据", _write_tiny_demo),
    ("校验全部记录", _validate),
    ("导出月报数据包", _export_package),
    ("在区数据库中导入数据包", _import_package),
)


def _run_step(title: str, step: Callable[[Context], str], ctx: Context) -> StepResult:
    start = time.perf_counter()
    try:
        detail, status = step(ctx), Status.PASSED
    except PrerequisiteFailed as exc:
        detail, status = str(exc), Status.NOT_RUN
    except Exception as exc:  # the self-test reports every failure instead of stopping
        detail, status = f"{type(exc).__name__}: {exc}", Status.FAILED
    return StepResult(title, status, detail, time.perf_counter() - start)


def run_self_test(extra_steps: Sequence[Step] = (), today: date | None = None) -> Iterator[StepResult]:
    """Run every step in a temporary folder that is removed afterwards; yield each result."""
    with tempfile.TemporaryDirectory(prefix="dangjian-selftest-", ignore_cleanup_errors=True) as tmp:
        ctx = Context(Path(tmp), today or date.today())
        try:
            for title, step in (*DATA_STEPS, *extra_steps):
                yield _run_step(title, step, ctx)
        finally:
            if ctx.store is not None:
                ctx.store.close()


def passed(results: Sequence[StepResult]) -> bool:
    """Every step passed; one that failed or was not run fails the self-test."""
    return all(r.ok for r in results)


def summary_line(results: Sequence[StepResult]) -> str:
    bad = [f"{r.title}（{r.status.value}）" for r in results if not r.ok]
    return "自检通过" if not bad else f"自检未通过：{'、'.join(bad)}"


def result_line(index: int, total: int, result: StepResult) -> str:
    return f"[{index}/{total}] {result.title}：{result.status.value}（{result.seconds:.2f} 秒）— {result.detail}"
