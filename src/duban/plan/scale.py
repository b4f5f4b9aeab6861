"""Is a reported value on the target's scale? Asked before a report is saved.

A unit types figures by hand, often on a phone: 8 for a 93% rate (a slip, or really 8%?), 0.95 for
95%, 3 for 3000 people. A value that cannot be a percentage (outside 0-100) is refused with the
reason; a value far off the target's scale is asked about ("是否为 8%？") and saved once confirmed.
Pure: the target's comparator, value and unit are all it needs.
"""

from __future__ import annotations

from dataclasses import dataclass

PERCENT = frozenset({"%", "％"})
FAR = 10.0  # a value this many times smaller or larger than the target is off the target's scale
FAR_PERCENT = 5.0  # a rate is tighter: 8 against 93 is a question, 60 against 93 is news


@dataclass(frozen=True)
class Check:
    level: str  # "refuse": never saved / "ask": saved once the unit confirms it
    message: str


def _fmt(x: float) -> str:
    return f"{x:g}"


def check_value(value: float, *, target: float | None, unit: str, comparator: str = "=") -> Check | None:
    """None when the value is plausible for the target, else the refusal or the question."""
    if unit in PERCENT:
        if not 0 <= value <= 100:
            return Check("refuse", f"{_fmt(value)} 不是有效的百分比：比率应在 0 到 100 之间（单位为 %）")
        if 0 < value <= 1 and target is not None and target > 1:
            return Check(
                "ask", f"是否为 {_fmt(value)}%？目标为 {_fmt(target)}%，如是小数请填 {_fmt(value * 100)}"
            )
    if comparator.startswith("delta") or target is None or target <= 0 or value <= 0:
        # a change ("提高2个百分点"), a target without a figure, or nothing done yet: no scale to compare
        return None
    far = FAR_PERCENT if unit in PERCENT else FAR
    if value * far < target or value > target * far:
        return Check("ask", f"是否为 {_fmt(value)}{unit}？目标为 {_fmt(target)}{unit}，请核对数值和单位")
    return None
