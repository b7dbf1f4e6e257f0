"""Pinyin initials kept beside names for the quick search."""

from __future__ import annotations

from factories import member
from sqlalchemy import text

from dangjian_desktop.storage.repositories import MemberRepository, audit_for
from dangjian_desktop.storage.search import initials


def test_initials_of_common_names():
    assert initials("张三") == "zs"
    assert initials("欧阳建国") == "oyjg"
    assert "wf" in initials(" 王  芳 ").split()
    assert initials("") == ""


def test_a_surname_with_two_readings_matches_both():
    keys = initials("曾国强").split()
    assert "zgq" in keys and "cgq" in keys


def test_initials_are_stored_and_follow_renames(store):
    m = member(name="张三")
    with store.db.write() as s:
        MemberRepository(s, audit_for(s)).add(m)
    m.name = "李四"
    with store.db.write() as s:
        MemberRepository(s, audit_for(s)).update(m)
    with store.db.read() as s:
        assert s.execute(text("SELECT initials FROM members")).scalar() == "ls"


def test_the_shipped_table_agrees_with_pypinyin():
    """The table is generated from pypinyin; regenerate it (scripts/make_pinyin_table.py)
    if this fails after a pypinyin upgrade."""
    from pypinyin import Style, lazy_pinyin

    from dangjian_desktop.services.demo_names import FEMALE_CHARS, MALE_CHARS, NEUTRAL_CHARS, SURNAMES

    chars = {ch for group in (FEMALE_CHARS, MALE_CHARS, NEUTRAL_CHARS) for ch in group}
    chars |= {s for s in SURNAMES if len(s) == 1}
    for ch in sorted(chars):
        expected = lazy_pinyin(ch, style=Style.FIRST_LETTER)[0].lower()
        assert expected in initials(ch).split(), ch


def test_the_uncached_initials_of_bulk_writes_are_the_cached_ones():
    """``fresh_initials`` (bulk writes) maps characters with ``str.translate``: the same keys as
    taking each character's first letter one by one."""
    import random

    from dangjian_desktop.storage.search import MAX_READINGS, _letters, fresh_initials

    def one_by_one(name: str) -> str:
        name = "".join(name.split())
        if not name:
            return ""
        rest = "".join(_letters(ch)[:1] for ch in name[1:])
        keys = dict.fromkeys(f"{f}{rest}" for f in (_letters(name[0])[:MAX_READINGS] or [""]))
        return " ".join(k for k in keys if k)

    chars = "张王单曾欧阳·李aZ9 ,，-Ⅷ\U00020000\t\u3000行长乐"
    rng = random.Random(4)
    names = ["", " ", "单", "曾国强", "a", "·", "Ⅷ世", "\u3000王 芳"]
    names += ["".join(rng.choice(chars) for _ in range(rng.randint(0, 6))) for _ in range(3000)]
    for name in names:
        assert fresh_initials(name) == one_by_one(name) == initials(name), name
