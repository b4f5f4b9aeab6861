"""A progress report as the report page and the API show it: who sent it when, and (unless only
the header is asked for) each task's entry with its figures and attachments."""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy.orm import Session

from duban.ledger import reports
from duban.ledger.models import Blob, Quantity, Report, Task, Unit, User


class ReportHeader(BaseModel):
    id: int
    unit_id: int
    unit: str
    period_id: int
    period: str
    submitted_at: str
    submitted_by: str | None
    late: bool


class ReportRow(ReportHeader):
    """A report in a list: its header and how many tasks it covers."""

    tasks: int


class ReportedFigure(BaseModel):
    quantity_id: int
    target: str  # the target's text
    value: float | None


class AttachmentRef(BaseModel):
    id: int
    name: str
    size: int
    url: str


class ReportEntry(BaseModel):
    task_id: int
    path: str
    title: str
    work_done: str
    problems: str
    next_steps: str
    percent: float | None
    values: list[ReportedFigure]
    attachments: list[AttachmentRef]


class ReportOut(ReportHeader):
    """A whole report: the header and every task's entry."""

    items: list[ReportEntry]


def _header(db: Session, r: Report) -> dict:
    period = reports.get_period_by_id(db, period_id=r.period_id)
    who = db.get(User, r.submitted_by) if r.submitted_by else None
    return {
        "id": r.id,
        "unit_id": r.unit_id,
        "unit": db.get(Unit, r.unit_id).name,
        "period_id": r.period_id,
        "period": period.name,
        "submitted_at": r.submitted_at.isoformat(timespec="seconds"),
        "submitted_by": who.username if who else None,
        "late": r.late,
    }


def report_row(db: Session, r: Report) -> ReportRow:
    return ReportRow(**_header(db, r), tasks=len(r.items))


def report_out(db: Session, r: Report) -> ReportOut:
    items = []
    for i in r.items:
        task = db.get(Task, i.task_id)
        items.append(
            ReportEntry(
                task_id=i.task_id,
                path=task.path,
                title=task.title,
                work_done=i.work_done,
                problems=i.problems,
                next_steps=i.next_steps,
                percent=i.percent,
                values=[
                    ReportedFigure(
                        quantity_id=v.quantity_id, target=db.get(Quantity, v.quantity_id).text, value=v.value
                    )
                    for v in i.values
                ],
                attachments=[
                    AttachmentRef(
                        id=a.id,
                        name=a.original_name,
                        size=db.get(Blob, a.sha256).size,
                        url=f"/api/v1/reports/attachments/{a.id}",
                    )
                    for a in i.attachments
                ],
            )
        )
    return ReportOut(**_header(db, r), items=items)
