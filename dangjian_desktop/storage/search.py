"""Pinyin initials for the quick search: typing ``zs`` finds 张三.

Stored in an ``initials`` column beside the name, because computing pinyin per row at query
time would be far too slow at district scale. A surname with several readings (单 Shàn/Dān,
曾 Zēng/Céng) gives one key per reading, separated by spaces, so either reading finds it;
the other characters use their most common reading.

The letters come from ``resources/pinyin_initials.txt`` (made by
``scripts/make_pinyin_table.py`` from pypinyin): loading pypinyin itself would cost the
program ~0.3 s and ~55 MB at every start for what a 84 KB table answers.
"""

from __future__ import annotations

from functools import cache, lru_cache

from ..paths import resources_dir

MAX_READINGS = 3
TABLE_NAME = "pinyin_initials.txt"


@cache
def _table() -> dict[str, str]:
    letters_of: dict[str, str] = {}
    text = (resources_dir() / TABLE_NAME).read_text(encoding="utf-8")
    for line in text.splitlines():
        letters, _, chars = line.partition("\t")
        for ch in chars:
            letters_of[ch] = letters
    return letters_of


def _letters(ch: str) -> str:
    """Every first letter of the character's readings; a letter or digit stands for itself."""
    found = _table().get(ch)
    if found:
        return found
    return ch.lower() if ch.isascii() and ch.isalnum() else ""


class _FirstLetters(dict):
    """Code point → the first letter of its first reading ("" for none), for ``str.translate``;
    filled in as characters turn up."""

    def __missing__(self, code: int) -> str:
        letter = self[code] = _letters(chr(code))[:1]
        return letter


_FIRST_LETTERS = _FirstLetters()


def fresh_initials(name: str) -> str:
    """``initials`` without its cache: for bulk writes, whose names are mostly seen once."""
    name = "".join(name.split())
    if not name:
        return ""
    rest = name[1:].translate(_FIRST_LETTERS)
    firsts = _letters(name[0])[:MAX_READINGS]
    if len(firsts) <= 1:
        return firsts + rest
    keys = dict.fromkeys(f"{f}{rest}" for f in firsts)
    return " ".join(k for k in keys if k)


initials = lru_cache(maxsize=65536)(fresh_initials)
