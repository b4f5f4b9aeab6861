"""A document's metadata: title, kind, year, issuer, doc number and issuing date.

Read from its title line, from the lines before its outline (a cover notice, a web page's
field list such as 发文字号/发文单位/成文日期) and from a signature (bodies, then a date line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date as _date

import cn2an

_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
_YEAR = re.compile(r"((?:19|20)\d{2})\s*(?:年|—|-|－|至|~)|([〇零一二][〇零一二三四五六七八九]{3})年")
_DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fffA-Za-z]{1,12}\s*[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*\d{1,4}\s*号"
)
_DATE_LINE = re.compile(
    r"^(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日$"
    r"|^(?P<cy>[〇零一二][〇零一二三四五六七八九]{3})年(?P<cm>[一二三四五六七八九十]{1,2})月(?P<cd>[一二三四五六七八九十]{1,3})日$"
)
# a signature date typed without separators: "2023415", "20221205"
_COMPACT_DATE = re.compile(r"^(?P<y>(?:19|20)\d{2})(?P<md>\d{3,4})$")
_WRITTEN_DATE = re.compile(
    r"成文日期\s*[:：]?\s*((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})"
)
_ISSUER_FIELD = re.compile(
    r"^[\s•·●]*(?:发文单位|发文机关|发布机构|发布单位|来源单位)\s*[:：]?\s*(?P<v>[^\s|｜].*?)\s*$"
)
_ORG_END = r"(?:局|委|厅|政府|工委|委员会|办公室|办|中心|学校|学院|大学|研究院|教育局|教体局|科技局|司|处)"
_ORG = re.compile(rf"^[\u4e00-\u9fffXx（）()]{{2,30}}?{_ORG_END}$")
_PREFIX = re.compile(
    rf"^(?P<org>[\u4e00-\u9fffXx]{{2,30}}?{_ORG_END})(?:\s*[(（][^()（）]*[)）])?\s*(?=(?:19|20)\d{{2}}|[〇零一二][〇零一二三四五六七八九]{{3}}年|关于)"
)
_NOTICE = re.compile(r"^(?P<org>.*?)关于印发(?P<inner>.+?)的通知$")


@dataclass
class Metadata:
    title: str
    kind: str
    year: int | None
    issuer: str | None
    doc_number: str | None
    date: str | None


def clean_title(title: str) -> str:
    """Without 《》 and without 关于印发…的通知 around the document's own title."""
    t = re.sub(r"\s+", "", title)
    m = _NOTICE.match(t)
    if m:
        inner = m.group("inner")
        quoted = re.findall(r"《([^《》]+)》", inner)
        t = quoted[0] if len(quoted) == 1 else inner
    return t.replace("《", "").replace("》", "")


# a report on results: a completion notice (通报), a public notice of results (公示), a progress table
_REPORT_WORDS = re.compile(r"汇报|报告|通报|公示|完成情况|进展情况|推进情况")


def kind_of(title: str) -> str:
    return title_kind(title) or "plan"


def title_kind(title: str) -> str | None:
    """The kind a title names, or None when it names none."""
    if re.search(r"通知$", title) and title.startswith("关于"):
        return "notice"
    if "总结" in title:
        return "summary"
    if _REPORT_WORDS.search(title):
        return "report"
    if re.search(r"要点|计划|方案|安排|规划|清单|分解表|台账|任务", title):
        return "plan"
    return None


def year_of(title: str) -> int | None:
    m = _YEAR.search(title)
    if not m:
        return None
    if m.group(1):
        return int(m.group(1))
    return _cn_year(m.group(2))


def _cn_year(digits: str) -> int:
    """'二〇二一' -> 2021 (digit by digit, as years are written)."""
    return int("".join(str(_CN_DIGIT[c]) for c in digits))


def issuer_from_title(title: str) -> str | None:
    m = _PREFIX.match(title)
    return m.group("org") if m else None


def doc_number_in(lines: list[str]) -> str | None:
    for line in lines:
        if len(line) > 60 and "发文字号" not in line:
            continue  # a number quoted in running text is another document's
        m = _DOC_NUMBER.search(line)
        if m:
            return re.sub(r"^(?:发文字号|文号)\s*[:：]?\s*", "", m.group(0)).strip()
    return None


def _iso(y: int, m: int, d: int) -> str | None:
    if 1 <= m <= 12 and 1 <= d <= 31:
        return f"{y:04d}-{m:02d}-{d:02d}"
    return None


def date_line(line: str) -> str | None:
    """The date when `line` is a standalone signed date ("2021年4月6日", "二〇二一年四月六日")."""
    m = _DATE_LINE.match(line.replace(" ", ""))
    if not m:
        return compact_date(line.strip())
    if m.group("y"):
        return _iso(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    y = _cn_year(m.group("cy"))
    return _iso(y, int(cn2an.cn2an(m.group("cm"), "smart")), int(cn2an.cn2an(m.group("cd"), "smart")))


def compact_date(line: str) -> str | None:
    """A signature date without separators: "2023415" -> 2023-04-15, "20221205" -> 2022-12-05.
    Seven digits that read two ways ("2023121": 1-21 or 12-1) are no date."""
    m = _COMPACT_DATE.match(line)
    if not m:
        return None
    y, md = int(m.group("y")), m.group("md")
    splits = [(md[:2], md[2:])] if len(md) == 4 else [(md[:1], md[1:]), (md[:2], md[2:])]
    dates = {d for mm, dd in splits if (d := _valid(y, int(mm), int(dd)))}
    return dates.pop() if len(dates) == 1 else None


def _valid(y: int, m: int, d: int) -> str | None:
    try:
        return _date(y, m, d).isoformat()
    except ValueError:
        return None


def signed_date(lines: list[str]) -> str | None:
    for line in lines:
        if d := date_line(line):
            return d
    for line in lines:
        if m := _WRITTEN_DATE.search(line):
            return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return None


def signature_issuer(lines: list[str]) -> str | None:
    """Bodies signed on the line(s) just above a date line: "中共XX市委教育工委    XX市教育局"."""
    for i, line in enumerate(lines):
        if not date_line(line):
            continue
        bodies: list[str] = []
        j = i - 1
        while j >= 0 and i - j <= 3:
            text = lines[j].strip()
            if text:
                parts = [p for p in re.split(r"\s+", text) if p]
                if parts and all(_ORG.match(p) for p in parts):
                    bodies = parts + bodies
                else:
                    break
            j -= 1
        if bodies:
            return "、".join(bodies)
    return None


def issuer_field(lines: list[str]) -> str | None:
    for line in lines:
        m = _ISSUER_FIELD.match(line)
        if m:
            return m.group("v")
    return None


def read_metadata(title: str, own: list[str], cover: list[str], subtitle: str = "") -> Metadata:
    """Metadata of a document from its title (and a subtitle "——在…会议上的报告"), its own lines
    (preamble and tail) and the cover."""
    title = clean_title(title)
    kind = title_kind(title) or title_kind(subtitle) or "plan"
    lines = own + cover
    date = signed_date(own) or signed_date(cover)
    year = year_of(title) or year_of(subtitle)
    issuer = (
        issuer_field(lines)
        or issuer_from_title(title)
        or signature_issuer(own)
        or signature_issuer(cover)
        or next((org for line in cover if (org := issuer_from_title(line))), None)
    )
    if year is None and not title and own:
        year = year_of(own[0])  # no title: the opening sentence names the year ("现就做好2024年…")
    if year is None and date:
        year = int(date[:4])
    return Metadata(title, kind, year, issuer, doc_number_in(lines), date)
