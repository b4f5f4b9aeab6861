"""Administration pages: /admin/units (system administrator), /admin/users (the security
administrator alone: 三员分立, see ledger/rights.py)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from duban.ledger import notify
from duban.ledger.db import utcnow
from duban.ledger.errors import LedgerError, ValidationError
from duban.ledger.models import ROLES, UNIT_KINDS
from duban.ledger.rights import ROLE_NAMES, can
from duban.ledger.users import (
    UNIT_KIND_NAMES,
    Actor,
    create_unit,
    create_user,
    get_unit_by_id,
    list_units,
    list_users,
    lock_states,
    password_age_days,
    reset_password,
    set_active,
    unit_depth,
    unlock_user,
    update_unit,
)
from duban.web.deps import Allowed, Db
from duban.web.forms import status_for
from duban.web.templating import render

router = APIRouter()
Admin = Allowed("unit.manage")
UserAdmin = Allowed("user.read")
DONE = {
    "unit_created": "单位已新建",
    "unit_saved": "单位已保存",
    "user_created": "用户已新建",
    "unlock": "已解除锁定",
    "disable": "账户已停用",
    "enable": "账户已启用",
    "password": "密码已重置，用户下次登录时必须修改",
}


async def _form(request: Request, *keys: str) -> dict[str, str]:
    raw = await request.form()
    return {k: str(raw.get(k) or "").strip() for k in keys}


# --- units ------------------------------------------------------------------------------------------
def _units_page(
    request: Request, db: Db, *, form: dict[str, str] | None = None, error: str = "", status_code: int = 200
) -> Response:
    units = list_units(db)
    edit = request.query_params.get("edit", "")
    return render(
        request,
        "admin/units.html",
        {
            "rows": [(u, unit_depth(db, u)) for u in units],
            "names": {u.id: u.name for u in units},
            "edit": int(edit) if edit.isdigit() else None,
            "KINDS": [(k, UNIT_KIND_NAMES[k]) for k in UNIT_KINDS],
            "KIND_NAMES": UNIT_KIND_NAMES,
            "form": form or {},
            "error": error,
            "done": DONE.get(request.query_params.get("done", ""), ""),
        },
        status_code=status_code,
    )


@router.get("/admin/units")
def units_page(request: Request, db: Db, actor: Admin) -> Response:
    return _units_page(request, db)


@router.post("/admin/units")
async def units_create(request: Request, db: Db, actor: Admin) -> Response:
    form = await _form(request, "name", "kind", "parent_id", "email")
    try:
        parent = (
            get_unit_by_id(db, unit_id=int(form["parent_id"])).name if form["parent_id"].isdigit() else None
        )
        create_unit(
            db,
            actor=actor,
            name=form["name"],
            kind=form["kind"] or "office",
            parent=parent,
            email=form["email"],
        )
    except LedgerError as exc:
        return _units_page(request, db, form=form, error=str(exc), status_code=status_for(exc))
    return RedirectResponse("/admin/units?done=unit_created", status_code=303)


@router.post("/admin/units/{unit_id}")
async def units_update(unit_id: int, request: Request, db: Db, actor: Admin) -> Response:
    form = await _form(request, "name", "kind", "parent_id", "email")
    try:
        update_unit(
            db,
            actor=actor,
            unit_id=unit_id,
            name=form["name"],
            kind=form["kind"] or None,
            parent_id=int(form["parent_id"]) if form["parent_id"].isdigit() else None,
            clear_parent=not form["parent_id"],
            email=form["email"],
        )
    except LedgerError as exc:
        return _units_page(request, db, error=str(exc), status_code=status_for(exc))
    return RedirectResponse("/admin/units?done=unit_saved", status_code=303)


# --- users ------------------------------------------------------------------------------------------
def _users_page(
    request: Request,
    db: Db,
    actor: Actor,
    *,
    form: dict[str, str] | None = None,
    error: str = "",
    status_code: int = 200,
) -> Response:
    qp = request.query_params
    role, q = qp.get("role", ""), qp.get("q", "").strip()[:100]
    rows: list[dict[str, Any]] = []
    everyone = list_users(db)
    locks, now = lock_states(db, everyone), utcnow()
    for u in everyone:
        if (role and u.role != role) or (q and q not in u.username and q not in (u.display_name or "")):
            continue
        rows.append(
            {
                "user": u,
                "unit": u.unit.name if u.unit else "",
                "locked": u.username in locks and locks[u.username].locked(now),
                "age": password_age_days(u),
            }
        )
    return render(
        request,
        "admin/users.html",
        {
            "rows": rows,
            "units": list_units(db),
            "ROLES": [(r, ROLE_NAMES[r]) for r in ROLES],
            "security": can(actor, "user.unlock"),
            "me": actor.name,
            "filter_role": role,
            "q": q,
            "form": form or {},
            "error": error,
            "done": DONE.get(qp.get("done", ""), ""),
        },
        status_code=status_code,
    )


@router.get("/admin/users")
def users_page(request: Request, db: Db, actor: UserAdmin) -> Response:
    return _users_page(request, db, actor)


@router.post("/admin/users")
async def users_create(request: Request, db: Db, actor: Allowed("user.create")) -> Response:
    form = await _form(request, "username", "display_name", "role", "unit", "email", "password")
    try:
        create_user(
            db,
            actor=actor,
            username=form["username"],
            password=form["password"],
            role=form["role"],
            unit=form["unit"] or None,
            display_name=form["display_name"],
            email=form["email"],
        )
    except LedgerError as exc:
        form.pop("password")
        return _users_page(request, db, actor, form=form, error=str(exc), status_code=status_for(exc))
    return RedirectResponse("/admin/users?done=user_created", status_code=303)


@router.post("/admin/users/{username}/{action}")
async def users_action(username: str, action: str, request: Request, db: Db, actor: UserAdmin) -> Response:
    try:
        if action == "unlock":
            unlock_user(db, actor=actor, username=username)
        elif action in ("disable", "enable"):
            set_active(db, actor=actor, username=username, active=action == "enable")
        elif action == "password":
            form = await _form(request, "password")
            reset_password(db, actor=actor, username=username, password=form["password"])
        else:
            raise ValidationError(f"未知操作：{action}")
    except LedgerError as exc:
        return _users_page(request, db, actor, error=f"{username}：{exc}", status_code=status_for(exc))
    return RedirectResponse(f"/admin/users?done={action}", status_code=303)


@router.get("/admin/deliveries")
def deliveries_page(request: Request, db: Db, actor: Allowed("delivery.retry")) -> Response:
    """Reminder pushes that failed (given up or waiting to retry), with the reason and a 重发 button."""
    return render(
        request,
        "admin/deliveries.html",
        {"rows": notify.problem_deliveries(db), "done": request.query_params.get("done") == "retry"},
    )


@router.post("/admin/deliveries/{delivery_id}/retry")
def deliveries_retry(delivery_id: int, db: Db, actor: Allowed("delivery.retry")) -> Response:
    notify.retry(db, actor=actor, delivery_id=delivery_id)
    return RedirectResponse("/admin/deliveries?done=retry", status_code=303)
