"""Spans of text that quote a name (《titles》), and a fast "is this position inside one" test."""

from __future__ import annotations

import math
import re
from bisect import bisect_right

_TITLE = re.compile(r"《[^《》\n]{0,80}》")


def title_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every 《title》 in `text`, in order."""
    return [(m.start(), m.end()) for m in _TITLE.finditer(text)] if "《" in text else []


def inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    """Strictly inside one of `spans` (sorted and not overlapping, as one regex's matches are).

    A binary search: a long text with thousands of quotes stays linear.
    """
    k = bisect_right(spans, (pos, math.inf)) - 1
    return k >= 0 and spans[k][0] < pos < spans[k][1]
