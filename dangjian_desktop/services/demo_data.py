"""Deterministic, synthetic demo data: one township's records, or a whole district's.

Pure Python (standard library and the domain package only). Everything is derived from
``(seed, township code, today)`` through ``random.Random`` instances (never the global one),
so the same arguments give the same records, UUIDs and timestamps every time:

* ``demo_townships(scale, seed)`` lists the demo townships: one (青石镇) or a district of 20
  fictional townships in the fictional county ``410999``.
* ``generate_township(code, name, seed=…, today=…)`` builds one township's ``TownshipData``:
  ~20 villages with their facts, a 党委 with village 党支部/党总支 and sub-branches, ~2000
  people in all five stages of 发展党员, 150 后备干部, 3000 代办事项 of the last year and a year
  of 三会一课/主题党日 for every 党支部.
* ``generate(scale, seed, today)`` yields one ``TownshipData`` per township, so that a caller
  can write each and report progress.

身份证号 use the township's county code as area code; the sequence digits are drawn from a
band owned by the township (its 3-digit township code mod 25), so numbers never collide
between the townships of one county, and a set per township rules out repeats inside it.
All names, numbers and places are made up.
"""

from __future__ import annotations

import random
import uuid as _uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from ..domain.idcard import make_id_number
from ..domain.records import (
    Activity, Branch, Member, Record, ReserveCadre, ServiceRequest, Township, Village,
)
from . import demo_names as N
from . import demo_records as R
from . import demo_work as W

SCALES = ("township", "district")
DEMO_COUNTY = "410999"
DISTRICT_TOWNSHIPS = 20


@dataclass
class TownshipData:
    township: Township
    villages: list[Village]
    branches: list[Branch]
    members: list[Member]
    reserve_cadres: list[ReserveCadre]
    service_requests: list[ServiceRequest]
    activities: list[Activity]

    def all_records(self) -> Iterator[Record]:
        """Every record, referenced ones first (branches are ordered parents before children)."""
        yield self.township
        yield from self.villages
        yield from self.branches
        yield from self.members
        yield from self.reserve_cadres
        yield from self.service_requests
        yield from self.activities


def demo_townships(scale: str, seed: int) -> list[tuple[str, str]]:
    """``(12-digit code, name)`` of the demo townships: 1 for "township", 20 for "district".

    The list is fixed (``seed`` is accepted for symmetry with ``generate``), so a township keeps
    its code and name whatever the seed.
    """
    count = _township_count(scale)
    return [(f"{DEMO_COUNTY}{101 + i:03d}000", N.TOWNSHIP_NAMES[i]) for i in range(count)]


def generate(
    scale: str, seed: int, today: date, township: tuple[str, str] | None = None
) -> Iterator[TownshipData]:
    """Yield one township's data at a time: the given ``township``, or the scale's townships.

    At district scale the townships differ in size (±25% around the defaults: about 40,000
    members and 60,000 service requests in all); a single township uses the defaults.
    """
    _township_count(scale)
    if township is not None:
        yield generate_township(*township, seed=seed, today=today)
        return
    for code, name in demo_townships(scale, seed):
        if scale == "township":
            yield generate_township(code, name, seed=seed, today=today)
            continue
        f = random.Random(f"demo-size:{seed}:{code}").uniform(0.75, 1.25)
        yield generate_township(
            code, name, seed=seed, today=today, villages=round(20 * f), members=round(2000 * f),
            reserve_cadres=round(150 * f), service_requests=round(3000 * f),
        )


def generate_township(
    code: str, name: str, *, seed: int, today: date, villages: int = 20, members: int = 2000,
    reserve_cadres: int = 150, service_requests: int = 3000, months_of_activities: int = 12,
) -> TownshipData:
    """One township's synthetic records; the same arguments always give the same records."""
    if len(code) != 12 or not code.isascii() or not code.isdigit():
        raise ValueError(f"township code must be 12 ASCII digits, got {code!r}")
    if villages < 1:
        raise ValueError("a township needs at least one village")
    ctx = Context(code, name, seed, today)
    township = Township(**ctx.base(), code=code, name=name)
    plans = R.make_villages(ctx, villages, members)
    committee, village_orgs, leaves = R.make_branches(ctx, plans)
    if members < len(leaves):
        raise ValueError(f"{members} members cannot fill {len(leaves)} branches")
    member_list, by_branch = R.make_members(ctx, plans, village_orgs, leaves, members)
    reserves = W.make_reserve_cadres(ctx, plans, reserve_cadres)
    requests = W.make_service_requests(ctx, plans, service_requests)
    activities = W.make_activities(ctx, leaves, by_branch, months_of_activities)
    sub_branches = [b for b, _ in leaves if b.parent_uuid != committee.uuid]
    branches = [committee, *village_orgs.values(), *sub_branches]
    return TownshipData(township, [p.village for p in plans], branches, member_list, reserves,
                        requests, activities)


def _township_count(scale: str) -> int:
    if scale == "township":
        return 1
    if scale == "district":
        return DISTRICT_TOWNSHIPS
    raise ValueError(f"scale must be one of {SCALES}, got {scale!r}")


class Context:
    """The state one township's generation shares: its random source, UUIDs, IDs, timestamps."""

    def __init__(self, code: str, name: str, seed: int, today: date) -> None:
        self.code = code
        self.name = name
        self.today = today
        self.rng = random.Random(f"demo:{seed}:{code}:{today.isoformat()}")
        self.area = code[:6]
        self.band = int(code[6:9]) % 25
        self.ids: set[str] = set()
        self._stamps: dict[date, datetime] = {}

    def uuid(self) -> str:
        return str(_uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def stamp(self, on: date) -> datetime:
        """Midnight UTC (08:00 in China) of a day, as a record timestamp."""
        ts = self._stamps.get(on)
        if ts is None:
            ts = self._stamps[on] = datetime(on.year, on.month, on.day, tzinfo=UTC)
        return ts

    def base(self, created: date | None = None, updated: date | None = None) -> dict:
        """The common ``Record`` fields: a fresh UUID, the township and the timestamps."""
        created_at = self.stamp(created or self.today - timedelta(days=30))
        updated_at = self.stamp(updated) if updated else created_at
        return {"uuid": self.uuid(), "township_code": self.code,
                "created_at": created_at, "updated_at": updated_at}

    def id_number(self, birth: date, male: bool) -> tuple[str, date]:
        """A new 身份证号 for ``birth`` and gender (odd sequence = male), unique in the township.

        Returns the number and the birth date it encodes: in the rare case that eight draws
        from the township's band all hit numbers already given out, the person is made a day
        older and the draw repeated.
        """
        rng = self.rng
        while True:
            for _ in range(8):
                seq = (self.band + 25 * rng.randrange(4)) * 10 + rng.randrange(5) * 2 + male
                number = make_id_number(self.area, birth, seq)
                if number not in self.ids:
                    self.ids.add(number)
                    return number, birth
            birth -= timedelta(days=1)
