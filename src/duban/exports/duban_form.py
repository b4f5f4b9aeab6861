"""督办单: the bureau's supervision form for one task, as data (the print page) and as .docx.

Fields as the form has them: 编号, 督办事项, 来源, 牵头单位 / 配合单位, 完成时限, 督办要求,
办理情况, 领导批示, 签收人 / 签收时间. The page and the .docx are built from the same
`FormData`, so they never say different things.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from docx.shared import Mm
from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.exports import official_docx as od
from duban.exports.common import cn_date, safe_name
from duban.ledger.clock import local_date, to_local
from duban.ledger.evidence import latest_entries
from duban.ledger.instructions import instructions_of
from duban.ledger.models import Deadline, Plan, Quantity, TaskUnit, Unit
from duban.ledger.tasks import STATUS_NAMES, get_task

LABEL_MM = 32
VALUE_MM = 124


@dataclass
class Signature:
    unit: str
    role: str  # 牵头 / 配合
    by: str
    at: datetime | None


@dataclass
class FormData:
    number: str  # 编号: plan year, task path: 督〔2024〕一/2号
    matter: str  # 督办事项
    source: str  # 来源: the plan (and its document number)
    lead: str
    co: list[str]
    due: str
    requirements: list[str]  # 督办要求: targets and the plan's own deadlines
    progress: str  # 办理情况: status, latest report
    instructions: list[str] = field(default_factory=list)  # 领导批示
    signatures: list[Signature] = field(default_factory=list)

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) in the form's order; the page and the .docx both print these."""
        signed = [
            f"{s.unit}（{s.role}）：{s.by or '—'}，{to_local(s.at):%Y-%m-%d %H:%M}"
            if s.at
            else f"{s.unit}（{s.role}）：未签收"
            for s in self.signatures
        ]
        return [
            ("编号", self.number),
            ("督办事项", self.matter),
            ("来源", self.source),
            ("牵头单位", self.lead or "未交办"),
            ("配合单位", "、".join(self.co) or "—"),
            ("完成时限", self.due or "—"),
            ("督办要求", "\n".join(self.requirements) or "按计划要求推进落实。"),
            ("办理情况", self.progress),
            ("领导批示", "\n".join(self.instructions) or "—"),
            ("签收人/签收时间", "\n".join(signed) or "—"),
        ]


def form_data(session: Session, *, task_id: int) -> FormData:
    """The form's fields for one task (the caller has checked the reader may see it)."""
    task = get_task(session, task_id=task_id)
    plan = session.get(Plan, task.plan_id)
    units = session.execute(
        select(TaskUnit, Unit.name)
        .join(Unit, Unit.id == TaskUnit.unit_id)
        .where(TaskUnit.task_id == task.id)
        .order_by(TaskUnit.role != "lead", TaskUnit.id)
    ).all()
    targets = session.execute(
        select(Quantity.text)
        .where(Quantity.task_id == task.id, Quantity.role == "target", Quantity.removed_at.is_(None))
        .order_by(Quantity.position)
    ).scalars()
    deadlines = session.execute(
        select(Deadline.text).where(Deadline.task_id == task.id, Deadline.removed_at.is_(None))
    ).scalars()
    requirements = [f"{i}. {t}" for i, t in enumerate([*targets, *(f"{d}完成" for d in deadlines)], start=1)]
    entry = latest_entries(session, task_ids=[task.id]).get(task.id)
    progress = STATUS_NAMES.get(task.status, task.status)
    if task.closed_at:
        progress += f"（{cn_date(local_date(task.closed_at))}销号）"
    if entry is not None:
        pct = f"，进度{entry.percent:g}%" if entry.percent is not None else ""
        progress += f"。{entry.unit}{entry.period}报送{pct}：{entry.work_done or '（未填写）'}"
    notes = instructions_of(session, task_ids=[task.id]).get(task.id, [])
    source = f"《{plan.title}》" + (f"（{plan.doc_number}）" if plan.doc_number else "")
    return FormData(
        number=f"督〔{plan.year or ''}〕{task.path}号",
        matter=f"{task.number}. {task.title}" if task.number else task.title,
        source=source,
        lead=next((name for tu, name in units if tu.role == "lead"), ""),
        co=[name for tu, name in units if tu.role == "co"],
        due=cn_date(task.due_date) if task.due_date else "",
        requirements=requirements,
        progress=progress,
        instructions=[f"{n.text}（{n.author}，{to_local(n.created_at):%Y-%m-%d}）" for n in reversed(notes)],
        signatures=[
            Signature(name, "牵头" if tu.role == "lead" else "配合", tu.signed_by, tu.signed_at)
            for tu, name in units
        ],
    )


def form_filename(data: FormData) -> str:
    return f"{safe_name('督办单' + data.number)}.docx"


def form_docx(session: Session, *, task_id: int, issuer: str = "") -> tuple[str, bytes]:
    """(file name, .docx bytes) of the task's 督办单."""
    data = form_data(session, task_id=task_id)
    doc = od.new_document(title="督办单")
    od.add_title(doc, f"{issuer}督办单" if issuer else "督办单")
    table = doc.add_table(rows=0, cols=2)
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    for label, value in data.rows():
        row = table.add_row()
        row.cells[0].width, row.cells[1].width = Mm(LABEL_MM), Mm(VALUE_MM)
        od.fill_cell(row.cells[0], label, style=od.TABLE_HEADER, center=True)
        od.fill_cell(row.cells[1], value)
    for column, width in zip(table.columns, (LABEL_MM, VALUE_MM), strict=True):
        column.width = Mm(width)
    return form_filename(data), od.to_bytes(doc)
