"""Who may do what: ONE table of named rights, read by services, API dependencies, pages, templates
and the role matrix test.

`can(actor, "remind")` answers yes or no, `refusal(...)` gives the Chinese reason (None when allowed)
and `require(...)` raises it. A right names the roles that hold it and, optionally, a scope on the
object acted on: a task's lead unit, any of its units, or the unit a row belongs to.

等保 2.0 three-role separation (三员分立) lives here too: the system administrator runs the business
set-up (units, plans, periods), the security administrator alone manages accounts and rights, the
audit administrator alone reads the audit log; `GRANTS` says which roles each may hand out, and no
role may hand out its own or another administrator's role. `SYSTEM_ROLE` is the server console
(`duban` CLI, scheduled jobs): whoever runs it already owns the machine, so it holds every right.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from duban.ledger.errors import PermissionDenied

if TYPE_CHECKING:
    from duban.ledger.users import Actor

ROLE_NAMES = {
    "admin": "系统管理员",
    "supervisor": "督查",
    "leader": "领导",
    "unit_member": "单位用户",
    "security_admin": "安全管理员",
    "audit_admin": "审计管理员",
}
SYSTEM_ROLE = "system"
UNIT_BOUND = frozenset({"unit_member"})  # act only for their own unit
PRIVILEGED = frozenset({"admin", "security_admin", "audit_admin"})  # must change a given password first

_BUSINESS = frozenset({"admin", "supervisor", "leader", "unit_member"})
_OVERSEERS = frozenset({"admin", "supervisor", "leader"})  # every unit at once
_EDITORS = frozenset({"admin", "supervisor"})
_SUPERVISOR = frozenset({"supervisor"})
_UNIT = frozenset({"unit_member"})
_ADMIN = frozenset({"admin"})
_SECURITY = frozenset({"security_admin"})
_AUDIT = frozenset({"audit_admin"})


@dataclass(frozen=True)
class Right:
    label: str  # the verb phrase of the refusal: 无权<label>
    roles: frozenset[str]
    scope: str = ""  # "lead": the task's lead unit; "unit": any of the task's units; "own": obj.unit_id


RIGHTS: dict[str, Right] = {
    # business data (security and audit administrators see none of it)
    "task.read": Right("查看业务数据", _BUSINESS),
    "task.read_all": Right("查看各单位任务", _OVERSEERS),  # the others: their own unit's
    "overview": Right("查看督办总览", _OVERSEERS),
    "plan.read": Right("查看工作要点", _BUSINESS),
    "plan.import": Right("导入计划", _EDITORS),
    "plan.edit": Right("修改计划", _EDITORS),
    "decomposition.read": Right("查看任务分解", _OVERSEERS),
    "export": Right("导出", _OVERSEERS),
    "year.read": Right("查看年终考核", _OVERSEERS),
    "year.edit": Right("修改年终考核", _EDITORS),
    "indicator.edit": Right("修改指标库", _EDITORS),
    "reconcile.correct": Right("更正对照结果", _EDITORS),
    # reporting
    "period.read": Right("查看报送周期", _BUSINESS),
    "period.oversee": Right("查看报送情况", _OVERSEERS),
    "period.create": Right("设置报送周期", _EDITORS),
    "report.read_all": Right("查看各单位报送", _OVERSEERS),
    "report.read": Right("查看报送", _BUSINESS, scope="own"),
    "report.submit": Right("报送", _UNIT, scope="own"),
    "report.review": Right("审阅报送", _SUPERVISOR),  # the first reading ends the unit's edits
    # supervision: 催办 is the supervisor's (the service once also let admin and leader, the API not)
    "remind": Right("催办", _SUPERVISOR),
    "reminder.read": Right("查看提醒", _BUSINESS, scope="own"),
    "inbox": Right("查看本单位待办", _UNIT),
    "approve": Right("审批", _SUPERVISOR),
    "instruct": Right("批示", frozenset({"leader"})),  # 领导批示 on a task or a report
    # the task lifecycle (tasks.RULES says from which states)
    "task.assign": Right("交办", _EDITORS),
    "task.reassign": Right("改派", _EDITORS),
    "task.sign": Right("签收", _UNIT, scope="unit"),
    "task.start": Right("开始办理", _UNIT, scope="lead"),
    "task.request_closeout": Right("申请销号", _UNIT, scope="lead"),
    "task.close": Right("销号", _SUPERVISOR),
    "task.return": Right("退回", _SUPERVISOR),
    "task.resume": Right("重新办理", _UNIT, scope="lead"),
    "task.request_extension": Right("申请延期", _UNIT, scope="lead"),
    "task.approve_extension": Right("批准延期", _SUPERVISOR),
    "task.reject_extension": Right("驳回延期", _SUPERVISOR),
    "task.contest": Right("提出异议", _UNIT, scope="unit"),
    "task.accept_contest": Right("采纳异议", _SUPERVISOR),
    "task.reject_contest": Right("驳回异议", _SUPERVISOR),
    # system administration
    "unit.read": Right("查看单位", _BUSINESS | _SECURITY),
    "unit.manage": Right("管理单位", _ADMIN),
    "unit.from_plan": Right("按计划新建或对应单位", _EDITORS),  # on the decomposition page
    "delivery.retry": Right("重发推送", _ADMIN),
    # accounts and rights: the security administrator's alone
    "user.read": Right("查看用户", _SECURITY),
    "user.create": Right("新建用户", _SECURITY),
    "user.unlock": Right("解除锁定", _SECURITY),
    "user.disable": Right("停用或启用账户", _SECURITY),
    "user.password_reset": Right("重置密码", _SECURITY),
    # audit: the audit administrator's alone
    "audit.read": Right("查看审计日志", _AUDIT),
}

# Which roles each role may give to an account (create a user with it). The administrators' roles
# are given only on the server console (`duban user add`, `duban init-admin`).
GRANTS: dict[str, frozenset[str]] = {
    "security_admin": frozenset({"supervisor", "leader", "unit_member"}),
    SYSTEM_ROLE: frozenset(ROLE_NAMES),
}

_SCOPE_REFUSAL = {
    "lead": "只有该任务的牵头单位可以操作",
    "unit": "只有该任务的承办单位可以操作",
    "own": "只能操作本单位的数据",
}


def _right(name: str) -> Right:
    try:
        return RIGHTS[name]
    except KeyError:
        raise KeyError(f"unknown right: {name}") from None


def roles_with(name: str) -> frozenset[str]:
    """The roles that hold a right (without its scope)."""
    return _right(name).roles


def _in_scope(actor: Actor, scope: str, obj: Any) -> bool:
    if not scope or obj is None:
        return True
    if scope == "own":
        unit_id = obj if isinstance(obj, int) else getattr(obj, "unit_id", None)
        return actor.role not in UNIT_BOUND or (actor.unit_id is not None and actor.unit_id == unit_id)
    ids = {u.unit_id for u in obj.units if scope == "unit" or u.role == "lead"}
    return actor.unit_id is not None and actor.unit_id in ids


def refusal(actor: Actor, name: str, obj: Any = None) -> str | None:
    """Why the actor may not exercise the right (on `obj`, when the right has a scope); None if it may."""
    right = _right(name)
    if actor.role == SYSTEM_ROLE:
        return None
    if actor.role not in right.roles:
        roles = "或".join(ROLE_NAMES[r] for r in ROLE_NAMES if r in right.roles)
        return f"无权{right.label}：需要{roles}角色"
    if not _in_scope(actor, right.scope, obj):
        return f"无权{right.label}：{_SCOPE_REFUSAL[right.scope]}"
    return None


def can(actor: Actor | None, name: str, obj: Any = None) -> bool:
    """Whether the actor holds the right (on `obj`)."""
    return actor is not None and refusal(actor, name, obj) is None


def require(actor: Actor, name: str, obj: Any = None) -> None:
    """Raise PermissionDenied with the Chinese reason unless the actor holds the right."""
    reason = refusal(actor, name, obj)
    if reason:
        raise PermissionDenied(reason)


def require_grant(actor: Actor, role: str) -> None:
    """Refuse to give a role the actor does not manage (三员分立: never its own, never an administrator's)."""
    if role not in GRANTS.get(actor.role, frozenset()):
        name = ROLE_NAMES.get(role, role)
        raise PermissionDenied(f"无权授予{name}角色：该角色只能在服务器上用命令行创建")
