"""Progress reports, "最多报一次": one report per unit and period covering all its tasks.

The draft is pre-filled from the unit's last report; whatever a unit leaves out is carried
over from there, so no figure is asked twice. A report after the period's cut-off is late.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, aliased, selectinload

from duban.ledger import audit, reminders, tasks
from duban.ledger.clock import local_date, to_local
from duban.ledger.config import ReportConfig
from duban.ledger.db import utcnow
from duban.ledger.errors import (
    ConflictError,
    NotFoundError,
    TransitionError,
    ValidationError,
)
from duban.ledger.models import (
    Attachment,
    Blob,
    Period,
    Quantity,
    Report,
    ReportDraft,
    ReportItem,
    ReportValue,
    Task,
    TaskUnit,
    Unit,
)
from duban.ledger.rights import can, require
from duban.ledger.uow import use_case
from duban.ledger.users import Actor
from duban.plan.scale import check_value

REPORTABLE = ("assigned", "in_progress", "returned", "closeout_requested")


@dataclass
class Entry:
    """One task's part of a unit's report (also the pre-filled draft)."""

    task_id: int
    work_done: str = ""
    problems: str = ""
    next_steps: str = ""
    percent: float | None = None
    values: dict[int, float | None] = field(default_factory=dict)  # quantity id -> actual value
    attachments: list[tuple[str, bytes]] = field(default_factory=list)  # (original name, content)
    title: str = ""  # for display
    targets: list[tuple[int, str]] = field(default_factory=list)  # (quantity id, target text)
    confirmed: set[int] = field(default_factory=set)  # quantity ids whose off-scale value the unit confirmed
    folded: set[int] = field(default_factory=set)  # co-units' report items the lead unit folds in


class ValueQuestions(ValidationError):
    """Values off their target's scale ("是否为 8%？"): nothing is saved until the unit confirms them."""

    def __init__(self, questions: list[tuple[int, int, str]]) -> None:
        self.questions = questions  # (task id, quantity id, question)
        super().__init__("；".join(q for _, _, q in questions) + "。确认无误请勾选“确认无误”后再次提交")


def create_period(
    session: Session, *, actor: Actor, name: str, start: date, end: date, cutoff: datetime
) -> Period:
    """A reporting period with its cut-off (supervisor or admin)."""
    require(actor, "period.create")
    if end < start or local_date(cutoff) < end:
        raise ValidationError("报送周期日期无效：结束日期不能早于开始日期，截止时间不能早于结束日期")
    with use_case(session):
        if session.execute(select(Period.id).where(Period.name == name)).first():
            raise ValidationError(f"报送周期已存在：{name}")
        period = Period(name=name, start=start, end=end, cutoff=cutoff)
        session.add(period)
        session.flush()
        audit.record(
            session,
            actor=actor.name,
            action="period.create",
            entity="period",
            entity_id=period.id,
            after={"name": name, "start": start, "end": end, "cutoff": cutoff},
        )
    return period


def get_period(session: Session, *, name: str) -> Period:
    period = session.execute(select(Period).where(Period.name == name)).scalar_one_or_none()
    if period is None:
        raise NotFoundError(f"报送周期不存在：{name}")
    return period


def _unit_tasks(session: Session, unit_id: int) -> list[Task]:
    stmt = (
        select(Task)
        .join(TaskUnit, TaskUnit.task_id == Task.id)
        .where(TaskUnit.unit_id == unit_id, Task.removed_at.is_(None), Task.status.in_(REPORTABLE))
        .order_by(Task.plan_id, Task.position)
    )
    return list(session.execute(stmt).scalars().unique())


def draft(session: Session, *, unit_id: int, period_id: int) -> list[Entry]:
    """The unit's report for a period, pre-filled from its last report before it."""
    period = session.get(Period, period_id)
    if period is None:
        raise NotFoundError(f"报送周期不存在：{period_id}")
    last = session.execute(
        select(Report)
        .join(Period, Period.id == Report.period_id)
        .where(Report.unit_id == unit_id, Period.end < period.end)
        .order_by(Period.end.desc())
        .limit(1)
        .options(selectinload(Report.items).selectinload(ReportItem.values))
    ).scalar_one_or_none()
    previous = {i.task_id: i for i in last.items} if last else {}
    unit_tasks = _unit_tasks(session, unit_id)
    targets_of: dict[int, list[tuple[int, str]]] = {}
    for qid, tid, text in session.execute(  # every task's targets in one query, in their order
        select(Quantity.id, Quantity.task_id, Quantity.text)
        .where(
            Quantity.task_id.in_([t.id for t in unit_tasks]),
            Quantity.role == "target",
            Quantity.removed_at.is_(None),
        )
        .order_by(Quantity.id)
    ):
        targets_of.setdefault(tid, []).append((qid, text))
    entries = []
    for task in unit_tasks:
        prev = previous.get(task.id)
        entry = Entry(task_id=task.id, title=task.title, targets=targets_of.get(task.id, []))
        if prev:
            entry.work_done, entry.problems, entry.next_steps = prev.work_done, prev.problems, prev.next_steps
            entry.percent = prev.percent
            entry.values = {v.quantity_id: v.value for v in prev.values}
        entries.append(entry)
    return entries


def _merge(base: dict[int, Entry], entries: list[Entry]) -> None:
    """Fold the typed entries into the base (last report, or the report being edited); blanks keep it."""
    for e in entries:
        if e.task_id not in base:
            raise ValidationError(f"任务 {e.task_id} 不是本单位当前可报送的任务")
        if e.percent is not None and not 0 <= e.percent <= 100:
            raise ValidationError("完成进度应在 0 到 100 之间")
        allowed = {q for q, _ in base[e.task_id].targets}
        if set(e.values) - allowed:
            raise ValidationError(f"任务 {e.task_id} 没有这些目标：{sorted(set(e.values) - allowed)}")
        merged = base[e.task_id]
        for attr in ("work_done", "problems", "next_steps"):
            if getattr(e, attr):
                setattr(merged, attr, getattr(e, attr))
        if e.percent is not None:
            merged.percent = e.percent
        merged.values = {**merged.values, **e.values}
        merged.attachments = list(e.attachments)
        merged.confirmed = set(e.confirmed)
        merged.folded = set(e.folded)


def check_values(session: Session, entries: Iterable[Entry]) -> None:
    """Every figure against its target's unit and scale (`plan.scale`): refused, or asked about."""
    questions = []
    for e in entries:
        for qid, value in e.values.items():
            q = session.get(Quantity, qid)
            if value is None or q is None:
                continue
            found = check_value(value, target=q.value, unit=q.unit or "", comparator=q.comparator)
            if found is None:
                continue
            if found.level == "refuse":
                raise ValidationError(f"目标“{q.text[:30]}”的实际值有误：{found.message}")
            if qid not in e.confirmed:
                questions.append((e.task_id, qid, f"目标“{q.text[:30]}”填写 {value:g}：{found.message}"))
    if questions:
        raise ValueQuestions(questions)


def _store_attachments(session: Session, item: ReportItem, attachments: list[tuple[str, bytes]]) -> None:
    for name, content in attachments:
        sha = hashlib.sha256(content).hexdigest()
        if session.get(Blob, sha) is None:
            session.add(Blob(sha256=sha, size=len(content), content=content))
            session.flush()
        item.attachments.append(Attachment(sha256=sha, original_name=name))


def _write_item(session: Session, item: ReportItem, entry: Entry) -> None:
    item.work_done, item.problems, item.next_steps = entry.work_done, entry.problems, entry.next_steps
    item.percent = entry.percent
    item.values = [ReportValue(quantity_id=q, value=v) for q, v in entry.values.items()]
    _store_attachments(session, item, entry.attachments)


def _update_tasks(
    session: Session, actor: Actor, unit_id: int, entries: Iterable[Entry], now: datetime
) -> None:
    """The lead unit's report moves its tasks: 已交办 starts, the latest percent is the task's."""
    entries = list(entries)
    stmt = select(Task).where(Task.id.in_([e.task_id for e in entries])).options(selectinload(Task.units))
    by_id = {
        t.id: t for t in session.execute(stmt).scalars()
    }  # with their units: two queries, not two a task
    for entry in entries:
        task = by_id[entry.task_id]
        if task.lead_unit_id == unit_id:
            if task.status == "assigned":
                tasks.apply(session, actor=actor, task=task, action="start", now=now)
            task.last_percent = entry.percent
            task.last_report_at = now


def _check_reporter(actor: Actor, unit_id: int) -> None:
    require(actor, "report.submit", unit_id)


def _existing(session: Session, unit_id: int, period_id: int) -> Report | None:
    return session.execute(
        select(Report).where(Report.unit_id == unit_id, Report.period_id == period_id)
    ).scalar_one_or_none()


def submit(
    session: Session,
    *,
    actor: Actor,
    unit_id: int,
    period_id: int,
    entries: list[Entry],
    now: datetime | None = None,
) -> Report:
    """Submit the unit's one report for the period; tasks not mentioned carry their last entry over.

    After the cut-off it is a 补报 (marked late). The period's 暂存 draft is dropped.
    """
    now = now or utcnow()
    _check_reporter(actor, unit_id)
    with use_case(session):
        period = session.get(Period, period_id)
        unit = session.get(Unit, unit_id)
        if period is None or unit is None:
            raise NotFoundError("报送周期或单位不存在")
        if _existing(session, unit_id, period_id):
            raise ConflictError(f"{unit.name}已报送{period.name}的进展（每期只报一次，可在截止前修改）")
        base = {e.task_id: e for e in draft(session, unit_id=unit_id, period_id=period_id)}
        _merge(base, entries)
        _fold(session, unit_id, period_id, base.values())
        check_values(session, base.values())
        report = Report(
            unit_id=unit_id,
            period_id=period_id,
            submitted_by=actor.user_id,
            submitted_at=now,
            late=now > period.cutoff,
        )
        session.add(report)
        for entry in base.values():
            item = ReportItem(task_id=entry.task_id)
            _write_item(session, item, entry)
            report.items.append(item)
        session.flush()
        _update_tasks(session, actor, unit_id, base.values(), now)
        session.execute(
            delete(ReportDraft).where(ReportDraft.unit_id == unit_id, ReportDraft.period_id == period_id)
        )
        audit.record(
            session,
            actor=actor.name,
            action="report.submit",
            entity="report",
            entity_id=report.id,
            after={"unit_id": unit_id, "period": period.name, "late": report.late, "tasks": sorted(base)},
            at=now,
        )
    return report


# --- after submission: edits until the period closes or a supervisor has read it ---
def edit_refusal(period: Period, report: Report, *, now: datetime) -> str | None:
    """Why the unit may no longer change its submitted report, None while it may.

    Editable until a supervisor has read it and, for a report made in time, until the cut-off; a 补报
    (made after the cut-off) stays editable until it is read.
    """
    if report.read_at is not None:
        return (
            f"督查已于{to_local(report.read_at):%m月%d日 %H:%M}阅读本期报送，不能再修改；如需更正请联系督查"
        )
    if not report.late and now > period.cutoff:
        return f"“{period.name}”已过报送截止时间，不能再修改"
    return None


def entries_of(session: Session, report: Report) -> list[Entry]:
    """The report's content as entries (the edit form's pre-fill), targets as in the draft."""
    titles = {e.task_id: e for e in draft(session, unit_id=report.unit_id, period_id=report.period_id)}
    out = []
    for item in report.items:
        d = titles.get(item.task_id)
        task = session.get(Task, item.task_id)
        out.append(
            Entry(
                task_id=item.task_id,
                work_done=item.work_done,
                problems=item.problems,
                next_steps=item.next_steps,
                percent=item.percent,
                values={v.quantity_id: v.value for v in item.values},
                title=task.title,
                targets=d.targets if d else [],
            )
        )
    return out


def edit(
    session: Session,
    *,
    actor: Actor,
    unit_id: int,
    period_id: int,
    entries: list[Entry],
    now: datetime | None = None,
) -> Report:
    """Change a submitted report in place (new attachments are added to the old); audited before/after."""
    now = now or utcnow()
    _check_reporter(actor, unit_id)
    with use_case(session):
        period = get_period_by_id(session, period_id=period_id)
        report = _existing(session, unit_id, period_id)
        if report is None:
            raise NotFoundError(f"本单位尚未报送“{period.name}”，没有可修改的报送")
        refused = edit_refusal(period, report, now=now)
        if refused:
            raise TransitionError(refused)
        base = {e.task_id: e for e in entries_of(session, report)}
        before = {t: _summary(e) for t, e in base.items()}
        _merge(base, entries)
        _fold(session, unit_id, period_id, base.values())
        check_values(session, base.values())
        for item in report.items:
            _write_item(session, item, base[item.task_id])
        report.edited_at = now
        session.flush()
        _update_tasks(session, actor, unit_id, base.values(), now)
        audit.record(
            session,
            actor=actor.name,
            action="report.edit",
            entity="report",
            entity_id=report.id,
            before=before,
            after={t: _summary(e) for t, e in base.items()},
            at=now,
        )
    return report


def _summary(e: Entry) -> dict[str, object]:
    return {
        "work_done": e.work_done,
        "problems": e.problems,
        "next_steps": e.next_steps,
        "percent": e.percent,
        "values": {str(q): v for q, v in sorted(e.values.items())},
    }


def mark_read(session: Session, *, actor: Actor, report: Report, now: datetime | None = None) -> None:
    """A supervisor has opened the report: from now on the unit cannot change it. First reading only."""
    if not can(actor, "report.review") or report.read_at is not None:
        return
    now = now or utcnow()
    with use_case(session):
        report.read_at, report.read_by = now, actor.name
        audit.record(
            session, actor=actor.name, action="report.read", entity="report", entity_id=report.id, at=now
        )


# --- 暂存: a draft kept as typed, resumed next time ---
DRAFT_FIELDS = ("work_done_", "problems_", "next_steps_", "percent_", "value_", "fold_")


def save_draft(
    session: Session,
    *,
    actor: Actor,
    unit_id: int,
    period_id: int,
    fields: dict[str, str],
    now: datetime | None = None,
) -> ReportDraft:
    """暂存 the form as typed (nothing checked yet); one draft per unit and period, replaced each time."""
    now = now or utcnow()
    _check_reporter(actor, unit_id)
    kept = {k: str(v)[:20000] for k, v in fields.items() if k.startswith(DRAFT_FIELDS)}
    with use_case(session):
        period = get_period_by_id(session, period_id=period_id)
        if _existing(session, unit_id, period_id):
            raise ValidationError(f"本单位已报送“{period.name}”，不再暂存；请直接修改已报送的内容")
        row = get_draft(session, unit_id=unit_id, period_id=period_id)
        if row is None:
            row = ReportDraft(unit_id=unit_id, period_id=period_id)
            session.add(row)
        row.fields, row.saved_by, row.saved_at = kept, actor.name, now
        session.flush()
        audit.record(
            session,
            actor=actor.name,
            action="report.draft",
            entity="report_draft",
            entity_id=row.id,
            after={"unit_id": unit_id, "period": period.name, "fields": len(kept)},
            at=now,
        )
    return row


def get_draft(session: Session, *, unit_id: int, period_id: int) -> ReportDraft | None:
    return session.execute(
        select(ReportDraft).where(ReportDraft.unit_id == unit_id, ReportDraft.period_id == period_id)
    ).scalar_one_or_none()


CO_DIRECT = ReportConfig().co_units_report_directly  # the default policy; callers pass the configured one


def owes_report(role: str, *, co_direct: bool) -> bool:
    """Does a unit with this role on a task owe the supervisor a report on it? (the lead always)"""
    return role == "lead" or co_direct


def missing_units(session: Session, *, period_id: int, co_direct: bool = CO_DIRECT) -> list[Unit]:
    """Units owing a report on reportable tasks (`owes_report`) that have not reported for the period."""
    reported = select(Report.unit_id).where(Report.period_id == period_id)
    roles = ["lead", "co"] if owes_report("co", co_direct=co_direct) else ["lead"]
    stmt = (
        select(Unit)
        .join(TaskUnit, TaskUnit.unit_id == Unit.id)
        .join(Task, Task.id == TaskUnit.task_id)
        .where(
            Task.status.in_(REPORTABLE),
            Task.removed_at.is_(None),
            Unit.id.not_in(reported),
            TaskUnit.role.in_(roles),
        )
        .order_by(Unit.id)
    )
    return list(session.execute(stmt).scalars().unique())


def co_inputs(session: Session, *, unit_id: int, period_id: int) -> dict[int, list[tuple[int, str, str]]]:
    """For the lead unit's form: what its co-units reported this period on the tasks it leads.

    task id -> [(report item id, co-unit name, text)]; the lead unit folds what it takes into its own.
    """
    lead = aliased(TaskUnit)
    co = aliased(TaskUnit)
    rows = session.execute(
        select(ReportItem.task_id, ReportItem.id, Unit.name, ReportItem.work_done, ReportItem.problems)
        .join(Report, Report.id == ReportItem.report_id)
        .join(Unit, Unit.id == Report.unit_id)
        .join(lead, (lead.task_id == ReportItem.task_id) & (lead.role == "lead"))
        .join(co, (co.task_id == ReportItem.task_id) & (co.unit_id == Report.unit_id) & (co.role == "co"))
        .where(Report.period_id == period_id, lead.unit_id == unit_id)
        .order_by(ReportItem.task_id, Unit.id)
    ).all()
    out: dict[int, list[tuple[int, str, str]]] = {}
    for task_id, item_id, name, done, problems in rows:
        text = "；".join(
            x for x in (done.strip(), f"存在问题：{problems.strip()}" if problems.strip() else "") if x
        )
        if text:
            out.setdefault(task_id, []).append((item_id, name, text))
    return out


def _fold(session: Session, unit_id: int, period_id: int, entries: Iterable[Entry]) -> None:
    """The co-units' inputs the lead unit chose (Entry.folded), appended to its 完成情况 once each."""
    wanted = [e for e in entries if e.folded]
    if not wanted:
        return
    inputs = co_inputs(session, unit_id=unit_id, period_id=period_id)
    for e in wanted:
        for item_id, name, text in inputs.get(e.task_id, []):
            line = f"【{name}】{text}"
            if item_id in e.folded and line not in e.work_done:
                e.work_done = f"{e.work_done}\n{line}".strip()


def report_counts(session: Session, *, period_id: int) -> dict[int, tuple[int, float | None, bool]]:
    """Per unit for a period: (entries, average percent, late)."""
    stmt = (
        select(Report.unit_id, func.count(ReportItem.id), func.avg(ReportItem.percent), Report.late)
        .join(ReportItem, ReportItem.report_id == Report.id)
        .where(Report.period_id == period_id)
        .group_by(Report.unit_id, Report.late)
    )
    return {u: (n, avg, late) for u, n, avg, late in session.execute(stmt)}


# --- reading reports (web: /reports, /periods, /api/v1/reports) ---


def list_periods(session: Session) -> list[Period]:
    """Every reporting period, the latest first."""
    return list(session.execute(select(Period).order_by(Period.end.desc(), Period.id.desc())).scalars())


def get_period_by_id(session: Session, *, period_id: int) -> Period:
    period = session.get(Period, period_id)
    if period is None:
        raise NotFoundError(f"报送周期不存在：{period_id}")
    return period


def _check_unit_reader(actor: Actor, unit_id: int) -> None:
    require(actor, "report.read", unit_id)


def list_reports(
    session: Session, *, actor: Actor, period_id: int | None = None, unit_id: int | None = None
) -> list[Report]:
    """Reports the actor may read (a unit member: its own unit's), the latest period first."""
    require(actor, "report.read", unit_id if unit_id is not None else actor.unit_id)
    if not can(actor, "report.read_all"):
        unit_id = actor.unit_id
    stmt = select(Report).join(Period, Period.id == Report.period_id)
    if period_id is not None:
        stmt = stmt.where(Report.period_id == period_id)
    if unit_id is not None:
        stmt = stmt.where(Report.unit_id == unit_id)
    stmt = stmt.order_by(Period.end.desc(), Report.unit_id)
    return list(session.execute(stmt).scalars())


@dataclass(frozen=True)
class RecentReport:
    period_id: int
    period: str
    unit_id: int
    unit: str
    submitted_at: datetime
    late: bool
    tasks: int


def recent_reports(
    session: Session, *, actor: Actor, unit_id: int | None = None, limit: int = 8
) -> list[RecentReport]:
    """The last reports submitted (the dashboard's "最近报送"), newest first; kept until the ledger
    changes. Items are counted for those reports only (a count over every report item before the
    limit read the whole table on every dashboard)."""
    require(actor, "report.read_all")
    from duban.ledger.read.cache import kept  # read models sit above the ledger's use cases

    def compute() -> list[RecentReport]:
        stmt = (
            select(Report.id, Period.id, Period.name, Unit.id, Unit.name, Report.submitted_at, Report.late)
            .join(Period, Period.id == Report.period_id)
            .join(Unit, Unit.id == Report.unit_id)
            .order_by(Report.submitted_at.desc(), Report.id.desc())
            .limit(limit)
        )
        if unit_id is not None:
            stmt = stmt.where(Report.unit_id == unit_id)
        rows = session.execute(stmt).all()
        ids = [r[0] for r in rows]
        counts = (
            dict(
                session.execute(
                    select(ReportItem.report_id, func.count(ReportItem.id))
                    .where(ReportItem.report_id.in_(ids))
                    .group_by(ReportItem.report_id)
                ).all()
            )
            if ids
            else {}
        )
        return [
            RecentReport(pid, pname, uid, uname, at, bool(late), int(counts.get(rid, 0)))
            for rid, pid, pname, uid, uname, at, late in rows
        ]

    return kept(session, now=utcnow(), key=("recent_reports", unit_id, limit), compute=compute)


def get_report(session: Session, *, actor: Actor, report_id: int) -> Report:
    report = session.get(Report, report_id)
    if report is None:
        raise NotFoundError(f"报送不存在：{report_id}")
    _check_unit_reader(actor, report.unit_id)
    return report


def unit_report(session: Session, *, actor: Actor, unit_id: int, period_id: int) -> Report | None:
    """The unit's report for the period, None when it has not reported yet."""
    _check_unit_reader(actor, unit_id)
    return session.execute(
        select(Report).where(Report.unit_id == unit_id, Report.period_id == period_id)
    ).scalar_one_or_none()


def read_attachment(session: Session, *, actor: Actor, attachment_id: int) -> tuple[str, bytes]:
    """(original name, content) of a report attachment the actor may read."""
    row = session.execute(
        select(Attachment, Report.unit_id)
        .join(ReportItem, ReportItem.id == Attachment.report_item_id)
        .join(Report, Report.id == ReportItem.report_id)
        .where(Attachment.id == attachment_id)
    ).first()
    if row is None:
        raise NotFoundError(f"附件不存在：{attachment_id}")
    attachment, unit_id = row
    _check_unit_reader(actor, unit_id)
    return attachment.original_name, session.get(Blob, attachment.sha256).content


def period_state(period: Period, report: Report | None, *, now: datetime) -> str:
    """reported / late (reported after the cut-off) / missing (cut-off passed) / open."""
    if report is not None:
        return "late" if report.late else "reported"
    return "missing" if now > period.cutoff else "open"


PERIOD_STATE_NAMES = {
    "reported": "已报送",
    "late": "补报（逾期报送）",
    "missing": "未报送（已过截止，可补报）",
    "open": "待报送",
}


def unit_periods(
    session: Session, *, actor: Actor, unit_id: int, now: datetime | None = None
) -> list[tuple[Period, Report | None, str]]:
    """Every period with the unit's report (or None) and its state, the latest first."""
    _check_unit_reader(actor, unit_id)
    now = now or utcnow()
    mine = {
        r.period_id: r for r in session.execute(select(Report).where(Report.unit_id == unit_id)).scalars()
    }
    return [(p, mine.get(p.id), period_state(p, mine.get(p.id), now=now)) for p in list_periods(session)]


def remind_missing(
    session: Session,
    *,
    actor: Actor,
    period_id: int,
    unit_id: int | None = None,
    now: datetime | None = None,
    co_direct: bool = CO_DIRECT,
) -> list[int]:
    """催办 the units that have not reported for a period (or one of them): one reminder per unit.

    The reminder hangs on the unit's first task that can be reminded, so a unit with ten tasks is
    asked once, not ten times. Returns the reminder ids.
    """
    require(actor, "remind")
    now = now or utcnow()
    period = get_period_by_id(session, period_id=period_id)
    units = missing_units(session, period_id=period_id, co_direct=co_direct)
    if unit_id is not None:
        units = [u for u in units if u.id == unit_id]
        if not units:
            raise ValidationError("该单位已报送或没有需报送的任务，无需催办")
    due = f"{to_local(period.cutoff):%Y年%m月%d日 %H:%M}"
    created = []
    for unit in units:
        task = next((t for t in _unit_tasks(session, unit.id) if t.status not in reminders.NO_REMINDER), None)
        if task is None:
            continue
        message = (
            f"【催办】贵单位尚未报送“{period.name}”的工作进展，截止时间为{due}，请尽快登录督办系统报送。"
        )
        rem = reminders.remind(
            session, actor=actor, task_id=task.id, unit_id=unit.id, message=message, now=now
        )
        created.append(rem.id)
    return created
