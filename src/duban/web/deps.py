"""Request dependencies: a database session per request, the signed-in user, rights, CSRF.

Clients authenticate with the session cookie (browsers; unsafe methods then need the CSRF token in
the `X-CSRF-Token` header or a `csrf_token` form field) or with `Authorization: Bearer <token>`
(other systems; no ambient credential, so no CSRF check).
"""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from duban.ledger import rights
from duban.ledger.config import Config
from duban.ledger.errors import PermissionDenied
from duban.ledger.sessions import LiveSession, resume
from duban.ledger.users import Actor
from duban.web.errors import NotSignedIn, PasswordChangeRequired

COOKIE = "duban_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_db(request: Request) -> AsyncIterator[Session]:
    """A session per request, opened and closed on the event loop: opening takes no connection yet
    and closing hands one back (a rollback), both too short to be worth two trips to the thread
    pool per request (the queries themselves run in the pool, with the sync routes)."""
    session = request.app.state.Session()
    try:
        yield session
    finally:
        session.close()


def get_config(request: Request) -> Config:
    return request.app.state.config


Db = Annotated[Session, Depends(get_db)]
Cfg = Annotated[Config, Depends(get_config)]


def client_token(request: Request) -> tuple[str | None, bool]:
    """(token, from_cookie)."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip(), False
    return request.cookies.get(COOKIE), True


async def _check_csrf(request: Request, live: LiveSession) -> None:
    sent = request.headers.get(CSRF_HEADER)
    if not sent and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()  # Starlette caches it for the route's own Form parameters
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not sent or not hmac.compare_digest(sent, live.csrf_token):
        raise PermissionDenied("请求校验失败（CSRF），请刷新页面后重试")


def _resume(request: Request, db: Db, cfg: Cfg) -> LiveSession:
    """The live session behind the request's token; 401 without one.

    A plain function on purpose: FastAPI runs it in the thread pool. Run on the event loop, the
    blocking query stalled every request in flight while it waited for a pooled connection.
    """
    token, _ = client_token(request)
    if not token:
        raise NotSignedIn("未登录，请先登录")
    live = resume(db, token=token, cfg=cfg.web)
    request.state.live = live
    return live


async def current_session(request: Request, live: Annotated[LiveSession, Depends(_resume)]) -> LiveSession:
    """The live session of the request; CSRF checked on unsafe cookie requests (reads the form)."""
    _, from_cookie = client_token(request)
    if from_cookie and request.method not in SAFE_METHODS:
        await _check_csrf(request, live)
    return live


LiveDep = Annotated[LiveSession, Depends(current_session)]


async def current_actor(request: Request, live: LiveDep) -> Actor:
    """The signed-in user; a user whose password expired may only change it."""
    if live.password_expired:
        raise PasswordChangeRequired("密码已过期，请先修改密码")
    return live.actor


CurrentActor = Annotated[Actor, Depends(current_actor)]


def require_right(name: str) -> Callable:
    """A dependency that admits only actors holding the right `name` of `ledger.rights` (the role
    part; services check the scope on the object again). The role matrix test reads `.right`."""

    async def check(actor: CurrentActor) -> Actor:
        rights.require(actor, name)
        return actor

    check.right = name  # type: ignore[attr-defined]
    return check


def Allowed(name: str) -> Any:  # noqa: N802 - reads like a type in route signatures
    """`actor: Allowed("remind")`: the signed-in actor, refused unless it holds the right."""
    return Annotated[Actor, Depends(require_right(name))]
