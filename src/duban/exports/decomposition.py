"""The rows of a plan's task decomposition table (任务分解表), shared by the .xlsx and .docx exports.

A task with children is a heading row (merged across the table); a leaf task is a row with
序号, 工作任务, 目标任务/具体措施, 量化指标, 牵头单位, 配合单位, 完成时限, 备注.
Before assignment the units come from the plan text (`Task.responsible`, first listed = lead)
and the deadline from the plan's deadline phrases; once assigned, from the assignment
(TaskUnit rows) and `Task.due_date`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.exports.common import cn_date, safe_name
from duban.ledger.models import Deadline, Plan, Quantity, Task, TaskUnit, Unit
from duban.ledger.read.plans import get_plan

COLUMNS = ("序号", "工作任务", "目标任务/具体措施", "量化指标", "牵头单位", "配合单位", "完成时限", "备注")
MEASURE_FIELDS = ("目标任务", "工作措施")


@dataclass
class Row:
    task_id: int
    level: int
    heading: bool  # a task with children: one merged row
    number: str
    title: str
    measures: str = ""
    targets: str = ""
    lead: str = ""
    co: str = ""
    deadline: str = ""
    note: str = ""

    @property
    def heading_text(self) -> str:
        return f"{self.number}{self.title}"

    def values(self) -> tuple[str, ...]:
        """The eight cells, in COLUMNS order."""
        return (
            self.number,
            self.title,
            self.measures,
            self.targets,
            self.lead,
            self.co,
            self.deadline,
            self.note,
        )


def _label(task: Task) -> str:
    """The number as printed: the plan's label, else a conventional one for the level."""
    if task.label:
        return task.label
    if not task.number:
        return ""
    if task.level == 1 and not task.number.isdigit():
        return f"{task.number}、"
    if task.level == 2 and not task.number.isdigit():
        return f"（{task.number}）"
    return f"{task.number}."


def _strip_label(text: str) -> str:
    return re.sub(r"^[\s（(]*[0-9一二三四五六七八九十]+[）)、.．]?\s*", "", text)


def measures_text(task: Task) -> str:
    """目标任务/工作措施 from the task's fields, else its body without the title line."""
    present = [(name, task.fields.get(name, "").strip()) for name in MEASURE_FIELDS]
    present = [(n, v) for n, v in present if v]
    if present:
        return "\n".join(f"{n}：{v}" for n, v in present)
    body = task.body.strip()
    if not body:
        return ""
    first, _, rest = body.partition("\n")
    first_plain = _strip_label(first).strip()
    title = task.title.strip()
    if first_plain == title:
        return rest.strip()
    if title and first_plain.startswith(title):
        # the title is the first sentence of the paragraph: keep what follows it
        return (first_plain[len(title) :].lstrip("。；;，,：: ") + ("\n" + rest if rest else "")).strip()
    return body


_PRECISION_FORMATS = {
    "month": lambda d: f"{d.year}年{d.month}月底前",
    "year": lambda d: f"{d.year}年底前",
    "half": lambda d: f"{d.year}年上半年" if d.month <= 6 else f"{d.year}年底前",
}


def deadline_text(deadlines: list[Deadline]) -> str:
    """The plan's deadline phrases; a long phrase (a whole clause) is shortened to its date."""
    parts: list[str] = []
    for d in sorted(deadlines, key=lambda x: x.date):
        text = d.text.strip()
        if len(text) > 14:
            fmt = _PRECISION_FORMATS.get(d.precision)
            text = fmt(d.date) if fmt else f"{cn_date(d.date)}前"
        if text not in parts:
            parts.append(text)
    return "；".join(parts)


def _note(task: Task) -> str:
    notes = []
    if task.long_term:
        notes.append("长期坚持")
    if task.status == "closed":
        notes.append("已销号")
    if task.extension_status == "approved":
        notes.append("已批准延期")
    return "；".join(notes)


def decomposition_rows(session: Session, *, plan_id: int) -> tuple[Plan, list[Row]]:
    """The plan and its table rows in plan order (four queries, whatever the plan's size)."""
    plan = get_plan(session, plan_id=plan_id)
    tasks = list(
        session.execute(
            select(Task).where(Task.plan_id == plan_id, Task.removed_at.is_(None)).order_by(Task.position)
        ).scalars()
    )
    ids = [t.id for t in tasks]
    parents = {t.parent_id for t in tasks if t.parent_id is not None}
    targets: dict[int, list[str]] = defaultdict(list)
    for task_id, text in session.execute(
        select(Quantity.task_id, Quantity.text)
        .where(Quantity.plan_id == plan_id, Quantity.role == "target", Quantity.removed_at.is_(None))
        .order_by(Quantity.position)
    ):
        if task_id is not None and text not in targets[task_id]:
            targets[task_id].append(text)
    deadlines: dict[int, list[Deadline]] = defaultdict(list)
    for d in session.execute(
        select(Deadline).where(Deadline.plan_id == plan_id, Deadline.removed_at.is_(None))
    ).scalars():
        if d.task_id is not None:
            deadlines[d.task_id].append(d)
    assigned: dict[int, dict[str, list[str]]] = defaultdict(lambda: {"lead": [], "co": []})
    if ids:
        for task_id, role, name in session.execute(
            select(TaskUnit.task_id, TaskUnit.role, Unit.name)
            .join(Unit, Unit.id == TaskUnit.unit_id)
            .join(Task, Task.id == TaskUnit.task_id)
            .where(Task.plan_id == plan_id)
            .order_by(TaskUnit.id)
        ):
            assigned[task_id][role].append(name)

    rows: list[Row] = []
    for t in tasks:
        if t.id in parents:
            rows.append(Row(task_id=t.id, level=t.level, heading=True, number=_label(t), title=t.title))
            continue
        if t.status != "unassigned" and t.id in assigned:
            lead = "、".join(assigned[t.id]["lead"])
            co = "、".join(assigned[t.id]["co"])
        else:
            lead = t.responsible[0] if t.responsible else t.fields.get("牵头单位", "")
            co = "、".join(t.responsible[1:])
        if t.status != "unassigned" and t.due_date:
            due = f"{cn_date(t.due_date)}前"
        else:
            due = deadline_text(deadlines.get(t.id, [])) or t.fields.get("完成时限", "")
        rows.append(
            Row(
                task_id=t.id,
                level=t.level,
                heading=False,
                number=t.number,
                title=t.title,
                measures=measures_text(t),
                targets="\n".join(targets.get(t.id, [])),
                lead=lead,
                co=co,
                deadline=due,
                note=_note(t),
            )
        )
    return plan, rows


def table_title(plan: Plan) -> str:
    return f"{plan.title}任务分解表"


def decomposition_filename(plan: Plan, ext: str) -> str:
    return f"{safe_name(table_title(plan))}.{ext}"
