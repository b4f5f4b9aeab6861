from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from duban.ledger import lockout, users
from duban.ledger.db import utcnow
from duban.ledger.errors import NotFoundError, PermissionDenied, ValidationError
from duban.ledger.models import AuditRecord, User
from duban.ledger.users import SYSTEM, Actor

PW = "Jiaoyu#2024"


def test_unit_tree_and_users(session):
    users.create_unit(session, actor=SYSTEM, name="市教育局", kind="other")
    users.create_unit(session, actor=SYSTEM, name="基础教育科", parent="市教育局")
    users.create_unit(session, actor=SYSTEM, name="某县教育局", kind="county", parent="市教育局")
    users.create_unit(session, actor=SYSTEM, name="某县第一中学", kind="school", parent="某县教育局")
    tree = users.list_units(session)
    assert [u.name for u in tree] == ["市教育局", "基础教育科", "某县教育局", "某县第一中学"]
    assert users.unit_depth(session, tree[3]) == 2
    with pytest.raises(ValidationError):
        users.create_unit(session, actor=SYSTEM, name="基础教育科")
    with pytest.raises(NotFoundError):
        users.create_unit(session, actor=SYSTEM, name="x", parent="不存在")
    with pytest.raises(PermissionDenied):
        users.create_unit(session, actor=Actor("s", "supervisor"), name="y")

    u = users.create_user(
        session, actor=SYSTEM, username="jj1", password=PW, role="unit_member", unit="基础教育科"
    )
    assert u.password_hash.startswith("$argon2") and PW not in u.password_hash
    actor = users.actor_for(session, username="jj1")
    assert actor.role == "unit_member" and actor.unit_id == tree[1].id
    with pytest.raises(ValidationError):
        users.create_user(session, actor=SYSTEM, username="x", password=PW, role="unit_member")
    with pytest.raises(ValidationError):
        users.create_user(session, actor=SYSTEM, username="x", password=PW, role="king")
    with pytest.raises(PermissionDenied):
        users.create_user(session, actor=Actor("l", "leader"), username="x", password=PW, role="leader")
    # the 等保 administrators have their roles, given on the console only (三员分立)
    users.create_user(session, actor=SYSTEM, username="sec", password=PW, role="security_admin")
    sec = users.actor_for(session, username="sec")
    users.create_user(session, actor=sec, username="ld", password=PW, role="leader")
    for role in ("audit_admin", "security_admin", "admin"):
        with pytest.raises(PermissionDenied, match="无权授予"):
            users.create_user(session, actor=sec, username=f"x{role}", password=PW, role=role)
    with pytest.raises(PermissionDenied):  # accounts are not the system administrator's
        users.create_user(session, actor=Actor("adm", "admin"), username="y", password=PW, role="leader")
    users.create_user(session, actor=SYSTEM, username="aud", password=PW, role="audit_admin")
    assert not session.execute(select(User.id).where(User.username.like("x%"))).first()


@pytest.mark.parametrize("pw", ["short1A", "alllowercase1", "ALLUPPER123", "abcdefgh"])
def test_password_policy(pw):
    with pytest.raises(ValidationError):
        users.check_password_policy(pw)


def test_authenticate_and_lockout(session):
    users.create_user(session, actor=SYSTEM, username="dc", password=PW, role="supervisor")
    login = users.authenticate(session, username="dc", password=PW)
    assert login.actor.role == "supervisor" and not login.password_expired
    for _ in range(lockout.ACCOUNT.threshold):
        with pytest.raises(PermissionDenied):
            users.authenticate(session, username="dc", password="wrong")
    with pytest.raises(PermissionDenied) as err:
        users.authenticate(session, username="dc", password=PW)
    assert "暂停登录" in str(err.value)
    later = utcnow() + lockout.FIRST_LOCK + timedelta(seconds=1)
    assert users.authenticate(session, username="dc", password=PW, now=later).actor.name == "dc"
    actions = session.execute(select(AuditRecord.action)).scalars().all()
    assert actions.count("login.failed") == lockout.ACCOUNT.threshold
    assert actions.count("login.locked") == 1  # refused before any password check, still audited
    # expiry
    user = session.execute(select(User).where(User.username == "dc")).scalar_one()
    old = user.password_changed_at - users.PASSWORD_MAX_AGE - timedelta(days=1)
    user.password_changed_at = old
    session.commit()
    assert users.authenticate(session, username="dc", password=PW, now=later).password_expired
    users.set_password(
        session, actor=users.actor_for(session, username="dc"), username="dc", password="Neu#Pass2025"
    )
    assert not users.authenticate(session, username="dc", password="Neu#Pass2025").password_expired


def test_update_unit_moves_renames_and_refuses_cycles(session):
    top = users.create_unit(session, actor=SYSTEM, name="市教育局", kind="other")
    child = users.create_unit(session, actor=SYSTEM, name="基础教育科", parent="市教育局")
    users.update_unit(session, actor=SYSTEM, unit_id=child.id, name="基础教育处", email="jj@x.cn")
    assert child.name == "基础教育处" and child.email == "jj@x.cn"
    with pytest.raises(ValidationError):
        users.update_unit(session, actor=SYSTEM, unit_id=top.id, parent_id=child.id)  # under its own child
    with pytest.raises(ValidationError):
        users.update_unit(session, actor=SYSTEM, unit_id=child.id, name="市教育局")
    with pytest.raises(PermissionDenied):
        users.update_unit(session, actor=Actor("s", "security_admin"), unit_id=child.id, name="y")
    users.update_unit(session, actor=SYSTEM, unit_id=child.id, clear_parent=True)
    assert child.parent_id is None
    actions = session.execute(select(AuditRecord.action)).scalars().all()
    assert actions.count("unit.update") == 2


def test_security_admin_disables_unlocks_and_resets(session):
    sec = Actor("sec", "security_admin")
    users.create_user(session, actor=SYSTEM, username="sec", password=PW, role="security_admin")
    users.create_user(session, actor=SYSTEM, username="ld", password=PW, role="leader")
    for _ in range(5):
        with pytest.raises(PermissionDenied):
            users.authenticate(session, username="ld", password="Wrong#pass1")
    assert lockout.states(session, ["ld"])["ld"].locked(utcnow())
    for who in (Actor("adm", "admin"), Actor("aud", "audit_admin")):  # the three administrators are separate
        with pytest.raises(PermissionDenied):
            users.unlock_user(session, actor=who, username="ld")
        with pytest.raises(PermissionDenied):
            users.set_active(session, actor=who, username="ld", active=False)
        with pytest.raises(PermissionDenied):
            users.reset_password(session, actor=who, username="ld", password="Temp#Pass1")
    users.unlock_user(session, actor=sec, username="ld")
    assert users.authenticate(session, username="ld", password=PW).password_expired is False

    users.reset_password(session, actor=sec, username="ld", password="Temp#Pass1")
    user = users.get_user(session, username="ld")
    assert users.password_age_days(user) is None
    assert users.authenticate(session, username="ld", password="Temp#Pass1").password_expired is True

    users.set_active(session, actor=sec, username="ld", active=False)
    with pytest.raises(PermissionDenied):
        users.authenticate(session, username="ld", password="Temp#Pass1")
    users.set_active(session, actor=sec, username="ld", active=True)
    with pytest.raises(ValidationError):
        users.set_active(session, actor=sec, username="sec", active=False)
    actions = session.execute(select(AuditRecord.action)).scalars().all()
    assert {"user.unlock", "user.password_reset", "user.disable", "user.enable"} <= set(actions)
