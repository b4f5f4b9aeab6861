"""Render Word automatic numbering, which python-docx's `paragraph.text` leaves out.

numPr on the paragraph or inherited from its style (basedOn chain); abstractNum levels with
numFmt, lvlText ("%1、", "（%1）", "%1.%2"), start, isLgl, lvlRestart; num instances with
lvlOverride/startOverride restarts. As in Word, num instances that share an abstractNum share
its counters; a startOverride restarts them at the instance's first paragraph.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docx.oxml.ns import qn

W_VAL = qn("w:val")


def _val(el, tag: str) -> str | None:
    if el is None:
        return None
    child = el.find(qn(tag))
    if child is None:
        return None
    return child.get(W_VAL)


def _int(value: str | None, default: int | None = None) -> int | None:
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        return default


# ---- number formats --------------------------------------------------------------------------

_CN_DIGITS = "〇一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"


def chinese_number(n: int, legal: bool = False) -> str:
    """1 -> 一, 10 -> 十, 11 -> 十一, 21 -> 二十一, 105 -> 一百零五 (legal: 壹拾壹...)."""
    digits = _CN_LEGAL if legal else _CN_DIGITS
    units = ("", "拾", "佰", "仟") if legal else ("", "十", "百", "千")
    if n <= 0:
        return digits[0]
    if n >= 10000:
        return str(n)
    out: list[str] = []
    s = str(n)
    zero = False
    for i, ch in enumerate(s):
        d = int(ch)
        pos = len(s) - 1 - i
        if d == 0:
            zero = True
            continue
        if zero and out:
            out.append("零")
        zero = False
        out.append(digits[d] + units[pos])
    text = "".join(out)
    if not legal and 10 <= n < 20:
        text = text[1:]  # 十一, not 一十一
    return text


def _roman(n: int) -> str:
    if n <= 0 or n >= 4000:
        return str(n)
    pairs = (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    )
    out = []
    for value, sym in pairs:
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def _letter(n: int) -> str:
    if n <= 0:
        return str(n)
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _enclosed_circle(n: int) -> str:
    if 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if 21 <= n <= 35:
        return chr(0x3251 + n - 21)
    if 36 <= n <= 50:
        return chr(0x32B1 + n - 36)
    return str(n)


# Word keeps a level's counter within 0..32767 (its start box stops there); a hostile w:start
# (2147483648 with lowerLetter: an 82-million-letter label) is shown as Word would bound it.
MAX_COUNTER = 32767
# Word's level text is a short pattern ("%1、", "（%1）", "%1.%2.%3"); longer is not a label.
MAX_LEVEL_TEXT = 64


def format_number(n: int, fmt: str) -> str:
    """One counter value in a Word numFmt (clamped to 0..MAX_COUNTER first)."""
    n = max(0, min(n, MAX_COUNTER))
    if fmt in ("decimal", "decimalHalfWidth", "arabicAbjad", "ordinal", "cardinalText", "ordinalText"):
        return str(n)
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperLetter":
        return _letter(n)
    if fmt == "lowerLetter":
        return _letter(n).lower()
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "japaneseCounting",
        "taiwaneseCounting",
        "taiwaneseCountingThousand",
        "ideographDigital",
        "japaneseDigitalTenThousand",
    ):
        return chinese_number(n)
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional", "japaneseLegal"):
        return chinese_number(n, legal=True)
    if fmt == "ideographTraditional":
        return _TIANGAN[n - 1] if 1 <= n <= 10 else str(n)
    if fmt == "ideographZodiac":
        return _DIZHI[n - 1] if 1 <= n <= 12 else str(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return _enclosed_circle(n)
    if fmt == "decimalEnclosedParen":
        return chr(0x2474 + n - 1) if 1 <= n <= 20 else f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return chr(0x2488 + n - 1) if 1 <= n <= 20 else f"{n}."
    if fmt == "ideographEnclosedCircle":
        return chr(0x3280 + n - 1) if 1 <= n <= 10 else str(n)
    if fmt == "none":
        return ""
    return str(n)


# ---- definitions -------------------------------------------------------------------------------


@dataclass
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    is_lgl: bool = False
    restart: int | None = None  # lvlRestart: None = after any shallower level, 0 = never
    suffix: str = "tab"
    pstyle: str | None = None


@dataclass
class Num:
    abstract_id: str
    start_overrides: dict[int, int] = field(default_factory=dict)
    level_overrides: dict[int, Level] = field(default_factory=dict)


def _parse_level(lvl) -> Level:
    level = Level()
    level.start = _int(_val(lvl, "w:start"), 1) or 0
    level.fmt = _val(lvl, "w:numFmt") or "decimal"
    text = _val(lvl, "w:lvlText")
    level.text = text[:MAX_LEVEL_TEXT] if text is not None else ""
    is_lgl = lvl.find(qn("w:isLgl"))
    level.is_lgl = is_lgl is not None and is_lgl.get(W_VAL, "1") not in ("0", "false", "off")
    level.restart = _int(_val(lvl, "w:lvlRestart"))
    level.suffix = _val(lvl, "w:suff") or "tab"
    level.pstyle = _val(lvl, "w:pStyle")
    return level


@dataclass
class _StyleNum:
    num_id: str | None
    ilvl: int | None


class NumberingRenderer:
    """Give each numbered paragraph (a w:p element) its rendered label, in document order."""

    def __init__(self, numbering_el, styles_el) -> None:
        self.abstracts: dict[str, dict[int, Level]] = {}
        self.abstract_links: dict[str, str] = {}  # abstractNumId -> numStyleLink style id
        self.nums: dict[str, Num] = {}
        self.styles: dict[str, tuple[str | None, _StyleNum]] = {}  # id -> (basedOn, numPr)
        self.default_pstyle: str | None = None
        self.counters: dict[str, list[int | None]] = {}
        self.started: set[str] = set()
        if numbering_el is not None:
            self._parse_numbering(numbering_el)
        if styles_el is not None:
            self._parse_styles(styles_el)

    def _parse_numbering(self, numbering_el) -> None:
        for absn in numbering_el.findall(qn("w:abstractNum")):
            aid = absn.get(qn("w:abstractNumId"))
            levels = {}
            for lvl in absn.findall(qn("w:lvl")):
                levels[_int(lvl.get(qn("w:ilvl")), 0) or 0] = _parse_level(lvl)
            self.abstracts[aid] = levels
            link = _val(absn, "w:numStyleLink")
            if link:
                self.abstract_links[aid] = link
        for num in numbering_el.findall(qn("w:num")):
            nid = num.get(qn("w:numId"))
            entry = Num(abstract_id=_val(num, "w:abstractNumId") or "")
            for override in num.findall(qn("w:lvlOverride")):
                ilvl = _int(override.get(qn("w:ilvl")), 0) or 0
                start = _int(_val(override, "w:startOverride"))
                if start is not None:
                    entry.start_overrides[ilvl] = start
                lvl = override.find(qn("w:lvl"))
                if lvl is not None:
                    entry.level_overrides[ilvl] = _parse_level(lvl)
            self.nums[nid] = entry

    def _parse_styles(self, styles_el) -> None:
        for style in styles_el.findall(qn("w:style")):
            if style.get(qn("w:type")) not in (None, "paragraph", "numbering"):
                continue
            sid = style.get(qn("w:styleId"))
            ppr = style.find(qn("w:pPr"))
            numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
            sn = _StyleNum(
                num_id=_val(numpr, "w:numId") if numpr is not None else None,
                ilvl=_int(_val(numpr, "w:ilvl")) if numpr is not None else None,
            )
            self.styles[sid] = (_val(style, "w:basedOn"), sn)
            if style.get(qn("w:default")) in ("1", "true") and style.get(qn("w:type")) == "paragraph":
                self.default_pstyle = sid

    def _style_numpr(self, style_id: str | None) -> tuple[str | None, int | None]:
        num_id: str | None = None
        ilvl: int | None = None
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self.styles:
            seen.add(style_id)
            based_on, sn = self.styles[style_id]
            if num_id is None and sn.num_id is not None:
                num_id = sn.num_id
            if ilvl is None and sn.ilvl is not None:
                ilvl = sn.ilvl
            style_id = based_on
        return num_id, ilvl

    def _abstract_of(self, num: Num) -> str:
        aid = num.abstract_id
        link = self.abstract_links.get(aid)
        if link:  # numStyleLink: the real definition is on the numbering style's num
            style_num, _ = self._style_numpr(link)
            target = self.nums.get(style_num or "")
            if target is not None and target.abstract_id != aid:
                return target.abstract_id
        return aid

    def label(self, p) -> str | None:
        """The label of paragraph `p` (with its separator), advancing the counters; None if not numbered."""
        ppr = p.find(qn("w:pPr"))
        pstyle = _val(ppr, "w:pStyle") or self.default_pstyle
        numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
        p_num = _val(numpr, "w:numId") if numpr is not None else None
        p_ilvl = _int(_val(numpr, "w:ilvl")) if numpr is not None else None
        s_num, s_ilvl = self._style_numpr(pstyle)
        num_id = p_num if p_num is not None else s_num
        if num_id is None or num_id == "0" or num_id not in self.nums:
            return None
        num = self.nums[num_id]
        aid = self._abstract_of(num)
        levels = self.abstracts.get(aid)
        if not levels:
            return None
        ilvl = p_ilvl if p_ilvl is not None else s_ilvl
        if ilvl is None:
            ilvl = next((i for i, lv in levels.items() if lv.pstyle and lv.pstyle == pstyle), 0)
        ilvl = max(0, min(8, ilvl))

        def level_def(i: int) -> Level:
            return num.level_overrides.get(i) or levels.get(i) or Level(fmt="decimal", text=f"%{i + 1}.")

        state = self.counters.setdefault(aid, [None] * 9)
        if num_id not in self.started:
            self.started.add(num_id)
            for lv_i, start in num.start_overrides.items():
                if 0 <= lv_i < 9:
                    state[lv_i] = start - 1
                    for deeper in range(lv_i + 1, 9):
                        state[deeper] = None
        current = level_def(ilvl)
        state[ilvl] = current.start if state[ilvl] is None else state[ilvl] + 1  # type: ignore[operator]
        for deeper in range(ilvl + 1, 9):
            restart = level_def(deeper).restart
            if restart is None or (restart != 0 and ilvl <= restart - 1):
                state[deeper] = None

        if current.fmt == "bullet":
            return None
        text = current.text
        for i in range(9):
            token = f"%{i + 1}"
            if token not in text:
                continue
            lv = level_def(i)
            value = state[i] if state[i] is not None else lv.start
            fmt = "decimal" if current.is_lgl else lv.fmt
            text = text.replace(token, format_number(value, fmt))  # type: ignore[arg-type]
        # "%1" + a tab or U+3000 in the level text is the separator itself ("5　策划和准备"):
        # keep one, or the number runs into the title ("5策划…")
        spaced = text != text.rstrip()
        text = text.strip()
        if not text:
            return None
        if text[-1] in "、，．）)】》」』:：" or (current.suffix == "nothing" and not spaced):
            return text
        return text + " "
