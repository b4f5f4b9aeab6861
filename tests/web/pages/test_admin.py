"""Administration pages: units (system administrator), users (system and security administrators)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.web.conftest import PASSWORD


def test_admin_unit_tree_create_and_edit(signed_in):
    admin = signed_in("admin1", "admin")
    page = admin.get("/admin/units").text
    assert 'id="unit-form"' in page and "还没有单位" in page
    assert (
        admin.post(
            "/admin/units", data={"name": "市教育局", "kind": "other"}, follow_redirects=False
        ).status_code
        == 303
    )
    page = admin.get("/admin/units").text
    top = re.search(r'<tr id="unit-(\d+)">', page).group(1)
    r = admin.post(
        "/admin/units",
        data={"name": "某县<b>教育局</b>", "kind": "county", "parent_id": top},
        follow_redirects=False,
    )
    assert r.headers["location"] == "/admin/units?done=unit_created"
    page = admin.get("/admin/units?done=unit_created").text
    assert "单位已新建" in page and "某县&lt;b&gt;教育局&lt;/b&gt;" in page and 'class="u-indent-1"' in page
    dup = admin.post("/admin/units", data={"name": "市教育局"})
    assert dup.status_code == 422 and "单位已存在" in dup.text
    edit = admin.get(f"/admin/units?edit={top}").text
    assert 'id="unit-edit-form"' in edit
    r = admin.post(
        f"/admin/units/{top}",
        data={"name": "市教育局（本级）", "kind": "other", "parent_id": "", "email": "a@b.cn"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert "市教育局（本级）" in admin.get("/admin/units").text
    for role in ("security_admin", "audit_admin", "supervisor", "leader"):
        c = signed_in(f"u_{role}", role)
        assert c.get("/admin/units").status_code == 403
        assert c.post("/admin/units", data={"name": "越权"}).status_code == 403


def test_users_page_is_the_security_admins_alone(app, signed_in):
    admin = signed_in("admin1", "admin")
    admin.post("/admin/units", data={"name": "基础教育科"})
    new = {"username": "jj", "display_name": "张<三>", "role": "unit_member", "unit": "基础教育科"}
    assert admin.get("/admin/users").status_code == 403  # 三员分立: accounts are not the system admin's
    assert admin.post("/admin/users", data={**new, "password": "Chushi#2024"}).status_code == 403
    sec = signed_in("sec", "security_admin")
    r = sec.post("/admin/users", data={**new, "password": "Chushi#2024"}, follow_redirects=False)
    assert r.status_code == 303
    page = sec.get("/admin/users").text
    assert "用户已新建" not in page and "张&lt;三&gt;" in page and "0 天" in page
    bad = sec.post("/admin/users", data={"username": "x", "role": "unit_member", "password": "Chushi#2024"})
    assert bad.status_code == 422 and "单位用户必须指定所属单位" in bad.text and 'value="x"' in bad.text
    assert "Chushi#2024" not in bad.text  # the password is never echoed
    for action in ("unlock", "disable", "enable"):
        assert admin.post(f"/admin/users/jj/{action}").status_code == 403
    assert admin.post("/admin/users/jj/password", data={"password": "Temp#Pass1"}).status_code == 403

    with TestClient(app) as anon:
        for _ in range(5):
            anon.post("/api/v1/auth/login", json={"username": "jj", "password": "Wrong#pass1"})
    page = sec.get("/admin/users").text
    assert "已锁定" in page and 'id="unlock-jj"' in page and 'id="disable-sec"' not in page
    assert (
        sec.post("/admin/users/jj/unlock", follow_redirects=False).headers["location"]
        == "/admin/users?done=unlock"
    )
    r = sec.post("/admin/users/jj/password", data={"password": "Temp#Pass1"}, follow_redirects=False)
    assert r.status_code == 303
    page = sec.get("/admin/users?done=password").text
    assert "用户下次登录时必须修改" in page and "须修改" in page
    weak = sec.post("/admin/users/jj/password", data={"password": "weak"})
    assert weak.status_code == 422 and "至少8位" in weak.text
    sec.post("/admin/users/jj/disable")
    assert "已停用" in sec.get("/admin/users?q=jj").text
    assert 'id="enable-jj"' in sec.get("/admin/users?role=unit_member").text
    assert sec.post("/admin/users/jj/explode").status_code == 422
    assert sec.post("/admin/users/nobody/unlock").status_code == 404


def test_audit_admin_cannot_touch_users_and_admin_cannot_read_audit(signed_in):
    aud = signed_in("aud", "audit_admin")
    assert aud.get("/admin/users").status_code == 403
    assert (
        aud.post("/admin/users", data={"username": "x", "role": "leader", "password": PASSWORD}).status_code
        == 403
    )
    assert aud.post("/admin/users/aud/unlock").status_code == 403
    member = signed_in("jj", "unit_member", unit="基础教育科")
    assert member.get("/admin/users").status_code == 403
    admin = signed_in("admin1", "admin")
    assert admin.get("/audit").status_code == 403
