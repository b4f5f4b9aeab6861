"""The lights of the current tasks as read from the ledger: report periods, filters, reported values."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import update

from duban.ledger import reports, tasks
from duban.ledger.config import LightConfig
from duban.ledger.models import Task
from duban.ledger.read.lights import status_rows
from tests.ledger.test_tasks import World

CFG = LightConfig(due_soon_days=7, behind_tolerance=15)


def test_status_rows_light_every_current_task(session):
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
    rows = status_rows(session, now=datetime(2024, 4, 10), cfg=CFG)
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
    rows = status_rows(session, now=datetime(2024, 4, 10), cfg=CFG)
    assert rows[0].light == "green" and rows[0].lead_unit == "基础教育科"
    assert status_rows(session, now=datetime(2024, 7, 2), cfg=CFG, only_light="red")[0].task_id == w.task_id
    assert status_rows(session, now=datetime(2024, 7, 2), cfg=CFG, unit_id=w.other) == []
    w.do("request_closeout", "lead_member")
    w.do("close", "supervisor")
    assert status_rows(session, now=datetime(2024, 7, 2), cfg=CFG)[0].light == "green"
    assert tasks.get_task(session, task_id=w.task_id).status == "closed"


def test_a_reported_value_short_of_its_target_turns_the_light(session):
    from tests.exports.conftest import NOW, build_world

    w = build_world(session)
    tid = w.tasks["一/2"]  # reported 93% against 94.5%, but overdue at NOW: red wins
    rows = {r.task_id: r for r in status_rows(session, now=NOW, cfg=CFG)}
    assert (rows[tid].light, rows[tid].rule) == ("red", "overdue")
    early = datetime(2024, 5, 10)  # before the deadline, progress 90%: only the figure is short
    rows = {r.task_id: r for r in status_rows(session, now=early, cfg=CFG)}
    assert (rows[tid].light, rows[tid].rule) == ("yellow", "target_short")
    assert rows[tid].rule_name == "报送值未达到目标"
    red = status_rows(session, now=early, cfg=LightConfig(target_short="red"), only_light="red")
    assert [r.task_id for r in red] == [tid]


def test_many_tasks_are_judged_by_subquery_alike(session, monkeypatch):
    """Beyond BY_SUBQUERY tasks to judge, the targets are read by a subquery: the same lights."""
    from duban.ledger.read import lights
    from tests.exports.conftest import build_world

    build_world(session)
    early = datetime(2024, 5, 10)
    by_ids = status_rows(session, now=early, cfg=CFG)
    assert "target_short" in {r.rule for r in by_ids}
    monkeypatch.setattr(lights, "BY_SUBQUERY", 0)
    assert status_rows(session, now=early, cfg=CFG) == by_ids
