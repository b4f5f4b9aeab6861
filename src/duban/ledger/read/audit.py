"""The audit log for the audit administrator: filtered, paged, with Chinese names of the actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, select, true
from sqlalchemy.orm import Session

from duban.ledger.models import AuditRecord
from duban.ledger.read.common import DEFAULT_PER_PAGE, MAX_PER_PAGE, Page
from duban.ledger.rights import require
from duban.ledger.tasks import ACTION_NAMES
from duban.ledger.users import Actor


@dataclass
class AuditFilter:
    actor: str = ""
    action: str = ""
    entity: str = ""
    entity_id: str = ""
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE


def require_auditor(actor: Actor) -> None:
    require(actor, "audit.read")


def audit_log(session: Session, *, actor: Actor, filters: AuditFilter) -> Page[dict[str, Any]]:
    """The audit log, newest first, filtered; only for the audit administrator."""
    require_auditor(actor)
    f = filters
    f.page, f.per_page = max(1, f.page), min(MAX_PER_PAGE, max(1, f.per_page))
    conds = []
    if f.actor.strip():
        conds.append(AuditRecord.actor == f.actor.strip())
    if f.action.strip():
        a = f.action.strip()
        conds.append(
            AuditRecord.action.startswith(a, autoescape=True) if a.endswith(".") else AuditRecord.action == a
        )
    if f.entity.strip():
        conds.append(AuditRecord.entity == f.entity.strip())
    if f.entity_id.strip():
        conds.append(AuditRecord.entity_id == f.entity_id.strip())
    if f.date_from:
        conds.append(AuditRecord.at >= datetime.combine(f.date_from, datetime.min.time()))
    if f.date_to:
        conds.append(
            AuditRecord.at
            < datetime.combine(date.fromordinal(f.date_to.toordinal() + 1), datetime.min.time())
        )
    where = and_(true(), *conds)
    total = session.execute(select(func.count()).select_from(AuditRecord).where(where)).scalar_one()
    recs = session.execute(
        select(AuditRecord)
        .where(where)
        .order_by(AuditRecord.seq.desc())
        .offset((f.page - 1) * f.per_page)
        .limit(f.per_page)
    ).scalars()
    items = [
        {
            "seq": r.seq,
            "at": r.at.isoformat(timespec="seconds"),
            "actor": r.actor,
            "action": r.action,
            "action_name": action_name(r.action),
            "entity": r.entity,
            "entity_id": r.entity_id,
            "before": r.before,
            "after": r.after,
            "hash": r.hash,
        }
        for r in recs
    ]
    return Page(items=items, total=total, page=f.page, per_page=f.per_page)


def audit_choices(session: Session) -> tuple[list[str], list[str]]:
    """Distinct actions and entities present in the log (for the filter lists)."""
    actions = sorted(session.execute(select(AuditRecord.action).distinct()).scalars())
    entities = sorted(session.execute(select(AuditRecord.entity).distinct()).scalars())
    return actions, entities


def action_name(action: str) -> str:
    """Chinese words for an audit action code (task.close -> 销号)."""
    domain, _, verb = action.partition(".")
    if domain == "task" and verb in ACTION_NAMES:
        return ACTION_NAMES[verb]
    return AUDIT_NAMES.get(action, action)


AUDIT_NAMES = {
    "reminder.manual": "催办",
    "report.submit": "报送进展",
    "period.create": "设置报送周期",
    "unit.create": "新建单位",
    "unit.update": "修改单位",
    "user.create": "新建用户",
    "user.enable": "启用用户",
    "user.disable": "停用用户",
    "user.password": "修改密码",
    "user.password_reset": "重置密码",
    "user.unlock": "解锁用户",
    "plan.import": "导入计划",
    "plan.revise": "修订计划",
    "import_draft.create": "上传计划草稿",
    "import_draft.edit": "修改草稿",
    "import_draft.undo": "撤销草稿修改",
    "import_draft.discard": "放弃草稿",
    "import_draft.import": "确认导入",
    "tick": "计算灯色与自动催办",
    "session.start": "登录",
    "session.logout": "退出登录",
    "session.idle": "超时退出",
    "session.expired": "会话到期",
    "login.ok": "登录成功",
    "login.failed": "登录失败",
    "indicator.add": "新增指标",
    "indicator.alias": "指标别名",
    "indicator.grow": "扩充指标",
    "indicator.merge": "合并指标",
    "indicator.seed": "初始化指标",
    "reconcile.correct": "核对修正",
}
