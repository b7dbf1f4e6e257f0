"""Exporting a township's monthly package (导出月报数据包).

One read transaction looks up the township's next export number and reads the whole
snapshot (tombstones included), so the package is consistent with itself. The file is
written beside its final name, synced and renamed (``package_writer``), then read back and
its checksum verified; only then does a second transaction take the number and write the
audit line. A file that fails is removed, and an export that wrote no file (a read-only
folder, a full disk, cancelled) uses up no number. The package's 统计 sheet holds the
township's figures of the month, computed as the 统计 tab computes them.
"""

from __future__ import annotations

import uuid as _uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from .. import __version__
from ..domain.errors import DomainError
from ..domain.records import utc_now
from ..domain.statistics import Period
from ..exchange.output_file import make_folder
from ..exchange.package_reader import PackageReadError, read_package
from ..exchange.package_spec import DATA_SHEETS, check_period, package_file_name
from ..exchange.package_writer import PackageMeta, write_package
from ..storage.repositories import TownshipRepository, audit_for
from ..storage.repositories.exchange_log import ExportSequenceRepository
from .package_snapshot import fetch_snapshot
from .progress import Job, Progress, run_job
from .statistics import compute_statistics
from .store import Store

EXPORT_ACTION = "导出"


class ExportRefusedError(DomainError):
    pass


@dataclass(frozen=True)
class ExportResult:
    path: Path
    township_code: str
    township_name: str
    period: str
    export_id: str
    sequence: int
    checksum: str
    counts: dict[str, int]
    cleaned_texts: int  # texts whose control characters were removed

    def to_json(self) -> dict:
        return {"path": str(self.path), "township_code": self.township_code, "township_name": self.township_name,
                "period": self.period, "export_id": self.export_id, "sequence": self.sequence,
                "checksum": self.checksum, "counts": self.counts, "cleaned_texts": self.cleaned_texts}


def _township(store: Store, requested: str | None) -> tuple[str, str]:
    unit = store.unit()
    if unit is None:
        raise ExportRefusedError(f"数据库 {store.path} 尚未设置单位，请先初始化（init）")
    code = requested or (None if unit.is_district else unit.code)
    if code is None:
        raise ExportRefusedError("区里的数据库导出时要指定乡镇（--township 区划代码）")
    if not unit.is_district and code != unit.code:
        raise ExportRefusedError(f"本数据库属于 {unit.name}（{unit.code}），只能导出本乡镇的数据包")
    with store.db.read() as s:
        township = TownshipRepository(s, audit_for(s)).by_code(code)
    if township is None:
        if unit.is_district:
            raise ExportRefusedError(f"本数据库中没有区划代码为 {code} 的乡镇")
        return code, unit.name
    return code, township.name


def export_package(store: Store, period: str, out_dir: Path | str, township_code: str | None = None,
                   now: datetime | None = None) -> Job[ExportResult]:
    """Write ``<code>_<name>_<period>.xlsx`` into ``out_dir``; yields progress, returns the result."""
    try:
        period = check_period(period)
    except ValueError as exc:
        raise ExportRefusedError(str(exc)) from None
    now = now or utc_now()
    if period > now.astimezone().strftime("%Y-%m"):
        raise ExportRefusedError(f"月份 {period} 还没到，不能导出")
    code, name = _township(store, township_code)
    out = Path(out_dir)
    make_folder(out, ExportRefusedError)
    export_id = str(_uuid.uuid4())
    yield Progress(0, 1, f"正在读取 {name} 的数据…")
    with store.db.read() as s:
        sequence = ExportSequenceRepository(s).peek(code)
        snapshot = fetch_snapshot(s, code)
        operator = audit_for(s).operator
    meta = PackageMeta(code, name, period, export_id, sequence, now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
                       operator, __version__)
    path = out / package_file_name(code, name, period)
    local = now.astimezone().strftime("%Y-%m-%d %H:%M")
    yield Progress(0, 1, f"正在计算 {name} {period} 的统计数字…")
    district = store.unit().is_district  # a township's database holds that township only
    stats = compute_statistics(store, Period.parse(period), code if district else None, now.astimezone().date())
    stats = replace(stats, unit_name=name)  # the heading names the township, also at the district
    for done, total, sheet in write_package(path, meta, snapshot.sheets, local, stats):
        yield Progress(done, total, f"正在写入「{sheet}」")
    yield Progress(1, 1, "正在核对写入的文件…")
    _verify(path, meta)
    counts = {s.name: len(snapshot.sheets[s.name]) for s in DATA_SHEETS}
    with store.db.write() as s:
        if ExportSequenceRepository(s).next(code, export_id, period, now) != sequence:
            path.unlink(missing_ok=True)  # another export of this township took the number meanwhile
            raise ExportRefusedError(f"{name} 同时有另一次导出，本次导出的文件已删除，请重新导出")
        audit_for(s).event(EXPORT_ACTION, "all", f"{name}（{code}）{period} 月报数据包 第 {sequence} 次导出："
                                                 f"{path.name}，校验码 {meta.checksum[:12]}…")
    return ExportResult(path, code, name, period, export_id, sequence, meta.checksum, counts, snapshot.cleaned)


def _verify(path: Path, meta: PackageMeta) -> None:
    try:
        data = run_job(read_package(path))
        ok = data.meta.checksum == meta.checksum
        problem = "校验码不一致"
    except PackageReadError as exc:
        ok, problem = False, exc.message
    if not ok:
        path.unlink(missing_ok=True)
        raise ExportRefusedError(f"导出的文件 {path} 写入后核对失败（{problem}），已删除；请检查磁盘或U盘后重新导出")
