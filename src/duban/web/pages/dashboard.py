"""督办总览: completion overall, by heading and by lead unit, lights, overdue list, target attainment."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from duban.ledger import reports
from duban.ledger.db import utcnow
from duban.ledger.lights import LIGHT_NAMES, LIGHTS
from duban.ledger.read.common import plan_choices, unit_choices
from duban.ledger.read.dashboard import dashboard
from duban.web.deps import Allowed, Cfg, Db
from duban.web.forms import int_or_none
from duban.web.templating import render

router = APIRouter()


def _charts(d: dict) -> dict:
    """Chart data (plain JSON, drawn by supervision.js); each point carries the task list URL it opens."""
    plan_id = d["plan"]["id"]
    unit_q = f"&unit_id={d['unit_id']}" if d["unit_id"] else ""
    return {
        "lights": [
            {
                "name": LIGHT_NAMES[k],
                "value": d["lights"][k],
                "code": k,
                "url": f"/tasks?plan_id={plan_id}&light={k}{unit_q}",
            }
            for k in LIGHTS
        ]
        + [  # unassigned tasks are part of the plan: a grey slice, not left out
            {
                "name": "未交办",
                "value": d["rates"]["unassigned"],
                "code": "unassigned",
                "url": f"/tasks?plan_id={plan_id}&status=unassigned{unit_q}",
            }
        ],
        "headings": [
            {
                "name": h["label"],
                "rate": h["rate"],
                "avg": h["avg_percent"],
                "tasks": h["tasks"],
                "closed": h["closed"],
                "url": f"/tasks?plan_id={plan_id}&heading_id={h['id']}{unit_q}",
            }
            for h in d["by_heading"]
        ],
        "units": [
            {
                "name": u["label"],
                "rate": u["rate"],
                "avg": u["avg_percent"],
                "tasks": u["tasks"],
                "closed": u["closed"],
                "url": f"/tasks?plan_id={plan_id}&unit_id={u['id']}" if u["id"] else "",
            }
            for u in d["by_unit"]
        ],
    }


@router.get("/dashboard")
def dashboard_page(request: Request, actor: Allowed("overview"), db: Db, cfg: Cfg) -> Response:
    qp = request.query_params
    plan_id = int_or_none(qp.get("plan_id"))
    unit_id = int_or_none(qp.get("unit_id"))
    d = dashboard(
        db,
        actor=actor,
        now=utcnow(),
        cfg=cfg.lights,
        plan_id=plan_id,
        unit_id=unit_id,
        co_direct=cfg.reports.co_units_report_directly,
    ).model_dump(mode="json")  # the template reads the API's shape
    return render(
        request,
        "dashboard/index.html",
        {
            "d": d,
            "charts": _charts(d) if d["plan"] else None,
            "plans": plan_choices(db),
            "units": unit_choices(db),
            "recent": reports.recent_reports(db, actor=actor, unit_id=unit_id) if d["plan"] else [],
            "LIGHTS": LIGHTS,
            "LIGHT_NAMES": LIGHT_NAMES,
        },
    )
