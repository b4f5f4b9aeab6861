"""Task list filters and paging, the task detail with targets over time, the allowed actions, the timeline."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from duban.ledger import reports, tasks
from duban.ledger.models import Quantity
from duban.ledger.read.dashboard import dashboard
from duban.ledger.read.tasks import TaskFilter, allowed_actions, list_tasks, task_detail
from duban.ledger.read.timeline import timeline
from duban.ledger.users import Actor
from tests.ledger.read.helpers import CFG, NOW, SUP, setup_plan


def test_task_list_filters_and_pages(session):
    ids = setup_plan(session)
    run = lambda **kw: list_tasks(  # noqa: E731
        session, actor=SUP, filters=TaskFilter(**kw), now=NOW, cfg=CFG
    )
    assert run(overdue=True).total == 1 and run(overdue=True).items[0].id == ids["t二/1"]
    assert [r.id for r in run(light="red").items] == [ids["t二/1"]]
    assert run(status="unassigned").total == 3
    assert run(unit_id=ids["财务科"]).items[0].co_units == ["财务科"]
    assert run(q="幼儿园").total == 1
    assert run(q="5%以上").total == 1 and run(q="_").total == 0  # LIKE wildcards are text
    assert {r.id for r in run(heading_id=ids["t一"]).items} == {ids["t一"], ids["t一/1"], ids["t一/2"]}
    page2 = run(per_page=2, page=2)
    assert page2.total == 5 and len(page2.items) == 2 and page2.pages == 3


def test_detail_targets_values_attainment_and_timeline(session):
    ids = setup_plan(session)
    tid = ids["t二/1"]
    qid = session.execute(
        select(Quantity.id).where(Quantity.task_id == tid, Quantity.role == "target")
    ).scalar_one()
    member = Actor("p", "unit_member", unit_id=ids["人事科"])
    for name, start, value in (
        ("2024年7月", date(2024, 7, 1), 1200.0),
        ("2024年8月", date(2024, 8, 1), 3100.0),
    ):
        p = reports.create_period(
            session, actor=SUP, name=name, start=start, end=start.replace(day=28), cutoff=datetime(2099, 1, 1)
        )
        entry = reports.Entry(task_id=tid, work_done="已招聘", percent=50.0, values={qid: value})
        reports.submit(
            session,
            actor=member,
            unit_id=ids["人事科"],
            period_id=p.id,
            entries=[entry],
            now=datetime.combine(start.replace(day=20), datetime.min.time()),
        )
    d = task_detail(session, actor=member, task_id=tid, now=NOW, cfg=CFG)
    t = d.targets[0]
    assert [v.value for v in t.values] == [1200.0, 3100.0]
    assert t.attainment == "met" and d.light == "red" and d.lead_unit.name == "人事科"
    assert "request_closeout" in d.actions and "close" not in d.actions
    events = timeline(session, actor=SUP, task_id=tid)
    titles = [e.title for e in events]
    assert [e.at for e in events] == sorted((e.at for e in events), reverse=True)  # newest first
    reported = [t for t in titles if t.startswith("报送进展")]
    assert reported == ["报送进展（2024年8月）", "报送进展（2024年7月）"]
    assert "交办" in titles and "开始办理" in titles
    assert any("人事科" in e.detail for e in events if e.title == "交办")
    att = dashboard(session, actor=SUP, now=NOW, cfg=CFG).attainment
    assert att.met == 1 and att.rows[0].actual == 3100.0


def test_allowed_actions_follow_rules_and_substates(session):
    ids = setup_plan(session)
    lead = Actor("a", "unit_member", unit_id=ids["基础教育科"])
    co = Actor("c", "unit_member", unit_id=ids["财务科"])
    task = tasks.get_task(session, task_id=ids["t一/1"])
    assert set(allowed_actions(lead, task)) == {"sign", "start", "request_extension", "contest"}
    assert allowed_actions(co, task) == ["sign", "contest"]
    assert allowed_actions(Actor("l", "leader"), task) == []
    assert set(allowed_actions(SUP, task)) == {"reassign"}
    tasks.transition(
        session, actor=co, task_id=task.id, action="contest", contest_kind="wording", reason="表述"
    )
    task = tasks.get_task(session, task_id=task.id)
    assert "contest" not in allowed_actions(co, task)
    assert {"accept_contest", "reject_contest"} <= set(allowed_actions(SUP, task))
