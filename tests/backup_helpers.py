"""Test support for backups and crash safety: databases with synthetic members, and damage."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from dangjian_desktop.domain import records as R
from dangjian_desktop.domain.dates import PartialDate
from dangjian_desktop.domain.enums import Gender
from dangjian_desktop.domain.idcard import make_id_number
from dangjian_desktop.storage.repositories import AuditLog, MemberRepository

PAGE = 4096


def members(n: int, batch: int = 0, marker: str = "") -> list[R.Member]:
    """``n`` synthetic members with made-up names and unique checksum-valid made-up IDs;
    ``batch`` (0–999) keeps the IDs of different batches apart, ``marker`` goes into notes."""
    start = date(1950, 1, 1)
    out = []
    for i in range(n):
        born = start + timedelta(days=i)
        out.append(R.Member(
            township_code="410999101000", name=f"测{'甲乙丙丁戊己庚辛'[i % 8]}{i}", gender=Gender.MALE,
            id_number=make_id_number("410999", born, batch), birth_date=PartialDate.of(born), notes=marker,
        ))
    return out


def add_members(store, n: int, batch: int = 0, marker: str = "") -> None:
    with store.db.write() as s:
        MemberRepository(s, AuditLog(s, "测试员")).bulk_add(members(n, batch, marker))


def damage(path: Path, seed: int = 0) -> None:
    """Overwrite the middle third of the file's pages with garbage (the header stays)."""
    pages = path.stat().st_size // PAGE
    assert pages >= 6, "too small a database to damage realistically"
    rng = random.Random(seed)
    with path.open("r+b") as f:
        for page in range(pages // 3, 2 * pages // 3):
            f.seek(page * PAGE)
            f.write(rng.randbytes(PAGE))
