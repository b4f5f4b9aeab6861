"""审计日志: the log with filters, and the hash-chain check, for the audit administrator only."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from duban.ledger import audit
from duban.ledger.errors import LedgerError
from duban.ledger.read.audit import AuditFilter, action_name, audit_choices, audit_log, require_auditor
from duban.ledger.read.common import DEFAULT_PER_PAGE
from duban.web.deps import Allowed, Db
from duban.web.forms import date_or_none, int_or_none, page_links
from duban.web.templating import render

router = APIRouter()


def _page(
    request: Request, actor: Allowed("audit.read"), db: Db, *, verify: audit.VerifyResult | None = None
) -> Response:
    require_auditor(actor)
    qp = request.query_params
    error = ""
    try:
        date_from = date_or_none(qp.get("date_from"), "开始日期")
        date_to = date_or_none(qp.get("date_to"), "结束日期")
    except LedgerError as exc:
        error, date_from, date_to = str(exc), None, None
    f = AuditFilter(
        actor=(qp.get("actor") or "")[:100],
        action=(qp.get("action") or "")[:50],
        entity=(qp.get("entity") or "")[:30],
        entity_id=(qp.get("entity_id") or "")[:50],
        date_from=date_from,
        date_to=date_to,
        page=int_or_none(qp.get("page")) or 1,
        per_page=int_or_none(qp.get("per_page")) or DEFAULT_PER_PAGE,
    )
    page = audit_log(db, actor=actor, filters=f)
    actions, entities = audit_choices(db)
    return render(
        request,
        "audit/index.html",
        {
            "page": page,
            "f": f,
            "links": page_links(request, page),
            "actions": [(a, action_name(a)) for a in actions],
            "entities": entities,
            "verify": verify,
            "error": error,
        },
    )


@router.get("/audit")
def audit_page(request: Request, actor: Allowed("audit.read"), db: Db) -> Response:
    return _page(request, actor, db)


@router.post("/audit/verify")
def audit_verify(request: Request, actor: Allowed("audit.read"), db: Db) -> Response:
    require_auditor(actor)
    return _page(request, actor, db, verify=audit.verify(db))
