"""A cell's value as the spreadsheet shows it, from its number format code (ECMA-376 §18.8.31).

What a bureau's table means is often in the format, not the value: 0.95 shown as 95%, 3 shown as
3所 (format 0"所"), a date shown as 2025年6月 (a month, not 1 June), 1234.5 shown as 1,234.5.

    shown(0.95, "0%") -> "95%"      shown(3, '0"所"') -> "3所"      shown(date(2025,6,1), 'yyyy"年"m"月"') -> "2025年6月"

A code has up to four sections (positive;negative;zero;text); in each, quoted text and \\x are
literals, [Red]/[$-804] are tags, _x and *x are padding. Number sections: 0 # ? digit placeholders,
a decimal point, a comma between placeholders groups thousands (after them it divides by 1000),
each % multiplies by 100. Date sections: y m d h s, m after h or before s being minutes, aaa/aaaa
Chinese weekdays, 上午/下午 and AM/PM a 12-hour clock. Forms this does not render (fractions,
scientific, [DBNum] Chinese numerals, elapsed [h]) give None: the caller keeps its plain text.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from openpyxl.styles.numbers import BUILTIN_FORMATS

# The built-in ids whose codes ECMA-376 leaves to the locale: those of zh-CN (Excel and WPS write
# these ids with no numFmt element of their own).
_ZH_CN_BUILTIN = {
    27: 'yyyy"年"m"月"',
    28: 'm"月"d"日"',
    29: 'm"月"d"日"',
    30: "m-d-yy",
    31: 'yyyy"年"m"月"d"日"',
    32: 'h"时"mm"分"',
    33: 'h"时"mm"分"ss"秒"',
    34: '上午/下午h"时"mm"分"',
    35: '上午/下午h"时"mm"分"ss"秒"',
    36: 'yyyy"年"m"月"',
    50: 'yyyy"年"m"月"',
    51: 'm"月"d"日"',
    52: 'yyyy"年"m"月"',
    53: 'm"月"d"日"',
    54: 'm"月"d"日"',
    55: '上午/下午h"时"mm"分"',
    56: '上午/下午h"时"mm"分"ss"秒"',
    57: 'yyyy"年"m"月"',
    58: 'm"月"d"日"',
}
_WEEKDAYS = "一二三四五六日"
MAX_CODE = 255  # Excel's own limit on a format code: a longer one is not from a spreadsheet program
_TOKEN = re.compile(
    r'"(?P<quoted>[^"]*)"?|\\(?P<escaped>.)|\[(?P<tag>[^\]]*)\]|[_*](?P<pad>.)'
    r"|(?P<general>General|G/通用格式)|(?P<ampm>上午/下午|AM/PM|am/pm|A/P|a/p)"
    r"|(?P<date>[yY]+|[mM]+|[dD]+|[hH]+|[sS]+|[aA]{3,4}|e)|(?P<other>.)",
    re.DOTALL,
)
Parts = list[tuple[str, str]]  # (kind, text): kind "lit" or "date" or "ampm" or "num"


def builtin_code(fmt_id: int) -> str | None:
    """The code of a built-in number format id (None for General and unknown ids)."""
    code = _ZH_CN_BUILTIN.get(fmt_id) or BUILTIN_FORMATS.get(fmt_id)
    return None if code in (None, "General") else code


def shown(value: object, code: str) -> str | None:
    """The text a cell with this value and format code shows; None when the plain text is as good."""
    if not code or code == "General" or isinstance(value, bool) or value is None or len(code) > MAX_CODE:
        return None
    sections = _sections(code)
    if sections is None:
        return None
    if isinstance(value, str):  # the text section: the one with @ in it ('@"所"')
        text = next((p for p in sections if any(k == "text" for k, _ in p)), None)
        return _literal_around(text, value) if text and len(text) > 1 else None
    if isinstance(value, (dt.datetime, dt.date)):
        parts = sections[0]
        return _date_text(value, parts) if any(k == "date" for k, _ in parts) else None
    if not isinstance(value, (int, float)):
        return None
    number = float(value)
    parts, negative = sections[0], number < 0
    if negative and len(sections) > 1:
        parts, number = sections[1], -number  # the negative section writes its own sign
    elif number == 0 and len(sections) > 2:
        parts = sections[2]
    if any(k == "date" for k, _ in parts):
        return None  # a number under a date code: calamine hands over dates as dates
    return _number_text(number, parts)


@lru_cache(maxsize=512)
def _sections(code: str) -> tuple[Parts, ...] | None:
    sections: list[Parts] = [[]]
    for m in _TOKEN.finditer(code):
        kind = m.lastgroup
        text = m.group(kind) if kind else ""
        part = sections[-1]
        if kind == "other" and text == ";":
            sections.append([])
        elif kind in ("quoted", "escaped"):
            part.append(("lit", text))
        elif kind == "tag":
            if re.match(r"(?i)dbnum|[hms]+$", text) or text.startswith("$") and "-" not in text:
                return None  # Chinese numerals, elapsed time, a currency sign we cannot place
            # colours, conditions ([>=100]) and locales ([$-804]) change nothing in the text
        elif kind == "pad":
            continue
        elif kind == "ampm":
            part.append(("ampm", text))
        elif kind == "date":
            part.append(("date", text.lower()))
        elif kind == "general":
            part.append(("num", "G"))
        elif text in "0#?.,%":
            part.append(("num", text))
        elif text == "/":
            part.append(("slash", text))  # a date's separator, or a fraction (not rendered)
        elif text in "Ee":
            return None  # scientific notation
        elif text == "@":
            part.append(("text", text))
        else:
            part.append(("lit", text))
    return tuple(sections)


def _literal_around(parts: Parts, text: str) -> str:
    return "".join(text if k == "text" else t for k, t in parts if k in ("lit", "text"))


def _number_text(number: float, parts: Parts) -> str | None:
    spec = "".join(t for k, t in parts if k == "num")
    if any(k == "slash" for k, _ in parts):
        return None  # a fraction (# ?/?)
    if "G" in spec:  # General with text around it: 'General"所"' (G/通用格式"所")
        plain = str(int(number)) if float(number).is_integer() else f"{number:.10g}"
        return "".join(plain if k == "num" else t for k, t in parts if k in ("lit", "num"))
    if not spec.strip(".,%"):
        return "".join(t for k, t in parts if k == "lit") or None  # a section of text only
    number *= 100 ** spec.count("%")
    body = spec.replace("%", "")
    trailing = len(body) - len(body.rstrip(","))  # "#,##0,": thousands; "0.0,,": millions
    number /= 1000**trailing
    integer, _, fraction = body.rstrip(",").partition(".")
    grouping = "," in integer.rstrip(",")
    decimals = sum(1 for ch in fraction if ch in "0#?")
    optional = len(fraction.rstrip(",")) - len(fraction.rstrip(",").rstrip("#?"))
    amount = Decimal(repr(abs(number))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    digits = f"{amount:,.{decimals}f}" if grouping else f"{amount:.{decimals}f}"
    if optional:  # "0.0#": the # places show only digits that are there
        head, _, tail = digits.partition(".")
        keep = decimals - optional
        tail = tail[:keep] + tail[keep:].rstrip("0")
        digits = f"{head}.{tail}" if tail else head
    min_int = integer.count("0")
    head, dot, tail = digits.partition(".")
    if head.replace(",", "") == "0" and min_int == 0:
        head = ""  # "#.00" shows 0.5 as .50
    elif len(head.replace(",", "")) < min_int:
        head = head.replace(",", "").zfill(min_int)
    digits = head + dot + tail
    sign = "-" if number < 0 and amount != 0 else ""
    out: list[str] = []
    placed = False
    for kind, text in parts:
        if kind == "lit":
            out.append(text)
        elif kind == "num" and not placed and text != "%":
            out.append(sign + digits)
            placed = True
        elif kind == "num" and text == "%":
            out.append("%")
    return "".join(out)


def _date_text(value: dt.date, parts: Parts) -> str | None:
    """A code with Chinese text in it ('yyyy"年"m"月"底') as written; a code of digits and separators
    (mm-dd-yy, whose order is the reader's locale, not the file's) as 2025年6月30日 with the parts
    it shows: what such a code tells is how precise the date is."""
    when = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
    if not any(k == "lit" and not t.isascii() for k, t in parts):
        return _precise(when, parts)
    twelve = any(k == "ampm" for k, _ in parts)
    out: list[str] = []
    dates = [i for i, (k, _) in enumerate(parts) if k == "date"]
    for i, (kind, text) in enumerate(parts):
        if kind in ("lit", "slash"):
            out.append(text)
        elif kind == "ampm":
            am = when.hour < 12
            out.append({"上午/下午": "上午" if am else "下午", "AM/PM": "AM" if am else "PM"}.get(text, text))
        elif kind == "date":
            out.append(_date_token(when, text, _is_minute(parts, dates, i), twelve))
    return "".join(out).strip() or None


def _is_minute(parts: Parts, dates: list[int], i: int) -> bool:
    """An m is minutes right after an h or right before an s (ECMA-376 §18.8.31)."""
    if not parts[i][1].startswith("m") or len(parts[i][1]) > 2:
        return False
    k = dates.index(i)
    before = parts[dates[k - 1]][1] if k > 0 else ""
    after = parts[dates[k + 1]][1] if k + 1 < len(dates) else ""
    return before.startswith("h") or after.startswith("s")


def _date_token(when: dt.datetime, token: str, minute: bool, twelve: bool) -> str:
    c, n = token[0], len(token)
    if c == "y":
        return f"{when.year % 100:02d}" if n <= 2 else str(when.year)
    if c == "e":
        return str(when.year)
    if c == "m" and minute:
        return f"{when.minute:02d}" if n == 2 else str(when.minute)
    if c == "m":
        return f"{when.month:02d}" if n == 2 else str(when.month) if n == 1 else f"{when.month}月"
    if c == "d":
        if n >= 3:
            return f"星期{_WEEKDAYS[when.weekday()]}" if n == 4 else f"周{_WEEKDAYS[when.weekday()]}"
        return f"{when.day:02d}" if n == 2 else str(when.day)
    if c == "a":
        return f"星期{_WEEKDAYS[when.weekday()]}" if n == 4 else f"周{_WEEKDAYS[when.weekday()]}"
    if c == "h":
        hour = (when.hour % 12 or 12) if twelve else when.hour
        return f"{hour:02d}" if n == 2 else str(hour)
    return f"{when.second:02d}" if n == 2 else str(when.second)


def _precise(when: dt.datetime, parts: Parts) -> str | None:
    dates = [i for i, (k, _) in enumerate(parts) if k == "date"]
    shows = {"minute" if _is_minute(parts, dates, i) else parts[i][1][:1] for i in dates}
    shows |= {"day" for i in dates if parts[i][1] in ("d", "dd")}  # ddd/aaa: a weekday, no day
    text = f"{when.year}年" if shows & {"y", "e"} else ""
    text += f"{when.month}月" if "m" in shows else ""
    text += f"{when.day}日" if "day" in shows else ""
    if "h" in shows and (when.hour or when.minute):
        text += f" {when.hour}:{when.minute:02d}"
    return text.strip() or None
