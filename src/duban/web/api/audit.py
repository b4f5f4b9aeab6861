"""The audit log for the audit administrator: read with filters, verify the hash chain."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from duban.ledger import audit
from duban.ledger.read.audit import AuditFilter, audit_log, require_auditor
from duban.ledger.read.common import DEFAULT_PER_PAGE, MAX_PER_PAGE, Page
from duban.web.deps import Allowed, Db

router = APIRouter(tags=["审计"])


@router.get("/audit", summary="审计日志（最新在前；仅审计管理员）")
def get_audit(
    actor: Allowed("audit.read"),
    db: Db,
    actor_name: Annotated[str, Query(alias="actor", max_length=100)] = "",
    action: Annotated[
        str, Query(max_length=50, description="如 task.close；以“.”结尾则按前缀，如 task.")
    ] = "",
    entity: Annotated[str, Query(max_length=30)] = "",
    entity_id: Annotated[str, Query(max_length=50)] = "",
    date_from: date | None = None,
    date_to: date | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = DEFAULT_PER_PAGE,
) -> Page[dict[str, Any]]:
    f = AuditFilter(actor_name, action, entity, entity_id, date_from, date_to, page, per_page)
    return audit_log(db, actor=actor, filters=f)


class Verified(BaseModel):
    ok: bool
    count: int = Field(description="校验的记录数")
    problems: list[str]


def _verify(actor: Allowed("audit.read"), db: Db) -> Verified:
    require_auditor(actor)
    result = audit.verify(db)
    return Verified(ok=result.ok, count=result.count, problems=result.problems)


@router.get("/audit/verify", summary="校验审计链（仅审计管理员）")
def verify_get(actor: Allowed("audit.read"), db: Db) -> Verified:
    return _verify(actor, db)


@router.post("/audit/verify", summary="校验审计链（仅审计管理员）")
def verify_post(actor: Allowed("audit.read"), db: Db) -> Verified:
    return _verify(actor, db)
