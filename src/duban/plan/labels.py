"""Line-initial number labels: 一、 （一） 1. 1、 1． （1） ① 第一部分, and a number whose dot is missing.

Also the forms of standards and of tables pasted one cell per line: a chapter number and a
space ("5　策划和准备"), an appendix ("附录A（资料性）…"), and a row number alone on its line
("57" or "57 |"). The outline decides whether such a number is really an item.

A label has a *family* (what kind of numeral) and a *delimiter* (its punctuation). The
outline decides nesting from the sequence of (family, delimiter) pairs in one document;
this module only recognises labels and turns their numerals into integers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import cn2an

# A Chinese numeral from 1 to 99 as labels write it: 一 … 九, 十, 十一, 二十, 二十三
CN_NUMERAL = r"(?:[一二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九])"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
PAREN_DIGITS = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"

# Measure words and units: "3所学校" at the start of a line is an amount, not "3" + title.
_AMOUNT_FOLLOWERS = set(
    "年月日号时分秒所个人名次项条件台套元万亿千百岁天周期届批类种家户座间班校支位场本册节篇张部米公吨辆倍%％"
)

# A title may start with a year: "1、2024年重点任务" (a decimal "1.20" or an amount "1、27.4万" may not)
_YEAR_TITLE = r"(?=(?:19|20)\d{2}\s*年)"

# after a decimal also the first characters of area and weight units, and of a time bound
_DECIMAL_FOLLOWERS = _AMOUNT_FOLLOWERS | set("平公千克亩前后以起至")

_LABEL = re.compile(
    rf"""^(?:
      (?P<cn>{CN_NUMERAL})\s*(?P<cn_delim>[、，]|[．.](?!\d))        # 一、  二、2024年…
    | [(（]\s*(?P<cnp>{CN_NUMERAL})\s*[)）]                        # （一）
    | 第(?P<di>{CN_NUMERAL})(?P<di_delim>部分|章|篇)                  # 第一部分
    | (?P<multi>\d{{1,2}}(?:\.\d{{1,2}}){{1,3}})(?=\s|[\u4e00-\u9fff“"《])                 # 1.2  2.3.1
    | (?P<ar>\d{{1,3}})\s*(?P<ar_delim>[.．、](?:(?!\d)|{_YEAR_TITLE})|[)）](?![)）]))   # 1.  1、  1）
    | [(（]\s*(?P<arp>\d{{1,3}})\s*[)）]                                          # （1）
    | (?P<circ>[①-⑳])                                                          # ①
    | (?P<pd>[⑴-⒇])                                                           # ⑴
    | (?P<nodot>\d{{1,3}})(?=[\u4e00-\u9fff“"《])                                 # 27构建 (checked by the outline)
    | (?P<chap>\d{{1,2}})[ \t]+(?=[\u4e00-\u9fff])                               # 5　策划和准备
    | 附录\s*(?P<app>[A-Z])(?![A-Za-z])(?:\s*[(（](?:资料性|规范性)(?:附录)?[)）])?   # 附录A（资料性）
    | (?P<lone>\d{{1,3}})\s*[|｜]?\s*$                                              # 57 |  (a row number)
    )\s*""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Label:
    family: str  # cn | cn_paren | di | arabic | arabic_paren | circled | dotted2.. | nodot
    delim: str  # the punctuation, normalised: "、" "." ")" "" ...
    number: str  # numeral as written, without punctuation: "一", "17"
    value: int  # numeral as an integer
    text: str  # the label as printed, e.g. "（一）"
    end: int  # offset in the line where the label (and following spaces) ends


def match_label(line: str) -> Label | None:
    """The number label at the start of `line`, or None."""
    m = _LABEL.match(line)
    if not m:
        return None
    g = m.groupdict()
    text = line[: m.end()].strip()
    if g["cn"]:
        return _make("cn", _norm_delim(g["cn_delim"]), g["cn"], text, m.end())
    if g["cnp"]:
        return _make("cn_paren", ")", g["cnp"], text, m.end())
    if g["di"]:
        return _make("di", g["di_delim"], g["di"], text, m.end())
    if g["multi"]:
        follower = line[m.end("multi") :].lstrip()[:1]  # "2.6 万名学生": a wrapped amount
        if follower in _DECIMAL_FOLLOWERS:  # 1.5万, 1.8 平方公里, 12.30前: not labels
            return None
        parts = g["multi"].split(".")
        # each depth of dotted numbering is its own form; the number is the full dotted label
        return Label(f"dotted{len(parts)}", ".", g["multi"], int(parts[-1]), text, m.end())
    if g["ar"]:
        delim = _norm_delim(g["ar_delim"])
        if delim == ")" and line[m.end() : m.end() + 1] in ("", " "):
            return None
        return _make("arabic", delim, g["ar"], text, m.end())
    if g["arp"]:
        return _make("arabic_paren", ")", g["arp"], text, m.end())
    if g["circ"]:
        return Label("circled", "", g["circ"], CIRCLED.index(g["circ"]) + 1, text, m.end())
    if g["pd"]:
        n = PAREN_DIGITS.index(g["pd"]) + 1
        return Label("arabic_paren", ")", str(n), n, text, m.end())
    if g["nodot"]:
        follower = line[m.end("nodot") : m.end("nodot") + 1]
        if follower in _AMOUNT_FOLLOWERS:
            return None
        return Label("nodot", "", g["nodot"], int(g["nodot"]), text, m.end())
    if g["chap"]:
        return chapter_label(line, m)
    if g["app"]:
        return Label("appendix", "", g["app"], ord(g["app"]) - ord("A") + 1, text, m.end())
    if g["lone"]:
        return Label("lone", "", g["lone"], int(g["lone"]), text, m.end())
    return None


# A label's forms read at most ~14 characters other than spaces (第二十三部分, 1.2.3.4 and its
# follower, 1、2024年): a window of this many past a position decides them as the whole line would.
_REACH = re.compile(r"(?:\s*\S){1,24}\s*")


def match_label_at(text: str, pos: int) -> Label | None:
    """The label starting at `pos` inside a long line, read from a short window, not from a copy of
    the rest of the line (copying it at every candidate is quadratic in a page whose breaks were lost).
    The same as `match_label(text[pos:])` for every family but "chapter", whose title length needs the
    line's end."""
    m = _REACH.match(text, pos)
    return match_label(text[pos : m.end() if m else pos])


MAX_CHAPTER_TITLE = 24


def chapter_label(line: str, m: re.Match[str]) -> Label | None:
    """A standards-style chapter heading: a number, a (full-width) space, a short title.

    "5　策划和准备" -> chapter 5;  "2 万名学生受益" (an amount) and "3 学校要在…。" (a sentence) -> None
    """
    rest = line[m.end() :]
    if rest[:1] in _AMOUNT_FOLLOWERS or len(rest) > MAX_CHAPTER_TITLE or re.search(r"[。，,；;：:]", rest):
        return None
    return Label("chapter", " ", m.group("chap"), int(m.group("chap")), line[: m.end()].strip(), m.end())


def _make(family: str, delim: str, number: str, text: str, end: int) -> Label:
    return Label(family, delim, number, cn_to_int(number), text, end)


def _norm_delim(d: str) -> str:
    return {"．": ".", "）": ")", "，": "、"}.get(d, d)


@lru_cache(maxsize=256)
def cn_to_int(s: str) -> int:
    """'17' -> 17, '十七' -> 17, '二十' -> 20."""
    if s.isdigit():
        return int(s)
    return int(cn2an.cn2an(s, "smart"))
