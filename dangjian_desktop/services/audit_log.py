"""Reading the audit table (操作日志) for the window: newest first, a page at a time, narrowed by
action, date and a search text; record types and fields named in Chinese; 身份证号 and phone
numbers masked for display unless the clerk chooses to reveal them (privacy, issue 9).

Writing the log is not here: every service appends its own lines (``storage.repositories.audit``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, func, or_, select

from ..domain.idcard import mask_id_number
from ..domain.phone import mask_phone  # noqa: F401 - re-exported for the reports and tests
from ..exchange.columns import SHEETS, Kind
from ..storage.models import AuditRow
from ..storage.repositories.audit import AuditEntry
from .package_snapshot import table_of
from .store import Store

PAGE_SIZE = 200

_OTHER_TABLES = {"settings": "单位设置", "database": "数据库", "all": "全部数据", "package_reviews": "数据包审核",
                 "import_log": "导入记录"}
TABLE_LABELS: dict[str, str] = {**{table_of(s): s.name for s in SHEETS}, **_OTHER_TABLES}
_FIELD_LABELS: dict[tuple[str, str], str] = {(table_of(s), c.field): c.header for s in SHEETS for c in s.columns}
_FIELD_LABELS.update({(t, "deleted"): "已删除" for t in TABLE_LABELS})
_SENSITIVE: dict[tuple[str, str], Kind] = {
    (table_of(s), c.field): c.kind for s in SHEETS for c in s.columns if c.kind in (Kind.ID_NUMBER, Kind.PHONE)}

_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(?:[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9A-Za-z])")
_MOBILE_IN_TEXT = re.compile(r"(?<![0-9])(1[3-9][0-9])[ -]?([0-9]{4})[ -]?([0-9]{4})(?![0-9])")
_LANDLINE_IN_TEXT = re.compile(r"(?<![0-9])(0[0-9]{2,3})-?([1-9][0-9]{2,3})([0-9]{4})(?![0-9])")


def mask_sensitive(text: str) -> str:
    """Any 身份证号 or phone number inside a free text (an event's detail) masked."""
    text = _ID_IN_TEXT.sub(lambda m: mask_id_number(m.group(0)), text)
    text = _MOBILE_IN_TEXT.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    return _LANDLINE_IN_TEXT.sub(lambda m: f"{m.group(1)}-{'*' * len(m.group(2))}{m.group(3)}", text)


@dataclass(frozen=True)
class AuditFilter:
    action: str | None = None  # one of ``actions()``; None: every action
    since: date | None = None  # local calendar days, both inclusive
    until: date | None = None
    text: str = ""  # searched in operator, record type, field, old and new value, record ID


@dataclass(frozen=True)
class AuditLine(AuditEntry):
    """One line of the log as the window lists it; ``record_name`` says which record (a person's
    or an organisation's name, a request's number, a meeting's date and kind) when it still exists."""

    record_name: str = ""

    @property
    def record_type(self) -> str:
        return TABLE_LABELS.get(self.table_name, self.table_name)

    @property
    def field_label(self) -> str:
        if not self.field:
            return ""
        return _FIELD_LABELS.get((self.table_name, self.field), self.field)

    @property
    def sensitive(self) -> bool:
        """The line holds (or may hold) a 身份证号 or a phone number."""
        return any(self.shown(v, False) != v for v in (self.old_value, self.new_value) if v)

    def shown(self, value: str | None, reveal: bool) -> str:
        """``old_value`` or ``new_value`` as the window shows it."""
        if not value:
            return ""
        if reveal:
            return value
        kind = _SENSITIVE.get((self.table_name, self.field or ""))
        if kind is Kind.ID_NUMBER:
            return mask_id_number(value)
        if kind is Kind.PHONE:
            return mask_phone(value)
        return mask_sensitive(value)


@dataclass(frozen=True)
class AuditPage:
    lines: list[AuditLine]
    total: int  # lines matching the filter
    offset: int
    limit: int

    @property
    def page(self) -> int:  # 1-based
        return self.offset // self.limit + 1

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.limit))


def _utc_bound(day: date) -> datetime:
    return datetime.combine(day, time.min).astimezone().astimezone(UTC)


def _conditions(flt: AuditFilter) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if flt.action:
        where.append(AuditRow.action == flt.action)
    if flt.since is not None:
        where.append(AuditRow.at >= _utc_bound(flt.since))
    if flt.until is not None:
        where.append(AuditRow.at < _utc_bound(flt.until + timedelta(days=1)))
    text = flt.text.strip()
    if text:
        like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        columns = (AuditRow.operator, AuditRow.action, AuditRow.table_name, AuditRow.field, AuditRow.old_value,
                   AuditRow.new_value, AuditRow.record_uuid)
        anywhere = [c.like(like, escape="\\") for c in columns]
        tables = [t for t, label in TABLE_LABELS.items() if text in label]
        if tables:
            anywhere.append(AuditRow.table_name.in_(tables))
        fields = [f for (_t, f), label in _FIELD_LABELS.items() if text in label]
        if fields:
            anywhere.append(AuditRow.field.in_(sorted(set(fields))))
        for uuid_col, name in _searched_names():  # a person's or an organisation's name finds its lines
            anywhere.append(AuditRow.record_uuid.in_(select(uuid_col).where(name.like(like, escape="\\"))))
        where.append(or_(*anywhere))
    return where


class AuditLogService:
    """The audit table of one database, read a page at a time (one short read session each)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def actions(self) -> list[str]:
        with self.store.db.read() as s:
            return sorted(a for a in s.scalars(select(AuditRow.action).distinct()) if a)

    def page(self, flt: AuditFilter = AuditFilter(), offset: int = 0, limit: int = PAGE_SIZE) -> AuditPage:
        where = _conditions(flt)
        with self.store.db.read() as s:
            total = s.scalar(select(func.count()).select_from(AuditRow).where(*where)) or 0
            offset = max(0, min(offset, (max(total, 1) - 1) // limit * limit))
            rows = list(s.scalars(select(AuditRow).where(*where).order_by(AuditRow.id.desc()).offset(offset).limit(limit)))
            names = record_names(s, rows)
            lines = [replace(AuditLine.from_row(r), record_name=names.get((r.table_name, r.record_uuid), ""))
                     for r in rows]
        return AuditPage(lines, total, offset, limit)


def _name_columns() -> dict[str, tuple]:
    """Per table: its row class's ``uuid`` and the columns that name a record to a clerk."""
    from ..storage import models as M

    return {row.__tablename__: (row.uuid, *columns) for row, *columns in (
        (M.MemberRow, M.MemberRow.name), (M.ReserveCadreRow, M.ReserveCadreRow.name),
        (M.BranchRow, M.BranchRow.name), (M.VillageRow, M.VillageRow.name), (M.TownshipRow, M.TownshipRow.name),
        (M.ServiceRequestRow, M.ServiceRequestRow.year, M.ServiceRequestRow.serial, M.ServiceRequestRow.requester),
        (M.ActivityRow, M.ActivityRow.held_on, M.ActivityRow.kind))}


def _searched_names() -> list[tuple]:
    """``(uuid, name)`` columns a search text is looked for in: people's and organisations' names."""
    from ..storage import models as M

    return [(row.uuid, column) for row, column in (
        (M.MemberRow, M.MemberRow.name), (M.ReserveCadreRow, M.ReserveCadreRow.name), (M.BranchRow, M.BranchRow.name),
        (M.VillageRow, M.VillageRow.name), (M.ServiceRequestRow, M.ServiceRequestRow.requester))]


def _record_name(table: str, values: tuple) -> str:
    if table == "service_requests":
        year, serial, requester = values
        return f"{year}-{serial:04d}（{requester}）" if requester else f"{year}-{serial:04d}"
    if table == "activities":
        held_on, kind = values
        return f"{held_on.isoformat()} {kind.value}"
    return str(values[0] or "")


def record_names(session, rows: list[AuditRow]) -> dict[tuple[str, str], str]:  # noqa: ANN001 - a Session
    """``(table, uuid) → name`` of the records the lines are about, one query per table."""
    wanted: dict[str, set[str]] = {}
    for r in rows:
        if r.record_uuid:
            wanted.setdefault(r.table_name, set()).add(r.record_uuid)
    columns, found = _name_columns(), {}
    for table, uuids in wanted.items():
        if table not in columns:
            continue
        uuid_col, *named = columns[table]
        for uuid, *values in session.execute(select(uuid_col, *named).where(uuid_col.in_(sorted(uuids)))):
            found[(table, uuid)] = _record_name(table, tuple(values))
    return found
