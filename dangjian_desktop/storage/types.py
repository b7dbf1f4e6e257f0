"""Column types that store domain values exactly and hand them back as domain values.

SQLite has no date, decimal or enum types: dates with precision are ISO text (``1998-07`` or
``1998-07-01``, which sorts correctly), money is decimal text (exact), enums are their Chinese
value, timestamps are UTC ISO text.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import String
from sqlalchemy.types import TypeDecorator

from ..domain.dates import PartialDate
from .plain import day_value, decimal_value, enum_value, partial_date_value, utc_value


class PartialDateType(TypeDecorator[PartialDate]):
    impl = String(10)
    cache_ok = True

    def process_bind_param(self, value: PartialDate | date | None, dialect: Any) -> str | None:
        if value is None:
            return None
        return PartialDate.of(value).iso()

    def process_result_value(self, value: str | None, dialect: Any) -> PartialDate | None:
        return None if value is None else partial_date_value(value)


class DayType(TypeDecorator[date]):
    """A plain calendar date as ``YYYY-MM-DD`` text."""

    impl = String(10)
    cache_ok = True

    def process_bind_param(self, value: date | None, dialect: Any) -> str | None:
        return None if value is None else value.isoformat()

    def process_result_value(self, value: str | None, dialect: Any) -> date | None:
        return None if value is None else day_value(value)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware timestamp stored as UTC ``YYYY-MM-DDTHH:MM:SS`` text."""

    impl = String(19)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds")

    def process_result_value(self, value: str | None, dialect: Any) -> datetime | None:
        return None if value is None else utc_value(value)


class DecimalText(TypeDecorator[Decimal]):
    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: Decimal | int | str | None, dialect: Any) -> str | None:
        return None if value is None else str(Decimal(value))

    def process_result_value(self, value: str | None, dialect: Any) -> Decimal | None:
        return None if value is None else decimal_value(value)


class StrEnumType(TypeDecorator[StrEnum]):
    """An enum stored as its (Chinese) value; a value not in the enum reads back as text."""

    impl = String(16)
    cache_ok = True

    def __init__(self, enum_cls: type[StrEnum]) -> None:
        super().__init__()
        self.enum_cls = enum_cls

    def process_bind_param(self, value: StrEnum | str | None, dialect: Any) -> str | None:
        return None if value is None else str(value)

    def process_result_value(self, value: str | None, dialect: Any) -> StrEnum | str | None:
        return None if value is None else enum_value(self.enum_cls, value)  # text kept if not a member

