"""Jinja2 templates (autoescaped: text from plans and users is always shown as text) and the menu."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from starlette.responses import Response

from duban.ledger import rights
from duban.ledger.clock import to_local
from duban.ledger.rights import ROLE_NAMES

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
TEMPLATES.env.globals["ROLE_NAMES"] = ROLE_NAMES


def local_time(value: datetime | str | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored UTC timestamp (datetime or ISO text) on the bureau's clock; "" for none."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return to_local(value).strftime(fmt)


TEMPLATES.env.filters["local"] = local_time

# (path, label, the right the page needs). Pages check rights themselves; this only hides what a
# role can't use.
MENU: list[tuple[str, str, str]] = [
    ("/dashboard", "督办总览", "overview"),
    ("/inbox", "本单位待办", "inbox"),
    ("/reports", "进展报送", "report.submit"),
    ("/periods", "报送周期", "period.oversee"),
    ("/plans", "工作要点", "plan.read"),
    ("/imports", "导入计划", "plan.import"),
    ("/approvals", "审批", "approve"),
    ("/year", "年终考核", "year.read"),
    ("/admin/units", "单位", "unit.manage"),
    ("/admin/deliveries", "推送", "delivery.retry"),
    ("/admin/users", "用户", "user.read"),
    ("/audit", "审计日志", "audit.read"),
]


@pass_context
def _can(ctx: Any, right: str, obj: Any = None) -> bool:
    """`{% if can("remind") %}` in a template: the signed-in actor holds the right."""
    live = ctx.get("live")
    return rights.can(live.actor if live else None, right, obj)


TEMPLATES.env.globals["can"] = _can

# pages that belong to a menu entry whose path they do not start with
MENU_SECTIONS = {"/exports": "/year"}


def menu_path(path: str) -> str:
    """The path the menu highlights: /exports sits under 年终考核 (/year)."""
    for prefix, section in MENU_SECTIONS.items():
        if path == prefix or path.startswith(prefix + "/"):
            return section
    return path


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> Response:
    """A page with the signed-in user (if any), their menu and the CSRF token in its context."""
    live = getattr(request.state, "live", None)
    actor = live.actor if live else None
    ctx = {
        "live": live,
        "csrf_token": live.csrf_token if live else "",
        "menu": [(p, label) for p, label, right in MENU if rights.can(actor, right)],
        "path": request.url.path,
        "menu_path": menu_path(request.url.path),
        **(context or {}),
    }
    response = TEMPLATES.TemplateResponse(request, name, ctx, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    return response
