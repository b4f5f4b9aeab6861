"""Dashboard API: overview figures and who may read them."""

from __future__ import annotations

from tests.ledger.read.helpers import setup_plan


def test_dashboard_figures_and_rights(signed_in, Session):  # noqa: N803
    with Session() as s:
        ids = setup_plan(s)
    sup = signed_in("s1", "supervisor")
    d = sup.get("/api/v1/dashboard").json()
    assert d["plan"]["title"] == "某市教育局2024年工作要点" and d["overall"]["tasks"] == 3
    assert d["lights"]["red"] == 1 and d["overdue"][0]["id"] == ids["t二/1"]
    assert len(d["by_heading"]) == 2 and {u["label"] for u in d["by_unit"]} == {"基础教育科", "人事科"}
    one = sup.get("/api/v1/dashboard", params={"plan_id": d["plan"]["id"], "unit_id": ids["人事科"]}).json()
    assert one["overall"]["tasks"] == 1
    assert signed_in("l1", "leader").get("/api/v1/dashboard").status_code == 200
    assert signed_in("a1", "admin").get("/api/v1/dashboard").status_code == 200
    for who, role, unit in (
        ("m1", "unit_member", "人事科"),
        ("au", "audit_admin", None),
        ("se", "security_admin", None),
    ):
        r = signed_in(who, role, unit=unit).get("/api/v1/dashboard")
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    assert sup.get("/api/v1/dashboard", params={"plan_id": 999}).status_code == 404


def test_dashboard_without_plans(signed_in):
    d = signed_in("s1", "supervisor").get("/api/v1/dashboard").json()
    assert d["plan"] is None and d["overall"]["tasks"] == 0
