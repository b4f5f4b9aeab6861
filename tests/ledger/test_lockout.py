"""Sign-in throttling: by name and by address, doubling locks, a fresh count after a lock, the same
answer for unknown names; a password change ends the user's other sessions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from duban.ledger import lockout, sessions, users
from duban.ledger.config import WebConfig
from duban.ledger.db import utcnow
from duban.ledger.errors import PermissionDenied
from duban.ledger.models import LoginSession
from duban.ledger.users import SYSTEM, Actor

PW = "Jiaoyu#2024"


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch):
    """Real argon2 at its lowest cost: these tests count attempts, not hashing time."""
    scheme = users.Argon2Scheme()
    scheme._ph = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(users, "SCHEMES", [scheme])


def _fail(session, name, now, n=1, client="10.0.0.9"):
    msgs = []
    for _ in range(n):
        with pytest.raises(PermissionDenied) as err:
            users.authenticate(session, username=name, password="Wrong#pass1", client=client, now=now)
        msgs.append(str(err.value))
    return msgs


def test_unknown_and_real_names_get_the_same_answers(session):
    users.create_user(session, actor=SYSTEM, username="real", password=PW, role="leader")
    now = utcnow()
    real = _fail(session, "real", now, lockout.ACCOUNT.threshold + 1, client="a")
    ghost = _fail(session, "ghost", now, lockout.ACCOUNT.threshold + 1, client="b")
    assert real == ghost  # 用户名或密码错误 ×5, then the same 暂停登录 line
    assert "暂停登录" in real[-1] and real[0] == "用户名或密码错误"


def test_lock_runs_out_the_count_starts_again_and_the_next_lock_is_longer(session):
    users.create_user(session, actor=SYSTEM, username="ld", password=PW, role="leader")
    now = utcnow()
    _fail(session, "ld", now, lockout.ACCOUNT.threshold)
    first = lockout.states(session, ["ld"])["ld"].locked_until
    assert first == now + lockout.FIRST_LOCK
    later = first + timedelta(seconds=1)
    _fail(session, "ld", later)  # one typo after the lock: no new lock
    assert not lockout.states(session, ["ld"])["ld"].locked(later)
    _fail(session, "ld", later, lockout.ACCOUNT.threshold - 1)
    assert lockout.states(session, ["ld"])["ld"].locked_until == later + 2 * lockout.FIRST_LOCK
    users.unlock_user(session, actor=Actor("sec", "security_admin"), username="ld")
    assert users.authenticate(session, username="ld", password=PW, now=later).actor.name == "ld"


def test_one_address_trying_many_names_is_slowed(session):
    now = utcnow()
    for i in range(lockout.ADDRESS.threshold):
        _fail(session, f"name{i}", now, client="203.0.113.7")
    users.create_user(session, actor=SYSTEM, username="dc", password=PW, role="supervisor")
    with pytest.raises(PermissionDenied, match="暂停登录"):
        users.authenticate(session, username="dc", password=PW, client="203.0.113.7", now=now)
    assert users.authenticate(session, username="dc", password=PW, client="198.51.100.1", now=now)


def test_password_change_and_reset_end_the_other_sessions(session):
    users.create_user(session, actor=SYSTEM, username="ld", password=PW, role="leader")
    actor = users.actor_for(session, username="ld")
    tokens = [sessions.start(session, actor=actor)[0] for _ in range(3)]
    here = sessions.resume(session, token=tokens[0], cfg=WebConfig())
    users.change_own_password(session, actor=actor, old=PW, new="Neu#Pass2025", keep_session=here.id)
    assert sessions.resume(session, token=tokens[0], cfg=WebConfig()).id == here.id
    for token in tokens[1:]:
        with pytest.raises(sessions.SessionEnded):
            sessions.resume(session, token=token, cfg=WebConfig())
    users.reset_password(session, actor=Actor("sec", "security_admin"), username="ld", password="Temp#Pass1")
    with pytest.raises(sessions.SessionEnded):
        sessions.resume(session, token=tokens[0], cfg=WebConfig())
    open_rows = session.execute(select(LoginSession).where(LoginSession.ended_at.is_(None))).scalars().all()
    assert open_rows == []
