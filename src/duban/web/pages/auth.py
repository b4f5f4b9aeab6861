"""Login, logout and password change pages.

The login form has no session yet, so its CSRF token is a double-submit cookie: a random value
in a SameSite=Strict cookie that the form must echo.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from duban.ledger import sessions
from duban.ledger.errors import LedgerError
from duban.ledger.users import change_own_password
from duban.web.auth import PASSWORD, PROVIDERS
from duban.web.client import clear_session_cookie, client_address, client_label, set_session_cookie
from duban.web.deps import COOKIE, Cfg, Db, LiveDep
from duban.web.forms import safe_next
from duban.web.templating import render

router = APIRouter()
LOGIN_CSRF = "duban_login_csrf"


def _login_page(
    request: Request, *, error: str = "", status: int = 200, next_: str | None = None
) -> Response:
    token = secrets.token_urlsafe(24)
    response = render(
        request,
        "login.html",
        {
            "login_csrf": token,
            "error": error,
            "msg": request.query_params.get("msg", ""),
            "next": safe_next(next_ or request.query_params.get("next")),
            "providers": list(PROVIDERS.values()),
        },
        status_code=status,
    )
    response.set_cookie(LOGIN_CSRF, token, httponly=True, samesite="strict", path="/login")
    return response


@router.get("/login")
def login_form(request: Request) -> Response:
    return _login_page(request)


@router.post("/login")
def login(
    request: Request,
    db: Db,
    cfg: Cfg,
    username: Annotated[str, Form(max_length=100)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",  # noqa: A002
) -> Response:
    expected = request.cookies.get(LOGIN_CSRF, "")
    if not expected or not hmac.compare_digest(expected, csrf_token):
        return _login_page(request, error="页面已过期，请重新输入后登录", status=400, next_=next)
    try:
        actor = PASSWORD.authenticate(
            db, username=username, password=password, client=client_address(request)
        )
    except LedgerError as exc:
        return _login_page(request, error=str(exc), status=401, next_=next)
    token, live = sessions.start(db, actor=actor, provider=PASSWORD.name, client=client_label(request))
    target = "/password?expired=1" if live.password_expired else safe_next(next)
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(response, token, cfg.web)
    response.delete_cookie(LOGIN_CSRF, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, db: Db, live: LiveDep) -> Response:
    sessions.end(db, token=request.cookies.get(COOKIE, ""))
    response = RedirectResponse("/login?msg=" + "已退出登录", status_code=303)
    clear_session_cookie(response)
    return response


@router.get("/password")
def password_form(request: Request, live: LiveDep) -> Response:
    return render(request, "password.html", {"expired": live.password_expired})


@router.post("/password")
def password_change(
    request: Request,
    db: Db,
    live: LiveDep,
    old_password: Annotated[str, Form(max_length=200)] = "",
    new_password: Annotated[str, Form(max_length=200)] = "",
    new_password2: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    error = ""
    if new_password != new_password2:
        error = "两次输入的新密码不一致"
    else:
        try:
            change_own_password(
                db, actor=live.actor, old=old_password, new=new_password, keep_session=live.id
            )
        except LedgerError as exc:
            error = str(exc)
    if error:
        return render(request, "password.html", {"expired": live.password_expired, "error": error}, 422)
    return render(request, "password.html", {"expired": False, "done": True})
