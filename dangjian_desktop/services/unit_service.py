"""Setting up a database for a unit (the first-run dialog and ``init``) and changing the
operator's name."""

from __future__ import annotations

from ..domain.enums import UnitMode
from ..domain.errors import DomainError
from ..domain.records import Township
from ..domain.unit import UnitSettings
from ..storage.repositories import AuditLog, SettingsRepository, TownshipRepository
from ..storage.repositories.audit import Action
from .store import Store


class AlreadyInitialisedError(DomainError):
    pass


def init_unit(store: Store, unit: UnitSettings) -> None:
    """Record the unit; a township also becomes the owner of the records entered here."""
    with store.db.write() as s:
        settings = SettingsRepository(s)
        existing = settings.unit()
        if existing is not None:
            raise AlreadyInitialisedError(
                f"数据库 {store.path} 已设置为 {existing.name}（{existing.code}），不能重新初始化"
            )
        settings.save_unit(unit)
        audit = AuditLog(s, unit.operator)
        if unit.mode is UnitMode.TOWNSHIP:
            TownshipRepository(s, audit).add(Township(code=unit.code, name=unit.name))
        audit.event(Action.INIT, "settings", f"{unit.mode.value} {unit.name}（{unit.code}）")


def set_operator(store: Store, operator: str) -> None:
    name = " ".join(operator.split())
    with store.db.write() as s:
        settings = SettingsRepository(s)
        old = settings.get("operator", "")
        settings.set("operator", name)
        AuditLog(s, name).changed("settings", "operator", [("operator", old, name)])
