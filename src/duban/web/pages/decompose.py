"""任务分解: the plan as the bureau's task table; bulk-set lead unit, co-units, due date; 交办 selected rows.

One form, two buttons: "应用到选中行" (op=apply: fill the bulk values into the selected rows and show
the table again; supervision.js does the same in the browser without a round trip) and "交办选中任务"
(op=assign: bulk values first, then each selected row through `decomposition.assign_rows`; a row
that fails keeps its values and shows why, the others are assigned).
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from duban.ledger import decomposition as decomp
from duban.ledger import tasks
from duban.ledger.errors import LedgerError
from duban.ledger.rights import can
from duban.ledger.users import UNIT_KIND_NAMES, list_units
from duban.web.deps import Allowed, CurrentActor, Db
from duban.web.forms import date_or_none, int_or_none
from duban.web.templating import render

router = APIRouter()
SPLIT = re.compile(r"[、，,；;\s]+")


def _edits_from_rows(rows: list[decomp.DecompositionRow], names: dict[int, str]) -> dict[int, dict[str, Any]]:
    return {
        r.task_id: {
            "lead": r.lead_unit_id,
            "co": "、".join(names.get(u, "") for u in r.co_unit_ids),
            "due": r.due_date.isoformat() if r.due_date else "",
        }
        for r in rows
    }


def _edits_from_form(form: FormData, rows: list[decomp.DecompositionRow]) -> dict[int, dict[str, Any]]:
    out = {}
    for r in rows:
        if not r.leaf:
            continue
        tid = r.task_id
        out[tid] = {
            "lead": int_or_none(str(form.get(f"lead_{tid}") or "")),
            "co": str(form.get(f"co_{tid}") or "").strip(),
            "due": str(form.get(f"due_{tid}") or "").strip(),
        }
    return out


def _co_ids(text: str, matcher: decomp.UnitMatcher) -> list[int]:
    ids, unknown = [], []
    for name in SPLIT.split(text):
        if not name:
            continue
        unit = matcher.match(name)
        if unit is None:
            unknown.append(name)
        elif unit.id not in ids:
            ids.append(unit.id)
    if unknown:
        raise LedgerError(f"配合单位不存在：{'、'.join(unknown)}")
    return ids


def _render(
    request: Request,
    db: Db,
    actor: CurrentActor,
    plan_id: int,
    *,
    edits: dict[int, dict[str, Any]] | None = None,
    selected: set[int] | frozenset[int] = frozenset(),
    results: dict[int, tuple[bool, str]] | None = None,
    notice: str = "",
    error: str = "",
    bulk: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    plan, rows = decomp.decomposition(db, actor=actor, plan_id=plan_id)
    units = list_units(db)
    names = {u.id: u.name for u in units}
    base = _edits_from_rows(rows, names)
    if edits:
        base.update(edits)
    leaves = [r for r in rows if r.leaf]
    missing = decomp.missing_units(leaves)
    return render(
        request,
        "decompose/index.html",
        {
            "plan": plan,
            "rows": rows,
            "units": units,
            "unit_names": names,
            "edits": base,
            "selected": selected,
            "results": results or {},
            "notice": notice,
            "error": error,
            "bulk": bulk or {"lead": None, "co": "", "due": ""},
            "can_assign": can(actor, "task.assign"),
            "counts": {
                "leaves": len(leaves),
                "assigned": sum(r.assigned for r in leaves),
                "unmatched": sum(bool(r.unmatched) for r in leaves if not r.assigned),
                "suggested": sum(bool(r.suggestion) for r in leaves if not r.assigned),
            },
            "STATUS_NAMES": tasks.STATUS_NAMES,
            "missing": missing,
            "UNIT_KIND_NAMES": UNIT_KIND_NAMES,
        },
        status_code=status_code,
    )


@router.get("/plans/{plan_id}/decompose")
def decompose_page(plan_id: int, request: Request, actor: Allowed("decomposition.read"), db: Db) -> Response:
    done = re.fullmatch(r"(\d+)-(\d+)", request.query_params.get("units", ""))
    notice = (
        f"已新建 {done[1]} 个单位，对应别名 {done[2]} 个；各行已按新单位重新匹配，请核对后交办"
        if done
        else ""
    )
    return _render(request, db, actor, plan_id, notice=notice)


@router.post("/plans/{plan_id}/decompose")
async def decompose_post(plan_id: int, request: Request, actor: Allowed("task.assign"), db: Db) -> Response:
    form = await request.form()
    _, rows = decomp.decomposition(db, actor=actor, plan_id=plan_id)
    leaves = {r.task_id: r for r in rows if r.leaf}
    selected = {int(v) for v in form.getlist("sel") if str(v).isdigit() and int(v) in leaves}
    edits = _edits_from_form(form, rows)
    bulk = {
        "lead": int_or_none(str(form.get("bulk_lead") or "")),
        "co": str(form.get("bulk_co") or "").strip(),
        "due": str(form.get("bulk_due") or "").strip(),
    }
    for tid in selected:  # bulk values win over the row's own for the selected rows
        for key in ("lead", "co", "due"):
            if bulk[key]:
                edits[tid][key] = bulk[key]
    op = str(form.get("op") or "apply")
    if not selected:
        return _render(
            request, db, actor, plan_id, edits=edits, bulk=bulk, error="请先勾选要处理的任务", status_code=422
        )
    if op != "assign":
        return _render(
            request,
            db,
            actor,
            plan_id,
            edits=edits,
            selected=selected,
            bulk=bulk,
            notice=f"已将批量设置应用到 {len(selected)} 行（尚未交办，请核对后点“交办选中任务”）",
        )
    matcher = decomp.unit_matcher(db)
    versions = {tid: int_or_none(str(form.get(f"ver_{tid}") or "")) for tid in selected}
    results: dict[int, tuple[bool, str]] = {}
    to_assign = []
    for tid in sorted(selected, key=lambda t: list(leaves).index(t)):
        e = edits[tid]
        try:
            to_assign.append(
                decomp.AssignRow(
                    task_id=tid,
                    lead_unit_id=e["lead"],
                    co_unit_ids=_co_ids(e["co"], matcher),
                    due_date=date_or_none(e["due"], "完成时限"),
                    expected_version=versions.get(tid),
                )
            )
        except LedgerError as exc:
            results[tid] = (False, str(exc))
    if to_assign:
        for outcome in decomp.assign_rows(db, actor=actor, rows=to_assign):
            results[outcome.task_id] = (outcome.ok, outcome.message)
    ok = sum(1 for good, _ in results.values() if good)
    failed = {tid for tid, (good, _) in results.items() if not good}
    keep = {tid: edits[tid] for tid in failed}  # failed rows keep what the user typed
    message = f"已交办 {ok} 项" + (f"，{len(failed)} 项未交办（见各行说明）" if failed else "")
    return _render(
        request,
        db,
        actor,
        plan_id,
        edits=keep,
        selected=failed,
        results=results,
        notice=message if not failed else "",
        error=message if failed else "",
        status_code=200,
    )


@router.post("/plans/{plan_id}/decompose/units")
async def decompose_units(
    plan_id: int, request: Request, actor: Allowed("unit.from_plan"), db: Db
) -> Response:
    """Create the plan's missing units and remember 别名 in one step, then back to the table."""
    form = await request.form()
    choices = []
    for i in range(min(int_or_none(str(form.get("count") or "")) or 0, 500)):
        name = str(form.get(f"name_{i}") or "").strip()[:200]
        do = str(form.get(f"do_{i}") or "")
        if not name or do not in ("create", "map"):
            continue
        unit_id = int_or_none(str(form.get(f"unit_{i}") or ""))
        if do == "map" and unit_id is None:
            return _render(
                request,
                db,
                actor,
                plan_id,
                error=f"“{name}”选择了对应，请选择对应的已有单位",
                status_code=422,
            )
        choices.append(
            decomp.UnitChoice(
                name=name,
                create=do == "create",
                kind=str(form.get(f"kind_{i}") or "office"),
                parent=str(form.get(f"parent_{i}") or "").strip() or None,
                unit_id=unit_id if do == "map" else None,
            )
        )
    try:
        created, mapped = decomp.resolve_units(db, actor=actor, choices=choices)
    except LedgerError as exc:  # resolve_units rolled everything back
        return _render(request, db, actor, plan_id, error=str(exc), status_code=422)
    return RedirectResponse(f"/plans/{plan_id}/decompose?units={created}-{mapped}", status_code=303)
