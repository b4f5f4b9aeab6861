"""Clean the text of any reader: line ends, full-width variants, stray spaces, lost `·`, markup residue.

Never NFKC: it turns ① into 1, ⑴ into (1), ㈠ into (一) and so destroys list labels.
"""

from __future__ import annotations

import html
import re

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef"
_CJK_RE = re.compile(f"[{CJK}]")

# Full-width ASCII variants mapped to half-width: digits, Latin letters and a few symbols only.
# Chinese punctuation (，：；（）！？“”) stays as written.
_FULLWIDTH_SYMBOLS = "％＋－．／＜＞＝＃＆＊"
_TRANSLATE: dict[int, str | None] = {}
for _code in range(0xFF10, 0xFF1A):  # ０-９
    _TRANSLATE[_code] = chr(_code - 0xFEE0)
for _code in list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B)):  # Ａ-Ｚ ａ-ｚ
    _TRANSLATE[_code] = chr(_code - 0xFEE0)
for _ch in _FULLWIDTH_SYMBOLS:
    _TRANSLATE[ord(_ch)] = chr(ord(_ch) - 0xFEE0)
# Spaces of every width become a plain space; invisible characters go.
for _code in (0x3000, 0x00A0, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A):
    _TRANSLATE[_code] = " "
for _code in (0x202F, 0x205F):
    _TRANSLATE[_code] = " "
for _code in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD):
    _TRANSLATE[_code] = None
# C0 control characters other than tab and newline (pdfium reports a soft hyphen as U+0002).
for _code in list(range(0x00, 0x09)) + list(range(0x0E, 0x20)) + [0x7F]:
    _TRANSLATE[_code] = None
_TRANSLATE[0x2028] = "\n"
_TRANSLATE[0x2029] = "\n"
_TRANSLATE[0x0C] = "\n"  # form feed (pdftotext page break)
_TRANSLATE[0x0B] = "\n"  # vertical tab (Word manual line break in some exports)

_MARKUP_RESIDUE = re.compile(
    r"\[(?:bookmark|image|comment|footnote|endnote|anchor)\s*:[^\]\n]*\]"
    r"|<!--.*?-->"
    r"|</?(?:p|br|span|div|font|b|strong|em|i|u)\b[^<>\n]{0,200}>",
    re.IGNORECASE,
)
_ENTITY = re.compile(
    r"&(?:nbsp|ensp|emsp|thinsp|amp|lt|gt|quot|apos|ldquo|rdquo|lsquo|rsquo|middot|hellip|mdash|ndash|bull);"
    r"|&#\d{2,6};|&#x[0-9a-fA-F]{2,5};"
)

# `?`/`？` standing for a lost `·` between two CJK characters ("爱国?奋斗").
_LOST_DOT = re.compile(f"(?<=[{CJK}])[?？](?=[{CJK}])")
_QUESTION_WORDS = re.compile(
    r"(?:吗|呢|什么|怎|为何|如何|哪|谁|是否|几|多少|难道|岂)[^，。；：！？,;:!?]{0,8}$"
)

# Letter-spaced words ("承  德  市  教  育  局"): single CJK characters separated by spaces.
_LETTER_SPACED = re.compile(f"(?<![{CJK}])[{CJK}](?: +[{CJK}](?![{CJK}])){{2,}}")
_LETTER_SPACED_LINE = re.compile(f"^[{CJK}](?: +[{CJK}])+$")
_CJK_PUNCT = "，。、；：？！“”‘’（）《》〈〉【】「」『』〔〕…—·"
_SPACE_AROUND_PUNCT = re.compile(f" +(?=[{_CJK_PUNCT}])|(?<=[{_CJK_PUNCT}]) +")
_MULTI_SPACE = re.compile(r" {2,}")
_SPACE_BETWEEN_CJK_RUNS = re.compile(f"(?<=[{CJK}]) {{2,}}(?=[{CJK}])")


def _lost_dot(line: str) -> str:
    if "?" not in line and "？" not in line:
        return line

    def repl(m: re.Match[str]) -> str:
        before = line[max(0, m.start() - 12) : m.start()]
        if _QUESTION_WORDS.search(before):
            return m.group(0)
        return "·"

    return _LOST_DOT.sub(repl, line)


def _fix_spaces(line: str) -> str:
    if " " not in line:
        return line
    if _LETTER_SPACED_LINE.match(line):
        return line.replace(" ", "")
    line = _LETTER_SPACED.sub(lambda m: m.group(0).replace(" ", ""), line)
    line = _SPACE_AROUND_PUNCT.sub("", line)
    # A wide gap between two CJK words (a signature line "中共某某委员会      某某局") keeps one
    # space so the two names stay apart; other runs of spaces become one space.
    line = _SPACE_BETWEEN_CJK_RUNS.sub(" ", line)
    return _MULTI_SPACE.sub(" ", line)


def clean_line(line: str) -> str:
    """Clean one line (no newlines in it)."""
    line = line.strip()
    if not line:
        return ""
    line = _fix_spaces(line)
    return _lost_dot(line)


def clean_text(text: str) -> str:
    """Clean a whole text; keep empty lines as paragraph breaks; return lines joined by '\\n'."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in text:
        text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
    text = text.translate(_TRANSLATE)
    if "[" in text or "<" in text:
        text = _MARKUP_RESIDUE.sub("", text)
    lines = [clean_line(line) for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines)


def has_cjk(text: str) -> bool:
    return bool(_CJK_RE.search(text))
