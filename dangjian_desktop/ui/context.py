"""What every tab and dialog of the window is handed in ``__init__`` (no globals): the services,
the unit, the window's settings store, the background workers and the error reporter."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from ..domain.enums import ActivityKind
from ..domain.unit import UnitSettings
from ..services.query import QueryService
from ..services.store import Store
from .errors import ErrorReporter, show_error
from .workers import Workers

if TYPE_CHECKING:
    from ..services.activity_grid import GridRow
    from ..services.records import RecordService


@dataclass
class UiContext:
    store: Store
    unit: UnitSettings
    settings: QSettings
    reporter: ErrorReporter
    workers: Workers
    today: Callable[[], date] = date.today
    query: QueryService = field(init=False)
    _records: RecordService | None = field(init=False, default=None, repr=False)

    def __post_init__(self) -> None:
        self.query = QueryService(self.store, self.today)

    @property
    def records(self) -> RecordService:
        """The window's writes, made on first use (its module loads SQLAlchemy, which showing
        the window's first rows does not need)."""
        if self._records is None:
            from ..services.records import RecordService

            self._records = RecordService(self.store, self.today)
        return self._records

    @property
    def read_only(self) -> bool:
        """A district's records come from the townships' packages: it looks, it does not edit."""
        return self.unit.is_district

    def activity_grid(self, year: int, kind: ActivityKind | None) -> list[GridRow]:
        from ..services.activity_grid import activity_grid  # the 组织生活 tab's, when it is shown

        return activity_grid(self.store, year, kind, self.today())

    def show_error(self, parent: QWidget | None, exc: BaseException, title: str = "无法完成") -> None:
        show_error(parent, exc, self.reporter, title)
