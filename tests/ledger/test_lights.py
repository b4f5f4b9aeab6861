from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import update

from duban.ledger import lights, reports, tasks
from duban.ledger.config import LightConfig
from duban.ledger.models import Task

from .test_tasks import World

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


def test_status_rows_and_unit_completion(session):
    w = World(session)
    sup = w.actors["supervisor"]
    w.do("assign", "supervisor", lead_unit_id=w.lead, due_date=date(2024, 6, 30))
    session.execute(update(Task).values(assigned_at=datetime(2024, 1, 1)))
    session.commit()
    reports.create_period(
        session,
        actor=sup,
        name="2024-03",
        start=date(2024, 3, 1),
        end=date(2024, 3, 31),
        cutoff=datetime(2024, 4, 5),
    )
    # after the cut-off without a report: yellow
    rows = lights.status_rows(session, now=datetime(2024, 4, 10), cfg=CFG)
    assert [(r.task_id, r.light, r.report_missing) for r in rows] == [(w.task_id, "yellow", True)]
    p = reports.get_period(session, name="2024-03")
    reports.submit(
        session,
        actor=w.actors["lead_member"],
        unit_id=w.lead,
        period_id=p.id,
        entries=[reports.Entry(task_id=w.task_id, percent=50)],
        now=datetime(2024, 4, 6),
    )
    rows = lights.status_rows(session, now=datetime(2024, 4, 10), cfg=CFG)
    assert rows[0].light == "green" and rows[0].lead_unit == "基础教育科"
    assert (
        lights.status_rows(session, now=datetime(2024, 7, 2), cfg=CFG, only_light="red")[0].task_id
        == w.task_id
    )
    assert lights.status_rows(session, now=datetime(2024, 7, 2), cfg=CFG, unit_id=w.other) == []
    w.do("request_closeout", "lead_member")
    w.do("close", "supervisor")
    assert lights.status_rows(session, now=datetime(2024, 7, 2), cfg=CFG)[0].light == "green"
    (c,) = lights.unit_completion(session)
    assert (c.unit, c.tasks, c.closed, c.avg_percent, c.rate) == ("基础教育科", 1, 1, 50.0, 1.0)
    assert tasks.get_task(session, task_id=w.task_id).status == "closed"
