"""A small ledger in a known state for the export tests (on SQLite and PostgreSQL).

Plan: small_plan() (一/1 新建幼儿园10所, 一/2 毛入园率≥94.5%, 二/1 新招聘补充教师≥3000人).
- 一/1 assigned to 基础教育科 with 财务科, reported 4 then 10 幼儿园, closed on 2024-07-01 (on time);
- 一/2 assigned to 基础教育科, due 2024-06-30, reported 93%: overdue on 2024-07-10, target not met;
- 二/1 assigned to 人事科, never reported (missing in both periods).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pytest
from sqlalchemy import select

from duban.ledger import plans, reports, tasks
from duban.ledger.models import Plan, Quantity, Task, Unit
from duban.ledger.users import Actor
from tests.conftest import small_plan

NOW = datetime(2024, 7, 10, 9, 0)
SUP = Actor("dc1", "supervisor")


@dataclass
class World:
    plan_id: int
    units: dict[str, int]
    tasks: dict[str, int]
    quantities: dict[str, int]


def _ids(session, plan_id: int) -> tuple[dict[str, int], dict[str, int]]:
    t = dict(session.execute(select(Task.path, Task.id).where(Task.plan_id == plan_id)).all())
    q = dict(session.execute(select(Quantity.text, Quantity.id).where(Quantity.plan_id == plan_id)).all())
    return t, q


@pytest.fixture
def plan_only(session) -> World:
    return build_plan_only(session)


@pytest.fixture
def world(session) -> World:
    return build_world(session)


def build_plan_only(session) -> World:
    """small_plan imported, units created, nothing assigned."""
    units = [Unit(name=n) for n in ("基础教育科", "财务科", "人事科")]
    session.add_all(units)
    session.commit()
    plans.import_plan(session, plan=small_plan(), content=b"plan", name="plan.txt")
    plan_id = session.execute(select(Plan.id)).scalar_one()
    t, q = _ids(session, plan_id)
    return World(plan_id, {u.name: u.id for u in units}, t, q)


def build_world(session) -> World:
    """The plan assigned, reported in two periods, one task closed (see the module docstring)."""
    w = build_plan_only(session)
    u, t, q = w.units, w.tasks, w.quantities
    assigned = datetime(2024, 3, 1)
    tasks.transition(
        session,
        actor=SUP,
        task_id=t["一/1"],
        action="assign",
        lead_unit_id=u["基础教育科"],
        co_unit_ids=[u["财务科"]],
        now=assigned,
    )
    tasks.transition(
        session,
        actor=SUP,
        task_id=t["一/2"],
        action="assign",
        lead_unit_id=u["基础教育科"],
        due_date=date(2024, 6, 30),
        now=assigned,
    )
    tasks.transition(
        session, actor=SUP, task_id=t["二/1"], action="assign", lead_unit_id=u["人事科"], now=assigned
    )
    p1 = reports.create_period(
        session,
        actor=SUP,
        name="2024-03",
        start=date(2024, 3, 1),
        end=date(2024, 3, 31),
        cutoff=datetime(2024, 4, 5),
    )
    p2 = reports.create_period(
        session,
        actor=SUP,
        name="2024-06",
        start=date(2024, 6, 1),
        end=date(2024, 6, 30),
        cutoff=datetime(2024, 7, 5),
    )
    jj = Actor("jj1", "unit_member", unit_id=u["基础教育科"])
    reports.submit(
        session,
        actor=jj,
        unit_id=u["基础教育科"],
        period_id=p1.id,
        entries=[
            reports.Entry(
                task_id=t["一/1"], work_done="已开工4所", percent=40, values={q["新建幼儿园10所"]: 4}
            ),
            reports.Entry(task_id=t["一/2"], percent=50, values={q["学前三年毛入园率达到94.5%以上"]: 92}),
        ],
        now=datetime(2024, 4, 2),
    )
    reports.submit(
        session,
        actor=jj,
        unit_id=u["基础教育科"],
        period_id=p2.id,
        entries=[
            reports.Entry(
                task_id=t["一/1"],
                work_done="10所幼儿园全部竣工",
                percent=100,
                values={q["新建幼儿园10所"]: 10},
            ),
            reports.Entry(task_id=t["一/2"], percent=90, values={q["学前三年毛入园率达到94.5%以上"]: 93}),
        ],
        now=datetime(2024, 7, 6),  # after the cut-off: late
    )
    tasks.transition(
        session, actor=jj, task_id=t["一/1"], action="request_closeout", now=datetime(2024, 7, 1)
    )
    tasks.transition(session, actor=SUP, task_id=t["一/1"], action="close", now=datetime(2024, 7, 1))
    return w
