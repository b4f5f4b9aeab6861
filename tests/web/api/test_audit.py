"""Audit API: only the audit administrator reads and verifies the log."""

from __future__ import annotations

from tests.ledger.read.helpers import setup_plan


def test_audit_log_filters_pages_and_verify(signed_in, Session):  # noqa: N803
    with Session() as s:
        setup_plan(s)
    au = signed_in("au", "audit_admin")
    body = au.get("/api/v1/audit", params={"action": "task.assign"}).json()
    assert body["total"] == 2 and body["items"][0]["action_name"] == "交办" and body["per_page"] == 50
    assert au.get("/api/v1/audit", params={"actor": "sup", "per_page": 1}).json()["total"] == 2
    assert au.get("/api/v1/audit", params={"date_from": "2999-01-01"}).json()["total"] == 0
    assert au.get("/api/v1/audit", params={"date_from": "20240101"}).status_code == 422
    v = au.get("/api/v1/audit/verify").json()
    assert v["ok"] is True and v["count"] >= 2 and v["problems"] == []
    assert au.post("/api/v1/audit/verify").json()["ok"] is True


def test_audit_refused_to_everyone_else(signed_in):
    for who, role, unit in (
        ("s1", "supervisor", None),
        ("l1", "leader", None),
        ("a1", "admin", None),
        ("se", "security_admin", None),
        ("m1", "unit_member", "人事科"),
    ):
        c = signed_in(who, role, unit=unit)
        for r in (c.get("/api/v1/audit"), c.get("/api/v1/audit/verify"), c.post("/api/v1/audit/verify")):
            assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
