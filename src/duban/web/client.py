"""Cookie settings shared by the login page and the login API."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from duban.ledger.config import WebConfig
from duban.web.deps import COOKIE


def client_label(request: Request) -> str:
    host = request.client.host if request.client else ""
    return f"{host} {request.headers.get('user-agent', '')}"[:300]


def set_session_cookie(response: Response, token: str, cfg: WebConfig) -> None:
    """HttpOnly and SameSite=Strict: scripts cannot read it, other sites cannot send it."""
    response.set_cookie(
        COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=cfg.secure_cookie,
        max_age=cfg.session_max_hours * 3600,
        path="/",
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/")
