"""Sign-in, sessions, CSRF, idle timeout, lockout, password change, roles: through the real app."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from duban.ledger.db import utcnow
from duban.ledger.models import AuditRecord, LoginSession, User

from .conftest import PASSWORD, add_user, api_login

pytestmark = pytest.mark.full_cost_hashing  # the password rules at the real Argon2 cost


def _login_form(client: TestClient, username: str, password: str, next_: str = "/"):
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": next_},
        follow_redirects=False,
    )


def test_page_login_sets_httponly_strict_cookie_and_lands_by_role(client, Session):
    add_user(Session, "zhang", "unit_member", unit="基础教育科")
    r = _login_form(client, "zhang", PASSWORD)
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = r.headers["set-cookie"]
    assert "duban_session=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    home = client.get("/", follow_redirects=False)
    assert home.headers["location"] == "/inbox"


def test_login_form_without_its_csrf_cookie_is_refused(client, Session):
    add_user(Session, "li", "supervisor")
    r = client.post("/login", data={"username": "li", "password": PASSWORD, "csrf_token": "forged"})
    assert r.status_code == 400 and "页面已过期" in r.text
    assert "duban_session" not in client.cookies


def test_wrong_password_message_and_lockout_after_five(client, Session):
    add_user(Session, "wang", "supervisor")
    for _ in range(5):
        r = _login_form(client, "wang", "Wrong-pass1")
        assert r.status_code == 401 and "用户名或密码错误" in r.text
    r = _login_form(client, "wang", PASSWORD)
    assert r.status_code == 401 and "暂停登录" in r.text


def test_open_redirect_after_login_is_refused(client, Session):
    add_user(Session, "zhao", "supervisor")
    r = _login_form(client, "zhao", PASSWORD, next_="//evil.example/x")
    assert r.headers["location"] == "/"


def test_pages_redirect_to_login_and_api_answers_401_json(client):
    r = client.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=/")
    r = client.get("/api/v1/auth/me")
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "not_authenticated" and "登录" in r.json()["error"]["message"]


def test_unsafe_request_with_cookie_needs_csrf_token(client, Session):
    add_user(Session, "qian", "supervisor")
    api_login(client, "qian")
    token = client.headers.pop("X-CSRF-Token")
    r = client.post("/api/v1/auth/logout")
    assert r.status_code == 403 and "CSRF" in r.json()["error"]["message"]
    r = client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": token})
    assert r.status_code == 200
    assert client.get("/api/v1/auth/me").status_code == 401


def test_bearer_token_needs_no_csrf(app, Session):
    add_user(Session, "sun", "leader")
    with TestClient(app) as c:
        token = c.post("/api/v1/auth/login", json={"username": "sun", "password": PASSWORD}).json()["token"]
    with TestClient(app) as other:  # no cookie, header only
        auth = {"Authorization": f"Bearer {token}"}
        assert other.get("/api/v1/auth/me", headers=auth).json()["role"] == "leader"
        assert other.post("/api/v1/auth/logout", headers=auth).status_code == 200
        assert other.get("/api/v1/auth/me", headers=auth).status_code == 401


def test_first_visit_shows_the_login_page_without_a_session_notice(client, Session):
    r = client.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/"
    page = client.get("/dashboard")
    assert "<form" in page.text and "会话已结束" not in page.text and "notice" not in page.text
    assert client.get("/api/v1/auth/me").json()["error"]["code"] == "not_authenticated"


def test_a_session_that_ended_says_so_on_the_login_page(client, Session):
    add_user(Session, "qian", "supervisor")
    _login_form(client, "qian", PASSWORD)
    with Session() as s:
        s.execute(update(LoginSession).values(last_seen_at=utcnow() - timedelta(minutes=31)))
        s.commit()
    page = client.get("/dashboard")
    assert "/login?next=/dashboard&msg=" in str(page.url) and "30 分钟未操作" in page.text


def test_idle_session_ends_and_is_audited(client, Session):
    add_user(Session, "zhou", "supervisor")
    api_login(client, "zhou")
    with Session() as s:
        s.execute(update(LoginSession).values(last_seen_at=utcnow() - timedelta(minutes=31)))
        s.commit()
    r = client.get("/api/v1/auth/me")
    assert r.status_code == 401 and "30 分钟未操作" in r.json()["error"]["message"]
    with Session() as s:
        row = s.execute(select(LoginSession)).scalar_one()
        assert row.end_reason == "idle"
        actions = s.execute(select(AuditRecord.action).order_by(AuditRecord.seq)).scalars().all()
        assert "session.start" in actions and "session.idle" in actions


def test_expired_password_must_be_changed_first(client, Session):
    add_user(Session, "wu", "supervisor")
    with Session() as s:
        s.execute(update(User).values(password_changed_at=utcnow() - timedelta(days=91)))
        s.commit()
    me = api_login(client, "wu")
    assert me["password_expired"] is True
    r = client.get("/", follow_redirects=False)
    assert r.headers["location"] == "/password?expired=1"
    weak = client.post("/api/v1/auth/password", json={"old_password": PASSWORD, "new_password": "short"})
    assert weak.status_code == 422 and "至少8位" in weak.json()["error"]["message"]
    ok = client.post("/api/v1/auth/password", json={"old_password": PASSWORD, "new_password": "N3w-Passw0rd"})
    assert ok.status_code == 200
    assert client.get("/", follow_redirects=False).headers["location"] == "/dashboard"


def test_security_headers_and_no_cdn(client):
    r = client.get("/login")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"
    assert "http" not in re.sub(r'href="/[^"]*"|src="/[^"]*"', "", r.text).lower().replace("http-equiv", "")
    docs = client.get("/api/docs")
    assert "/static/vendor/swagger-ui" in docs.text and "cdn" not in docs.text
    assert client.get("/api/openapi.json").json()["info"]["title"].startswith("督办")
