"""Progress reports (进展报送) API: "最多报一次", one report per unit and period covering all its tasks.

A unit member gets the pre-filled draft, then submits once: JSON (attachments as base64) or
multipart (the same JSON in the `data` field, files in `files_<task_id>` fields). Attachments are
downloaded through a permission check: a unit member only its own unit's.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from pydantic import ValidationError as PydanticError

from duban.ledger import reports
from duban.ledger.config import Config
from duban.ledger.errors import PermissionDenied, ValidationError
from duban.ledger.read.common import Page
from duban.ledger.read.reports import ReportOut, ReportRow, report_out, report_row
from duban.ledger.users import Actor
from duban.web.api.units import PagingDep, page_of
from duban.web.deps import Allowed, Cfg, Db
from duban.web.uploads import (
    UploadGuard,
    attachment_response,
    clean_name,
    read_attachment,
    too_large,
    upload_limit,
)

router = APIRouter(prefix="/reports", tags=["进展报送"])
Member = Allowed("report.submit")
Reader = Allowed("report.read")


# --- shapes ----------------------------------------------------------------------------------------
class AttachmentIn(BaseModel):
    name: str = Field(max_length=300)
    content_base64: str


class EntryIn(BaseModel):
    task_id: int
    work_done: str = Field("", max_length=20000)
    problems: str = Field("", max_length=20000)
    next_steps: str = Field("", max_length=20000)
    percent: float | None = Field(None, ge=0, le=100)
    values: dict[int, float | None] = Field(default_factory=dict, description="目标（quantity）id → 实际值")
    confirmed: list[int] = Field(
        default_factory=list,
        description="已核对、确认无误的目标 id（数值与目标量级不符时会被询问“是否为 8%？”）",
    )
    attachments: list[AttachmentIn] = Field(default_factory=list)


class ReportIn(BaseModel):
    period_id: int
    entries: list[EntryIn] = Field(default_factory=list, description="未列出的任务沿用上期内容")


class DraftTarget(BaseModel):
    quantity_id: int
    text: str
    value: float | None


class DraftEntry(BaseModel):
    task_id: int
    title: str
    work_done: str
    problems: str
    next_steps: str
    percent: float | None
    targets: list[DraftTarget]

    @classmethod
    def of(cls, e: reports.Entry) -> DraftEntry:
        return cls(
            task_id=e.task_id,
            title=e.title,
            work_done=e.work_done,
            problems=e.problems,
            next_steps=e.next_steps,
            percent=e.percent,
            targets=[DraftTarget(quantity_id=q, text=t, value=e.values.get(q)) for q, t in e.targets],
        )


class ReportDraft(BaseModel):
    period_id: int
    period: str
    submitted_report_id: int | None = Field(description="本期已报送的报送编号")
    entries: list[DraftEntry]


def to_entries(body: ReportIn, files: dict[int, list[tuple[str, bytes]]], cfg: Config) -> list[reports.Entry]:
    used = sum(len(c) for fs in files.values() for _, c in fs)
    out = []
    for e in body.entries:
        attachments = list(files.get(e.task_id, []))
        for a in e.attachments:
            try:
                content = base64.b64decode(a.content_base64, validate=True)
            except (binascii.Error, ValueError) as exc:
                raise ValidationError(f"附件“{clean_name(a.name)}”不是有效的 base64 内容") from exc
            used += len(content)
            if used > upload_limit(cfg):
                raise too_large(f"附件“{clean_name(a.name)}”（连同本次其他附件）", cfg)
            attachments.append((clean_name(a.name), content))
        out.append(
            reports.Entry(
                task_id=e.task_id,
                work_done=e.work_done,
                problems=e.problems,
                next_steps=e.next_steps,
                percent=e.percent,
                values=dict(e.values),
                confirmed=set(e.confirmed),
                attachments=attachments,
            )
        )
    for task_id in set(files) - {e.task_id for e in body.entries}:  # files for a task with no text
        out.append(reports.Entry(task_id=task_id, attachments=files[task_id]))
    return out


def _own_unit(actor: Actor) -> int:
    if actor.unit_id is None:
        raise PermissionDenied("该账户未设置所属单位，不能报送")
    return actor.unit_id


# --- routes (fixed paths before /{report_id}) -----------------------------------------------------
@router.get("", summary="报送列表：单位用户只见本单位，督查、领导可见全部")
def get_reports(
    db: Db,
    paging: PagingDep,
    actor: Reader,
    period_id: Annotated[int | None, Query(description="按周期筛选")] = None,
    unit_id: Annotated[int | None, Query(description="按单位筛选")] = None,
    late: Annotated[bool | None, Query(description="只看逾期（true）或按时（false）")] = None,
) -> Page[ReportRow]:
    rows = reports.list_reports(db, actor=actor, period_id=period_id, unit_id=unit_id)
    if late is not None:
        rows = [r for r in rows if r.late == late]
    return page_of(rows, paging, lambda r: report_row(db, r))


@router.get("/draft", summary="本单位本期报送草稿（按上期内容预填）")
def get_draft(db: Db, actor: Member, period_id: Annotated[int, Query()]) -> ReportDraft:
    unit_id = _own_unit(actor)
    period = reports.get_period_by_id(db, period_id=period_id)
    done = reports.unit_report(db, actor=actor, unit_id=unit_id, period_id=period_id)
    entries = reports.draft(db, unit_id=unit_id, period_id=period_id)
    return ReportDraft(
        period_id=period.id,
        period=period.name,
        submitted_report_id=done.id if done else None,
        entries=[DraftEntry.of(e) for e in entries],
    )


@router.get("/attachments/{attachment_id}", summary="下载附件（校验查看权限）")
def get_attachment(attachment_id: int, db: Db, actor: Reader) -> Response:
    name, content = reports.read_attachment(db, actor=actor, attachment_id=attachment_id)
    return attachment_response(name, content)


@router.post("", status_code=201, summary="报送（JSON；附件以 base64 提交）")
def post_report(body: ReportIn, db: Db, cfg: Cfg, actor: Member) -> ReportOut:
    entries = to_entries(body, {}, cfg)
    report = reports.submit(
        db, actor=actor, unit_id=_own_unit(actor), period_id=body.period_id, entries=entries
    )
    return report_out(db, report)


@router.post("/upload", status_code=201, summary="报送（multipart：data 为 JSON，文件字段名 files_<任务id>）")
async def post_report_multipart(
    guard: UploadGuard, request: Request, db: Db, cfg: Cfg, actor: Member
) -> ReportOut:
    form = await request.form()
    try:
        body = ReportIn.model_validate(json.loads(str(form.get("data") or "{}")))
    except (json.JSONDecodeError, PydanticError) as exc:
        raise ValidationError("data 字段应为报送内容的 JSON：{period_id, entries: [...]}") from exc
    files: dict[int, list[tuple[str, bytes]]] = {}
    used = 0
    for key, value in form.multi_items():
        if not key.startswith("files_") or isinstance(value, str) or not value.filename:
            continue
        try:
            task_id = int(key.removeprefix("files_"))
        except ValueError as exc:
            raise ValidationError(f"文件字段名无效：{key}（应为 files_<任务id>）") from exc
        name, content = await read_attachment(value, cfg, used)
        used += len(content)
        files.setdefault(task_id, []).append((name, content))
    entries = to_entries(body, files, cfg)
    report = reports.submit(
        db, actor=actor, unit_id=_own_unit(actor), period_id=body.period_id, entries=entries
    )
    return report_out(db, report)


@router.get("/{report_id}", summary="一份报送的全部内容")
def get_report(report_id: int, db: Db, actor: Reader) -> ReportOut:
    return report_out(db, reports.get_report(db, actor=actor, report_id=report_id))
