"""The start page: each role lands where its work is."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse

from duban.web.deps import CurrentActor

router = APIRouter()

LANDING = {
    "supervisor": "/dashboard",
    "leader": "/dashboard",
    "admin": "/plans",
    "unit_member": "/inbox",
    "security_admin": "/admin/users",
    "audit_admin": "/audit",
}


@router.get("/")
def home(actor: CurrentActor) -> RedirectResponse:
    return RedirectResponse(LANDING.get(actor.role, "/plans"), status_code=303)
