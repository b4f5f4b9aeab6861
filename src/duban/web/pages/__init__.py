"""HTML pages (Jinja2 + htmx), in Chinese."""

from __future__ import annotations

from fastapi import APIRouter

from duban.web.pages import admin as admin_pages
from duban.web.pages import approvals, audit, auth, dashboard, decompose, home, supervision, tasks
from duban.web.pages import exports as exports_pages
from duban.web.pages import imports as imports_pages
from duban.web.pages import inbox as inbox_pages
from duban.web.pages import periods as periods_pages
from duban.web.pages import plans as plans_pages
from duban.web.pages import reports as reports_pages
from duban.web.pages import year as year_pages

router = APIRouter(include_in_schema=False)
router.include_router(auth.router)
router.include_router(home.router)
router.include_router(dashboard.router)
router.include_router(supervision.router)  # /tasks/{id}/form before /tasks/{id}
router.include_router(tasks.router)
router.include_router(decompose.router)
router.include_router(approvals.router)
router.include_router(audit.router)
router.include_router(inbox_pages.router)
router.include_router(reports_pages.router)
router.include_router(periods_pages.router)
router.include_router(admin_pages.router)
router.include_router(plans_pages.router)
router.include_router(imports_pages.router)
router.include_router(year_pages.router)
router.include_router(exports_pages.router)
