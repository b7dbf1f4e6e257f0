"""Shared fixtures. Qt runs offscreen: set before anything imports Qt, or QApplication aborts
the whole run on a machine without a display."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from dangjian_desktop.domain.enums import UnitMode  # noqa: E402
from dangjian_desktop.domain.unit import UnitSettings  # noqa: E402
from dangjian_desktop.services.store import Store  # noqa: E402
from dangjian_desktop.services.unit_service import init_unit  # noqa: E402

TOWNSHIP = UnitSettings(UnitMode.TOWNSHIP, "青石镇", "410999101000", "测试员")
TODAY = date(2026, 11, 26)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture
def store(db_path: Path):
    """A fresh, migrated, initialised township database."""
    with Store.open(db_path) as s:
        init_unit(s, TOWNSHIP)
        yield s
