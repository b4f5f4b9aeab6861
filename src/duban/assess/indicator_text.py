"""The grammar of indicator phrases: normalise what a document wrote, and compare two phrases.

A quantity's indicator is the noun phrase before its figure ("全市学前三年毛入园率达到").
Documents wrap the same indicator in time and scope words (2019年, 截至目前, 全市), verbs of
reaching and keeping (达到, 提高到, 保持, 稳定在), comparisons (比上一年度) and punctuation; the
rules below strip those, never anything particular to one document. Two phrases then name the
same indicator when they end in the same head (Chinese noun phrases are head-final: 入园率 and
入学率 are different rates) and are close enough in rapidfuzz's sense.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

_QUOTES = re.compile(r"[“”\"'‘’《》「」『』〈〉]")
_SEPARATORS = re.compile(r"[、，,·•\s\u3000]+")
_YEAR = r"(?:\d{4}|[一二三四五六七八九〇零]{4})年(?:度|底|末)?"
# Words before the indicator: when, where, and verbs of intent ("确保", "推动").
_LEAD = re.compile(
    r"^(?:(?:到|至|截至|截止到|截止|在)?" + _YEAR + r"(?:以前|前|内)?"
    r"|截至目前|截止目前|目前|当前|现阶段|全年|本年度|年度|年内|今年|当年"
    r"|全市|全省|全县|全区|全国|我市|本市|我县|本县|我区|本区|市属|市直"
    r"|确保|保证|力争|努力|争取|实现|推动|推进|进一步|持续|继续|累计|已经|已|使|将|其中|并)"
)
# Words after it: verbs of reaching/keeping, comparisons with a base, the bound's lead-in.
_TAIL = re.compile(
    r"(?:(?:比|较|与|同)(?:上一?年度?|去年|上年|同期|年初)(?:相比)?|同比|环比"
    r"|(?:超出|超过|高于|低于)(?:全国|全省|全市)?(?:平均水平|平均)"
    r"|保持|一直|始终|稳定|稳步|分别|均|都|达到|达|提高到|提高至|提升到|提升至|增加到|增至|增长到"
    r"|降低到|降低至|降至|下降到|控制|控制到|不低于|不少于|不超过|不高于|在|为|要|总体上|总计|共计|共)$"
)
_MIN_LEFT = 2  # never strip a phrase below two characters


def normalize(text: str) -> str:
    """The indicator phrase without quotes, separators, time/scope/intent words and reaching verbs."""
    s = _QUOTES.sub("", text or "")
    s = s.replace("（", "(").replace("）", ")")
    s = _SEPARATORS.sub("", s)
    changed = True
    while changed:
        changed = False
        m = _LEAD.match(s)
        if m and m.end() and len(s) - m.end() >= _MIN_LEFT:
            s, changed = s[m.end() :], True
        m = _TAIL.search(s)
        if m and m.start() >= _MIN_LEFT and m.end() > m.start():
            s, changed = s[: m.start()], True
    return s


def same_head(a: str, b: str) -> bool:
    """Both phrases end in the same head noun (the last two characters, or one for short phrases)."""
    n = 2 if min(len(a), len(b)) >= 2 else 1
    return a[-n:] == b[-n:]


def similarity(a: str, b: str) -> float:
    """0-100: how surely two normalised phrases name the same indicator."""
    if not a or not b:
        return 0.0
    if a == b:
        return 100.0
    if not same_head(a, b):
        return min(fuzz.ratio(a, b), 60.0)
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 4 and long_.endswith(short):
        # a qualified form of the same indicator (义务教育阶段大班额比例 / 大班额比例); a bare head
        # such as 覆盖率 or 幼儿园 says too little to link on its own
        return 90.0
    score = fuzz.ratio(a, b)
    if len(short) >= 4:
        score = max(score, 0.95 * fuzz.partial_ratio(short, long_))
    return float(score)


# Units that count the same thing under another name.
_UNIT_FAMILY = {"名": "人", "位": "人", "个百分点": "%", "百分点": "%", "平米": "平方米"}


def unit_key(unit: str) -> str:
    """A normalised unit folded into its family (名 and 人 count people alike)."""
    return _UNIT_FAMILY.get(unit, unit)


def units_compatible(a: str, b: str) -> bool:
    """Empty units go with anything; otherwise the same family."""
    return not a or not b or unit_key(a) == unit_key(b)
