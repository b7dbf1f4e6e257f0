"""One worksheet's real extent, found by streaming its XML before any parser allocates for it.

python-calamine allocates rows × columns for the span of the cells that hold values and aborts
its process when that is too much (one value at XFD1048576 asks for 512 GB); openpyxl trusts
the stored used range. ``scan_sheet_xml`` finds the last row and column holding a value without
believing the file: a ``<dimension>`` is taken only while no cell lies beyond it and every cell
carries its ``r`` (two searches at memchr speed); otherwise every row and cell is walked,
whatever the attribute order or quoting, placing cells without ``r`` by counting. For
machine-written files (the monthly package) ``strict`` flags any reference beyond given limits,
styled or not. Part of the gate in ``file_guard``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO

_CHUNK = 1 << 20
CellRange = tuple[int, int, int, int]  # first row, first column, last row, last column (1-based)


def column_index(letters: str) -> int:
    """``A`` → 1, ``XFD`` → 16384."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def column_letter(index: int) -> str:
    """1 → ``A``; the letters a clerk sees above the column."""
    letters = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


_REF = re.compile(rb"([A-Za-z]{0,3})0*([0-9]{1,9})")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3}[0-9]{1,7})(?::([A-Z]{1,3}[0-9]{1,7}))?"')
_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="([0-9]+)"[^>]*?\bhidden="(?:1|true)"'
                         rb'|<(?:\w+:)?row\b[^>]*?\bhidden="(?:1|true)"[^>]*?\br="([0-9]+)"')
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3}[0-9]{1,7}):([A-Z]{1,3}[0-9]{1,7})"')
# Every row and cell start tag: first the usual cell (``r`` first, then only ``s``/``t``), read
# directly; then any row or cell (attributes in any order, quoted ">" in them), with ``r`` or not.
_ELEMENT = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"(?: [st]="\w*")*(/?)>'
                      rb'|<(?:\w+:)?(c|row)((?:\s(?:[^>"\']|"[^"]*"|\'[^\']*\')*?)?)(/?)>')
_R_ATTR = re.compile(rb'\sr\s*=\s*["\']([^"\']*)["\']')
STRICT_MAX_COLUMNS = 78  # BZ: no monthly package sheet is wider


@dataclass
class SheetScan:
    hidden_rows: frozenset[int]
    merged: tuple[CellRange, ...]
    max_row: int  # the last row and column holding a value (0 when not asked for)
    max_col: int
    far: bool = False  # ``strict``: some row or cell reference lies beyond those limits


def _ref(ref: bytes) -> tuple[int, int]:
    """``(row, column)`` of ``XFD1048576``; a row reference has column 0. Lower-case letters
    (no program writes them; a reader may place them anywhere) count as far away."""
    m = _REF.fullmatch(ref)
    if m is None:
        return 0, 0
    if not m[1].isupper() and m[1]:
        return 1 << 30, 1 << 14
    return int(m[2]), column_index(m[1].decode())


def _greater(text: str, digit: str, last: str, first: str) -> str:
    """A regex for the strings of ``digit`` characters sorting after ``text`` (same length or longer)."""
    k = len(text)
    alternatives = [f"{first}{digit}{{{k},}}"]
    for i, ch in enumerate(text):
        if ch != last:
            alternatives.append(re.escape(text[:i]) + f"[{chr(ord(ch) + 1)}-{last}]{digit}{{{k - i - 1}}}")
    return "|".join(alternatives)


def beyond_pattern(rows: int, columns: int, *, cells_only: bool = False) -> re.Pattern[bytes]:
    """Any ``r="…"`` (either quote, any element) beyond ``rows`` or ``columns``, or with lower-case
    letters; with ``cells_only`` only cell references (a row of formatting alone is harmless).
    It starts with the literal ``r`` so that the search runs at memchr speed."""
    row_gt = _greater(str(rows), "[0-9]", "9", "[1-9]")
    col_gt = _greater(column_letter(columns), "[A-Z]", "Z", "[A-Z]")
    # Possessive letters and zeros: every alternative of ``row_gt`` starts with a digit 1-9, so
    # giving any of them back can never lead to a match — and not trying is a third faster.
    letters = "[A-Z]{1,3}+" if cells_only else "[A-Z]{0,3}+"
    lower = "(?=[A-Za-z]{0,2}[a-z])[A-Za-z]{1,3}[0-9]+"
    return re.compile(rf"""r\s*=\s*["'](?:{letters}0*+(?:{row_gt})|(?:{col_gt})[0-9]+|{lower})["']""".encode())


# A cell without ``r`` (its place is counted from the one before) or with a namespace prefix:
# no program writes them, and the cheap search cannot place them.
_UNPLACED_CELL = re.compile(rb"<c(?=[\s/>])(?![^>]*\sr\s*=)")
_PREFIXED_CELL = re.compile(rb"<\w+:c[\s/>]")


def scan_sheet_xml(open_stream: Callable[[], IO[bytes]], *, cell_limit: int = 0,
                   strict: tuple[int, int] | None = None, layout: bool = True) -> SheetScan:
    """Streamed passes over a worksheet's XML (``open_stream`` opens it afresh).

    ``cell_limit``: find the last row and column holding a value. A ``<dimension>`` within the
    limit is believed while no cell lies beyond it and every cell has its ``r`` (two cheap
    searches); otherwise every row and cell is walked, ``r`` or not, whatever the attribute
    order. ``strict``: flag any reference beyond ``(rows, columns)``, styled or not
    (machine-written files). ``layout``: collect hidden rows and merged ranges.

    The XML is searched in pieces that end just after a ``>``, so that no tag is ever split
    between two pieces (the searches all look inside tags).
    """
    hidden: set[int] = set()
    merged: set[CellRange] = set()
    far_ref = beyond_pattern(*strict) if strict else None
    far = False
    dimension: tuple[int, int] | None = None
    outside: re.Pattern[bytes] | None = None
    believed = cell_limit > 0
    for piece in _pieces(open_stream):
        if believed and dimension is None:
            m = _DIMENSION.search(piece[:4096])
            last = _ref(m[2] or m[1]) if m else (0, 0)
            if last[0] * last[1] == 0 or last[0] * last[1] > cell_limit:
                believed = False
            else:
                dimension, outside = last, beyond_pattern(*last, cells_only=True)
        if believed and outside is not None and (outside.search(piece) or not _cells_carry_r(piece)):
            believed = False
        if far_ref is not None and not far and far_ref.search(piece) is not None:
            far = True
        if layout:
            # The plain searches skip the regular expressions on the (usual) pieces without any.
            if b"hidden" in piece:
                hidden.update(int(m[1] or m[2]) for m in _HIDDEN_ROW.finditer(piece))
            if b"mergeCell " in piece:
                for m in _MERGE.finditer(piece):
                    (r1, c1), (r2, c2) = _ref(m[1]), _ref(m[2])
                    merged.add((r1, c1, r2, c2))
        elif not believed and far_ref is None:
            break  # only the walk below is left to do
    max_row, max_col = dimension if believed and dimension else (0, 0)
    if cell_limit > 0 and not believed:
        max_row, max_col = _walk_cells(open_stream)
    return SheetScan(frozenset(hidden), tuple(sorted(merged)), max_row, max_col, far)


def _pieces(open_stream: Callable[[], IO[bytes]]) -> Iterator[bytes]:
    """The stream in pieces of about ``_CHUNK`` bytes, each ending just after a ``>`` (the rest
    goes with the next piece). A stretch of more than a chunk without any ``>`` — no worksheet
    anybody wrote — is cut where it is, and its last 512 bytes are searched again with the next."""
    carry = b""
    with open_stream() as stream:
        while chunk := stream.read(_CHUNK):
            data = carry + chunk if carry else chunk
            cut = data.rfind(b">") + 1
            if cut == 0 or len(data) - cut > _CHUNK:
                yield data
                carry = data[-512:]
            else:
                yield data[:cut] if cut < len(data) else data
                carry = data[cut:]
    if carry:
        yield carry


def _cells_carry_r(piece: bytes) -> bool:
    """Every cell of ``piece`` has an ``r`` and no namespace prefix. Usually every tag starting
    ``<c`` starts ``<c r="`` (two counts at memchr speed); otherwise the regular expressions decide."""
    if b":" in piece and b":c" in piece and _PREFIXED_CELL.search(piece):
        return False
    if piece.count(b"<c") == piece.count(b'<c r="'):
        return True
    return _UNPLACED_CELL.search(piece) is None


def _walk_cells(open_stream: Callable[[], IO[bytes]]) -> tuple[int, int]:
    """The last row and column of a non-empty cell, following rows and cells without ``r`` too."""
    row = col = max_row = max_col = 0
    columns: dict[bytes, int] = {}
    tail = b""
    with open_stream() as stream:
        while chunk := stream.read(_CHUNK):
            data = tail + chunk
            cut = data.rfind(b">") + 1
            for m in _ELEMENT.finditer(data, 0, cut):
                if m[1]:  # the usual cell
                    letters = m[1]
                    col = columns.get(letters) or columns.setdefault(letters, column_index(letters.decode()))
                    row = int(m[2])
                    if not m[3]:
                        max_row, max_col = max(max_row, row), max(max_col, col)
                    continue
                found = _R_ATTR.findall(m[5]) if m[5] else []
                if len(found) > 1:  # the same attribute twice: which one a reader takes is anyone's guess
                    return 1 << 30, 1 << 14
                r = found[0] if found else None
                if m[4] == b"row":
                    row, col = (_ref(r)[0] if r else row + 1), 0
                    continue
                if r:
                    cell_row, col = _ref(r)
                    row = cell_row or row
                else:
                    col += 1
                if not m[6]:  # <c …/> is a styled empty cell; anything else may hold a value
                    max_row, max_col = max(max_row, row), max(max_col, col)
            tail = data[cut:]
            if len(tail) > _CHUNK:  # no ">" in a whole chunk: not a worksheet anybody wrote
                return 1 << 30, 1 << 14
    return max_row, max_col
