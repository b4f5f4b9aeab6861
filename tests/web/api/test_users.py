"""Users API: the three administrators are separate roles (等保 三员分立)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.conftest import PASSWORD

NEW = {"username": "zhang3", "password": "Chushi#2024", "role": "unit_member", "unit": "基础教育科"}


def test_only_the_security_admin_creates_and_lists_accounts(signed_in):
    admin = signed_in("admin1", "admin")
    assert admin.post("/api/v1/units", json={"name": "基础教育科"}).status_code == 201
    r = admin.post("/api/v1/users", json={**NEW, "username": "boss", "role": "audit_admin", "unit": None})
    assert r.status_code == 403, r.text  # 三员分立: accounts are not the system administrator's
    assert admin.get("/api/v1/users").status_code == 403
    sec = signed_in("sec", "security_admin")
    r = sec.post("/api/v1/users", json=NEW)
    assert r.status_code == 201, r.text
    assert r.json()["unit"] == "基础教育科" and r.json()["role_name"] == "单位用户"
    assert "password" not in r.json() and "password_hash" not in r.json()
    r = sec.post("/api/v1/users", json={**NEW, "username": "li4", "role": "leader", "unit": None})
    assert r.status_code == 201
    for role in ("audit_admin", "security_admin", "admin"):  # no role hands out an administrator's
        r = sec.post("/api/v1/users", json={**NEW, "username": f"x{role}", "role": role, "unit": None})
        assert r.status_code == 403 and "无权授予" in r.json()["error"]["message"]
    assert sec.post("/api/v1/users", json={**NEW, "password": "weak"}).status_code == 422
    assert sec.post("/api/v1/users", json={**NEW}).status_code == 422  # exists
    assert sec.post("/api/v1/users", json={**NEW, "username": "x y"}).status_code == 422
    assert sec.post("/api/v1/users", json={**NEW, "username": "w5", "unit": None}).status_code == 422
    listed = sec.get("/api/v1/users", params={"role": "unit_member"}).json()
    assert [u["username"] for u in listed["items"]] == ["zhang3"]
    assert listed["items"][0]["password_age_days"] == 0 and listed["items"][0]["locked"] is False
    assert sec.get("/api/v1/users", params={"q": "li"}).json()["total"] == 1


def test_only_security_admin_unlocks_resets_and_disables(app, signed_in):
    admin = signed_in("admin1", "admin")
    sec = signed_in("sec", "security_admin")
    audit = signed_in("aud", "audit_admin")
    signed_in("victim", "leader")
    with TestClient(app) as anon:
        for _ in range(5):
            anon.post("/api/v1/auth/login", json={"username": "victim", "password": "Wrong#pass1"})
        assert (
            anon.post("/api/v1/auth/login", json={"username": "victim", "password": PASSWORD}).status_code
            == 403
        )
    assert sec.get("/api/v1/users", params={"q": "victim"}).json()["items"][0]["locked"] is True
    for c in (admin, audit):
        for path, body in [
            ("unlock", None),
            ("disable", None),
            ("enable", None),
            ("password", {"password": "Temp#Pass1"}),
        ]:
            r = c.post(f"/api/v1/users/victim/{path}", json=body)
            assert r.status_code == 403, (path, r.text)
    r = sec.post("/api/v1/users/victim/unlock")
    assert r.status_code == 200 and r.json()["locked"] is False
    r = sec.post("/api/v1/users/victim/password", json={"password": "Temp#Pass1"})
    assert r.status_code == 200 and r.json()["must_change_password"] is True
    with TestClient(app) as c:
        me = c.post("/api/v1/auth/login", json={"username": "victim", "password": "Temp#Pass1"}).json()
        assert me["password_expired"] is True  # must change it first
        c.headers["X-CSRF-Token"] = me["csrf_token"]
        assert c.get("/api/v1/units").json()["error"]["code"] == "password_expired"
        assert sec.post("/api/v1/users/victim/disable").json()["active"] is False
        assert c.get("/api/v1/auth/me").status_code == 401  # the disabled user's session stops at once
        assert (
            c.post("/api/v1/auth/login", json={"username": "victim", "password": "Temp#Pass1"}).status_code
            == 403
        )
    assert sec.post("/api/v1/users/victim/enable").json()["active"] is True
    assert sec.post("/api/v1/users/sec/disable").status_code == 422  # not oneself
    assert sec.post("/api/v1/users/nobody/unlock").status_code == 404
    assert sec.post("/api/v1/users/victim/password", json={"password": "short"}).status_code == 422


def test_audit_admin_and_business_roles_cannot_touch_users(signed_in):
    for role in ("audit_admin", "supervisor", "leader"):
        c = signed_in(f"u_{role}", role)
        assert c.get("/api/v1/users").status_code == 403
        assert c.post("/api/v1/users", json={**NEW, "role": "leader", "unit": None}).status_code == 403
    member = signed_in("jj", "unit_member", unit="基础教育科")
    assert member.get("/api/v1/users").status_code == 403
    assert member.post("/api/v1/users/jj/unlock").status_code == 403


def test_admin_cannot_read_the_audit_log(signed_in):
    admin = signed_in("admin1", "admin")
    r = admin.get("/api/v1/audit")
    assert r.status_code == 403
