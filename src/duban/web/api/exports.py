"""Downloads: task decomposition table, bulletin, summary draft, the whole ledger, assessment results.

The files are built by `duban.exports.files.export_file`, which the /exports page calls too.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from duban.exports.files import export_file
from duban.web.deps import Allowed, Cfg, Db
from duban.web.downloads import download_response

Reader = Allowed("export")

router = APIRouter(prefix="/exports", tags=["导出"])


@router.get(
    "/{kind}",
    summary="下载导出文件：decomposition（xlsx/docx）、bulletin、summary-draft、reconcile（xlsx）、ledger（csv/json）、"
    "assessment、assessment-details（csv）",
    response_class=Response,
)
def get_export(
    kind: str,
    db: Db,
    cfg: Cfg,
    actor: Reader,
    plan_id: Annotated[int | None, Query(description="计划编号（任务分解表、总结初稿）")] = None,
    period: Annotated[str | None, Query(max_length=50, description="报送周期名称（通报、考核）")] = None,
    format: Annotated[str | None, Query(max_length=10, description="格式，默认为该类型的第一种")] = None,  # noqa: A002
    issuer: Annotated[str, Query(max_length=100, description="通报落款单位")] = "",
    summary_id: Annotated[
        str | None,
        Query(
            max_length=20,
            description="目标对照表的依据：总结编号，或 reports（进展报送）；默认为评述该计划的第一份总结",
        ),
    ] = None,
) -> Response:
    return download_response(
        export_file(
            db,
            kind=kind,
            cfg=cfg,
            plan_id=plan_id,
            period=period,
            fmt=format,
            issuer=issuer,
            summary=summary_id,
        )
    )
