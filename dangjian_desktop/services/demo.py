"""Filling a new database with the deterministic demo (one township, or a district of 20).

Each township is written in one transaction with bulk inserts; the job yields progress after
each so the command line and the window can show how far it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..domain import records as R
from ..domain.enums import UnitMode
from ..domain.errors import DomainError
from ..domain.unit import UnitSettings
from ..storage.repositories import AuditLog, SettingsRepository, repository_for
from ..storage.repositories.audit import Action
from . import demo_data
from .progress import Job, Progress
from .store import Store

DEMO_OPERATOR = "演示管理员"
DEMO_DISTRICT = ("410999000000", "青川区")
SCALES = ("township", "district")


class DemoRefusedError(DomainError):
    pass


@dataclass(frozen=True)
class DemoSummary:
    townships: int
    counts: dict[str, int]


_ORDER: tuple[type[R.Record], ...] = (
    R.Township, R.Village, R.Branch, R.Member, R.ReserveCadre, R.ServiceRequest, R.Activity,
)
_LABELS = {R.Township: "乡镇", R.Village: "村（社区）", R.Branch: "党组织", R.Member: "党员",
           R.ReserveCadre: "后备干部", R.ServiceRequest: "代办事项", R.Activity: "组织生活"}


def make_demo(store: Store, scale: str = "township", seed: int = 1, today: date | None = None,
              township: tuple[str, str] | None = None) -> Job[DemoSummary]:
    """Write the demo into an empty database; refuse if it already holds a unit or records."""
    if scale not in SCALES:
        raise DemoRefusedError("规模只能是 township（一个乡镇）或 district（一个区）")
    today = today or date.today()
    if store.unit() is not None or not store.is_empty():
        raise DemoRefusedError(f"数据库 {store.path} 中已有数据，演示数据只能写入新的数据库文件")
    townships = [township] if township else demo_data.demo_townships(scale, seed)
    if scale == "district" and not township:
        unit = UnitSettings(UnitMode.DISTRICT, DEMO_DISTRICT[1], DEMO_DISTRICT[0], DEMO_OPERATOR)
    else:
        code, name = townships[0]
        unit = UnitSettings(UnitMode.TOWNSHIP, name, code, DEMO_OPERATOR)
    with store.db.write() as s:
        SettingsRepository(s).save_unit(unit)
        AuditLog(s, DEMO_OPERATOR).event(Action.INIT, "settings", f"演示数据：{unit.name}（{unit.code}）")

    counts = {label: 0 for label in _LABELS.values()}
    total = len(townships)
    yield Progress(0, total, "正在生成演示数据…")
    for i, data in enumerate(demo_data.generate(scale, seed, today, township=township), start=1):
        for label, n in write_township(store, data).items():
            counts[label] += n
        yield Progress(i, total, f"已写入 {data.township.name}")
    return DemoSummary(total, counts)


def write_township(store: Store, data: demo_data.TownshipData, operator: str = DEMO_OPERATOR) -> dict[str, int]:
    """Write one generated township in one transaction; returns the count per record type."""
    by_type: dict[type[R.Record], list[R.Record]] = {t: [] for t in _ORDER}
    for record in data.all_records():
        by_type[type(record)].append(record)
    counts: dict[str, int] = {}
    with store.db.write() as s:
        audit = AuditLog(s, operator)
        for record_type in _ORDER:
            counts[_LABELS[record_type]] = repository_for(record_type, s, audit).bulk_add(by_type[record_type])
        audit.event(Action.BULK, "all", f"演示数据 {data.township.name}（{data.township.code}）")
    return counts
