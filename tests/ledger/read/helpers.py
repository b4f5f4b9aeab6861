"""A small plan with three units and two assigned tasks, shared by the read-model and web tests."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from duban.ledger import plans, tasks
from duban.ledger.config import LightConfig
from duban.ledger.models import Task
from duban.ledger.users import SYSTEM, Actor, create_unit
from tests.conftest import small_plan

NOW = datetime(2024, 9, 10, 9, 0)
CFG = LightConfig()
SUP = Actor("sup", "supervisor")


def setup_plan(session) -> dict[str, int]:
    """Units, the small plan; 一/1 assigned to 基础教育科 + 财务科, 二/1 to 人事科 (due 2024-08-31: overdue)."""
    ids = {n: create_unit(session, actor=SYSTEM, name=n).id for n in ("基础教育科", "财务科", "人事科")}
    plans.import_plan(session, plan=small_plan(), content=b"v1", name="plan.txt")
    by_path = {t.path: t.id for t in session.execute(select(Task)).scalars()}
    tasks.assign(
        session,
        actor=SUP,
        task_id=by_path["一/1"],
        lead_unit_id=ids["基础教育科"],
        co_unit_ids=[ids["财务科"]],
        due_date=date(2099, 11, 30),
    )
    tasks.assign(
        session, actor=SUP, task_id=by_path["二/1"], lead_unit_id=ids["人事科"], due_date=date(2024, 8, 31)
    )
    return {**ids, **{f"t{p}": i for p, i in by_path.items()}}
