"""The settings table: the unit (mode, name, area code), the operator and other options."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...domain.unit import UnitSettings
from ..models import SettingRow
from ..plain import unit_from_settings
from .audit import AuditLog

_KEYS = ("mode", "unit_name", "unit_code", "operator", "income_threshold")


class SettingsRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, key: str, default: str | None = None) -> str | None:
        row = self.session.get(SettingRow, key)
        return default if row is None else row.value

    def set(self, key: str, value: str) -> None:
        row = self.session.get(SettingRow, key)
        if row is None:
            self.session.add(SettingRow(key=key, value=value))
        else:
            row.value = value

    def all(self) -> dict[str, str]:
        return {r.key: r.value for r in self.session.scalars(select(SettingRow))}

    def unit(self) -> UnitSettings | None:
        """The unit, or None when the database has not been set up (first run)."""
        return unit_from_settings(self.all())

    def save_unit(self, unit: UnitSettings) -> None:
        for key, value in zip(_KEYS, (unit.mode.value, unit.name, unit.code, unit.operator,
                                      str(unit.income_threshold)), strict=True):
            self.set(key, value)


def audit_for(session: Session) -> AuditLog:
    """An audit log signed with the operator named in the settings."""
    return AuditLog(session, SettingsRepository(session).get("operator", "") or "")
