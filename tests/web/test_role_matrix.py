"""Every privileged endpoint x every role, against the one table of rights (ledger/rights.py).

Each route names its right through its `Allowed("...")` dependency; the table says which roles hold
it. Here every route of the app is called as every role: a role without the right must get 403 with
the right's refusal, a role with it must get past the check (any answer but a role refusal, never a
500). A route that declares no right must be listed below as public or as open to anyone signed in,
so a new endpoint without a right fails this test. The last test pins the 等保 decisions the table
encodes, written out by hand, so the table itself cannot drift unnoticed.
"""

from __future__ import annotations

import re

import fastapi.routing as fr
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from duban.ledger.models import ROLES
from duban.ledger.rights import RIGHTS, roles_with

from .conftest import add_user, api_login

PUBLIC = {("POST", "/api/v1/auth/login"), ("GET", "/login"), ("POST", "/login"), ("GET", "/api/docs")}
SIGNED_IN = {  # anyone signed in: their own session and password, the landing redirect
    ("POST", "/api/v1/auth/logout"),
    ("GET", "/api/v1/auth/me"),
    ("POST", "/api/v1/auth/password"),
    ("POST", "/logout"),
    ("GET", "/password"),
    ("POST", "/password"),
    ("GET", "/"),
    ("GET", "/year"),  # a redirect to the first tab, which checks
}


def _walk(routes, prefix: str = ""):
    for r in routes:
        if isinstance(r, fr._IncludedRouter):
            yield from _walk(r.original_router.routes, prefix + r.include_context.prefix)
        elif isinstance(r, APIRoute):
            yield prefix + r.path, r


def _rights(dependant) -> list[str]:
    out = []
    for d in dependant.dependencies:
        if getattr(d.call, "right", None):
            out.append(d.call.right)
        out += _rights(d)
    return out


def endpoints(app) -> list[tuple[str, str, str | None]]:
    """(method, path, right) of every route; right None for the public and signed-in-only ones."""
    out = []
    for path, route in _walk(app.routes):
        for method in sorted(route.methods - {"HEAD"}):
            rights = _rights(route.dependant)
            assert len(rights) <= 1, (method, path, rights)
            out.append((method, path, rights[0] if rights else None))
    return out


def _concrete(path: str) -> str:
    """Path parameters filled with ids that do not exist: an allowed call finds nothing to change."""
    return re.sub(
        r"\{(\w+)\}",
        lambda m: "nobody" if m.group(1) in ("username", "action", "key", "kind") else "999999",
        path,
    )


@pytest.fixture
def clients(app, Session):  # noqa: N803
    out = {}
    for role in ROLES:
        add_user(Session, f"r_{role}", role, "基础教育科" if role == "unit_member" else None)
        c = TestClient(app, follow_redirects=False)
        c.__enter__()
        api_login(c, f"r_{role}")
        out[role] = c
    yield out
    for c in out.values():
        c.__exit__(None, None, None)


@pytest.mark.parametrize("backend_url", ["sqlite"], indirect=True)  # the rule is the backend's no matter
def test_every_endpoint_answers_every_role_as_the_rights_table_says(app, clients):
    seen_rights, checked = set(), 0
    for method, path, right in endpoints(app):
        if right is None:
            assert (method, path) in PUBLIC | SIGNED_IN, f"{method} {path} declares no right"
            continue
        seen_rights.add(right)
        label = RIGHTS[right].label
        for role, client in clients.items():
            body = {"json": {}} if path.startswith("/api/") else {"data": {}}
            r = client.request(method, _concrete(path), **({} if method in ("GET", "DELETE") else body))
            refused = r.status_code == 403 and f"无权{label}：需要" in r.text
            if role in roles_with(right):
                assert not refused, f"{role} refused {method} {path}: {r.text[:200]}"
                assert r.status_code < 500, f"{role} {method} {path}: {r.status_code} {r.text[:200]}"
            else:
                assert refused, f"{role} not refused {method} {path}: {r.status_code} {r.text[:200]}"
            checked += 1
    assert checked > 400  # ~90 privileged endpoints x 6 roles
    assert {"remind", "instruct", "audit.read", "user.create", "user.unlock", "unit.manage"} <= seen_rights


def test_the_table_keeps_the_three_administrators_apart():
    """等保 2.0 三员分立 and the one rule for 催办, written out (not read from the table)."""
    assert roles_with("audit.read") == {"audit_admin"}
    for right in ("user.read", "user.create", "user.unlock", "user.disable", "user.password_reset"):
        assert roles_with(right) == {"security_admin"}, right
    assert roles_with("unit.manage") == {"admin"}
    for right in ("task.read", "plan.read", "report.read", "overview"):
        assert not roles_with(right) & {"security_admin", "audit_admin"}, right  # no business data
    # 催办: the API let only supervisors send one, the service also admin and leader; supervisors
    assert roles_with("remind") == {"supervisor"}
    # 领导批示: the leader's alone (the task page once asked its own role list, not this table)
    assert roles_with("instruct") == {"leader"}
