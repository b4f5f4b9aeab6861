"""Split a file into documents: each document is a title line followed by its outline.

A title line names a kind of document (要点/计划/总结/汇报/报告/方案/通知/汇编) at its end and
a year or an issuing body. Titles with no numbered items under them (a cover notice, the
title of a compilation) are not documents; their lines are the cover that metadata is read
from.

Web copies put cruft around a title: a page-date prefix ("20211130：某县…要点"), a subtitle under
the headline ("——在全市教育工作会议上的讲话"), lead-ins and teasers before it. A document whose
text shows no title line gets the first line that can be one, or none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from duban.plan.lines import Line
from duban.plan.metadata import date_line

_KIND_WORDS = (
    r"(?:工作要点|要点|工作计划|计划|工作总结|总结|汇报材料|工作汇报|汇报|工作报告|报告|实施方案|工作方案|方案|工作安排"
    r"|任务分解表|分解表|任务清单|责任清单|工作台账|通知|汇编)"
)
_TAIL = r"(?:\s*[(（][^()（）]{1,16}[)）])*"  # (征求意见稿)  （5篇）
TITLE = re.compile(rf"^[《]?(?P<title>[^。；;！!？?，,:：]{{2,60}}?{_KIND_WORDS}[》]?{_TAIL})$")
_YEAR = re.compile(r"(?:19|20)\d{2}|[〇零一二][〇零一二三四五六七八九]{3}年")
_ORG = re.compile(r"(?:局|委|厅|政府|工委|委员会|办公室|中心|学校|学院|大学|关于)")
MAX_TITLE_LEN = 64
# "20211130：" / "2021-11-30：" before a title: the date a page was published
_DATE_PREFIX = re.compile(r"^(?:(?:19|20)\d{6}|(?:19|20)\d{2}[-./]\d{1,2}[-./]\d{1,2})\s*[：:]\s*")
_DASH = re.compile(r"^[—－-]{1,2}\s*")
MAX_HEADLINE_LEN = 40
# a line that cannot be a title: a sentence (or teaser) end, a page marker, a lead-in
_NOT_TITLE = re.compile(r"[。！？!?；;：:，,…]$|^第\s*\d+\s*页|^本文|仅供参考|^(?:同志们|各位)")


@dataclass
class TitleLine:
    start: int  # index of its first line
    end: int  # index of its last line (a title may wrap onto a second line)
    text: str  # joined original text
    match: str  # joined simplified copy
    subtitle: str = ""  # "在…会议上的报告" under a headline (its dashes dropped)

    @property
    def is_cover(self) -> bool:
        """A notice or a compilation title: it wraps other documents."""
        return bool(re.search(r"(?:通知|汇编)" + _TAIL + "$", self.match))


def title_like(text: str) -> bool:
    """A line (its simplified copy) that reads as a document title."""
    return (
        len(text) <= MAX_TITLE_LEN
        and TITLE.match(text) is not None
        and (_YEAR.search(text) is not None or _ORG.search(text) is not None)
    )


def strip_date_prefix(text: str) -> str:
    """ "20211130：某县教育局2021年工作要点" -> "某县教育局2021年工作要点"."""
    m = _DATE_PREFIX.match(text)
    return text[m.end() :] if m else text


def _headline(lines: list[Line], i: int, title: TitleLine) -> TitleLine:
    """A title line that starts with a dash is the subtitle of the headline above it:
    "凝心聚力谱新篇" + "——在2024年全县教育工作会议上的报告"."""
    if not _DASH.match(title.match):
        return title
    sub = _DASH.sub("", title.text)
    j = i - 1
    while j >= 0 and lines[j].blank:
        j -= 1
    if j >= 0 and can_be_title(lines[j]) and len(lines[j].match) <= MAX_HEADLINE_LEN:
        return TitleLine(j, title.end, lines[j].text, lines[j].match, subtitle=sub)
    return TitleLine(title.start, title.end, sub, _DASH.sub("", title.match))


def can_be_title(line: Line) -> bool:
    """An unnumbered short line that is not a sentence, a page marker or a lead-in."""
    text = line.match.strip()
    return (
        bool(text)
        and line.label is None
        and line.field is None
        and len(text) <= MAX_TITLE_LEN
        and not _NOT_TITLE.search(text)
        and not date_line(text)
        and re.search(r"[\u4e00-\u9fff]", text) is not None
    )


def fallback_title(lines: list[Line]) -> str:
    """The title of a document with no title line: the first line before its outline that can be
    one ("" when none can: a body sentence is never a title)."""
    for line in lines:
        if line.label is not None:
            break
        if can_be_title(line):
            return strip_date_prefix(_DASH.sub("", line.text))
    return ""


def find_titles(lines: list[Line]) -> list[TitleLine]:
    """Title lines in reading order (unnumbered, not field lines); `lines` exclude tables of contents."""
    titles: list[TitleLine] = []
    n = len(lines)
    i = 0
    while i < n:
        line = lines[i]
        if line.blank or line.label or line.field:
            i += 1
            continue
        bare = strip_date_prefix(line.match)
        if title_like(bare):
            cut = len(line.match) - len(bare)
            titles.append(_headline(lines, i, TitleLine(i, i, line.text[cut:], bare)))
            i += 1
            continue
        # a title wrapped onto the next line: "关于印发2020年工作总结及2021年" + "工作要点的通知"
        j = i + 1
        if (
            j < n
            and not lines[j].blank
            and not lines[j].label
            and len(line.match) <= 40
            and not date_line(line.match)
            and not title_like(lines[j].match)
        ):
            joined = line.match + lines[j].match
            if "。" not in line.match and title_like(joined):
                titles.append(TitleLine(i, j, line.text + lines[j].text, joined))
                i = j + 1
                continue
        i += 1
    return titles
