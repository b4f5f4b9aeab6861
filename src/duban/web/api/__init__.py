"""REST API under /api/v1: JSON in and out, errors as {"error": {"code", "message"}}."""

from __future__ import annotations

from fastapi import APIRouter

from duban.web.api import auth

router = APIRouter(prefix="/api/v1")
router.include_router(auth.router)
