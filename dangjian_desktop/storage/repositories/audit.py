"""The audit log: who changed which field of which record, when, from what to what."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ...domain.dates import PartialDate
from ...domain.records import utc_now
from ..models import AuditRow


class Action:
    CREATE = "新增"
    UPDATE = "修改"
    DELETE = "删除"
    BULK = "批量写入"
    INIT = "初始化"
    SETTINGS = "设置"


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    operator: str
    action: str
    table_name: str
    record_uuid: str | None
    field: str | None
    old_value: str | None
    new_value: str | None

    @classmethod
    def from_row(cls, r: AuditRow) -> "AuditEntry":
        return cls(r.id, r.at, r.operator, r.action, r.table_name, r.record_uuid, r.field, r.old_value, r.new_value)


def audit_text(value: object) -> str | None:
    """How a value is written into the log: the way a clerk would read it."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, (PartialDate, date, datetime, Decimal)):
        return value.isoformat() if isinstance(value, (date, datetime)) else str(value)
    return str(value)


class AuditLog:
    """Appends to the audit table inside the caller's transaction."""

    def __init__(self, session: Session, operator: str) -> None:
        self.session = session
        self.operator = operator or "未署名"

    def _add(self, action: str, table: str, uuid: str | None, field: str | None = None,
             old: object = None, new: object = None) -> None:
        self.session.add(AuditRow(
            at=utc_now(), operator=self.operator, action=action, table_name=table, record_uuid=uuid,
            field=field, old_value=audit_text(old), new_value=audit_text(new),
        ))

    def created(self, table: str, uuid: str) -> None:
        self._add(Action.CREATE, table, uuid)

    def deleted(self, table: str, uuid: str) -> None:
        self._add(Action.DELETE, table, uuid, "deleted", False, True)

    def changed(self, table: str, uuid: str, changes: Iterable[tuple[str, object, object]]) -> None:
        self.changed_many(table, [(uuid, changes)])

    def changed_many(self, table: str,
                     records: Iterable[tuple[str, Iterable[tuple[str, object, object]]]]) -> None:
        """``changed`` for many records in one executemany (an import updates thousands)."""
        now = utc_now()
        rows = [
            dict(at=now, operator=self.operator, action=Action.UPDATE, table_name=table,
                 record_uuid=uuid, field=f, old_value=audit_text(o), new_value=audit_text(n))
            for uuid, changes in records for f, o, n in changes
        ]
        if rows:
            self.session.execute(insert(AuditRow), rows)

    def event(self, action: str, table: str, detail: str) -> None:
        """A whole operation (an import, a demo, a backup) as one line."""
        self._add(action, table, None, None, None, detail)

    def entries(self, record_uuid: str | None = None, limit: int = 500) -> list[AuditEntry]:
        stmt = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
        if record_uuid is not None:
            stmt = stmt.where(AuditRow.record_uuid == record_uuid)
        return [
            AuditEntry.from_row(r)
            for r in self.session.scalars(stmt)
        ]
