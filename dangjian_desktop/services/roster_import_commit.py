"""Writing a planned roster import: one write transaction, all accepted rows or none.

The rows the plan would write are checked again inside the transaction (a record matched in
the preview must still carry the same ``updated_at``; a new row's key must still be free),
then new branches (when the clerk agreed), new records (``insert_many``: one executemany built
column by column, no ORM object per row, with a larger page cache meanwhile, and the table's
indexes built afterwards when the rows at least double it) and updates (executemany UPDATEs
with their field-by-field audit, 2,000 records at a time, progress after each) are written,
with one audit line for the whole import and the column mapping remembered for files with the
same headers.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date
from operator import attrgetter

from sqlalchemy import bindparam, update
from sqlalchemy.orm import Session

from ..domain import records as R
from ..domain.errors import DomainError
from ..exchange.roster_mapping import mapping_key
from ..storage.repositories import BranchRepository, SettingsRepository, audit_for, repository_for
from ..storage.repositories.audit import Action
from ..storage.repositories.mapping import ROW_OF, SEARCH_SOURCE, chunked, column_fields, row_values
from ..storage.search import initials
from .progress import Job, Progress
from .roster_import_plan import ImportPlan, Planner, RowStatus
from .store import Store

IMPORT_ACTION = "导入名册"
_FIXED = ("uuid", "created_at", "township_code")


class ImportConflictError(DomainError):
    """The database changed between the preview and the commit."""


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    unchanged: int
    refused: int
    duplicates: int
    branches_created: int

    def summary(self) -> str:
        text = f"新增 {self.added:,} 条，更新 {self.updated:,} 条，无变化 {self.unchanged:,} 条"
        if self.duplicates:
            text += f"，重复 {self.duplicates:,} 行"
        if self.refused:
            text += f"，{self.refused:,} 行未导入"
        if self.branches_created:
            text += f"；新建党组织 {self.branches_created} 个"
        return text


def commit_plan(store: Store, plan: ImportPlan, township_code: str, today: date) -> Job[ImportResult]:
    new = [p for p in plan.rows if p.status is RowStatus.NEW]
    changed = [p for p in plan.rows if p.status is RowStatus.UPDATE]
    total = len(new) + len(changed)
    yield Progress(0, total, "正在写入数据库")
    with store.db.write() as s:
        audit = audit_for(s)
        _check_unchanged(Planner(s, plan.kind, township_code, today, plan.create_branches), plan)
        used = {getattr(p.record, f, None) for p in plan.to_write for f in ("branch_uuid", "parent_uuid")}
        branches = [b for b in plan.new_branches if b.uuid in used]
        if branches:
            BranchRepository(s, audit).bulk_add(branches, summary=f"导入名册时新建党组织 {len(branches)} 个："
                                                + "、".join(b.name for b in branches))
        repo = repository_for(plan.kind.record_type, s, audit)
        done = 0
        with larger_page_cache(s, len(new)), indexes_built_after(s, repo.table, len(new)):
            for batch in chunked((p.record for p in new), 5000):
                insert_many(s, batch)
                done += len(batch)
                yield Progress(done, total, f"已写入 {done:,} 条新记录")
        if new:
            audit.event(Action.BULK, repo.table, f"导入名册新增 {len(new):,} 条")
        yield from _write_updates(s, plan, changed, audit, done, total)
        result = ImportResult(len(new), len(changed), plan.count(RowStatus.UNCHANGED), plan.count(RowStatus.REFUSED),
                              plan.count(RowStatus.DUPLICATE), len(branches))
        audit.event(IMPORT_ACTION, repo.table, f"{plan.path.name}（{plan.kind.label}）：{result.summary()}")
        settings = SettingsRepository(s)
        for headers, fields in plan.mappings:
            settings.set(mapping_key(plan.kind, headers), json.dumps({"fields": fields}, ensure_ascii=False))
    yield Progress(total, total, "已提交")
    return result


BULK_CACHE_KIB = 16 * 1024


@contextmanager
def larger_page_cache(session: Session, rows: int) -> Iterator[None]:
    """A 16 MB page cache on the writing connection while many rows go in (SQLite's default
    is 2 MB): every row touches the table and each of its indexes, and with the default the
    same index pages are read again and again (0.65 s instead of 0.4 s for 30,000 members).
    The connection's own setting comes back afterwards."""
    if rows < 1000:
        yield
        return
    conn = session.connection()
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    try:
        yield
    except BaseException:
        # The transaction is being rolled back — after Ctrl-C SQLAlchemy has even invalidated
        # the connection, and the PRAGMA would raise over the real cause. A connection that
        # survives keeps the larger cache; nothing else of it is wrong.
        with suppress(Exception):
            conn.exec_driver_sql(f"PRAGMA cache_size = {int(before)}")
        raise
    conn.exec_driver_sql(f"PRAGMA cache_size = {int(before)}")


REBUILD_FROM_ROWS = 1000


@contextmanager
def indexes_built_after(session: Session, table: str, rows: int) -> Iterator[None]:
    """When at least as many rows go in as the table holds (a first roster): drop the table's
    own indexes, insert, and create them again from their stored SQL — sorting all rows once
    is cheaper than placing each row in five indexes (about 0.15 s of 30,000 members). It is
    all in the one write transaction, so a failure leaves the indexes as they were. The
    constraints' indexes (the key, and the unique 身份证号 per township) stay and keep
    checking every row."""
    conn = session.connection()
    if rows < REBUILD_FROM_ROWS or conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar() > rows:
        yield
        return
    indexes = conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                                   "AND sql IS NOT NULL ORDER BY name", (table,)).all()
    for name, _sql in indexes:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    yield
    for _name, sql in indexes:
        conn.exec_driver_sql(sql)


def insert_many(session: Session, records: list[R.Record]) -> None:
    """``INSERT`` the records with one executemany on the driver, built column by column (no
    dictionary per record) and converted with the storage types' own bind processors, once
    per value object (records read from one roster share them); the name's pinyin initials are
    added as ``row_values`` adds them. The repository's ``bulk_add`` goes through SQLAlchemy's
    per-row parameter handling, which costs a second per 30,000 members."""
    if not records:
        return
    record_type = type(records[0])
    table = ROW_OF[record_type].__table__
    conn = session.connection()
    names = list(column_fields(record_type))
    raw = {name: list(map(attrgetter(name), records)) for name in names}
    source = SEARCH_SOURCE.get(record_type)
    if source is not None:
        names.append("initials")
        raw["initials"] = [initials(v or "") for v in raw[source]]
    columns = []
    for name in names:
        values = raw.pop(name)
        process = table.c[name].type.bind_processor(conn.dialect)
        if process is not None:  # each value object once: dates, codes and stamps are shared
            ids = list(map(id, values))
            stored = {k: process(v) for k, v in dict(zip(ids, values)).items()}
            values = list(map(stored.__getitem__, ids))
        columns.append(values)
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    conn.exec_driver_sql(sql, list(zip(*columns, strict=True)))


def _check_unchanged(planner: Planner, plan: ImportPlan) -> None:
    existing = planner.existing()
    stale = 0
    for p in plan.to_write:
        hit = existing.get(p.key)
        if p.status is RowStatus.NEW and hit is not None:
            stale += 1
        elif p.status is RowStatus.UPDATE and (hit is None or hit[0] != p.existing_uuid or hit[1] != p.stamp):
            stale += 1
    if stale:
        raise ImportConflictError(f"预览之后数据库中有 {stale} 条相关记录被修改过（可能有人同时在录入），"
                                  "本次没有写入任何数据；请重新预览后再导入")


UPDATE_BATCH = 2000


def _write_updates(session, plan: ImportPlan, changed: list, audit, done: int, total: int) -> Job[None]:
    """The matched records' new values and their field-by-field audit, a batch at a time, with
    progress after each: 30,000 updated members take seconds, and a 取消 meanwhile must be
    heard before the transaction commits."""
    if not changed:
        return
    table = ROW_OF[plan.kind.record_type].__table__
    now = R.utc_now()
    stmt = update(table).where(table.c.uuid == bindparam("_uuid"))
    updated = 0
    for batch in chunked(changed, UPDATE_BATCH):
        params = []
        for p in batch:
            p.record.updated_at = now
            values = row_values(p.record)
            params.append({"_uuid": p.record.uuid, **{k: v for k, v in values.items() if k not in _FIXED}})
        session.execute(stmt, params)
        audit.changed_many(table.name, [(p.record.uuid, p.changes) for p in batch])
        updated += len(batch)
        yield Progress(done + updated, total, f"已更新 {updated:,} 条记录")
