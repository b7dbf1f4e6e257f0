"""Regenerate dangjian_desktop/resources/pinyin_initials.txt from pypinyin.

The program needs only the first letter of each character's readings for the quick search;
pypinyin itself costs ~0.3 s and ~55 MB to load, so the program ships this small table
instead. Each line is ``<letters>\\t<characters>``: every character on the line has those
first letters, the most common reading first (e.g. ``zc`` for 曾: zēng, céng).

    python scripts/make_pinyin_table.py
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from pypinyin import Style, pinyin

RANGES = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)]
OUT = Path(__file__).resolve().parents[1] / "dangjian_desktop" / "resources" / "pinyin_initials.txt"
MAX_READINGS = 3


def main() -> None:
    groups: dict[str, list[str]] = defaultdict(list)
    for lo, hi in RANGES:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            readings = pinyin(ch, style=Style.FIRST_LETTER, heteronym=True, errors="ignore")
            readings = readings[0] if readings else []
            letters = "".join(dict.fromkeys(r[:1].lower() for r in readings if r and r[:1].isascii() and r[:1].isalpha()))
            if letters:
                groups[letters[:MAX_READINGS]].append(ch)
    lines = [f"{letters}\t{''.join(chars)}" for letters, chars in sorted(groups.items())]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT}: {sum(map(len, groups.values()))} characters in {len(groups)} groups")


if __name__ == "__main__":
    main()
