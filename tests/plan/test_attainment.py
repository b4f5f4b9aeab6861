import pytest

from duban.plan.attainment import Figure, attainment, reported


def f(cmp: str, v: float | None, unit: str = "%", **kw) -> Figure:
    return Figure(comparator=cmp, value=v, unit=unit, **kw)


def test_levels_reached_or_not():
    assert attainment(f(">=", 94.5), f("=", 95.1)) == "met"
    assert attainment(f("=", 93.5), f("=", 91)) == "not_met"
    assert attainment(f("range", 700, "人", value_high=800), f("=", 720, "人")) == "met"


def test_upper_bounds():
    assert attainment(f("<=", 5), f("=", 4.2)) == "met"
    assert attainment(f("<=", 5), f("=", 6)) == "not_met"
    assert attainment(f("=", 0, "个"), f("=", 2, "个")) == "not_met"
    assert attainment(f("=", 0, "个"), f("=", 0, "个")) == "met"


def test_cannot_tell():
    assert attainment(f(">=", 94.5), f("=", None, placeholder=True)) == "unknown"
    assert attainment(f(">=", 100, "所"), f("=", 120, "人")) == "unknown"
    assert attainment(f("delta+", 5), f("=", 96)) == "unknown"
    assert attainment(f("delta-", 10), f("delta-", 12)) == "met"


class _Target:
    """A target as the plan states it (the ledger's Quantity row has the same attributes)."""

    def __init__(self, comparator: str, value: float | None, unit: str, placeholder: bool = False):
        self.comparator, self.value, self.unit = comparator, value, unit
        self.value_high, self.placeholder = None, placeholder


@pytest.mark.parametrize(
    ("comparator", "target", "hit", "miss"),
    [
        ("=", 10, 10, 9.5),
        (">=", 94.5, 94.5, 94.4),
        ("<=", 5, 5, 5.1),
        ("delta+", 2, 2, 1.9),  # 比上年提高2个百分点: the reported figure is the change itself
        ("delta-", 10, 10, 9),  # 减少10所: a reported decrease of at least 10
    ],
)
def test_a_reported_value_against_each_comparator(comparator, target, hit, miss):
    t = _Target(comparator, target, "个")
    assert reported(t, hit) == "met"
    assert reported(t, miss) == "not_met"
    assert reported(t, None) == "unknown"  # a blank says nothing


def test_a_reported_value_against_a_redacted_target_cannot_tell():
    assert reported(_Target(">=", None, "%", placeholder=True), 95) == "unknown"
    assert reported(_Target("=", 0, "起"), 0) == "met"  # 零事故
    assert reported(_Target("=", 0, "起"), 1) == "not_met"
