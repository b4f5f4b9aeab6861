"""The supervision dashboard: completion overall, by heading and by lead unit, lights, overdue, attainment."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from duban.ledger.clock import local_date
from duban.ledger.config import LightConfig
from duban.ledger.errors import NotFoundError
from duban.ledger.lights import LIGHTS
from duban.ledger.models import Plan, Task, TaskUnit, Unit
from duban.ledger.read.common import NOT_OVERDUE, default_plan, leaf_filter, live_lights
from duban.ledger.read.targets import plan_attainment
from duban.ledger.read.visibility import require_overview
from duban.ledger.tasks import STATUS_NAMES
from duban.ledger.users import Actor


@dataclass
class Tally:
    key: str
    label: str
    id: int | None = None
    tasks: int = 0
    closed: int = 0
    percent_sum: float = 0.0
    percent_n: int = 0
    lights: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LIGHTS, 0))

    def add(self, status: str, percent: float | None, lt: str) -> None:
        """Average progress over assigned tasks: closed counts 100, not yet reported counts 0."""
        self.tasks += 1
        self.closed += status == "closed"
        if status != "unassigned":
            self.percent_sum += 100.0 if status == "closed" else (percent or 0.0)
            self.percent_n += 1
        if lt in self.lights:
            self.lights[lt] += 1

    @property
    def rate(self) -> float:
        return round(self.closed / self.tasks * 100, 1) if self.tasks else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "tasks": self.tasks,
            "closed": self.closed,
            "rate": self.rate,
            "avg_percent": round(self.percent_sum / self.percent_n, 1) if self.percent_n else None,
            "lights": self.lights,
        }


def dashboard(
    session: Session,
    *,
    actor: Actor,
    now: datetime,
    cfg: LightConfig,
    plan_id: int | None = None,
    unit_id: int | None = None,
) -> dict[str, Any]:
    """Completion overall, by heading and by lead unit; lights; overdue list; target attainment.

    Counted over leaf tasks (the ones assigned and reported on). Average progress is over assigned
    tasks: a closed task counts as 100%, one without a report as 0% (never a flattering average of
    the few that reported).
    """
    require_overview(actor)
    plan = session.get(Plan, plan_id) if plan_id is not None else default_plan(session)
    if plan_id is not None and plan is None:
        raise NotFoundError(f"计划不存在：{plan_id}")
    empty = {
        "plan": None,
        "overall": Tally("all", "全部").to_dict(),
        "by_heading": [],
        "by_unit": [],
        "lights": dict.fromkeys(LIGHTS, 0),
        "overdue": [],
        "attainment": {"met": 0, "not_met": 0, "unknown": 0, "rows": []},
        "unit_id": unit_id,
    }
    if plan is None:
        return empty
    today = local_date(now)
    lead = aliased(TaskUnit)
    stmt = (
        select(Task, Unit.id, Unit.name)
        .outerjoin(lead, and_(lead.task_id == Task.id, lead.role == "lead"))
        .outerjoin(Unit, Unit.id == lead.unit_id)
        .where(Task.plan_id == plan.id, Task.removed_at.is_(None), leaf_filter())
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
    overall = Tally("all", "全部")
    by_heading: dict[str, Tally] = {}
    by_unit: dict[int | None, Tally] = {}
    overdue = []
    for task, uid, uname in rows:
        lt = lights.get(task.id, "")
        overall.add(task.status, task.last_percent, lt)
        top = task.path.split("/")[0]
        head = headings.get(top)
        if top not in by_heading:
            label = f"{head.number}、{head.title}" if head else top
            by_heading[top] = Tally(top, label, head.id if head else None)
        by_heading[top].add(task.status, task.last_percent, lt)
        if task.status != "unassigned":
            if uid not in by_unit:
                by_unit[uid] = Tally(str(uid), uname or "（未指定）", uid)
            by_unit[uid].add(task.status, task.last_percent, lt)
        if task.due_date and task.due_date < today and task.status not in NOT_OVERDUE:
            overdue.append(
                {
                    "id": task.id,
                    "number": task.number,
                    "path": task.path,
                    "title": task.title,
                    "lead_unit": uname or "",
                    "due_date": task.due_date.isoformat(),
                    "days": (today - task.due_date).days,
                    "status_name": STATUS_NAMES.get(task.status, task.status),
                    "percent": task.last_percent,
                }
            )
    overdue.sort(key=lambda r: -r["days"])
    task_ids = [t.id for t, _, _ in rows]
    return {
        "plan": {"id": plan.id, "title": plan.title, "year": plan.year},
        "unit_id": unit_id,
        "overall": overall.to_dict(),
        "by_heading": [t.to_dict() for t in by_heading.values()],
        "by_unit": sorted((t.to_dict() for t in by_unit.values()), key=lambda d: (-d["tasks"], d["label"])),
        "lights": overall.lights,
        "overdue": overdue,
        "attainment": plan_attainment(session, task_ids=task_ids),
    }
