"""Amount candidates in a text, and the named rules that drop what only looks like an amount.

One regex pass finds every number with its measure word (`_AMOUNT`); each match is then put to
the rules of its kind (a 百分之… percentage, a 4:6 ratio, or an Arabic, Chinese or redacted
number with its measure word). A rule is a predicate
with an example in which it alone drops the figure; any rule that fires drops the match, so
their order does not change the outcome. To add a rule, write the predicate with its docstring,
decorate it with `@rule("an example it drops")` and put it in the tuple of its kind; the test in
tests/plan/test_amounts.py checks every rule against its example.

    candidates("建设3所学校，进入全国前10名")  ->  [Candidate(value=3.0, unit="所", ...)]
    drop_reasons("进入全国前10名")               ->  [("10名", ["rank"])]
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from .numbers import (
    ARABIC,
    CN_NUM,
    PLACEHOLDER,
    RANGE_SEP,
    parse_number,
    percent_words,
    ratio_value,
)
from .spans import inside, title_spans

# Measure words, longest first (alternation takes the first that matches).
_UNITS = [
    "台(件套)",
    "台（件套）",
    "个百分点",
    "平方公里",
    "平方米",
    "个科次",
    "个小时",
    "个工作日",
    "个月",
    "百分点",
    "人次",
    "场次",
    "批次",
    "科次",
    "所次",
    "课时",
    "学时",
    "小时",
    "分钟",
    "学分",
    "平米",
    "延米",
    "公里",
    "千米",
    "公顷",
    "大类",
    "部门",
    "%",
    "‰",
    "人",
    "名",
    "位",
    "所",
    "个",
    "次",
    "节",
    "篇",
    "项",
    "期",
    "场",
    "批",
    "份",
    "门",
    "座",
    "台",
    "件",
    "套",
    "册",
    "本",
    "部",
    "家",
    "支",
    "处",
    "条",
    "间",
    "张",
    "户",
    "类",
    "兆",
    "起",
    "天",
    "吨",
    "辆",
    "亩",
    "种",
    "轮",
    "栋",
    "块",
    "组",
    "队",
    "倍",
    "周",
    "元",
    "米",
    "年",
    "分",
    "克",
]
_UNIT_RE = "|".join(re.escape(u) for u in _UNITS)

# Units a Chinese numeral may carry ("一所", "两期", "两次", "一小时"); 个/项/大 with Chinese
# numerals are mostly slogans and frameworks (四个意识, 九项工程, 三大战役).
_CN_UNITS = frozenset(
    [
        "所",
        "期",
        "次",
        "场",
        "场次",
        "名",
        "人",
        "节",
        "篇",
        "小时",
        "个小时",
        "天",
        "轮",
        "批次",
        "位",
        "人次",
        "门",
    ]
)
# words that end in 一 and are not the numeral one
_NOT_ONE = frozenset("统唯之同单逐万划合归专均第初高周七五十新每任某另为")
# units a redacted figure (x%, XX所) may carry; "XX支…" is more likely a redacted name
_PH_UNITS = frozenset(
    [
        "%",
        "所",
        "名",
        "人",
        "人次",
        "个",
        "次",
        "元",
        "平方米",
        "平米",
        "延米",
        "项",
        "节",
        "篇",
        "场",
        "件",
        "份",
        "台",
        "套",
        "门",
        "个百分点",
        "座",
        "家",
        "期",
        "批",
    ]
)
# nouns that make "N个/项/名 X" a named framework rather than an amount
_FRAMEWORK = re.compile(
    r"(?:工程|行动|战略|战役|意识|自信|维护|原则|机制|体系|模式|理念|思路|目标|重点|攻坚|一流|清单|只增不减|不低于|全覆盖|硬仗|攻坚战|战役|革命)"
)

# "100%联网达标攻坚行动": a percentage glued to a noun phrase that names a programme
_TAIL_CUT = re.compile(r"[，,。；;：:！!？?\n、“”\"的]")
_NAMED_PCT = re.compile(r"[\u4e00-\u9fff]{2,12}?(?:行动|工程|计划|项目|战略|活动)")

_AMOUNT = re.compile(
    rf"""
    (?=[\dxX×零〇一二两三四五六七八九十百千万亿])
    (?:
    (?P<pw>百分之[零〇一二两三四五六七八九十百点]+)
  | (?<![\d.])(?P<ra>\d{{1,6}}(?:\.\d{{1,4}})?)\s*[:：∶]\s*(?P<rb>\d{{1,6}}(?:\.\d{{1,4}})?)(?![\d:：∶])
  | (?P<num>{PLACEHOLDER}|{ARABIC}|{CN_NUM})
    (?:(?P<sep>{RANGE_SEP})(?P<num2>{ARABIC}|{CN_NUM}))?
    (?P<ap1>余|多)?
    (?:[ ]?(?P<mult>万|亿))?  # "2.6 万名": a PDF space before the multiplier
    (?P<ap2>余|多)?
    (?:[ ]?(?P<unit>{_UNIT_RE}))?
    (?<![\d.零〇一二两三四五六七八九十百千xX×])
    )
    """,
    re.VERBOSE,
)
_AFTER = re.compile(r"\s*(?P<w>及以上|以上|以下|以内|之内|左右)")
_QUOTE = re.compile(r"[“\"「][^”\"」\n]{0,40}[”\"」]")
# a quoted name or slogan (“12991”, “三名”, “120所质量提升工程”), not a quoted sentence
_SLOGAN_END = re.compile(
    r"(?:工程|行动|计划|战略|战役|项目|体系|机制|模式|理念|思路|目标|格局|示范校|学校)[”\"」]$"
)
_N_FIGURES = re.compile(r"([两二三四五六七八九])个[“\"]?$")


@dataclass
class Candidate:
    start: int
    end: int  # after unit and trailing comparator word
    num_start: int
    value: float | None
    value_high: float | None
    unit: str
    placeholder: bool
    after: str
    approx: bool
    shared_n: int = 1


class Found:
    """One match of `_AMOUNT` in its text: what the rules look at."""

    def __init__(
        self, text: str, m: re.Match[str], titles: list[tuple[int, int]], quotes: list[tuple[int, int]]
    ):
        self.text, self.m = text, m
        self.s, self.e = m.start(), m.end()
        self.prev = text[self.s - 1] if self.s else ""
        self.nxt = text[self.e : self.e + 1]
        self.in_title = bool(titles) and inside(self.s, titles)
        self.in_quote = bool(quotes) and inside(self.s, quotes)
        self.num = m.group("num") or ""
        self.unit = m.group("unit") or ""
        self.mult = m.group("mult") or ""
        first = self.num[:1]
        self.is_arabic = first.isdigit()
        self.is_ph = bool(first) and first in "xX×"
        if m.group("pw"):
            self.kind = "percent_words"
        elif m.group("ra"):
            self.kind = "ratio"
        else:
            self.kind = "arabic" if self.is_arabic else "placeholder" if self.is_ph else "chinese"

    @cached_property
    def value(self) -> float | None:
        if self.kind == "percent_words":
            return percent_words(self.m.group("pw"))
        if self.kind == "ratio":
            return ratio_value(float(self.m.group("ra")), float(self.m.group("rb")))
        return None if self.is_ph else parse_number(self.num)

    @cached_property
    def value_high(self) -> float | None:
        return parse_number(self.m.group("num2")) if self.m.group("num2") else None

    @cached_property
    def shared_n(self) -> int:
        """ "三个100%": one figure shared by the N indicators named before it."""
        nm = _N_FIGURES.search(self.text[max(0, self.s - 4) : self.s])
        return int(parse_number(nm.group(1)) or 1) if nm else 1

    def before(self, k: int) -> str:
        return self.text[max(0, self.s - k) : self.s]

    def after(self, k: int) -> str:
        return self.text[self.e : self.e + k]


Rule = Callable[[Found], bool]


def rule(example: str) -> Callable[[Rule], Rule]:
    """Attach the example in which this rule alone drops a figure (checked by the tests)."""

    def mark(fn: Rule) -> Rule:
        fn.example = example  # type: ignore[attr-defined]
        return fn

    return mark


# -- rules of every kind -----------------------------------------------------------------
@rule("学习《建设3所学校方案》")
def in_title(f: Found) -> bool:
    """Inside a 《title》: part of a name."""
    return f.in_title


@rule("实施“三名”工程")
def quoted(f: Found) -> bool:
    """Inside a quoted slogan or name; only a figure shared by N indicators (三个“100%”) stays."""
    if not f.in_quote:
        return False
    shared = f.kind == "arabic" and _N_FIGURES.search(f.before(4)) and f.unit in ("%", "个百分点")
    return not shared


# -- 百分之… and ratios --------------------------------------------------------------------
@rule("百分之点")
def percent_words_unreadable(f: Found) -> bool:
    """百分之 followed by no readable numeral."""
    return f.value is None


@rule("生师比12:30:45")
def ratio_glued(f: Found) -> bool:
    """A clock time or a code (12:30:45), not a ratio."""
    return bool(f.prev) and (f.prev.isdigit() or f.prev in ".:：∶")


@rule("会议定于9:30召开")
def ratio_without_bi(f: Found) -> bool:
    """A ratio is only read after 比 (师生比1:15); otherwise 9:30 is a time."""
    return "比" not in f.before(20)


@rule("师生比0:0")
def ratio_unreadable(f: Found) -> bool:
    """A ratio with no value (0:0)."""
    return f.value is None


# -- numbers with a measure word ----------------------------------------------------------
@rule("参加者达120多")
def no_measure_word(f: Found) -> bool:
    """A number without a measure word or 万/亿 (120多) is not an amount."""
    return not f.unit and not f.mult


@rule("取得B2类证书")
def code_before(f: Found) -> bool:
    """Glued to letters, digits or code punctuation before it: B2类, 1+6, v2.0."""
    return bool(f.prev) and f.prev.isascii() and (f.prev.isalnum() or f.prev in "+.#/_-")


@rule("获得第3名")
def ordinal_or_sum(f: Found) -> bool:
    """第3名 is an ordinal; +3 a sum."""
    return bool(f.prev) and f.prev in "第＋+"


@rule("进入全国前10名")
def rank(f: Found) -> bool:
    """前10名, 世界前1%: a rank (but 年底前5所… is a deadline, then an amount)."""
    return f.prev == "前" and f.text[f.s - 2 : f.s - 1] not in ("底", "末", "日", "月", "季", "期", "年")


@rule("开发3个APP")
def code_after(f: Found) -> bool:
    """Glued to letters or + after it: 3个APP, 5G+."""
    return bool(f.nxt) and (f.nxt.isascii() and f.nxt.isalpha() or f.nxt in "+＋")


@rule("实施3年行动")
def years(f: Found) -> bool:
    """N年 is a span of a plan (三年行动), an amount only after 连续 (连续3年)."""
    return f.unit == "年" and not f.before(2).endswith("连续")


@rule("5个工作日内办结")
def working_days(f: Found) -> bool:
    """5个工作日内办结: a time limit without an anchor, not an amount."""
    return f.unit == "个工作日"


@rule("建校70周年")
def anniversary_or_age(f: Found) -> bool:
    """70周年, 3周岁, 一周: not a count of weeks."""
    return f.unit == "周" and (not f.is_arabic or f.after(1) in ("年", "岁"))


@rule("开通24小时热线")
def round_the_clock(f: Found) -> bool:
    """24小时值班 / 开通24小时热线: round the clock, not an amount."""
    return f.unit == "小时" and f.num == "24" and "\u4e00" <= f.after(1) <= "\u9fff"


@rule("截至2020万")
def calendar_year(f: Found) -> bool:
    """19xx/20xx with 年 or with no measure word is a year (2020万 reads as one too)."""
    return f.unit in ("年", "") and len(f.num) == 4 and f.num.startswith(("19", "20"))


@rule("建设两个基地")
def chinese_uncountable(f: Found) -> bool:
    """A Chinese numeral counts only with a few measure words (一所, 两期, 三次), never with 万/亿:
    四个意识, 九项工程, 三大战役 are slogans."""
    return f.unit not in _CN_UNITS or bool(f.mult)


@rule("统一所有学校")
def not_one(f: Found) -> bool:
    """统一, 新一轮, 每一位, 不漏一人, 一课一名师: 一 as part of a word."""
    return f.num[0] == "一" and (f.prev in _NOT_ONE or f.text[f.s - 2 : f.s - 1] in ("不", "一"))


@rule("十九届三次全会")
def session_ordinal(f: Found) -> bool:
    """十九届三次全会: an ordinal of a session."""
    return f.prev == "届" or f.after(2) in ("全会", "会议")


@rule("招收一千二百五十名")
def chinese_too_long(f: Found) -> bool:
    """Long Chinese numerals are names or estimates, not a plan's amounts."""
    n = f.num
    return len(n) > 4 or n[-1] in "万亿" or n[0] in "十百千" and len(n) > 3


@rule("选拔百名校长")
def chinese_scale(f: Found) -> bool:
    """每万人, 千人计划, 百名校长: a scale or a name, not a count."""
    return f.num[0] in "百千万亿"


@rule("开展两次攻坚行动")
def chinese_framework(f: Found) -> bool:
    """两次攻坚, 两所一流: a Chinese numeral naming a framework or a quality."""
    tail = _TAIL_CUT.split(f.after(8), 1)[0]
    return tail[:1] in ("一", "性") or bool(_FRAMEWORK.search(tail))


@rule("巩固100%联网达标攻坚行动成果")
def named_percent(f: Found) -> bool:
    """100%联网达标攻坚行动: a percentage in a programme's name."""
    return f.unit == "%" and bool(_NAMED_PCT.match(f.text, f.e))


@rule("组建XX支队伍")
def placeholder_name(f: Found) -> bool:
    """A redacted figure (x%, XX所) counts only with some measure words; "XX支…" is more likely a
    redacted name, and a letter before it makes a code."""
    return f.prev.isascii() and f.prev.isalpha() or f.unit not in _PH_UNITS


@rule("培训十十人")
def unreadable(f: Found) -> bool:
    """A numeral with no value."""
    return f.value is None


@rule("8时30分集合，3分之1的学校")
def not_points(f: Found) -> bool:
    """N分 counts score points (平均分提高12.5分) only: not a clock time (8时30分), a fraction
    (3分之1), a division (分类, 分批) or a Chinese numeral (十分重要)."""
    if f.unit != "分":
        return False
    return (
        not f.is_arabic
        or f.before(1) in ("时", "点", ":")
        or f.after(1) in ("之", "类", "批", "别", "期", "段", "钟", "配", "解", "校", "层")
    )


@rule("培训10-5人")
def descending_pair(f: Found) -> bool:
    """2019-2020 style or a descending pair: not a range of one amount."""
    return f.value is not None and f.value_high is not None and f.value_high <= f.value


PERCENT_WORD_RULES: tuple[Rule, ...] = (in_title, quoted, percent_words_unreadable)
RATIO_RULES: tuple[Rule, ...] = (in_title, quoted, ratio_glued, ratio_without_bi, ratio_unreadable)
# rules every number with a measure word goes through, whatever its numeral
_NUMBER_RULES: tuple[Rule, ...] = (
    in_title,
    quoted,
    no_measure_word,
    code_before,
    ordinal_or_sum,
    rank,
    code_after,
    years,
    working_days,
    anniversary_or_age,
    named_percent,
)
ARABIC_RULES: tuple[Rule, ...] = (
    *_NUMBER_RULES,
    round_the_clock,
    calendar_year,
    unreadable,
    descending_pair,
    not_points,
)
CHINESE_RULES: tuple[Rule, ...] = (
    *_NUMBER_RULES,
    chinese_uncountable,
    not_one,
    session_ordinal,
    chinese_too_long,
    chinese_scale,
    chinese_framework,
    unreadable,
    descending_pair,
)
PLACEHOLDER_RULES: tuple[Rule, ...] = (*_NUMBER_RULES, placeholder_name)
RULES: dict[str, tuple[Rule, ...]] = {
    "percent_words": PERCENT_WORD_RULES,
    "ratio": RATIO_RULES,
    "arabic": ARABIC_RULES,
    "chinese": CHINESE_RULES,
    "placeholder": PLACEHOLDER_RULES,
}


def _slogans(text: str) -> list[tuple[int, int]]:
    out = []
    for m in _QUOTE.finditer(text):
        q = m.group(0)
        if len(q) <= 12 or _SLOGAN_END.search(q):
            out.append((m.start(), m.end()))
    return out


def _found(text: str) -> list[Found]:
    titles = title_spans(text)
    quotes = _slogans(text) if ("“" in text or '"' in text or "「" in text) else []
    return [Found(text, m, titles, quotes) for m in _AMOUNT.finditer(text)]


def drop_reasons(text: str) -> list[tuple[str, list[str]]]:
    """Each match with the names of the rules that drop it (empty: kept). For tests and debugging."""
    return [(f.m.group(0), [r.__name__ for r in RULES[f.kind] if r(f)]) for f in _found(text)]


def candidates(text: str) -> list[Candidate]:
    """The amounts in `text` (half-width digits) that no rule drops, in text order."""
    out: list[Candidate] = []
    for f in _found(text):
        if any(r(f) for r in RULES[f.kind]):
            continue
        c = _candidate(f)
        if f.is_arabic and c.unit and c.value_high is None:
            out += listed_before(text, c)
        out.append(c)
    return out


_LISTED = re.compile(r"(?<![\d.第])((?:\d{1,9}(?:\.\d{1,4})?、)+)$")


def listed_before(text: str, c: Candidate) -> list[Candidate]:
    """Figures listed with 、 before an amount share its unit: "分别为31、27.4万元" -> 31万元 too
    (not after 第: "第1、2名" are ranks)."""
    m = _LISTED.search(text, max(0, c.start - 40), c.start)
    if m is None:
        return []
    out, pos = [], m.start()
    for num in m.group(1).split("、")[:-1]:
        out.append(Candidate(pos, pos + len(num), pos, float(num), None, c.unit, False, "", False))
        pos += len(num) + 1
    return out


def _candidate(f: Found) -> Candidate:
    if f.kind == "percent_words":
        return _with_after(f, f.value, None, "%", False, False)
    if f.kind == "ratio":
        return _with_after(f, f.value, None, "比", False, False)
    unit = f.mult + f.unit if f.unit else f.mult
    approx = bool(f.m.group("ap1") or f.m.group("ap2"))
    value = None if f.is_ph else f.value
    c = _with_after(f, value, f.value_high if value is not None else None, unit, f.is_ph, approx)
    if f.is_arabic and f.unit == "%":
        c.shared_n = f.shared_n
    return c


def _with_after(f: Found, value, value_high, unit, ph, approx) -> Candidate:
    e, after = f.e, ""
    am = _AFTER.match(f.text, e)
    if am:
        after, e = am.group("w"), am.end()
    return Candidate(f.s, e, f.s, value, value_high, unit, ph, after, approx)
