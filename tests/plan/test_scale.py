"""The scale check of reported values: refusals for impossible percentages, questions for slips."""

from __future__ import annotations

import pytest

from duban.plan.scale import check_value


@pytest.mark.parametrize(
    ("value", "target", "unit", "comparator", "level", "words"),
    [
        (8, 93, "%", ">=", "ask", "是否为 8%？"),  # the example: 8 typed for a 93% target
        (9000, 95, "%", ">=", "refuse", "0 到 100"),  # 9000 for a 95% rate is no percentage
        (-1, 95, "%", ">=", "refuse", "0 到 100"),
        (0.95, 95, "%", ">=", "ask", "请填 95"),  # a fraction for a percentage
        (94.8, 95, "%", ">=", None, ""),
        (60, 93, "%", ">=", None, ""),  # behind, but on the scale: news, not a slip
        (100, 100, "%", "=", None, ""),
        (3, 3000, "人", ">=", "ask", "是否为 3人？"),  # 3 for 3000 people
        (3100, 3000, "人", ">=", None, ""),
        (300000, 3000, "人", ">=", "ask", "目标为 3000人"),
        (0, 10, "所", ">=", None, ""),  # nothing done yet is an answer, not a slip
        (3, 2, "个百分点", "delta+", None, ""),  # a change has no scale to compare with
        (5, None, "", "=", None, ""),
    ],
)
def test_check_value(value, target, unit, comparator, level, words):
    got = check_value(value, target=target, unit=unit, comparator=comparator)
    if level is None:
        assert got is None
    else:
        assert got is not None and got.level == level and words in got.message
