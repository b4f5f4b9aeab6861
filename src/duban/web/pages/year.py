"""年终考核 pages (/year/...): target reconciliation with corrections, the indicator registry, an
indicator across years and bureaus (table and chart), plan against plan, and unit assessment.

Thin like the API (`duban.web.api.year`): each page calls the same `duban.assess` functions and
read models. Leaders read everything; supervisors and system administrators may also correct and
edit the registry; unit members and the security/audit administrators are refused.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from duban.assess import compare, indicators, reconcile, scoring
from duban.assess.reconcile import reviews, summaries_of, summary_documents
from duban.ledger import rates, reports
from duban.ledger.db import utcnow
from duban.ledger.errors import LedgerError, ValidationError
from duban.ledger.read.common import business_plans
from duban.ledger.read.plans import get_plan, plan_brief
from duban.ledger.rights import can
from duban.ledger.users import Actor
from duban.plan.attainment import STATE_NAMES
from duban.plan.model import KIND_NAMES
from duban.web.deps import Allowed, Db
from duban.web.forms import int_or_none
from duban.web.templating import render

router = APIRouter(prefix="/year")
Reader = Allowed("year.read")
Editor = Allowed("year.edit")

TABS = [
    ("/year/reconcile", "目标对照"),
    ("/year/indicators", "指标库"),
    ("/year/compare", "指标对比"),
    ("/year/plans", "计划对比"),
    ("/year/assessment", "单位考核"),
    ("/exports", "导出文件"),
]
METHOD_NAMES = {
    "indicator": "同一指标",
    "similar": "表述相近",
    "report": "进展报送",
    "correction": "人工更正",
    "": "",
}


def _page(request: Request, actor: Actor, name: str, ctx: dict) -> Response:
    return render(
        request,
        name,
        {
            "tabs": TABS,
            "can_edit": can(actor, "year.edit"),
            "done": request.query_params.get("done", "")[:200],
            "error": request.query_params.get("error", "")[:300],
            **ctx,
        },
    )


def _back(path: str, params: dict, *, done: str = "", error: str = "") -> RedirectResponse:
    """Post/redirect/get: back to the page, with the outcome as a one-line message."""
    q = {k: v for k, v in params.items() if v not in (None, "")}
    if done:
        q["done"] = done
    if error:
        q["error"] = error
    return RedirectResponse(f"{path}?{urlencode(q)}" if q else path, status_code=303)


@router.get("")
def year_home() -> Response:
    return RedirectResponse("/year/reconcile", status_code=303)


# ---------------------------------------------------------------- reconciliation
def _default_plan(db: Db, plans: list) -> int | None:
    """The plan being supervised; before anything is assigned, the newest plan a summary reviews, else
    the newest plan."""
    supervised = rates.supervised_plan(db)
    if supervised is not None:
        return supervised.id
    summaries = summary_documents(db)
    reviewed = next((p for p in plans if any(reviews(s, p) for s in summaries)), None)
    return (reviewed or plans[0]).id if plans else None


@router.get("/reconcile")
def reconcile_page(request: Request, actor: Reader, db: Db) -> Response:
    qp = request.query_params
    plans = business_plans(db)
    plan_id = int_or_none(qp.get("plan_id")) or _default_plan(db, plans)
    state = qp.get("state", "")
    if state and state not in STATE_NAMES:
        raise ValidationError(f"状态无效：{state}")
    ctx: dict = {"plans": plans, "plan": None, "state": state, "STATE_NAMES": STATE_NAMES}
    if plan_id is not None:
        plan = get_plan(db, plan_id)
        sources = summaries_of(db, plan)
        raw = qp.get("summary_id")
        # the first summary that reviews the plan by default; "reports" = the ledger's reported values
        summary_id = (sources[0].id if sources else None) if raw is None else int_or_none(raw)
        result = reconcile.reconcile(db, plan_id=plan.id, summary_id=summary_id)
        rows = [r for r in result.rows if not state or r.state == state]
        ctx |= {
            "plan": plan,
            "sources": sources,
            "summary_id": summary_id,
            "result": result,
            "rows": rows,
            "counts": result.counts(),
            "METHOD_NAMES": METHOD_NAMES,
        }
    return _page(request, actor, "year/reconcile.html", ctx)


@router.post("/reconcile/correct")
def reconcile_correct(
    actor: Editor,
    db: Db,
    plan_id: Annotated[int, Form()],
    target_id: Annotated[int, Form()],
    summary_id: Annotated[str, Form()] = "",
    actual_id: Annotated[str, Form()] = "",
    note: Annotated[str, Form(max_length=500)] = "",
    state: Annotated[str, Form()] = "",
) -> Response:
    sid = int_or_none(summary_id)
    back = {"plan_id": plan_id, "summary_id": summary_id or "reports", "state": state}
    try:
        reconcile.correct(
            db, actor=actor, target_id=target_id, summary_id=sid, actual_id=int_or_none(actual_id), note=note
        )
    except LedgerError as exc:
        return _back("/year/reconcile", back, error=str(exc))
    return RedirectResponse(
        f"/year/reconcile?{urlencode({**back, 'done': '已更正对照结果'})}#t{target_id}", status_code=303
    )


# ---------------------------------------------------------------- indicator registry
@router.get("/indicators")
def indicators_page(request: Request, actor: Reader, db: Db) -> Response:
    q = request.query_params.get("q", "").strip()[:100]
    rows = [
        r for r in indicators.list_indicators(db) if not q or q in r.name or any(q in a for a in r.aliases)
    ]
    rows.sort(key=lambda r: (-(r.targets + r.actuals), r.category, r.name))
    return _page(
        request,
        actor,
        "year/indicators.html",
        {
            "rows": rows,
            "q": q,
            "ids": indicators.stored_ids(db),
            "candidates": indicators.candidates(db, min_documents=2)[:30],
        },
    )


@router.post("/indicators/add")
def indicators_add(
    actor: Editor,
    db: Db,
    name: Annotated[str, Form(max_length=200)] = "",
    unit: Annotated[str, Form(max_length=20)] = "",
    category: Annotated[str, Form(max_length=50)] = "",
    aliases: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    names = [a.strip() for a in aliases.replace("，", ",").replace("、", ",").split(",") if a.strip()]
    try:
        if not name.strip():
            raise ValidationError("请填写指标名称")
        indicators.add_indicator(
            db, actor=actor, name=name.strip(), unit=unit.strip(), category=category.strip(), aliases=names
        )
    except LedgerError as exc:
        return _back("/year/indicators", {}, error=str(exc))
    return _back("/year/indicators", {"q": name.strip()}, done=f"已新增指标：{name.strip()}")


@router.post("/indicators/alias")
def indicators_alias(
    actor: Editor,
    db: Db,
    name: Annotated[str, Form(max_length=200)] = "",
    alias: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    try:
        if not alias.strip():
            raise ValidationError("请填写别名")
        indicators.add_alias(db, actor=actor, name=name, alias=alias.strip())
    except LedgerError as exc:
        return _back("/year/indicators", {"q": name}, error=str(exc))
    return _back("/year/indicators", {"q": name}, done=f"已为“{name}”新增别名：{alias.strip()}")


@router.post("/indicators/grow")
def indicators_grow(actor: Editor, db: Db, min_documents: Annotated[int, Form(ge=1, le=100)] = 2) -> Response:
    try:
        added = indicators.grow_registry(db, actor=actor, min_documents=min_documents)
    except LedgerError as exc:
        return _back("/year/indicators", {}, error=str(exc))
    msg = f"已从候选短语新增 {len(added)} 个指标" + (f"：{'、'.join(added[:10])}" if added else "")
    return _back("/year/indicators", {}, done=msg)


# ---------------------------------------------------------------- an indicator across years and bureaus
@router.get("/compare")
def compare_page(request: Request, actor: Reader, db: Db) -> Response:
    registry = indicators.list_indicators(db)
    linked = [r for r in registry if r.targets + r.actuals]
    linked.sort(key=lambda r: -(r.targets + r.actuals))
    name = request.query_params.get("name", "").strip()[:200] or (linked[0].name if linked else "")
    ctx: dict = {"choices": linked, "name": name, "figures": [], "chart": None}
    if name:
        ctx["figures"] = compare.indicator_figures(db, name=name)
        chart = compare.indicator_chart(db, name=name, figures=ctx["figures"])
        ctx["chart"], ctx["name"] = chart.model_dump(mode="json"), chart.indicator
    ctx["ROLE_NAMES"] = compare.ROLE_NAMES
    ctx["KIND_NAMES"] = KIND_NAMES
    return _page(request, actor, "year/compare.html", ctx)


# ---------------------------------------------------------------- plan against plan
def _default_pair(plans: list) -> tuple[int, int]:
    """(earlier, later): a bureau's plan against its own plan of an earlier year when there is one,
    else the newest plan against the newest plan of an earlier year, else the two newest."""
    for later in plans:
        for earlier in plans:
            if earlier.year and later.year and earlier.year < later.year and earlier.issuer == later.issuer:
                return earlier.id, later.id
    later = plans[0]
    earlier = next((p for p in plans if p.year and later.year and p.year < later.year), plans[1])
    return earlier.id, later.id


@router.get("/plans")
def plans_page(request: Request, actor: Reader, db: Db) -> Response:
    plans = business_plans(db)
    qp = request.query_params
    a = int_or_none(qp.get("a"))
    b = int_or_none(qp.get("b"))
    if a is None and b is None and len(plans) >= 2:
        a, b = _default_pair(plans)
    ctx: dict = {"plans": plans, "a": a, "b": b, "result": None, "STATUS_NAMES": compare.STATUS_NAMES}
    if a is not None and b is not None:
        if a == b:
            raise ValidationError("请选择两个不同的计划进行对比")
        ctx |= {
            "result": compare.compare_plans(db, plan_a=a, plan_b=b),
            "plan_a": plan_brief(get_plan(db, a)),
            "plan_b": plan_brief(get_plan(db, b)),
        }
    return _page(request, actor, "year/plans.html", ctx)


# ---------------------------------------------------------------- unit assessment
@router.get("/assessment")
def assessment_page(request: Request, actor: Reader, db: Db) -> Response:
    periods = reports.list_periods(db)
    period = request.query_params.get("period", "").strip()[:50] or (periods[0].name if periods else "")
    scores = scoring.assess_period(db, period_name=period, now=utcnow()) if period else []
    return _page(
        request,
        actor,
        "year/assessment.html",
        {
            "periods": periods,
            "period": period,
            "period_q": quote(period),
            "scores": scores,
            "RULE_NAMES": scoring.RULE_NAMES,
        },
    )
