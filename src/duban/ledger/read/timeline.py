"""A task's whole history in Chinese words: transitions from the audit log, reports, reminders."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field, field_serializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger import audit
from duban.ledger.models import Period, Reminder, Report, ReportItem, Unit
from duban.ledger.read.common import unit_names
from duban.ledger.read.visibility import readable_task
from duban.ledger.tasks import ACTION_NAMES, CONTEST_KINDS, DECISIONS
from duban.ledger.users import Actor


class Event(BaseModel):
    """One entry of a task's timeline (the page's and the API's)."""

    at: datetime
    kind: str  # audit / report / reminder
    title: str
    actor: str = ""
    detail: str = ""
    seq: int = Field(0, exclude=True)  # the audit order, to sort events of the same second
    report: tuple[int, int] | None = Field(None, exclude=True)  # (period id, unit id): the page links it

    @field_serializer("at")
    def _at(self, at: datetime) -> str:
        return at.isoformat(timespec="seconds")


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
        parts.append(f"{'审核意见' if action in DECISIONS else '理由'}：{after['reason']}")
    return "；".join(parts)


def timeline(session: Session, *, actor: Actor, task_id: int) -> list[Event]:
    """The task's whole history in Chinese words, newest first: transitions, reports, reminders."""
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
