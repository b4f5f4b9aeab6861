"""Tasks API: list, detail, timeline, transitions, bulk assign, decomposition, status; every refusal."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from duban.ledger.models import Plan, Task
from tests.ledger.read.helpers import setup_plan

XSS = "<script>alert(1)</script>"


@pytest.fixture
def ids(Session):  # noqa: N803
    with Session() as s:
        return setup_plan(s)


def test_list_by_role(ids, signed_in, client):
    sup = signed_in("sup1", "supervisor")
    body = sup.get("/api/v1/tasks", params={"per_page": 2, "page": 1}).json()
    assert body["total"] == 5 and len(body["items"]) == 2 and body["page"] == 1 and body["per_page"] == 2
    member = signed_in("m1", "unit_member", unit="人事科")
    items = member.get("/api/v1/tasks").json()["items"]
    assert [i["id"] for i in items] == [ids["t二/1"]] and items[0]["light"] == "red"
    assert signed_in("l1", "leader").get("/api/v1/tasks").json()["total"] == 5
    for role in ("security_admin", "audit_admin"):
        r = signed_in(f"x{role}", role).get("/api/v1/tasks")
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    assert client.get("/api/v1/tasks").status_code == 401
    assert sup.get("/api/v1/tasks", params={"light": "purple"}).status_code == 422
    assert sup.get("/api/v1/tasks", params={"per_page": 500}).status_code == 422
    assert sup.get("/api/v1/tasks", params={"overdue": True}).json()["total"] == 1


def test_detail_and_timeline_visibility(ids, signed_in):
    member = signed_in("m1", "unit_member", unit="人事科")
    d = member.get(f"/api/v1/tasks/{ids['t二/1']}").json()
    assert d["lead_unit"]["name"] == "人事科" and d["targets"][0]["text"] == "新招聘补充教师3000人以上"
    assert "start" in d["actions"]
    other = member.get(f"/api/v1/tasks/{ids['t一/1']}")
    assert other.status_code == 403 and "本单位" in other.json()["error"]["message"]
    assert member.get(f"/api/v1/tasks/{ids['t一/1']}/timeline").status_code == 403
    assert member.get("/api/v1/tasks/99999").status_code == 404
    tl = member.get(f"/api/v1/tasks/{ids['t二/1']}/timeline").json()
    assert tl["items"][0]["title"] == "交办" and tl["total"] == 1
    assert signed_in("au", "audit_admin").get(f"/api/v1/tasks/{ids['t二/1']}").status_code == 403


def test_transitions_rights_versions_and_errors(ids, signed_in):
    tid = ids["t二/1"]
    member = signed_in("m1", "unit_member", unit="人事科")
    other = signed_in("m2", "unit_member", unit="基础教育科")
    leader = signed_in("l1", "leader")
    sup = signed_in("s1", "supervisor")
    version = member.get(f"/api/v1/tasks/{tid}").json()["version"]
    r = other.post(f"/api/v1/tasks/{tid}/transitions", json={"action": "start"})
    assert r.status_code == 403
    r = leader.post(f"/api/v1/tasks/{tid}/transitions", json={"action": "close"})
    assert r.status_code == 403
    r = member.post(f"/api/v1/tasks/{tid}/transitions", json={"action": "start", "expected_version": version})
    assert r.status_code == 200 and r.json()["status"] == "in_progress"
    stale = member.post(
        f"/api/v1/tasks/{tid}/transitions", json={"action": "request_closeout", "expected_version": version}
    )
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    assert "已被他人修改" in stale.json()["error"]["message"]
    r = member.post(f"/api/v1/tasks/{tid}/transitions", json={"action": "request_closeout"})
    assert r.status_code == 200 and r.json()["status"] == "closeout_requested"
    r = sup.post(f"/api/v1/tasks/{tid}/transitions", json={"action": "return"})
    assert r.status_code == 422 and "原因" in r.json()["error"]["message"]
    r = sup.post(f"/api/v1/tasks/{tid}/transitions", json={"action": "start"})
    assert r.status_code == 403
    r = member.post(f"/api/v1/tasks/{tid}/transitions", json={"action": "start"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "invalid_transition"  # right, wrong state
    r = sup.post(f"/api/v1/tasks/{tid}/transitions", json={"action": "close", "reason": "已完成"})
    assert r.status_code == 200 and r.json()["status"] == "closed"
    r = sup.post(f"/api/v1/tasks/{tid}/transitions", json={"action": "close"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "invalid_transition"
    assert sup.post(f"/api/v1/tasks/{tid}/transitions", json={"action": "fly"}).status_code == 422


def test_transition_needs_csrf_for_cookie_clients(ids, signed_in):
    member = signed_in("m1", "unit_member", unit="人事科")
    del member.headers["X-CSRF-Token"]
    r = member.post(f"/api/v1/tasks/{ids['t二/1']}/transitions", json={"action": "start"})
    assert r.status_code == 403 and "CSRF" in r.json()["error"]["message"]


def test_bulk_assign(ids, signed_in):
    sup = signed_in("s1", "supervisor")
    body = {
        "items": [
            {
                "task_id": ids["t一/2"],
                "lead_unit_id": ids["基础教育科"],
                "co_unit_ids": [ids["财务科"]],
                "due_date": "2024-10-31",
            },
            {"task_id": ids["t一"], "lead_unit_id": ids["基础教育科"]},
        ]
    }
    r = sup.post("/api/v1/tasks/assign", json=body)
    assert r.status_code == 200 and r.json()["ok"] == 1 and r.json()["failed"] == 1
    assert not r.json()["results"][1]["ok"]
    d = sup.get(f"/api/v1/tasks/{ids['t一/2']}").json()
    assert d["due_date"] == "2024-10-31" and d["co_units"][0]["name"] == "财务科"
    for who, role, unit in (("l1", "leader", None), ("m1", "unit_member", "人事科")):
        assert signed_in(who, role, unit=unit).post("/api/v1/tasks/assign", json=body).status_code == 403
    assert sup.post("/api/v1/tasks/assign", json={"items": []}).status_code == 422


def test_decomposition_rows(ids, signed_in, Session):  # noqa: N803
    with Session() as s:
        plan_id = s.execute(select(Plan.id)).scalar_one()
    sup = signed_in("s1", "supervisor")
    body = sup.get(f"/api/v1/plans/{plan_id}/decomposition").json()
    rows = {r["path"]: r for r in body["items"]}
    assert (
        body["total"] == 5
        and rows["一"]["leaf"] is False
        and rows["一/2"]["lead_unit_id"] == ids["基础教育科"]
    )
    assert signed_in("l1", "leader").get(f"/api/v1/plans/{plan_id}/decomposition").status_code == 200
    r = signed_in("m1", "unit_member", unit="人事科").get(f"/api/v1/plans/{plan_id}/decomposition")
    assert r.status_code == 403
    assert sup.get("/api/v1/plans/999/decomposition").status_code == 404


def test_status_rows(ids, signed_in):
    sup = signed_in("s1", "supervisor")
    red = sup.get("/api/v1/status", params={"light": "red"}).json()
    assert [r["task_id"] for r in red["items"]] == [ids["t二/1"]]
    member = signed_in("m1", "unit_member", unit="基础教育科")
    mine = member.get("/api/v1/status").json()
    assert [r["task_id"] for r in mine["items"]] == [ids["t一/1"]]
    assert member.get("/api/v1/status", params={"unit_id": ids["人事科"]}).status_code == 403
    assert signed_in("au", "audit_admin").get("/api/v1/status").status_code == 403
    assert sup.get("/api/v1/status", params={"light": "pink"}).status_code == 422


def test_script_in_title_is_data(ids, signed_in, Session):  # noqa: N803
    with Session() as s:
        s.get(Task, ids["t二/1"]).title = XSS
        s.commit()
    r = signed_in("s1", "supervisor").get(f"/api/v1/tasks/{ids['t二/1']}")
    assert r.headers["content-type"].startswith("application/json") and r.json()["title"] == XSS
