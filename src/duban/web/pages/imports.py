"""导入计划: upload a plan file, review the parsed plan beside its source text, correct it, import it.

Every correction is a small form posting one `duban.plan.edit` operation. With htmx the answer is
only the part the edit touched (an item, a document's metadata, a document's outline) plus the
draft's new version and a message, swapped out of band; without JavaScript the form posts and the
page reloads at the edited item.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from duban.documents import DocumentError
from duban.ledger import drafts
from duban.ledger.errors import LedgerError, NotFoundError, PermissionDenied
from duban.ledger.models import ImportDraft
from duban.ledger.users import Actor, list_units
from duban.plan import model as pm
from duban.plan.edit import COMPARATORS, KINDS, OP_NAMES, PRECISIONS, ROLES, Scope, owner_index
from duban.web.deps import Allowed, Cfg, Db
from duban.web.people import display_names
from duban.web.templating import TEMPLATES, render
from duban.web.uploads import parse_limits, read_plan_file

router = APIRouter()
Editor = Allowed("plan.import")
FORM_SKIP = {"csrf_token", "version", "op"}
CHOICES = {"kinds": KINDS, "comparators": COMPARATORS, "roles": ROLES, "precisions": PRECISIONS}


# ------------------------------------------------------------------ view models
def _marks(text: str, needles: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Split one line into (text, css class) segments, marking target and deadline phrases."""
    spans: list[tuple[int, int, str]] = []
    for needle, cls in needles:
        start = text.find(needle)
        while start >= 0:
            spans.append((start, start + len(needle), cls))
            start = text.find(needle, start + len(needle))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    out: list[tuple[str, str]] = []
    pos = 0
    for a, b, cls in spans:
        if a < pos:
            continue
        if a > pos:
            out.append((text[pos:a], ""))
        out.append((text[a:b], cls))
        pos = b
    if pos < len(text):
        out.append((text[pos:], ""))
    return out


def source_lines(plan: pm.Plan, text: str) -> list[tuple[int, list[tuple[str, str]]]]:
    """Numbered source lines (1-based, as `Item.line`), targets and deadlines marked."""
    needles = {q.text: "q" for d in plan.documents for q in d.quantities if len(q.text) > 1}
    needles.update({x.text: "d" for d in plan.documents for x in d.deadlines if len(x.text) > 1})
    pairs = sorted(needles.items(), key=lambda p: -len(p[0]))
    return [(n, _marks(line, pairs)) for n, line in enumerate(text.split("\n"), start=1)]


SHEET_FORMATS = ("xlsx", "xls", "ods")


def sheet_blocks(plan: pm.Plan, lines: list[tuple[int, list[tuple[str, str]]]]) -> list[tuple[str, Any]]:
    """A spreadsheet's source lines as blocks: ("text", line) or ("table", rows of (n, cells))."""
    fields = [(x.text, "d") for d in plan.documents for x in d.deadlines if "：" in x.text]
    blocks: list[tuple[str, Any]] = []
    for n, segs in lines:
        text = "".join(t for t, _ in segs)
        if " | " not in text:
            blocks.append(("text", (n, segs)))
            continue
        row = text.strip().removeprefix("|").removesuffix("|")  # the sheet reader's outer pipes
        needles = _needles_of(segs, fields)
        cells = [_marks(cell.strip(), needles) for cell in row.split(" | ")]
        if not blocks or blocks[-1][0] != "table":
            blocks.append(("table", []))
        blocks[-1][1].append((n, cells))
    return blocks


def _needles_of(segs: list[tuple[str, str]], plan_needles: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The phrases to mark cell by cell: the line's own, and a field's value without its name
    (the deadline "完成时限：2025年6月30日" is the cell "2025年6月30日")."""
    found = {(t, c) for t, c in segs if c}
    found |= {(t.split("：", 1)[1], c) for t, c in plan_needles if "：" in t and t.split("：", 1)[1]}
    return sorted(found, key=lambda p: -len(p[0]))


def item_view(
    doc: pm.Document, i: int, owners_q: list[int | None], owners_d: list[int | None]
) -> dict[str, Any]:
    it = doc.items[i]
    lead = it.responsible[0] if it.responsible and it.responsible[0] not in it.co_units else ""
    co = [u for u in it.responsible if u != lead]
    return {
        "i": i,
        "it": it,
        "lead": lead,
        "co": co,
        "quantities": [(n, q) for n, q in enumerate(doc.quantities) if owners_q[n] == i],
        "deadlines": [(n, d) for n, d in enumerate(doc.deadlines) if owners_d[n] == i],
        "can_promote": it.level > 1,
        "can_demote": i > 0 and it.level <= doc.items[i - 1].level,
    }


def _owners(doc: pm.Document) -> tuple[list[int | None], list[int | None]]:
    return (
        [owner_index(doc, q.item, q.text) for q in doc.quantities],
        [owner_index(doc, d.item, d.text) for d in doc.deadlines],
    )


def doc_view(k: int, doc: pm.Document, n_docs: int) -> dict[str, Any]:
    oq, od = _owners(doc)
    return {
        "k": k,
        "doc": doc,
        "n_docs": n_docs,
        "items": [item_view(doc, i, oq, od) for i in range(len(doc.items))],
        "pre_q": [(n, q) for n, q in enumerate(doc.quantities) if oq[n] is None],
        "pre_d": [(n, d) for n, d in enumerate(doc.deadlines) if od[n] is None],
        "targets": sum(q.role == "target" for q in doc.quantities),
    }


def unit_names(db: Session, plan: pm.Plan) -> list[str]:
    names = [u.name for u in list_units(db)]
    for doc in plan.documents:
        for it in doc.items:
            names += [u for u in it.responsible if u not in names]
            names += [s.name for s in it.suggested_units if s.name not in names]
    return names


def review_context(
    db: Session, draft: ImportDraft, *, open_item: tuple[int, int] | None = None
) -> dict[str, Any]:
    plan = drafts.draft_plan(draft)
    lines = source_lines(plan, drafts.draft_text(draft)) if draft.status == "draft" else []
    return {
        "draft": draft,
        "uploader": display_names(db, [draft.created_by]).get(draft.created_by, ""),
        "docs": [doc_view(k, d, len(plan.documents)) for k, d in enumerate(plan.documents)],
        "lines": lines,
        "sheet": sheet_blocks(plan, lines) if draft.plan.get("format") in SHEET_FORMATS else [],
        "units": unit_names(db, plan),
        "undo": drafts.undo_count(db, draft),
        "undo_name": drafts.last_edit_name(db, draft),
        "open_item": open_item,
        "status_names": drafts.STATUS_NAMES,
        "plans": drafts.draft_plans(db, draft),
        **CHOICES,
    }


def form_op(form: Any) -> dict[str, Any]:
    """The edit operation a form posts: its fields as text (the edit functions read numbers)."""
    op: dict[str, Any] = {"op": form.get("op", "")}
    for key, value in form.multi_items():
        if key not in FORM_SKIP and isinstance(value, str):
            op[key] = value
    return op


def _is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


# ------------------------------------------------------------------ upload and list
def _index(request: Request, db: Session, actor: Actor, **extra: Any) -> dict[str, Any]:
    open_rows, _ = drafts.list_drafts(db, actor=actor, status="draft", per_page=100)
    done, _ = drafts.list_drafts(db, actor=actor, status="imported", per_page=20)
    names = display_names(db, {d.created_by for d in [*open_rows, *done]})
    return {
        "names": names,
        "open_drafts": open_rows,
        "imported": [(d, drafts.draft_plans(db, d)) for d in done],
        "max_mb": request.app.state.config.web.max_upload_mb,
        "error": "",
        "linked_plans": [],
        **extra,
    }


@router.get("/imports")
def imports_page(request: Request, db: Db, actor: Editor) -> Response:
    return render(request, "imports/index.html", _index(request, db, actor))


@router.post("/imports")
def upload_page(
    request: Request, db: Db, cfg: Cfg, actor: Editor, file: Annotated[UploadFile, File()]
) -> Response:
    try:
        content = read_plan_file(file, cfg.web.max_upload_mb)
        up = drafts.create_draft(
            db,
            actor=actor,
            content=content,
            name=file.filename or "",
            max_bytes=cfg.web.max_upload_mb * 1048576,
            limits=parse_limits(cfg),
        )
    except drafts.AlreadyImported as exc:
        ctx = _index(request, db, actor, error=str(exc), linked_plans=exc.plans)
        return render(request, "imports/index.html", ctx, status_code=409)
    except DocumentError as exc:
        return render(
            request, "imports/index.html", _index(request, db, actor, error=exc.user_message), status_code=422
        )
    except LedgerError as exc:
        if isinstance(exc, PermissionDenied):
            raise
        return render(
            request, "imports/index.html", _index(request, db, actor, error=str(exc)), status_code=422
        )
    suffix = "?reused=1" if up.reused else ""
    return RedirectResponse(f"/imports/{up.draft.id}{suffix}", status_code=303)


# ------------------------------------------------------------------ review
@router.get("/imports/{draft_id}")
def review_page(request: Request, draft_id: int, db: Db, actor: Editor) -> Response:
    draft = drafts.get_draft(db, actor=actor, draft_id=draft_id)
    ctx = review_context(db, draft)
    ctx["notice"] = "该文件已有待审核的草稿，已为您打开。" if request.query_params.get("reused") else ""
    return render(request, "imports/review.html", ctx)


def _partial(request: Request, db: Session, draft: ImportDraft, scope: Scope, message: str) -> Response:
    """The re-rendered part, the new draft state and a message (out of band)."""
    plan = drafts.draft_plan(draft)
    base = {
        "request": request,
        "draft": draft,
        "units": unit_names(db, plan),
        "csrf_token": getattr(request.state, "live", None) and request.state.live.csrf_token,
        "open_item": (scope.doc, scope.item) if scope.item is not None else None,
        **CHOICES,
    }
    if scope.part == "plan":
        html = TEMPLATES.get_template("imports/_documents.html").render(
            {**base, "docs": [doc_view(k, d, len(plan.documents)) for k, d in enumerate(plan.documents)]}
        )
        target = "#documents"
    else:
        doc = plan.documents[scope.doc]
        d = doc_view(scope.doc, doc, len(plan.documents))
        if scope.part == "item" and scope.item is not None:
            html = TEMPLATES.get_template("imports/_item.html").render(
                {**base, "d": d, "row": d["items"][scope.item]}
            )
            target = f"#item-{scope.doc}-{scope.item}"
        elif scope.part == "meta":
            html = TEMPLATES.get_template("imports/_meta.html").render({**base, "d": d})
            target = f"#meta-{scope.doc}"
        else:
            html = TEMPLATES.get_template("imports/_document.html").render({**base, "d": d})
            target = f"#doc-{scope.doc}"
    state = TEMPLATES.get_template("imports/_state.html").render(
        {
            **base,
            "undo": drafts.undo_count(db, draft),
            "undo_name": drafts.last_edit_name(db, draft),
            "oob": True,
        }
    )
    flash = TEMPLATES.get_template("imports/_flash.html").render({"message": message, "kind": "ok"})
    return Response(
        html + state + flash,
        media_type="text/html",
        headers={"HX-Retarget": target, "HX-Reswap": "outerHTML", "Cache-Control": "no-store"},
    )


def _error_fragment(message: str, status: int) -> Response:
    html = TEMPLATES.get_template("imports/_flash.html").render(
        {"message": message, "kind": "error", "inner": True}
    )
    return Response(
        html,
        status_code=status,
        media_type="text/html",
        headers={"HX-Retarget": "#flash", "HX-Reswap": "innerHTML"},
    )


def _status_of(exc: LedgerError) -> int:
    from duban.web.errors import ERROR_CODES

    return next((status for cls, status, _ in ERROR_CODES if isinstance(exc, cls)), 400)


def _version(form: Any) -> int | None:
    v = str(form.get("version", "")).strip()
    return int(v) if v.isdigit() else None


@router.post("/imports/{draft_id}/edit")
async def edit_page(request: Request, draft_id: int, db: Db, actor: Editor) -> Response:
    form = await request.form()
    op = form_op(form)
    try:
        draft, scope = drafts.edit_draft(db, actor=actor, draft_id=draft_id, op=op, version=_version(form))
    except LedgerError as exc:
        if isinstance(exc, (NotFoundError, PermissionDenied)):
            raise
        if not _is_htmx(request):
            draft = drafts.get_draft(db, actor=actor, draft_id=draft_id)
            ctx = {**review_context(db, draft), "error": str(exc)}
            return render(request, "imports/review.html", ctx, status_code=_status_of(exc))
        return _error_fragment(str(exc), _status_of(exc))
    message = f"已保存：{OP_NAMES.get(op['op'], op['op'])}"
    if _is_htmx(request):
        return _partial(request, db, draft, scope, message)
    anchor = f"#item-{scope.doc}-{scope.item}" if scope.item is not None else f"#doc-{scope.doc}"
    return RedirectResponse(f"/imports/{draft_id}{anchor}", status_code=303)


async def _plain_action(request: Request, draft_id: int, db: Session, actor: Actor, action: str) -> Response:
    form = await request.form()
    try:
        if action == "undo":
            drafts.undo_edit(db, actor=actor, draft_id=draft_id, version=_version(form))
            return RedirectResponse(f"/imports/{draft_id}", status_code=303)
        if action == "discard":
            drafts.discard_draft(db, actor=actor, draft_id=draft_id, version=_version(form))
            return RedirectResponse("/imports", status_code=303)
        _, result = drafts.import_draft(db, actor=actor, draft_id=draft_id, version=_version(form))
    except drafts.AlreadyImported as exc:
        draft = drafts.get_draft(db, actor=actor, draft_id=draft_id)
        ctx = {**review_context(db, draft), "error": str(exc), "linked_plans": exc.plans}
        return render(request, "imports/review.html", ctx, status_code=409)
    except LedgerError as exc:
        if isinstance(exc, (NotFoundError, PermissionDenied)):
            raise
        draft = drafts.get_draft(db, actor=actor, draft_id=draft_id)
        ctx = {**review_context(db, draft), "error": str(exc)}
        return render(request, "imports/review.html", ctx, status_code=_status_of(exc))
    first = result.plans[0].plan_id
    return RedirectResponse(f"/plans/{first}?imported=1", status_code=303)


@router.post("/imports/{draft_id}/undo")
async def undo_page(request: Request, draft_id: int, db: Db, actor: Editor) -> Response:
    return await _plain_action(request, draft_id, db, actor, "undo")


@router.post("/imports/{draft_id}/import")
async def import_page(request: Request, draft_id: int, db: Db, actor: Editor) -> Response:
    return await _plain_action(request, draft_id, db, actor, "import")


@router.post("/imports/{draft_id}/discard")
async def discard_page(request: Request, draft_id: int, db: Db, actor: Editor) -> Response:
    return await _plain_action(request, draft_id, db, actor, "discard")
