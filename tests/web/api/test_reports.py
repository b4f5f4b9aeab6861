"""Progress reports through the API: draft, JSON and multipart submit, attachments, unit isolation."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from duban.ledger import plans, reports, tasks
from duban.ledger.clock import local_date
from duban.ledger.config import Config, WebConfig
from duban.ledger.db import utcnow
from duban.ledger.models import Quantity, Task
from duban.ledger.users import SYSTEM, Actor, create_unit
from duban.web.app import create_app
from tests.conftest import small_plan
from tests.web.conftest import api_login


@dataclass
class World:
    lead: int
    co: int
    other: int
    t11: int  # 新建幼儿园10所: lead 基础教育科, co 财务科
    t12: int  # 学前三年毛入园率: lead 基础教育科
    t21: int  # 新招聘补充教师: lead 人事科
    q11: int
    p1: int  # cut-off passed
    p2: int  # open


def build_world(Session) -> World:  # noqa: N803
    """Three units, the small plan assigned to them, a past and an open period."""
    with Session() as s:
        lead, co, other = (
            create_unit(s, actor=SYSTEM, name=n).id for n in ("基础教育科", "财务科", "人事科")
        )
        plans.import_plan(s, plan=small_plan(), content=b"plan", name="plan.txt")
        ids = {
            p: s.execute(select(Task.id).where(Task.path == p)).scalar_one() for p in ("一/1", "一/2", "二/1")
        }
        sup = Actor("system-dc", "supervisor")
        far = local_date(utcnow()) + timedelta(days=200)
        tasks.assign(s, actor=sup, task_id=ids["一/1"], lead_unit_id=lead, co_unit_ids=[co], due_date=far)
        tasks.assign(
            s,
            actor=sup,
            task_id=ids["一/2"],
            lead_unit_id=lead,
            due_date=local_date(utcnow()) + timedelta(days=5),
        )
        tasks.assign(s, actor=sup, task_id=ids["二/1"], lead_unit_id=other, due_date=far)
        q11 = s.execute(select(Quantity.id).where(Quantity.text == "新建幼儿园10所")).scalar_one()
        now = utcnow()
        p1 = reports.create_period(
            s,
            actor=sup,
            name="上期",
            start=date(2024, 1, 1),
            end=date(2024, 1, 31),
            cutoff=datetime(2024, 2, 5),
        )
        p2 = reports.create_period(
            s,
            actor=sup,
            name="本期",
            start=now.date(),
            end=now.date() + timedelta(days=10),
            cutoff=now + timedelta(days=15),
        )
        return World(lead, co, other, ids["一/1"], ids["一/2"], ids["二/1"], q11, p1.id, p2.id)


@pytest.fixture
def world(Session):  # noqa: N803
    return build_world(Session)


def test_draft_submit_json_with_attachment_and_read_back(world, signed_in):
    me = signed_in("jj", "unit_member", unit="基础教育科")
    draft = me.get("/api/v1/reports/draft", params={"period_id": world.p2}).json()
    assert [e["task_id"] for e in draft["entries"]] == [world.t11, world.t12]
    assert draft["entries"][0]["targets"] == [
        {"quantity_id": world.q11, "text": "新建幼儿园10所", "value": None}
    ]
    content = bytes(range(256)) * 10
    body = {
        "period_id": world.p2,
        "entries": [
            {
                "task_id": world.t11,
                "work_done": "已开工4所<script>alert(1)</script>",
                "percent": 40,
                "values": {str(world.q11): 4},
                "attachments": [
                    {"name": "../../开工照片.jpg", "content_base64": base64.b64encode(content).decode()}
                ],
            }
        ],
    }
    r = me.post("/api/v1/reports", json=body)
    assert r.status_code == 201, r.text
    rep = r.json()
    assert rep["late"] is False and rep["unit"] == "基础教育科" and len(rep["items"]) == 2
    item = rep["items"][0]
    assert item["work_done"] == "已开工4所<script>alert(1)</script>"  # JSON keeps text as given
    assert item["values"] == [{"quantity_id": world.q11, "target": "新建幼儿园10所", "value": 4.0}]
    att = item["attachments"][0]
    assert att["name"] == "开工照片.jpg" and att["size"] == len(content)
    dl = me.get(att["url"])
    assert dl.status_code == 200 and dl.content == content
    assert dl.headers["content-disposition"].startswith("attachment;")
    # once per period
    again = me.post("/api/v1/reports", json={"period_id": world.p2, "entries": []})
    assert again.status_code == 409 and "每期只报一次" in again.json()["error"]["message"]
    assert me.get(f"/api/v1/reports/{rep['id']}").json()["items"][0]["percent"] == 40
    listed = me.get("/api/v1/reports").json()
    assert listed["total"] == 1 and listed["items"][0]["tasks"] == 2
    # the next draft is pre-filled from this one
    with_prefill = me.get("/api/v1/reports/draft", params={"period_id": world.p2}).json()
    assert with_prefill["submitted_report_id"] == rep["id"]


def test_multipart_submit_round_trips_bytes(world, signed_in):
    me = signed_in("jj", "unit_member", unit="基础教育科")
    content = b"%PDF-1.4 binary \x00\x01\xff" * 1000
    r = me.post(
        "/api/v1/reports/upload",
        data={"data": f'{{"period_id": {world.p2}, "entries": [{{"task_id": {world.t12}, "percent": 10}}]}}'},
        files=[
            (f"files_{world.t11}", ("验收报告.pdf", content, "application/pdf")),
            (f"files_{world.t12}", ("统计表.xlsx", b"PK\x03\x04", "application/octet-stream")),
        ],
    )
    assert r.status_code == 201, r.text
    items = {i["task_id"]: i for i in r.json()["items"]}
    assert items[world.t12]["percent"] == 10
    att = items[world.t11]["attachments"][0]
    assert att["name"] == "验收报告.pdf"
    assert me.get(att["url"]).content == content
    bad = me.post("/api/v1/reports/upload", data={"data": "not json"})
    assert bad.status_code == 422 and "JSON" in bad.json()["error"]["message"]


def test_too_large_upload_is_refused_in_chinese(Session, world):  # noqa: N803
    from tests.web.conftest import add_user

    app = create_app(session_factory=Session, config=Config(web=WebConfig(max_upload_mb=1)))
    add_user(Session, "jj", "unit_member", unit="基础教育科")
    with TestClient(app) as c:
        api_login(c, "jj")
        big = b"x" * (1024 * 1024 + 1)
        r = c.post(
            "/api/v1/reports/upload",
            data={"data": f'{{"period_id": {world.p2}}}'},
            files=[(f"files_{world.t11}", ("大文件.zip", big, "application/zip"))],
        )
        assert r.status_code == 413 and "超过上限 1 MB" in r.json()["error"]["message"]
        r = c.post(
            "/api/v1/reports",
            json={
                "period_id": world.p2,
                "entries": [
                    {
                        "task_id": world.t11,
                        "attachments": [{"name": "大.bin", "content_base64": base64.b64encode(big).decode()}],
                    }
                ],
            },
        )
        assert r.status_code == 413 and "大.bin" in r.json()["error"]["message"]
        assert c.get("/api/v1/reports").json()["total"] == 0  # nothing stored


def test_units_cannot_read_or_change_each_others_reports(world, signed_in):
    jj = signed_in("jj", "unit_member", unit="基础教育科")
    rs = signed_in("rs", "unit_member", unit="人事科")
    leader = signed_in("ld", "leader")
    sup = signed_in("dc", "supervisor")
    content = base64.b64encode(b"secret").decode()
    rep = jj.post(
        "/api/v1/reports",
        json={
            "period_id": world.p2,
            "entries": [
                {"task_id": world.t11, "attachments": [{"name": "a.txt", "content_base64": content}]}
            ],
        },
    ).json()
    att_url = rep["items"][0]["attachments"][0]["url"]
    # another unit: no report, no attachment, no list, and cannot report on others' tasks
    assert rs.get(f"/api/v1/reports/{rep['id']}").status_code == 403
    assert rs.get(att_url).status_code == 403
    assert rs.get("/api/v1/reports").json()["total"] == 0
    assert rs.get("/api/v1/reports", params={"unit_id": world.lead}).status_code == 403
    r = rs.post("/api/v1/reports", json={"period_id": world.p2, "entries": [{"task_id": world.t11}]})
    assert r.status_code == 422 and "不是本单位" in r.json()["error"]["message"]
    # leader and supervisor read everything and change nothing
    for reader in (leader, sup):
        assert reader.get(f"/api/v1/reports/{rep['id']}").status_code == 200
        assert reader.get(att_url).content == b"secret"
        assert reader.get("/api/v1/reports").json()["total"] == 1
        r = reader.post("/api/v1/reports", json={"period_id": world.p1, "entries": []})
        assert r.status_code == 403
        assert reader.get("/api/v1/reports/draft", params={"period_id": world.p1}).status_code == 403
    for role in ("security_admin", "audit_admin"):  # no business data
        c = signed_in(role, role)
        assert c.get(att_url).status_code == 403
        assert c.get("/api/v1/reports").status_code == 403
        assert c.get(f"/api/v1/reports/{rep['id']}").status_code == 403
    assert jj.get("/api/v1/reports/attachments/999999").status_code == 404
    assert jj.get("/api/v1/reports/999999").status_code == 404
    assert jj.get("/api/v1/reports/draft", params={"period_id": 999999}).status_code == 404


def test_reports_list_filters_and_paginates(world, signed_in):
    jj = signed_in("jj", "unit_member", unit="基础教育科")
    rs = signed_in("rs", "unit_member", unit="人事科")
    sup = signed_in("dc", "supervisor")
    assert jj.post("/api/v1/reports", json={"period_id": world.p1, "entries": []}).json()["late"] is True
    rs.post("/api/v1/reports", json={"period_id": world.p2, "entries": []})
    assert sup.get("/api/v1/reports").json()["total"] == 2
    page = sup.get("/api/v1/reports", params={"per_page": 1, "page": 2}).json()
    assert page["total"] == 2 and len(page["items"]) == 1 and page["page"] == 2
    assert [r["unit"] for r in sup.get("/api/v1/reports", params={"late": True}).json()["items"]] == [
        "基础教育科"
    ]
    assert sup.get("/api/v1/reports", params={"period_id": world.p2}).json()["items"][0]["unit"] == "人事科"
    assert sup.get("/api/v1/reports", params={"per_page": 500}).status_code == 422
    assert sup.get("/api/v1/reports").status_code == 200


def test_reports_need_sign_in(client, world):
    assert client.get("/api/v1/reports").status_code == 401
    assert client.post("/api/v1/reports", json={"period_id": world.p2}).status_code == 401
    assert client.get("/api/v1/reports/attachments/1").status_code == 401


def test_off_scale_value_is_asked_then_confirmed(world, signed_in):
    me = signed_in("jj", "unit_member", unit="基础教育科")
    entry = {"task_id": world.t11, "values": {str(world.q11): 300}}
    r = me.post("/api/v1/reports", json={"period_id": world.p2, "entries": [entry]})
    assert r.status_code == 422 and "是否为 300所？" in r.json()["error"]["message"]
    r = me.post(
        "/api/v1/reports", json={"period_id": world.p2, "entries": [{**entry, "confirmed": [world.q11]}]}
    )
    assert r.status_code == 201
