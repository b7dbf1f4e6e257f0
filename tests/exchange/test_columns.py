"""The column specification covers every field of every record exactly once."""

from __future__ import annotations

import dataclasses

from dangjian_desktop.exchange.columns import SHEET_OF, SHEETS, Kind

NESTED = {"incomes", "grid_groups", "cooperatives"}  # village parts with sheets of their own


def test_every_record_field_has_one_column():
    for record_type, sheet in SHEET_OF.items():
        fields = {f.name for f in dataclasses.fields(record_type)} - NESTED
        columns = [c.field for c in sheet.columns]
        assert sorted(columns) == sorted(fields), sheet.name


def test_headers_are_unique_within_a_sheet():
    for sheet in SHEETS:
        all_headers = [h for c in sheet.columns for h in c.headers]
        assert len(all_headers) == len(set(all_headers)), sheet.name


def test_enum_columns_name_their_enum():
    for sheet in SHEETS:
        for c in sheet.columns:
            assert (c.kind is Kind.ENUM) == (c.enum is not None), f"{sheet.name}.{c.field}"
