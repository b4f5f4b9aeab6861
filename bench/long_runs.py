"""Pathological long runs through the quantity and deadline extractors: they must stay linear.

    .venv/bin/python bench/long_runs.py

Prints the time of each input (the budget is 1 s each on a 2-core machine; these were wall-clock
asserts inside the unit tests, where a busy CI box made them flaky and a fast one hid nothing).
"""

from __future__ import annotations

import time

from duban.plan.deadlines import extract_deadlines
from duban.plan.quantities import extract_quantities

QUANTITY_JUNK = {"一×20000": "一" * 20000, "1×20000": "1" * 20000, "1:×10000": "1:" * 10000}
QUANTITY_JUNK |= {"1.1×5000": "1.1" * 5000, "x×20000": "x" * 20000}
DEADLINE_JUNK = {"1×20000": "1" * 20000, "2024年×4000": "2024年" * 4000, "上半年×5000": "上半年" * 5000}
BUDGET = 1.0


def timed(fn, text: str) -> float:  # noqa: ANN001
    t = time.perf_counter()
    fn(text)
    return time.perf_counter() - t


def main() -> None:
    print(f"{'extractor':<12} {'input':<14} {'seconds':>8}  (budget {BUDGET:g} s)")
    for name, text in QUANTITY_JUNK.items():
        s = timed(lambda x: extract_quantities(x, item="", role="target"), text)
        print(f"{'quantities':<12} {name:<14} {s:8.3f}{'  OVER' if s > BUDGET else ''}")
    for name, text in DEADLINE_JUNK.items():
        s = timed(lambda x: extract_deadlines(x, item="1", year=2024, kind="plan"), text)
        print(f"{'deadlines':<12} {name:<14} {s:8.3f}{'  OVER' if s > BUDGET else ''}")


if __name__ == "__main__":
    main()
