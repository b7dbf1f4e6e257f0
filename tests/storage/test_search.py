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
