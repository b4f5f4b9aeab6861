"""Units API: list for business roles, create and edit for the system administrator only."""

from __future__ import annotations


def test_admin_creates_and_edits_units_others_are_refused(signed_in):
    admin = signed_in("admin1", "admin")
    r = admin.post("/api/v1/units", json={"name": "市教育局", "kind": "other"})
    assert r.status_code == 201, r.text
    top = r.json()
    child = admin.post(
        "/api/v1/units",
        json={"name": "某县教育局", "kind": "county", "parent_id": top["id"], "email": "x@y.cn"},
    ).json()
    assert child["parent_id"] == top["id"] and child["kind_name"] == "县区教育局"
    assert admin.post("/api/v1/units", json={"name": "某县教育局"}).status_code == 422
    assert admin.post("/api/v1/units", json={"name": "学校", "kind": "castle"}).status_code == 422
    assert admin.post("/api/v1/units", json={"name": "孤儿", "parent_id": 99999}).status_code == 404
    r = admin.patch(f"/api/v1/units/{child['id']}", json={"name": "某县教育体育局", "email": "a@b.cn"})
    assert r.status_code == 200 and r.json()["name"] == "某县教育体育局"
    r = admin.patch(f"/api/v1/units/{top['id']}", json={"parent_id": child["id"]})
    assert r.status_code == 422 and "下级" in r.json()["error"]["message"]
    assert admin.patch("/api/v1/units/99999", json={"name": "x"}).status_code == 404

    for role in ("supervisor", "leader", "security_admin", "audit_admin"):
        c = signed_in(f"u_{role}", role)
        assert c.post("/api/v1/units", json={"name": "越权单位"}).status_code == 403
        assert c.patch(f"/api/v1/units/{child['id']}", json={"name": "越权"}).status_code == 403
    member = signed_in("jj", "unit_member", unit="基础教育科")
    assert member.post("/api/v1/units", json={"name": "越权单位"}).status_code == 403
    assert member.patch(f"/api/v1/units/{child['id']}", json={"name": "越权"}).status_code == 403
    names = [u["name"] for u in admin.get("/api/v1/units").json()["items"]]
    assert "越权单位" not in names and names[:2] == ["市教育局", "某县教育体育局"]  # tree order


def test_unit_list_for_business_roles_with_filters_and_pages(signed_in):
    admin = signed_in("admin1", "admin")
    for i in range(5):
        admin.post("/api/v1/units", json={"name": f"学校{i}", "kind": "school"})
    member = signed_in("jj", "unit_member", unit="基础教育科")
    for c in (
        admin,
        member,
        signed_in("dc", "supervisor"),
        signed_in("ld", "leader"),
        signed_in("sec", "security_admin"),
    ):
        body = c.get("/api/v1/units", params={"kind": "school", "per_page": 2, "page": 3}).json()
        assert body["total"] == 5 and len(body["items"]) == 1 and body["per_page"] == 2
    assert member.get("/api/v1/units", params={"q": "基础"}).json()["items"][0]["name"] == "基础教育科"
    audit = signed_in("aud", "audit_admin")
    r = audit.get("/api/v1/units")
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"


def test_units_need_sign_in(client):
    assert client.get("/api/v1/units").status_code == 401
