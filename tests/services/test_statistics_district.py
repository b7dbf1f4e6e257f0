"""Statistics at the district: the total of each figure is the sum of the townships' counts,
and each share or mean of the total is the weighted mean of the townships' (weights: the
denominators). Built from three small demo townships, plus a few tombstones; also checks the
figures against plain Python over the records (an independent count) for one township."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

from dangjian_desktop.domain import records as R
from dangjian_desktop.domain.dates import age_on
from dangjian_desktop.domain.enums import LeaveKind, OrgKind, RequestStatus, UnitMode
from dangjian_desktop.domain.statistics import (
    YOUTH_AGE, FigureKind, Period, percent, reaches_threshold, weighted_mean,
)
from dangjian_desktop.domain.unit import UnitSettings
from dangjian_desktop.services import demo_data
from dangjian_desktop.services.statistics import StatisticsService, compute_statistics
from dangjian_desktop.services.statistics_output import report_json
from dangjian_desktop.services.store import Store
from dangjian_desktop.storage.repositories import AuditLog, SettingsRepository, audit_for, repository_for

TODAY = date(2026, 11, 26)
DISTRICT = UnitSettings(UnitMode.DISTRICT, "青川区", "410999000000", "测试员")
ORDER = (R.Township, R.Village, R.Branch, R.Member, R.ReserveCadre, R.ServiceRequest, R.Activity)


def _small(code: str, name: str, k: int) -> demo_data.TownshipData:
    return demo_data.generate_township(code, name, seed=3, today=TODAY, villages=4 + k, members=160 + 40 * k,
                                       reserve_cadres=12 + k, service_requests=150 + 30 * k)


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    """Three small townships in a district database; a reserve cadre, a request and a meeting
    of the first township are tombstoned."""
    with Store.open(tmp_path_factory.mktemp("district") / "d.db") as store:
        with store.db.write() as s:
            SettingsRepository(s).save_unit(DISTRICT)
        towns = [_small(code, name, k) for k, (code, name) in enumerate(demo_data.demo_townships("district", 1)[:3])]
        for data in towns:
            by_type: dict[type, list] = {t: [] for t in ORDER}
            for record in data.all_records():
                by_type[type(record)].append(record)
            with store.db.write() as s:
                audit = AuditLog(s, "测试员")
                for t in ORDER:
                    repository_for(t, s, audit).bulk_add(by_type[t])
        first = towns[0]
        with store.db.write() as s:
            audit = audit_for(s)
            repository_for(R.ReserveCadre, s, audit).delete(first.reserve_cadres[0].uuid)
            repository_for(R.ServiceRequest, s, audit).delete(first.service_requests[-1].uuid)
            repository_for(R.Activity, s, audit).delete(first.activities[-1].uuid)
        yield store, towns


@pytest.fixture(scope="module")
def report(district):
    return compute_statistics(district[0], Period.year(2026), today=TODAY)


def test_the_district_lists_every_township_and_a_total(report, district):
    assert report.district and report.unit_name == "青川区"
    assert [t.code for t in report.townships] == [d.township.code for d in district[1]]
    assert report.total.name == "合计"


def test_each_count_of_the_total_is_the_sum_of_the_townships(report):
    counts = [d for d in report.figures if d.kind is FigureKind.COUNT]
    assert len(counts) > 100
    for d in counts:
        assert report.total.values[d.key] == sum(t.values[d.key] for t in report.townships), d.key
    assert report.total.values["members.total"] > 0 and report.total.values["requests.received"] > 0


def test_each_share_and_mean_of_the_total_is_the_weighted_mean(report):
    ratios = [d for d in report.figures if d.kind is not FigureKind.COUNT]
    assert len(ratios) > 15
    for d in ratios:
        num = sum(t.values[d.num] for t in report.townships)
        den = sum(t.values[d.den] for t in report.townships)
        expected = percent(num, den) if d.kind is FigureKind.SHARE else (
            None if not den else (Decimal(num) / den).quantize(Decimal("0.01")))
        total = report.total.values[d.key]
        if d.kind is FigureKind.SHARE:
            assert total == expected, d.key
        else:
            assert total is not None and expected is not None and abs(total - expected) <= Decimal("0.01"), d.key
        # …which is the townships' values weighted by their denominators (up to their rounding)
        weighted = weighted_mean((t.values[d.key], t.values[d.den]) for t in report.townships)
        if weighted is None:
            assert total is None, d.key
        else:
            assert abs(total - weighted) <= Decimal("0.01"), d.key


def test_one_township_alone_gives_its_row_of_the_district(district, report):
    store, towns = district
    code = towns[1].township.code
    alone = compute_statistics(store, Period.year(2026), township_code=code, today=TODAY)
    assert [t.code for t in alone.townships] == [code]
    assert alone.total.values == report.township(code).values
    assert {b.branch_uuid for b in alone.branches} == {b.branch_uuid for b in report.branches
                                                        if b.township_code == code}
    assert alone.requests_by_month[""] == report.requests_by_month[code]


def test_an_unknown_township_is_refused(district):
    from dangjian_desktop.services.statistics import StatisticsError

    with pytest.raises(StatisticsError, match="没有区划代码为 410999999000 的乡镇"):
        compute_statistics(district[0], Period.year(2026), township_code="410999999000", today=TODAY)


def test_monthly_requests_of_the_total_add_up(report):
    for month, statuses in report.requests_by_month[""].items():
        for status, n in statuses.items():
            assert n == sum(report.requests_by_month[t.code].get(month, {}).get(status, 0)
                            for t in report.townships)
        assert statuses["total"] == sum(v for k, v in statuses.items() if k != "total")


@pytest.mark.parametrize("key", ["members.total", "secretaries.youth", "requests.overdue", "activities.below_target",
                                 "first_secretaries.total", "reserve.recruited"])
def test_a_district_drill_is_the_union_of_the_townships(district, report, key):
    service = StatisticsService(district[0], today=lambda: TODAY)
    total = service.drill(report, key)
    parts = [service.drill(report, key, t.code) for t in report.townships]
    assert sorted(total.uuids) == sorted(u for p in parts for u in p.uuids)
    for part in parts:
        assert all(r.township_code == part.township_code for r in service.records(part))


def test_figures_agree_with_plain_python_over_the_records(district, report):
    """An independent count, record by record, of a dozen figures of the first township."""
    store, towns = district
    code = towns[0].township.code
    with store.db.read() as s:
        audit = AuditLog(s, "")
        members = [m for m in repository_for(R.Member, s, audit).list(code)]
        branches = {b.uuid: b for b in repository_for(R.Branch, s, audit).list(code)}
        villages = repository_for(R.Village, s, audit).list(code)
        requests = repository_for(R.ServiceRequest, s, audit).list(code)
    got = report.township(code).values
    start, ref = date(2026, 1, 1), TODAY
    active = [m for m in members if m.is_active and m.stage.is_member]
    assert got["members.total"] == len(active)
    assert got["members.floating"] == sum(m.floating for m in active)
    assert got["members.recruited"] == sum(1 for m in members
                                           if m.probation_on and start <= m.probation_on.value <= ref)
    left = Counter(m.leave_kind for m in members if m.leave_kind and m.leave_on and start <= m.leave_on.value <= ref)
    assert got["members.left.transfer_out"] == left[LeaveKind.TRANSFER_OUT]
    assert got["members.left"] == sum(left.values())
    assert got["grid.households"] == sum(m.households_linked for m in active if m.grid_group_uuid)
    by_uuid = {m.uuid: m for m in members}

    def village_level(b: R.Branch) -> bool:
        parent = branches.get(b.parent_uuid or "")
        return b.village_uuid is not None and b.kind is not OrgKind.COMMITTEE and (
            b.kind is OrgKind.GENERAL_BRANCH or parent is None or parent.kind is not OrgKind.GENERAL_BRANCH)

    secretaries = [by_uuid[b.secretary_uuid] for b in branches.values() if village_level(b) and b.secretary_uuid
                   and by_uuid.get(b.secretary_uuid) and by_uuid[b.secretary_uuid].is_active]
    ages = [age_on(m.birth_date.value, ref) for m in secretaries if m.birth_date]
    assert got["secretaries.total"] == len(secretaries) > 0
    assert got["secretaries.mean_age"] == (Decimal(sum(ages)) / len(ages)).quantize(Decimal("0.01"))
    assert got["secretaries.youth"] == sum(a <= YOUTH_AGE for a in ages)
    assert got["secretaries.hs_plus"] == sum(bool(m.education and m.education.high_school_or_above)
                                             for m in secretaries)
    in_period = [r for r in requests if start <= r.received_on <= ref]
    assert got["requests.received"] == len(in_period)
    assert got["requests.overdue"] == sum(r.is_overdue(ref) for r in in_period) > 0
    assert got["requests.closed"] == sum(r.status is RequestStatus.CLOSED for r in in_period)
    assert got["first_secretaries.total"] == sum(v.has_first_secretary_on(ref) for v in villages)
    assert got["income.reached"] == sum(reaches_threshold(v.incomes.get(2025), Decimal(5)) for v in villages)


def test_the_json_document_has_every_township_and_the_total(report):
    doc = report_json(report)
    assert doc["format"] == "dangjian-stats" and doc["version"] == 1
    assert doc["unit"] == {"name": "青川区", "code": "410999000000", "mode": "district"}
    assert doc["period"] == {"label": "2026", "start": "2026-01-01", "end": "2026-12-31", "as_of": "2026-11-26"}
    keys = [f["key"] for f in doc["figures"]]
    assert "members.total" in keys  # and the sums behind the means, marked as helpers (README: num/den)
    assert [f["key"] for f in doc["figures"] if f["helper"]] == ["secretaries.age_sum", "requests.days_total"]
    assert set(doc["total"]) == set(keys)
    assert [t["code"] for t in doc["townships"]] == [t.code for t in report.townships]
    assert doc["total"]["members.total"] == sum(t["figures"]["members.total"] for t in doc["townships"])
    assert set(doc["requests_by_month"]) == {"total", *(t.code for t in report.townships)}
