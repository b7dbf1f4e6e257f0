"""Finding the table in a messy sheet: which row holds the header, what each column is called,
and which rows below it are not data.

The header is the row, among the first ``HEAD_ROWS`` rows with content, with the most cells a
caller recognises (``known``); titles (“XX镇党员花名册”, “填报单位：…”) above it score nothing.
A two-level header — a parent cell merged across its children (“发展情况” over “入党时间” and
“转正时间”), the other headers merged down over both rows — is flattened to ``父_子``. Merged
ranges are used when the file has them (.xlsx/.xls); without them (CSV) a parent carries to the
right over the columns that have a child below them.

Below the header, footer rows (合计, 制表人, 审核人 …), a row repeating the header and a row
of column numbers (1, 2, 3 …) are not data.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import zip_longest

from .roster_source import CellRange, Row, column_letter

HEAD_ROWS = 40
FOOTER_WORDS = ("合计", "总计", "小计", "制表", "审核", "填表", "填报人", "负责人", "单位负责人", "统计人",
                "注：", "注:", "说明：", "说明:", "备注：", "备注:")
_PARENS = str.maketrans({"（": "(", "）": ")", "【": "[", "】": "]", "：": ":"})
_HINT = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_MARKS = "*★※:＊ "


def normalize_header(text: object) -> str:
    """A header as compared: no spaces or line breaks, ASCII brackets, no required-marks."""
    s = "".join(str(text or "").split()).translate(_PARENS)
    return s.strip(_MARKS)


def strip_hints(normalized: str) -> str:
    """Without the bracketed hints: ``出生年月(yyyy-MM)`` → ``出生年月``."""
    return _HINT.sub("", normalized).strip(_MARKS)


def display_header(value: object) -> str:
    return " ".join(str(value).split()) if isinstance(value, str) else ""


@dataclass(frozen=True)
class HeaderColumn:
    index: int  # position in the row's values (0-based)
    text: str  # as the clerk reads it; two-level headers as 父_子

    @property
    def letter(self) -> str:
        return column_letter(self.index + 1)


@dataclass(frozen=True)
class TableLayout:
    header_rows: tuple[int, ...]  # row numbers as Excel shows them
    columns: tuple[HeaderColumn, ...]

    @property
    def first_data_row(self) -> int:
        return self.header_rows[-1] + 1

    @property
    def rows_label(self) -> str:
        rows = self.header_rows
        return f"第 {rows[0]} 行" if len(rows) == 1 else f"第 {rows[0]}–{rows[-1]} 行"

    def normalized(self) -> tuple[str, ...]:
        return tuple(normalize_header(c.text) for c in self.columns)


def _texts(values: Sequence[object]) -> list[str]:
    return [display_header(v) for v in values]


def _all_text(values: Sequence[object]) -> bool:
    return all(isinstance(v, str) for v in values if v is not None and v != "")


def find_header(head: Sequence[Row], merged: Sequence[CellRange],
                known: Callable[[str], bool]) -> TableLayout | None:
    """The table's header among ``head`` (the first rows with content), or ``None``."""
    head = list(head[:HEAD_ROWS])
    scores = [sum(1 for t in _texts(values) if t and known(t)) for _n, values in head]
    if not scores or max(scores) < 2:
        return None
    best = scores.index(max(scores))
    pairs = [(best, best + 1), (best - 1, best)]
    for upper, lower in pairs:
        if upper < 0 or lower >= len(head) or head[lower][0] != head[upper][0] + 1:
            continue
        if _two_level(head[upper], head[lower], merged, known):
            return _flatten(head[upper], head[lower], merged)
    number, values = head[best]
    columns = tuple(HeaderColumn(i, t) for i, t in enumerate(_texts(values)))
    return TableLayout((number,), _trim(columns))


def _horizontal_spans(row: int, merged: Sequence[CellRange]) -> list[CellRange]:
    return [m for m in merged if m[0] == row and m[3] > m[1]]


def _two_level(upper: Row, lower: Row, merged: Sequence[CellRange], known: Callable[[str], bool]) -> bool:
    if not (_all_text(upper[1]) and _all_text(lower[1])):
        return False
    up, low = _texts(upper[1]), _texts(lower[1])
    if not any(t and known(t) for t in low):
        return False
    # A title merged across the table, or “填报单位：…” cells, are not parents of the header.
    if sum(1 for t in up if t) < 2 or any(":" in t or "：" in t for t in up):
        return False
    for r1, c1, _r2, c2 in _horizontal_spans(upper[0], merged):
        if any(low[c - 1] for c in range(c1, c2 + 1) if c - 1 < len(low)):
            return True
    pairs = list(zip_longest(up, low, fillvalue=""))
    merged_down = any(u and not lo for u, lo in pairs)
    grouped = any(lo and (not u or not known(u)) for u, lo in pairs)
    return merged_down and grouped and any(u and known(u) for u in up)


def _flatten(upper: Row, lower: Row, merged: Sequence[CellRange]) -> TableLayout:
    up, low = _texts(upper[1]), _texts(lower[1])
    width = max(len(up), len(low))
    up += [""] * (width - len(up))
    low += [""] * (width - len(low))
    parent = list(up)
    spans = _horizontal_spans(upper[0], merged)
    if spans:
        for _r1, c1, _r2, c2 in spans:
            for c in range(c1, min(c2, width) + 1):
                parent[c - 1] = up[c1 - 1]
    else:
        carry = ""
        for c in range(width):
            if up[c]:
                carry = up[c] if low[c] else ""
            elif low[c]:
                parent[c] = carry
            else:
                carry = ""
    columns = []
    for c in range(width):
        p, child = parent[c], low[c]
        text = f"{p}_{child}" if p and child and p != child else (p or child)
        columns.append(HeaderColumn(c, text))
    return TableLayout((upper[0], lower[0]), _trim(tuple(columns)))


def _trim(columns: tuple[HeaderColumn, ...]) -> tuple[HeaderColumn, ...]:
    last = max((c.index for c in columns if c.text), default=-1)
    return columns[: last + 1]


def opens_footer(first: object) -> bool:
    """Whether a row's first filled cell starts like a footer's (合计, 制表人 …)."""
    return isinstance(first, str) and "".join(first.split()).startswith(FOOTER_WORDS)


def is_footer(values: Sequence[object]) -> bool:
    """合计 / 制表人 / 审核人 / 注： rows: few cells, the first one starting with such a word."""
    first = next((v for v in values if v is not None and v != ""), None)
    if not opens_footer(first):
        return False
    return sum(1 for v in values if v is not None and v != "") <= 4


def is_column_numbers(values: Sequence[object]) -> bool:
    """A row of column numbers (1, 2, 3 … or (1), (2) …) printed under some headers."""
    filled = [v for v in values if v is not None and v != ""]
    if len(filled) < 3:
        return False
    numbers = []
    for v in filled:
        text = str(int(v)) if isinstance(v, float) and v.is_integer() else str(v).strip("()（） ")
        if not text.isascii() or not text.isdigit():
            return False
        numbers.append(int(text))
    return numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def repeats_header(values: Sequence[object], layout: TableLayout) -> bool:
    """A row that repeats the header (printed headers on every page, pasted blocks)."""
    texts = [normalize_header(t) for t in _texts(values)]
    own = [normalize_header(c.text.rsplit("_", 1)[-1]) for c in layout.columns]
    hits = sum(1 for c, t in zip(own, texts) if c and t == c)
    return hits >= max(2, sum(1 for c in own if c) // 2)
