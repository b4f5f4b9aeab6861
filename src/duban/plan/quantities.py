"""Quantities: every stated amount in one item's own text (SCHEMA.md "quantities").

One regex pass finds number + measure word candidates; each candidate is then checked
against the exclusion rules (years, ordinals, 《titles》, quoted slogans, codes), and its
comparator, role and indicator are read from the words of its own clause.

    extract_quantities("学前三年毛入园率达到94.5%以上", item="一/1", role="target")
    -> [Quantity(indicator="学前三年毛入园率", comparator=">=", value=94.5, unit="%", ...)]
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from .model import Quantity
from .numbers import (
    ARABIC,
    CN_NUM,
    PLACEHOLDER,
    RANGE_SEP,
    clean_float,
    normalize,
    parse_number,
    percent_words,
    ratio_value,
    to_halfwidth,
)

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
_FW = re.compile(r"[０-９．％：]")
_AFTER = re.compile(r"\s*(?P<w>及以上|以上|以下|以内|之内|左右)")
_CLAUSE_BREAK = re.compile(r"[，,。；;：:！!？?\n]")
_SENTENCE_BREAK = re.compile(r"[。；;！!？?\n]")
_TITLE = re.compile(r"《[^《》\n]{0,80}》")
_QUOTE = re.compile(r"[“\"「][^”\"」\n]{0,40}[”\"」]")
# a quoted name or slogan (“12991”, “三名”, “120所质量提升工程”), not a quoted sentence
_SLOGAN_END = re.compile(
    r"(?:工程|行动|计划|战略|战役|项目|体系|机制|模式|理念|思路|目标|格局|示范校|学校)[”\"」]$"
)

# comparator words before the number (the last one in the clause wins)
_VERB = re.compile(
    r"不少于|不低于|不小于|至少|最少|最低|不超过|不高于|不多于|不大于|至多|最多|最高|超过|高于|多于|大于|"
    r"低于|少于|小于|不足|不到|"
    r"控制在|保持在|稳定在|维持在|保持(?!率)|维持(?!率)|达到|提高到|提高至|提升到|提升至|增加到|增加至|增长到|增长至|增至|"
    r"降低到|降低至|降到|降至|下降到|下降至|减少到|减少至|减至|"
    r"提高|提升|增加|增长|增幅|超出|多出|减少|下降|降低|缩减|压减|减幅|"
    r"将近|接近|大约|约为|约|近"
)
_DELTA_UP = frozenset(["提高", "提升", "增加", "增长", "增幅", "超出", "多出"])
_DELTA_DOWN = frozenset(["减少", "下降", "降低", "缩减", "压减", "减幅"])
_GE = frozenset(["不少于", "不低于", "不小于", "至少", "最少", "最低"])
_GT = frozenset(["超过", "高于", "多于", "大于"])
_LE = frozenset(["不超过", "不高于", "不多于", "不大于", "至多", "最多", "最高", "将近", "接近", "近"])
_LT = frozenset(["低于", "少于", "小于", "不足", "不到"])
# words that bound a number only right before it (近视, 约束 are not comparators)
_ADJ_ONLY = frozenset(["将近", "接近", "大约", "约为", "约", "近"])

_ACTUAL = re.compile(
    r"现有|共有|已|截至|截止|目前|针对|发挥|(?<![比较])(?:去年|上年|上一年)|原有|现状|基础上"
)

_LEAD_STRIP = re.compile(
    r"^(?:共有|拥有|现有|为期|首批|第[一二三四五六七八九十\d]+批次?|为|向|对|给|[、和及与并且，,\s]|其中|另外|同时|此外|共计|总计|合计|累计|全年|年度|全市|全省|全县|全区|全镇|我市|我县|我区|"
    r"各地|确保|力争|争取|努力|实现|要|将|今年|当年|每年|年内|年底前|(?:19|20)\d{2}\s*年(?:度|底|末)?前?|"
    r"分别|进一步|继续|持续|全面|积极|计划|规划|预计|并|共|各(?=[建创培打设开举配招评遴选完组实认新])|"
    r"至少|不少于|不低于|不超过|不高于|最少|最多|约|近|我局|我委|本市|"
    r"圆满|顺利|扎实|认真|切实|稳步|有序|如期|先后|共同|成功|高质量|严格|落实|[“\"])+"
)
_HEDGE = re.compile(r"力争|争取|确保|努力")
_TAIL_STRIP = re.compile(
    rf"(?:{_VERB.pattern}|分别|均为|均达|共|累计|总计|合计|总数|各|达|为|是|了|的|有|完成|实现|要|将|"
    r"平均|年均|每年|[两二三四五六七八九]个[“\"]?|[“\"、和及与，,\s])+$"
)
_ACTION = re.compile(
    r"^(?:安排|落实|提供|保障|评选认定|评选出|评选|遴选|创建|打造|建设|建成|建有|举办|培育|培养评选|培养|招收|引进|开发|支持|"
    r"实施|组织|开展|认定|选派|完成|涉及|建立|设立|推出|选树|树立|培树|配备|配齐|设置|开设|召开|举行|"
    r"组建|成立|选聘|招聘|培训|发放|印制|开通|覆盖|打造)+"
)
_DONE_AFTER = re.compile(r"[^，,。；;]{0,12}?已(?!于)")
_EACH = re.compile(r"([^，,。；;]*?)各(?:[建创培打设开举配招评遴选完组实认新][\u4e00-\u9fff]?)?\s*$")
# units of a level (money, area, rates): the words after them are not what is counted
_LEVEL_UNITS = frozenset(
    ["%", "‰", "比", "百分点", "个百分点", "元", "万元", "亿元", "平方米", "万平方米", "平米", "万平米"]
)
_VERB_START = re.compile(
    r"(?:到|向|对|从|与|在(?![线校园读职岗编])|和|被|建设|用于|实施|开展|进行|完成|参与|实现|达到|投入|开工|竣工|覆盖|以上|以下|左右|以内)"
)
_COMPARE_HEAD = re.compile(r"^(?:比|较|同比|环比|超出|高于|低于)")
# a clause that commits to something, which a preceding "现有…" does not make a fact
_COMMIT = re.compile(
    r"新建|新增|力争|确保|争取|达到|完成|实现|建设|创建|提高|提升|增加|打造|培育|开展|举办|计划|将|要"
)
_BUILD_ONLY = re.compile(r"^[新改扩迁续建、和及与]+$")
_RIGHT_STOP = re.compile(
    r"[，,。；;：:！!？?\n、”]|实现|达到|进行|被|参与|开展|取得|通过|进入|申报|获得|全部|成为|为|的目标|"
    r"累计|总计|共计|正在|已|将|提供|获评|获|荣获|完成|得到|纳入|享受|免收"
)
_SPLIT_SHARED = re.compile(r"、|和")
_RATE_END = re.compile(r"(?:率|比例|占比|比|度|指数)$")
_N_FIGURES = re.compile(r"([两二三四五六七八九])个[“\"]?$")


@dataclass
class _Cand:
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


def _spans(regex: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in regex.finditer(text)]


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a < pos < b for a, b in spans)


def _slogans(text: str) -> list[tuple[int, int]]:
    out = []
    for m in _QUOTE.finditer(text):
        q = m.group(0)
        if len(q) <= 12 or _SLOGAN_END.search(q):
            out.append((m.start(), m.end()))
    return out


def _candidates(text: str) -> list[_Cand]:
    titles = _spans(_TITLE, text) if "《" in text else []
    quotes = _slogans(text) if ("“" in text or '"' in text or "「" in text) else []
    out: list[_Cand] = []
    for m in _AMOUNT.finditer(text):
        s = m.start()
        prev = text[s - 1] if s else ""
        if titles and _inside(s, titles):
            continue
        in_quote = bool(quotes) and _inside(s, quotes)
        if m.group("pw"):
            v = percent_words(m.group("pw"))
            if v is None or in_quote:
                continue
            out.append(_cand_after(text, s, m.end(), s, v, None, "%", False, False))
            continue
        if m.group("ra"):
            if prev and (prev.isdigit() or prev in ".:：∶") or in_quote:
                continue
            clause = text[max(0, s - 20) : s]
            if "比" not in clause:
                continue
            a, b = float(m.group("ra")), float(m.group("rb"))
            v = ratio_value(a, b)
            if v is None:
                continue
            out.append(_cand_after(text, s, m.end(), s, v, None, "比", False, False))
            continue
        num = m.group("num")
        unit = m.group("unit") or ""
        mult = m.group("mult") or ""
        if not unit and not mult:
            continue
        first = num[0]
        is_arabic = first.isdigit()
        is_ph = first in "xX×"
        is_cn = not is_arabic and not is_ph
        # glued to letters/digits/code punctuation: 5G, G20, 1+6, v2.0
        if prev and (prev.isascii() and (prev.isalnum() or prev in "+.#/_-")):
            continue
        if prev and prev in "第＋+":
            continue
        if prev == "前" and text[s - 2 : s - 1] not in ("底", "末", "日", "月", "季", "期", "年"):
            continue  # 前10名, 世界前1%: a rank (but 年底前5所… is a deadline, then an amount)
        nxt = text[m.end() : m.end() + 1]
        if nxt and (nxt.isascii() and nxt.isalpha() or nxt in "+＋"):
            continue
        if unit == "年" and not text[max(0, s - 2) : s].endswith("连续"):
            continue
        if unit == "个工作日":
            continue  # 5个工作日内办结: a time limit without an anchor, not an amount
        if unit == "周" and (not is_arabic or text[m.end() : m.end() + 1] in ("年", "岁")):
            continue  # 70周年, 3周岁
        if unit == "米" and mult == "" and not is_arabic:
            continue
        if unit == "小时" and num == "24" and "\u4e00" <= text[m.end() : m.end() + 1] <= "\u9fff":
            continue  # 24小时值班 / 开通24小时热线: round the clock, not an amount
        if is_arabic and unit in ("年", "") and len(num) == 4 and num.startswith(("19", "20")):
            continue
        if is_cn:
            if unit not in _CN_UNITS or mult or in_quote:
                continue
            if num[0] == "一" and (prev in _NOT_ONE or text[s - 2 : s - 1] in ("不", "一")):
                continue  # 统一, 新一轮, 每一位, 不漏一人, 一课一名师
            if prev == "届" or text[m.end() : m.end() + 2] in ("全会", "会议"):
                continue  # 十九届三次全会: an ordinal
            if len(num) > 4 or num[-1] in "万亿" or num[0] in "十百千" and len(num) > 3:
                continue
            if num[0] in "百千万亿":
                continue  # 每万人, 千人计划, 百名校长: a scale or a name, not a count
            tail = _TAIL_CUT.split(text[m.end() : m.end() + 8], 1)[0]
            if tail[:1] in ("一", "性") or _FRAMEWORK.search(tail):
                continue
            if prev and prev in "两二三四五六七八九十":
                continue
        if unit in ("个", "项", "名") and _FRAMEWORK.match(text[m.end() : m.end() + 6]) and is_cn:
            continue
        if unit == "%" and _NAMED_PCT.match(text, m.end()):
            continue  # 巩固100%联网达标攻坚行动成果: part of a programme's name
        shared_n = 1
        if in_quote:
            # only "三个100%"-style shared figures may sit inside quotes
            nm = _N_FIGURES.search(text[max(0, s - 4) : s])
            if not nm or unit not in ("%", "个百分点"):
                continue
        nm = _N_FIGURES.search(text[max(0, s - 4) : s])
        if nm and is_arabic and unit == "%":
            shared_n = int(parse_number(nm.group(1)) or 1)
        if is_ph:
            if prev.isascii() and prev.isalpha() or unit not in _PH_UNITS:
                continue
            value = None
        else:
            value = parse_number(num)
            if value is None:
                continue
        value_high = None
        if m.group("num2"):
            value_high = parse_number(m.group("num2"))
            if value_high is None or value is None or value_high <= value:
                # "2019-2020" style or a descending pair: not a range of one amount
                if m.group("num2") and value_high is not None and value is not None:
                    continue
                value_high = None
        full_unit = mult + unit if unit else mult
        approx = bool(m.group("ap1") or m.group("ap2"))
        c = _cand_after(text, s, m.end(), s, value, value_high, full_unit, is_ph, approx)
        c.shared_n = shared_n
        out.append(c)
    return out


def _cand_after(text, s, e, ns, value, value_high, unit, ph, approx) -> _Cand:
    after = ""
    am = _AFTER.match(text, e)
    if am:
        after, e = am.group("w"), am.end()
    return _Cand(s, e, ns, value, value_high, unit, ph, after, approx)


def _comparator(c: _Cand, left: str) -> str:
    if c.value_high is not None:
        return "range"
    n = len(left.rstrip())
    verbs = [m.group(0) for m in _VERB.finditer(left) if m.group(0) not in _ADJ_ONLY or m.end() >= n]
    last = verbs[-1] if verbs else ""
    if c.unit.endswith("百分点"):
        if any(v in _DELTA_DOWN or v.startswith(("降", "下降", "减")) for v in verbs):
            return "delta-"
        return "delta+"
    if last in _DELTA_UP:
        return "delta+"
    if last in _DELTA_DOWN:
        return "delta-"
    if c.after in ("以上", "及以上") or c.approx:
        return ">="
    if c.after in ("以内", "以下", "之内"):
        return "<="
    if last in _GE or any(v in ("至少", "不少于", "不低于") for v in verbs):
        return ">="
    if last in _GT:
        return ">"
    if last in _LE:
        return "<="
    if last in _LT:
        return "<"
    return "="


_BARE_PREP = frozenset(["在", "于", "到", "至", "对", "向", "为", "从", "有", "给", "让"])


def _strip_indicator(s: str) -> str:
    s = _HEDGE.sub("", s.strip())
    if "分别" in s:
        s = s[: s.index("分别")]  # the subject list ends where 分别 begins
    for _ in range(3):
        t = _LEAD_STRIP.sub("", s)
        t = _TAIL_STRIP.sub("", t)
        if t == s:
            break
        s = t
    return s.strip()


def _right_noun(text: str, e: int, limit: int) -> str:
    seg = text[e : min(e + 30, limit)]
    seg = seg.lstrip("的")
    m = _RIGHT_STOP.search(seg)
    v = next((x for x in _VERB.finditer(seg) if x.group(0) not in _ADJ_ONLY), None)
    if v and (not m or v.start() < m.start()):
        m = v
    if m and m.start() > 0:
        seg = seg[: m.start()]
    elif m:
        return ""
    return seg.strip().rstrip("和及与、")


def extract_quantities(text: str, *, item: str, role: str) -> list[Quantity]:
    """Every quantity in one item's own text; `role` is the document's default role."""
    if not text:
        return []
    verbatim = text  # spans are cut from the text as given; matching runs on half-width digits
    if _FW.search(text):
        text = to_halfwidth(text)
    cands = _candidates(text)
    if not cands:
        return []
    clause_ends = [m.end() for m in _CLAUSE_BREAK.finditer(text)]
    sentence_ends = [m.end() for m in _SENTENCE_BREAK.finditer(text)]
    out: list[Quantity] = []
    prev_end = 0
    prev_ind = ""
    prev_sentence = -1
    prev_role = role
    paired: dict[int, str] = {}
    for k, c in enumerate(cands):
        # clause: from the last break before the number (or the previous amount)
        i = bisect_right(clause_ends, c.start) - 1
        clause_start = max(clause_ends[i] if i >= 0 else 0, c.start - 60)
        i = bisect_right(sentence_ends, c.start) - 1
        sentence_start = sentence_ends[i] if i >= 0 else 0
        left_start = max(clause_start, prev_end)
        left = text[left_start : c.start]
        clause_left = text[clause_start : c.start]
        cmp_ = _comparator(c, left if left.strip("、和及与 ") else clause_left)
        this_role = role
        if role == "target":
            i = bisect_right(clause_ends, c.end)
            clause_right = text[c.end : clause_ends[i] if i < len(clause_ends) else len(text)]
            if _ACTUAL.search(clause_left) or _DONE_AFTER.match(clause_right):
                this_role = "actual"  # 针对23个未开工项目 / 15个项目已完成验收
            elif (
                prev_sentence == sentence_start and prev_role == "actual" and not _COMMIT.search(clause_left)
            ):
                this_role = "actual"  # 现有幼儿园120所，在园幼儿3.5万人
        ind = _strip_indicator(left)
        if ind in _BARE_PREP:
            ind = ""
        end = c.end
        act = _ACTION.match(ind)
        verb_only = bool(act) and act.end() == len(ind)
        limit = cands[k + 1].start if k + 1 < len(cands) else len(text)
        # "N所/个/名 X": a measure word followed by a noun counts that noun (新增10个一级学科博士点)
        right = _right_noun(text, c.end, limit) if c.unit not in _LEVEL_UNITS else ""
        if right and _VERB_START.match(right):
            right = ""
        if not right and (
            not ind
            or verb_only
            or (ind.startswith("每") and len(ind) <= 4)  # 每两周1次心理健康课程
            or _BUILD_ONLY.match(ind)
            or left.rstrip().endswith(("的", "等"))  # 市一中、市二中等3所学校
        ):
            right = _right_noun(text, c.end, limit)
        if right:
            prefix = ind if ind and _BUILD_ONLY.match(ind) else ""
            ind = prefix + right
            p = text.find(right, c.end)
            end = p + len(right) if p >= 0 else c.end
        elif act and len(ind) - act.end() >= 2:
            ind = ind[act.end() :]
        if _COMPARE_HEAD.match(ind) and prev_ind and prev_sentence == sentence_start:
            ind = prev_ind + ind  # 中职招生23116人，比上一年度增加3039人
        if not ind:
            ind = prev_ind if prev_ind and prev_sentence == sentence_start else c.unit
        start = left_start
        while start < c.start and text[start] in "、和及与 \t，,":
            start += 1
        span = verbatim[start:end]
        indicators = [ind]
        if c.shared_n > 1 or (c.unit == "%" and ("、" in ind or "和" in ind)):
            parts = [p for p in re.split(r"、", ind) if p]
            if c.shared_n > 1 and len(parts) < c.shared_n:
                parts = [p for p in _SPLIT_SHARED.split(ind) if p]
            if c.shared_n > 1 and len(parts) > c.shared_n:
                parts = parts[: c.shared_n - 1] + ["、".join(parts[c.shared_n - 1 :])]
            if c.shared_n > 1 or (len(parts) > 1 and all(_RATE_END.search(p) for p in parts)):
                indicators = parts
        elif "分别" in left and any(w in ind for w in ("和", "、")):
            parts = [p for p in _SPLIT_SHARED.split(ind) if p]
            # "教师和学生…分别提速到500兆和200兆": one value per part when the values are listed
            nxt = cands[k + 1] if k + 1 < len(cands) else None
            listed = nxt is not None and text[c.end : nxt.start].strip() in ("和", "、", "及", "与")
            if len(parts) > 1 and listed:
                indicators = [parts[0]]
                c_next_ind = parts[1]
                paired[id(nxt)] = c_next_ind
            elif len(parts) > 1:
                indicators = parts
        else:
            each = _EACH.search(left)
            if each:
                # "校内校外各1小时", "城区和农村学校各建设2所": one entry per subject
                subj = _strip_indicator(each.group(1))
                parts = [p for p in _SPLIT_SHARED.split(subj) if p]
                if len(parts) == 1 and len(subj) >= 4 and subj[-4] == subj[-2]:
                    parts = [subj[:-2], subj[:-4] + subj[-2:]]  # 校内校外 (ABAC)
                noun = _right_noun(text, c.end, cands[k + 1].start if k + 1 < len(cands) else len(text))
                if len(parts) > 1:
                    indicators = [p + noun for p in parts]
                elif noun:
                    indicators = [noun]
        if id(c) in paired:
            indicators = [paired.pop(id(c))]
        nv, nu = normalize(c.value, c.unit)
        before = len(out)
        for j, one in enumerate(indicators):
            t = span
            if j > 0:
                p = span.find(one)
                if p > 0:
                    t = span[p:]
            q = Quantity(
                item=item,
                text=t,
                indicator=one,
                comparator=cmp_,  # type: ignore[arg-type]
                value=clean_float(c.value) if c.value is not None else None,
                value_high=clean_float(c.value_high) if c.value_high is not None else None,
                unit=c.unit,
                role=this_role,  # type: ignore[arg-type]
                placeholder=c.placeholder,
                normalized_value=clean_float(nv) if nv is not None else None,
                normalized_unit=nu,
            )
            if not _repeats(q, out[:before]):
                out.append(q)
        # "3所高职院校生均拨款标准不低于12000元": the noun after one figure is the subject of the next
        prev_end = c.end if end > c.end and _VERB.match(text, end) else max(c.end, end)
        prev_ind = ind
        prev_sentence = sentence_start
        prev_role = this_role
    return out


def _repeats(q: Quantity, seen: list[Quantity]) -> bool:
    """The same figure stated twice in one item (its title and its body): keep the first."""
    for o in seen:
        if (
            o.value == q.value
            and o.unit == q.unit
            and o.comparator == q.comparator
            and o.value_high == q.value_high
            and (
                q.indicator == o.indicator
                or min(len(q.indicator), len(o.indicator)) >= 4
                and (q.indicator in o.indicator or o.indicator in q.indicator)
                or q.text in o.text
                or o.text in q.text
            )
        ):
            return True
    return False
