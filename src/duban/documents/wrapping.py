"""Lines broken at a fixed width (PDF layout, or a .txt saved with hard wraps) joined back into paragraphs.

A heading or sentence cut at the wrap would otherwise reach the parser as two lines: a heading's
title ends early and its tail looks like body text. The rules shared by the PDF reader (which knows
positions) and the plain-text reader (which only knows line lengths) live here.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

SENTENCE_END = re.compile(r"[。！？；：!?;:…]$|[。！？；：!?][”’」』）)]*$")
NUMBERED_START = re.compile(
    r"^(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十百\d]+[）)]|\d{1,3}(?:\.\d{1,3})*[、.．)）](?!\d)|\d{1,3}(?:\.\d{1,3})+(?![\d%])"
    r"|[①-⑳⑴-⒇⒈-⒛㈠-㈩]|第[一二三四五六七八九十百\d]+[章节部分条]|[A-Za-z][、.．)]"
    r"|[•●■◆▪]|附件|附表|附：)"
)
_INDENT = re.compile(r"^[ \t\u3000]+\S")
MIN_LINES = 8  # fewer lines than this: no evidence of a wrap width
MIN_SHARE = 0.25  # share of the text's lines that must end at the wrap width


def glue(left: str, right: str) -> str:
    """Join two pieces of one paragraph: a space only between two ASCII words (never inside a number);
    a hyphen at a wrap goes."""
    if (
        left
        and right
        and left[-1].isascii()
        and left[-1].isalpha()
        and right[0].isascii()
        and right[0].isalpha()
    ):
        return left + " " + right
    if left.endswith("-") and right[:1].isascii() and right[:1].isalpha():
        return left[:-1] + right
    return left + right


def display_width(text: str) -> int:
    """Columns on a fixed-width screen: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wrap_measure(lines: list[str]) -> tuple[int, int, bool] | None:
    """(width, tolerance, by columns?) when the text was wrapped at a fixed width, else None.

    Wrapped text has many lines ending within a character of one width and almost none longer.
    Editors wrap by columns (CJK counting two) or by characters; both are tried.
    """
    best = None
    for by_columns, tol, floor in ((False, 1, 20), (True, 2, 40)):
        sizes = [display_width(ln) if by_columns else len(ln) for ln in lines]
        long = [s for s in sizes if s >= floor]
        if not long:
            continue
        top = max(
            Counter(long).items(), key=lambda kv: (sum(1 for s in long if kv[0] - tol <= s <= kv[0]), kv[0])
        )[0]
        at_width = sum(1 for s in sizes if top - tol <= s <= top)
        beyond = sum(1 for s in sizes if s > top)
        wrapped = at_width >= max(5, MIN_SHARE * len(lines)) and beyond <= 0.02 * len(lines)
        if wrapped and (best is None or at_width > best[0]):
            best = (at_width, top, tol, by_columns)
    return None if best is None else best[1:]


def unwrap_plain_text(text: str) -> str:
    """Join hard-wrapped lines of a plain text; text without a consistent wrap width comes back unchanged."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [ln.rstrip() for ln in raw]
    nonempty = [ln.strip() for ln in lines if ln.strip()]
    if len(nonempty) < MIN_LINES:
        return text
    found = _wrap_measure(nonempty)
    if found is None:
        return text
    width, tol, by_columns = found
    indent_paragraphs = sum(1 for ln in lines if _INDENT.match(ln)) >= 2

    def fills(line: str) -> bool:
        s = line.strip()
        return (display_width(s) if by_columns else len(s)) >= width - tol

    out: list[str] = []
    current = ""
    for i, line in enumerate(lines):
        current = line if not current else glue(current, line.strip())
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        join = False
        if line.strip() and nxt.strip() and fills(line) and not NUMBERED_START.match(nxt.strip()):
            # with first-line indents, an indented line starts a new paragraph; else a sentence end does
            join = not _INDENT.match(nxt) if indent_paragraphs else not SENTENCE_END.search(line.strip())
        if not join:
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return "\n".join(out)
