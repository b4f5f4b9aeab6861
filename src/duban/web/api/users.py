"""Users API: accounts are the security administrator's alone (等保 三员分立, see ledger/rights.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field, computed_field

from duban.ledger.db import utcnow
from duban.ledger.lockout import AccountState
from duban.ledger.models import User
from duban.ledger.read.common import Page
from duban.ledger.users import (
    create_user,
    list_users,
    lock_states,
    password_age_days,
    reset_password,
    set_active,
    unlock_user,
)
from duban.web.api.units import PagingDep, page_of
from duban.web.deps import Allowed, Db
from duban.web.people import Person

router = APIRouter(prefix="/users", tags=["用户"])


class UserOut(Person):
    """An account as the security administrator manages it (never its password hash)."""

    email: str
    unit: str | None
    active: bool
    locked: bool
    failed_logins: int
    password_age_days: int | None  # None: a given password not yet changed

    @computed_field
    @property
    def must_change_password(self) -> bool:
        return self.password_age_days is None

    @classmethod
    def of(cls, u: User, lock: AccountState | None = None) -> UserOut:
        lock = lock or AccountState()
        return cls(
            username=u.username,
            display_name=u.display_name,
            email=u.email,
            role=u.role,
            unit_id=u.unit_id,
            unit=u.unit.name if u.unit else None,
            active=u.active,
            locked=lock.locked(utcnow()),
            failed_logins=lock.failures,
            password_age_days=password_age_days(u),
        )


class UserIn(BaseModel):
    username: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.@-]+$")
    password: str = Field(max_length=200)
    role: str
    unit: str | None = Field(None, max_length=200, description="所属单位名称（单位用户必填）")
    display_name: str = Field("", max_length=200)
    email: str = Field("", max_length=200)


class PasswordIn(BaseModel):
    password: str = Field(max_length=200, description="临时密码：用户下次登录时必须修改")


@router.get("", summary="用户列表（安全管理员）")
def get_users(
    db: Db,
    paging: PagingDep,
    actor: Allowed("user.read"),
    role: Annotated[str | None, Query(description="按角色筛选")] = None,
    unit_id: Annotated[int | None, Query(description="按单位筛选")] = None,
    q: Annotated[str | None, Query(max_length=100, description="用户名或姓名包含")] = None,
) -> Page[UserOut]:
    rows = [
        u
        for u in list_users(db)
        if (not role or u.role == role)
        and (unit_id is None or u.unit_id == unit_id)
        and (not q or q in u.username or q in (u.display_name or ""))
    ]
    locks = lock_states(db, rows)
    return page_of(rows, paging, lambda u: UserOut.of(u, locks.get(u.username)))


@router.post("", status_code=201, summary="新建用户（安全管理员）")
def post_user(body: UserIn, db: Db, actor: Allowed("user.create")) -> UserOut:
    user = create_user(
        db,
        actor=actor,
        username=body.username,
        password=body.password,
        role=body.role,
        unit=body.unit or None,
        display_name=body.display_name,
        email=body.email,
    )
    return UserOut.of(user)


@router.post("/{username}/unlock", summary="解除锁定（安全管理员）")
def post_unlock(username: str, db: Db, actor: Allowed("user.unlock")) -> UserOut:
    return UserOut.of(unlock_user(db, actor=actor, username=username))


@router.post("/{username}/disable", summary="停用账户（安全管理员）")
def post_disable(username: str, db: Db, actor: Allowed("user.disable")) -> UserOut:
    return UserOut.of(set_active(db, actor=actor, username=username, active=False))


@router.post("/{username}/enable", summary="启用账户（安全管理员）")
def post_enable(username: str, db: Db, actor: Allowed("user.disable")) -> UserOut:
    return UserOut.of(set_active(db, actor=actor, username=username, active=True))


@router.post("/{username}/password", summary="重置密码（安全管理员；用户下次登录须修改）")
def post_password(username: str, body: PasswordIn, db: Db, actor: Allowed("user.password_reset")) -> UserOut:
    return UserOut.of(reset_password(db, actor=actor, username=username, password=body.password))
