"""Reminders (催办) and the unit inbox API (the inbox read model is `ledger.read.inbox`, shared with /inbox)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from pydantic import BaseModel, Field, computed_field

from duban.ledger import reminders as ledger_reminders
from duban.ledger.models import Reminder
from duban.ledger.read.inbox import InboxTask, unit_inbox
from duban.ledger.tasks import CONTEST_KINDS, sign_all
from duban.web.api.units import Ok
from duban.web.deps import Allowed, Cfg, Db

router = APIRouter(tags=["催办与待办"])
Member = Allowed("inbox")


class ReminderOut(BaseModel):
    """A reminder as the unit and the supervisor see it."""

    id: int
    task_id: int
    task_title: str | None = None
    unit_id: int
    kind: str  # auto / manual
    message: str
    due_date: date | None
    created_by: str | None
    created_at: str
    read: bool

    @computed_field
    @property
    def kind_name(self) -> str:
        return "自动提醒" if self.kind == "auto" else "督查催办"

    @classmethod
    def of(cls, r: Reminder, titles: dict[int, str] | None = None) -> ReminderOut:
        return cls(
            id=r.id,
            task_id=r.task_id,
            task_title=(titles or {}).get(r.task_id),
            unit_id=r.unit_id,
            kind=r.kind,
            message=r.message,
            due_date=r.due_date,
            created_by=r.created_by,
            created_at=r.created_at.isoformat(timespec="seconds"),
            read=r.read_at is not None,
        )


class InboxOut(BaseModel):
    tasks: list[InboxTask]
    due_soon: list[int] = Field(description="临期与逾期任务的编号（逾期在前）")
    returned: list[int] = Field(description="被退回任务的编号")
    reminders: list[ReminderOut]
    unread: int
    closed: int = Field(description="本单位已销号的任务数")
    contest_kinds: dict[str, str]


class Signed(BaseModel):
    signed: list[int] = Field(description="签收的任务编号")


class RemindIn(BaseModel):
    task_id: int
    unit_id: int | None = Field(None, description="承办单位之一；不填则催办牵头单位")
    message: str = Field("", max_length=2000, description="不填则按完成时限自动生成")


@router.get("/inbox", summary="本单位待办：任务（含灯色）、临期与逾期、退回、收到的催办")
def get_inbox(db: Db, cfg: Cfg, actor: Member) -> InboxOut:
    box = unit_inbox(db, actor=actor, cfg=cfg)
    titles = {t.id: t.title for t in box.tasks}
    return InboxOut(
        tasks=box.tasks,
        due_soon=[t.id for t in box.due_soon],
        returned=[t.id for t in box.returned],
        reminders=[ReminderOut.of(r, titles) for r in box.reminders],
        unread=sum(1 for r in box.reminders if r.read_at is None),
        closed=box.closed,
        contest_kinds=CONTEST_KINDS,
    )


@router.post("/inbox/sign", summary="签收本单位全部待签收的任务（一键签收）")
def post_sign_all(db: Db, actor: Member) -> Signed:
    return Signed(signed=sign_all(db, actor=actor))


@router.post("/reminders", status_code=201, summary="催办一个任务的承办单位（督查）")
def post_reminder(body: RemindIn, db: Db, actor: Allowed("remind")) -> ReminderOut:
    rem = ledger_reminders.remind(
        db, actor=actor, task_id=body.task_id, unit_id=body.unit_id, message=body.message.strip()
    )
    return ReminderOut.of(rem)


@router.post("/reminders/{reminder_id}/read", summary="标记催办为已读（本单位用户）")
def post_read(reminder_id: int, db: Db, actor: Member) -> Ok:
    ledger_reminders.mark_read(db, actor=actor, reminder_id=reminder_id)
    return Ok()
