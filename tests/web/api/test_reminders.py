"""The unit inbox and reminders API: own unit only, unread first, 催办 by the supervisor."""

from __future__ import annotations

from tests.web.api.test_reports import world  # noqa: F401  (fixture)


def test_inbox_lists_the_units_tasks_due_soon_and_actions(world, signed_in):  # noqa: F811
    jj = signed_in("jj", "unit_member", unit="基础教育科")
    box = jj.get("/api/v1/inbox").json()
    tasks = {t["id"]: t for t in box["tasks"]}
    assert set(tasks) == {world.t11, world.t12}  # never 人事科's task
    assert tasks[world.t11]["role_name"] == "牵头" and tasks[world.t11]["status_name"] == "已交办"
    assert box["due_soon"] == [world.t12]  # due in 5 days
    assert tasks[world.t12]["light"] == "blue"
    assert [a["action"] for a in tasks[world.t11]["actions"]] == [
        "sign",
        "start",
        "request_extension",
        "contest",
    ]
    assert tasks[world.t11]["signed_at"] is None
    cw = signed_in("cw", "unit_member", unit="财务科")
    co = cw.get("/api/v1/inbox").json()["tasks"]
    assert [(t["id"], t["role"]) for t in co] == [(world.t11, "co")]
    assert [a["action"] for a in co[0]["actions"]] == ["sign", "contest"]  # a co-unit signs and contests
    assert cw.post("/api/v1/inbox/sign").json() == {"signed": [world.t11]}  # one click for all
    co = cw.get("/api/v1/inbox").json()["tasks"]
    assert co[0]["signed_at"] and [a["action"] for a in co[0]["actions"]] == ["contest"]
    assert cw.post("/api/v1/inbox/sign").json() == {"signed": []}  # nothing left to sign
    assert tasks[world.t11]["signed_at"] is None  # the lead unit's own 签收 is still to do
    for role in ("supervisor", "leader", "admin", "security_admin", "audit_admin"):
        assert signed_in(f"u_{role}", role).get("/api/v1/inbox").status_code == 403


def test_supervisor_reminds_unit_reads_unread_first(world, signed_in):  # noqa: F811
    sup = signed_in("dc", "supervisor")
    jj = signed_in("jj", "unit_member", unit="基础教育科")
    rs = signed_in("rs", "unit_member", unit="人事科")
    r = sup.post("/api/v1/reminders", json={"task_id": world.t11})
    assert r.status_code == 201 and r.json()["unit_id"] == world.lead and "【催办】" in r.json()["message"]
    first = r.json()["id"]
    r = sup.post(
        "/api/v1/reminders", json={"task_id": world.t11, "unit_id": world.co, "message": "请财务科配合拨付"}
    )
    assert r.status_code == 201 and r.json()["message"] == "请财务科配合拨付"
    second = sup.post("/api/v1/reminders", json={"task_id": world.t12, "message": "<b>快</b>"}).json()["id"]
    assert (
        sup.post("/api/v1/reminders", json={"task_id": world.t11, "unit_id": world.other}).status_code == 422
    )
    assert sup.post("/api/v1/reminders", json={"task_id": 99999}).status_code == 404
    for c in (jj, signed_in("ld", "leader"), signed_in("adm", "admin")):
        assert c.post("/api/v1/reminders", json={"task_id": world.t11}).status_code == 403
    box = jj.get("/api/v1/inbox").json()
    assert box["unread"] == 2 and [x["id"] for x in box["reminders"]] == [second, first]
    assert jj.post(f"/api/v1/reminders/{first}/read").json() == {"ok": True}
    box = jj.get("/api/v1/inbox").json()
    assert box["unread"] == 1 and [x["id"] for x in box["reminders"]] == [second, first]
    assert jj.post(f"/api/v1/reminders/{second}/read").status_code == 200
    assert [x["read"] for x in jj.get("/api/v1/inbox").json()["reminders"]] == [True, True]
    # another unit can neither see nor mark them; non-members cannot mark at all
    assert rs.get("/api/v1/inbox").json()["reminders"] == []
    assert rs.post(f"/api/v1/reminders/{first}/read").status_code == 403
    assert sup.post(f"/api/v1/reminders/{first}/read").status_code == 403
    assert jj.post("/api/v1/reminders/99999/read").status_code == 403


def test_returned_task_shows_its_reason(world, signed_in, Session):  # noqa: F811, N803
    from duban.ledger import tasks
    from duban.ledger.users import Actor

    jj = signed_in("jj", "unit_member", unit="基础教育科")
    with Session() as s:
        me = Actor("jj", "unit_member", unit_id=world.lead)
        tasks.transition(s, actor=me, task_id=world.t11, action="start")
        tasks.transition(s, actor=me, task_id=world.t11, action="request_closeout")
        tasks.transition(
            s, actor=Actor("dc", "supervisor"), task_id=world.t11, action="return", reason="佐证材料不足"
        )
    box = jj.get("/api/v1/inbox").json()
    assert box["returned"] == [world.t11]
    t = next(t for t in box["tasks"] if t["id"] == world.t11)
    assert t["return_reason"] == "佐证材料不足"
    assert [a["action"] for a in t["actions"]] == ["resume", "request_closeout", "request_extension"]


def test_inbox_needs_sign_in(client):
    assert client.get("/api/v1/inbox").status_code == 401
    assert client.post("/api/v1/reminders", json={"task_id": 1}).status_code == 401
