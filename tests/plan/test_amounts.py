"""Every amount rule against its own example, and the figures the rules must leave alone."""

import pytest

from duban.plan.amounts import RULES, candidates, drop_reasons

ALL_RULES = list(dict.fromkeys(r for rules in RULES.values() for r in rules))


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.__name__)
def test_each_rule_drops_the_figure_of_its_example(rule) -> None:
    assert rule.__doc__, "every rule says why in its docstring"
    reasons = drop_reasons(rule.example)
    hits = [match for match, names in reasons if rule.__name__ in names]
    assert hits, f"{rule.__name__} does not fire on its example: {reasons}"
    assert not any(rule.example.find(match) == c.start for match in hits for c in candidates(rule.example))


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("新建3所学校", 3, "所"),
        ("连续3年保持", 3, "年"),
        ("年底前5所学校完成改造", 5, "所"),
        ("培训教师两次", 2, "次"),
        ("毛入园率达到百分之九十", 90, "%"),
        ("生师比1:15", 1 / 15, "比"),
        ("三个“100%”", 100, "%"),
        ("建成xx所", None, "所"),
        ("招收700-800人", 700, "人"),
        ("平均分提高12.5分", 12.5, "分"),
    ],
)
def test_amounts_no_rule_drops(text: str, value: float | None, unit: str) -> None:
    (c,) = candidates(text)
    assert (c.unit, c.value if value is None else round(c.value, 4)) == (
        unit,
        None if value is None else round(value, 4),
    )
