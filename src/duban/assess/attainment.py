"""Is a target met by an actual figure? One rule for every caller (reconcile, summary draft, scores)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

State = Literal["met", "not_met", "unknown"]
STATE_NAMES = {"met": "已完成", "not_met": "未完成", "unknown": "无法判断", "not_mentioned": "未提及"}
EPS = 1e-9


@dataclass(frozen=True)
class Figure:
    """A quantity reduced to what comparison needs (normalised value and unit when the ledger has them)."""

    comparator: str  # = >= <= > < range delta+ delta-
    value: float | None
    unit: str
    value_high: float | None = None
    placeholder: bool = False


def attainment(target: Figure, actual: Figure) -> State:
    """met / not_met when the two figures can be compared, else unknown (redacted, other unit, a change)."""
    if target.placeholder or actual.placeholder or target.value is None or actual.value is None:
        return "unknown"
    if target.unit != actual.unit:
        return "unknown"
    t, a = target.value, actual.value
    delta = {"delta+", "delta-"}
    if (target.comparator in delta) != (actual.comparator in delta):
        return "unknown"  # a change against a level: no baseline to relate them
    cmp = target.comparator
    if cmp == "delta-":
        ok = a >= t - EPS  # "减少N": a reported decrease of at least N
    elif cmp in ("<=",):
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
