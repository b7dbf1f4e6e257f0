"""Pinyin initials for the quick search: typing ``zs`` finds 张三.

Stored in an ``initials`` column beside the name, because computing pinyin per row at query
time would be far too slow at district scale. A surname with several readings (单 Shàn/Dān,
曾 Zēng/Céng) gives one key per reading, separated by spaces, so either reading finds it.
"""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin, pinyin

MAX_READINGS = 3


@lru_cache(maxsize=65536)
def initials(name: str) -> str:
    name = "".join(name.split())
    if not name:
        return ""
    rest = "".join(lazy_pinyin(name[1:], style=Style.FIRST_LETTER, errors="default")).lower()
    firsts = pinyin(name[0], style=Style.FIRST_LETTER, heteronym=True, errors="default")[0]
    keys = dict.fromkeys(f"{f.lower()}{rest}" for f in firsts[:MAX_READINGS])
    return " ".join(keys)
