from __future__ import annotations

from datetime import date

import pytest

from duban.ledger import lights
from duban.ledger.config import LightConfig, load_config

CFG = LightConfig(due_soon_days=7, behind_tolerance=15)
D = date(2024, 6, 30)
A = date(2024, 1, 1)


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        ({"status": "unassigned"}, ""),
        ({"status": "closed", "today": date(2024, 8, 1)}, "green"),
        ({"today": date(2024, 7, 1)}, "red"),
        ({"today": date(2024, 6, 25), "percent": 95}, "blue"),
        ({"today": date(2024, 3, 31), "percent": 45}, "green"),
        ({"today": date(2024, 3, 31), "percent": 20}, "yellow"),  # half the time gone, 20% done
        ({"today": date(2024, 3, 31), "percent": 45, "report_missing": True}, "yellow"),
        ({"today": date(2024, 6, 25), "percent": 10}, "yellow"),  # behind beats due soon
        ({"status": "closeout_requested", "today": date(2024, 3, 31), "percent": 0}, "green"),
    ],
)
def test_light_rule(kw, expected):
    args = {"status": "in_progress", "due_date": D, "today": date(2024, 2, 1), "assigned_on": A, "cfg": CFG}
    assert lights.light(**{**args, **kw}) == expected


def test_thresholds_come_from_configuration():
    args = {
        "status": "in_progress",
        "due_date": D,
        "today": date(2024, 6, 10),
        "assigned_on": A,
        "percent": 100,
    }
    assert lights.light(**args, cfg=LightConfig(due_soon_days=7)) == "green"
    assert lights.light(**args, cfg=LightConfig(due_soon_days=30)) == "blue"


def test_config_file(tmp_path):
    from duban.ledger.config import load_config

    f = tmp_path / "duban.toml"
    f.write_text(
        "[lights]\ndue_soon_days = 10\n[reminders]\ndays_before = [14, 7, 1]\noverdue_cap = 3\n"
        '[smtp]\nhost = "127.0.0.1"\nport = 2525\n',
        encoding="utf-8",
    )
    cfg = load_config(f)
    assert cfg.lights.due_soon_days == 10 and cfg.reminders.days_before == (14, 7, 1)
    assert cfg.smtp.port == 2525 and cfg.reminders.overdue_cap == 3
    assert load_config(tmp_path / "none.toml").lights.due_soon_days == 7


@pytest.mark.parametrize(
    ("kw", "cfg", "expected"),
    [
        ({"today": date(2024, 7, 1)}, CFG, ("red", "overdue")),
        ({"today": date(2024, 3, 31), "percent": 20}, CFG, ("yellow", "behind")),
        (
            {"today": date(2024, 3, 31), "percent": 5},
            LightConfig(behind_red_points=40),
            ("red", "behind_red"),
        ),
        (
            {"today": date(2024, 3, 31), "percent": 20},
            LightConfig(behind_red_points=40),
            ("yellow", "behind"),
        ),
        (
            {"today": date(2024, 3, 31), "percent": 45, "report_missing": True},
            CFG,
            ("yellow", "report_missing"),
        ),
        (
            {"today": date(2024, 3, 31), "percent": 45, "report_missing": True},
            LightConfig(report_missing_is_yellow=False),
            ("green", "on_track"),
        ),
        ({"today": date(2024, 3, 31), "percent": 60, "target_short": True}, CFG, ("yellow", "target_short")),
        (
            {"today": date(2024, 3, 31), "percent": 60, "target_short": True},
            LightConfig(target_short="red"),
            ("red", "target_short"),
        ),
        (
            {"today": date(2024, 3, 31), "percent": 60, "target_short": True},
            LightConfig(target_short=""),
            ("green", "on_track"),
        ),
        ({"today": date(2024, 6, 25), "percent": 95}, CFG, ("blue", "due_soon")),
        ({"status": "closed", "today": date(2024, 8, 1)}, CFG, ("green", "closed")),
        (
            {"status": "closeout_requested", "today": date(2024, 3, 31), "target_short": True},
            CFG,
            ("green", "on_track"),
        ),
    ],
)
def test_each_rule_says_its_name(kw, cfg, expected):
    args = {"status": "in_progress", "due_date": D, "today": date(2024, 2, 1), "assigned_on": A, "percent": 0}
    assert lights.light_rule(**{**args, **kw}, cfg=cfg) == expected
    assert lights.RULE_NAMES[expected[1]]


def test_elapsed_share_is_the_time_gone():
    assert lights.elapsed_share(assigned_on=A, due_date=date(2024, 1, 11), today=date(2024, 1, 6)) == 50.0
    assert lights.elapsed_share(assigned_on=A, due_date=A, today=A) is None
    assert lights.elapsed_share(assigned_on=A, due_date=date(2024, 1, 11), today=date(2023, 12, 1)) == 0.0


def test_light_rules_from_the_config_file(tmp_path):
    f = tmp_path / "duban.toml"
    f.write_text('[lights]\nbehind_red_points = 50\ntarget_short = "red"\n', encoding="utf-8")
    cfg = load_config(f).lights
    assert (cfg.behind_red_points, cfg.target_short) == (50, "red")
    f.write_text('[lights]\ntarget_short = "blue"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="target_short"):
        load_config(f)


def test_needs_targets_says_exactly_when_a_short_target_can_change_the_light():
    """status_rows reads reported figures only for tasks `needs_targets` names: for every other task
    the light is the same whether a target is short or not, under every target_short setting."""
    from itertools import product

    from duban.ledger.lights import light_rule, needs_targets

    today = date(2024, 7, 1)
    statuses = ("unassigned", "assigned", "signed", "in_progress", "returned", "closeout_requested", "closed")
    dues = (None, date(2024, 6, 1), today, date(2024, 7, 5), date(2024, 12, 31))
    for status, due, mode in product(statuses, dues, ("", "yellow", "red")):
        cfg = LightConfig(target_short=mode)
        args = dict(
            status=status, due_date=due, today=today, cfg=cfg, percent=90.0, assigned_on=date(2024, 1, 1)
        )
        if not needs_targets(status=status, due_date=due, today=today):
            assert light_rule(**args, target_short=True) == light_rule(**args, target_short=False), (
                status,
                due,
            )
    assert needs_targets(status="in_progress", due_date=today, today=today)  # due today: not yet overdue
