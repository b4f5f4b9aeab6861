"""导出文件 page (/exports): every official table and document, chosen by plan or period, and the
downloads themselves (/exports/{kind}), built by the same `export_file` as the API route."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from duban.exports.files import KINDS, export_file
from duban.ledger import reports
from duban.ledger.read.common import business_plans, default_plan
from duban.web.deps import Allowed, Cfg, Db
from duban.web.downloads import download_response
from duban.web.forms import int_or_none
from duban.web.pages.year import TABS
from duban.web.templating import render

router = APIRouter(prefix="/exports")
Reader = Allowed("export")
FORMAT_NAMES = {
    "xlsx": "Excel（.xlsx）",
    "docx": "Word（.docx）",
    "csv": "CSV（压缩包/表格）",
    "json": "JSON",
}


@router.get("")
def exports_page(request: Request, actor: Reader, db: Db) -> Response:
    return render(
        request,
        "exports/index.html",
        {
            "tabs": TABS,
            "KINDS": KINDS,
            "FORMAT_NAMES": FORMAT_NAMES,
            "plans": business_plans(db),
            "default_plan": default_plan(db),
            "periods": reports.list_periods(db),
        },
    )


@router.get("/{kind}")
def export_download(kind: str, request: Request, actor: Reader, db: Db, cfg: Cfg) -> Response:
    qp = request.query_params
    return download_response(
        export_file(
            db,
            kind=kind,
            cfg=cfg,
            plan_id=int_or_none(qp.get("plan_id")),
            period=(qp.get("period") or "").strip()[:50] or None,
            fmt=(qp.get("format") or "")[:10] or None,
            issuer=(qp.get("issuer") or "")[:100],
            summary=(qp.get("summary_id") or "")[:20] or None,
        )
    )
