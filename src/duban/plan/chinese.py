"""Traditional characters: a simplified copy of the text for matching, the original kept.

The copy is made character by character from OpenCC's TSCharacters table, so it has the
same length as the original and offsets found in one are valid in the other.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import opencc


@cache
def _table() -> tuple[dict[int, str], frozenset[str]]:
    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    table: dict[int, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and len(parts[0]) == 1 and len(parts[1]) == 1 and parts[0] != parts[1]:
            table[ord(parts[0])] = parts[1]
    return table, frozenset(chr(c) for c in table)


def has_traditional(text: str) -> bool:
    return not _table()[1].isdisjoint(text)


def simplified_copy(text: str) -> str:
    """`text` with traditional characters replaced by simplified ones, same length."""
    table, chars = _table()
    if chars.isdisjoint(text):
        return text
    return text.translate(table)
