"""Status lights (红黄蓝绿灯): one rule, thresholds from configuration; the status queries.

- red: overdue and not closed;
- yellow: behind schedule (percent lags the elapsed share of time by more than the
  tolerance), or the last period's report is missing after its cut-off;
- blue: due within `due_soon_days`;
- green: otherwise, and every closed task.
Unassigned tasks have no light ("").
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import Session, aliased

from duban.ledger.clock import local_date
from duban.ledger.config import LightConfig
from duban.ledger.models import Period, Plan, Report, Task, TaskUnit, Unit

LIGHTS = ("red", "yellow", "blue", "green")
LIGHT_NAMES = {"red": "红灯", "yellow": "黄灯", "blue": "蓝灯", "green": "绿灯", "": "—"}


def light(
    *,
    status: str,
    due_date: date | None,
    today: date,
    cfg: LightConfig,
    percent: float | None = None,
    assigned_on: date | None = None,
    report_missing: bool = False,
) -> str:
    """The light of one task."""
    if status == "unassigned" or due_date is None:
        return ""
    if status == "closed":
        return "green"
    if today > due_date:
        return "red"
    if assigned_on and due_date > assigned_on and status != "closeout_requested":
        elapsed = min(100.0, (today - assigned_on).days / (due_date - assigned_on).days * 100)
        if (percent or 0.0) + cfg.behind_tolerance < elapsed:
            return "yellow"
    if report_missing and cfg.report_missing_is_yellow and status != "closeout_requested":
        return "yellow"
    if (due_date - today).days <= cfg.due_soon_days:
        return "blue"
    return "green"


def last_due_period(session: Session, *, now: datetime) -> Period | None:
    """The most recent period whose cut-off has passed: the report that should be in."""
    return session.execute(
        select(Period).where(Period.cutoff < now).order_by(Period.cutoff.desc()).limit(1)
    ).scalar_one_or_none()


@dataclass
class StatusRow:
    task_id: int
    plan: str
    path: str
    title: str
    status: str
    lead_unit: str
    due_date: date | None
    percent: float | None
    light: str
    report_missing: bool

    def to_dict(self) -> dict:
        d = asdict(self)
        d["due_date"] = self.due_date.isoformat() if self.due_date else None
        return d


def status_rows(
    session: Session,
    *,
    now: datetime,
    cfg: LightConfig,
    unit_id: int | None = None,
    only_light: str | None = None,
    include_unassigned: bool = False,
    plan_id: int | None = None,
    task_ids: Collection[int] | Select | None = None,
) -> list[StatusRow]:
    """Every current task with its light (one query for tasks, one for the period's reports).

    `plan_id` and `task_ids` narrow the rows, so a page or a plan's dashboard computes the lights
    of its own tasks only, not of every task in the ledger.
    """
    today = local_date(now)
    day = lru_cache(maxsize=None)(local_date)  # assignments share few timestamps; zone math once each
    period = last_due_period(session, now=now)
    reported: set[int] = set()
    if period is not None:
        reported = set(session.execute(select(Report.unit_id).where(Report.period_id == period.id)).scalars())
    lead = aliased(TaskUnit)
    stmt = (
        select(
            Task.id,
            Plan.title,
            Task.path,
            Task.title,
            Task.status,
            Unit.id,
            Unit.name,
            Task.due_date,
            Task.last_percent,
            Task.assigned_at,
        )
        .join(Plan, Plan.id == Task.plan_id)
        .outerjoin(lead, and_(lead.task_id == Task.id, lead.role == "lead"))
        .outerjoin(Unit, Unit.id == lead.unit_id)
        .where(Task.removed_at.is_(None))
        .order_by(Task.plan_id, Task.position)
    )
    if not include_unassigned:
        stmt = stmt.where(Task.status != "unassigned")
    if only_light == "red":  # the rule's red, pushed into SQL: overdue and open
        stmt = stmt.where(Task.due_date < today, Task.status.not_in(("closed", "unassigned")))
    if unit_id is not None:
        mine = select(TaskUnit.task_id).where(TaskUnit.unit_id == unit_id)
        stmt = stmt.where(Task.id.in_(mine))
    if plan_id is not None:
        stmt = stmt.where(Task.plan_id == plan_id)
    if isinstance(task_ids, Select):  # a subquery of matching ids
        stmt = stmt.where(Task.id.in_(task_ids))
    elif task_ids is not None:
        if not task_ids:
            return []
        stmt = stmt.where(Task.id.in_(list(task_ids)))
    rows = []
    for tid, plan, path, title, status, uid, uname, due, pct, assigned_at in session.execute(stmt):
        missing = bool(
            period is not None
            and uid is not None
            and uid not in reported
            and assigned_at is not None
            and day(assigned_at) <= period.end
        )
        lt = light(
            status=status,
            due_date=due,
            today=today,
            cfg=cfg,
            percent=pct,
            assigned_on=day(assigned_at) if assigned_at else None,
            report_missing=missing,
        )
        if only_light and lt != only_light:
            continue
        rows.append(StatusRow(tid, plan, path, title, status, uname or "", due, pct, lt, missing))
    return rows


@dataclass
class UnitCompletion:
    unit_id: int
    unit: str
    tasks: int
    closed: int
    avg_percent: float | None

    @property
    def rate(self) -> float:
        return self.closed / self.tasks if self.tasks else 0.0


def unit_completion(session: Session) -> list[UnitCompletion]:
    """Per lead unit: tasks, closed tasks, average reported percent (one grouped query)."""
    stmt = (
        select(
            Unit.id,
            Unit.name,
            func.count(Task.id),
            func.sum(case((Task.status == "closed", 1), else_=0)),
            func.avg(Task.last_percent),
        )
        .join(TaskUnit, TaskUnit.unit_id == Unit.id)
        .join(Task, Task.id == TaskUnit.task_id)
        .where(TaskUnit.role == "lead", Task.removed_at.is_(None))
        .group_by(Unit.id, Unit.name)
        .order_by(Unit.id)
    )
    return [
        UnitCompletion(uid, name, n, int(closed or 0), float(avg) if avg is not None else None)
        for uid, name, n, closed, avg in session.execute(stmt)
    ]
