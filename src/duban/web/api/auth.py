"""Sign in and out through the API (for other systems and scripts): a bearer token and the session cookie."""

from __future__ import annotations

from typing import Self

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from duban.ledger import sessions
from duban.ledger.users import change_own_password
from duban.web.api.units import Ok
from duban.web.auth import PASSWORD
from duban.web.client import clear_session_cookie, client_address, client_label, set_session_cookie
from duban.web.deps import Cfg, Db, LiveDep, client_token
from duban.web.people import Person

router = APIRouter(prefix="/auth", tags=["登录"])


class LoginIn(BaseModel):
    username: str = Field(max_length=100)
    password: str = Field(max_length=200)


class PasswordIn(BaseModel):
    old_password: str = Field(max_length=200)
    new_password: str = Field(max_length=200)


class Me(Person):
    """The signed-in user of this session."""

    password_expired: bool = Field(description="密码已过期：只能修改密码")
    csrf_token: str = Field(description="页面表单与 Cookie 会话的写操作需带上（X-CSRF-Token）")

    @classmethod
    def of(cls, live: sessions.LiveSession, **extra: str) -> Self:
        a = live.actor
        return cls(
            **extra,
            username=a.name,
            display_name=live.display_name,
            role=a.role,
            unit_id=a.unit_id,
            password_expired=live.password_expired,
            csrf_token=live.csrf_token,
        )


class LoginOut(Me):
    token: str = Field(description="Bearer 令牌")


@router.post("/login", summary="登录：返回令牌（Bearer）并设置会话 Cookie", response_model=LoginOut)
def login(body: LoginIn, request: Request, db: Db, cfg: Cfg) -> JSONResponse:
    actor = PASSWORD.authenticate(
        db, username=body.username, password=body.password, client=client_address(request)
    )
    token, live = sessions.start(db, actor=actor, provider=PASSWORD.name, client=client_label(request))
    response = JSONResponse(LoginOut.of(live, token=token).model_dump())
    set_session_cookie(response, token, cfg.web)
    return response


@router.post("/logout", summary="退出登录", response_model=Ok)
def logout(request: Request, db: Db, live: LiveDep) -> JSONResponse:
    token, _ = client_token(request)
    sessions.end(db, token=token or "")
    response = JSONResponse(Ok().model_dump())
    clear_session_cookie(response)
    return response


@router.get("/me", summary="当前用户")
def me(live: LiveDep) -> Me:
    return Me.of(live)


@router.post("/password", summary="修改本人密码（密码过期时也可调用）")
def change_password(body: PasswordIn, db: Db, live: LiveDep) -> Ok:
    change_own_password(
        db, actor=live.actor, old=body.old_password, new=body.new_password, keep_session=live.id
    )
    return Ok()
