"""Reminders (催办) and the unit inbox API; `unit_inbox` also feeds the /inbox page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from duban.ledger import reminders as ledger_reminders
from duban.ledger.clock import local_date
from duban.ledger.config import Config
from duban.ledger.db import utcnow
from duban.ledger.errors import PermissionDenied
from duban.ledger.lights import LIGHT_NAMES, status_rows
from duban.ledger.models import Plan, Reminder, Task
from duban.ledger.rights import require
from duban.ledger.tasks import ACTION_NAMES, CONTEST_KINDS, STATUS_NAMES, allowed, sign_all, tasks_of_unit
from duban.ledger.users import Actor
from duban.web.deps import Allowed, Cfg, Db

router = APIRouter(tags=["催办与待办"])
Member = Allowed("inbox")
DUE_SOON_DAYS = 14
# the quick actions a unit can take from its inbox, in the order shown
UNIT_ACTIONS = ("sign", "start", "resume", "request_closeout", "request_extension", "contest")


@dataclass
class InboxTask:
    id: int
    plan: str
    path: str
    title: str
    role: str  # lead / co
    status: str
    light: str
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
    actions: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "plan": self.plan,
            "path": self.path,
            "title": self.title,
            "role": self.role,
            "role_name": "牵头" if self.role == "lead" else "配合",
            "status": self.status,
            "status_name": STATUS_NAMES[self.status],
            "light": self.light,
            "light_name": LIGHT_NAMES.get(self.light, ""),
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "days_left": self.days_left,
            "percent": self.percent,
            "return_reason": self.return_reason,
            "extension_status": self.extension_status,
            "extension_due_date": self.extension_due_date.isoformat() if self.extension_due_date else None,
            "contest_status": self.contest_status,
            "contest_kind": self.contest_kind,
            "version": self.version,
            "signed_at": self.signed_at.isoformat(timespec="seconds") if self.signed_at else None,
            "actions": [{"action": a, "name": ACTION_NAMES[a]} for a in self.actions],
        }


@dataclass
class Inbox:
    tasks: list[InboxTask]
    due_soon: list[InboxTask]  # overdue first, then due within DUE_SOON_DAYS
    returned: list[InboxTask]
    reminders: list[Reminder]  # unread first, newest first
    closed: int


def unit_actions(task: Task, actor: Actor) -> list[str]:
    """The unit's quick actions allowed now (`tasks.refusal` decides; the service asks again)."""
    return allowed(actor, task, UNIT_ACTIONS)


def unit_inbox(db: Session, *, actor: Actor, cfg: Config, now: datetime | None = None) -> Inbox:
    """A unit member's work: its unit's open tasks with lights, what is due, returns, reminders."""
    require(actor, "inbox")
    if actor.unit_id is None:
        raise PermissionDenied("本单位待办只对单位用户开放")
    now = now or utcnow()
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
    due = sorted(
        (
            t
            for t in rows
            if t.days_left is not None and t.days_left <= DUE_SOON_DAYS and t.status != "closeout_requested"
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


def reminder_dict(r: Reminder, titles: dict[int, str] | None = None) -> dict[str, Any]:
    return {
        "id": r.id,
        "task_id": r.task_id,
        "task_title": (titles or {}).get(r.task_id),
        "unit_id": r.unit_id,
        "kind": r.kind,
        "kind_name": "自动提醒" if r.kind == "auto" else "督查催办",
        "message": r.message,
        "due_date": r.due_date.isoformat() if r.due_date else None,
        "created_by": r.created_by,
        "created_at": r.created_at.isoformat(timespec="seconds"),
        "read": r.read_at is not None,
    }


class RemindIn(BaseModel):
    task_id: int
    unit_id: int | None = Field(None, description="承办单位之一；不填则催办牵头单位")
    message: str = Field("", max_length=2000, description="不填则按完成时限自动生成")


@router.get("/inbox", summary="本单位待办：任务（含灯色）、临期与逾期、退回、收到的催办")
def get_inbox(db: Db, cfg: Cfg, actor: Member) -> dict:
    box = unit_inbox(db, actor=actor, cfg=cfg)
    titles = {t.id: t.title for t in box.tasks}
    return {
        "tasks": [t.to_dict() for t in box.tasks],
        "due_soon": [t.id for t in box.due_soon],
        "returned": [t.id for t in box.returned],
        "reminders": [reminder_dict(r, titles) for r in box.reminders],
        "unread": sum(1 for r in box.reminders if r.read_at is None),
        "closed": box.closed,
        "contest_kinds": CONTEST_KINDS,
    }


@router.post("/inbox/sign", summary="签收本单位全部待签收的任务（一键签收）")
def post_sign_all(db: Db, actor: Member) -> dict:
    return {"signed": sign_all(db, actor=actor)}


@router.post("/reminders", status_code=201, summary="催办一个任务的承办单位（督查）")
def post_reminder(body: RemindIn, db: Db, actor: Allowed("remind")) -> dict:
    rem = ledger_reminders.remind(
        db, actor=actor, task_id=body.task_id, unit_id=body.unit_id, message=body.message.strip()
    )
    return reminder_dict(rem)


@router.post("/reminders/{reminder_id}/read", summary="标记催办为已读（本单位用户）")
def post_read(reminder_id: int, db: Db, actor: Member) -> dict:
    ledger_reminders.mark_read(db, actor=actor, reminder_id=reminder_id)
    return {"ok": True}
