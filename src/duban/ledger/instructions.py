"""领导批示: a leader's written instruction on a task, or on one unit's report of it.

Shown on the task page to the units that carry the task and to the supervisors, and kept in the
audit trail. An instruction is never edited: a later one follows it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger import audit
from duban.ledger.db import utcnow
from duban.ledger.errors import NotFoundError, ValidationError
from duban.ledger.models import Instruction, Period, Report, ReportItem, Unit
from duban.ledger.rights import require
from duban.ledger.tasks import get_task
from duban.ledger.uow import use_case
from duban.ledger.users import Actor

MAX_CHARS = 2000


def instruct(
    session: Session,
    *,
    actor: Actor,
    task_id: int,
    text: str,
    report_id: int | None = None,
    now: datetime | None = None,
) -> Instruction:
    """Write a 批示 on the task (or on a report that covers it); audited, one transaction."""
    require(actor, "instruct")
    text = (text or "").strip()
    if not text:
        raise ValidationError("批示内容不能为空")
    if len(text) > MAX_CHARS:
        raise ValidationError(f"批示内容过长（最多 {MAX_CHARS} 字）")
    now = now or utcnow()
    with use_case(session):
        task = get_task(session, task_id=task_id)
        if report_id is not None:
            covers = session.execute(
                select(ReportItem.id).where(ReportItem.report_id == report_id, ReportItem.task_id == task.id)
            ).first()
            if session.get(Report, report_id) is None or not covers:
                raise NotFoundError(f"该任务没有这份报送：{report_id}")
        note = Instruction(task_id=task.id, report_id=report_id, text=text, author=actor.name, created_at=now)
        session.add(note)
        session.flush()
        audit.record(
            session,
            actor=actor.name,
            action="task.instruct",
            entity="task",
            entity_id=task.id,
            after={"instruction_id": note.id, "report_id": report_id, "text": text},
            at=now,
        )
    return note


def instructions_of(session: Session, *, task_ids: list[int]) -> dict[int, list[Instruction]]:
    """Task id -> its 批示, newest first (the caller has checked the reader may see the task)."""
    out: dict[int, list[Instruction]] = {}
    if not task_ids:
        return out
    for note in session.execute(
        select(Instruction)
        .where(Instruction.task_id.in_(task_ids))
        .order_by(Instruction.created_at.desc(), Instruction.id.desc())
    ).scalars():
        out.setdefault(note.task_id, []).append(note)
    return out


def reports_of_task(session: Session, *, task_id: int) -> list[tuple[int, str]]:
    """(report id, "period · unit") of every report covering the task, newest first: what a 批示 may address."""
    rows = session.execute(
        select(Report.id, Period.name, Unit.name)
        .join(ReportItem, ReportItem.report_id == Report.id)
        .join(Period, Period.id == Report.period_id)
        .join(Unit, Unit.id == Report.unit_id)
        .where(ReportItem.task_id == task_id)
        .order_by(Report.submitted_at.desc(), Report.id.desc())
    )
    return [(rid, f"{period} · {unit}") for rid, period, unit in rows]
