"""The printable 督办单 of a task: a page with print CSS and the same fields as .docx."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from duban.exports.common import DOCX_TYPE
from duban.exports.duban_form import form_data, form_docx
from duban.exports.files import Download
from duban.ledger.read.visibility import readable_task
from duban.web.deps import Allowed, Db
from duban.web.downloads import download_response
from duban.web.templating import render

router = APIRouter()


@router.get("/tasks/{task_id}/form")
def form_page(task_id: int, request: Request, actor: Allowed("task.read"), db: Db) -> Response:
    """The 督办单 laid out for printing (print CSS: A4, no menu)."""
    task = readable_task(db, actor=actor, task_id=task_id)
    return render(request, "tasks/form.html", {"task": task, "form": form_data(db, task_id=task_id)})


@router.get("/tasks/{task_id}/form.docx")
def form_download(task_id: int, actor: Allowed("task.read"), db: Db) -> Response:
    readable_task(db, actor=actor, task_id=task_id)
    name, content = form_docx(db, task_id=task_id)
    return download_response(Download(name, DOCX_TYPE, content))
