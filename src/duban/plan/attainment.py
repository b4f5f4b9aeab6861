"""Is a target met? The one rule, for every caller (task page, dashboard, reconcile, summary draft, scores).

Pure: it compares figures and needs no database, so it lives with the plan's quantities.
Two questions, two functions:
- `attainment(target, actual)`: two stated figures (a plan target against a summary's figure),
  each with its own comparator (a summary's "增加3个" is a change, "达到95%" a level);
- `reported(target, value)`: a number a unit filled in against a target. It is stated in the
  target's own unit, and for a change target (比上年提高2个百分点, 减少10所) it *is* the change,
  so 3 against 提高2个百分点 is met, never "unknown".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

State = Literal["met", "not_met", "unknown"]
STATE_NAMES = {"met": "已完成", "not_met": "未完成", "unknown": "无法判断", "not_mentioned": "未提及"}
EPS = 1e-9
DELTA = ("delta+", "delta-")


@dataclass(frozen=True)
class Figure:
    """A quantity reduced to what comparison needs (normalised value and unit when the ledger has them)."""

    comparator: str  # = >= <= > < range delta+ delta-
    value: float | None
    unit: str
    value_high: float | None = None
    placeholder: bool = False


class QuantityLike(Protocol):
    """A plan quantity or a ledger row of one: what a target states."""

    comparator: str
    value: float | None
    unit: str
    value_high: float | None
    placeholder: bool


def figure(q: QuantityLike) -> Figure:
    """A target as stated (its own value and unit, not normalised)."""
    return Figure(q.comparator, q.value, q.unit, q.value_high, q.placeholder)


def attainment(target: Figure, actual: Figure) -> State:
    """met / not_met when the two figures can be compared, else unknown (redacted, other unit, a change)."""
    if target.placeholder or actual.placeholder or target.value is None or actual.value is None:
        return "unknown"
    if target.unit != actual.unit:
        return "unknown"
    t, a = target.value, actual.value
    if (target.comparator in DELTA) != (actual.comparator in DELTA):
        return "unknown"  # a change against a level: no baseline to relate them
    cmp = target.comparator
    if cmp == "delta-":
        ok = a >= t - EPS  # "减少N": a reported decrease of at least N
    elif cmp == "<=":
        ok = a <= t + EPS
    elif cmp == "<":
        ok = a < t
    elif cmp == ">":
        ok = a > t
    elif cmp == "=" and abs(t) < EPS:
        ok = abs(a) < EPS  # "保持为0" (零事故, 大班额清零): only zero meets it
    else:  # = >= range delta+: a level or a change to reach
        ok = a >= t - EPS
    return "met" if ok else "not_met"


def reported(target: QuantityLike, value: float | None) -> State:
    """A reported value (in the target's unit; the change itself for a change target) against the target."""
    if value is None:
        return "unknown"  # a blank in the form says nothing
    comparator = target.comparator if target.comparator in DELTA else "="
    return attainment(figure(target), Figure(comparator, value, target.unit))
