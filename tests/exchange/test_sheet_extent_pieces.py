"""``scan_sheet_xml`` reads the XML in pieces cut just after a ``>``: whatever the piece size, it
never reports a smaller extent than the cells really reach (the walk over every cell is the
oracle), and it finds every hidden row and merged range, on sheets with and without ``r``,
with a dimension that lies, with prefixed or lower-case cells and with long text."""

from __future__ import annotations

import io
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian_desktop.exchange import sheet_extent
from dangjian_desktop.exchange.sheet_extent import _walk_cells, column_letter, scan_sheet_xml

CELL_LIMIT = 10_000_000

cell = st.tuples(
    st.integers(1, 30),  # column
    st.sampled_from(["r", "r", "r", "none", "late", "lower", "prefixed", "empty"]),  # how it is written
    st.text(alphabet="ab <>&\n张", max_size=40),
)
row = st.tuples(st.integers(1, 400), st.booleans(), st.lists(cell, max_size=6))


def _xml(rows, dimension: str, merges) -> bytes:
    out = ['<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://x">',
           f'<dimension ref="{dimension}"/><cols><col min="1" max="2" width="9"/></cols><sheetData>']
    for n, hidden, cells in rows:
        out.append(f'<row r="{n}"' + (' hidden="1"' if hidden else "") + ">")
        for col, how, text in cells:
            ref = f"{column_letter(col)}{n}"
            value = "<is><t>" + text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</t></is>"
            if how == "r":
                out.append(f'<c r="{ref}" t="inlineStr">{value}</c>')
            elif how == "none":
                out.append(f'<c t="inlineStr">{value}</c>')
            elif how == "late":
                out.append(f'<c t="inlineStr" r="{ref}">{value}</c>')
            elif how == "lower":
                out.append(f'<c r="{ref.lower()}" t="inlineStr">{value}</c>')
            elif how == "prefixed":
                out.append(f'<x:c r="{ref}" t="inlineStr">{value}</x:c>')
            else:
                out.append(f'<c r="{ref}" s="1"/>')
        out.append("</row>")
    out.append("</sheetData>")
    if merges:
        out.append(f'<mergeCells count="{len(merges)}">')
        out += [f'<mergeCell ref="A{a}:C{a + b}"/>' for a, b in merges]
        out.append("</mergeCells>")
    out.append('<pageMargins left="0.7" right="0.7" header="0.3" footer="0.3"/></worksheet>')
    return "".join(out).encode()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(row, max_size=25), dimension=st.sampled_from(["A1:C20", "A1:AD400", "A1", "B2:E9"]),
       merges=st.lists(st.tuples(st.integers(1, 50), st.integers(0, 5)), max_size=4),
       chunk=st.sampled_from([7, 16, 64, 300, 4096, 1 << 20]))
def test_pieces_never_hide_a_cell_or_a_hidden_row(rows, dimension, merges, chunk):
    xml = _xml(rows, dimension, merges)
    old = sheet_extent._CHUNK
    sheet_extent._CHUNK = chunk
    try:
        scan = scan_sheet_xml(lambda: io.BytesIO(xml), cell_limit=CELL_LIMIT)
        truth = _walk_cells(lambda: io.BytesIO(xml))
    finally:
        sheet_extent._CHUNK = old
    assert scan.max_row >= truth[0] and scan.max_col >= truth[1]
    hidden = {int(m[1]) for m in re.finditer(rb'<row r="([0-9]+)" hidden="1"', xml)}
    assert scan.hidden_rows == hidden
    assert {(r1, c1, r2, c2) for r1, c1, r2, c2 in scan.merged} == {(a, 1, a + b, 3) for a, b in merges}


def test_a_cell_written_without_r_or_beyond_the_dimension_is_walked():
    plain = _xml([(1, False, [(1, "r", "x")]), (3, False, [(2, "r", "y")])], "A1:B3", [])
    assert scan_sheet_xml(lambda: io.BytesIO(plain), cell_limit=CELL_LIMIT).max_row == 3
    for how, where in (("none", (9, 1)), ("late", (9, 4)), ("prefixed", (9, 4))):  # no r: placed by counting
        xml = _xml([(1, False, [(1, "r", "x")]), (9, False, [(4, how, "y")])], "A1:B3", [])
        scan = scan_sheet_xml(lambda xml=xml: io.BytesIO(xml), cell_limit=CELL_LIMIT)
        assert (scan.max_row, scan.max_col) == where, how
