"""Quantities: every stated amount in one item's own text (SCHEMA.md "quantities").

The candidates and the named rules that drop what only looks like an amount (years,
ordinals, 《titles》, quoted slogans, codes) live in amounts.py; here each candidate gets its
comparator, role and indicator from the words of its own clause.

    extract_quantities("学前三年毛入园率达到94.5%以上", item="一/1", role="target")
    -> [Quantity(indicator="学前三年毛入园率", comparator=">=", value=94.5, unit="%", ...)]
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from .amounts import Candidate, candidates
from .model import Quantity
from .numbers import (
    clean_float,
    normalize,
    to_halfwidth,
)

_FW = re.compile(r"[０-９．％：]")
_CLAUSE_BREAK = re.compile(r"[，,。；;：:！!？?\n]")
_SENTENCE_BREAK = re.compile(r"[。；;！!？?\n]")
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


def _comparator(c: Candidate, left: str) -> str:
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


@dataclass
class _Context:
    """What the previous figure left behind: its end, indicator, sentence and role."""

    end: int = 0
    indicator: str = ""
    sentence: int = -1
    role: str = ""


def extract_quantities(text: str, *, item: str, role: str) -> list[Quantity]:
    """Every quantity in one item's own text; `role` is the document's default role."""
    if not text:
        return []
    verbatim = text  # spans are cut from the text as given; matching runs on half-width digits
    if _FW.search(text):
        text = to_halfwidth(text)
    cands = candidates(text)
    if not cands:
        return []
    clause_ends = [m.end() for m in _CLAUSE_BREAK.finditer(text)]
    sentence_ends = [m.end() for m in _SENTENCE_BREAK.finditer(text)]
    out: list[Quantity] = []
    prev = _Context(role=role)
    paired: dict[int, str] = {}
    seen = _Seen()
    for k, c in enumerate(cands):
        # clause: from the last break before the number (or the previous amount)
        i = bisect_right(clause_ends, c.start) - 1
        clause_start = max(clause_ends[i] if i >= 0 else 0, c.start - 60)
        i = bisect_right(sentence_ends, c.start) - 1
        sentence_start = sentence_ends[i] if i >= 0 else 0
        left_start = max(clause_start, prev.end)
        left = text[left_start : c.start]
        clause_left = text[clause_start : c.start]
        cmp_ = _comparator(c, left if left.strip("、和及与 ") else clause_left)
        i = bisect_right(clause_ends, c.end)
        clause_right = text[c.end : clause_ends[i] if i < len(clause_ends) else len(text)]
        same_sentence = prev.sentence == sentence_start
        this_role = _role(role, clause_left, clause_right, same_sentence and prev.role == "actual")
        nxt = cands[k + 1] if k + 1 < len(cands) else None
        limit = nxt.start if nxt else len(text)
        ind, end = _indicator(text, c, left, limit)
        if _COMPARE_HEAD.match(ind) and prev.indicator and same_sentence:
            ind = prev.indicator + ind  # 中职招生23116人，比上一年度增加3039人
        if not ind:
            ind = prev.indicator if prev.indicator and same_sentence else c.unit
        start = left_start
        while start < c.start and text[start] in "、和及与 \t，,":
            start += 1
        span = verbatim[start:end]
        indicators = _split_indicators(text, c, ind, left, nxt, limit, paired)
        if id(c) in paired:
            indicators = [paired.pop(id(c))]
        new = [
            _quantity(c, item, _span_of(span, one, j), one, cmp_, this_role)
            for j, one in enumerate(indicators)
        ]
        new = [q for q in new if not seen.repeats(q)]  # against earlier figures, not its siblings
        seen.add(new)
        out += new
        # "3所高职院校生均拨款标准不低于12000元": the noun after one figure is the subject of the next
        prev = _Context(
            c.end if end > c.end and _VERB.match(text, end) else max(c.end, end),
            ind,
            sentence_start,
            this_role,
        )
    return out


def _role(role: str, clause_left: str, clause_right: str, after_actual: bool) -> str:
    """A target document's figure is a fact (role "actual") when its clause says so."""
    if role != "target":
        return role
    if _ACTUAL.search(clause_left) or _DONE_AFTER.match(clause_right):
        return "actual"  # 针对23个未开工项目 / 15个项目已完成验收
    if after_actual and not _COMMIT.search(clause_left):
        return "actual"  # 现有幼儿园120所，在园幼儿3.5万人
    return role


def _indicator(text: str, c: Candidate, left: str, limit: int) -> tuple[str, int]:
    """What the figure measures, and where its span ends: the words before it, or the noun after
    its measure word ("新增10个一级学科博士点")."""
    ind = _strip_indicator(left)
    if ind in _BARE_PREP:
        ind = ""
    end = c.end
    act = _ACTION.match(ind)
    verb_only = bool(act) and act.end() == len(ind)
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
    return ind, end


def _split_indicators(
    text: str, c: Candidate, ind: str, left: str, nxt: Candidate | None, limit: int, paired: dict[int, str]
) -> list[str]:
    """One figure for several indicators: "三个100%", "A、B率均达到95%", "…分别…", "…各2所"."""
    if c.shared_n > 1 or (c.unit == "%" and ("、" in ind or "和" in ind)):
        parts = [p for p in re.split(r"、", ind) if p]
        if c.shared_n > 1 and len(parts) < c.shared_n:
            parts = [p for p in _SPLIT_SHARED.split(ind) if p]
        if c.shared_n > 1 and len(parts) > c.shared_n:
            parts = parts[: c.shared_n - 1] + ["、".join(parts[c.shared_n - 1 :])]
        if c.shared_n > 1 or (len(parts) > 1 and all(_RATE_END.search(p) for p in parts)):
            return parts
        return [ind]
    if "分别" in left and any(w in ind for w in ("和", "、")):
        parts = [p for p in _SPLIT_SHARED.split(ind) if p]
        # "教师和学生…分别提速到500兆和200兆": one value per part when the values are listed
        listed = nxt is not None and text[c.end : nxt.start].strip() in ("和", "、", "及", "与")
        if len(parts) > 1 and listed:
            paired[id(nxt)] = parts[1]
            return [parts[0]]
        return parts if len(parts) > 1 else [ind]
    each = _EACH.search(left)
    if each:
        # "校内校外各1小时", "城区和农村学校各建设2所": one entry per subject
        subj = _strip_indicator(each.group(1))
        parts = [p for p in _SPLIT_SHARED.split(subj) if p]
        if len(parts) == 1 and len(subj) >= 4 and subj[-4] == subj[-2]:
            parts = [subj[:-2], subj[:-4] + subj[-2:]]  # 校内校外 (ABAC)
        noun = _right_noun(text, c.end, limit)
        if len(parts) > 1:
            return [p + noun for p in parts]
        if noun:
            return [noun]
    return [ind]


def _span_of(span: str, indicator: str, j: int) -> str:
    """The text of the j-th indicator sharing one figure: from where it is named."""
    if j > 0:
        p = span.find(indicator)
        if p > 0:
            return span[p:]
    return span


def _quantity(c: Candidate, item: str, text: str, indicator: str, cmp_: str, role: str) -> Quantity:
    nv, nu = normalize(c.value, c.unit)
    return Quantity(
        item=item,
        text=text,
        indicator=indicator,
        comparator=cmp_,  # type: ignore[arg-type]
        value=clean_float(c.value) if c.value is not None else None,
        value_high=clean_float(c.value_high) if c.value_high is not None else None,
        unit=c.unit,
        role=role,  # type: ignore[arg-type]
        placeholder=c.placeholder,
        normalized_value=clean_float(nv) if nv is not None else None,
        normalized_unit=nu,
    )


class _Seen:
    """The figures kept so far in one item, by (value, unit, comparator, value_high).

    `repeats` tells the same figure stated twice (its title and its body): same value and the
    same or a containing indicator or text. Looking it up by value keeps an item of 50,000 lines
    linear; a figure is compared with at most `PER_VALUE` earlier statements of the same value
    (plus exact indicator and text matches with all of them).
    """

    PER_VALUE = 32

    def __init__(self) -> None:
        self._by_value: dict[tuple, list[Quantity]] = {}
        self._exact: set[tuple] = set()

    @staticmethod
    def _key(q: Quantity) -> tuple:
        return (q.value, q.unit, q.comparator, q.value_high)

    def add(self, qs: list[Quantity]) -> None:
        for q in qs:
            key = self._key(q)
            self._exact.add((key, "i", q.indicator))
            self._exact.add((key, "t", q.text))
            bucket = self._by_value.setdefault(key, [])
            if len(bucket) < self.PER_VALUE:
                bucket.append(q)

    def repeats(self, q: Quantity) -> bool:
        key = self._key(q)
        if (key, "i", q.indicator) in self._exact or (key, "t", q.text) in self._exact:
            return True
        return any(_restates(q, o) for o in self._by_value.get(key, ()))


def _restates(q: Quantity, o: Quantity) -> bool:
    """Two statements of the same value: the same figure if one's indicator or text holds the other's."""
    return (
        q.indicator == o.indicator
        or min(len(q.indicator), len(o.indicator)) >= 4
        and (q.indicator in o.indicator or o.indicator in q.indicator)
        or q.text in o.text
        or o.text in q.text
    )
