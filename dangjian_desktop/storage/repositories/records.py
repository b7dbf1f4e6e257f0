"""Repositories of the seven record types: get, list, add, update, tombstone, bulk add.

Each takes the caller's Session and an ``AuditLog``; none commits. ``add``/``update``/``delete``
write the audit trail field by field; ``bulk_add`` (demo data, imports) writes one summary line
and uses executemany inserts, which are many times faster than one ORM object per row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, Generic

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from ...domain import records as R
from ...domain.errors import DomainError
from .. import models as M
from .audit import Action, AuditLog
from ..search import initials
from .mapping import ROW_OF, SEARCH_SOURCE, RecT, chunked, column_fields, row_values, to_record, village_children


class RecordNotFoundError(DomainError):
    pass


class RecordRepository(Generic[RecT]):
    record_type: ClassVar[type[R.Record]]
    label: ClassVar[str]

    def __init__(self, session: Session, audit: AuditLog) -> None:
        self.session = session
        self.audit = audit
        self.row_type: Any = ROW_OF[self.record_type]
        self.table = self.row_type.__tablename__

    # -- reading ---------------------------------------------------------------------------
    def _to_records(self, rows: Sequence[Any]) -> list[RecT]:
        return [to_record(self.record_type, r) for r in rows]  # type: ignore[misc]

    def get(self, uuid: str) -> RecT | None:
        row = self.session.get(self.row_type, uuid)
        return None if row is None else self._to_records([row])[0]

    def require(self, uuid: str) -> RecT:
        record = self.get(uuid)
        if record is None:
            raise RecordNotFoundError(f"找不到这条{self.label}记录（{uuid}），可能已被他人删除")
        return record

    def list(self, township_code: str | None = None, include_deleted: bool = False) -> list[RecT]:
        stmt = select(self.row_type)
        if township_code is not None:
            stmt = stmt.where(self.row_type.township_code == township_code)
        if not include_deleted:
            stmt = stmt.where(self.row_type.deleted.is_(False))
        return self._to_records(self.session.scalars(stmt.order_by(self.row_type.created_at)).all())

    def count(self, township_code: str | None = None, include_deleted: bool = False) -> int:
        stmt = select(func.count()).select_from(self.row_type)
        if township_code is not None:
            stmt = stmt.where(self.row_type.township_code == township_code)
        if not include_deleted:
            stmt = stmt.where(self.row_type.deleted.is_(False))
        return int(self.session.scalar(stmt) or 0)

    # -- writing ---------------------------------------------------------------------------
    def add(self, record: RecT) -> RecT:
        self.session.add(self.row_type(**row_values(record)))
        self._write_children(record)
        self.audit.created(self.table, record.uuid)
        return record

    def update(self, record: RecT) -> list[str]:
        """Write the record's changed fields; returns their names (empty: nothing changed)."""
        row = self.session.get(self.row_type, record.uuid)
        if row is None:
            raise RecordNotFoundError(f"找不到这条{self.label}记录，可能已被他人删除")
        changes = [
            (name, getattr(row, name), getattr(record, name))
            for name in column_fields(self.record_type)
            if name not in ("created_at", "updated_at", "uuid") and getattr(row, name) != getattr(record, name)
        ]
        changes += self._child_changes(record)
        if not changes:
            return []
        for name, _old, new in changes:
            if hasattr(row, name):
                setattr(row, name, new)
        source = SEARCH_SOURCE.get(self.record_type)
        if source is not None:
            row.initials = initials(getattr(record, source) or "")
        record.updated_at = R.utc_now()
        row.updated_at = record.updated_at
        self._write_children(record, replace=True)
        self.audit.changed(self.table, record.uuid, changes)
        return [c[0] for c in changes]

    def delete(self, uuid: str) -> None:
        """A tombstone: the row stays, flagged, so that the deletion reaches the district."""
        row = self.session.get(self.row_type, uuid)
        if row is None or row.deleted:
            raise RecordNotFoundError(f"找不到这条{self.label}记录，可能已被删除")
        row.deleted = True
        row.updated_at = R.utc_now()
        self.audit.deleted(self.table, uuid)

    def bulk_add(self, records: Iterable[RecT], summary: str | None = None) -> int:
        n = 0
        for batch in chunked(records):
            self.session.execute(insert(self.row_type), [row_values(r) for r in batch])
            self._bulk_children(batch)
            n += len(batch)
        if summary is not None:
            self.audit.event(Action.BULK, self.table, summary)
        return n

    # -- nested parts (villages only) ------------------------------------------------------
    def _write_children(self, record: RecT, replace: bool = False) -> None:
        pass

    def _bulk_children(self, records: list[RecT]) -> None:
        pass

    def _child_changes(self, record: RecT) -> list[tuple[str, object, object]]:
        return []


class TownshipRepository(RecordRepository[R.Township]):
    record_type = R.Township
    label = "乡镇"

    def by_code(self, code: str) -> R.Township | None:
        row = self.session.scalar(select(M.TownshipRow).where(M.TownshipRow.code == code))
        return None if row is None else to_record(R.Township, row)


class VillageRepository(RecordRepository[R.Village]):
    record_type = R.Village
    label = "村（社区）"

    def _to_records(self, rows: Sequence[Any]) -> list[R.Village]:
        uuids = [r.uuid for r in rows]
        incomes: dict[str, dict] = defaultdict(dict)
        groups: dict[str, list] = defaultdict(list)
        coops: dict[str, list] = defaultdict(list)
        for batch in chunked(uuids, 500):
            for i in self.session.scalars(select(M.VillageIncomeRow).where(M.VillageIncomeRow.village_uuid.in_(batch))):
                incomes[i.village_uuid][i.year] = i.amount
            for g in self.session.scalars(select(M.GridGroupRow).where(M.GridGroupRow.village_uuid.in_(batch))
                                          .order_by(M.GridGroupRow.position)):
                groups[g.village_uuid].append(R.GridGroup(uuid=g.uuid, name=g.name, leader=g.leader))
            for c in self.session.scalars(select(M.CooperativeRow).where(M.CooperativeRow.village_uuid.in_(batch))
                                          .order_by(M.CooperativeRow.position)):
                coops[c.village_uuid].append(R.Cooperative(
                    uuid=c.uuid, name=c.name, led_by_branch=c.led_by_branch, headed_by_secretary=c.headed_by_secretary))
        return [to_record(R.Village, r, incomes=dict(sorted(incomes[r.uuid].items())),
                          grid_groups=groups[r.uuid], cooperatives=coops[r.uuid]) for r in rows]

    def _child_changes(self, record: R.Village) -> list[tuple[str, object, object]]:
        old = self.require(record.uuid)
        return [
            (name, getattr(old, name), getattr(record, name))
            for name in ("incomes", "grid_groups", "cooperatives")
            if getattr(old, name) != getattr(record, name)
        ]

    def _write_children(self, record: R.Village, replace: bool = False) -> None:
        if replace:
            keep_groups = [g.uuid for g in record.grid_groups]
            self.session.execute(delete(M.VillageIncomeRow).where(M.VillageIncomeRow.village_uuid == record.uuid))
            self.session.execute(delete(M.CooperativeRow).where(M.CooperativeRow.village_uuid == record.uuid))
            # Grid groups are referenced by members: update in place, delete only removed ones.
            self.session.execute(delete(M.GridGroupRow).where(
                M.GridGroupRow.village_uuid == record.uuid, M.GridGroupRow.uuid.not_in(keep_groups)
            ))
            self.session.execute(update(M.MemberRow).where(
                M.MemberRow.grid_group_uuid.is_not(None),
                M.MemberRow.grid_group_uuid.not_in(select(M.GridGroupRow.uuid)),
            ).values(grid_group_uuid=None))
        incomes, groups, coops = village_children(record)
        for g in groups:
            existing = self.session.get(M.GridGroupRow, g["uuid"]) if replace else None
            if existing is None:
                self.session.add(M.GridGroupRow(**g))
            else:
                for k, v in g.items():
                    setattr(existing, k, v)
        if incomes:
            self.session.execute(insert(M.VillageIncomeRow), incomes)
        if coops:
            self.session.execute(insert(M.CooperativeRow), coops)
        self.session.flush()

    def _bulk_children(self, records: list[R.Village]) -> None:
        all_incomes, all_groups, all_coops = [], [], []
        for v in records:
            i, g, c = village_children(v)
            all_incomes += i
            all_groups += g
            all_coops += c
        for model, rows in ((M.VillageIncomeRow, all_incomes), (M.GridGroupRow, all_groups), (M.CooperativeRow, all_coops)):
            if rows:
                self.session.execute(insert(model), rows)


class BranchRepository(RecordRepository[R.Branch]):
    record_type = R.Branch
    label = "党组织"


class MemberRepository(RecordRepository[R.Member]):
    record_type = R.Member
    label = "党员"

    def delete(self, uuid: str) -> None:
        raise DomainError("党员记录不能删除：请用“离开”登记转出、死亡或出党，记录会移到历史党员")

    def by_id_number(self, id_number: str, township_code: str | None = None) -> R.Member | None:
        stmt = select(M.MemberRow).where(M.MemberRow.id_number == id_number)
        if township_code is not None:
            stmt = stmt.where(M.MemberRow.township_code == township_code)
        row = self.session.scalars(stmt).first()
        return None if row is None else to_record(R.Member, row)


class ReserveCadreRepository(RecordRepository[R.ReserveCadre]):
    record_type = R.ReserveCadre
    label = "后备干部"


class ServiceRequestRepository(RecordRepository[R.ServiceRequest]):
    record_type = R.ServiceRequest
    label = "代办事项"

    def next_serial(self, township_code: str, year: int) -> int:
        """The next serial number of the township's year (tombstoned numbers are not reused)."""
        stmt = select(func.max(M.ServiceRequestRow.serial)).where(
            M.ServiceRequestRow.township_code == township_code, M.ServiceRequestRow.year == year
        )
        return int(self.session.scalar(stmt) or 0) + 1


class ActivityRepository(RecordRepository[R.Activity]):
    record_type = R.Activity
    label = "组织生活"


_REPOS: dict[type[R.Record], type[RecordRepository]] = {
    cls.record_type: cls for cls in (
        TownshipRepository, VillageRepository, BranchRepository, MemberRepository,
        ReserveCadreRepository, ServiceRequestRepository, ActivityRepository,
    )
}


def repository_for(record_type: type[R.Record], session: Session, audit: AuditLog) -> RecordRepository:
    return _REPOS[record_type](session, audit)
