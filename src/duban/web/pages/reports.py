"""进展报送 pages: /reports (periods and my unit's state), /reports/{period_id} (the one form per period,
pre-filled from the last report or the unit's 暂存 draft; once submitted, shown and editable until the
period closes or a supervisor has read it; after the cut-off a submission is a 补报)."""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from starlette.datastructures import FormData, UploadFile

from duban.ledger import reports, rights
from duban.ledger.db import utcnow
from duban.ledger.errors import LedgerError, ValidationError
from duban.ledger.models import Quantity, TaskUnit, Unit, User
from duban.ledger.read.reports import report_out
from duban.ledger.rights import can
from duban.ledger.users import list_units
from duban.web.deps import Allowed, Cfg, Db
from duban.web.forms import status_for
from duban.web.templating import render
from duban.web.uploads import UploadGuard, read_attachment

router = APIRouter()


def _number(value: str, label: str, errors: list[str]) -> float | None:
    value = value.strip().replace("，", "").replace(",", "").rstrip("%％")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        errors.append(f"{label}应为数字：{value}")
        return None


def entries_from_form(
    form: FormData | dict[str, str], draft: list[reports.Entry]
) -> tuple[list[reports.Entry], list[str]]:
    """The form's text and figures per task (fields work_done_<task>, value_<task>_<target>...) and
    the input errors; the typed text is kept either way, so an error never loses a unit's work."""
    out, errors = [], []
    for d in draft:
        t = d.task_id

        def get(key: str) -> str:
            v = form.get(key)
            return v.strip() if isinstance(v, str) else ""

        short = d.title[:20]
        percent = _number(get(f"percent_{t}"), f"任务“{short}”的完成进度", errors)
        if percent is not None and not 0 <= percent <= 100:
            errors.append(f"任务“{short}”的完成进度应在 0 到 100 之间")
            percent = None
        values, confirmed = {}, set()
        for q, text in d.targets:
            v = _number(get(f"value_{t}_{q}"), f"目标“{text[:20]}”的实际值", errors)
            if v is not None:
                values[q] = v
            if get(f"confirm_{t}_{q}"):
                confirmed.add(q)
        prefix = f"fold_{t}_"
        folded = {int(k[len(prefix) :]) for k in form if k.startswith(prefix) and k[len(prefix) :].isdigit()}
        out.append(
            reports.Entry(
                task_id=t,
                title=d.title,
                targets=d.targets,
                work_done=get(f"work_done_{t}"),
                problems=get(f"problems_{t}"),
                next_steps=get(f"next_steps_{t}"),
                percent=percent,
                values=values,
                confirmed=confirmed,
                folded=folded,
            )
        )
    return out, errors


@router.get("/reports")
def reports_index(request: Request, db: Db, actor: Allowed("report.read")) -> Response:
    if can(actor, "report.submit"):
        rows = reports.unit_periods(db, actor=actor, unit_id=actor.unit_id)
        return render(
            request,
            "reports/index.html",
            {"rows": rows, "unit": db.get(Unit, actor.unit_id), "STATE_NAMES": reports.PERIOD_STATE_NAMES},
        )
    submitted = reports.list_reports(db, actor=actor)  # refuses the administrators without business data
    names = {u.id: u.name for u in list_units(db)}
    periods = {p.id: p for p in reports.list_periods(db)}
    return render(
        request,
        "reports/all.html",
        {"reports": submitted, "names": names, "periods": periods},
    )


def _form_page(
    request: Request,
    db: Db,
    actor: Any,
    period_id: int,
    *,
    entries: list[reports.Entry] | None = None,
    editing: bool = False,
    error: str = "",
    questions: dict[tuple[int, int], str] | None = None,
    saved: str = "",
    status_code: int = 200,
) -> Response:
    """The one form of the period: new (from the 暂存 draft, else the last report) or editing the report."""
    period = reports.get_period_by_id(db, period_id=period_id)
    saved_draft = None
    report = reports.unit_report(db, actor=actor, unit_id=actor.unit_id, period_id=period_id)
    if entries is None:
        base = reports.draft(db, unit_id=actor.unit_id, period_id=period_id)
        if editing and report is not None:
            entries = reports.entries_of(db, report)
        else:
            saved_draft = reports.get_draft(db, unit_id=actor.unit_id, period_id=period_id)
            entries = entries_from_form(saved_draft.fields, base)[0] if saved_draft else base
    return render(
        request,
        "reports/form.html",
        {
            "period": period,
            "unit": db.get(Unit, actor.unit_id),
            "entries": entries,
            "editing": editing,
            "late": not editing and utcnow() > period.cutoff,  # submitting now is a 补报
            "report_late": editing and bool(report and report.late),
            "saved_draft": saved_draft,
            "saved": saved,
            "error": error,
            "questions": questions or {},
            "co_inputs": reports.co_inputs(db, unit_id=actor.unit_id, period_id=period_id),
            "co_tasks": _co_tasks(
                db, actor.unit_id, request.app.state.config.reports.co_units_report_directly
            ),
            "max_mb": request.app.state.config.web.max_upload_mb,
        },
        status_code=status_code,
    )


def _readable(db: Db, r: dict[str, Any]) -> dict[str, Any]:
    """The API's report with what a reader needs besides: who by display name, figures with their units."""
    who = db.execute(select(User.display_name).where(User.username == r["submitted_by"])).scalar()
    r["submitted_by_name"] = who or r["submitted_by"]
    for item in r["items"]:
        for v in item["values"]:
            v["unit"] = db.get(Quantity, v["quantity_id"]).unit or ""
    return r


@router.get("/reports/{period_id}")
def report_page(period_id: int, request: Request, db: Db, actor: Allowed("report.read")) -> Response:
    period = reports.get_period_by_id(db, period_id=period_id)
    unit_id = actor.unit_id
    rights.require(actor, "report.read")
    if can(actor, "report.read_all"):
        raw = request.query_params.get("unit_id", "")
        if not raw.isdigit():
            return RedirectResponse(f"/periods/{period_id}", status_code=303)
        unit_id = int(raw)
    report = reports.unit_report(db, actor=actor, unit_id=unit_id, period_id=period_id)
    if report is None and can(actor, "report.submit"):
        return _form_page(request, db, actor, period_id, saved=request.query_params.get("saved", ""))
    if report is not None:
        reports.mark_read(db, actor=actor, report=report)  # a supervisor's reading ends the unit's edits
    now = utcnow()
    return render(
        request,
        "reports/view.html",
        {
            "period": period,
            "unit": db.get(Unit, unit_id),
            "r": _readable(db, report_out(db, report).model_dump(mode="json")) if report else None,
            "report": report,
            "edit_refusal": reports.edit_refusal(period, report, now=now) if report else None,
            "co_tasks": _co_tasks(db, unit_id, request.app.state.config.reports.co_units_report_directly),
            "state": reports.period_state(period, report, now=now),
            "STATE_NAMES": reports.PERIOD_STATE_NAMES,
            "done": request.query_params.get("done", ""),
        },
    )


def _co_tasks(db: Db, unit_id: int, co_direct: bool) -> set[int]:
    """The unit's tasks where its entry is input to the lead unit, not a report to the supervisor."""
    if reports.owes_report("co", co_direct=co_direct):
        return set()
    rows = db.execute(select(TaskUnit.task_id).where(TaskUnit.unit_id == unit_id, TaskUnit.role == "co"))
    return set(rows.scalars())


@router.get("/reports/{period_id}/edit")
def report_edit_page(period_id: int, request: Request, db: Db, actor: Allowed("report.submit")) -> Response:
    return _form_page(request, db, actor, period_id, editing=True)


@router.post("/reports/{period_id}")
async def report_submit(
    guard: UploadGuard, period_id: int, request: Request, db: Db, cfg: Cfg, actor: Allowed("report.submit")
) -> Response:
    """提交报送 / 暂存 / 修改: one form, the button pressed says which (intent=submit|draft)."""
    form = await request.form()
    intent = str(form.get("intent") or "submit")
    editing = reports.unit_report(db, actor=actor, unit_id=actor.unit_id, period_id=period_id) is not None
    draft = reports.draft(db, unit_id=actor.unit_id, period_id=period_id)
    if editing:
        report = reports.unit_report(db, actor=actor, unit_id=actor.unit_id, period_id=period_id)
        draft = reports.entries_of(db, report)
    entries, errors = entries_from_form(form, draft)
    if intent == "draft" and not editing:
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        try:
            reports.save_draft(db, actor=actor, unit_id=actor.unit_id, period_id=period_id, fields=fields)
        except LedgerError as exc:
            return _form_page(
                request, db, actor, period_id, entries=entries, error=str(exc), status_code=status_for(exc)
            )
        return RedirectResponse(f"/reports/{period_id}?saved=1", status_code=303)
    # the form again, with what was typed (the use case rolled back what it had begun)
    again = partial(_form_page, request, db, actor, period_id, entries=entries, editing=editing)
    try:
        if errors:
            raise ValidationError("；".join(errors))
        by_task = {e.task_id: e for e in entries}
        used = 0
        for e in entries:
            for f in form.getlist(f"files_{e.task_id}"):
                if isinstance(f, UploadFile) and f.filename:
                    name, content = await read_attachment(f, cfg, used)
                    used += len(content)
                    by_task[e.task_id].attachments.append((name, content))
        write = reports.edit if editing else reports.submit
        write(db, actor=actor, unit_id=actor.unit_id, period_id=period_id, entries=entries)
    except HTTPException as exc:  # too large: keep what was typed, say why
        return again(error=str(exc.detail), status_code=413)
    except reports.ValueQuestions as exc:  # "是否为 8%？": asked beside each figure, nothing saved yet
        asked = {(t, q): text for t, q, text in exc.questions}
        return again(error=str(exc), questions=asked, status_code=422)
    except LedgerError as exc:
        return _form_page(
            request,
            db,
            actor,
            period_id,
            entries=entries,
            editing=editing,
            error=str(exc),
            status_code=status_for(exc),
        )
    return RedirectResponse(
        f"/reports/{period_id}?done={'edited' if editing else 'submitted'}", status_code=303
    )
