"""/api/docs shows real shapes: the most used routes answer a schema with their fields, not `{}`."""

from __future__ import annotations

import dataclasses
import inspect
import typing

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


def _answers_json(route) -> bool:
    """A route answers JSON unless it is a download (its response class is not JSON: `Response`,
    `StreamingResponse`, `FileResponse`, or it is annotated to return one) or answers 204 No Content."""
    from fastapi.responses import JSONResponse
    from starlette.responses import Response

    if route.status_code == 204:
        return False
    returns = inspect.signature(route.endpoint).return_annotation
    if isinstance(returns, str):  # postponed annotations
        returns = typing.get_type_hints(route.endpoint).get("return")
    if isinstance(returns, type) and issubclass(returns, Response) and route.response_model is None:
        return False  # a download built by hand (plan source, attachment)
    cls = getattr(route.response_class, "value", route.response_class)  # DefaultPlaceholder
    return issubclass(cls, JSONResponse)


def _api_routes(app) -> list:
    """Every route under /api/v1 with its effective path (included routers are walked, not flattened,
    by FastAPI: their routes come as route contexts with the same attributes)."""
    out = []
    for r in app.routes:
        out += list(r.effective_route_contexts()) if hasattr(r, "effective_route_contexts") else [r]
    return [r for r in out if getattr(r, "path", "").startswith("/api/v1") and getattr(r, "endpoint", None)]


def _json_routes(app) -> list:
    return [r for r in _api_routes(app) if _answers_json(r)]


def _is_model(tp) -> bool:
    from pydantic import BaseModel

    origin = typing.get_origin(tp)
    if origin is list:
        return _is_model(typing.get_args(tp)[0])
    return dataclasses.is_dataclass(tp) or isinstance(tp, type) and issubclass(tp, BaseModel)


def test_every_json_route_has_a_response_model(app):
    routes = _json_routes(app)
    assert len(routes) > 40  # the walk sees the API
    untyped = sorted(
        f"{','.join(sorted(r.methods))} {r.path}" for r in routes if not _is_model(r.response_model)
    )
    assert not untyped, "JSON routes without a response model (dict/Any/None):\n" + "\n".join(untyped)


def test_the_exemption_rule_exempts_only_downloads(app):
    exempt = sorted(r.path for r in _api_routes(app) if not _answers_json(r))
    assert exempt == [
        "/api/v1/exports/{kind}",
        "/api/v1/plans/{plan_id}/source",
        "/api/v1/reports/attachments/{attachment_id}",
    ]


@pytest.mark.parametrize("backend_url", ["sqlite"], indirect=True)
def test_docs_show_the_shape_of_every_json_route(client, app):
    doc = client.get("/api/openapi.json").json()
    assert client.get("/api/docs").status_code == 200
    empty = []
    for r in _json_routes(app):
        for method in r.methods:
            answers = doc["paths"][r.path][method.lower()]["responses"]
            ok = answers.get(str(r.status_code or 200)) or answers.get("200")
            schema = ok["content"]["application/json"]["schema"]
            if _resolve(schema, doc).get("type") == "array":
                schema = schema.get("items", {})
            if not _fields(schema, doc):
                empty.append(f"{method} {r.path}")
    assert not empty, "answers documented without properties:\n" + "\n".join(sorted(empty))
