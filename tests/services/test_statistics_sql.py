"""The SQL forms of the statistics rules agree with the Python rules they stand for: ages,
age bands and the 35-or-under line on ISO text (day or month precision, 29 February), dates
in a period, and ``ServiceRequest.is_overdue``."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import literal, select

from dangjian_desktop.domain import records as R
from dangjian_desktop.domain.dates import PartialDate, age_on
from dangjian_desktop.domain.enums import RequestCategory, RequestStatus, Satisfaction
from dangjian_desktop.domain.statistics import YOUTH_AGE, Period, age_band
from dangjian_desktop.services.statistics_sql import Ctx, age_band_expr, age_expr, flag, in_period, youth_expr
from dangjian_desktop.services.statistics_work import overdue_expr
from dangjian_desktop.storage import models as M
from dangjian_desktop.storage.repositories import audit_for, repository_for

EDGES = [PartialDate.day(2000, 2, 29), PartialDate.month(1991, 11), PartialDate.day(1991, 11, 1),
         PartialDate.day(1991, 11, 30), PartialDate.month(1990, 12), PartialDate.day(1990, 12, 31)]
ON = [date(2026, 11, 1), date(2026, 11, 30), date(2028, 2, 29), date(2027, 2, 28), date(2026, 12, 31)]


def _cases(n: int = 300) -> list[tuple[PartialDate, date]]:
    rng = random.Random(11)
    cases = [(b, on) for b in EDGES for on in ON]
    for _ in range(n):
        b = date(1930, 1, 1) + timedelta(days=rng.randrange(30_000))
        on = date(2020, 1, 1) + timedelta(days=rng.randrange(4000))
        pd = PartialDate.month(b.year, b.month) if rng.random() < 0.3 else PartialDate(b)
        cases.append((pd, on))
    return cases


def _evaluate(store, exprs: list) -> list:
    out = []
    with store.db.read() as s:
        for i in range(0, len(exprs), 200):
            out.extend(s.execute(select(*exprs[i:i + 200])).one())
    return out


def test_age_band_and_youth_in_sql_match_the_python_rules(store):
    cases = _cases()
    exprs = []
    for b, on in cases:
        exprs += [age_expr(literal(b.iso()), on), age_band_expr(literal(b.iso()), on),
                  youth_expr(literal(b.iso()), on)]
    got = _evaluate(store, exprs)
    for i, (b, on) in enumerate(cases):
        age = age_on(b.value, on)
        assert got[3 * i:3 * i + 3] == [age, age_band(age).key, int(age <= YOUTH_AGE)], (b, on)


def test_a_missing_birth_date_gives_no_age(store):
    on = date(2026, 11, 26)
    got = _evaluate(store, [age_expr(literal(None), on), age_band_expr(literal(None), on),
                            youth_expr(literal(None), on)])
    assert got == [None, None, None]


def test_dates_in_a_period_in_sql_match_the_python_rule(store):
    rng = random.Random(5)
    cases = []
    for _ in range(300):
        period = Period.month(2026, rng.randint(1, 12)) if rng.random() < 0.6 else Period.year(rng.choice((2025, 2026)))
        ref = period.start + timedelta(days=rng.randrange((period.end - period.start).days + 1))
        d = period.start + timedelta(days=rng.randint(-40, 400))
        pd = PartialDate.month(d.year, d.month) if rng.random() < 0.4 else PartialDate(d)
        cases.append((pd, Ctx(period, ref, 2025, Decimal(5))))
    cases.append((PartialDate.month(2026, 3), Ctx(Period.month(2026, 3), date(2026, 3, 1), 2025, Decimal(5))))
    got = _evaluate(store, [flag(in_period(literal(pd.iso()), ctx)) for pd, ctx in cases])
    for (pd, ctx), value in zip(cases, got):
        assert value == int(ctx.period.start <= pd.value <= ctx.ref), (pd, ctx.period, ctx.ref)


def _requests() -> list[R.ServiceRequest]:
    rng = random.Random(9)
    out = []
    for serial in range(1, 401):
        received = date(2026, 1, 1) + timedelta(days=rng.randrange(330))
        due = None if rng.random() < 0.05 else received + timedelta(days=rng.choice((0, 5, 15, 30)))
        status = rng.choice(list(RequestStatus))
        completed = None
        if status is RequestStatus.CLOSED and rng.random() < 0.95:
            base = due or received
            completed = base + timedelta(days=rng.choice((-3, -1, 0, 0, 1, 4)))
        out.append(R.ServiceRequest(township_code="410999101000", year=2026, serial=serial, received_on=received,
                                    requester=f"申请人{serial}", category=RequestCategory.OTHER, due_on=due,
                                    status=status, completed_on=completed,
                                    satisfaction=Satisfaction.SATISFIED if completed else None))
    return out


@pytest.mark.parametrize("ref", [date(2026, 3, 1), date(2026, 6, 15), date(2026, 11, 26)])
def test_overdue_in_sql_is_service_request_is_overdue(store, ref):
    requests = _requests()
    with store.db.write() as s:
        repository_for(R.ServiceRequest, s, audit_for(s)).bulk_add(requests)
    ctx = Ctx(Period.year(2026), ref, 2025, Decimal(5))
    with store.db.read() as s:
        got = dict(s.execute(select(M.ServiceRequestRow.uuid, flag(overdue_expr(ctx)))).all())
    expected = {r.uuid: int(r.is_overdue(ref)) for r in requests}
    assert got == expected
    assert 0 < sum(expected.values()) < len(expected)
