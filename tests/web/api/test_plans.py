"""Plans API on both backends: list with filters and pages, the task tree, the source download;
who may read what."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from duban.ledger.models import Task, Unit
from duban.ledger.plans import import_plan
from duban.ledger.tasks import assign
from duban.ledger.users import SYSTEM
from tests.conftest import small_plan


def _import(Session, *, year: int = 2024, title: str | None = None, content: bytes | None = None) -> int:  # noqa: N803
    plan = small_plan(year=year, title=title or f"某市教育局{year}年工作要点")
    with Session() as s:
        result = import_plan(
            s, plan=plan, content=content or f"plan {year} {title}".encode(), name=f"要点{year}.txt"
        )
        return result.plans[0].plan_id


def test_list_filters_and_pages(Session, signed_in):  # noqa: N803
    for year in (2022, 2023, 2024):
        _import(Session, year=year)
    leader = signed_in("boss", "leader")
    r = leader.get("/api/v1/plans")
    assert r.status_code == 200
    data = r.json()
    assert data["total"] == 3 and [p["year"] for p in data["items"]] == [2024, 2023, 2022]
    first = data["items"][0]
    assert (first["tasks"], first["targets"], first["kind_name"], first["revision"]) == (5, 3, "计划", 1)
    assert first["source"]["name"] == "要点2024.txt" and first["source"]["imported_by"] == "system"
    page2 = leader.get("/api/v1/plans", params={"per_page": 2, "page": 2}).json()
    assert page2["total"] == 3 and len(page2["items"]) == 1 and page2["page"] == 2
    assert leader.get("/api/v1/plans", params={"year": 2023}).json()["total"] == 1
    assert leader.get("/api/v1/plans", params={"kind": "summary"}).json()["total"] == 0
    assert leader.get("/api/v1/plans", params={"q": "2022"}).json()["total"] == 1
    assert leader.get("/api/v1/plans", params={"per_page": 500}).status_code == 422


def test_detail_tree_and_source(Session, signed_in):  # noqa: N803
    pid = _import(Session, content=b"<html><script>alert(1)</script></html>")
    sup = signed_in("sup", "supervisor")
    plan = sup.get(f"/api/v1/plans/{pid}").json()
    assert [n["path"] for n in plan["tree"]] == ["一", "二"]
    task = plan["tree"][0]["children"][0]
    assert task["title"] == "新建幼儿园10所" and task["responsible"] == ["基础教育科", "财务科"]
    assert task["targets"][0]["value"] == 10 and task["deadlines"][0]["date"] == "2024-08-31"
    assert task["status"] == "unassigned" and task["status_name"]
    assert plan["tree"][1]["targets"][0]["role"] == "actual"
    src = sup.get(f"/api/v1/plans/{pid}/source")
    assert src.content == b"<html><script>alert(1)</script></html>"
    assert src.headers["content-type"] == "application/octet-stream"  # never rendered as a page
    assert src.headers["content-disposition"].startswith("attachment")
    assert sup.get("/api/v1/plans/999").status_code == 404
    assert sup.get("/api/v1/plans/999/source").status_code == 404


def test_unit_member_reads_plans_but_only_its_own_tasks_state(Session, signed_in):  # noqa: N803
    pid = _import(Session)
    member = signed_in("jj", "unit_member", unit="基础教育科")
    with Session() as s:
        unit = s.execute(select(Unit).where(Unit.name == "基础教育科")).scalar_one()
        tasks = {t.path: t.id for t in s.execute(select(Task).where(Task.plan_id == pid)).scalars()}
        assign(s, actor=SYSTEM, task_id=tasks["一/1"], lead_unit_id=unit.id)
    assert member.get("/api/v1/plans").json()["total"] == 1
    plan = member.get(f"/api/v1/plans/{pid}").json()
    own, other = plan["tree"][0]["children"][0], plan["tree"][0]["children"][1]
    assert own["visible"] and own["status"] == "assigned" and own["units"][0]["name"] == "基础教育科"
    assert not other["visible"] and "status" not in other and other["title"]  # text yes, state no
    assert member.get(f"/api/v1/plans/{pid}/source").status_code == 200


@pytest.mark.parametrize("role", ["security_admin", "audit_admin"])
def test_administrators_without_business_data_are_refused(Session, signed_in, role):  # noqa: N803
    pid = _import(Session)
    c = signed_in("x", role)
    assert c.get("/api/v1/plans").status_code == 403
    assert c.get(f"/api/v1/plans/{pid}").status_code == 403
    assert c.get(f"/api/v1/plans/{pid}/source").status_code == 403


def test_signed_out(client):
    assert client.get("/api/v1/plans").status_code == 401
    assert client.get("/api/v1/plans/1").json()["error"]["code"] == "not_authenticated"
