"""Import drafts API (导入计划): upload a plan file, review and correct the parsed plan, import it.

Only the system administrator and supervisors handle drafts. An edit is one operation of
`duban.plan.edit` as JSON ({"op": "set_title", "doc": 0, "item": 3, "title": "..."}), with the
draft's "version" (optional; a stale one gives 409).
"""

from __future__ import annotations

from typing import Annotated, Any, Self

from fastapi import APIRouter, Body, File, Query, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from duban.ledger import drafts
from duban.ledger.errors import ValidationError
from duban.ledger.models import ImportDraft
from duban.ledger.read.common import Page
from duban.web.deps import Allowed, Cfg, Db
from duban.web.uploads import parse_limits, read_plan_file

router = APIRouter(prefix="/imports", tags=["导入计划"])
Editor = Allowed("plan.import")


class PlanLink(BaseModel):
    id: int
    title: str
    url: str  # the plan's page

    @classmethod
    def of(cls, plan_id: int, title: str) -> PlanLink:
        return cls(id=plan_id, title=title, url=f"/plans/{plan_id}")


class DraftDocument(BaseModel):
    title: str | None
    kind: str | None
    year: int | None
    items: int = Field(description="条目数")


class DraftOut(BaseModel):
    """A draft as lists show it."""

    id: int
    name: str
    sha256: str
    status: str  # draft / imported / discarded
    status_name: str
    version: int
    created_by: str
    created_at: str
    updated_at: str
    documents: list[DraftDocument]
    warnings: list[str]
    undo: int = Field(description="可撤销的修改数")
    plans: list[PlanLink] = Field(description="导入后成为的计划")

    @classmethod
    def of(cls, db: Session, d: ImportDraft, **more: Any) -> Self:
        docs = d.plan.get("documents", [])
        return cls(
            id=d.id,
            name=d.name,
            sha256=d.sha256,
            status=d.status,
            status_name=drafts.STATUS_NAMES.get(d.status, d.status),
            version=d.version,
            created_by=d.created_by,
            created_at=d.created_at.isoformat(timespec="seconds"),
            updated_at=d.updated_at.isoformat(timespec="seconds"),
            documents=[
                DraftDocument(
                    title=x.get("title"),
                    kind=x.get("kind"),
                    year=x.get("year"),
                    items=len(x.get("items", [])),
                )
                for x in docs
            ],
            warnings=list(d.plan.get("warnings", [])),
            undo=drafts.undo_count(db, d),
            plans=[PlanLink.of(p.id, p.title) for p in drafts.draft_plans(db, d)],
            **more,
        )


class DraftPlan(BaseModel):
    """The parsed plan under review (Plan JSON, docs/plan-json.md)."""

    source: str
    documents: list[dict[str, Any]]


class DraftFull(DraftOut):
    """A draft with its Plan JSON and the cleaned source text."""

    plan: DraftPlan
    text: str

    @classmethod
    def full(cls, db: Session, d: ImportDraft, **more: Any) -> Self:
        plan = DraftPlan(source=d.plan.get("source", ""), documents=d.plan.get("documents", []))
        return cls.of(db, d, plan=plan, text=drafts.draft_text(d), **more)


class Uploaded(DraftOut):
    reused: bool = Field(description="同一文件已有未完成的草稿：返回该草稿（200）")


class EditScope(BaseModel):
    part: str = Field(description="meta / item / document / plan：这次修改涉及的范围")
    doc: int
    item: int | None


class Edited(DraftFull):
    scope: EditScope


class ImportedPlan(BaseModel):
    id: int
    title: str
    action: str  # created / revised / unchanged
    tasks: int
    targets: int
    url: str


class ImportResultOut(BaseModel):
    source: str
    sha256: str
    plans: list[ImportedPlan]


class Imported(DraftOut):
    result: ImportResultOut


class AlreadyImportedError(BaseModel):
    """The 409 answer of a file imported before."""

    code: str
    message: str
    plans: list[PlanLink]


def already_imported_response(exc: drafts.AlreadyImported) -> JSONResponse:
    """409 in the API error shape, with links to the plans the file became."""
    plans = [PlanLink.of(pid, title) for pid, title in exc.plans]
    body = AlreadyImportedError(code="already_imported", message=str(exc), plans=plans)
    return JSONResponse({"error": body.model_dump()}, status_code=409)


def _version(body: dict[str, Any]) -> int | None:
    v = body.get("version")
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int):
        raise ValidationError("version 应为整数")
    return v


@router.get("", summary="导入草稿列表（可按状态筛选：draft / imported / discarded）")
def list_imports(
    db: Db,
    actor: Editor,
    status: Annotated[str | None, Query(description="draft / imported / discarded")] = None,
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[DraftOut]:
    rows, total = drafts.list_drafts(db, actor=actor, status=status, page=page, per_page=per_page)
    return Page(items=[DraftOut.of(db, d) for d in rows], total=total, page=page, per_page=per_page)


@router.post(
    "",
    status_code=201,
    summary="上传计划文件（txt/html/docx/pdf/doc/wps），解析为待审核草稿",
    response_model=Uploaded,
    responses={409: {"description": "该文件已导入（error.plans 为导入后的计划）"}},
)
def upload(
    db: Db,
    cfg: Cfg,
    actor: Editor,
    response: Response,
    file: Annotated[UploadFile, File(description="计划文件")],
) -> Uploaded | JSONResponse:
    content = read_plan_file(file, cfg.web.max_upload_mb)
    try:
        up = drafts.create_draft(
            db,
            actor=actor,
            content=content,
            name=file.filename or "",
            max_bytes=cfg.web.max_upload_mb * 1048576,
            limits=parse_limits(cfg),
        )
    except drafts.AlreadyImported as exc:
        return already_imported_response(exc)
    if up.reused:
        response.status_code = 200
    return Uploaded.of(db, up.draft, reused=up.reused)


@router.get("/{draft_id}", summary="一个导入草稿：解析结果（Plan JSON）和原文")
def get_import(draft_id: int, db: Db, actor: Editor) -> DraftFull:
    return DraftFull.full(db, drafts.get_draft(db, actor=actor, draft_id=draft_id))


@router.post("/{draft_id}/edits", summary="修改草稿：一个修改操作（JSON，op 为操作名，可带 version）")
def edit_import(
    draft_id: int,
    db: Db,
    actor: Editor,
    body: Annotated[
        dict[str, Any], Body(examples=[{"op": "set_title", "doc": 0, "item": 1, "title": "新标题"}])
    ],
) -> Edited:
    op = {k: v for k, v in body.items() if k != "version"}
    draft, scope = drafts.edit_draft(db, actor=actor, draft_id=draft_id, op=op, version=_version(body))
    return Edited.full(db, draft, scope=EditScope(part=scope.part, doc=scope.doc, item=scope.item))


@router.post("/{draft_id}/undo", summary="撤销最近一次修改")
def undo_import(
    draft_id: int, db: Db, actor: Editor, body: Annotated[dict[str, Any] | None, Body()] = None
) -> DraftFull:
    draft = drafts.undo_edit(db, actor=actor, draft_id=draft_id, version=_version(body or {}))
    return DraftFull.full(db, draft)


@router.post(
    "/{draft_id}/import",
    summary="导入：按审核后的结果写入台账",
    response_model=Imported,
    responses={409: {"description": "该文件已导入（error.plans 为导入后的计划）"}},
)
def import_import(
    draft_id: int, db: Db, actor: Editor, body: Annotated[dict[str, Any] | None, Body()] = None
) -> Imported | JSONResponse:
    try:
        draft, result = drafts.import_draft(db, actor=actor, draft_id=draft_id, version=_version(body or {}))
    except drafts.AlreadyImported as exc:
        return already_imported_response(exc)
    plans = [
        ImportedPlan(
            id=c.plan_id,
            title=c.title,
            action=c.action,
            tasks=c.tasks,
            targets=c.targets,
            url=f"/plans/{c.plan_id}",
        )
        for c in result.plans
    ]
    return Imported.of(
        db, draft, result=ImportResultOut(source=result.source, sha256=result.sha256, plans=plans)
    )


@router.delete("/{draft_id}", summary="放弃草稿")
def discard_import(
    draft_id: int, db: Db, actor: Editor, version: Annotated[int | None, Query()] = None
) -> DraftOut:
    return DraftOut.of(db, drafts.discard_draft(db, actor=actor, draft_id=draft_id, version=version))
