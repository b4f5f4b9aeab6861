"""Outlines whose line breaks were lost (a web page, a WeChat article, a PDF copied as one paragraph).

Two forms of such text, each a small rule:

- labels inside a paragraph (`…不懈努力。 一、深入学习… 1.深入学习宣传。…`): `EMBEDDED` finds the
  places where a label may start; the outline keeps those that continue its numbering;
- a run-in heading, whose title runs into its first sentence with no stop between them
  (`（二）全力推进校舍建设按照年初计划，新建…`): `runin_title` cuts the title where the sentence opens.
"""

from __future__ import annotations

import re

from duban.plan.labels import CN_NUMERAL

# A label after a sentence end or a space (any form), or a （一） glued to the heading before it
# ("二、下半年工作打算（一）抓好…": a parenthesised Chinese numeral is not running text).
EMBEDDED = re.compile(
    r"(?:(?<=[。！？!?])|(?<=[。！？!?]\s)|(?<=\s))\s*"
    rf"(?=(?:{CN_NUMERAL}、|[(（]{CN_NUMERAL}[)）]|\d{{1,3}}[.．、](?!\d)|[(（]\d{{1,3}}[)）]|[①-⑳]))"
    rf"|(?<=[\u4e00-\u9fff])(?=[(（]{CN_NUMERAL}[)）])"
)

# Words that open a sentence, not a heading: where a run-in heading's title ends.
_OPENER = re.compile(
    r"按照|根据|依据|围绕|截至|截止|今年以来|年初以来|近年来|目前|确保|力争|计划(?=\S{6})"
    r"|为(?=加快|进一步|推动|推进|全面|深入|切实|确保|落实|贯彻|保障|提高|提升|了)|通过"
    # a verb right before a figure opens the body: "义务教育优质均衡完成12所学校标准化建设"
    r"|(?:完成|新建|新增|建成|投入|培训|招聘|举办|开展|组织|实现|达到|创建|改造|配备|发放|惠及|累计)(?=\d)"
)
_SENTENCE_START = re.compile(r"^(?:力争|确保|争取|计划|通过|按照|根据|围绕|全年|今年)")
MIN_TITLE = 4  # an opener this close to the start belongs to the title ("力争…", "为加快…")
LONG_CLAUSE = 24  # a heading line's first clause longer than this is a run-in heading


def runin_title(title: str, runin: bool) -> str:
    """The heading's own title when its text runs into a sentence.

        "全力推进校舍建设截至6月底，全市…" -> "全力推进校舍建设"
        "主要目标为加快补齐教育短板，上半年…" -> "主要目标"

    Applied to headings cut out of a paragraph (`runin`) and to any heading whose first clause
    is too long for a title; a comma before the opener means the title is a sentence as written.
    """
    clause = re.split(r"[，,；;：:]", title, maxsplit=1)[0]
    if not runin and len(clause) <= LONG_CLAUSE or _SENTENCE_START.match(title):
        return title  # short, or a heading written as a sentence ("力争全年新建学校5所")
    m = _OPENER.search(clause, MIN_TITLE)
    if m is None or len(title) - m.start() < 6:
        return title
    return title[: m.start()]
