"""Import drafts API (导入计划): upload a plan file, review and correct the parsed plan, import it.

Only the system administrator and supervisors handle drafts. An edit is one operation of
`duban.plan.edit` as JSON ({"op": "set_title", "doc": 0, "item": 3, "title": "..."}), with the
draft's "version" (optional; a stale one gives 409).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, File, Query, UploadFile
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from duban.ledger import drafts
from duban.ledger.errors import ValidationError
from duban.ledger.models import ImportDraft
from duban.plan.edit import Scope
from duban.web.deps import Allowed, Cfg, Db
from duban.web.uploads import parse_limits, read_plan_file

router = APIRouter(prefix="/imports", tags=["导入计划"])
Editor = Allowed("plan.import")


def draft_dict(db: Session, d: ImportDraft, *, full: bool = False) -> dict[str, Any]:
    """A draft; `full` adds the Plan JSON ("plan") and the cleaned source text ("text")."""
    docs = d.plan.get("documents", [])
    out: dict[str, Any] = {
        "id": d.id,
        "name": d.name,
        "sha256": d.sha256,
        "status": d.status,
        "status_name": drafts.STATUS_NAMES.get(d.status, d.status),
        "version": d.version,
        "created_by": d.created_by,
        "created_at": d.created_at.isoformat(timespec="seconds"),
        "updated_at": d.updated_at.isoformat(timespec="seconds"),
        "documents": [
            {
                "title": x.get("title"),
                "kind": x.get("kind"),
                "year": x.get("year"),
                "items": len(x.get("items", [])),
            }
            for x in docs
        ],
        "warnings": list(d.plan.get("warnings", [])),
        "undo": drafts.undo_count(db, d),
        "plans": [{"id": p.id, "title": p.title, "url": f"/plans/{p.id}"} for p in drafts.draft_plans(db, d)],
    }
    if full:
        out["plan"] = {"source": d.plan.get("source", ""), "documents": docs}
        out["text"] = drafts.draft_text(d)
    return out


def already_imported_response(exc: drafts.AlreadyImported) -> JSONResponse:
    """409 in the API error shape, with links to the plans the file became."""
    plans = [{"id": pid, "title": title, "url": f"/plans/{pid}"} for pid, title in exc.plans]
    return JSONResponse(
        {"error": {"code": "already_imported", "message": str(exc), "plans": plans}}, status_code=409
    )


def _version(body: dict[str, Any]) -> int | None:
    v = body.get("version")
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int):
        raise ValidationError("version 应为整数")
    return v


def _scope(scope: Scope) -> dict[str, Any]:
    return {"part": scope.part, "doc": scope.doc, "item": scope.item}


@router.get("", summary="导入草稿列表（可按状态筛选：draft / imported / discarded）")
def list_imports(
    db: Db,
    actor: Editor,
    status: Annotated[str | None, Query(description="draft / imported / discarded")] = None,
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    rows, total = drafts.list_drafts(db, actor=actor, status=status, page=page, per_page=per_page)
    return {"items": [draft_dict(db, d) for d in rows], "total": total, "page": page, "per_page": per_page}


@router.post("", status_code=201, summary="上传计划文件（txt/html/docx/pdf/doc/wps），解析为待审核草稿")
def upload(
    db: Db,
    cfg: Cfg,
    actor: Editor,
    file: Annotated[UploadFile, File(description="计划文件")],
) -> JSONResponse:
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
    data = {**draft_dict(db, up.draft), "reused": up.reused}
    return JSONResponse(data, status_code=200 if up.reused else 201)


@router.get("/{draft_id}", summary="一个导入草稿：解析结果（Plan JSON）和原文")
def get_import(draft_id: int, db: Db, actor: Editor) -> dict[str, Any]:
    return draft_dict(db, drafts.get_draft(db, actor=actor, draft_id=draft_id), full=True)


@router.post("/{draft_id}/edits", summary="修改草稿：一个修改操作（JSON，op 为操作名，可带 version）")
def edit_import(
    draft_id: int,
    db: Db,
    actor: Editor,
    body: Annotated[
        dict[str, Any], Body(examples=[{"op": "set_title", "doc": 0, "item": 1, "title": "新标题"}])
    ],
) -> dict[str, Any]:
    op = {k: v for k, v in body.items() if k != "version"}
    draft, scope = drafts.edit_draft(db, actor=actor, draft_id=draft_id, op=op, version=_version(body))
    return {**draft_dict(db, draft, full=True), "scope": _scope(scope)}


@router.post("/{draft_id}/undo", summary="撤销最近一次修改")
def undo_import(
    draft_id: int, db: Db, actor: Editor, body: Annotated[dict[str, Any] | None, Body()] = None
) -> dict[str, Any]:
    draft = drafts.undo_edit(db, actor=actor, draft_id=draft_id, version=_version(body or {}))
    return draft_dict(db, draft, full=True)


@router.post("/{draft_id}/import", summary="导入：按审核后的结果写入台账")
def import_import(
    draft_id: int, db: Db, actor: Editor, body: Annotated[dict[str, Any] | None, Body()] = None
) -> JSONResponse:
    try:
        draft, result = drafts.import_draft(db, actor=actor, draft_id=draft_id, version=_version(body or {}))
    except drafts.AlreadyImported as exc:
        return already_imported_response(exc)
    return JSONResponse(
        {
            **draft_dict(db, draft),
            "result": {
                "source": result.source,
                "sha256": result.sha256,
                "plans": [
                    {
                        "id": c.plan_id,
                        "title": c.title,
                        "action": c.action,
                        "tasks": c.tasks,
                        "targets": c.targets,
                        "url": f"/plans/{c.plan_id}",
                    }
                    for c in result.plans
                ],
            },
        }
    )


@router.delete("/{draft_id}", summary="放弃草稿")
def discard_import(
    draft_id: int, db: Db, actor: Editor, version: Annotated[int | None, Query()] = None
) -> dict[str, Any]:
    return draft_dict(db, drafts.discard_draft(db, actor=actor, draft_id=draft_id, version=version))
