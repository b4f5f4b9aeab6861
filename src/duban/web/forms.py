"""Helpers every page uses to read query strings and forms, answer errors and redirect after an action."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode, urlsplit

from fastapi import Request
from sqlalchemy.orm import Session

from duban.ledger.errors import LedgerError, ValidationError
from duban.ledger.models import Task
from duban.ledger.read.common import Page
from duban.ledger.read.visibility import readable_task
from duban.ledger.users import Actor
from duban.web.errors import ERROR_CODES


def int_or_none(value: str | None) -> int | None:
    """A query or form number; anything else is ignored as "no filter" rather than an error page."""
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def date_or_none(value: str | None, label: str = "日期") -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise ValidationError(f"{label}格式应为 YYYY-MM-DD：{value}") from exc


def safe_next(target: str | None, default: str = "/") -> str:
    """Only a local path: never redirect to another site (after login or an action)."""
    if not target or not target.startswith("/") or target.startswith("//") or urlsplit(target).netloc:
        return default
    return target


def status_for(exc: LedgerError) -> int:
    """The HTTP status a page answers a refused action with (the same table as the API's)."""
    return next((status for cls, status, _ in ERROR_CODES if isinstance(exc, cls)), 400)


def page_links(request: Request, page: Page) -> dict[str, str | None]:
    """Previous / next page URLs keeping the current filters."""
    params = dict(request.query_params)

    def url(p: int) -> str:
        return f"{request.url.path}?{urlencode({**params, 'page': p})}"

    return {
        "prev": url(page.page - 1) if page.page > 1 else None,
        "next": url(page.page + 1) if page.page < page.pages else None,
    }


def done_task(request: Request, db: Session, actor: Actor) -> Task | None:
    """The task a redirect after an action names (`?task=`), if this user may read it."""
    raw = request.query_params.get("task", "")
    if not raw.isdigit():
        return None
    try:
        return readable_task(db, actor=actor, task_id=int(raw))
    except LedgerError:
        return None
