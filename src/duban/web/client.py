"""Cookie settings shared by the login page and the login API."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from duban.ledger.config import WebConfig
from duban.web.deps import COOKIE


def client_address(request: Request) -> str:
    """The client's IP (behind the reverse proxy: uvicorn's proxy_headers put the forwarded one here)."""
    return request.client.host if request.client else ""


def client_label(request: Request) -> str:
    return f"{client_address(request)} {request.headers.get('user-agent', '')}"[:300]


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
