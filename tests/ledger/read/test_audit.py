"""The audit log: filters and the auditor's right."""

from __future__ import annotations

from datetime import date

import pytest

from duban.ledger.errors import PermissionDenied
from duban.ledger.read.audit import AuditFilter, audit_log
from duban.ledger.users import Actor
from tests.ledger.read.helpers import SUP, setup_plan


def test_audit_log_filters_and_rights(session):
    setup_plan(session)
    auditor = Actor("au", "audit_admin")
    page = audit_log(session, actor=auditor, filters=AuditFilter(action="task.assign"))
    assert page.total == 2 and page.items[0]["action_name"] == "交办"
    assert audit_log(session, actor=auditor, filters=AuditFilter(action="task.")).total == 2
    assert audit_log(session, actor=auditor, filters=AuditFilter(actor="sup")).total == 2
    future = AuditFilter(date_from=date(2999, 1, 1))
    assert audit_log(session, actor=auditor, filters=future).total == 0
    with pytest.raises(PermissionDenied):
        audit_log(session, actor=SUP, filters=AuditFilter())
