"""Synthetic records for tests: made-up names, checksum-valid made-up ID numbers."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from dangjian_desktop.domain import records as R
from dangjian_desktop.domain.dates import PartialDate
from dangjian_desktop.domain.enums import Gender, OrgKind, Stage
from dangjian_desktop.domain.idcard import make_id_number

TOWNSHIP_CODE = "410999101000"
_seq = itertools.count(1)


def id_number(birth: date = date(1980, 5, 17), gender: Gender = Gender.MALE) -> str:
    n = next(_seq) % 500
    seq = n * 2 + (1 if gender is Gender.MALE else 0)
    return make_id_number("410999", birth, seq % 1000)


def village(name: str = "东岭村", **kw) -> R.Village:
    return R.Village(township_code=TOWNSHIP_CODE, code=TOWNSHIP_CODE[:9] + "201", name=name,
                     service_center_area=Decimal("320.5"), incomes={2025: Decimal("6.25")},
                     grid_groups=[R.GridGroup(name="第一网格")], **kw)


def branch(name: str = "东岭村党支部", **kw) -> R.Branch:
    kw.setdefault("kind", OrgKind.BRANCH)
    return R.Branch(township_code=TOWNSHIP_CODE, name=name, **kw)


def member(name: str = "王建国", birth: date = date(1980, 5, 17), gender: Gender = Gender.MALE, **kw) -> R.Member:
    kw.setdefault("stage", Stage.FULL)
    if kw["stage"] is Stage.FULL:
        kw.setdefault("applied_on", PartialDate.month(2005, 3))
        kw.setdefault("activist_on", PartialDate.day(2005, 9, 1))
        kw.setdefault("candidate_on", PartialDate.day(2006, 9, 1))
        kw.setdefault("probation_on", PartialDate.day(2007, 7, 1))
        kw.setdefault("full_on", PartialDate.day(2008, 7, 1))
    return R.Member(township_code=TOWNSHIP_CODE, name=name, gender=gender,
                    id_number=kw.pop("id_number", None) or id_number(birth, gender),
                    birth_date=PartialDate.of(birth), **kw)
