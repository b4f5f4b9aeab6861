"""The supervision dashboard: completion overall, by heading and by lead unit, lights, overdue, attainment."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from duban.ledger import rates
from duban.ledger.clock import local_date
from duban.ledger.config import LightConfig
from duban.ledger.lights import LIGHTS
from duban.ledger.models import Task, TaskUnit, Unit
from duban.ledger.read.cache import kept
from duban.ledger.read.common import NOT_OVERDUE, default_plan, live_lights
from duban.ledger.read.lights import last_due_period
from duban.ledger.read.plans import get_plan
from duban.ledger.read.targets import Attainment, plan_attainment
from duban.ledger.read.visibility import require_overview
from duban.ledger.reports import CO_DIRECT
from duban.ledger.tasks import STATUS_NAMES
from duban.ledger.users import Actor


class PlanRef(BaseModel):
    id: int
    title: str
    year: int | None


class OverdueTask(BaseModel):
    id: int
    number: str
    path: str
    title: str
    lead_unit: str
    due_date: str
    days: int  # days past the due date
    status_name: str
    percent: float | None


class Dashboard(BaseModel):
    """The supervisor's overview of one plan (the page and GET /dashboard)."""

    plan: PlanRef | None
    unit_id: int | None
    rates: rates.Rates
    overall: rates.Tally
    by_heading: list[rates.Tally]
    by_unit: list[rates.Tally]
    lights: dict[str, int]
    overdue: list[OverdueTask]
    attainment: Attainment


def dashboard(
    session: Session,
    *,
    actor: Actor,
    now: datetime,
    cfg: LightConfig,
    plan_id: int | None = None,
    unit_id: int | None = None,
    co_direct: bool = CO_DIRECT,
) -> Dashboard:
    """Completion overall, by heading and by lead unit; lights; overdue list; target attainment.

    Counted over leaf tasks (the ones assigned and reported on). Average progress is over assigned
    tasks: a closed task counts as 100%, one without a report as 0% (never a flattering average of
    the few that reported).
    """
    require_overview(actor)
    key = ("dashboard", cfg, plan_id, unit_id, co_direct)  # the same for every reader it admits
    return kept(
        session,
        now=now,
        key=key,
        compute=lambda: _dashboard(
            session, now=now, cfg=cfg, plan_id=plan_id, unit_id=unit_id, co_direct=co_direct
        ),
    )


def _dashboard(
    session: Session,
    *,
    now: datetime,
    cfg: LightConfig,
    plan_id: int | None,
    unit_id: int | None,
    co_direct: bool,
) -> Dashboard:
    plan = get_plan(session, plan_id) if plan_id is not None else default_plan(session)
    if plan is None:
        return Dashboard(
            plan=None,
            unit_id=unit_id,
            rates=rates.Rates(tasks=0, unassigned=0, closed=0, due=0, closed_on_time=0),
            overall=rates.Tally(key="all", label="全部"),
            by_heading=[],
            by_unit=[],
            lights=dict.fromkeys(LIGHTS, 0),
            overdue=[],
            attainment=Attainment(),
        )
    today = local_date(now)
    lead = aliased(TaskUnit)
    stmt = (
        select(Task, Unit.id, Unit.name)
        .outerjoin(lead, and_(lead.task_id == Task.id, lead.role == "lead"))
        .outerjoin(Unit, Unit.id == lead.unit_id)
        .where(Task.plan_id == plan.id, Task.removed_at.is_(None), rates.leaf_filter())
        .order_by(Task.position)
    )
    if unit_id is not None:
        stmt = stmt.where(Task.id.in_(select(TaskUnit.task_id).where(TaskUnit.unit_id == unit_id)))
    rows = session.execute(stmt).all()
    headings = {
        t.path: t
        for t in session.execute(
            select(Task).where(Task.plan_id == plan.id, Task.removed_at.is_(None), Task.level == 1)
        ).scalars()
    }
    lights = live_lights(session, now=now, cfg=cfg, plan_id=plan.id)
    overall = rates.Tally(key="all", label="全部")
    by_heading: dict[str, rates.Tally] = {}
    by_unit: dict[int | None, rates.Tally] = {}
    overdue = []
    for task, uid, uname in rows:
        lt = lights.get(task.id, "")
        overall.add(task.status, task.last_percent, lt)
        top = task.path.split("/")[0]
        head = headings.get(top)
        if top not in by_heading:
            label = f"{head.number}、{head.title}" if head else top
            by_heading[top] = rates.Tally(key=top, label=label, id=head.id if head else None)
        by_heading[top].add(task.status, task.last_percent, lt)
        if task.status != "unassigned":
            if uid not in by_unit:
                by_unit[uid] = rates.Tally(key=str(uid), label=uname or "（未指定）", id=uid)
            by_unit[uid].add(task.status, task.last_percent, lt)
        if task.due_date and task.due_date < today and task.status not in NOT_OVERDUE:
            overdue.append(
                OverdueTask(
                    id=task.id,
                    number=task.number,
                    path=task.path,
                    title=task.title,
                    lead_unit=uname or "",
                    due_date=task.due_date.isoformat(),
                    days=(today - task.due_date).days,
                    status_name=STATUS_NAMES.get(task.status, task.status),
                    percent=task.last_percent,
                )
            )
    overdue.sort(key=lambda r: -r.days)
    task_ids = [t.id for t, _, _ in rows]
    figures = rates.plan_rates(
        session,
        plan_id=plan.id,
        now=now,
        period=last_due_period(session, now=now),
        unit_id=unit_id,
        tasks=[t for t, _, _ in rows],
        co_direct=co_direct,
    )
    return Dashboard(
        plan=PlanRef(id=plan.id, title=plan.title, year=plan.year),
        unit_id=unit_id,
        rates=figures,
        overall=overall,
        by_heading=list(by_heading.values()),
        by_unit=sorted(by_unit.values(), key=lambda t: (-t.tasks, t.label)),
        lights=overall.lights,
        overdue=overdue,
        attainment=plan_attainment(session, task_ids=task_ids),
    )
