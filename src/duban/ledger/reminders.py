"""Reminders (催办): manual, and automatic on the configured ladder; inbox and e-mail.

Automatic reminders carry a key made of the task's current due date and the rung
("2024-08-31:before:7", "2024-08-31:overdue:2024-09-02"), unique per task and unit: running
`tick` twice creates nothing twice, and after an approved extension the ladder starts again
from the new date. Closed tasks (and tasks awaiting close-out) are never reminded.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.orm import Session, aliased

from duban.ledger import audit, notify
from duban.ledger.clock import local_date
from duban.ledger.config import Config, ReminderConfig, SmtpConfig
from duban.ledger.db import utcnow
from duban.ledger.errors import PermissionDenied, TransitionError, ValidationError
from duban.ledger.lights import light
from duban.ledger.models import LightChange, Reminder, Task, TaskUnit, Unit, User
from duban.ledger.read.lights import status_rows
from duban.ledger.rights import can, require
from duban.ledger.tasks import SIGNABLE, get_task
from duban.ledger.uow import use_case
from duban.ledger.users import SYSTEM, Actor

NO_REMINDER = ("unassigned", "closed", "closeout_requested")


def remind(
    session: Session,
    *,
    actor: Actor,
    task_id: int,
    unit_id: int | None = None,
    message: str = "",
    now: datetime | None = None,
) -> Reminder:
    """A manual reminder to the task's lead unit (or a given assigned unit)."""
    require(actor, "remind")
    now = now or utcnow()
    with use_case(session):
        task = get_task(session, task_id=task_id)
        if task.status in NO_REMINDER:
            raise TransitionError(f"任务 {task_id} 当前不需要催办（未交办、已销号或申请销号中）")
        units = {u.unit_id for u in task.units}
        unit_id = unit_id or task.lead_unit_id
        if unit_id not in units:
            raise ValidationError("只能催办该任务的承办单位")
        rem = Reminder(
            task_id=task.id,
            unit_id=unit_id,
            kind="manual",
            key=f"manual:{now.isoformat(timespec='microseconds')}",
            due_date=task.due_date,
            message=message or _message(task.title, task.due_date, local_date(now)),
            created_by=actor.name,
            created_at=now,
        )
        session.add(rem)
        session.flush()
        audit.record(
            session,
            actor=actor.name,
            action="reminder.manual",
            entity="task",
            entity_id=task.id,
            after={"unit_id": unit_id, "message": rem.message},
            at=now,
        )
    return rem


def _message(title: str, due: date | None, today: date) -> str:
    if due is None:
        return f"【催办】请抓紧推进任务“{title}”并按时报送进展。"
    days = (due - today).days
    when = f"已逾期{-days}天" if days < 0 else ("今天到期" if days == 0 else f"还有{days}天到期")
    return f"【催办】任务“{title}”完成时限为{due:%Y年%m月%d日}，{when}，请抓紧推进并按时报送进展。"


def ladder_key(*, due: date, today: date, cfg: ReminderConfig) -> tuple[str, bool] | None:
    """(key, overdue) of the rung reached today, None when no rung applies."""
    days = (due - today).days
    if days < 0:
        return (f"{due.isoformat()}:overdue:{today.isoformat()}", True) if cfg.overdue_daily else None
    for rung in sorted(cfg.days_before):
        if days <= rung:
            return f"{due.isoformat()}:before:{rung}", False
    return None


def auto_reminders(session: Session, *, today: date, cfg: ReminderConfig, now: datetime) -> list[Reminder]:
    """Create the ladder's reminders due today (in the caller's transaction)."""
    horizon = max(cfg.days_before, default=0)
    lead = aliased(TaskUnit)
    rows = session.execute(
        select(Task.id, Task.title, Task.due_date, lead.unit_id)
        .join(lead, and_(lead.task_id == Task.id, lead.role == "lead"))
        .where(
            Task.removed_at.is_(None),
            Task.status.not_in(NO_REMINDER),
            Task.due_date.is_not(None),
            Task.due_date <= date.fromordinal(today.toordinal() + horizon),
        )
    ).all()
    created = []
    for tid, title, due, uid in rows:
        rung = ladder_key(due=due, today=today, cfg=cfg)
        if rung is None:
            continue
        key, overdue = rung
        exists = session.execute(
            select(Reminder.id).where(Reminder.task_id == tid, Reminder.unit_id == uid, Reminder.key == key)
        ).first()
        if exists:
            continue
        if overdue:
            sent = session.execute(
                select(func.count())
                .select_from(Reminder)
                .where(
                    Reminder.task_id == tid,
                    Reminder.unit_id == uid,
                    Reminder.kind == "auto",
                    Reminder.key.like(f"{due.isoformat()}:overdue:%"),
                )
            ).scalar_one()
            if sent >= cfg.overdue_cap:
                continue
        rem = Reminder(
            task_id=tid,
            unit_id=uid,
            kind="auto",
            key=key,
            due_date=due,
            message=_message(title, due, today),
            created_by="system",
            created_at=now,
        )
        session.add(rem)
        created.append(rem)
    session.flush()
    return created


def sign_reminders(session: Session, *, cfg: ReminderConfig, now: datetime) -> list[Reminder]:
    """签收 time limit: remind each unit that has not signed a task `sign_days` after its 交办.

    Once per unit and assignment (the key holds the 交办 time), in the caller's transaction.
    """
    if cfg.sign_days <= 0:
        return []
    rows = session.execute(
        select(Task.id, Task.title, Task.assigned_at, TaskUnit.unit_id)
        .join(TaskUnit, TaskUnit.task_id == Task.id)
        .where(
            Task.removed_at.is_(None),
            Task.status.in_(SIGNABLE),
            Task.assigned_at.is_not(None),
            Task.assigned_at <= now - timedelta(days=cfg.sign_days),
            TaskUnit.signed_at.is_(None),
        )
    ).all()
    created = []
    for tid, title, assigned_at, uid in rows:
        key = f"sign:{assigned_at.isoformat(timespec='seconds')}"
        if session.execute(
            select(Reminder.id).where(Reminder.task_id == tid, Reminder.unit_id == uid, Reminder.key == key)
        ).first():
            continue
        rem = Reminder(
            task_id=tid,
            unit_id=uid,
            kind="auto",
            key=key,
            message=f"【签收提醒】任务“{title}”已于{local_date(assigned_at):%Y年%m月%d日}交办贵单位，"
            f"超过{cfg.sign_days}天尚未签收，请登录督办系统签收。",
            created_by="system",
            created_at=now,
        )
        session.add(rem)
        created.append(rem)
    session.flush()
    return created


def inbox(session: Session, *, unit_id: int, unread_only: bool = False) -> list[Reminder]:
    """A unit's reminders, newest first."""
    stmt = (
        select(Reminder)
        .where(Reminder.unit_id == unit_id)
        .order_by(Reminder.created_at.desc(), Reminder.id.desc())
    )
    if unread_only:
        stmt = stmt.where(Reminder.read_at.is_(None))
    return list(session.execute(stmt).scalars())


def mark_read(session: Session, *, actor: Actor, reminder_id: int) -> None:
    with use_case(session):
        rem = session.get(Reminder, reminder_id)
        if rem is None or not can(actor, "reminder.read", rem.unit_id):
            raise PermissionDenied("无权查看该提醒")
        rem.read_at = rem.read_at or utcnow()


def _recipients(session: Session, unit_id: int) -> list[str]:
    unit = session.get(Unit, unit_id)
    emails = [unit.email] if unit and unit.email else []
    emails += session.execute(
        select(User.email).where(User.unit_id == unit_id, User.active.is_(True), User.email != "")
    ).scalars()
    return list(dict.fromkeys(emails))


def _claim(session: Session, rem_id: int, when: datetime) -> bool:
    """Mark a reminder as e-mailed before sending; only one process wins it (at most once)."""
    with use_case(session):
        res = session.execute(
            update(Reminder)
            .where(Reminder.id == rem_id, Reminder.emailed_at.is_(None), Reminder.email_error == "")
            .values(emailed_at=when),
            execution_options={"synchronize_session": False},
        )
    return res.rowcount == 1


def _release(session: Session, rem_id: int, error: str) -> None:
    with use_case(session):
        session.execute(
            update(Reminder).where(Reminder.id == rem_id).values(emailed_at=None, email_error=error[:500]),
            execution_options={"synchronize_session": False},
        )


def send_pending(session: Session, *, smtp: SmtpConfig, now: datetime | None = None) -> int:
    """E-mail every reminder not yet e-mailed, each claimed in its own commit first. Returns how many were sent."""
    if not smtp.host:
        return 0
    pending = list(
        session.execute(
            select(Reminder.id, Reminder.unit_id, Reminder.message, Task.title)
            .join(Task, Task.id == Reminder.task_id)
            .where(Reminder.emailed_at.is_(None), Reminder.email_error == "")
            .order_by(Reminder.id)
        ).all()
    )
    session.rollback()
    if not pending:
        return 0
    try:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
    except OSError as exc:
        raise ValidationError(f"无法连接邮件服务器 {smtp.host}:{smtp.port}：{exc}") from exc
    sent = 0
    with client:
        if smtp.starttls:
            client.starttls()
        if smtp.username:
            client.login(smtp.username, smtp.password)
        for rem_id, unit_id, message, title in pending:
            to = _recipients(session, unit_id)
            if not to:
                _release(session, rem_id, "单位和用户均未设置邮箱")
                continue
            if not _claim(session, rem_id, now or utcnow()):
                continue  # another tick sent it
            msg = EmailMessage()
            msg["Subject"] = f"【督办提醒】{title[:40]}"
            msg["From"] = smtp.sender
            msg["To"] = ", ".join(to)
            msg["X-Duban-Reminder"] = str(rem_id)
            msg.set_content(message)
            try:
                client.send_message(msg)
            except smtplib.SMTPException as exc:
                _release(session, rem_id, str(exc))
            else:
                sent += 1
    session.expire_all()
    return sent


@dataclass
class TickResult:
    lights_changed: int = 0
    reminders: list[int] = field(default_factory=list)
    emailed: int = 0
    pushed: int = 0  # deliveries sent to the notifier channels


def tick(session: Session, *, cfg: Config, now: datetime | None = None) -> TickResult:
    """The one time-driven job: store lights, create ladder reminders (one commit), then e-mail."""
    now = now or utcnow()
    result = TickResult()
    with use_case(session):
        # one tick at a time (a use case is a writer): a second one waits, then finds the work done
        current = dict(session.execute(select(Task.id, Task.light).where(Task.removed_at.is_(None))).all())
        changed: dict[str, list[int]] = {}
        history = []
        for row in status_rows(session, now=now, cfg=cfg.lights, include_unassigned=True):
            if current.get(row.task_id, "") != row.light:
                changed.setdefault(row.light, []).append(row.task_id)
                if row.light:  # the light history shown beside a close-out: colour and the rule that gave it
                    history.append({"task_id": row.task_id, "light": row.light, "rule": row.rule, "at": now})
        if history:
            session.execute(insert(LightChange), history)
        for value, ids in changed.items():
            for i in range(0, len(ids), 500):
                # derived data: a plain UPDATE, so it does not bump the task's edit version
                session.execute(
                    update(Task).where(Task.id.in_(ids[i : i + 500])).values(light=value),
                    execution_options={"synchronize_session": False},
                )
            result.lights_changed += len(ids)
        created = auto_reminders(session, today=local_date(now), cfg=cfg.reminders, now=now)
        created += sign_reminders(session, cfg=cfg.reminders, now=now)
        result.reminders = [r.id for r in created]
        if created or result.lights_changed:
            audit.record(
                session,
                actor=SYSTEM.name,
                action="tick",
                entity="system",
                entity_id="tick",
                after={"lights_changed": result.lights_changed, "reminders": result.reminders},
                at=now,
            )
    result.emailed = send_pending(session, smtp=cfg.smtp, now=now)
    result.pushed = notify.deliver(session, cfg=cfg.notify, now=now).sent
    return result


__all__ = [
    "auto_reminders",
    "inbox",
    "ladder_key",
    "light",
    "mark_read",
    "remind",
    "send_pending",
    "sign_reminders",
    "tick",
]
