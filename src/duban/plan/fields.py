"""Field lines of a task (目标任务：… / 工作措施：… / 责任科室：…) and the units they name.

Field names are matched on the simplified-character copy of a line; field texts and unit
names are kept as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Canonical field name -> the names plans use for it.
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "目标任务": ("目标任务", "任务目标", "工作目标", "主要目标", "预期目标", "量化指标", "工作任务"),
    "工作措施": (
        "工作措施",
        "工作举措",
        "具体措施",
        "主要措施",
        "推进措施",
        "保障措施",
        "实施措施",
        "具体举措",
    ),
    "牵头单位": ("牵头单位", "牵头科室", "牵头部门", "主责单位", "主办单位", "牵头领导"),
    "责任单位": (
        "责任科室",
        "责任单位",
        "责任部门",
        "责任处室",
        "责任股室",
        "负责单位",
        "负责科室",
        "责任主体",
    ),
    "配合单位": ("配合单位", "配合科室", "配合部门", "协办单位", "协同单位", "参与单位"),
    "完成时限": ("完成时限", "完成时间", "时间节点", "时限要求", "进度安排", "时间安排"),
}
UNIT_FIELDS = ("牵头单位", "责任单位", "配合单位")
CO_UNIT_FIELD = "配合单位"

_ALIAS = {alias: canon for canon, aliases in FIELD_NAMES.items() for alias in aliases}
_NAMES = "|".join(sorted(_ALIAS, key=len, reverse=True))
# "责任科室：…" at the start of a line (after an optional bullet); also "【责任科室】…"
FIELD_LINE = re.compile(rf"^[\s•·●◆■□]*[【\[]?(?P<name>{_NAMES})[】\]]?\s*[:：]\s*(?P<value>.*)$")
# "（责任科室：组干科、机关党委）" or "（牵头单位：…；配合单位：…）" at the end of a paragraph
INLINE_UNITS = re.compile(
    rf"[(（](?P<inner>(?:{_NAMES})\s*[:：][^()（）]*(?:[(（][^()（）]*[)）][^()（）]*)*)[)）]\s*[。.；;]?\s*$"
)
_INLINE_PART = re.compile(rf"(?P<name>{_NAMES})\s*[:：]\s*(?P<value>[^；;]*)")


@dataclass(frozen=True)
class FieldLine:
    name: str  # canonical field name
    label: str  # as written
    value: str  # text after the colon, as written


def match_field_line(line_for_matching: str, original: str) -> FieldLine | None:
    """A field line; `line_for_matching` is the simplified copy of `original` (same length)."""
    m = FIELD_LINE.match(line_for_matching)
    if not m:
        return None
    name = m.group("name")
    return FieldLine(
        _ALIAS[name], original[m.start("name") : m.end("name")], original[m.start("value") :].strip()
    )


def match_inline_units(text_for_matching: str, original: str) -> tuple[list[FieldLine], int] | None:
    """Units in a closing parenthesis of a paragraph: the fields and where the parenthesis starts."""
    m = INLINE_UNITS.search(text_for_matching)
    if not m:
        return None
    fields = []
    for part in _INLINE_PART.finditer(text_for_matching, m.start("inner"), m.end("inner")):
        name = part.group("name")
        fields.append(
            FieldLine(
                _ALIAS[name],
                original[part.start("name") : part.end("name")],
                original[part.start("value") : part.end("value")].strip(),
            )
        )
    return fields, m.start()


_SEPARATORS = set("、，,;；/")
_OPEN, _CLOSE = "(（[【", ")）]】"


def split_units(value: str) -> list[str]:
    """'基教科、规划财务（审计）科，督导室。' -> ['基教科', '规划财务（审计）科', '督导室'].

    Separators inside parentheses do not split ("局机关各科室（馆、站）" is one unit).
    """
    return list(_split_units(value))


@lru_cache(maxsize=4096)
def _split_units(value: str) -> tuple[str, ...]:
    # cached: a task table names the same few units on every row
    units, buf, depth = [], [], 0
    for ch in value:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        if depth == 0 and (ch in _SEPARATORS or ch.isspace()):
            units.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    units.append("".join(buf))
    cleaned = []
    for u in units:
        u = u.strip().rstrip("。.：:").strip()
        u = re.sub(r"^(?:等|和|及)|(?:等(?:单位|部门|科室)?)$", "", u).strip()
        if u and u not in cleaned:
            cleaned.append(u)
    return tuple(cleaned)
