"""A unit member's inbox: its unit's open tasks with lights, what is due soon, returns, reminders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel, Field, computed_field, field_serializer
from sqlalchemy.orm import Session

from duban.ledger import reminders as ledger_reminders
from duban.ledger.clock import local_date
from duban.ledger.config import Config
from duban.ledger.db import utcnow
from duban.ledger.errors import PermissionDenied
from duban.ledger.models import Plan, Reminder, Task
from duban.ledger.read.cache import kept
from duban.ledger.read.lights import status_rows
from duban.ledger.read.tasks import StatusLight
from duban.ledger.rights import require
from duban.ledger.tasks import ACTION_NAMES, allowed, tasks_of_unit
from duban.ledger.users import Actor

# the quick actions a unit can take from its inbox, in the order shown
UNIT_ACTIONS = ("sign", "start", "resume", "request_closeout", "request_extension", "contest")


class ActionRef(BaseModel):
    action: str
    name: str


class InboxTask(StatusLight):
    """One of the unit's open tasks as the inbox lists it (the API's item too)."""

    id: int
    plan: str
    path: str
    title: str
    role: str  # lead / co
    due_date: date | None
    days_left: int | None
    percent: float | None
    return_reason: str
    extension_status: str
    extension_due_date: date | None
    contest_status: str
    contest_kind: str
    version: int
    signed_at: datetime | None = None  # this unit's 签收
    actions: list[str] = Field(default_factory=list)

    @computed_field
    @property
    def role_name(self) -> str:
        return "牵头" if self.role == "lead" else "配合"

    @field_serializer("signed_at")
    def _signed_at(self, at: datetime | None) -> str | None:
        return at.isoformat(timespec="seconds") if at else None

    @field_serializer("actions")
    def _actions(self, actions: list[str]) -> list[ActionRef]:
        return [ActionRef(action=a, name=ACTION_NAMES[a]) for a in actions]


@dataclass
class Inbox:
    tasks: list[InboxTask]
    due_soon: list[InboxTask]  # overdue first, then due within the lights' due_soon_days (blue)
    returned: list[InboxTask]
    reminders: list[Reminder]  # unread first, newest first
    closed: int


def unit_actions(task: Task, actor: Actor) -> list[str]:
    """The unit's quick actions allowed now (`tasks.refusal` decides; the service asks again)."""
    return allowed(actor, task, UNIT_ACTIONS)


def _unit_rows(db: Session, actor: Actor, cfg: Config, now: datetime) -> tuple[list[InboxTask], int]:
    """The unit's open tasks as inbox rows, and how many of its tasks are closed."""
    today = local_date(now)
    lights = {r.task_id: r.light for r in status_rows(db, now=now, cfg=cfg.lights, unit_id=actor.unit_id)}
    plans: dict[int, str] = {}
    rows, closed = [], 0
    for task in tasks_of_unit(db, unit_id=actor.unit_id):
        if task.status == "closed":
            closed += 1
            continue
        if task.status == "unassigned":
            continue
        mine = next((u for u in task.units if u.unit_id == actor.unit_id), None)
        role = mine.role if mine else "co"
        if task.plan_id not in plans:
            plans[task.plan_id] = db.get(Plan, task.plan_id).title
        rows.append(
            InboxTask(
                id=task.id,
                plan=plans[task.plan_id],
                path=task.path,
                title=task.title,
                role=role,
                status=task.status,
                light=lights.get(task.id, ""),
                due_date=task.due_date,
                days_left=(task.due_date - today).days if task.due_date else None,
                percent=task.last_percent,
                return_reason=task.return_reason if task.status == "returned" else "",
                extension_status=task.extension_status,
                extension_due_date=task.extension_due_date,
                contest_status=task.contest_status,
                contest_kind=task.contest_kind,
                version=task.version,
                signed_at=mine.signed_at if mine else None,
                actions=unit_actions(task, actor),
            )
        )
    return rows, closed


def unit_inbox(db: Session, *, actor: Actor, cfg: Config, now: datetime | None = None) -> Inbox:
    """A unit member's work: its unit's open tasks with lights, what is due, returns, reminders."""
    require(actor, "inbox")
    if actor.unit_id is None:
        raise PermissionDenied("本单位待办只对单位用户开放")
    now = now or utcnow()
    key = ("inbox", actor.role, actor.unit_id, cfg.lights)  # what the rows and actions read of the actor
    rows, closed = kept(db, now=now, key=key, compute=lambda: _unit_rows(db, actor, cfg, now))
    due = sorted(
        (
            t
            for t in rows
            if t.days_left is not None
            and t.days_left <= cfg.lights.due_soon_days
            and t.status != "closeout_requested"
        ),
        key=lambda t: t.days_left,
    )
    received = ledger_reminders.inbox(db, unit_id=actor.unit_id)
    received.sort(key=lambda r: r.read_at is not None)  # stable: unread first, each newest first
    return Inbox(
        tasks=rows,
        due_soon=due,
        returned=[t for t in rows if t.status == "returned"],
        reminders=received,
        closed=closed,
    )
