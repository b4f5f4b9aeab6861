"""Year-end API: reconciliation and corrections, the indicator registry, comparisons, assessment; rights."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from duban.ledger import reports
from duban.ledger.models import AuditRecord, Quantity
from duban.ledger.users import Actor
from tests.assess.helpers import doc, load, q
from tests.assess.test_reconcile import PLAN_ITEMS, PLAN_QS, SUMMARY_ITEMS, SUMMARY_QS
from tests.ledger.read.helpers import setup_plan

SUP = Actor("dc1", "supervisor")
SCRIPT = "<script>alert(1)</script>"
# a target and a summary sentence carrying markup: pages must show it as text
EVIL_ITEMS = [*PLAN_ITEMS, ("三", "其他", ""), ("三/1", "特色学校", f"创建{SCRIPT}特色学校12所。")]
EVIL_QS = [*PLAN_QS, q("三/1", f"创建{SCRIPT}特色学校12所", f"{SCRIPT}特色学校", 12, "所", "target")]


def year_data(Session) -> dict[str, int]:  # noqa: N803
    """A 2024 plan and the 2023 summary of the same bureau (not linked: found by issuer and year)."""
    with Session() as s:
        summary_id, plan_id = load(
            s,
            doc("summary", 2023, SUMMARY_ITEMS, SUMMARY_QS),
            doc("plan", 2024, EVIL_ITEMS, EVIL_QS),
        )
        ids = {"summary": summary_id, "plan": plan_id}
        qids = {text: i for text, i in s.execute(select(Quantity.text, Quantity.id)).all()}
    return {**ids, **{f"q:{t}": i for t, i in qids.items()}}


def outsiders(make) -> dict[str, object]:
    """Clients of every role refused here: unit member, security and audit administrators, leader."""
    return {
        "unit_member": make("m9", "unit_member", "基础教育科"),
        "security_admin": make("se9", "security_admin"),
        "audit_admin": make("au9", "audit_admin"),
        "leader": make("l9", "leader"),
    }


def refused(clients: dict, path: str, *, method: str = "get", json: dict | None = None) -> None:
    """Unit members, security and audit administrators get 403; leaders get 403 on changes."""
    for role, c in clients.items():
        if role == "leader" and method == "get":
            continue
        r = c.get(path) if method == "get" else c.post(path, json=json or {})
        assert r.status_code == 403, (role, path, r.text)
        assert r.json()["error"]["code"] == "forbidden"


def test_reconcile_against_the_summary_and_reports(signed_in, Session):  # noqa: N803
    ids = year_data(Session)
    sup = signed_in("s1", "supervisor")
    r = sup.get("/api/v1/reconcile", params={"plan_id": ids["plan"], "summary_id": ids["summary"]})
    assert r.status_code == 200, r.text
    d = r.json()
    rows = {x["target_text"]: x for x in d["rows"]}
    assert rows["学前三年毛入园率达到95%以上"]["state"] == "met"
    assert rows["学前三年毛入园率达到95%以上"]["state_name"] == "已完成"
    assert rows["普惠性幼儿园覆盖率达到85%"]["state"] == "not_met"
    assert d["counts"]["met"] >= 2 and sum(d["counts"].values()) == len(d["rows"])
    assert d["source"] == f"summary:{ids['summary']}" and d["source_title"] == "某市教育局2023年工作总结"
    only = sup.get(
        "/api/v1/reconcile", params={"plan_id": ids["plan"], "summary_id": ids["summary"], "state": "not_met"}
    ).json()
    assert {x["state"] for x in only["rows"]} == {"not_met"}
    bad = sup.get("/api/v1/reconcile", params={"plan_id": ids["plan"], "state": "done"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_input"
    reports_mode = signed_in("l1", "leader").get("/api/v1/reconcile", params={"plan_id": ids["plan"]}).json()
    assert reports_mode["source"] == "reports" and {x["state"] for x in reports_mode["rows"]} == {
        "not_mentioned"
    }
    assert signed_in("a1", "admin").get("/api/v1/reconcile", params={"plan_id": 999}).status_code == 404
    assert sup.get("/api/v1/reconcile").status_code == 422
    others = outsiders(signed_in)
    refused(others, f"/api/v1/reconcile?plan_id={ids['plan']}")


def test_corrections_are_audited_and_win(signed_in, Session):  # noqa: N803
    ids = year_data(Session)
    target = ids["q:普惠性幼儿园覆盖率达到85%"]
    sup = signed_in("s1", "supervisor")
    r = sup.post(
        "/api/v1/reconcile/corrections",
        json={"target_id": target, "summary_id": ids["summary"], "actual_id": None, "note": "口径不同"},
    )
    assert r.status_code == 201, r.text
    row = r.json()
    assert row["state"] == "not_mentioned" and row["corrected_by"] == "s1" and "口径不同" in row["note"]
    r = sup.post(
        "/api/v1/reconcile/corrections",
        json={
            "target_id": target,
            "summary_id": ids["summary"],
            "actual_id": ids["q:全市学前三年毛入园率达到96.2%"],
        },
    )
    assert r.json()["state"] == "met" and r.json()["method"] == "correction"
    got = sup.get("/api/v1/reconcile", params={"plan_id": ids["plan"], "summary_id": ids["summary"]}).json()
    assert next(x for x in got["rows"] if x["target_id"] == target)["corrected_by"] == "s1"
    with Session() as s:
        actions = s.execute(select(AuditRecord.action).where(AuditRecord.action == "reconcile.correct")).all()
        assert len(actions) == 2
    admin = signed_in("a1", "admin")
    wrong = admin.post(
        "/api/v1/reconcile/corrections",
        json={"target_id": target, "summary_id": ids["summary"], "actual_id": target},
    )
    assert wrong.status_code == 422 and "不属于总结" in wrong.json()["error"]["message"]
    assert admin.post("/api/v1/reconcile/corrections", json={"target_id": 99999}).status_code == 404
    assert admin.post("/api/v1/reconcile/corrections", json={}).status_code == 422
    others = outsiders(signed_in)
    refused(others, "/api/v1/reconcile/corrections", method="post", json={"target_id": target})


def test_registry_list_add_alias_merge_candidates(signed_in, Session):  # noqa: N803
    ids = year_data(Session)
    leader = signed_in("l1", "leader")
    d = leader.get("/api/v1/indicators", params={"per_page": 5}).json()
    assert d["per_page"] == 5 and len(d["items"]) == 5 and d["total"] > 5
    found = leader.get("/api/v1/indicators", params={"q": "学前三年毛入园率"}).json()["items"]
    assert found[0]["name"] == "学前三年毛入园率" and found[0]["targets"] >= 1 and found[0]["id"] is None
    sup = signed_in("s1", "supervisor")
    r = sup.post(
        "/api/v1/indicators", json={"name": "智慧课堂覆盖率", "unit": "%", "aliases": ["智慧课堂比例"]}
    )
    assert r.status_code == 201 and r.json()["id"]
    new_id = r.json()["id"]
    dup = sup.post("/api/v1/indicators", json={"name": "智慧课堂覆盖率"})
    assert dup.status_code == 422 and "已存在" in dup.json()["error"]["message"]
    r = sup.post(f"/api/v1/indicators/{new_id}/aliases", json={"alias": "智慧课堂普及率"})
    assert r.status_code == 201 and r.json()["indicator"] == "智慧课堂覆盖率"
    r = sup.post("/api/v1/indicators/智慧课堂覆盖率/aliases", json={"alias": "智慧教室覆盖率"})
    assert r.status_code == 201
    assert sup.post("/api/v1/indicators/99999/aliases", json={"alias": "x"}).status_code == 404
    assert sup.post("/api/v1/indicators/无此指标/aliases", json={"alias": "x"}).status_code == 404
    r = sup.post("/api/v1/indicators", json={"name": "数字校园覆盖率", "unit": "%"})
    r = signed_in("a1", "admin").post(
        "/api/v1/indicators/merge", json={"source": "数字校园覆盖率", "into": "智慧课堂覆盖率"}
    )
    assert r.status_code == 200 and "数字校园覆盖率" in r.json()["aliases"]
    listed = leader.get("/api/v1/indicators", params={"q": "智慧课堂"}).json()["items"]
    assert listed[0]["stored"] and "智慧课堂普及率" in listed[0]["aliases"]
    cands = leader.get("/api/v1/indicators/candidates").json()
    assert {"items", "total", "page", "per_page"} <= set(cands)
    grown = sup.post("/api/v1/indicators/grow", json={"min_documents": 5})
    assert grown.status_code == 200 and grown.json()["added"] == []
    with Session() as s:
        acts = {a for (a,) in s.execute(select(AuditRecord.action)).all()}
    assert {"indicator.seed", "indicator.add", "indicator.alias", "indicator.merge"} <= acts
    assert ids["plan"]
    others = outsiders(signed_in)
    refused(others, "/api/v1/indicators")
    refused(others, "/api/v1/indicators/candidates")
    refused(others, "/api/v1/indicators", method="post", json={"name": "某指标"})
    refused(others, "/api/v1/indicators/学前三年毛入园率/aliases", method="post", json={"alias": "入园率甲"})
    refused(others, "/api/v1/indicators/merge", method="post", json={"source": "a", "into": "b"})
    refused(others, "/api/v1/indicators/grow", method="post", json={})


def test_compare_indicator_and_plans(signed_in, Session):  # noqa: N803
    ids = year_data(Session)
    leader = signed_in("l1", "leader")
    d = leader.get("/api/v1/compare/indicator", params={"name": "学前三年毛入园率"}).json()
    assert d["indicator"] == "学前三年毛入园率"
    assert {(f["year"], f["role"], f["value"]) for f in d["figures"]} >= {
        (2023, "actual", 96.2),
        (2024, "target", 95),
    }
    assert d["chart"]["years"] == [2023, 2024] and d["chart"]["unit"] == "%"
    missing = leader.get("/api/v1/compare/indicator", params={"name": "不存在的指标"})
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    c = leader.get("/api/v1/compare/plans", params={"a": ids["summary"], "b": ids["plan"]}).json()
    assert c["a"]["kind_name"] == "总结" and c["b"]["title"] == "某市教育局2024年工作要点"
    assert set(c["counts"]["tasks"]) == {"continued", "new", "dropped"}
    same = leader.get("/api/v1/compare/plans", params={"a": ids["plan"], "b": ids["plan"]}).json()
    assert same["counts"]["tasks"]["new"] == 0 and same["counts"]["tasks"]["continued"] == len(same["tasks"])
    assert leader.get("/api/v1/compare/plans", params={"a": ids["plan"], "b": 999}).status_code == 404
    others = outsiders(signed_in)
    refused(others, "/api/v1/compare/indicator?name=学前三年毛入园率")
    refused(others, f"/api/v1/compare/plans?a={ids['plan']}&b={ids['plan']}")


def make_period(Session) -> dict[str, int]:  # noqa: N803
    """setup_plan's units and tasks (二/1 of 人事科 due 2024-08-31, overdue) and an August 2024 period."""
    with Session() as s:
        ids = setup_plan(s)
        reports.create_period(
            s,
            actor=SUP,
            name="2024年8月",
            start=date(2024, 8, 1),
            end=date(2024, 8, 31),
            cutoff=datetime(2024, 9, 5),
        )
    return ids


def test_assessment_scores_and_rights(signed_in, Session):  # noqa: N803
    make_period(Session)
    sup = signed_in("s1", "supervisor")
    d = sup.get("/api/v1/assessment", params={"period": "2024年8月"}).json()
    units = {u["unit_name"]: u for u in d["items"]}
    staff = units["人事科"]
    assert (
        staff["rank"] >= 1 and staff["counts"]["overdue_open"] == 1 and staff["counts"]["report_missing"] == 1
    )
    assert staff["total"] == -10 and {p["rule_name"] for p in staff["breakdown"]} == {"逾期未办结", "未报送"}
    assert d["rules"]["closed_on_time"] == "按时办结" and d["total"] == len(d["items"])
    assert (
        signed_in("l1", "leader").get("/api/v1/assessment", params={"period": "2024年8月"}).status_code == 200
    )
    assert sup.get("/api/v1/assessment", params={"period": "无此周期"}).status_code == 404
    assert sup.get("/api/v1/assessment").status_code == 422
    others = outsiders(signed_in)
    refused(others, "/api/v1/assessment?period=2024年8月")
