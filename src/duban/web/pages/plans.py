"""工作要点 pages: the list of imported plans and one plan's outline (read-only), with its source file."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from duban.ledger.read.plans import plan_outline, plan_rows
from duban.ledger.rights import can
from duban.plan.model import KIND_NAMES
from duban.web.deps import Allowed, Db
from duban.web.people import display_names
from duban.web.templating import render

router = APIRouter()
Reader = Allowed("plan.read")
PER_PAGE = 50


def _int(value: str | None) -> int | None:
    return int(value) if value and value.strip().isdigit() else None


@router.get("/plans")
def plans_page(request: Request, db: Db, actor: Reader) -> Response:
    qp = request.query_params
    kind = qp.get("kind") if qp.get("kind") in KIND_NAMES else None
    year = _int(qp.get("year"))
    q = (qp.get("q") or "").strip()[:100] or None
    page = max(1, _int(qp.get("page")) or 1)
    rows, total = plan_rows(db, kind=kind, year=year, q=q, page=page, per_page=PER_PAGE)
    pages = max(1, (total + PER_PAGE - 1) // PER_PAGE)
    return render(
        request,
        "plans/list.html",
        {
            "rows": rows,
            "names": display_names(db, [r.source.imported_by for r in rows]),
            "total": total,
            "page": page,
            "pages": pages,
            "kind": kind or "",
            "year": year or "",
            "q": q or "",
            "kind_names": KIND_NAMES,
            "can_import": can(actor, "plan.import"),
        },
    )


@router.get("/plans/{plan_id}")
def plan_page(request: Request, plan_id: int, db: Db, actor: Reader) -> Response:
    plan = plan_outline(db, actor=actor, plan_id=plan_id)
    return render(
        request,
        "plans/detail.html",
        {
            "plan": plan,
            "importer": display_names(db, [plan.source.imported_by]).get(plan.source.imported_by, ""),
            "imported": bool(request.query_params.get("imported")),
            "can_decompose": can(actor, "task.assign"),
        },
    )
