"""The supervisor's overview as JSON: completion, lights, overdue tasks, target attainment."""

from __future__ import annotations

from fastapi import APIRouter

from duban.ledger.db import utcnow
from duban.ledger.read.dashboard import Dashboard, dashboard
from duban.web.deps import Allowed, Cfg, Db

router = APIRouter(tags=["督办总览"])


@router.get("/dashboard", summary="督办总览：总体/按工作板块/按牵头单位完成情况，灯色，逾期，目标达成")
def get_dashboard(
    actor: Allowed("overview"), db: Db, cfg: Cfg, plan_id: int | None = None, unit_id: int | None = None
) -> Dashboard:
    return dashboard(
        db,
        actor=actor,
        now=utcnow(),
        cfg=cfg.lights,
        plan_id=plan_id,
        unit_id=unit_id,
        co_direct=cfg.reports.co_units_report_directly,
    )
