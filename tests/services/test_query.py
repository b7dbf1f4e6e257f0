"""services/query.py: filters, quick search (pinyin initials), sorting and paging in SQL."""

from __future__ import annotations

from datetime import date

import pytest

import factories as F
from conftest import TODAY
from dangjian_desktop.domain import records as R
from dangjian_desktop.domain.dates import PartialDate
from dangjian_desktop.domain.enums import (
    ActivityKind, Gender, LeaveKind, OrgKind, RequestCategory, RequestStatus, Stage,
)
from dangjian_desktop.services.query import QueryService, RecordFilter, RowSet, SortKey
from dangjian_desktop.storage.repositories import AuditLog, repository_for

ACTIVE = RecordFilter(values={"status": "在册"})


def _add(store, *records):
    with store.db.write() as s:
        audit = AuditLog(s, "测试员")
        for r in records:
            repository_for(type(r), s, audit).add(r)


@pytest.fixture
def roster(store):
    """A 党总支 with one sub-branch, a separate 党支部, and members in each."""
    village = F.village()
    general = F.branch("东岭村总支部委员会", kind=OrgKind.GENERAL_BRANCH, village_uuid=village.uuid)
    sub = F.branch("东岭村第一支部委员会", parent_uuid=general.uuid, village_uuid=village.uuid)
    other = F.branch("西山村支部委员会")
    members = {
        "张三": F.member("张三", branch_uuid=sub.uuid),
        "李四": F.member("李四", gender=Gender.FEMALE, birth=date(1990, 2, 3), branch_uuid=other.uuid),
        "王建国": F.member("王建国", branch_uuid=general.uuid),
        "赵六": F.member("赵六", branch_uuid=other.uuid, stage=Stage.PROBATIONARY,
                        applied_on=PartialDate.day(2023, 1, 5), activist_on=PartialDate.day(2023, 6, 1),
                        candidate_on=PartialDate.day(2024, 6, 1), probation_on=PartialDate.day(2025, 7, 1)),
        "周七": F.member("周七", branch_uuid=other.uuid, leave_kind=LeaveKind.TRANSFER_OUT,
                        leave_on=PartialDate.day(2026, 3, 1), leave_reason="迁往外省"),
    }
    _add(store, village, general, sub, other, *members.values())
    return {"general": general, "sub": sub, "other": other, "members": members, "village": village}


@pytest.fixture
def query(store):
    return QueryService(store, today=lambda: TODAY)


def _names(query, flt, sort=None, kind=R.Member):
    return [l.record.name for l in query.page(kind, flt, sort, 0, 100)]


def test_search_matches_pinyin_initials_name_and_id_number(query, roster):
    assert _names(query, ACTIVE.with_search("zs")) == ["张三"]
    assert _names(query, ACTIVE.with_search("ZS")) == ["张三"]
    assert _names(query, ACTIVE.with_search("建国")) == ["王建国"]
    li = roster["members"]["李四"]
    assert _names(query, ACTIVE.with_search(li.id_number[-6:])) == ["李四"]
    # every word must match
    assert _names(query, ACTIVE.with_search("zs 李")) == []


def test_search_treats_like_wildcards_as_text(query, roster):
    assert query.count(R.Member, ACTIVE.with_search("%")) == 0
    assert query.count(R.Member, ACTIVE.with_search("_")) == 0


def test_status_filter_separates_history(query, roster):
    assert sorted(_names(query, ACTIVE)) == sorted(["张三", "李四", "王建国", "赵六"])
    assert _names(query, RecordFilter(values={"status": "已离开"})) == ["周七"]
    assert query.count(R.Member) == 5


def test_branch_filter_includes_sub_branches(query, roster):
    flt = ACTIVE.with_value("branch", roster["general"].uuid)
    assert sorted(_names(query, flt)) == ["张三", "王建国"]
    assert _names(query, ACTIVE.with_value("branch", roster["sub"].uuid)) == ["张三"]


def test_stage_and_probation_due_filters(query, roster):
    assert _names(query, ACTIVE.with_value("stage", Stage.PROBATIONARY)) == ["赵六"]
    assert _names(query, ACTIVE.with_value("stage", "probation_due")) == ["赵六"]
    later = QueryService(query.store, today=lambda: date(2026, 6, 30))
    assert _names(later, ACTIVE.with_value("stage", "probation_due")) == []


def test_sort_by_name_follows_pinyin_and_can_reverse(query, roster):
    asc = _names(query, ACTIVE, SortKey("name"))
    assert asc == ["李四", "王建国", "赵六", "张三"]  # by pinyin initials: ls, wjg, zl, zs
    assert _names(query, ACTIVE, SortKey("name", descending=True)) == list(reversed(asc))


def test_sort_by_stage_uses_pipeline_order(query, roster):
    names = _names(query, ACTIVE, SortKey("stage"))
    assert names[0] == "赵六"  # 预备党员 before 正式党员


def test_listed_rows_carry_branch_name(query, roster):
    (row,) = query.page(R.Member, ACTIVE.with_search("zs"))
    assert row.value("branch_name") == "东岭村第一支部委员会"
    assert row.value("name") == "张三"


def test_rowset_fetches_in_blocks_and_finds_rows(query, roster, monkeypatch):
    monkeypatch.setattr(RowSet, "BLOCK", 1)
    monkeypatch.setattr(RowSet, "WHOLE_AFTER", 2)
    rows = query.rows(R.Member, ACTIVE, SortKey("name"))
    assert len(rows) == 4
    keys = rows.keys(0, 4)
    fetched = query.fetch(R.Member, keys)
    assert [fetched[k].record.name for k in keys] == ["李四", "王建国", "赵六", "张三"]
    assert rows._whole is not None  # rows past WHOLE_AFTER blocks loaded the whole list
    key = query.key_of(R.Member, roster["members"]["张三"].uuid)
    assert rows.index_of(key) == 3
    assert query.rows(R.Member, ACTIVE, SortKey("name"), total=4).keys(1, 2) == keys[1:2]


def test_page_offsets_agree_with_keys(query, roster):
    all_keys = list(query.keys(R.Member, ACTIVE, SortKey("birth_date")))
    page = query.page(R.Member, ACTIVE, SortKey("birth_date"), offset=1, limit=2)
    assert [l.key for l in page] == all_keys[1:3]


def test_branch_choices_are_a_tree(query, roster):
    labels = [c.label for c in query.dynamic_choices("branches")]
    assert labels.index("东岭村总支部委员会") + 1 == labels.index("　东岭村第一支部委员会")
    assert [n.members for n, _ in query.branch_nodes() if n.branch.name == "西山村支部委员会"] == [2]


def test_member_choices_of_a_branch_subtree(query, roster):
    names = [c.label.split("（")[0] for c in query.member_choices(branch_uuid=roster["general"].uuid)]
    assert sorted(names) == ["张三", "王建国"]


def _request(serial, status=RequestStatus.RECEIVED, received=date(2026, 10, 1), due=date(2026, 10, 16), **kw):
    return R.ServiceRequest(township_code=F.TOWNSHIP_CODE, year=received.year, serial=serial, received_on=received,
                            requester=kw.pop("requester", "孙二娘"), due_on=due, status=status, **kw)


def test_requests_overdue_status_and_number_search(query, store):
    _add(store,
         _request(1),  # open, past due
         _request(2, due=date(2026, 12, 31)),  # open, not yet due
         _request(3, RequestStatus.CLOSED, completed_on=date(2026, 10, 20)),  # closed late
         _request(4, RequestStatus.CLOSED, completed_on=date(2026, 10, 2), requester="钱多多",
                  category=RequestCategory.LAND_FOREST))
    serials = lambda flt: [l.record.serial for l in query.page(R.ServiceRequest, flt, SortKey("serial"))]  # noqa: E731
    assert serials(RecordFilter(values={"overdue": "open"})) == [1]
    assert serials(RecordFilter(values={"overdue": "late"})) == [3]
    assert serials(RecordFilter(values={"status": "open"})) == [1, 2]
    assert serials(RecordFilter("2026-0004")) == [4]
    assert serials(RecordFilter("qdd")) == [4]
    assert serials(RecordFilter(values={"category": RequestCategory.LAND_FOREST})) == [4]
    assert [c.value for c in query.dynamic_choices("request_years")] == [2026]


def test_activities_by_year_kind_and_branch_name(query, roster):
    other = roster["other"]
    _add(query.store,
         R.Activity(township_code=F.TOWNSHIP_CODE, branch_uuid=other.uuid, kind=ActivityKind.COMMITTEE_MEETING,
                    held_on=date(2025, 12, 5), topic="年终总结"),
         R.Activity(township_code=F.TOWNSHIP_CODE, branch_uuid=other.uuid, kind=ActivityKind.PARTY_LECTURE,
                    held_on=date(2026, 3, 5), topic="学习党章"))
    topics = lambda flt: [l.record.topic for l in query.page(R.Activity, flt)]  # noqa: E731
    assert topics(RecordFilter(values={"year": 2026})) == ["学习党章"]
    assert topics(RecordFilter(values={"kind": ActivityKind.COMMITTEE_MEETING})) == ["年终总结"]
    assert sorted(topics(RecordFilter("西山"))) == ["学习党章", "年终总结"]
    assert [c.value for c in query.dynamic_choices("activity_years")] == [2026, 2025]


@pytest.fixture
def district_query(tmp_path):
    """A district of two townships, each with a 北庄村 and its branch, and a township 党委."""
    from dangjian_desktop.domain.enums import UnitMode
    from dangjian_desktop.domain.unit import UnitSettings
    from dangjian_desktop.services.store import Store
    from dangjian_desktop.services.unit_service import init_unit

    with Store.open(tmp_path / "district.db") as store:
        init_unit(store, UnitSettings(UnitMode.DISTRICT, "青川区", "410999000000", "区管理员"))
        records = []
        for code, name in (("410999101000", "青石镇"), ("410999102000", "柳河乡")):
            village = R.Village(township_code=code, code=code[:9] + "201", name="北庄村")
            committee = R.Branch(township_code=code, name=f"中共{name}委员会", kind=OrgKind.COMMITTEE)
            records += [R.Township(code=code, name=name), village, committee,
                        R.Branch(township_code=code, name="中共北庄村支部委员会", kind=OrgKind.BRANCH,
                                 parent_uuid=committee.uuid, village_uuid=village.uuid)]
        _add(store, *records)
        yield QueryService(store, today=lambda: TODAY)


def test_district_choices_name_the_township_of_each_village_and_branch(district_query):
    villages = [c.label for c in district_query.dynamic_choices("villages")]
    assert villages == ["北庄村（青石镇）", "北庄村（柳河乡）"]
    branches = [c.label for c in district_query.dynamic_choices("branches")]
    assert branches == ["中共青石镇委员会", "　中共北庄村支部委员会（青石镇）",  # a 党委 already says it
                        "中共柳河乡委员会", "　中共北庄村支部委员会（柳河乡）"]


def test_township_choices_are_plain_names(query, roster):
    assert [c.label for c in query.dynamic_choices("townships")] == ["青石镇"]  # known, yet not added
    assert [c.label for c in query.dynamic_choices("villages")] == ["东岭村"]
    assert "（" not in "".join(c.label for c in query.dynamic_choices("branches"))
