"""REST API under /api/v1: JSON in and out, errors as {"error": {"code", "message"}}."""

from __future__ import annotations

from fastapi import APIRouter

from duban.web.api import audit as audit_api
from duban.web.api import auth
from duban.web.api import dashboard as dashboard_api
from duban.web.api import exports as exports_api
from duban.web.api import imports as imports_api
from duban.web.api import periods as periods_api
from duban.web.api import plans as plans_api
from duban.web.api import reminders as reminders_api
from duban.web.api import reports as reports_api
from duban.web.api import tasks as tasks_api
from duban.web.api import units as units_api
from duban.web.api import users as users_api
from duban.web.api import year as year_api

router = APIRouter(prefix="/api/v1")
router.include_router(auth.router)
router.include_router(tasks_api.router)
router.include_router(dashboard_api.router)
router.include_router(audit_api.router)
router.include_router(units_api.router)
router.include_router(users_api.router)
router.include_router(periods_api.router)
router.include_router(reports_api.router)
router.include_router(reminders_api.router)
router.include_router(plans_api.router)
router.include_router(imports_api.router)
router.include_router(year_api.router)
router.include_router(exports_api.router)
