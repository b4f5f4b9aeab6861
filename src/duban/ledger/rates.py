"""The leader's picture: which plan is supervised, which tasks count, and the three rates.

Every page and export that shows 销号率, 按期办结率 or 报送率 gets it from here, so the
dashboard, the 督办通报 and the exports cannot disagree:

- the plan being supervised is the newest plan (by year, then import) with an assigned task,
  not the newest file imported (a new draft or a summary must not take over the dashboard);
- the tasks that count are a plan's current leaf tasks (headings are not assigned or reported
  on); unassigned ones are counted and shown, never silently dropped;
- 销号率 = closed / assigned;
- 按期办结率 = closed by the deadline in force / assigned tasks that are due (deadline passed)
  or closed: a task closed early counts, an overdue open one counts against;
- 报送率 = units that reported in the period / units that owe a report on a task of the plan
  (`reports.owes_report`: lead units, and co-units when they report directly).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field, computed_field
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, aliased

from duban.ledger.clock import local_date
from duban.ledger.lights import LIGHTS
from duban.ledger.models import Period, Plan, Report, Task, TaskUnit
from duban.ledger.reports import CO_DIRECT, REPORTABLE, owes_report


def leaf_filter() -> ColumnElement[bool]:
    """Tasks without current children: the ones that are assigned and reported on."""
    child = aliased(Task)
    has_child = select(child.id).where(child.parent_id == Task.id, child.removed_at.is_(None)).exists()
    return ~has_child


def supervised_plan(session: Session) -> Plan | None:
    """The newest plan with at least one assigned task, or None when nothing is assigned yet."""
    assigned = select(Task.id).where(
        Task.plan_id == Plan.id, Task.status != "unassigned", Task.removed_at.is_(None)
    )
    stmt = (
        select(Plan)
        .where(Plan.kind == "plan", assigned.exists())
        .order_by(Plan.year.desc(), Plan.id.desc())
        .limit(1)
    )
    return session.execute(stmt).scalar_one_or_none()


def percent(part: int, whole: int) -> float | None:
    """A share in percent with one decimal, None when there is nothing to share."""
    return round(part / whole * 100, 1) if whole else None


def closeout_rate(closed: int, assigned: int) -> float | None:
    """销号率."""
    return percent(closed, assigned)


def on_time_rate(closed_on_time: int, due: int) -> float | None:
    """按期办结率."""
    return percent(closed_on_time, due)


def report_rate(reported: int, expected: int) -> float | None:
    """报送率."""
    return percent(reported, expected)


def closed_on_time(task: Task) -> bool:
    """Closed on or before the deadline in force (an approved extension moves it); no deadline: on time."""
    return (
        task.status == "closed"
        and task.closed_at is not None
        and (task.due_date is None or local_date(task.closed_at) <= task.due_date)
    )


def is_due(task: Task, today) -> bool:
    """Counts toward 按期办结率: assigned and either closed or past its deadline."""
    if task.status == "unassigned":
        return False
    return task.status == "closed" or (task.due_date is not None and task.due_date < today)


class Rates(BaseModel, frozen=True):
    """The counts behind the three rates, for one plan (and one reporting period for 报送率)."""

    tasks: int
    unassigned: int
    closed: int
    due: int
    closed_on_time: int
    period: str = ""
    units_expected: int = 0
    units_reported: int = 0

    @computed_field
    @property
    def assigned(self) -> int:
        return self.tasks - self.unassigned

    @computed_field
    @property
    def closeout_rate(self) -> float | None:
        return closeout_rate(self.closed, self.assigned)

    @computed_field
    @property
    def on_time_rate(self) -> float | None:
        return on_time_rate(self.closed_on_time, self.due)

    @computed_field
    @property
    def report_rate(self) -> float | None:
        return report_rate(self.units_reported, self.units_expected)


def plan_tasks(session: Session, *, plan_id: int, unit_id: int | None = None) -> list[Task]:
    """The tasks that count: the plan's current leaf tasks (of one unit, lead or co, when given)."""
    stmt = (
        select(Task)
        .where(Task.plan_id == plan_id, Task.removed_at.is_(None), leaf_filter())
        .order_by(Task.position)
    )
    if unit_id is not None:
        stmt = stmt.where(Task.id.in_(select(TaskUnit.task_id).where(TaskUnit.unit_id == unit_id)))
    return list(session.execute(stmt).scalars())


def reporting_units(
    session: Session, *, plan_id: int, period: Period, co_direct: bool = CO_DIRECT
) -> tuple[set[int], set[int]]:
    """(units that owe the period's report for the plan (`reports.owes_report`), those that reported)."""
    roles = ["lead", "co"] if owes_report("co", co_direct=co_direct) else ["lead"]
    owing = set(
        session.execute(
            select(TaskUnit.unit_id)
            .join(Task, Task.id == TaskUnit.task_id)
            .where(
                Task.plan_id == plan_id,
                Task.removed_at.is_(None),
                Task.status.in_(REPORTABLE),
                TaskUnit.role.in_(roles),
            )
        ).scalars()
    )
    reported = set(session.execute(select(Report.unit_id).where(Report.period_id == period.id)).scalars())
    return owing, owing & reported


def plan_rates(
    session: Session,
    *,
    plan_id: int,
    now: datetime,
    period: Period | None = None,
    unit_id: int | None = None,
    tasks: list[Task] | None = None,
    co_direct: bool = CO_DIRECT,
) -> Rates:
    """The counts and rates of a plan as of `now`; 报送率 for `period` (none: the rate is None)."""
    rows = plan_tasks(session, plan_id=plan_id, unit_id=unit_id) if tasks is None else tasks
    today = local_date(now)
    expected = reported = 0
    if period is not None:
        owing, done = reporting_units(session, plan_id=plan_id, period=period, co_direct=co_direct)
        if unit_id is not None:
            owing, done = owing & {unit_id}, done & {unit_id}
        expected, reported = len(owing), len(done)
    return Rates(
        tasks=len(rows),
        unassigned=sum(t.status == "unassigned" for t in rows),
        closed=sum(t.status == "closed" for t in rows),
        due=sum(is_due(t, today) for t in rows),
        closed_on_time=sum(closed_on_time(t) for t in rows),
        period=period.name if period else "",
        units_expected=expected,
        units_reported=reported,
    )


class Tally(BaseModel):
    """A group of counted tasks (all, a heading, a lead unit): 销号率 and average progress of the group."""

    key: str = Field(exclude=True)
    label: str
    id: int | None = None
    tasks: int = 0
    unassigned: int = 0
    closed: int = 0
    percent_sum: float = Field(0.0, exclude=True)
    percent_n: int = Field(0, exclude=True)
    lights: dict[str, int] = Field(default_factory=lambda: dict.fromkeys(LIGHTS, 0))

    def add(self, status: str, percent: float | None, lt: str) -> None:
        """Average progress over assigned tasks: closed counts 100, not yet reported counts 0."""
        self.tasks += 1
        self.unassigned += status == "unassigned"
        self.closed += status == "closed"
        if status != "unassigned":
            self.percent_sum += 100.0 if status == "closed" else (percent or 0.0)
            self.percent_n += 1
        if lt in self.lights:
            self.lights[lt] += 1

    @computed_field
    @property
    def rate(self) -> float | None:
        return closeout_rate(self.closed, self.tasks - self.unassigned)

    @computed_field
    @property
    def avg_percent(self) -> float | None:
        return round(self.percent_sum / self.percent_n, 1) if self.percent_n else None
