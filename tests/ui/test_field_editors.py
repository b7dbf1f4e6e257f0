"""What the form's editors make of what a clerk types."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dangjian_desktop.domain.dates import PartialDate
from dangjian_desktop.exchange.columns import ACTIVITIES, MEMBERS, SERVICE_REQUESTS
from dangjian_desktop.ui.field_editors import make_editor, parse_date_text


@pytest.mark.parametrize("text, partial, expected", [
    ("2026-11-26", False, date(2026, 11, 26)),
    ("2026.11.26", False, date(2026, 11, 26)),
    ("2026/1/5", False, date(2026, 1, 5)),
    ("20261126", False, date(2026, 11, 26)),
    ("2026年11月26日", False, date(2026, 11, 26)),
    ("2026-11", True, PartialDate.month(2026, 11)),
    ("2026年11月", True, PartialDate.month(2026, 11)),
    ("2026-11-26", True, PartialDate.day(2026, 11, 26)),
    ("２０２６－１１－２６", False, date(2026, 11, 26)),  # full-width digits of a Chinese input method
    ("2026。11。26", False, date(2026, 11, 26)),  # its 。 for the full stop
    ("２０２６年１１月", True, PartialDate.month(2026, 11)),
    ("2026-11", False, "2026-11"),  # a calendar day is needed: left for validation to name
    ("2026-02-30", False, "2026-02-30"),
    ("明天", False, "明天"),
    ("  ", False, None),
])
def test_parse_date_text(text, partial, expected):
    assert parse_date_text(text, partial=partial) == expected


def test_phone_and_id_number_are_stored_canonically(qapp):
    phone = make_editor(MEMBERS.column("phone"), optional=False, empty="")
    phone.widget.setText("138-1234-5678")
    assert phone.value() == "13812345678"
    phone.widget.setText("12345")
    assert phone.value() == "12345"  # kept as typed so validation can say what is wrong
    id_number = make_editor(MEMBERS.column("id_number"), optional=False, empty="")
    id_number.widget.setText("41099919800517001x")
    assert id_number.value() == "41099919800517001X"


def test_numbers_and_empty_values(qapp):
    count = make_editor(MEMBERS.column("households_linked"), optional=False, empty=0)
    assert count.value() == 0
    count.widget.setText("1,200")
    assert count.value() == 1200
    due = make_editor(SERVICE_REQUESTS.column("due_on"), optional=True, empty=None)
    assert due.value() is None


@pytest.mark.parametrize("column, typed, expected", [
    (MEMBERS.column("evaluation_year"), "2025年", 2025),
    (MEMBERS.column("evaluation_year"), "２０２５", 2025),
    (MEMBERS.column("households_linked"), "12户", 12),
    (MEMBERS.column("monthly_dues"), "2.5元", Decimal("2.5")),
    (ACTIVITIES.column("attendance"), "18人", 18),
    (MEMBERS.column("households_linked"), "户", "户"),  # the unit alone is no number
    (MEMBERS.column("households_linked"), "12人", "12人"),  # not this column's unit: left to validation
])
def test_numbers_written_with_their_unit(qapp, column, typed, expected):
    editor = make_editor(column, optional=True, empty=None)
    editor.widget.setText(typed)
    assert editor.value() == expected
