"""本单位待办 (/inbox): the unit's tasks with lights, due soon and overdue, returns, reminders, quick actions."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from duban.ledger import reminders, reports, tasks
from duban.ledger.lights import LIGHT_NAMES
from duban.ledger.models import Task, Unit
from duban.ledger.read.inbox import unit_inbox
from duban.ledger.read.visibility import visible_task_filter
from duban.ledger.tasks import ACTION_NAMES, CONTEST_KINDS, STATUS_NAMES
from duban.web.deps import Allowed, Cfg, Db
from duban.web.forms import done_task
from duban.web.templating import render

router = APIRouter()
DONE_NAMES = {"read": "已标记为已读", "sign_all": "已签收本单位全部待签收任务"}  # said as they are


@router.get("/inbox")
def inbox_page(request: Request, db: Db, cfg: Cfg, actor: Allowed("inbox")) -> Response:
    box = unit_inbox(db, actor=actor, cfg=cfg)
    periods = reports.unit_periods(db, actor=actor, unit_id=actor.unit_id)
    to_report = [(p, s) for p, _, s in periods if s in ("open", "missing")]
    done = request.query_params.get("done", "")
    # a reminder keeps its link after the task is closed (still the unit's), not only while it is open
    ids = {r.task_id for r in box.reminders}
    reminded = (  # one query: the visibility rule as SQL, not a lazy load of each task's units
        db.execute(select(Task).where(Task.id.in_(ids), visible_task_filter(actor))).scalars() if ids else []
    )
    return render(
        request,
        "inbox/index.html",
        {
            "box": box,
            "unsigned": [t for t in box.tasks if "sign" in t.actions],  # what 全部签收 would sign
            "unit": db.get(Unit, actor.unit_id),
            "reminded": {t.id: t for t in reminded},
            "to_report": to_report,
            "unread": sum(1 for r in box.reminders if r.read_at is None),
            "due_days": cfg.lights.due_soon_days,
            "done": ACTION_NAMES.get(done, DONE_NAMES.get(done, "")),
            "done_plain": done in DONE_NAMES,
            "sign_days": cfg.reminders.sign_days,
            "done_task": done_task(request, db, actor),
            "ACTION_NAMES": ACTION_NAMES,
            "STATUS_NAMES": STATUS_NAMES,
            "LIGHT_NAMES": LIGHT_NAMES,
            "CONTEST_KINDS": CONTEST_KINDS,
            "STATE_NAMES": reports.PERIOD_STATE_NAMES,
        },
    )


@router.post("/inbox/sign")
def sign_all(db: Db, actor: Allowed("inbox")) -> Response:
    tasks.sign_all(db, actor=actor)
    return RedirectResponse("/inbox?done=sign_all", status_code=303)


@router.post("/inbox/reminders/{reminder_id}/read")
def mark_read(reminder_id: int, db: Db, actor: Allowed("inbox")) -> Response:
    reminders.mark_read(db, actor=actor, reminder_id=reminder_id)
    return RedirectResponse("/inbox?done=read#reminders", status_code=303)
