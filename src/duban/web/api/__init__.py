"""REST API under /api/v1: JSON in and out, errors as {"error": {"code", "message"}}."""

from __future__ import annotations

from fastapi import APIRouter

from duban.web.api import audit as audit_api
from duban.web.api import auth
from duban.web.api import dashboard as dashboard_api
from duban.web.api import tasks as tasks_api

router = APIRouter(prefix="/api/v1")
router.include_router(auth.router)
router.include_router(tasks_api.router)
router.include_router(dashboard_api.router)
router.include_router(audit_api.router)
