"""How values look in the window's tables and forms: dates as 2026-11-26 (or 1998-07 when only
the month is known), enums as their Chinese term, 是/否, exact decimals, and 身份证号 masked as
110***********1234 unless the clerk has chosen to reveal them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum

from ..domain.dates import PartialDate
from ..domain.idcard import mask_id_number
from ..exchange.columns import Kind

NUMERIC_KINDS = (Kind.INT, Kind.DECIMAL)


def decimal_text(value: Decimal) -> str:
    """320.50 → 320.5, 6 → 6, without exponent notation."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def cell_text(kind: Kind, value: object, *, reveal_ids: bool = False) -> str:
    if value is None or value == "":
        return ""
    if kind is Kind.ID_NUMBER and isinstance(value, str) and not reveal_ids:
        return mask_id_number(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, PartialDate):
        return value.display()
    if isinstance(value, datetime):
        return value.astimezone().strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return decimal_text(value)
    return str(value)
