"""The task list (filtered, paged), the task detail and the actions an actor may take on a task now."""

from __future__ import annotations

from dataclasses import astuple, dataclass
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, computed_field
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from duban.ledger.clock import local_date
from duban.ledger.config import LightConfig
from duban.ledger.errors import NotFoundError
from duban.ledger.lights import LIGHT_NAMES, RULE_NAMES, red_means_overdue
from duban.ledger.models import Deadline, Milestone, Plan, Quantity, Task, TaskUnit, Unit
from duban.ledger.read.cache import kept
from duban.ledger.read.common import (
    DEFAULT_PER_PAGE,
    MAX_PER_PAGE,
    NOT_OVERDUE,
    Page,
    live_lights,
    units_of,
)
from duban.ledger.read.lights import overdue_clause, status_rows
from duban.ledger.read.targets import reported_values
from duban.ledger.read.visibility import readable_task, visible_task_filter
from duban.ledger.reported import latest_reported
from duban.ledger.tasks import CONTEST_KINDS, STATUS_NAMES, allowed
from duban.ledger.users import Actor
from duban.plan.attainment import STATE_NAMES, reported


@dataclass
class TaskFilter:
    plan_id: int | None = None
    unit_id: int | None = None
    heading_id: int | None = None  # a level-1 task: its subtree
    status: str | None = None
    light: str | None = None
    q: str = ""
    overdue: bool = False
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    def clamp(self) -> TaskFilter:
        self.page = max(1, self.page)
        self.per_page = min(MAX_PER_PAGE, max(1, self.per_page))
        return self


class StatusLight(BaseModel):
    """A task's status and light with their Chinese names: every task shape of the API has them."""

    status: str
    light: str

    @computed_field
    @property
    def status_name(self) -> str:
        return STATUS_NAMES.get(self.status, self.status)

    @computed_field
    @property
    def light_name(self) -> str:
        return LIGHT_NAMES.get(self.light, "")


class TaskRow(StatusLight):
    """A task as lists and queues show it (the API's list item too)."""

    id: int
    plan_id: int
    plan: str
    path: str
    number: str
    level: int
    title: str
    lead_unit_id: int | None
    lead_unit: str
    co_units: list[str]
    due_date: date | None
    percent: float | None
    overdue: bool
    version: int

    @classmethod
    def of(
        cls,
        task: Task,
        plan: str,
        lead_unit_id: int | None,
        lead_unit: str | None,
        *,
        co_units: list[str] | None = None,
        light: str = "",
        overdue: bool = False,
    ) -> TaskRow:
        """The row of a task as lists and queues show it (one place that maps Task to TaskRow)."""
        return cls(
            id=task.id,
            plan_id=task.plan_id,
            plan=plan,
            path=task.path,
            number=task.number,
            level=task.level,
            title=task.title,
            status=task.status,
            lead_unit_id=lead_unit_id,
            lead_unit=lead_unit or "",
            co_units=co_units or [],
            due_date=task.due_date,
            percent=task.last_percent,
            light=light,
            overdue=overdue,
            version=task.version,
        )


def list_tasks(
    session: Session, *, actor: Actor, filters: TaskFilter, now: datetime, cfg: LightConfig
) -> Page[TaskRow]:
    """Current tasks the actor may read, filtered, in plan order, one page of them (kept between
    requests until the ledger, the day or the due period moves: read/cache.py)."""
    f = filters.clamp()
    key = ("tasks", actor.role, actor.unit_id, astuple(f), cfg)  # what visibility reads of the actor
    return kept(session, now=now, key=key, compute=lambda: _list_tasks(session, actor, f, now, cfg))


def _list_tasks(
    session: Session, actor: Actor, f: TaskFilter, now: datetime, cfg: LightConfig
) -> Page[TaskRow]:
    """Filtering, counting and paging are SQL, and lights are computed for the page's rows only. A
    light filter is the computed rule, so it is evaluated over the tasks matching the other
    filters (`status_rows` narrows red in SQL), then paged.
    """
    today = local_date(now)
    plans = select(Plan.id).where(Plan.kind == "plan")  # a summary's sections are no tasks
    conds = [Task.removed_at.is_(None), visible_task_filter(actor)]  # and in `plans`: in_plans
    if f.plan_id is not None:
        conds.append(Task.plan_id == f.plan_id)
    if f.unit_id is not None:
        conds.append(Task.id.in_(select(TaskUnit.task_id).where(TaskUnit.unit_id == f.unit_id)))
    if f.heading_id is not None:
        head = session.get(Task, f.heading_id)
        if head is None:
            raise NotFoundError(f"任务不存在：{f.heading_id}")
        conds += [
            Task.plan_id == head.plan_id,
            or_(Task.id == head.id, Task.path.startswith(head.path + "/", autoescape=True)),
        ]
    if f.status:
        conds.append(Task.status == f.status)
    if f.q.strip():
        q = f.q.strip()
        conds.append(or_(Task.title.contains(q, autoescape=True), Task.body.contains(q, autoescape=True)))
    if f.overdue:
        conds.append(overdue_clause(today))
    in_plans = Task.plan_id.in_(plans)
    offset = (f.page - 1) * f.per_page
    lead = aliased(TaskUnit)
    stmt = (
        select(Task, Plan.title, Unit.id, Unit.name)
        .join(Plan, Plan.id == Task.plan_id)
        .outerjoin(lead, and_(lead.task_id == Task.id, lead.role == "lead"))
        .outerjoin(Unit, Unit.id == lead.unit_id)
        .order_by(Task.plan_id, Task.position)
    )
    red_by_sql = f.light == "red" and red_means_overdue(cfg)
    if red_by_sql:  # red is overdue, a clause: counted and paged in SQL like the unfiltered list
        conds.append(overdue_clause(today))
    if f.light and not red_by_sql:
        matching = select(Task.id).where(*conds, in_plans)
        lit = status_rows(
            session, now=now, cfg=cfg, only_light=f.light, include_unassigned=True, task_ids=matching
        )
        total = len(lit)  # in plan order, like the page
        page_ids = [r.task_id for r in lit[offset : offset + f.per_page]]
        lights = dict.fromkeys(page_ids, f.light)
        chunk = session.execute(stmt.where(Task.id.in_(page_ids))).all() if page_ids else []
    else:
        total = _count(session, conds, plans)
        chunk = session.execute(stmt.where(*conds, in_plans).offset(offset).limit(f.per_page)).all()
        ids = [r[0].id for r in chunk]
        lights = (
            dict.fromkeys(ids, "red") if red_by_sql else live_lights(session, now=now, cfg=cfg, task_ids=ids)
        )
    units = units_of(session, [r[0].id for r in chunk])
    items = []
    for task, plan_title, uid, uname in chunk:
        items.append(
            TaskRow.of(
                task,
                plan_title,
                uid,
                uname,
                co_units=[n for role, _, n in units.get(task.id, []) if role == "co"],
                light=lights.get(task.id, ""),
                overdue=bool(task.due_date and task.due_date < today and task.status not in NOT_OVERDUE),
            )
        )
    return Page(items=items, total=total, page=f.page, per_page=f.per_page)


def _count(session: Session, conds: list, plans: Select) -> int:
    """How many tasks of the `plans` match `conds`: counted per plan over the tasks table alone (an
    index-only scan of a partial index of the current tasks on PostgreSQL), then only the plans'
    counts (a thousand rows, not a hundred thousand) are matched against `plans`."""
    per_plan = select(Task.plan_id, func.count().label("n")).where(*conds).group_by(Task.plan_id).subquery()
    total = select(func.coalesce(func.sum(per_plan.c.n), 0)).where(per_plan.c.plan_id.in_(plans))
    return int(session.execute(total).scalar_one())


class ReportedValue(BaseModel):
    value: float | None
    period: str
    at: str
    unit: str


class TargetState(BaseModel):
    """A target of the task with every value reported against it and the latest one's attainment."""

    id: int
    text: str
    indicator: str
    comparator: str
    value: float | None
    value_high: float | None
    unit: str
    placeholder: bool
    values: list[ReportedValue]
    latest: float | None
    attainment: str  # "" before any report

    @computed_field
    @property
    def attainment_name(self) -> str:
        return STATE_NAMES.get(self.attainment, "") if self.attainment else ""


class TaskRef(BaseModel):
    id: int
    number: str
    title: str


class AssignedUnit(BaseModel):
    id: int
    name: str
    signed_at: str | None  # 签收; None: not yet


class Extension(BaseModel):
    status: str | None
    due_date: str | None
    reason: str | None


class Contest(BaseModel):
    status: str | None
    kind: str | None
    reason: str | None

    @computed_field
    @property
    def kind_name(self) -> str:
        return CONTEST_KINDS.get(self.kind, "")


class DeadlineText(BaseModel):
    text: str
    date: str


class MilestoneState(BaseModel):
    title: str
    due_date: str
    done: bool


class TaskDetail(StatusLight):
    """Everything the task page and GET /tasks/{id} show."""

    id: int
    plan_id: int
    plan: str
    parent: TaskRef | None
    path: str
    number: str
    level: int
    title: str
    body: str
    fields: dict[str, Any]
    responsible_text: list[str]
    co_units_text: list[str]
    light_rule: str
    due_date: str | None
    assigned_at: str | None
    closed_at: str | None
    percent: float | None
    last_report_at: str | None
    lead_unit: AssignedUnit | None
    co_units: list[AssignedUnit]
    return_reason: str | None
    extension: Extension
    contest: Contest
    long_term: bool
    targets: list[TargetState]
    deadlines: list[DeadlineText]
    milestones: list[MilestoneState]
    version: int
    actions: list[str]

    @computed_field
    @property
    def light_rule_name(self) -> str:
        return RULE_NAMES.get(self.light_rule, "")


def task_detail(
    session: Session, *, actor: Actor, task_id: int, now: datetime, cfg: LightConfig
) -> TaskDetail:
    """Everything the task page and GET /tasks/{id} show: fields, units, targets with reported values."""
    task = readable_task(session, actor=actor, task_id=task_id)
    plan = session.get(Plan, task.plan_id)
    units = units_of(session, [task.id]).get(task.id, [])
    signed = {u.unit_id: u.signed_at for u in task.units}  # 签收 per unit, None: not yet
    targets = list(
        session.execute(
            select(Quantity)
            .where(Quantity.task_id == task.id, Quantity.role == "target", Quantity.removed_at.is_(None))
            .order_by(Quantity.position)
        ).scalars()
    )
    values = reported_values(session, task_ids=[task.id])
    latest_of = latest_reported(session, quantity_ids=[q.id for q in targets])
    target_rows = []
    for q in targets:
        hit = latest_of.get(q.id)
        latest = hit.value if hit else None
        target_rows.append(
            TargetState(
                id=q.id,
                text=q.text,
                indicator=q.indicator,
                comparator=q.comparator,
                value=q.value,
                value_high=q.value_high,
                unit=q.unit,
                placeholder=q.placeholder,
                values=values.get(q.id, []),
                latest=latest,
                attainment=reported(q, latest) if hit else "",
            )
        )
    deadlines = session.execute(
        select(Deadline.text, Deadline.date)
        .where(Deadline.task_id == task.id, Deadline.removed_at.is_(None))
        .order_by(Deadline.date)
    ).all()
    milestones = session.execute(
        select(Milestone.title, Milestone.due_date, Milestone.done_at)
        .where(Milestone.task_id == task.id)
        .order_by(Milestone.due_date)
    ).all()
    parent = session.get(Task, task.parent_id) if task.parent_id else None
    row = next(
        iter(status_rows(session, now=now, cfg=cfg, include_unassigned=True, task_ids=[task.id])), None
    )
    lt, rule = (row.light, row.rule) if row else ("", "")
    iso = lambda d: d.isoformat() if d else None  # noqa: E731
    secs = lambda t: t.isoformat(timespec="seconds") if t else None  # noqa: E731
    return TaskDetail(
        id=task.id,
        plan_id=task.plan_id,
        plan=plan.title if plan else "",
        parent=TaskRef(id=parent.id, number=parent.number, title=parent.title) if parent else None,
        path=task.path,
        number=task.number,
        level=task.level,
        title=task.title,
        body=task.body,
        fields=task.fields or {},
        responsible_text=task.responsible or [],
        co_units_text=task.co_units_text or [],
        status=task.status,
        light=lt,
        light_rule=rule,
        due_date=iso(task.due_date),
        assigned_at=secs(task.assigned_at),
        closed_at=secs(task.closed_at),
        percent=task.last_percent,
        last_report_at=secs(task.last_report_at),
        lead_unit=next(
            (
                AssignedUnit(id=uid, name=n, signed_at=iso(signed.get(uid)))
                for r, uid, n in units
                if r == "lead"
            ),
            None,
        ),
        co_units=[
            AssignedUnit(id=uid, name=n, signed_at=iso(signed.get(uid))) for r, uid, n in units if r == "co"
        ],
        return_reason=task.return_reason,
        extension=Extension(
            status=task.extension_status,
            due_date=iso(task.extension_due_date),
            reason=task.extension_reason,
        ),
        contest=Contest(status=task.contest_status, kind=task.contest_kind, reason=task.contest_reason),
        long_term=task.long_term,
        targets=target_rows,
        deadlines=[DeadlineText(text=t, date=d.isoformat()) for t, d in deadlines],
        milestones=[
            MilestoneState(title=t, due_date=d.isoformat(), done=done is not None)
            for t, d, done in milestones
        ],
        version=task.version,
        actions=allowed_actions(actor, task),
    )


def allowed_actions(actor: Actor, task: Task) -> list[str]:
    """The actions the actor may take on the task now (`tasks.refusal` decides; the service asks again)."""
    return allowed(actor, task)
