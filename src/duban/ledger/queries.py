"""Read models shared by the web pages and the API: who may see which task, lists, details, dashboards.

The visibility rule lives here and nowhere else: a unit member sees the tasks where its unit is the
lead or a co-unit; leaders, supervisors and system administrators see every task; the security and
audit administrators see no business data at all. Reading another unit's task is refused with 403
(PermissionDenied), the same answer for pages and API.

Lights are computed live with `lights.status_rows` (the one rule), not read from the column `tick`
stores, so a list never shows yesterday's colour.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, or_, select, true
from sqlalchemy.orm import Session, aliased

from duban.ledger import audit
from duban.ledger.clock import local_date
from duban.ledger.config import LightConfig
from duban.ledger.errors import NotFoundError, PermissionDenied
from duban.ledger.lights import LIGHT_NAMES, LIGHTS, status_rows
from duban.ledger.models import (
    AuditRecord,
    Deadline,
    Milestone,
    Period,
    Plan,
    Quantity,
    Reminder,
    Report,
    ReportItem,
    ReportValue,
    Task,
    TaskUnit,
    Unit,
)
from duban.ledger.reported import latest_reported
from duban.ledger.tasks import ACTION_NAMES, CONTEST_KINDS, STATUS_NAMES, allowed, get_task
from duban.ledger.users import ROLE_NAMES, Actor
from duban.plan.attainment import STATE_NAMES, reported

BUSINESS_ROLES = frozenset({"admin", "supervisor", "leader", "unit_member"})
OVERVIEW_ROLES = frozenset({"admin", "supervisor", "leader"})  # the dashboard: every unit at once
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
NOT_OVERDUE = ("closed", "unassigned")


# ---------------------------------------------------------------- visibility
def require_business_reader(actor: Actor) -> None:
    """Security and audit administrators see no business data (separation of duties)."""
    if actor.role not in BUSINESS_ROLES:
        raise PermissionDenied(f"无权查看业务数据：{ROLE_NAMES.get(actor.role, actor.role)}不能查看任务")


def require_overview(actor: Actor) -> None:
    if actor.role not in OVERVIEW_ROLES:
        raise PermissionDenied("无权查看督办总览：需要督查、领导或系统管理员角色")


def visible_task_filter(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause on Task limiting rows to what the actor may read."""
    require_business_reader(actor)
    if actor.role != "unit_member":
        return true()
    if actor.unit_id is None:
        return false()
    return Task.id.in_(select(TaskUnit.task_id).where(TaskUnit.unit_id == actor.unit_id))


def can_read_task(actor: Actor, task: Task) -> bool:
    if actor.role not in BUSINESS_ROLES:
        return False
    if actor.role != "unit_member":
        return True
    return actor.unit_id is not None and any(u.unit_id == actor.unit_id for u in task.units)


def readable_task(session: Session, *, actor: Actor, task_id: int) -> Task:
    """The task, or NotFoundError / PermissionDenied (403 for another unit's task)."""
    require_business_reader(actor)
    task = get_task(session, task_id=task_id)
    if not can_read_task(actor, task):
        raise PermissionDenied("无权查看该任务：只能查看本单位承办的任务")
    return task


# ---------------------------------------------------------------- plans, units
def business_plans(session: Session) -> list[Plan]:
    """Plans of kind "plan", newest first (year, then import order)."""
    stmt = select(Plan).where(Plan.kind == "plan").order_by(Plan.year.desc(), Plan.id.desc())
    return list(session.execute(stmt).scalars())


def default_plan(session: Session) -> Plan | None:
    """The plan being supervised: the newest with an assigned task, else the newest plan.

    A newly imported plan nobody has assigned yet (or the second document of a compilation) is
    not what the dashboard should open on while last spring's plan is being run.
    """
    plans = business_plans(session)
    running = set(
        session.execute(
            select(Task.plan_id).where(Task.status != "unassigned", Task.removed_at.is_(None)).distinct()
        ).scalars()
    )
    return next((p for p in plans if p.id in running), plans[0] if plans else None)


def unit_names(session: Session) -> dict[int, str]:
    return dict(session.execute(select(Unit.id, Unit.name).order_by(Unit.id)).all())


def _units_of(session: Session, task_ids: list[int]) -> dict[int, list[tuple[str, int, str]]]:
    """task id -> [(role, unit id, unit name)], lead first."""
    out: dict[int, list[tuple[str, int, str]]] = defaultdict(list)
    if not task_ids:
        return out
    rows = session.execute(
        select(TaskUnit.task_id, TaskUnit.role, Unit.id, Unit.name)
        .join(Unit, Unit.id == TaskUnit.unit_id)
        .where(TaskUnit.task_id.in_(task_ids))
        .order_by(TaskUnit.task_id, TaskUnit.id)
    )
    for tid, role, uid, name in rows:
        out[tid].append((role, uid, name))
    for lst in out.values():
        lst.sort(key=lambda r: r[0] != "lead")
    return out


def live_lights(session: Session, *, now: datetime, cfg: LightConfig) -> dict[int, str]:
    """task id -> light by the one rule in `lights` (unassigned tasks: "")."""
    return {r.task_id: r.light for r in status_rows(session, now=now, cfg=cfg, include_unassigned=True)}


def leaf_filter() -> ColumnElement[bool]:
    """Tasks without current children: the ones that are assigned and reported on."""
    child = aliased(Task)
    has_child = select(child.id).where(child.parent_id == Task.id, child.removed_at.is_(None)).exists()
    return ~has_child


# ---------------------------------------------------------------- task list
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


@dataclass
class TaskRow:
    id: int
    plan_id: int
    plan: str
    path: str
    number: str
    level: int
    title: str
    status: str
    lead_unit_id: int | None
    lead_unit: str
    co_units: list[str]
    due_date: date | None
    percent: float | None
    light: str
    overdue: bool
    version: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "plan_id": self.plan_id,
            "plan": self.plan,
            "path": self.path,
            "number": self.number,
            "level": self.level,
            "title": self.title,
            "status": self.status,
            "status_name": STATUS_NAMES.get(self.status, self.status),
            "lead_unit_id": self.lead_unit_id,
            "lead_unit": self.lead_unit,
            "co_units": self.co_units,
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "percent": self.percent,
            "light": self.light,
            "light_name": LIGHT_NAMES.get(self.light, ""),
            "overdue": self.overdue,
            "version": self.version,
        }


@dataclass
class Page:
    items: list[Any]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def to_dict(self) -> dict[str, Any]:
        items = [i.to_dict() if hasattr(i, "to_dict") else i for i in self.items]
        return {"items": items, "total": self.total, "page": self.page, "per_page": self.per_page}


def list_tasks(
    session: Session, *, actor: Actor, filters: TaskFilter, now: datetime, cfg: LightConfig
) -> Page:
    """Current tasks the actor may read, filtered, in plan order, one page of them.

    Filters other than the light are SQL; the light is the computed rule, so it is applied to the
    matching rows in Python before paging (a year's plans hold hundreds of tasks, not millions).
    """
    f = filters.clamp()
    today = local_date(now)
    lead = aliased(TaskUnit)
    stmt = (
        select(Task, Plan.title, Unit.id, Unit.name)
        .join(Plan, Plan.id == Task.plan_id)
        .outerjoin(lead, and_(lead.task_id == Task.id, lead.role == "lead"))
        .outerjoin(Unit, Unit.id == lead.unit_id)
        .where(Task.removed_at.is_(None), visible_task_filter(actor))
        .order_by(Plan.id, Task.position)
    )
    if f.plan_id is not None:
        stmt = stmt.where(Task.plan_id == f.plan_id)
    if f.unit_id is not None:
        stmt = stmt.where(Task.id.in_(select(TaskUnit.task_id).where(TaskUnit.unit_id == f.unit_id)))
    if f.heading_id is not None:
        head = session.get(Task, f.heading_id)
        if head is None:
            raise NotFoundError(f"任务不存在：{f.heading_id}")
        stmt = stmt.where(
            Task.plan_id == head.plan_id,
            or_(Task.id == head.id, Task.path.startswith(head.path + "/", autoescape=True)),
        )
    if f.status:
        stmt = stmt.where(Task.status == f.status)
    if f.q.strip():
        q = f.q.strip()
        stmt = stmt.where(
            or_(Task.title.contains(q, autoescape=True), Task.body.contains(q, autoescape=True))
        )
    if f.overdue:
        stmt = stmt.where(Task.due_date < today, Task.status.not_in(NOT_OVERDUE))
    rows = session.execute(stmt).all()
    lights = live_lights(session, now=now, cfg=cfg)
    if f.light:
        rows = [r for r in rows if lights.get(r[0].id, "") == f.light]
    total = len(rows)
    chunk = rows[(f.page - 1) * f.per_page : f.page * f.per_page]
    units = _units_of(session, [r[0].id for r in chunk])
    items = []
    for task, plan_title, uid, uname in chunk:
        items.append(
            TaskRow(
                id=task.id,
                plan_id=task.plan_id,
                plan=plan_title,
                path=task.path,
                number=task.number,
                level=task.level,
                title=task.title,
                status=task.status,
                lead_unit_id=uid,
                lead_unit=uname or "",
                co_units=[n for role, _, n in units.get(task.id, []) if role == "co"],
                due_date=task.due_date,
                percent=task.last_percent,
                light=lights.get(task.id, ""),
                overdue=bool(task.due_date and task.due_date < today and task.status not in NOT_OVERDUE),
                version=task.version,
            )
        )
    return Page(items, total, f.page, f.per_page)


# ---------------------------------------------------------------- task detail
def reported_values(session: Session, *, task_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """quantity id -> reported values over time (oldest first) with period and unit."""
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if not task_ids:
        return out
    rows = session.execute(
        select(ReportValue.quantity_id, ReportValue.value, Period.name, Report.submitted_at, Unit.name)
        .join(ReportItem, ReportItem.id == ReportValue.report_item_id)
        .join(Report, Report.id == ReportItem.report_id)
        .join(Period, Period.id == Report.period_id)
        .join(Unit, Unit.id == Report.unit_id)
        .where(ReportItem.task_id.in_(task_ids))
        .order_by(Report.submitted_at, Report.id)
    )
    for qid, value, period, at, unit in rows:
        out[qid].append(
            {"value": value, "period": period, "at": at.isoformat(timespec="seconds"), "unit": unit}
        )
    return out


def task_detail(
    session: Session, *, actor: Actor, task_id: int, now: datetime, cfg: LightConfig
) -> dict[str, Any]:
    """Everything the task page and GET /tasks/{id} show: fields, units, targets with reported values."""
    task = readable_task(session, actor=actor, task_id=task_id)
    plan = session.get(Plan, task.plan_id)
    units = _units_of(session, [task.id]).get(task.id, [])
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
        history = values.get(q.id, [])
        hit = latest_of.get(q.id)
        latest = hit.value if hit else None
        state = reported(q, latest) if hit else ""
        target_rows.append(
            {
                "id": q.id,
                "text": q.text,
                "indicator": q.indicator,
                "comparator": q.comparator,
                "value": q.value,
                "value_high": q.value_high,
                "unit": q.unit,
                "placeholder": q.placeholder,
                "values": history,
                "latest": latest,
                "attainment": state,
                "attainment_name": STATE_NAMES.get(state, "") if state else "",
            }
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
    lt = live_lights(session, now=now, cfg=cfg).get(task.id, "")
    iso = lambda d: d.isoformat() if d else None  # noqa: E731
    return {
        "id": task.id,
        "plan_id": task.plan_id,
        "plan": plan.title if plan else "",
        "parent": {"id": parent.id, "number": parent.number, "title": parent.title} if parent else None,
        "path": task.path,
        "number": task.number,
        "level": task.level,
        "title": task.title,
        "body": task.body,
        "fields": task.fields or {},
        "responsible_text": task.responsible or [],
        "co_units_text": task.co_units_text or [],
        "status": task.status,
        "status_name": STATUS_NAMES.get(task.status, task.status),
        "light": lt,
        "light_name": LIGHT_NAMES.get(lt, ""),
        "due_date": iso(task.due_date),
        "assigned_at": task.assigned_at.isoformat(timespec="seconds") if task.assigned_at else None,
        "closed_at": task.closed_at.isoformat(timespec="seconds") if task.closed_at else None,
        "percent": task.last_percent,
        "last_report_at": task.last_report_at.isoformat(timespec="seconds") if task.last_report_at else None,
        "lead_unit": next(
            ({"id": uid, "name": n, "signed_at": iso(signed.get(uid))} for r, uid, n in units if r == "lead"),
            None,
        ),
        "co_units": [
            {"id": uid, "name": n, "signed_at": iso(signed.get(uid))} for r, uid, n in units if r == "co"
        ],
        "return_reason": task.return_reason,
        "extension": {
            "status": task.extension_status,
            "due_date": iso(task.extension_due_date),
            "reason": task.extension_reason,
        },
        "contest": {
            "status": task.contest_status,
            "kind": task.contest_kind,
            "kind_name": CONTEST_KINDS.get(task.contest_kind, ""),
            "reason": task.contest_reason,
        },
        "long_term": task.long_term,
        "targets": target_rows,
        "deadlines": [{"text": t, "date": d.isoformat()} for t, d in deadlines],
        "milestones": [
            {"title": t, "due_date": d.isoformat(), "done": done is not None} for t, d, done in milestones
        ],
        "version": task.version,
        "actions": allowed_actions(actor, task),
    }


def allowed_actions(actor: Actor, task: Task) -> list[str]:
    """The actions the actor may take on the task now (`tasks.refusal` decides; the service asks again)."""
    return allowed(actor, task)


# ---------------------------------------------------------------- timeline
@dataclass
class Event:
    at: datetime
    kind: str  # audit / report / reminder
    title: str
    actor: str = ""
    detail: str = ""
    seq: int = 0
    report: tuple[int, int] | None = None  # (period id, unit id) of a report event, to link to it

    def to_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(timespec="seconds"),
            "kind": self.kind,
            "title": self.title,
            "actor": self.actor,
            "detail": self.detail,
        }


def _audit_detail(action: str, after: dict[str, Any], names: dict[int, str]) -> str:
    parts = []
    if action in ("assign", "reassign"):
        units = after.get("units") or []
        lead = [names.get(uid, str(uid)) for role, uid in units if role == "lead"]
        co = [names.get(uid, str(uid)) for role, uid in units if role == "co"]
        if lead:
            parts.append("牵头：" + "、".join(lead))
        if co:
            parts.append("配合：" + "、".join(co))
        if after.get("due_date"):
            parts.append(f"完成时限：{after['due_date']}")
    elif action == "request_extension":
        ext = after.get("extension") or ["", None, ""]
        parts.append(f"延期至 {ext[1]}")
    elif action == "approve_extension" and after.get("due_date"):
        parts.append(f"新完成时限：{after['due_date']}")
    elif action == "contest":
        kind = (after.get("contest") or ["", "", ""])[1]
        parts.append(CONTEST_KINDS.get(kind, kind))
    if after.get("reason"):
        parts.append(f"理由：{after['reason']}")
    return "；".join(parts)


def timeline(session: Session, *, actor: Actor, task_id: int) -> list[Event]:
    """The task's whole history in Chinese words, newest first: transitions, reports, reminders."""
    import json

    task = readable_task(session, actor=actor, task_id=task_id)
    names = unit_names(session)
    events: list[Event] = []
    for rec in audit.history(session, entity="task", entity_id=task.id):
        if not rec.action.startswith("task."):
            continue  # reminders are listed from their own table below, with the receiving unit
        action = rec.action.removeprefix("task.")
        try:
            after = json.loads(rec.after) or {}
        except ValueError:
            after = {}
        events.append(
            Event(
                at=rec.at,
                kind="audit",
                title=ACTION_NAMES.get(action, action),
                actor=rec.actor,
                detail=_audit_detail(action, after if isinstance(after, dict) else {}, names),
                seq=rec.seq,
            )
        )
    reports = session.execute(
        select(
            Report.submitted_at,
            Report.late,
            Period.name,
            Unit.name,
            ReportItem.percent,
            ReportItem.work_done,
            Report.period_id,
            Report.unit_id,
        )
        .join(Report, Report.id == ReportItem.report_id)
        .join(Period, Period.id == Report.period_id)
        .join(Unit, Unit.id == Report.unit_id)
        .where(ReportItem.task_id == task.id)
    )
    for at, late, period, unit, percent, work, period_id, unit_id in reports:
        bits = [f"进度 {percent:g}%"] if percent is not None else []
        if work:
            bits.append(work)
        events.append(
            Event(
                at=at,
                kind="report",
                title=f"报送进展（{period}{'，逾期' if late else ''}）",
                actor=unit,
                detail="；".join(bits),
                report=(period_id, unit_id),
            )
        )
    reminders = session.execute(
        select(Reminder.created_at, Reminder.kind, Reminder.created_by, Reminder.message, Unit.name)
        .join(Unit, Unit.id == Reminder.unit_id)
        .where(Reminder.task_id == task.id)
    )
    for at, kind, by, message, unit in reminders:
        title = f"催办{'（自动）' if kind == 'auto' else ''} → {unit}"
        events.append(
            Event(at=at, kind="reminder", title=title, actor="系统" if by == "system" else by, detail=message)
        )
    events.sort(key=lambda e: (e.at, e.seq), reverse=True)
    return events


# ---------------------------------------------------------------- approvals
def approval_queue(session: Session, *, actor: Actor) -> dict[str, list[TaskRow]]:
    """What waits for a supervisor: close-out requests, extension requests, contests."""
    if actor.role != "supervisor":
        raise PermissionDenied("无权审批：需要督查角色")
    lead = aliased(TaskUnit)
    base = (
        select(Task, Plan.title, Unit.id, Unit.name)
        .join(Plan, Plan.id == Task.plan_id)
        .outerjoin(lead, and_(lead.task_id == Task.id, lead.role == "lead"))
        .outerjoin(Unit, Unit.id == lead.unit_id)
        .where(Task.removed_at.is_(None))
        .order_by(Task.updated_at)
    )
    queues = {
        "closeout": base.where(Task.status == "closeout_requested"),
        "extension": base.where(Task.extension_status == "requested", Task.status != "closed"),
        "contest": base.where(Task.contest_status == "pending", Task.status != "closed"),
    }
    out: dict[str, list[TaskRow]] = {}
    for key, stmt in queues.items():
        out[key] = [
            TaskRow(
                id=t.id,
                plan_id=t.plan_id,
                plan=plan,
                path=t.path,
                number=t.number,
                level=t.level,
                title=t.title,
                status=t.status,
                lead_unit_id=uid,
                lead_unit=uname or "",
                co_units=[],
                due_date=t.due_date,
                percent=t.last_percent,
                light="",
                overdue=False,
                version=t.version,
            )
            for t, plan, uid, uname in session.execute(stmt)
        ]
    return out


def approval_extras(session: Session, *, task_ids: list[int]) -> dict[int, Task]:
    """The tasks behind the queue rows (reasons, requested dates), by id."""
    if not task_ids:
        return {}
    return {t.id: t for t in session.execute(select(Task).where(Task.id.in_(task_ids))).scalars()}


# ---------------------------------------------------------------- dashboard
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
    lights = live_lights(session, now=now, cfg=cfg)
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


def plan_attainment(session: Session, *, task_ids: list[int]) -> dict[str, Any]:
    """Targets with a reported actual value: met / not met / unknown, by the latest reported value."""
    out: dict[str, Any] = {"met": 0, "not_met": 0, "unknown": 0, "rows": []}
    if not task_ids:
        return out
    targets = session.execute(
        select(Quantity, Task.number, Task.title)
        .join(Task, Task.id == Quantity.task_id)
        .where(Quantity.task_id.in_(task_ids), Quantity.role == "target", Quantity.removed_at.is_(None))
        .order_by(Task.position, Quantity.position)
    ).all()
    latest_of = latest_reported(session, quantity_ids=[q.id for q, _, _ in targets])
    for q, number, title in targets:
        latest = latest_of.get(q.id)
        if latest is None:
            continue
        state = reported(q, latest.value)
        out[state] += 1
        out["rows"].append(
            {
                "task_id": q.task_id,
                "task": f"{number} {title}",
                "target": q.text,
                "actual": latest.value,
                "unit": q.unit,
                "period": latest.period,
                "state": state,
                "state_name": STATE_NAMES[state],
            }
        )
    return out


# ---------------------------------------------------------------- audit log
@dataclass
class AuditFilter:
    actor: str = ""
    action: str = ""
    entity: str = ""
    entity_id: str = ""
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE


def require_auditor(actor: Actor) -> None:
    if actor.role != "audit_admin":
        raise PermissionDenied("无权查看审计日志：需要审计管理员角色")


def audit_log(session: Session, *, actor: Actor, filters: AuditFilter) -> Page:
    """The audit log, newest first, filtered; only for the audit administrator."""
    require_auditor(actor)
    f = filters
    f.page, f.per_page = max(1, f.page), min(MAX_PER_PAGE, max(1, f.per_page))
    conds = []
    if f.actor.strip():
        conds.append(AuditRecord.actor == f.actor.strip())
    if f.action.strip():
        a = f.action.strip()
        conds.append(
            AuditRecord.action.startswith(a, autoescape=True) if a.endswith(".") else AuditRecord.action == a
        )
    if f.entity.strip():
        conds.append(AuditRecord.entity == f.entity.strip())
    if f.entity_id.strip():
        conds.append(AuditRecord.entity_id == f.entity_id.strip())
    if f.date_from:
        conds.append(AuditRecord.at >= datetime.combine(f.date_from, datetime.min.time()))
    if f.date_to:
        conds.append(
            AuditRecord.at
            < datetime.combine(date.fromordinal(f.date_to.toordinal() + 1), datetime.min.time())
        )
    where = and_(true(), *conds)
    total = session.execute(select(func.count()).select_from(AuditRecord).where(where)).scalar_one()
    recs = session.execute(
        select(AuditRecord)
        .where(where)
        .order_by(AuditRecord.seq.desc())
        .offset((f.page - 1) * f.per_page)
        .limit(f.per_page)
    ).scalars()
    items = [
        {
            "seq": r.seq,
            "at": r.at.isoformat(timespec="seconds"),
            "actor": r.actor,
            "action": r.action,
            "action_name": action_name(r.action),
            "entity": r.entity,
            "entity_id": r.entity_id,
            "before": r.before,
            "after": r.after,
            "hash": r.hash,
        }
        for r in recs
    ]
    return Page(items, total, f.page, f.per_page)


def audit_choices(session: Session) -> tuple[list[str], list[str]]:
    """Distinct actions and entities present in the log (for the filter lists)."""
    actions = sorted(session.execute(select(AuditRecord.action).distinct()).scalars())
    entities = sorted(session.execute(select(AuditRecord.entity).distinct()).scalars())
    return actions, entities


def action_name(action: str) -> str:
    """Chinese words for an audit action code (task.close -> 销号)."""
    domain, _, verb = action.partition(".")
    if domain == "task" and verb in ACTION_NAMES:
        return ACTION_NAMES[verb]
    return AUDIT_NAMES.get(action, action)


AUDIT_NAMES = {
    "reminder.manual": "催办",
    "report.submit": "报送进展",
    "period.create": "设置报送周期",
    "unit.create": "新建单位",
    "unit.update": "修改单位",
    "user.create": "新建用户",
    "user.enable": "启用用户",
    "user.disable": "停用用户",
    "user.password": "修改密码",
    "user.password_reset": "重置密码",
    "user.unlock": "解锁用户",
    "plan.import": "导入计划",
    "plan.revise": "修订计划",
    "import_draft.create": "上传计划草稿",
    "import_draft.edit": "修改草稿",
    "import_draft.undo": "撤销草稿修改",
    "import_draft.discard": "放弃草稿",
    "import_draft.import": "确认导入",
    "tick": "计算灯色与自动催办",
    "session.start": "登录",
    "session.logout": "退出登录",
    "session.idle": "超时退出",
    "session.expired": "会话到期",
    "login.ok": "登录成功",
    "login.failed": "登录失败",
    "indicator.add": "新增指标",
    "indicator.alias": "指标别名",
    "indicator.grow": "扩充指标",
    "indicator.merge": "合并指标",
    "indicator.seed": "初始化指标",
    "reconcile.correct": "核对修正",
}
