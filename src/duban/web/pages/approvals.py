"""审批: close-out requests, extension requests and contests waiting for a supervisor."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from duban.ledger import tasks
from duban.ledger.evidence import closeout_evidence
from duban.ledger.read.approvals import approval_extras, approval_queue
from duban.web.deps import Allowed, Db
from duban.web.forms import done_task
from duban.web.templating import render

router = APIRouter()


@router.get("/approvals")
def approvals_page(request: Request, actor: Allowed("approve"), db: Db) -> Response:
    queue = approval_queue(db, actor=actor)
    ids = sorted({r.id for rows in queue.values() for r in rows})
    return render(
        request,
        "approvals/index.html",
        {
            "queue": queue,
            "extra": approval_extras(db, task_ids=ids),
            "evidence": closeout_evidence(db, task_ids=[r.id for r in queue["closeout"]]),
            "done": tasks.ACTION_NAMES.get(request.query_params.get("done", ""), ""),
            "done_task": done_task(request, db, actor),
            "CONTEST_KINDS": tasks.CONTEST_KINDS,
        },
    )
