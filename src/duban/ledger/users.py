"""Units (a tree) and users (roles, argon2 password hashes, lockout); the Actor of every use case."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger import audit
from duban.ledger.clock import to_local
from duban.ledger.db import utcnow
from duban.ledger.errors import NotFoundError, PermissionDenied, ValidationError
from duban.ledger.models import ROLES, UNIT_KINDS, Unit, User
from duban.ledger.uow import use_case

ROLE_NAMES = {
    "admin": "系统管理员",
    "supervisor": "督查",
    "leader": "领导",
    "unit_member": "单位用户",
    "security_admin": "安全管理员",
    "audit_admin": "审计管理员",
}
UNIT_KIND_NAMES = {"office": "科室", "county": "县区教育局", "school": "学校", "other": "其他"}
MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=30)
PASSWORD_MAX_AGE = timedelta(days=90)


@dataclass(frozen=True)
class Actor:
    """Who does something: a user, or the system itself (CLI on the server, `tick`)."""

    name: str
    role: str
    unit_id: int | None = None
    user_id: int | None = None


SYSTEM = Actor(name="system", role="admin")


# --- password hashing: pluggable by the prefix of the stored hash (SM3 can be added here) ---
class Argon2Scheme:
    prefix = "$argon2"

    def __init__(self) -> None:
        self._ph = PasswordHasher()

    def hash(self, password: str) -> str:
        return self._ph.hash(password)

    def verify(self, stored: str, password: str) -> bool:
        try:
            return self._ph.verify(stored, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False


SCHEMES = [Argon2Scheme()]


def hash_password(password: str) -> str:
    """Hash with the first (preferred) scheme."""
    return SCHEMES[0].hash(password)


def verify_password(stored: str, password: str) -> bool:
    """Verify against whichever scheme produced the stored hash."""
    for scheme in SCHEMES:
        if stored.startswith(scheme.prefix):
            return scheme.verify(stored, password)
    return False


def check_password_policy(password: str) -> None:
    """等保: at least 8 characters and three of lower/upper/digit/symbol."""
    classes = sum(bool(re.search(p, password)) for p in (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^a-zA-Z0-9]"))
    if len(password) < 8 or classes < 3:
        raise ValidationError("密码至少8位，并包含大写字母、小写字母、数字、符号中的三类")


def _require(actor: Actor, *roles: str) -> None:
    if actor.role not in roles:
        raise PermissionDenied(f"无权操作：需要{'或'.join(ROLE_NAMES[r] for r in roles)}角色")


# --- units ---
def get_unit(session: Session, *, name: str) -> Unit:
    """A unit by exact name."""
    unit = session.execute(select(Unit).where(Unit.name == name)).scalar_one_or_none()
    if unit is None:
        raise NotFoundError(f"单位不存在：{name}")
    return unit


def create_unit(
    session: Session,
    *,
    actor: Actor,
    name: str,
    kind: str = "office",
    parent: str | None = None,
    email: str = "",
) -> Unit:
    """Create a unit under an optional parent unit."""
    _require(actor, "admin")
    with use_case(session):
        unit = add_unit(session, actor=actor, name=name, kind=kind, parent=parent, email=email)
    return unit


def add_unit(
    session: Session,
    *,
    actor: Actor,
    name: str,
    kind: str = "office",
    parent: str | None = None,
    email: str = "",
) -> Unit:
    """Check and add one unit inside the caller's transaction (no right check, no commit); audited."""
    name = name.strip()
    if not name:
        raise ValidationError("单位名称不能为空")
    if kind not in UNIT_KINDS:
        raise ValidationError(f"单位类型无效：{kind}（可选：{'、'.join(UNIT_KINDS)}）")
    if session.execute(select(Unit.id).where(Unit.name == name)).first():
        raise ValidationError(f"单位已存在：{name}")
    parent_id = get_unit(session, name=parent).id if parent else None
    unit = Unit(name=name, kind=kind, parent_id=parent_id, email=email)
    session.add(unit)
    session.flush()
    audit.record(
        session,
        actor=actor.name,
        action="unit.create",
        entity="unit",
        entity_id=unit.id,
        after={"name": name, "kind": kind, "parent_id": parent_id, "email": email},
    )
    return unit


def list_units(session: Session) -> list[Unit]:
    """All units ordered by tree position (parents before children)."""
    units = list(session.execute(select(Unit).order_by(Unit.id)).scalars())
    children: dict[int | None, list[Unit]] = {}
    for u in units:
        children.setdefault(u.parent_id, []).append(u)
    out: list[Unit] = []

    def walk(pid: int | None) -> None:
        for u in children.get(pid, []):
            out.append(u)
            walk(u.id)

    walk(None)
    return out


def unit_depth(session: Session, unit: Unit) -> int:
    depth, pid = 0, unit.parent_id
    while pid is not None:
        depth += 1
        pid = session.get(Unit, pid).parent_id
    return depth


# --- users ---
def create_user(
    session: Session,
    *,
    actor: Actor,
    username: str,
    password: str,
    role: str,
    unit: str | None = None,
    display_name: str = "",
    email: str = "",
) -> User:
    """Create a user; unit members must belong to a unit."""
    _require(actor, "admin", "security_admin")
    if role not in ROLES:
        raise ValidationError(f"角色无效：{role}（可选：{'、'.join(ROLES)}）")
    if role == "unit_member" and not unit:
        raise ValidationError("单位用户必须指定所属单位")
    check_password_policy(password)
    with use_case(session):
        if session.execute(select(User.id).where(User.username == username)).first():
            raise ValidationError(f"用户已存在：{username}")
        unit_id = get_unit(session, name=unit).id if unit else None
        user = User(
            username=username,
            display_name=display_name or username,
            email=email,
            role=role,
            unit_id=unit_id,
            password_hash=hash_password(password),
        )
        session.add(user)
        session.flush()
        audit.record(
            session,
            actor=actor.name,
            action="user.create",
            entity="user",
            entity_id=user.id,
            after={"username": username, "role": role, "unit_id": unit_id, "email": email},
        )
    return user


def get_user(session: Session, *, username: str) -> User:
    user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None:
        raise NotFoundError(f"用户不存在：{username}")
    return user


def actor_for(session: Session, *, username: str) -> Actor:
    """The Actor of an existing, active user."""
    user = get_user(session, username=username)
    if not user.active:
        raise PermissionDenied(f"用户已停用：{username}")
    return Actor(name=user.username, role=user.role, unit_id=user.unit_id, user_id=user.id)


def list_users(session: Session) -> list[User]:
    return list(session.execute(select(User).order_by(User.username)).scalars())


@dataclass
class LoginResult:
    actor: Actor
    password_expired: bool


def authenticate(
    session: Session, *, username: str, password: str, now: datetime | None = None
) -> LoginResult:
    """Check a password; lock the account after repeated failures (each outcome audited)."""
    now = now or utcnow()
    with use_case(session):
        user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
        if user is None or not user.active:
            raise PermissionDenied("用户名或密码错误")
        if user.locked_until and user.locked_until > now:
            raise PermissionDenied(f"账户已锁定，请于 {to_local(user.locked_until):%H:%M} 后再试")
        ok = verify_password(user.password_hash, password)
        if ok:
            user.failed_logins = 0
            user.locked_until = None
        else:
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILED_LOGINS:
                user.locked_until = now + LOCKOUT
        audit.record(
            session,
            actor=username,
            action="login.ok" if ok else "login.failed",
            entity="user",
            entity_id=user.id,
            after={"failed_logins": user.failed_logins},
            at=now,
        )
        actor = Actor(name=user.username, role=user.role, unit_id=user.unit_id, user_id=user.id)
        expired = now - user.password_changed_at > PASSWORD_MAX_AGE
    if not ok:
        raise PermissionDenied("用户名或密码错误")
    return LoginResult(actor=actor, password_expired=expired)


def set_password(session: Session, *, actor: Actor, username: str, password: str) -> None:
    """Change a password (the user themself, or an admin)."""
    if actor.name != username:
        _require(actor, "admin", "security_admin")
    check_password_policy(password)
    with use_case(session):
        user = get_user(session, username=username)
        user.password_hash = hash_password(password)
        user.password_changed_at = utcnow()
        user.failed_logins = 0
        user.locked_until = None
        audit.record(session, actor=actor.name, action="user.password", entity="user", entity_id=user.id)


def change_own_password(session: Session, *, actor: Actor, old: str, new: str) -> None:
    """A user changes their own password: the old one must be right and the new one different."""
    user = get_user(session, username=actor.name)
    if not verify_password(user.password_hash, old):
        raise PermissionDenied("原密码不正确")
    if old == new:
        raise ValidationError("新密码不能与原密码相同")
    set_password(session, actor=actor, username=actor.name, password=new)


# --- administration (web: /admin/units, /admin/users) ---
# A password set by an administrator must be changed by its owner at the next login: the change
# date is put far in the past, so the session reports the password as expired.
MUST_CHANGE_SINCE = datetime(2000, 1, 1)


def get_unit_by_id(session: Session, *, unit_id: int) -> Unit:
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFoundError(f"单位不存在：{unit_id}")
    return unit


def update_unit(
    session: Session,
    *,
    actor: Actor,
    unit_id: int,
    name: str | None = None,
    kind: str | None = None,
    parent_id: int | None = None,
    clear_parent: bool = False,
    email: str | None = None,
) -> Unit:
    """Rename, retype, move (never under itself) or re-address a unit (system administrator)."""
    _require(actor, "admin")
    with use_case(session):
        unit = get_unit_by_id(session, unit_id=unit_id)
        before = {"name": unit.name, "kind": unit.kind, "parent_id": unit.parent_id, "email": unit.email}
        if name is not None:
            name = name.strip()
            if not name:
                raise ValidationError("单位名称不能为空")
            clash = session.execute(select(Unit.id).where(Unit.name == name, Unit.id != unit_id)).first()
            if clash:
                raise ValidationError(f"单位已存在：{name}")
            unit.name = name
        if kind is not None:
            if kind not in UNIT_KINDS:
                raise ValidationError(f"单位类型无效：{kind}（可选：{'、'.join(UNIT_KINDS)}）")
            unit.kind = kind
        if clear_parent:
            unit.parent_id = None
        elif parent_id is not None:
            node: Unit | None = get_unit_by_id(session, unit_id=parent_id)
            while node is not None:  # the new parent must not be the unit or one of its descendants
                if node.id == unit.id:
                    raise ValidationError("不能把单位移到它自己或它的下级单位之下")
                node = session.get(Unit, node.parent_id) if node.parent_id else None
            unit.parent_id = parent_id
        if email is not None:
            unit.email = email.strip()
        after = {"name": unit.name, "kind": unit.kind, "parent_id": unit.parent_id, "email": unit.email}
        if after != before:
            audit.record(
                session,
                actor=actor.name,
                action="unit.update",
                entity="unit",
                entity_id=unit.id,
                before=before,
                after=after,
            )
    return unit


def set_active(session: Session, *, actor: Actor, username: str, active: bool) -> User:
    """Disable or enable an account (security administrator); a disabled user's sessions stop at once."""
    _require(actor, "security_admin")
    if actor.name == username and not active:
        raise ValidationError("不能停用自己的账户")
    with use_case(session):
        user = get_user(session, username=username)
        if user.active != active:
            user.active = active
            audit.record(
                session,
                actor=actor.name,
                action="user.enable" if active else "user.disable",
                entity="user",
                entity_id=user.id,
                before={"active": not active},
                after={"active": active},
            )
    return user


def unlock_user(session: Session, *, actor: Actor, username: str) -> User:
    """Lift a lockout after failed logins (security administrator)."""
    _require(actor, "security_admin")
    with use_case(session):
        user = get_user(session, username=username)
        before = {"failed_logins": user.failed_logins, "locked_until": user.locked_until}
        user.failed_logins = 0
        user.locked_until = None
        audit.record(
            session, actor=actor.name, action="user.unlock", entity="user", entity_id=user.id, before=before
        )
    return user


def reset_password(session: Session, *, actor: Actor, username: str, password: str) -> User:
    """Set a temporary password (security administrator); its owner must change it at the next login."""
    _require(actor, "security_admin")
    if actor.name == username:
        raise ValidationError("修改本人密码请使用“修改密码”页面")
    check_password_policy(password)
    with use_case(session):
        user = get_user(session, username=username)
        user.password_hash = hash_password(password)
        user.password_changed_at = MUST_CHANGE_SINCE
        user.failed_logins = 0
        user.locked_until = None
        audit.record(
            session, actor=actor.name, action="user.password_reset", entity="user", entity_id=user.id
        )
    return user


def password_age_days(user: User, *, now: datetime | None = None) -> int | None:
    """Days since the password was set by its owner; None when it must be changed at the next login."""
    if user.password_changed_at <= MUST_CHANGE_SINCE:
        return None
    return ((now or utcnow()) - user.password_changed_at).days


def is_locked(user: User, *, now: datetime | None = None) -> bool:
    return bool(user.locked_until and user.locked_until > (now or utcnow()))
