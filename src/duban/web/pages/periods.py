"""报送周期 pages (/periods): create periods, see who has reported and who has not, 催办."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select

from duban.ledger import reminders, reports
from duban.ledger.clock import to_utc
from duban.ledger.db import utcnow
from duban.ledger.errors import LedgerError, ValidationError
from duban.ledger.models import Report
from duban.ledger.read.signing import unsigned
from duban.ledger.users import Actor, list_units
from duban.web.deps import Db, require_roles
from duban.web.forms import safe_next, status_for
from duban.web.templating import render

router = APIRouter()
Overseer = Annotated[Actor, Depends(require_roles("supervisor", "leader", "admin"))]
Supervisor = Annotated[Actor, Depends(require_roles("supervisor"))]
Setter = Annotated[Actor, Depends(require_roles("supervisor", "admin"))]


def _parse_date(value: str, label: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise ValidationError(f"{label}格式应为 YYYY-MM-DD：{value or '（未填）'}") from exc


def _parse_cutoff(value: str) -> datetime:
    try:
        return to_utc(datetime.fromisoformat(value.strip()))  # typed on the bureau's clock
    except ValueError as exc:
        raise ValidationError(f"截止时间格式应为 YYYY-MM-DD HH:MM：{value or '（未填）'}") from exc


def _index(
    request: Request,
    db: Db,
    actor: Actor,
    *,
    form: dict[str, str] | None = None,
    error: str = "",
    status_code: int = 200,
) -> Response:
    counts = dict(
        db.execute(select(Report.period_id, func.count(Report.id)).group_by(Report.period_id)).all()
    )
    late = dict(
        db.execute(
            select(Report.period_id, func.count(Report.id))
            .where(Report.late.is_(True))
            .group_by(Report.period_id)
        ).all()
    )
    co_direct = request.app.state.config.reports.co_units_report_directly
    rows = [
        (
            p,
            counts.get(p.id, 0),
            late.get(p.id, 0),
            len(reports.missing_units(db, period_id=p.id, co_direct=co_direct)),
        )
        for p in reports.list_periods(db)
    ]
    return render(
        request,
        "periods/index.html",
        {
            "rows": rows,
            "can_create": actor.role in ("supervisor", "admin"),
            "can_remind": actor.role == "supervisor",
            "unsigned": unsigned(db, actor=actor, now=utcnow()),
            "sign_days": request.app.state.config.reminders.sign_days,
            "reminded": request.query_params.get("reminded", ""),
            "form": form or {},
            "error": error,
            "created": request.query_params.get("created", ""),
        },
        status_code=status_code,
    )


@router.get("/periods")
def periods_page(request: Request, db: Db, actor: Overseer) -> Response:
    return _index(request, db, actor)


@router.post("/periods")
async def create_period(request: Request, db: Db, actor: Setter) -> Response:
    raw = await request.form()
    form = {k: str(raw.get(k) or "").strip() for k in ("name", "start", "end", "cutoff")}
    try:
        if not form["name"]:
            raise ValidationError("请填写周期名称，如“2024年3月”")
        period = reports.create_period(
            db,
            actor=actor,
            name=form["name"][:50],
            start=_parse_date(form["start"], "开始日期"),
            end=_parse_date(form["end"], "结束日期"),
            cutoff=_parse_cutoff(form["cutoff"]),
        )
    except LedgerError as exc:
        db.rollback()
        return _index(request, db, actor, form=form, error=str(exc), status_code=status_for(exc))
    return RedirectResponse(f"/periods?created={period.id}", status_code=303)


@router.get("/periods/{period_id}")
def period_page(period_id: int, request: Request, db: Db, actor: Overseer) -> Response:
    period = reports.get_period_by_id(db, period_id=period_id)
    names = {u.id: u.name for u in list_units(db)}
    submitted = reports.list_reports(db, actor=actor, period_id=period_id)
    co_direct = request.app.state.config.reports.co_units_report_directly
    missing = reports.missing_units(db, period_id=period_id, co_direct=co_direct)
    reminded = request.query_params.get("reminded", "")
    return render(
        request,
        "periods/detail.html",
        {
            "period": period,
            "submitted": submitted,
            "missing": missing,
            "names": names,
            "can_remind": actor.role == "supervisor",
            "reminded": int(reminded) if reminded.isdigit() else None,
        },
    )


@router.post("/periods/{period_id}/remind")
async def remind_missing(period_id: int, request: Request, db: Db, actor: Supervisor) -> Response:
    raw = str((await request.form()).get("unit_id") or "")
    ids = reports.remind_missing(
        db,
        actor=actor,
        period_id=period_id,
        unit_id=int(raw) if raw.isdigit() else None,
        co_direct=request.app.state.config.reports.co_units_report_directly,
    )
    return RedirectResponse(f"/periods/{period_id}?reminded={len(ids)}", status_code=303)


@router.post("/reminders")
async def remind_task(request: Request, db: Db, actor: Supervisor) -> Response:
    """催办 from any page (e.g. the task page): task_id, optional unit_id and message, next."""
    form: Any = await request.form()
    task_id = str(form.get("task_id") or "")
    unit_id = str(form.get("unit_id") or "")
    if not task_id.isdigit():
        raise ValidationError("缺少任务编号")
    reminders.remind(
        db,
        actor=actor,
        task_id=int(task_id),
        unit_id=int(unit_id) if unit_id.isdigit() else None,
        message=str(form.get("message") or "").strip()[:2000],
    )
    target = safe_next(str(form.get("next") or ""), f"/tasks/{task_id}")
    sep = "&" if "?" in target else "?"
    return RedirectResponse(f"{target}{sep}reminded=1", status_code=303)
