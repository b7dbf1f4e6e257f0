"""The deterministic demo generator: determinism, scale, valid and unique 身份证号, ordered stage
dates, resolvable references, per-year serial numbers, nothing after today, and every record
passing validation. The district (20 townships) is generated once for the whole module."""

from __future__ import annotations

import dataclasses
import random
import time
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from statistics import mean

import pytest

from dangjian_desktop.domain.dates import PartialDate, Precision, add_years, age_on
from dangjian_desktop.domain.enums import (
    REQUEST_DUE_DAYS, ActivityKind, Gender, OrgKind, PoliticalStatus, RequestStatus, Stage,
    VillageKind,
)
from dangjian_desktop.domain.idcard import parse_id_number
from dangjian_desktop.domain.phone import is_valid_phone
from dangjian_desktop.domain.pipeline import probation_complete
from dangjian_desktop.domain.records import Branch, Member, Record
from dangjian_desktop.domain.validation import validate_branch_tree, validate_record
from dangjian_desktop.services.demo_data import (
    TownshipData, demo_townships, generate, generate_township,
)

TODAY = date(2026, 11, 26)
SEED = 7
# Dates that are plans rather than events, so they may lie after today.
FUTURE_OK = {"due_on", "first_secretary_end"}


@pytest.fixture(scope="module")
def district() -> tuple[list[TownshipData], float]:
    start = time.perf_counter()
    data = list(generate("district", SEED, TODAY))
    elapsed = time.perf_counter() - start
    print(f"\ndistrict scale generated in {elapsed:.2f} s")
    return data, elapsed


@pytest.fixture(scope="module")
def townships(district) -> list[TownshipData]:
    return district[0]


@pytest.fixture(scope="module")
def single() -> TownshipData:
    code, name = demo_townships("township", SEED)[0]
    return generate_township(code, name, seed=SEED, today=TODAY)


def _all(townships: list[TownshipData]):
    for t in townships:
        yield from t.all_records()


# ---- the township list and the API ---------------------------------------------------------

def test_demo_townships():
    assert demo_townships("township", 1) == [("410999101000", "青石镇")]
    district = demo_townships("district", 1)
    assert len(district) == 20
    codes = [c for c, _ in district]
    assert len(set(codes)) == 20 and len({n for _, n in district}) == 20
    assert all(len(c) == 12 and c.isascii() and c.isdigit() and c.startswith("410999") and c.endswith("000")
               for c in codes)
    with pytest.raises(ValueError):
        demo_townships("city", 1)


def test_generate_one_given_township():
    [data] = generate("district", 3, TODAY, township=("410999105000", "测试镇"))
    assert (data.township.code, data.township.name) == ("410999105000", "测试镇")
    assert {r.township_code for r in data.all_records()} == {"410999105000"}


# ---- determinism ---------------------------------------------------------------------------

def test_same_arguments_give_identical_records(single):
    random.seed(12345)  # the global random source must not matter
    again = generate_township("410999101000", "青石镇", seed=SEED, today=TODAY)
    assert again == single
    assert [r.uuid for r in again.all_records()] == [r.uuid for r in single.all_records()]


def test_other_seed_or_township_gives_other_records(single):
    other_seed = generate_township("410999101000", "青石镇", seed=SEED + 1, today=TODAY)
    other_code = generate_township("410999102000", "柳河乡", seed=SEED, today=TODAY)
    for other in (other_seed, other_code):
        assert not {r.uuid for r in other.all_records()} & {r.uuid for r in single.all_records()}
        assert [m.id_number for m in other.members] != [m.id_number for m in single.members]


def test_small_township_arguments():
    data = generate_township("410999130000", "小镇", seed=1, today=TODAY, villages=3, members=40,
                             reserve_cadres=5, service_requests=30, months_of_activities=3)
    assert (len(data.villages), len(data.members), len(data.reserve_cadres), len(data.service_requests)) == (3, 40, 5, 30)
    assert all(not issue.is_error for r in data.all_records() for issue in validate_record(r, TODAY))


# ---- counts and shape ----------------------------------------------------------------------

def test_single_township_counts(single):
    assert len(single.villages) == 20
    assert len(single.members) == 2000
    assert len(single.reserve_cadres) == 150
    assert len(single.service_requests) == 3000
    kinds = Counter(b.kind for b in single.branches)
    assert kinds[OrgKind.COMMITTEE] == 1
    assert 2 <= kinds[OrgKind.GENERAL_BRANCH] <= 3
    village_orgs = [b for b in single.branches if b.parent_uuid == single.branches[0].uuid]
    assert len(village_orgs) == 20
    assert {b.village_uuid for b in village_orgs} == {v.uuid for v in single.villages}
    kinds_of_villages = Counter(v.kind for v in single.villages)
    assert kinds_of_villages[VillageKind.VILLAGE] >= 15 and kinds_of_villages[VillageKind.COMMUNITY] >= 1
    assert len({v.code for v in single.villages}) == 20
    assert all(v.code[:9] == "410999101" for v in single.villages)


def test_member_mix_is_realistic(townships):
    members = [m for t in townships for m in t.members]
    n = len(members)
    stages = Counter(m.stage for m in members)
    assert all(stages[s] > 0 for s in Stage)
    assert stages[Stage.FULL] / n > 0.8
    assert 0.03 < stages[Stage.PROBATIONARY] / n < 0.07
    assert any(m.stage is Stage.PROBATIONARY and m.probation_ended(TODAY) for m in members)
    assert 0.6 < sum(m.gender is Gender.MALE for m in members) / n < 0.8
    assert 0.9 < sum(m.ethnicity == "汉族" for m in members) / n < 1
    assert 0.01 < sum(m.leave_kind is not None for m in members) / n < 0.05
    assert 0.05 < sum(m.floating for m in members) / n < 0.15
    assert all(m.floating_destination for m in members if m.floating)
    assert any(m.probation_on and m.probation_on.precision is Precision.MONTH for m in members)
    assert sum(bool(m.phone) for m in members) / n > 0.8
    assert all(is_valid_phone(m.phone) and len(m.phone) == 11 for m in members if m.phone)
    full = [m for m in members if m.stage is Stage.FULL and m.is_active]
    assert sum(m.evaluation_year == TODAY.year - 1 for m in full) / len(full) > 0.8
    assert all(m.leave_reason for m in members if m.leave_kind is not None)


def test_district_scale_and_time(district):
    townships, elapsed = district
    assert len(townships) == 20
    assert len({t.township.code for t in townships}) == 20
    assert 35_000 <= sum(len(t.members) for t in townships) <= 45_000
    assert 50_000 <= sum(len(t.service_requests) for t in townships) <= 70_000
    assert elapsed < 20


# ---- 身份证号 ---------------------------------------------------------------------------------

def test_id_numbers_valid_unique_and_match_gender_and_birth(townships):
    seen: dict[str, str] = {}
    for t in townships:
        for m in t.members:
            parsed = parse_id_number(m.id_number, today=TODAY)
            assert parsed.value == m.id_number
            assert parsed.gender is m.gender
            assert m.birth_date == PartialDate(parsed.birth_date)
            assert m.id_number[:6] == t.township.code[:6]
            assert m.id_number not in seen, f"{m.id_number} used twice"
            seen[m.id_number] = m.uuid
    member_by_uuid = {m.uuid: m for t in townships for m in t.members}
    for t in townships:
        for c in t.reserve_cadres:
            parsed = parse_id_number(c.id_number, today=TODAY)
            assert parsed.gender is c.gender and c.birth_date == PartialDate(parsed.birth_date)
            if c.member_uuid:  # the same person as the member record
                m = member_by_uuid[c.member_uuid]
                assert (c.id_number, c.name, c.gender) == (m.id_number, m.name, m.gender)
            else:
                assert c.id_number not in seen
                seen[c.id_number] = c.uuid


# ---- dates ---------------------------------------------------------------------------------

def test_stage_dates_set_up_to_stage_and_ordered(townships):
    for m in (m for t in townships for m in t.members):
        dates = [m.stage_date(s) for s in Stage]
        k = m.stage.index
        assert all(d is not None for d in dates[: k + 1]) and all(d is None for d in dates[k + 1:])
        set_dates = [d for d in dates if d is not None]
        assert all(a.value < b.value for a, b in zip(set_dates, set_dates[1:])), m
        assert age_on(m.birth_date.value, m.applied_on.value) >= 18
        if m.full_on is not None:
            assert probation_complete(m.probation_on, m.full_on)
        if m.candidate_on is not None:
            assert m.candidate_on.value >= add_years(m.activist_on.value, 1)
        if m.leave_on is not None:
            assert m.leave_on.value > set_dates[-1].value
        assert 1940 <= m.birth_date.value.year <= 2007


def test_nothing_happens_after_today(townships):
    latest = datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=UTC)
    for r in _all(townships):
        assert r.created_at.tzinfo is UTC and r.created_at <= r.updated_at <= latest
        for f in dataclasses.fields(r):
            value = getattr(r, f.name)
            if f.name in FUTURE_OK or isinstance(value, datetime):
                continue
            if isinstance(value, PartialDate):
                value = value.value
            if isinstance(value, date):
                assert value <= TODAY, (type(r).__name__, f.name, value)


# ---- references ----------------------------------------------------------------------------

def test_references_resolve(townships):
    for t in townships:
        code = t.township.code
        assert all(r.township_code == code for r in t.all_records())
        villages = {v.uuid: v for v in t.villages}
        branches: dict[str, Branch] = {}
        for b in t.branches:  # parents come before their children
            assert b.parent_uuid is None or b.parent_uuid in branches
            branches[b.uuid] = b
            assert b.kind is OrgKind.COMMITTEE or b.village_uuid in villages
        members = {m.uuid: m for m in t.members}
        by_branch: dict[str, list[Member]] = defaultdict(list)
        for m in t.members:
            assert branches[m.branch_uuid].kind is OrgKind.BRANCH
            by_branch[m.branch_uuid].append(m)
            village = villages[branches[m.branch_uuid].village_uuid]
            assert m.address.startswith(village.name) and m.address.endswith("组")
            if m.grid_group_uuid is not None:
                assert m.grid_group_uuid in {g.uuid for g in village.grid_groups}
            else:
                assert m.households_linked == 0
        for b in t.branches:
            if b.kind is OrgKind.COMMITTEE:
                continue
            sec = members[b.secretary_uuid]
            home = branches[sec.branch_uuid]
            assert home is b or home.parent_uuid == b.uuid
            assert sec.stage is Stage.FULL and sec.is_active
            if b.kind is OrgKind.BRANCH:
                assert len(by_branch[b.uuid]) >= 1
        for c in t.reserve_cadres:
            assert c.village_uuid in villages
            if c.member_uuid:
                m = members[c.member_uuid]
                assert branches[m.branch_uuid].village_uuid == c.village_uuid
                assert c.political_status in (PoliticalStatus.PARTY_MEMBER, PoliticalStatus.PROBATIONARY)
        assert all(r.village_uuid in villages for r in t.service_requests)
        assert all(branches[a.branch_uuid].kind is OrgKind.BRANCH for a in t.activities)
        assert validate_branch_tree(t.branches) == {}


def test_village_branch_secretaries(single):
    village_orgs = [b for b in single.branches if b.parent_uuid == single.branches[0].uuid]
    members = {m.uuid: m for m in single.members}
    secretaries = [members[b.secretary_uuid] for b in village_orgs]
    assert 35 <= mean(age_on(s.birth_date.value, TODAY) for s in secretaries) <= 60
    assert sum(s.education.high_school_or_above for s in secretaries) / len(secretaries) >= 0.7
    assert 1 <= sum(b.secretary_is_xds for b in village_orgs) <= 2
    assert any(b.secretary_full_time for b in village_orgs)
    weak = [b for b in single.branches if b.weak_year is not None]
    assert 1 <= len(weak) <= 2 and all(b.rectification_status and b.rectification_plan for b in weak)
    assert 5 <= sum(bool(v.first_secretary_name) for v in single.villages) <= 8


# ---- service requests and activities -------------------------------------------------------

def test_serial_numbers_per_year_in_received_order(townships):
    for t in townships:
        by_year: dict[int, list] = defaultdict(list)
        for r in t.service_requests:
            by_year[r.year].append(r)
        for year, requests in by_year.items():
            assert [r.serial for r in requests] == list(range(1, len(requests) + 1))
            assert all(r.received_on.year == year for r in requests)
            assert [r.received_on for r in requests] == sorted(r.received_on for r in requests)


def test_service_requests_statuses(single):
    requests = single.service_requests
    assert min(r.received_on for r in requests) >= TODAY - timedelta(days=366)
    for r in requests:
        assert r.due_on == r.received_on + timedelta(days=REQUEST_DUE_DAYS[r.category])
        assert r.content and r.clerk_a and r.clerk_b and r.requester
        if r.status is RequestStatus.CLOSED:
            assert r.received_on <= r.completed_on <= TODAY
        else:
            assert r.completed_on is None and r.satisfaction is None
        if r.status is RequestStatus.RETURNED:
            assert r.return_reason
    statuses = Counter(r.status for r in requests)
    assert statuses[RequestStatus.CLOSED] > len(requests) * 0.7 and all(statuses[s] for s in RequestStatus)
    closed = [r for r in requests if r.status is RequestStatus.CLOSED]
    assert sum(r.satisfaction is not None for r in closed) / len(closed) > 0.7
    assert any(r.is_overdue(TODAY) for r in closed) and any(r.is_overdue(TODAY) for r in requests if r.status.is_open)


def test_activities(single):
    members_in = Counter(m.branch_uuid for m in single.members if m.stage.is_member and m.is_active)
    branches = {b.uuid: b for b in single.branches}
    held = Counter(a.branch_uuid for a in single.activities)
    leaf_branches = [b for b in single.branches if b.kind is OrgKind.BRANCH]
    assert set(held) == {b.uuid for b in leaf_branches}
    for a in single.activities:
        assert 0 < a.attendance <= a.expected and a.topic
        if a.kind is not ActivityKind.COMMITTEE_MEETING:
            assert a.expected == members_in[a.branch_uuid]
        assert branches[a.branch_uuid].kind is OrgKind.BRANCH
    # 12 months of 3 monthly kinds and 2 quarterly ones: at most 44 a year; about 90% held
    rates = [held[b.uuid] / 44 for b in leaf_branches]
    assert 0.8 < mean(rates) < 1.0 and max(rates) - min(rates) > 0.05


# ---- validation ----------------------------------------------------------------------------

def test_every_record_passes_validation(townships):
    errors = []
    for record in _all(townships):
        errors += [(type(record).__name__, record.uuid, i.field, i.message)
                   for i in validate_record(record, TODAY) if i.is_error]
    assert errors == []


def test_record_order_references_first(single):
    order = [type(r).__name__ for r in single.all_records()]
    first = {name: order.index(name) for name in set(order)}
    assert first["Township"] < first["Village"] < first["Branch"] < first["Member"] < first["ReserveCadre"]
    assert first["Member"] < first["ServiceRequest"] and first["Branch"] < first["Activity"]
    assert all(isinstance(r, Record) for r in single.all_records())
