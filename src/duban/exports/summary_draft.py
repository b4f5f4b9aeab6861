"""A year-end summary draft (工作总结初稿) written from the ledger, as an official .docx.

Per heading (a level-1 task of the plan): the closed tasks with their reported figures, then
the targets not met. A target's actual is the latest value reported for that quantity (in
the target's own unit); `duban.plan.attainment.reported` decides met / not_met / unknown.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.exports import official_docx as od
from duban.exports.common import cn_date, safe_name
from duban.ledger.clock import local_date
from duban.ledger.db import utcnow
from duban.ledger.models import Plan, Quantity, Report, ReportItem, Task
from duban.ledger.read.plans import get_plan
from duban.ledger.reported import latest_reported
from duban.plan.attainment import STATE_NAMES, State, reported


@dataclass
class TargetResult:
    quantity: Quantity
    actual: float | None  # latest reported value, None when never reported
    state: State

    @property
    def actual_text(self) -> str:
        if self.actual is None:
            return "尚未报送实际数据"
        return f"实际{self.actual:g}{self.quantity.unit}"


@dataclass
class TaskResult:
    task: Task
    work_done: str  # the latest reported 工作完成情况
    targets: list[TargetResult] = field(default_factory=list)


@dataclass
class HeadingResult:
    heading: Task
    tasks: int = 0
    closed: list[TaskResult] = field(default_factory=list)
    not_met: list[tuple[Task, TargetResult]] = field(default_factory=list)
    unknown: list[tuple[Task, TargetResult]] = field(default_factory=list)


def latest_work_done(session: Session, *, plan_id: int) -> dict[int, str]:
    """Task id -> the latest non-empty 工作完成情况 reported for it."""
    stmt = (
        select(ReportItem.task_id, ReportItem.work_done)
        .join(Report, Report.id == ReportItem.report_id)
        .join(Task, Task.id == ReportItem.task_id)
        .where(Task.plan_id == plan_id, ReportItem.work_done != "")
        .order_by(Report.submitted_at, ReportItem.id)
    )
    return {tid: text for tid, text in session.execute(stmt)}


def summary_results(session: Session, *, plan_id: int) -> tuple[Plan, list[HeadingResult]]:
    """Per level-1 heading of the plan: closed tasks with figures, targets not met or unknown."""
    plan = get_plan(session, plan_id=plan_id)
    tasks = list(
        session.execute(
            select(Task).where(Task.plan_id == plan_id, Task.removed_at.is_(None)).order_by(Task.position)
        ).scalars()
    )
    by_id = {t.id: t for t in tasks}
    targets: dict[int, list[Quantity]] = defaultdict(list)
    for q in session.execute(
        select(Quantity)
        .where(Quantity.plan_id == plan_id, Quantity.role == "target", Quantity.removed_at.is_(None))
        .order_by(Quantity.position)
    ).scalars():
        if q.task_id is not None:
            targets[q.task_id].append(q)
    actuals = {qid: r.value for qid, r in latest_reported(session, plan_id=plan_id).items()}
    work = latest_work_done(session, plan_id=plan_id)

    def top(task: Task) -> Task:
        while task.parent_id is not None and task.parent_id in by_id:
            task = by_id[task.parent_id]
        return task

    parents = {t.parent_id for t in tasks if t.parent_id is not None}
    headings: dict[int, HeadingResult] = {}
    for t in tasks:
        root = top(t)
        result = headings.setdefault(root.id, HeadingResult(heading=root))
        if t.id not in parents:
            result.tasks += 1  # headings are not tasks of their own, but their targets count
        results = [TargetResult(q, actuals.get(q.id), reported(q, actuals.get(q.id))) for q in targets[t.id]]
        if t.status == "closed":
            result.closed.append(TaskResult(task=t, work_done=work.get(t.id, ""), targets=results))
        for r in results:
            if r.state == "not_met":
                result.not_met.append((t, r))
            elif r.state == "unknown":
                result.unknown.append((t, r))
    return plan, list(headings.values())


def summary_title(plan: Plan) -> str:
    if "工作要点" in plan.title:
        return plan.title.replace("工作要点", "工作总结")
    if "计划" in plan.title:
        return plan.title.replace("计划", "总结")
    return f"{plan.title}工作总结"


def summary_filename(plan: Plan) -> str:
    return f"{safe_name(summary_title(plan))}（初稿）.docx"


def _target_line(task: Task, r: TargetResult) -> str:
    return f"{r.quantity.text}：{r.actual_text}，{STATE_NAMES[r.state]}（任务：{task.title}）。"


def summary_draft_docx(session: Session, *, plan_id: int, now: datetime | None = None) -> bytes:
    """The plan's year-end summary draft as a .docx file (GB/T 9704 layout)."""
    plan, headings = summary_results(session, plan_id=plan_id)
    today = local_date(now or utcnow())
    title = summary_title(plan)
    doc = od.new_document(title=f"{title}（初稿）")
    od.add_title(doc, title)
    od.add_paragraph(doc, "（初稿：根据督办台账生成，请核实后修改）", style=od.SUBTITLE)
    total = sum(h.tasks for h in headings)
    closed = sum(len(h.closed) for h in headings)
    all_targets = [r for h in headings for tr in h.closed for r in tr.targets]
    met = sum(r.state == "met" for r in all_targets)
    not_met = sum(len(h.not_met) for h in headings)
    year = f"{plan.year}年，" if plan.year else ""
    od.add_paragraph(
        doc,
        f"{year}围绕《{plan.title}》确定的{total}项重点任务，各责任单位按照分工扎实推进。"
        f"截至{cn_date(today)}，已办结销号{closed}项；已销号任务所列量化目标中达成{met}个，"
        f"全部任务中尚未达成的目标{not_met}个。现将有关情况总结如下。",
    )
    for i, h in enumerate(headings, start=1):
        od.add_heading1(doc, f"{od.cn_number(i)}、{h.heading.title}")
        od.add_heading2(doc, "（一）已办结任务")
        if not h.closed:
            od.add_paragraph(doc, "本部分暂无已办结销号的任务。")
        for j, tr in enumerate(h.closed, start=1):
            text = f"{j}. {tr.task.title}。"
            if tr.work_done:
                text += tr.work_done.rstrip("。") + "。"
            figures = [f"{r.quantity.text}，{r.actual_text}（{STATE_NAMES[r.state]}）" for r in tr.targets]
            if figures:
                text += "主要指标：" + "；".join(figures) + "。"
            od.add_paragraph(doc, text)
        od.add_heading2(doc, "（二）未完成的目标")
        if not h.not_met:
            od.add_paragraph(doc, "本部分量化目标均未发现未达成情况。")
        for j, (task, r) in enumerate(h.not_met, start=1):
            od.add_paragraph(doc, f"{j}. {_target_line(task, r)}")
        if h.unknown:
            od.add_heading2(doc, "（三）待核实的目标")
            for j, (task, r) in enumerate(h.unknown, start=1):
                od.add_paragraph(doc, f"{j}. {_target_line(task, r)}")
    od.add_signature(doc, [plan.issuer or "", cn_date(today)])
    return od.to_bytes(doc)
