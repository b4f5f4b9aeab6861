"""Task list with filters, the task page (fields, targets over time, timeline, actions), action forms."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger import queries, tasks
from duban.ledger.db import utcnow
from duban.ledger.errors import ConflictError, LedgerError, ValidationError
from duban.ledger.lights import LIGHT_NAMES, LIGHTS
from duban.ledger.models import Task, User
from duban.ledger.rights import can
from duban.ledger.users import Actor, list_units
from duban.web.deps import Cfg, CurrentActor, Db
from duban.web.errors import ERROR_CODES
from duban.web.templating import render

router = APIRouter()

CONFLICT_MESSAGE = "已被他人修改，请刷新页面后重试"


def int_or_none(value: str | None) -> int | None:
    """A query or form number; anything else is ignored as "no filter" rather than an error page."""
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def date_or_none(value: str | None, label: str = "日期") -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise ValidationError(f"{label}格式应为 YYYY-MM-DD：{value}") from exc


def safe_next(target: str | None, default: str) -> str:
    """Only a local path (never another site)."""
    if not target or not target.startswith("/") or target.startswith("//") or urlsplit(target).netloc:
        return default
    return target


def status_for(exc: LedgerError) -> int:
    return next((status for cls, status, _ in ERROR_CODES if isinstance(exc, cls)), 400)


def page_links(request: Request, page: queries.Page) -> dict[str, str | None]:
    """Previous / next page URLs keeping the current filters."""
    params = dict(request.query_params)

    def url(p: int) -> str:
        return f"{request.url.path}?{urlencode({**params, 'page': p})}"

    return {
        "prev": url(page.page - 1) if page.page > 1 else None,
        "next": url(page.page + 1) if page.page < page.pages else None,
    }


@router.get("/tasks")
def task_list(request: Request, actor: CurrentActor, db: Db, cfg: Cfg) -> Response:
    qp = request.query_params
    light = qp.get("light") if qp.get("light") in LIGHTS else None
    status = qp.get("status") if qp.get("status") in tasks.STATUS_NAMES else None
    f = queries.TaskFilter(
        plan_id=int_or_none(qp.get("plan_id")),
        unit_id=int_or_none(qp.get("unit_id")),
        heading_id=int_or_none(qp.get("heading_id")),
        status=status,
        light=light,
        q=(qp.get("q") or "")[:200],
        overdue=qp.get("overdue") in ("1", "true", "on"),
        page=int_or_none(qp.get("page")) or 1,
        per_page=int_or_none(qp.get("per_page")) or queries.DEFAULT_PER_PAGE,
    )
    page = queries.list_tasks(db, actor=actor, filters=f, now=utcnow(), cfg=cfg.lights)
    units = list_units(db) if can(actor, "task.read_all") else []
    return render(
        request,
        "tasks/list.html",
        {
            "page": page,
            "f": f,
            "links": page_links(request, page),
            "plans": queries.business_plans(db),
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
    detail = queries.task_detail(db, actor=actor, task_id=task_id, now=utcnow(), cfg=cfg.lights)
    events = queries.timeline(db, actor=actor, task_id=task_id)
    who = {e.actor for e in events if e.actor}
    if who:  # the audit log keeps user names; people read display names ("督查科王", not "ducha")
        shown = dict(db.execute(select(User.username, User.display_name).where(User.username.in_(who))).all())
        for e in events:
            e.actor = shown.get(e.actor) or e.actor
    needs_units = {"reassign", "accept_contest"} & set(detail["actions"])
    done = request.query_params.get("done", "")
    chart = [
        {
            "name": t["indicator"] or t["text"],
            "unit": t["unit"],
            "target": t["value"],
            "points": [[v["period"], v["value"]] for v in t["values"] if v["value"] is not None],
        }
        for t in detail["targets"]
        if sum(v["value"] is not None for v in t["values"]) >= 2
    ]
    return render(
        request,
        "tasks/detail.html",
        {
            "t": detail,
            "events": events,
            "units": list_units(db) if needs_units else [],
            "chart": chart,
            "error": error,
            "done": tasks.ACTION_NAMES.get(done, ""),
            "ACTION_NAMES": tasks.ACTION_NAMES,
            "CONTEST_KINDS": tasks.CONTEST_KINDS,
        },
        status_code=status_code,
    )


@router.get("/tasks/{task_id}")
def task_page(task_id: int, request: Request, actor: CurrentActor, db: Db, cfg: Cfg) -> Response:
    return _task_page(request, db, cfg, actor, task_id)


@router.post("/tasks/{task_id}/actions/{action}")
async def task_action(
    task_id: int, action: str, request: Request, actor: CurrentActor, db: Db, cfg: Cfg
) -> Response:
    """Any transition of `tasks.RULES` from a plain form; errors re-show the task page with the reason."""
    form = await request.form()
    get = lambda k: str(form.get(k) or "").strip()  # noqa: E731
    queries.readable_task(db, actor=actor, task_id=task_id)  # another unit's task: 403 page
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


def done_task(request: Request, db: Session, actor: Actor) -> Task | None:
    """The task a redirect after an action names (`?task=`), if this user may read it."""
    raw = request.query_params.get("task", "")
    if not raw.isdigit():
        return None
    try:
        return queries.readable_task(db, actor=actor, task_id=int(raw))
    except LedgerError:
        return None
