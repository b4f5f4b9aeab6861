"""Units (a tree) and users (roles, argon2 password hashes, lockout); the Actor of every use case."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger import audit, lockout
from duban.ledger.clock import to_local
from duban.ledger.db import utcnow
from duban.ledger.errors import NotFoundError, PermissionDenied, ValidationError
from duban.ledger.models import ROLES, UNIT_KINDS, LoginSession, Unit, User
from duban.ledger.rights import PRIVILEGED, SYSTEM_ROLE, require, require_grant
from duban.ledger.uow import use_case

UNIT_KIND_NAMES = {"office": "科室", "county": "县区教育局", "school": "学校", "other": "其他"}
PASSWORD_MAX_AGE = timedelta(days=90)
# A password set by someone else (an administrator's reset, a new administrator account) must be
# changed by its owner at the next login: the change date is put far in the past, so the session
# reports the password as expired.
MUST_CHANGE_SINCE = datetime(2000, 1, 1)


@dataclass(frozen=True)
class Actor:
    """Who does something: a user, or the system itself (CLI on the server, `tick`)."""

    name: str
    role: str
    unit_id: int | None = None
    user_id: int | None = None


SYSTEM = Actor(name="system", role=SYSTEM_ROLE)  # the server console and scheduled jobs


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
    require(actor, "unit.manage")
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
    must_change: bool | None = None,
) -> User:
    """Create a user; unit members must belong to a unit.

    Accounts and rights are the security administrator's (the console's for administrator roles);
    an administrator account must change its given password at the first login unless
    `must_change=False` (set up on the console by its own owner).
    """
    require(actor, "user.create")
    if role not in ROLES:
        raise ValidationError(f"角色无效：{role}（可选：{'、'.join(ROLES)}）")
    require_grant(actor, role)
    if must_change is None:
        must_change = role in PRIVILEGED
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
        if must_change:
            user.password_changed_at = MUST_CHANGE_SINCE
        session.add(user)
        session.flush()
        audit.record(
            session,
            actor=actor.name,
            action="user.create",
            entity="user",
            entity_id=user.id,
            after={
                "username": username,
                "role": role,
                "unit_id": unit_id,
                "email": email,
                "must_change_password": must_change,
            },
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


_DUMMY_HASHES: dict[int, str] = {}


def _dummy_hash() -> str:
    """A hash of nothing, verified for an unknown user so that its answer takes the same work."""
    scheme = SCHEMES[0]
    if id(scheme) not in _DUMMY_HASHES:
        _DUMMY_HASHES[id(scheme)] = scheme.hash(secrets.token_urlsafe(16))
    return _DUMMY_HASHES[id(scheme)]


def authenticate(
    session: Session, *, username: str, password: str, client: str = "", now: datetime | None = None
) -> LoginResult:
    """Check a password, throttled by account name and client address (lockout.py).

    An unknown name, a disabled account and a wrong password get the same answer after the same
    work (a real hash verified); a locked name or address is refused before any check. The
    password is verified before the writer's lock is taken: other sign-ins do not wait for it.
    Every outcome is audited.
    """
    now = now or utcnow()
    until = lockout.locked_until(session, username=username, address=client, now=now)
    user = (
        None if until else session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    )
    ok = False
    if not until:
        stored = user.password_hash if user is not None and user.active else _dummy_hash()
        ok = verify_password(stored, password) and user is not None and user.active
    with use_case(session):
        if until:
            action = "login.locked"
        elif ok:
            action = "login.ok"
            lockout.clear(session, username=username)
        else:
            action = "login.failed"
            lockout.record_failure(session, username=username, address=client, now=now)
        audit.record(
            session,
            actor=username[:100],
            action=action,
            entity="user",
            entity_id=user.id if user is not None else "",
            after={"client": client[:100]},
            at=now,
        )
    if until:
        raise PermissionDenied(f"登录失败次数过多，已暂停登录，请于 {to_local(until):%H:%M:%S} 后再试")
    if not ok:
        raise PermissionDenied("用户名或密码错误")
    actor = Actor(name=user.username, role=user.role, unit_id=user.unit_id, user_id=user.id)
    return LoginResult(actor=actor, password_expired=now - user.password_changed_at > PASSWORD_MAX_AGE)


def set_password(
    session: Session, *, actor: Actor, username: str, password: str, keep_session: int | None = None
) -> None:
    """Change a password (the user themself, or whoever may reset passwords); every other session
    and API token of the user ends with it (`keep_session`: the one the change was made from)."""
    if actor.name != username:
        require(actor, "user.password_reset")
    check_password_policy(password)
    with use_case(session):
        user = get_user(session, username=username)
        user.password_hash = hash_password(password)
        user.password_changed_at = utcnow()
        lockout.clear(session, username=username)
        audit.record(session, actor=actor.name, action="user.password", entity="user", entity_id=user.id)
        end_sessions(session, actor=actor, user=user, reason="password", keep=keep_session)


def change_own_password(
    session: Session, *, actor: Actor, old: str, new: str, keep_session: int | None = None
) -> None:
    """A user changes their own password: the old one must be right and the new one different."""
    user = get_user(session, username=actor.name)
    if not verify_password(user.password_hash, old):
        raise PermissionDenied("原密码不正确")
    if old == new:
        raise ValidationError("新密码不能与原密码相同")
    set_password(session, actor=actor, username=actor.name, password=new, keep_session=keep_session)


def end_sessions(session: Session, *, actor: Actor, user: User, reason: str, keep: int | None = None) -> int:
    """Inside the caller's transaction: end every open session (cookie or API token) of a user but
    `keep`, with one audit record; returns how many ended."""
    now = utcnow()
    rows = session.execute(
        select(LoginSession).where(
            LoginSession.user_id == user.id, LoginSession.ended_at.is_(None), LoginSession.id != (keep or 0)
        )
    ).scalars()
    ended = []
    for row in rows:
        row.ended_at, row.end_reason = now, reason
        ended.append(row.id)
    if ended:
        audit.record(
            session,
            actor=actor.name,
            action="session.revoke",
            entity="user",
            entity_id=user.id,
            after={"sessions": ended, "reason": reason},
            at=now,
        )
    return len(ended)


# --- administration (web: /admin/units, /admin/users) ---


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
    require(actor, "unit.manage")
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
    require(actor, "user.disable")
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
    require(actor, "user.unlock")
    with use_case(session):
        user = get_user(session, username=username)
        state = lockout.states(session, [username]).get(username, lockout.AccountState())
        lockout.clear(session, username=username)
        before = {"failures": state.failures, "locked_until": state.locked_until}
        audit.record(
            session, actor=actor.name, action="user.unlock", entity="user", entity_id=user.id, before=before
        )
    return user


def reset_password(session: Session, *, actor: Actor, username: str, password: str) -> User:
    """Set a temporary password (security administrator); its owner must change it at the next login."""
    require(actor, "user.password_reset")
    if actor.name == username:
        raise ValidationError("修改本人密码请使用“修改密码”页面")
    check_password_policy(password)
    with use_case(session):
        user = get_user(session, username=username)
        user.password_hash = hash_password(password)
        user.password_changed_at = MUST_CHANGE_SINCE
        lockout.clear(session, username=username)
        audit.record(
            session, actor=actor.name, action="user.password_reset", entity="user", entity_id=user.id
        )
        end_sessions(session, actor=actor, user=user, reason="password_reset")
    return user


def password_age_days(user: User, *, now: datetime | None = None) -> int | None:
    """Days since the password was set by its owner; None when it must be changed at the next login."""
    if user.password_changed_at <= MUST_CHANGE_SINCE:
        return None
    return ((now or utcnow()) - user.password_changed_at).days


def lock_states(session: Session, users: list[User]) -> dict[str, lockout.AccountState]:
    """The sign-in throttle state per username (for the security administrator's list)."""
    return lockout.states(session, [u.username for u in users])
