"""A task decomposition table (任务分解表) pasted as text, turned into numbered lines with fields."""

from __future__ import annotations

from duban.plan.lines import Line


def expand_tables(lines: list[Line]) -> list[Line]:
    return lines
