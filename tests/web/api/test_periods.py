"""Reporting periods API: list for business roles, create by the supervisor, missing units, 催办."""

from __future__ import annotations

from fastapi.testclient import TestClient

from duban.ledger.config import Config, ReportConfig
from duban.web.app import create_app
from tests.web.api.test_reports import world  # noqa: F401  (fixture)
from tests.web.conftest import add_user, api_login

BODY = {"name": "2024年第二季度", "start": "2024-04-01", "end": "2024-06-30", "cutoff": "2024-07-05T18:00"}


def test_supervisor_creates_periods_others_are_refused(world, signed_in):  # noqa: F811
    sup = signed_in("dc", "supervisor")
    r = sup.post("/api/v1/periods", json=BODY)
    assert r.status_code == 201, r.text
    assert r.json()["cutoff"] == "2024-07-05T18:00+08:00"  # typed on Beijing time, said with its offset
    # an explicit offset is honoured: 10:00 UTC is 18:00 in Beijing
    z = sup.post("/api/v1/periods", json={**BODY, "name": "z", "cutoff": "2024-07-05T10:00Z"})
    assert z.status_code == 201 and z.json()["cutoff"] == "2024-07-05T18:00+08:00"
    assert sup.post("/api/v1/periods", json=BODY).status_code == 422  # name taken
    bad = sup.post("/api/v1/periods", json={**BODY, "name": "x", "end": "2024-03-01"})
    assert bad.status_code == 422 and "日期无效" in bad.json()["error"]["message"]
    assert sup.post("/api/v1/periods", json={**BODY, "name": "y", "start": "not a date"}).status_code == 422
    for role in ("leader", "security_admin", "audit_admin"):
        assert (
            signed_in(f"u_{role}", role).post("/api/v1/periods", json={**BODY, "name": role}).status_code
            == 403
        )
    member = signed_in("jj", "unit_member", unit="基础教育科")
    assert member.post("/api/v1/periods", json={**BODY, "name": "m"}).status_code == 403
    names = [p["name"] for p in sup.get("/api/v1/periods").json()["items"]]
    assert names == ["本期", "z", "2024年第二季度", "上期"]  # latest end first, then the newest


def test_period_list_shows_a_unit_its_own_state(world, signed_in):  # noqa: F811
    jj = signed_in("jj", "unit_member", unit="基础教育科")
    jj.post("/api/v1/reports", json={"period_id": world.p2, "entries": []})
    mine = jj.get("/api/v1/periods").json()["items"]
    assert {p["name"]: p["my_state"] for p in mine} == {"本期": "reported", "上期": "missing"}
    sup = signed_in("dc", "supervisor")
    theirs = sup.get("/api/v1/periods").json()["items"]
    assert {p["name"]: p["reports"] for p in theirs} == {"本期": 1, "上期": 0}
    # each reader's fields only: absent for the other, not null
    assert all("reports" not in p for p in mine) and all("my_state" not in p for p in theirs)
    for role in ("security_admin", "audit_admin"):
        assert signed_in(f"u_{role}", role).get("/api/v1/periods").status_code == 403


def test_missing_units_and_reminding_them(world, signed_in):  # noqa: F811
    jj = signed_in("jj", "unit_member", unit="基础教育科")
    rs = signed_in("rs", "unit_member", unit="人事科")
    sup = signed_in("dc", "supervisor")
    leader = signed_in("ld", "leader")
    jj.post("/api/v1/reports", json={"period_id": world.p2, "entries": []})
    missing = sup.get(f"/api/v1/periods/{world.p2}/missing").json()
    # 财务科 is only a co-unit: by default it sends its input to the lead unit, not to the supervisor
    assert [u["name"] for u in missing["items"]] == ["人事科"]
    assert leader.get(f"/api/v1/periods/{world.p2}/missing").json()["total"] == 1
    assert jj.get(f"/api/v1/periods/{world.p2}/missing").status_code == 403
    assert sup.get("/api/v1/periods/99999/missing").status_code == 404
    # 催办: the supervisor only; one reminder per missing unit
    assert leader.post(f"/api/v1/periods/{world.p2}/remind").status_code == 403
    assert jj.post(f"/api/v1/periods/{world.p2}/remind").status_code == 403
    r = sup.post(f"/api/v1/periods/{world.p2}/remind", json={"unit_id": world.other})
    assert r.status_code == 200 and r.json()["count"] == 1
    got = rs.get("/api/v1/inbox").json()["reminders"]
    assert len(got) == 1 and "本期" in got[0]["message"]
    assert sup.post(f"/api/v1/periods/{world.p2}/remind").json()["count"] == 1
    assert sup.post(f"/api/v1/periods/{world.p2}/remind", json={"unit_id": world.lead}).status_code == 422
    assert jj.get("/api/v1/inbox").json()["reminders"] == []  # it has reported


def test_periods_need_sign_in(client):
    assert client.get("/api/v1/periods").status_code == 401
    assert client.post("/api/v1/periods", json=BODY).status_code == 401


def test_co_units_report_directly_when_configured(Session, world):  # noqa: F811, N803
    app = create_app(
        session_factory=Session, config=Config(reports=ReportConfig(co_units_report_directly=True))
    )
    add_user(Session, "dc", "supervisor")
    with TestClient(app) as c:
        api_login(c, "dc")
        missing = c.get(f"/api/v1/periods/{world.p2}/missing").json()
        assert [u["name"] for u in missing["items"]] == ["基础教育科", "财务科", "人事科"]
