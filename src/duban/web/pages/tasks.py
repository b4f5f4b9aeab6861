"""Task list with filters, the task page (fields, targets over time, timeline, actions), action forms."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from duban.ledger import instructions, tasks
from duban.ledger.db import utcnow
from duban.ledger.errors import ConflictError, LedgerError
from duban.ledger.lights import LIGHT_NAMES, LIGHTS
from duban.ledger.models import User
from duban.ledger.read.common import DEFAULT_PER_PAGE, plan_choices, unit_choices
from duban.ledger.read.tasks import TaskFilter, list_tasks, task_detail
from duban.ledger.read.timeline import timeline
from duban.ledger.read.visibility import readable_task
from duban.ledger.rights import can
from duban.web.deps import Allowed, Cfg, Db
from duban.web.forms import date_or_none, int_or_none, page_links, safe_next, status_for
from duban.web.templating import render

router = APIRouter()

CONFLICT_MESSAGE = "已被他人修改，请刷新页面后重试"


@router.get("/tasks")
def task_list(request: Request, actor: Allowed("task.read"), db: Db, cfg: Cfg) -> Response:
    qp = request.query_params
    light = qp.get("light") if qp.get("light") in LIGHTS else None
    status = qp.get("status") if qp.get("status") in tasks.STATUS_NAMES else None
    f = TaskFilter(
        plan_id=int_or_none(qp.get("plan_id")),
        unit_id=int_or_none(qp.get("unit_id")),
        heading_id=int_or_none(qp.get("heading_id")),
        status=status,
        light=light,
        q=(qp.get("q") or "")[:200],
        overdue=qp.get("overdue") in ("1", "true", "on"),
        page=int_or_none(qp.get("page")) or 1,
        per_page=int_or_none(qp.get("per_page")) or DEFAULT_PER_PAGE,
    )
    page = list_tasks(db, actor=actor, filters=f, now=utcnow(), cfg=cfg.lights)
    units = unit_choices(db) if can(actor, "task.read_all") else []
    return render(
        request,
        "tasks/list.html",
        {
            "page": page,
            "f": f,
            "links": page_links(request, page),
            "plans": plan_choices(db),
            "units": units,
            "STATUS_NAMES": tasks.STATUS_NAMES,
            "LIGHT_NAMES": LIGHT_NAMES,
            "LIGHTS": LIGHTS,
        },
    )


def _task_page(
    request: Request,
    db: Db,
    cfg: Cfg,
    actor: Any,
    task_id: int,
    *,
    error: str = "",
    status_code: int = 200,
) -> Response:
    detail = task_detail(db, actor=actor, task_id=task_id, now=utcnow(), cfg=cfg.lights)
    events = timeline(db, actor=actor, task_id=task_id)
    who = {e.actor for e in events if e.actor}
    if who:  # the audit log keeps user names; people read display names ("督查科王", not "ducha")
        shown = dict(db.execute(select(User.username, User.display_name).where(User.username.in_(who))).all())
        for e in events:
            e.actor = shown.get(e.actor) or e.actor
    needs_units = {"reassign", "accept_contest"} & set(detail.actions)
    done = request.query_params.get("done", "")
    chart = [
        {
            "name": t.indicator or t.text,
            "unit": t.unit,
            "target": t.value,
            "points": [[v.period, v.value] for v in t.values if v.value is not None],
        }
        for t in detail.targets
        if sum(v.value is not None for v in t.values) >= 2
    ]
    return render(
        request,
        "tasks/detail.html",
        {
            "t": detail,
            "events": events,
            "units": unit_choices(db) if needs_units else [],
            "chart": chart,
            "error": error,
            "done": "领导批示" if done == "instruct" else tasks.ACTION_NAMES.get(done, ""),
            "instructions": instructions.instructions_of(db, task_ids=[task_id]).get(task_id, []),
            "can_instruct": can(actor, "instruct"),
            "report_choices": instructions.reports_of_task(db, task_id=task_id)
            if can(actor, "instruct")
            else [],
            "ACTION_NAMES": tasks.ACTION_NAMES,
            "CONTEST_KINDS": tasks.CONTEST_KINDS,
        },
        status_code=status_code,
    )


@router.get("/tasks/{task_id}")
def task_page(task_id: int, request: Request, actor: Allowed("task.read"), db: Db, cfg: Cfg) -> Response:
    return _task_page(request, db, cfg, actor, task_id)


@router.post("/tasks/{task_id}/actions/{action}")
async def task_action(
    task_id: int, action: str, request: Request, actor: Allowed("task.read"), db: Db, cfg: Cfg
) -> Response:
    """Any transition of `tasks.RULES` from a plain form; errors re-show the task page with the reason."""
    form = await request.form()
    get = lambda k: str(form.get(k) or "").strip()  # noqa: E731
    readable_task(db, actor=actor, task_id=task_id)  # another unit's task: 403 page
    try:
        version = int_or_none(get("version"))
        co_ids = [int(v) for v in form.getlist("co_unit_ids") if str(v).isdigit()]
        tasks.transition(
            db,
            actor=actor,
            task_id=task_id,
            action=action,
            expected_version=version,
            reason=get("reason"),
            due_date=date_or_none(get("due_date"), "日期"),
            contest_kind=get("contest_kind"),
            new_title=get("new_title"),
            lead_unit_id=int_or_none(get("lead_unit_id")),
            co_unit_ids=co_ids,
        )
    except LedgerError as exc:
        message = f"{CONFLICT_MESSAGE}（{exc}）" if isinstance(exc, ConflictError) else str(exc)
        return _task_page(request, db, cfg, actor, task_id, error=message, status_code=status_for(exc))
    own = f"/tasks/{task_id}"
    target = safe_next(get("next"), own)
    sep = "&" if "?" in target else "?"
    which = "" if urlsplit(target).path == own else f"&task={task_id}"  # elsewhere, say which task it was
    return RedirectResponse(f"{target}{sep}done={action}{which}", status_code=303)


@router.post("/tasks/{task_id}/instructions")
async def instruct(task_id: int, request: Request, actor: Allowed("instruct"), db: Db, cfg: Cfg) -> Response:
    """领导批示 from the task page; an error shows the task page again with the reason."""
    readable_task(db, actor=actor, task_id=task_id)
    form = await request.form()
    try:
        instructions.instruct(
            db,
            actor=actor,
            task_id=task_id,
            text=str(form.get("text") or ""),
            report_id=int_or_none(str(form.get("report_id") or "")),
        )
    except LedgerError as exc:
        return _task_page(request, db, cfg, actor, task_id, error=str(exc), status_code=status_for(exc))
    return RedirectResponse(f"/tasks/{task_id}?done=instruct#instructions", status_code=303)
