"""A document's metadata: title, kind, year, issuer, doc number and issuing date.

Read from its title line, from the lines before its outline (a cover notice, a web page's
field list such as 发文字号/发文单位/成文日期) and from a signature (bodies, then a date line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
_WRITTEN_DATE = re.compile(
    r"成文日期\s*[:：]?\s*((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})"
)
_ISSUER_FIELD = re.compile(
    r"^[\s•·●]*(?:发文单位|发文机关|发布机构|发布单位|来源单位)\s*[:：]?\s*(?P<v>[^\s|｜].*?)\s*$"
)
_ORG_END = r"(?:局|委|厅|政府|工委|委员会|办公室|办|中心|学校|学院|大学|研究院|教育局|教体局|科技局)"
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


def kind_of(title: str) -> str:
    if re.search(r"通知$", title) and title.startswith("关于"):
        return "notice"
    if "总结" in title:
        return "summary"
    if "汇报" in title or "报告" in title:
        return "report"
    return "plan"


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
        return None
    if m.group("y"):
        return _iso(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    y = _cn_year(m.group("cy"))
    return _iso(y, int(cn2an.cn2an(m.group("cm"), "smart")), int(cn2an.cn2an(m.group("cd"), "smart")))


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


def read_metadata(title: str, own: list[str], cover: list[str]) -> Metadata:
    """Metadata of a document from its title, its own lines (preamble and tail) and the cover."""
    title = clean_title(title)
    kind = kind_of(title)
    lines = own + cover
    date = signed_date(own) or signed_date(cover)
    year = year_of(title)
    issuer = (
        issuer_field(lines)
        or issuer_from_title(title)
        or signature_issuer(own)
        or signature_issuer(cover)
        or next((org for line in cover if (org := issuer_from_title(line))), None)
    )
    if year is None and date:
        year = int(date[:4])
    return Metadata(title, kind, year, issuer, doc_number_in(lines), date)
