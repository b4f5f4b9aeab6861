"""Deadlines: explicit time limits of tasks (SCHEMA.md "deadlines"), by our own rule grammar.

The school calendar, not the sky: 秋季/秋季学期 end 12-31, 秋季开学 is 09-01, 暑假 08-31,
寒假 the end of February of the next year, a 学年 "2024—2025学年" ends 2025-08-31.
Relative phrases (3月底前, 年底前, 上半年) take the document's year. "N个工作日内" has no
anchor in a plan and is skipped; 学前三年 or 三年攻坚 are not times at all.

A phase "第二阶段（2024年2月至7月）" ends with its period, and the phrases of its line take its
(first) year. A summary's limits are the forward-looking ones (力争11月份通过验收, 年底前完成…),
never a past date (截至11月底，已完成…). Not limits either: a column header (1-6月完成情况), a
recurring date (每月底, 每年6月), a season as a period (暑期期间), a national goal's horizon
(为2035年建成教育强市奠定基础: more than HORIZON years after the document's year).

    extract_deadlines("部分未开工项目3月底前开工", item="四/23", year=2019, kind="plan")
    -> [Deadline(item="四/23", text="3月底前开工", date="2019-03-31", precision="month")]
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_left, bisect_right

from .model import Deadline
from .numbers import cn_to_number, to_halfwidth
from .spans import inside, title_spans

_Y = r"(?:(?P<{0}>(?:19|20)\d{{2}})\s*年)?"
_CNM = r"\d{1,2}|十[一二]?|[一二三四五六七八九]"

_DEADLINE = re.compile(
    r"(?=[\d一二三四五六七八九十上下第秋春夏冬暑寒年全本到至截完])(?:"
    + "|".join(
        [
            # 第二阶段（2024年2月至7月）/ 第一阶段（2023年9月—2024年1月）/ 第三阶段（2024年8月）
            r"第[一二三四五六七八九十\d]{1,2}阶段\s*[(（]\s*(?:(?P<py1>(?:19|20)\d{2})\s*年)?\s*"
            rf"(?:(?:{_CNM})\s*月(?:份)?(?:\s*\d{{1,2}}\s*[日号])?\s*(?:-|－|—{{1,2}}|–|~|～|至|到)\s*)?"
            rf"(?:(?P<py2>(?:19|20)\d{{2}})\s*年)?\s*(?P<pm2>{_CNM})\s*月(?:份)?(?:\s*(?P<pd2>\d{{1,2}})\s*[日号])?"
            r"(?:底|末)?\s*[)）]",
            # 2024—2025学年
            r"(?P<ay1>(?:19|20)\d{2})\s*(?:年)?\s*(?:-|－|—{1,2}|–|~|～|至)\s*(?P<ay2>(?:19|20)\d{2})\s*学年",
            # [2024年]3—5月[份] / 9月1日至10月31日: the end of the range
            _Y.format("ry")
            + rf"(?P<rm1>{_CNM})\s*月?\s*(?:\d{{1,2}}\s*[日号])?\s*(?:-|－|—{{1,2}}|–|~|～|至|到)\s*"
            rf"(?P<rm2>{_CNM})\s*月(?:份)?\s*(?:(?P<rd2>\d{{1,2}})\s*[日号]|(?P<rmx>底|末))?",
            # [2024年]8月[份][30日|底|末|上中下旬][前]
            _Y.format("my")
            + rf"(?P<mon>{_CNM})\s*月(?P<fen>份)?\s*(?:(?P<mday>\d{{1,2}})\s*[日号]|(?P<mx>底|末|上旬|中旬|下旬))?"
            r"\s*(?P<mbf>前|之前|以前)?",
            # 2019年底[前], 2020年内
            r"(?P<yy>(?:19|20)\d{2})\s*年\s*年?(?P<yx>底|末|内|度内)\s*(?:前|之前|以前)?",
            # [2024年]上半年 / 下半年
            _Y.format("hy") + r"(?P<half>上半年|下半年)",
            # [2024年][第]三季度
            _Y.format("qy") + r"第?(?P<q>[一二三四1-4])\s*季度",
            # [2021年]秋季学期 / 暑假 / 寒假 / 秋季开学
            _Y.format("sy")
            + r"(?P<season>(?:秋季|春季|秋)学期开学|秋季开学|(?:春季|春)学期开学|春季开学|秋季学期|春季学期|秋季|春季|夏季|冬季|暑假|暑期|寒假|秋学期|春学期)",
            # 年底前 / 年内 / 全年 (relative to the document's year)
            r"(?P<rel>年底|年末|年内|全年|年度内|本年度)(?:前|之前)?",
            # 到2020年 / 2020年前 / 完成2019年…
            r"(?P<to>到|至|截至|截止到?)\s*(?P<ty>(?:19|20)\d{2})\s*年(?![度级届]|\d|第|[上下]半年)",
            r"(?P<by>(?:19|20)\d{2})\s*年\s*(?:前|以前|之前)",
            r"(?P<done>完成)\s*(?P<dy>(?:19|20)\d{2})\s*年(?![度级届]|\d{1,2}\s*月|第|[上下]半年)",
            # 2019年, … (sentence-initial year heading a task) / 2021年计划…
            # 2025年建成投用: a year bounding a completion verb
            r"(?P<cy>(?:19|20)\d{2})\s*年\s*(?=(?:前|以前)?(?:基本|全面|全部|如期)?"
            r"(?:建成|完成|实现|达到|竣工|投入使用|投用|启用|交付|通过))",
            r"(?:^|(?<=[。；;，,\s]))(?P<iy>(?:19|20)\d{2})\s*年\s*(?=[，,]|计划|力争|要|将|确保|争取)",
            # a bare year, dated only after a 完成时限/时间节点 label
            r"(?P<ly>(?:19|20)\d{2})\s*年(?![度级届])",
        ]
    )
    + ")"
)

_FW = re.compile(r"[０-９．％：]")
_PREFIX = re.compile(r"(?:力争|争取|确保|务必|计划|预计|将|要|于|在|到|至)+$")
_BREAK = re.compile(r"[，,。；;、\n！!？?]")
_SENT_END = re.compile(r"[。；;\n！!？?]")
_AMOUNT_IN = re.compile(r"\d|[一两二三四五六七八九十]+[次期所个项名场批]")
# a task table's time column: "完成时限：2024年6月"
_LABEL = re.compile(r"(?:完成时限|时限要求|时间节点|完成时间|截止时间|办结时限|时限)\s*[:：]\s*$")
_FUTURE = re.compile(r"(?<!现)将|计划|力争|预计|拟|争取|确保|要|下一步")
_PAST = re.compile(r"截至|截止|已|去年|上年|曾")
_DONE = re.compile(r"了|已")  # "3月底前完成了验收": done
_BOUND_AFTER = re.compile(r"\s*(?:前|之前|以前)")
HORIZON = 5  # years: a later year in a plan is a long-term goal's horizon, not a task's limit
# "现就做好2024年秋季学期作业管理工作安排如下：": a sentence introducing the outline names its period
_INTRO_END = re.compile(r"如下\s*[:：。]")
_NOT_LIMIT_AFTER = re.compile(
    r"\s*(?:进展|完成情况|累计|将至|期间\s*[，,]|来临|到来|(?:工作)?(?:计划|打算|安排|要点|总结|思路|重点任务)(?:\s*$|\n|[(（]))"
)
_SEASONS = {
    "春季": ("05-31", "season"),
    "春季学期": ("05-31", "season"),
    "春学期": ("05-31", "season"),
    "夏季": ("08-31", "season"),
    "秋季": ("12-31", "season"),
    "秋季学期": ("12-31", "season"),
    "秋学期": ("12-31", "season"),
    "冬季": ("12-31", "season"),
    "暑假": ("08-31", "season"),
    "暑期": ("08-31", "season"),
    "秋季开学": ("09-01", "day"),
    "春季开学": ("03-01", "day"),
    # 秋季学期开学前 is the start of the term, not its end
    "秋季学期开学": ("09-01", "day"),
    "秋学期开学": ("09-01", "day"),
    "春季学期开学": ("03-01", "day"),
    "春学期开学": ("03-01", "day"),
}
_QUARTER = {
    "一": "03-31",
    "二": "06-30",
    "三": "09-30",
    "四": "12-31",
    "1": "03-31",
    "2": "06-30",
    "3": "09-30",
    "4": "12-31",
}


_NOT_ACTION = frozenset("日号份底末中上下前以之起到至和、的")


def text_after_is_action(m: re.Match[str]) -> bool:
    """A bare "3月" bounds the action written right after it (not a day, not 份/底)."""
    nxt = m.string[m.end() : m.end() + 1]
    return bool(nxt) and "\u4e00" <= nxt <= "\u9fff" and nxt not in _NOT_ACTION


def _month(s: str) -> int | None:
    v = int(s) if s.isdigit() else cn_to_number(s)
    return int(v) if v is not None and 1 <= v <= 12 else None


def _month_end(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}-{calendar.monthrange(y, m)[1]:02d}"


def _resolve(m: re.Match[str], year: int | None, labelled: bool = False) -> tuple[str, str] | None:
    """(ISO date, precision) of a matched phrase, None when it cannot be dated.
    `labelled`: the phrase follows a 完成时限/时间节点 label, so a bare month or date is a limit."""
    g = m.groupdict()
    if g["pm2"]:
        y = int(g["py2"] or g["py1"] or 0) or year
        mon = _month(g["pm2"])
        if y is None or mon is None:
            return None
        if g["pd2"] and 1 <= int(g["pd2"]) <= calendar.monthrange(y, mon)[1]:
            return f"{y:04d}-{mon:02d}-{int(g['pd2']):02d}", "day"
        return _month_end(y, mon), "month"
    if g["rm2"]:
        y = int(g["ry"]) if g["ry"] else year
        m1, m2 = _month(g["rm1"]), _month(g["rm2"])
        if y is None or m1 is None or m2 is None or not 1 <= m1 < m2 <= 12:
            return None
        if g["rd2"]:
            d = int(g["rd2"])
            if not 1 <= d <= calendar.monthrange(y, m2)[1]:
                return None
            return f"{y:04d}-{m2:02d}-{d:02d}", "day"
        return _month_end(y, m2), "month"
    if g["ay2"]:
        return f"{int(g['ay2']):04d}-08-31", "year"
    if g["mon"]:
        y = int(g["my"]) if g["my"] else year
        mon = cn_to_number(g["mon"]) if not g["mon"].isdigit() else int(g["mon"])
        if y is None or mon is None or not 1 <= int(mon) <= 12:
            return None
        mon = int(mon)
        if g["mday"]:
            d = int(g["mday"])
            if not 1 <= d <= calendar.monthrange(y, mon)[1]:
                return None
            if not g["mbf"] and not labelled:
                return None  # a plain date is an event or an issuing date, not a limit
            return f"{y:04d}-{mon:02d}-{d:02d}", "day"
        mx = g["mx"]
        if mx in ("底", "末", "下旬"):
            return _month_end(y, mon), "month"
        if mx == "上旬":
            return f"{y:04d}-{mon:02d}-10", "day"
        if mx == "中旬":
            return f"{y:04d}-{mon:02d}-20", "day"
        if g["fen"] and not g["mbf"]:
            return _month_end(y, mon), "month"  # 3月份启动: within March
        if g["mbf"]:
            # "9月前": before September
            if mon == 1:
                # "2025年1月前" ends 2024; a plan's bare "1月前" means before next January
                return (f"{y - 1:04d}-12-31" if g["my"] else f"{y:04d}-12-31"), "month"
            return _month_end(y, mon - 1), "month"
        if labelled or not g["my"] and text_after_is_action(m):
            return _month_end(y, mon), "month"  # 3月召开: within March
        return None  # "2024年3月" alone labels a date
    if g["yy"]:
        return f"{int(g['yy']):04d}-12-31", "year"
    if g["half"]:
        y = int(g["hy"]) if g["hy"] else year
        if y is None:
            return None
        return (f"{y:04d}-06-30" if g["half"] == "上半年" else f"{y:04d}-12-31"), "half"
    if g["q"]:
        y = int(g["qy"]) if g["qy"] else year
        if y is None:
            return None
        return f"{y:04d}-{_QUARTER[g['q']]}", "season"
    if g["season"]:
        y = int(g["sy"]) if g["sy"] else year
        if y is None:
            return None
        s = g["season"]
        if s == "寒假":
            return _month_end(y + 1, 2), "season"
        md, prec = _SEASONS[s]
        return f"{y:04d}-{md}", prec
    if g["rel"]:
        if year is None:
            return None
        y = year + 1 if m.string[m.start() - 1 : m.start()] == "明" else year
        return f"{y:04d}-12-31", "year"
    if g["ly"] and not labelled:
        return None
    for k in ("ty", "by", "dy", "cy", "iy", "ly"):
        if g[k]:
            return f"{int(g[k]):04d}-12-31", "year"
    return None


_MAX_PHRASE = 300


def _span(text: str, m: re.Match[str], limit: int) -> tuple[int, int]:
    """The time phrase with the action it bounds: from the phrase (and 力争/于… before it) to the end
    of its clause; when the phrase closes its clause ("到2019年底，确保…"), to the end of the sentence."""
    s, e = m.start(), m.end()
    while s < e and text[s] in " \t\n":
        s += 1
    head = text[max(0, s - 6) : s]
    p = _PREFIX.search(head)
    if p:
        s -= len(p.group(0))
    # Past `limit` the end is cut to it anyway, and no clause runs on for _MAX_PHRASE characters:
    # searching no further keeps a text without breaks linear.
    stop = min(limit + 1 if limit > e else len(text), e + _MAX_PHRASE)
    b = _BREAK.search(text, e, stop)
    end = b.start() if b else stop
    if end - e <= 1:
        se = _SENT_END.search(text, e, stop)
        end = se.start() if se else stop
    if limit > e and end > limit:
        # the next time phrase starts another bound action: "6月底前主体完工并于秋季投用"
        end = limit
        p2 = _PREFIX.search(text[e:end])
        if p2:
            end -= len(p2.group(0))
        while end > e and text[end - 1] in "并和及且、，, ":
            end -= 1
    return s, end


def _in_intro(pos: int, sentence_ends: list[int], intros: list[int]) -> bool:
    """Whether the sentence holding `pos` ends with 如下： (sorted offsets, looked up by bisection)."""
    k = bisect_right(sentence_ends, pos)
    end = sentence_ends[k] if k < len(sentence_ends) else 1 << 60
    j = bisect_left(intros, pos)
    return j < len(intros) and intros[j] < end


def _forward(text: str, m: re.Match[str], a: int, b: int) -> bool:
    """A limit still ahead in a summary: a forward word (力争, 确保, 计划…) or a bound "…前" in its
    clause, and no past marker there (截至, 已 before it; 了 after it)."""
    clause = _BREAK.split(text[max(0, m.start() - 40) : m.start()])[-1]
    if _PAST.search(clause) or _DONE.search(text, m.end(), b):
        return False
    return bool(
        _FUTURE.search(text[max(0, a - 8) : b])
        or m.group(0).rstrip().endswith("前")
        or _BOUND_AFTER.match(text, m.end())
    )


def extract_deadlines(text: str, *, item: str, year: int | None, kind: str) -> list[Deadline]:
    """Every explicit time limit in one item's own text, as the end date of its period."""
    if not text:
        return []
    verbatim = text  # spans are cut from the text as given; matching runs on half-width digits
    if _FW.search(text):
        text = to_halfwidth(text)
    titles = title_spans(text)
    out: list[Deadline] = []
    seen: set[tuple[str, int]] = set()
    matches = list(_DEADLINE.finditer(text))
    phase_year, phase_end = None, -1  # a phase's first year, for the phrases of its line
    intros = [x.start() for x in _INTRO_END.finditer(text)] if "如下" in text else []
    sentence_ends = [x.end() for x in _SENT_END.finditer(text)] if intros else []
    for k, m in enumerate(matches):
        s = m.start()
        if titles and inside(s, titles):
            continue
        g = m.groupdict()
        prev = text[s - 1 : s]
        if g["pm2"]:
            first = g["py1"] or g["py2"]
            phase_year = int(first) if first else None
            nl = text.find("\n", m.end())
            phase_end = nl if nl >= 0 else len(text)
        here = phase_year if phase_year and s < phase_end else year
        if _NOT_LIMIT_AFTER.match(text, m.end()):
            continue  # "1-6月进展" (a column), "暑期将至", "暑期期间，…", "下半年工作计划" (a heading)
        if intros and _in_intro(m.end(), sentence_ends, intros):
            continue  # "现将上半年工作总结如下：": the period the outline is about
        if (g["mon"] or g["rm2"]) and text[max(0, s - 2) : s].endswith(("每", "每年")):
            continue  # 每月底, 每年6月: a routine
        if g["rel"]:
            if text[m.end() : m.end() + 1] in ("级", "龄", "、", "”", '"'):
                continue
            if g["rel"] == "年内" and prev and (prev.isdigit() or prev in "一二两三四五六七八九十几"):
                continue  # 三年内: a duration
            if text[max(0, s - 2) : s] in ("去年", "上年", "前年", "往年", "当年", "学年"):
                continue  # 去年年底: a past year
            if prev in ("学", "上", "去", "每", "本", "半", "周") and g["rel"] != "本年度":
                continue  # 学年底, 上年底, 去年全年: not this year's limit
        if text[m.end() : m.end() + 2].startswith(("起", "开始")):
            continue  # 2024年春季学期起实施: a start, not a limit
        if g["iy"] and not item:
            continue  # the preamble's "2024年，全市教育系统…" states the year's line, not a task
        if g["iy"] and year is not None and int(g["iy"]) != year and kind == "plan":
            continue  # in a plan a clause-initial year is the plan's own year
        if (g["season"] or g["q"] or g["half"]) and (
            prev == "、" or text[max(0, s - 2) : s].endswith(("每", "每年", "各"))
        ):
            continue  # 春、秋季开学 / 每年秋季 / 每季度: a recurring routine, not a limit
        labelled = bool(_LABEL.search(text, max(0, s - 8), s))
        r = _resolve(m, here, labelled)
        if r is None:
            continue
        date, prec = r
        if kind == "plan" and year is not None and date < f"{year:04d}-01-01":
            continue  # 截至2023年底 in a 2024 plan: a baseline, not a limit
        if year is not None and int(date[:4]) > year + HORIZON:
            continue  # 为2035年建成教育强市奠定基础: a horizon
        a, b = _span(text, m, matches[k + 1].start() if k + 1 < len(matches) else len(text))
        if labelled:
            lab = _LABEL.search(text, max(0, s - 8), s)
            a = lab.start() if lab else a  # the table's action is the task itself: keep the label
        phrase = verbatim[a:b].strip()
        if g["rel"] == "全年" and not _AMOUNT_IN.search(phrase):
            continue  # 部署全年工作: "the year's work"; 全年…N次 is a yearly target
        if not phrase:
            continue
        # a summary or report reviews the past: only a forward-looking limit counts
        if kind != "plan" and not labelled and not _forward(text, m, a, b):
            continue
        key = (date, a)
        if key in seen:
            continue
        seen.add(key)
        out.append(Deadline(item=item, text=phrase, date=date, precision=prec))  # type: ignore[arg-type]
    return out
