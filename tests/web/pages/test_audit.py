"""Audit page: the log with filters and the verify button, for the audit administrator only."""

from __future__ import annotations

import re

from tests.ledger.read.helpers import setup_plan

XSS = "<script>alert(1)</script>"


def test_audit_page_filters_and_verify(signed_in, Session):  # noqa: N803
    with Session() as s:
        ids = setup_plan(s)
    from duban.ledger import tasks
    from duban.ledger.users import Actor

    with Session() as s:
        tasks.transition(
            s,
            actor=Actor("sup", "supervisor"),
            task_id=ids["t二/1"],
            action="reassign",
            lead_unit_id=ids["人事科"],
            reason=XSS,
        )
    au = signed_in("au", "audit_admin")
    page = au.get("/audit")
    assert page.status_code == 200 and 'id="audit-table"' in page.text and 'id="verify-button"' in page.text
    assert XSS not in page.text and "&lt;script&gt;" in page.text
    assert "<th>时间</th>" in page.text and "UTC" not in page.text  # shown on the bureau's clock
    only = au.get("/audit", params={"action": "task.assign"}).text
    assert only.count("task.assign</span>") == 2 and "task.reassign</span>" not in only
    assert "日期格式" in au.get("/audit", params={"date_from": "昨天"}).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    v = au.post("/audit/verify", data={"csrf_token": token})
    assert v.status_code == 200 and "校验通过" in v.text
    del au.headers["X-CSRF-Token"]  # a browser form without its token
    assert au.post("/audit/verify").status_code == 403  # no CSRF token
    for who, role, unit in (
        ("s1", "supervisor", None),
        ("se", "security_admin", None),
        ("m1", "unit_member", "人事科"),
    ):
        assert signed_in(who, role, unit=unit).get("/audit").status_code == 403
