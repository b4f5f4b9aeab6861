"""Traditional characters: a simplified copy of the text for matching, the original kept.

The copy is made character by character from OpenCC's TSCharacters table, so it has the
same length as the original and offsets found in one are valid in the other.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import opencc


@cache
def _table() -> tuple[dict[int, str], re.Pattern[str]]:
    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    table: dict[int, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and len(parts[0]) == 1 and len(parts[1]) == 1 and parts[0] != parts[1]:
            table[ord(parts[0])] = parts[1]
    pattern = re.compile("[" + "".join(re.escape(chr(c)) for c in table) + "]")
    return table, pattern


def has_traditional(text: str) -> bool:
    return _table()[1].search(text) is not None


def simplified_copy(text: str) -> str:
    """`text` with traditional characters replaced by simplified ones, same length."""
    table, pattern = _table()
    if pattern.search(text) is None:
        return text
    return text.translate(table)
