"""Pinyin initials of organization names, so a picker finds 张弓镇 by typing "zgz".
Pure: no database here."""

from pypinyin import Style, lazy_pinyin


def name_initials(name: str) -> str:
    """The first letter of each Chinese character's pinyin, lower case; letters and digits
    kept as they are (lower-cased), everything else dropped: 张弓镇党委 → zgzdw, 二组 → ez."""
    letters = []
    for part in lazy_pinyin(name or "", style=Style.FIRST_LETTER, errors="default"):
        letters.extend(c for c in part.lower() if c.isascii() and c.isalnum())
    return "".join(letters)[:120]
