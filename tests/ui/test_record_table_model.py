"""The fetch-on-demand table model: qtmodeltester, pages read only when shown, SQL sorting,
formatting and masking."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

import factories as F
from conftest import TODAY
from dangjian_desktop.domain import records as R
from dangjian_desktop.domain.dates import PartialDate
from dangjian_desktop.domain.enums import Gender
from dangjian_desktop.exchange.columns import Kind
from dangjian_desktop.services.query import QueryService, RecordFilter, RowSet
from dangjian_desktop.ui.formatting import cell_text
from dangjian_desktop.ui.record_table_model import RECORD_ROLE, RecordTableModel, RowStyle
from ui_helpers import add_records

NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴霞", "徐涛", "孙丽"]


@pytest.fixture
def query(store):
    branch = F.branch()
    people = [F.member(n, birth=date(1970 + i, 1 + i % 12, 1 + i), branch_uuid=branch.uuid,
                       gender=Gender.MALE if i % 2 else Gender.FEMALE, monthly_dues=Decimal("2.50"))
              for i, n in enumerate(NAMES)]
    add_records(store, branch, *people)
    return QueryService(store, today=lambda: TODAY)


def model_for(query, qapp, **kw) -> RecordTableModel:
    fields = ("name", "gender", "id_number", "birth_date", "branch_name", "floating", "monthly_dues", "stage")
    return RecordTableModel(query, R.Member, query.columns(R.Member, fields), **kw)


def test_passes_qtmodeltester(query, qapp, qtmodeltester):
    model = model_for(query, qapp)
    model.load()
    qtmodeltester.check(model, force_py=True)
    model.set_filter(RecordFilter("z"))
    qtmodeltester.check(model, force_py=True)


def test_pages_are_read_only_when_asked(query, qapp, monkeypatch):
    monkeypatch.setattr(RecordTableModel, "PAGE", 5)
    monkeypatch.setattr(RecordTableModel, "MAX_PAGES", 2)
    calls = []
    original = query.fetch
    monkeypatch.setattr(query, "fetch", lambda kind, keys: calls.append(len(keys)) or original(kind, keys))
    model = model_for(query, qapp)
    model.load()
    assert model.rowCount() == 12 and calls == [] and model.cached_rows == 0
    model.index(0, 0).data()
    model.index(4, 1).data()
    assert calls == [5] and model.cached_rows == 5
    model.index(11, 0).data()
    model.index(6, 0).data()
    assert calls == [5, 2, 5] and model.cached_rows == 7  # the first page was dropped
    model.index(0, 0).data()
    assert calls == [5, 2, 5, 5]


def test_sorting_goes_back_to_sql(query, qapp):
    model = model_for(query, qapp)
    model.load()
    birth = [c.field for c in model.columns].index("birth_date")
    model.sort(birth, Qt.SortOrder.DescendingOrder)
    assert model.index(0, 0).data() == "孙丽"  # born last
    model.sort(0, Qt.SortOrder.AscendingOrder)
    shown = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert shown[:3] == ["陈静", "黄敏", "李娜"]  # by pinyin initials: cj, hm, ln


def test_cells_are_formatted_and_ids_masked(query, qapp):
    model = model_for(query, qapp)
    model.load()
    row = {c.field: model.index(0, i).data() for i, c in enumerate(model.columns)}
    record = model.index(0, 0).data(RECORD_ROLE).record
    assert row["id_number"] == record.id_number[:3] + "*" * 11 + record.id_number[-4:]
    assert row["floating"] == "否" and row["monthly_dues"] == "2.5" and row["stage"] == "正式党员"
    assert row["branch_name"] == "东岭村党支部"
    assert row["birth_date"] == record.birth_date.iso()
    model.set_reveal_ids(True)
    assert model.index(0, 2).data() == record.id_number
    dues = [c.field for c in model.columns].index("monthly_dues")
    assert model.index(0, dues).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight


def test_styler_colours_rows(query, qapp):
    from PySide6.QtGui import QColor

    model = model_for(query, qapp, styler=lambda l: RowStyle(QColor("red"), None, "提示")
                      if l.record.name == "张伟" else None)
    model.load()
    row = model.row_of(model.query.page(R.Member, RecordFilter("张伟"))[0].record.uuid)
    assert model.index(row, 0).data(Qt.ItemDataRole.ForegroundRole).color() == QColor("red")
    assert "提示" in model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
    other = (row + 1) % model.rowCount()
    assert model.index(other, 0).data(Qt.ItemDataRole.ForegroundRole) is None


def test_a_large_table_keeps_only_blocks(query, qapp, monkeypatch):
    monkeypatch.setattr(RowSet, "BLOCK", 4)
    model = model_for(query, qapp)
    model.load()
    assert model.rowCount() == 12  # counted, not read
    assert model._rows._whole is None and list(model._rows._blocks) == [0]


@pytest.mark.parametrize("kind, value, text", [
    (Kind.PARTIAL_DATE, PartialDate.month(1998, 7), "1998-07"),
    (Kind.DATE, date(2026, 1, 2), "2026-01-02"),
    (Kind.BOOL, True, "是"),
    (Kind.OPT_BOOL, None, ""),
    (Kind.DECIMAL, Decimal("320.50"), "320.5"),
    (Kind.DECIMAL, Decimal("6"), "6"),
    (Kind.ID_NUMBER, "410999198005170014", "410***********0014"),
    (Kind.ENUM, Gender.FEMALE, "女"),
])
def test_cell_text(kind, value, text):
    assert cell_text(kind, value) == text


def test_going_back_to_an_earlier_filter_needs_no_query(query, qapp, monkeypatch):
    model = model_for(query, qapp)
    model.load()
    calls = []
    original = query.rows
    monkeypatch.setattr(query, "rows", lambda *a, **k: calls.append(a[1].search) or original(*a, **k))
    model.set_filter(RecordFilter("zw"))
    assert model.rowCount() == 1
    model.set_filter(RecordFilter(""))
    assert model.rowCount() == 12 and calls == ["zw"]  # the unfiltered rows were kept
    add_records(query.store, F.member("郑新"))
    model.load()  # the data changed: everything is read again
    assert model.rowCount() == 13 and calls == ["zw", ""]


def test_a_failing_page_read_is_reported_once_and_paints_empty(query, qapp, monkeypatch):
    model = model_for(query, qapp)
    model.load()
    monkeypatch.setattr(query, "fetch", lambda kind, keys: 1 / 0)
    failures = []
    model.fetch_failed.connect(failures.append)
    assert model.index(0, 0).data() is None
    assert model.index(1, 0).data() is None
    assert [type(e) for e in failures] == [ZeroDivisionError]
