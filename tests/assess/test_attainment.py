from duban.assess.attainment import Figure, attainment


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
