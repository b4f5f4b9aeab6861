"""The dashboard: leaf tasks counted by heading and lead unit; the default plan."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from duban.ledger import plans, tasks
from duban.ledger.errors import PermissionDenied
from duban.ledger.models import Plan, Task
from duban.ledger.read.common import default_plan
from duban.ledger.read.dashboard import dashboard
from duban.ledger.users import SYSTEM, Actor, create_unit
from tests.conftest import small_plan
from tests.ledger.read.helpers import CFG, NOW, SUP, setup_plan


def test_dashboard_counts_leaves_by_heading_and_unit(session):
    ids = setup_plan(session)
    d = dashboard(session, actor=SUP, now=NOW, cfg=CFG).model_dump()
    assert d["plan"]["title"] == "某市教育局2024年工作要点"
    assert d["overall"]["tasks"] == 3  # leaves only
    assert d["overall"]["avg_percent"] == 0.0  # assigned, not reported: 0, not left out
    assert [h["label"] for h in d["by_heading"]] == ["一、推进学前教育普惠发展", "二、加强教师队伍建设"]
    assert {u["label"] for u in d["by_unit"]} == {"基础教育科", "人事科"}
    assert d["lights"]["red"] == 1 and [o["id"] for o in d["overdue"]] == [ids["t二/1"]]
    only = dashboard(session, actor=SUP, now=NOW, cfg=CFG, unit_id=ids["人事科"])
    assert only.overall.tasks == 1
    with pytest.raises(PermissionDenied):
        dashboard(session, actor=Actor("u", "unit_member", unit_id=ids["人事科"]), now=NOW, cfg=CFG)


def test_default_plan_is_the_newest_being_run(session):
    assert default_plan(session) is None
    plans.import_plan(session, plan=small_plan(year=2023, title="2023年工作要点"), content=b"a", name="a.txt")
    plans.import_plan(session, plan=small_plan(year=2024, title="2024年工作要点"), content=b"b", name="b.txt")
    assert default_plan(session).title == "2024年工作要点"  # nothing assigned: the newest
    unit = create_unit(session, actor=SYSTEM, name="基础教育科")
    old = session.execute(select(Task).join(Plan).where(Plan.year == 2023, Task.level == 2)).scalars().first()
    tasks.assign(session, actor=SYSTEM, task_id=old.id, lead_unit_id=unit.id)
    assert default_plan(session).title == "2023年工作要点"  # the one with assigned tasks
