"""/api/docs shows real shapes: the most used routes answer a schema with their fields, not `{}`."""

from __future__ import annotations

import pytest

# route -> fields its 200 answer must list (a list route: the fields of one item)
SHAPES = {
    ("get", "/api/v1/tasks"): {"id", "title", "status", "status_name", "light", "light_name", "due_date"},
    ("get", "/api/v1/tasks/{task_id}"): {"targets", "lead_unit", "actions", "light_rule_name", "contest"},
    ("post", "/api/v1/tasks/{task_id}/transitions"): {"status", "version", "actions"},
    ("get", "/api/v1/dashboard"): {"plan", "rates", "overall", "by_unit", "overdue", "attainment"},
    ("get", "/api/v1/inbox"): {"tasks", "due_soon", "reminders", "unread", "contest_kinds"},
    ("get", "/api/v1/reports"): {"unit", "period", "submitted_at", "late", "tasks"},
    ("get", "/api/v1/reports/{report_id}"): {"unit", "period", "items"},
    ("post", "/api/v1/reports"): {"unit", "period", "items"},
    ("get", "/api/v1/auth/me"): {"username", "role", "role_name", "csrf_token"},
    ("post", "/api/v1/auth/login"): {"token", "username", "role_name"},
    ("post", "/api/v1/reminders"): {"task_id", "kind_name", "message", "read"},
    ("get", "/api/v1/tasks/{task_id}/timeline"): {"at", "kind", "title", "actor", "detail"},
    ("get", "/api/v1/units"): {"id", "name", "kind", "kind_name", "parent_id"},
    ("get", "/api/v1/users"): {"username", "role_name", "locked", "must_change_password"},
    ("post", "/api/v1/users/{username}/unlock"): {"username", "locked", "failed_logins"},
    ("get", "/api/v1/audit"): {"items", "total", "page", "per_page"},
}


def _resolve(schema: dict, doc: dict) -> dict:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _fields(schema: dict, doc: dict) -> set[str]:
    """The property names of an object schema; of one item for a list envelope (items + total)."""
    schema = _resolve(schema, doc)
    props = schema.get("properties", {})
    if {"items", "total"} <= set(props) and props["items"].get("type") == "array":
        item = _resolve(props["items"].get("items", {}), doc)
        return set(item.get("properties", {})) or set(props)
    return set(props)


@pytest.mark.parametrize("backend_url", ["sqlite"], indirect=True)  # the schema is no backend's
def test_the_most_used_routes_document_their_answer(client):
    doc = client.get("/api/openapi.json").json()
    for (method, path), expected in SHAPES.items():
        answers = doc["paths"][path][method]["responses"]
        ok = answers.get("200") or answers.get("201")
        schema = ok["content"]["application/json"]["schema"]
        fields = _fields(schema, doc)
        assert expected <= fields, f"{method.upper()} {path}: {sorted(expected - fields)} missing in {fields}"


@pytest.mark.parametrize("backend_url", ["sqlite"], indirect=True)
def test_nested_shapes_are_named(client):
    doc = client.get("/api/openapi.json").json()
    schemas = doc["components"]["schemas"]
    target = schemas["TargetState"]["properties"]
    assert {"values", "latest", "attainment", "attainment_name"} <= set(target)
    assert {"id", "name", "size", "url"} <= set(schemas["AttachmentRef"]["properties"])
    assert {"action", "name"} <= set(schemas["ActionRef"]["properties"])  # the inbox's quick actions
    assert {"closeout_rate", "on_time_rate", "report_rate", "assigned"} <= set(schemas["Rates"]["properties"])
    assert {"label", "rate", "avg_percent", "lights"} <= set(schemas["Tally"]["properties"])
    assert "percent_sum" not in schemas["Tally"]["properties"]  # a running sum, not part of the answer
