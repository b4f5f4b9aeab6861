"""Numerals as written in Chinese administrative text.

Arabic (94.5, 1.5万 -> value 1.5 with 万 kept in the unit), Chinese numerals (一, 两, 十五,
一百二十, via a small table and cn2an for the rest), 百分之九十, ranges (700-800, 150至200),
ratios (4:6 -> 0.6667) and redacted figures (x, XX).

The regex fragments here are shared by quantities.py and deadlines.py.
"""

from __future__ import annotations

import cn2an

# Full-width digits and punctuation that may survive in raw text (the documents layer maps
# them, but these functions also take text straight from a caller).
_FULLWIDTH = str.maketrans("０１２３４５６７８９．％：", "0123456789.%:")

CN_DIGITS = "零〇一二两三四五六七八九"
CN_CHARS = CN_DIGITS + "十百千万亿"

# bounded: no quadratic backtracking on digit runs; "1,200" / "12,000.5" with thousands separators
ARABIC = r"(?<![\d.])(?<!\d,)(?:\d{1,3}(?:,\d{3})+(?![\d,])|\d{1,12})(?:\.\d{1,6})?"
CN_NUM = rf"(?<![{CN_CHARS}])[{CN_CHARS}]{{1,8}}"
PLACEHOLDER = r"(?:[xX]{1,3}|×{1,2})"
# separators of a range "700-800", "150至200", "1—2", "1~2"
RANGE_SEP = r"\s*(?:-|－|—{1,2}|–|~|～|〜|至|到)\s*"

_SMALL = {c: i for i, c in enumerate("零一二三四五六七八九")}
_SMALL["〇"] = 0
_SMALL["两"] = 2


def to_halfwidth(text: str) -> str:
    """Map full-width digits, dot, percent and colon to ASCII (same length)."""
    return text.translate(_FULLWIDTH)


def cn_to_number(s: str) -> float | None:
    """Chinese numeral to a number: 一 -> 1, 两 -> 2, 十五 -> 15, 一百二十 -> 120; None if not a numeral."""
    if not s:
        return None
    if len(s) == 1 and s in _SMALL:
        return float(_SMALL[s])
    if len(s) <= 3 and "十" in s and all(c in _SMALL or c == "十" for c in s):
        head, _, tail = s.partition("十")
        if "十" in tail:
            return None
        tens = _SMALL.get(head) if head else 1
        ones = _SMALL.get(tail) if tail else 0
        if tens is None or ones is None:
            return None
        return float(tens * 10 + ones)
    try:
        v = cn2an.cn2an(s.replace("两", "二") if len(s) > 1 else s, "smart")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    try:
        return float(v)
    except OverflowError:  # 亿亿亿…: no amount a plan states
        return None


def parse_number(s: str) -> float | None:
    """Arabic or Chinese numeral (without unit multipliers) to float; None if unreadable."""
    s = to_halfwidth(s.strip())
    if not s:
        return None
    if s[0].isdigit():
        try:
            return float(s.replace(",", ""))
        except ValueError:
            return None
    return cn_to_number(s)


def percent_words(s: str) -> float | None:
    """百分之九十 -> 90, 百分之5 -> 5, 百分之九十五点五 -> 95.5."""
    if not s.startswith("百分之"):
        return None
    body = s[3:]
    if "点" in body:
        whole, _, frac = body.partition("点")
        w = parse_number(whole)
        if w is None or not frac or any(c not in _SMALL for c in frac):
            return None
        return float(f"{int(w)}.{''.join(str(_SMALL[c]) for c in frac)}")
    return parse_number(body)


def ratio_value(a: float, b: float) -> float | None:
    """A:B as one number rounded to 4 places (4:6 -> 0.6667)."""
    if not b:
        return None
    return round(a / b, 4)


_SCALE = {"万": 1e4, "亿": 1e8, "千": 1e3, "百": 1e2}


def normalize(value: float | None, unit: str) -> tuple[float | None, str]:
    """Scale a value to its base unit: (1.5, 万人次) -> (15000, 人次); (294.4, 亿元) -> (2.944e10, 元)."""
    if len(unit) > 1 and unit[0] in "万亿" and not unit.startswith("万一"):
        scale, base = _SCALE[unit[0]], unit[1:]
    elif unit in ("万", "亿"):
        scale, base = _SCALE[unit], ""
    else:
        scale, base = 1.0, unit
    if value is None:
        return None, base
    v = float(f"{value * scale:.12g}")  # 294.4 * 1e8 -> 29440000000, not ...0.000004
    return v, base


def clean_float(v: float) -> float:
    """Drop float noise (0.1+0.2) to 10 significant places."""
    return float(f"{v:.10g}")
