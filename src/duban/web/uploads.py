"""Uploaded files as the pages and the API both take them: the size limit, safe names, parse limits,
and attachments sent back as downloads."""

from __future__ import annotations

import mimetypes
from pathlib import PurePath
from typing import Annotated

from fastapi import Depends, HTTPException, Request, UploadFile
from fastapi.responses import Response

from duban.ledger.config import Config
from duban.ledger.errors import ValidationError
from duban.plan.worker import ParseLimits
from duban.web.deps import get_config
from duban.web.downloads import content_disposition


def upload_limit(cfg: Config) -> int:
    return cfg.web.max_upload_mb * 1024 * 1024


def too_large(what: str, cfg: Config) -> HTTPException:
    return HTTPException(
        413, f"{what}超过上限 {cfg.web.max_upload_mb} MB，请压缩后重新提交，或只上传必要的佐证材料"
    )


def upload_guard(request: Request, cfg: Annotated[Config, Depends(get_config)]) -> None:
    """Refuse an oversized body by its declared length before anything reads it."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > upload_limit(cfg) + 64 * 1024:  # slack for the form's text fields
        raise too_large("提交的附件总大小", cfg)


UploadGuard = Annotated[None, Depends(upload_guard)]


def clean_name(name: str) -> str:
    """The file's own name only (no folders), never empty."""
    base = PurePath(name.replace("\\", "/")).name.strip()
    return (base or "附件")[:200]


async def read_attachment(file: UploadFile, cfg: Config, used: int) -> tuple[str, bytes]:
    """(name, bytes) of one report attachment; 413 once the request's files pass the limit."""
    content = await file.read(upload_limit(cfg) - used + 1)
    if used + len(content) > upload_limit(cfg):
        raise too_large(f"附件“{clean_name(file.filename or '')}”（连同本次其他附件）", cfg)
    return clean_name(file.filename or ""), content


def attachment_response(name: str, content: bytes) -> Response:
    """Always a download (never shown inline: an uploaded HTML file must not run in our origin)."""
    media = mimetypes.guess_type(name)[0] or "application/octet-stream"
    headers = {"Content-Disposition": content_disposition(name, "attachment")}
    return Response(content, media_type=media, headers=headers)


def read_plan_file(file: UploadFile, max_mb: int) -> bytes:
    """An uploaded plan file's bytes; more than the configured limit is refused without reading it all.

    Synchronous on purpose: the upload endpoints are plain `def`, run in the thread pool, so the
    parse they wait for (in a worker process) never holds the event loop.
    """
    limit = max_mb * 1024 * 1024
    file.file.seek(0)
    content = file.file.read(limit + 1)
    if len(content) > limit:
        raise ValidationError(f"文件过大，上限为 {max_mb} MB")
    return content


def parse_limits(cfg: Config) -> ParseLimits:
    """The time and memory one upload's parse may take (the same for pages and API)."""
    return ParseLimits(seconds=cfg.web.parse_timeout_seconds, memory_mb=cfg.web.parse_memory_mb)
