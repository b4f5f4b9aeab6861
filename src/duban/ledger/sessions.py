"""Login sessions: a random token given to the client, only its sha256 stored; idle and absolute timeouts.

Stored in the database so several app processes behind a proxy share them (the app is stateless).
Sign-in itself (password, or a bureau's SSO) happens before `start`; see web/auth.py.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger import audit, version
from duban.ledger.config import WebConfig
from duban.ledger.db import utcnow
from duban.ledger.errors import PermissionDenied
from duban.ledger.models import LoginSession, User
from duban.ledger.uow import use_case
from duban.ledger.users import PASSWORD_MAX_AGE, Actor

TOUCH_EVERY = timedelta(seconds=30)  # fewer writes: last_seen is refreshed at most this often


class SessionEnded(PermissionDenied):
    """The session is unknown, logged out, idle too long, or too old."""


@dataclass(frozen=True)
class LiveSession:
    id: int
    actor: Actor
    display_name: str
    csrf_token: str
    password_expired: bool


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(
    session: Session,
    *,
    actor: Actor,
    provider: str = "password",
    client: str = "",
    now: datetime | None = None,
) -> tuple[str, LiveSession]:
    """A new session for a signed-in user: (token for the cookie, the session)."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    with use_case(session):
        row = LoginSession(
            token_hash=_digest(token),
            user_id=actor.user_id,
            csrf_token=secrets.token_urlsafe(32),
            provider=provider,
            created_at=now,
            last_seen_at=now,
            client=client[:300],
        )
        session.add(row)
        session.flush()
        audit.record(
            session,
            actor=actor.name,
            action="session.start",
            entity="user",
            entity_id=actor.user_id,
            after={"session": row.id, "provider": provider, "client": client[:300]},
            at=now,
        )
        live = _live(row, session.get(User, actor.user_id), now)
    return token, live


def _live(row: LoginSession, user: User, now: datetime) -> LiveSession:
    actor = Actor(name=user.username, role=user.role, unit_id=user.unit_id, user_id=user.id)
    expired = now - user.password_changed_at > PASSWORD_MAX_AGE
    return LiveSession(row.id, actor, user.display_name or user.username, row.csrf_token, expired)


def resume(session: Session, *, token: str, cfg: WebConfig, now: datetime | None = None) -> LiveSession:
    """The live session behind a token; ends it (audited) when idle or too old.

    A read on most requests: the writer's lock (uow.py) is taken only to refresh `last_seen_at`
    (at most every TOUCH_EVERY) or to end the session.
    """
    now = now or utcnow()
    found = session.execute(  # the session, its user and the ledger's version in one round trip:
        select(LoginSession, User, version.token_column())  # this runs on every request
        .outerjoin(User, User.id == LoginSession.user_id)
        .where(LoginSession.token_hash == _digest(token))
    ).first()
    if found is None or found[0].ended_at is not None:
        raise SessionEnded("未登录或会话已结束，请重新登录")
    row, user, token_now = found
    version.seen(session, token_now)  # the request's read models need not ask again
    reason = ""
    if now - row.last_seen_at > timedelta(minutes=cfg.idle_timeout_minutes):
        reason = "idle"
    elif now - row.created_at > timedelta(hours=cfg.session_max_hours):
        reason = "expired"
    elif user is None or not user.active:  # a sign-in lockout does not end sessions (no remote kick-out)
        reason = "disabled"
    if reason or now - row.last_seen_at > TOUCH_EVERY:
        with use_case(session):
            row = session.get(LoginSession, row.id, populate_existing=True)
            if row.ended_at is not None:
                raise SessionEnded("未登录或会话已结束，请重新登录")
            if reason:
                _end(session, row, reason, now, user.username if user else "system")
            else:
                row.last_seen_at = now
    if reason == "idle":
        raise SessionEnded(f"超过 {cfg.idle_timeout_minutes} 分钟未操作，已自动退出，请重新登录")
    if reason:
        raise SessionEnded("会话已失效，请重新登录")
    return _live(row, user, now)


def _end(session: Session, row: LoginSession, reason: str, now: datetime, actor: str) -> None:
    row.ended_at, row.end_reason = now, reason
    audit.record(
        session,
        actor=actor,
        action=f"session.{reason}",
        entity="user",
        entity_id=row.user_id,
        after={"session": row.id},
        at=now,
    )


def end(session: Session, *, token: str, now: datetime | None = None) -> None:
    """Log out (does nothing for an unknown or already ended token)."""
    now = now or utcnow()
    with use_case(session):
        row = session.execute(
            select(LoginSession).where(LoginSession.token_hash == _digest(token))
        ).scalar_one_or_none()
        if row is not None and row.ended_at is None:
            user = session.get(User, row.user_id)
            _end(session, row, "logout", now, user.username if user else "system")
