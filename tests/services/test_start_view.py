"""services/start_view.py: the window's first screen answered with plain sqlite3 gives exactly
what the SQLAlchemy path gives, and its generated statements are those the specs render now;
ordering by a branch walks the branches but keeps the order of the plain LEFT JOIN."""

from __future__ import annotations

import re
from array import array
from pathlib import Path

import pytest

import factories as F
from conftest import TODAY
from dangjian_desktop.domain import records as R
from dangjian_desktop.domain.enums import LeaveKind, OrgKind
from dangjian_desktop.domain.dates import PartialDate
from dangjian_desktop.services import start_view, start_view_sql
from dangjian_desktop.services.query import QueryService, RecordFilter, SortKey
from dangjian_desktop.services.query_sql import _rowids, start_view_module
from dangjian_desktop.storage.repositories import AuditLog, repository_for

ROOT = Path(__file__).resolve().parents[2]
ACTIVE = start_view.FILTER


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_generated_statements_are_current():
    """Run `python scripts/make_start_view_sql.py` after changing the 党员 table or its specs."""
    assert _squeezed((ROOT / "dangjian_desktop/services/start_view_sql.py").read_text(encoding="utf-8")) == \
        _squeezed(start_view_module())


@pytest.fixture
def people(store):
    """Two branches whose names sort together, members in each, one without a branch, one who left."""
    east = F.branch("东岭村党支部")
    twin = F.branch("东岭村党支部", kind=OrgKind.JOINT_BRANCH)  # the same name and initials
    west = F.branch("西山村党支部")
    names = ["张三", "李四", "王五", "赵六", "陈七", "刘八", "孙九", "周十", "吴一", "郑二", "冯三", "褚四"]
    members = [F.member(n, branch_uuid=(east, twin, west)[i % 3].uuid) for i, n in enumerate(names)]
    members += [F.member("钱无支部", branch_uuid=None), F.member("宋无支部", branch_uuid=None),
                F.member("韩离开", branch_uuid=west.uuid, leave_kind=LeaveKind.DEATH,
                         leave_on=PartialDate.day(2026, 1, 2))]
    with store.db.write() as s:
        audit = AuditLog(s, "测试员")
        for r in (east, twin, west, *members):
            repository_for(type(r), s, audit).add(r)
    return members


@pytest.fixture
def query(store):
    return QueryService(store, today=lambda: TODAY)


def left_join_order(query, sort):
    """The key list the old single statement gives (branches LEFT JOINed, every row sorted)."""
    with query.store.db.read() as s:
        return _rowids(s, query.sql.keys_statement(R.Member, ACTIVE, sort))


@pytest.mark.parametrize("key", sorted(start_view_sql.KEYS))
def test_every_order_gives_the_same_rows_both_ways(query, people, key):
    sort = SortKey(*key)
    expected = list(left_join_order(query, sort))
    assert len(expected) == 14  # 12 in branches, 2 without one; the one who left is not 在册
    assert list(query.sql.keys(R.Member, ACTIVE, sort)) == expected
    assert list(start_view.keys(query.store.db, sort)) == expected
    for offset, limit in ((0, 5), (1, 2), (2, 3), (5, 5), (11, 5), (12, 2), (13, 10), (20, 5)):
        page = expected[offset:offset + limit]
        assert list(query.sql.keys(R.Member, ACTIVE, sort, offset, limit)) == page, (offset, limit)
        assert list(start_view.keys(query.store.db, sort, offset, limit)) == page, (offset, limit)


def test_members_without_a_branch_come_first_or_last(query, people):
    by_branch = [query.fetch(R.Member, [k])[k].record.name for k in query.keys(R.Member, ACTIVE)]
    assert set(by_branch[:2]) == {"钱无支部", "宋无支部"}
    backwards = [query.fetch(R.Member, [k])[k].record.name
                 for k in query.keys(R.Member, ACTIVE, SortKey("branch_name", True))]
    assert set(backwards[-2:]) == {"钱无支部", "宋无支部"}


def test_count_and_rows_are_the_same_both_ways(query, people):
    keys = list(left_join_order(query, None))
    assert start_view.count(query.store.db) == query.sql.count(R.Member, ACTIVE) == 14
    assert start_view.fetch(query.store.db, keys) == query.sql.fetch(R.Member, keys)
    assert query.fetch(R.Member, keys)[keys[0]].value("branch_name") == ""  # no branch: an empty lookup


def test_only_the_first_screen_is_answered_without_sqlalchemy():
    assert start_view.answers(R.Member, ACTIVE, None)
    assert start_view.answers(R.Member, RecordFilter(" ", ACTIVE.values), SortKey("phone", True))
    assert not start_view.answers(R.Member, ACTIVE.with_search("zs"), None)
    assert not start_view.answers(R.Member, ACTIVE.with_value("stage", "预备党员"), None)
    assert not start_view.answers(R.Member, RecordFilter(values={"status": "已离开"}), None)
    assert not start_view.answers(R.ReserveCadre, ACTIVE, None)
    assert not start_view.answers(R.Member, ACTIVE, SortKey("no_such_column"))


def test_walking_pages_through_both_parts_in_order():
    first, walked = array("q", [1, 2, 3]), array("q", [10, 11, 12, 13])

    def walk(offset, limit):
        return walked[offset:None if limit is None else offset + limit]

    for descending, whole in ((False, [1, 2, 3, 10, 11, 12, 13]), (True, [10, 11, 12, 13, 1, 2, 3])):
        def keys(offset, limit):
            return list(start_view.walk_keys(lambda: first, walk, lambda: 7, descending, offset, limit))

        assert keys(0, None) == whole
        for offset in range(9):
            for limit in (1, 2, 3, 5, 10):
                assert keys(offset, limit) == whole[offset:offset + limit], (descending, offset, limit)


def test_the_early_count_serves_the_first_load_once(query, people, monkeypatch):
    from dangjian_desktop.services import query as Q

    monkeypatch.setattr(Q.RowSet, "BLOCK", 4)  # 14 在册 members: more than a block, so a count is needed
    counted = []
    real = start_view.count
    monkeypatch.setattr(start_view, "count", lambda db: counted.append(1) or real(db))
    query.count_start_view_early()
    rows = query.rows(R.Member, ACTIVE)
    assert len(rows) == 14 and len(counted) == 1  # the thread's count, not a second one
    assert len(query.rows(R.Member, ACTIVE)) == 14 and len(counted) == 2  # later loads count afresh


def test_the_early_count_is_not_used_after_a_write(query, people, store, monkeypatch):
    from dangjian_desktop.services import query as Q

    monkeypatch.setattr(Q.RowSet, "BLOCK", 4)
    query.count_start_view_early()
    query._early_count._thread.join()
    with store.db.write() as s:
        repository_for(R.Member, s, AuditLog(s, "测试员")).add(F.member("新来的"))
    assert len(query.rows(R.Member, ACTIVE)) == 15


def test_the_early_count_is_dropped_by_another_first_load(query, people, monkeypatch):
    from dangjian_desktop.services import query as Q

    monkeypatch.setattr(Q.RowSet, "BLOCK", 4)
    query.count_start_view_early()
    assert len(query.rows(R.Member, RecordFilter("张"))) == 1
    assert query._early_count is None
    assert len(query.rows(R.Member, ACTIVE)) == 14
