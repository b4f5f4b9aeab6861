"""Plans API (工作要点): the list, one plan with its task tree, the source file (the reads live in
`duban.ledger.read.plans`, shared with the plan pages).

Every business role reads plans (the plan text is not secret within a bureau); a unit member sees
the supervision state (status, due date, light) only of its own unit's tasks. The security and
audit administrators see no business data.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response
from sqlalchemy.orm import Session

from duban.ledger.models import Blob
from duban.ledger.read.common import Page
from duban.ledger.read.plans import PlanDetail, PlanRow, plan_outline, plan_rows, plan_with_source
from duban.web.deps import Allowed, Db
from duban.web.downloads import content_disposition

router = APIRouter(prefix="/plans", tags=["工作要点"])

Reader = Allowed("plan.read")
PageNo = Annotated[int, Query(ge=1, description="页码，从 1 开始")]
PerPage = Annotated[int, Query(ge=1, le=200, description="每页条数，最多 200")]


def source_response(db: Session, plan_id: int) -> Response:
    """The plan's source file as a download (never rendered inline: an HTML source stays inert)."""
    _, src = plan_with_source(db, plan_id)
    blob = db.get(Blob, src.sha256)
    fallback = "".join(ch if ch.isascii() and ch.isalnum() or ch in "._-" else "_" for ch in src.name)
    return Response(
        blob.content,
        media_type="application/octet-stream",
        headers={"Content-Disposition": content_disposition(src.name, fallback or "source")},
    )


# ------------------------------------------------------------------ routes
@router.get("", summary="工作要点列表（可按类型、年度、标题筛选）")
def list_plans(
    db: Db,
    actor: Reader,
    kind: Annotated[str | None, Query(description="plan / summary / report")] = None,
    year: Annotated[int | None, Query(ge=1949, le=2100)] = None,
    q: Annotated[str | None, Query(max_length=100, description="标题包含")] = None,
    page: PageNo = 1,
    per_page: PerPage = 50,
) -> Page[PlanRow]:
    rows, total = plan_rows(db, kind=kind, year=year, q=q, page=page, per_page=per_page)
    return Page(items=rows, total=total, page=page, per_page=per_page)


# a task the reader may not see has no status fields at all (unset), not nulls
@router.get("/{plan_id}", summary="一个工作要点及其任务树", response_model_exclude_unset=True)
def plan_detail(plan_id: int, db: Db, actor: Reader) -> PlanDetail:
    data = plan_outline(db, actor=actor, plan_id=plan_id)
    return PlanDetail(**{k: v for k, v in data if k != "outline"})


@router.get("/{plan_id}/source", summary="下载原始文件")
def plan_source(plan_id: int, db: Db, actor: Reader) -> Response:
    return source_response(db, plan_id)
