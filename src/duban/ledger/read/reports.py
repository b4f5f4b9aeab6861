"""A progress report as the report page and the API show it: who sent it when, and (unless only
the header is asked for) each task's entry with its figures and attachments."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from duban.ledger import reports
from duban.ledger.models import Blob, Quantity, Report, Task, Unit, User


def report_dict(db: Session, r: Report, *, items: bool = True) -> dict[str, Any]:
    period = reports.get_period_by_id(db, period_id=r.period_id)
    who = db.get(User, r.submitted_by) if r.submitted_by else None
    d: dict[str, Any] = {
        "id": r.id,
        "unit_id": r.unit_id,
        "unit": db.get(Unit, r.unit_id).name,
        "period_id": r.period_id,
        "period": period.name,
        "submitted_at": r.submitted_at.isoformat(timespec="seconds"),
        "submitted_by": who.username if who else None,
        "late": r.late,
    }
    if not items:
        d["tasks"] = len(r.items)
        return d
    d["items"] = []
    for i in r.items:
        task = db.get(Task, i.task_id)
        d["items"].append(
            {
                "task_id": i.task_id,
                "path": task.path,
                "title": task.title,
                "work_done": i.work_done,
                "problems": i.problems,
                "next_steps": i.next_steps,
                "percent": i.percent,
                "values": [
                    {
                        "quantity_id": v.quantity_id,
                        "target": db.get(Quantity, v.quantity_id).text,
                        "value": v.value,
                    }
                    for v in i.values
                ],
                "attachments": [
                    {
                        "id": a.id,
                        "name": a.original_name,
                        "size": db.get(Blob, a.sha256).size,
                        "url": f"/api/v1/reports/attachments/{a.id}",
                    }
                    for a in i.attachments
                ],
            }
        )
    return d
