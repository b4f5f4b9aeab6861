"""Import drafts: an uploaded plan file, parsed, reviewed and corrected by a person, then imported.

- Upload: the file is read (`duban.documents`) and parsed (`duban.plan.parser`) before anything
  is written; a file that cannot be read stores nothing. The content is kept once in `blobs`; the
  draft holds the Plan JSON plus the cleaned source text (key "text") the review page shows.
- The same file again: while a draft of it is open, that draft is returned (corrections go on
  where they were); once the file is imported, the upload is refused with `AlreadyImported`,
  which names the plans it became (`import_plan` dedups by sha256, so a second import would be
  a silent no-op). A changed file is a new file: it imports as a revision of its plans.
- Each edit is one `duban.plan.edit` operation, applied with the draft's version (optimistic
  lock) and an audit record whose `before` keeps the previous documents: that is the undo stack.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from duban.ledger import audit
from duban.ledger.clock import to_local
from duban.ledger.db import utcnow
from duban.ledger.errors import (
    ConflictError,
    NotFoundError,
    PermissionDenied,
    TransitionError,
    ValidationError,
)
from duban.ledger.models import AuditRecord, Blob, ImportDraft, Plan, PlanRevision, SourceFile
from duban.ledger.plans import ImportResult, import_plan, plan_from_dict
from duban.ledger.uow import use_case
from duban.ledger.users import ROLE_NAMES, Actor
from duban.plan import model as pm
from duban.plan.boundary import read_and_parse
from duban.plan.edit import OP_NAMES, EditError, Scope, apply_edit
from duban.plan.worker import ParseLimits, read_and_parse_isolated

EDITORS = ("admin", "supervisor")
STATUS_NAMES = {"draft": "待审核", "imported": "已导入", "discarded": "已放弃"}
ENTITY = "import_draft"
EXTRA_KEYS = ("text", "format", "encoding", "warnings")  # kept beside the Plan JSON in `plan`


class AlreadyImported(ConflictError):
    """The file's content was imported before; `plans` are (id, title) of what it became."""

    def __init__(self, message: str, plans: list[tuple[int, str]]) -> None:
        super().__init__(message)
        self.plans = plans


@dataclass
class Upload:
    draft: ImportDraft
    reused: bool = False  # an open draft of the same content already existed
    warnings: list[str] = field(default_factory=list)


def _require_editor(actor: Actor) -> None:
    if actor.role not in EDITORS:
        raise PermissionDenied(f"无权操作：需要{'或'.join(ROLE_NAMES[r] for r in EDITORS)}角色")


def _plans_of_source(session: Session, sha256: str) -> list[Plan]:
    """The plans a file with this content created or revised."""
    src = session.execute(select(SourceFile).where(SourceFile.sha256 == sha256)).scalar_one_or_none()
    if src is None:
        return []
    revised = select(PlanRevision.plan_id).where(PlanRevision.source_file_id == src.id)
    return list(
        session.execute(
            select(Plan).where(or_(Plan.source_file_id == src.id, Plan.id.in_(revised))).order_by(Plan.id)
        ).scalars()
    )


def _already_imported(session: Session, sha256: str, name: str) -> AlreadyImported | None:
    src = session.execute(select(SourceFile).where(SourceFile.sha256 == sha256)).scalar_one_or_none()
    if src is None:
        return None
    plans = [(p.id, p.title) for p in _plans_of_source(session, sha256)]
    titles = "、".join(f"《{t}》" for _, t in plans) or "（无）"
    when = to_local(src.imported_at).strftime("%Y-%m-%d %H:%M")
    return AlreadyImported(
        f"该文件（{name}）已于 {when} 由 {src.imported_by} 导入为 {titles}，无需重复导入；"
        "如需更正，请修改原文件后重新上传（将作为新修订导入）",
        plans,
    )


def create_draft(
    session: Session,
    *,
    actor: Actor,
    content: bytes,
    name: str,
    max_bytes: int | None = None,
    limits: ParseLimits | None = None,
) -> Upload:
    """Read and parse an uploaded file into a draft; DocumentError (nothing stored) when unreadable.

    With `limits` (the web's uploads) the parse runs in a worker process within them; without, here.
    """
    _require_editor(actor)
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:500] or "未命名文件"
    if max_bytes is not None and len(content) > max_bytes:
        raise ValidationError(
            f"文件过大（{len(content) / 1048576:.1f} MB），上限为 {max_bytes // 1048576} MB"
        )
    sha = hashlib.sha256(content).hexdigest()
    refused = _already_imported(session, sha, name)
    if refused:
        session.rollback()
        raise refused
    open_draft = session.execute(
        select(ImportDraft)
        .where(ImportDraft.sha256 == sha, ImportDraft.status == "draft")
        .order_by(ImportDraft.id)
    ).scalar_one_or_none()
    if open_draft is not None:
        session.rollback()
        return Upload(open_draft, reused=True, warnings=list(open_draft.plan.get("warnings", [])))
    session.rollback()  # release the read transaction before the slow part
    # behind the parse error boundary: any failure is a DocumentError with a Chinese user_message
    if limits is not None:
        source, plan = read_and_parse_isolated(content, name, limits)
    else:
        source, plan = read_and_parse(content, name)
    if not any(d.items for d in plan.documents):  # text without an outline: one document, no tasks
        raise ValidationError(f"未在文件中识别出带编号的工作任务（如“一、”“（一）”“1.”），无法导入：{name}")
    data = plan.to_dict()
    data.update(
        text=source.text, format=source.format, encoding=source.encoding, warnings=list(source.warnings)
    )
    with use_case(session):
        if session.get(Blob, sha) is None:
            session.add(Blob(sha256=sha, size=len(content), content=content))
            session.flush()
        draft = ImportDraft(name=name, sha256=sha, plan=data, status="draft", created_by=actor.name)
        session.add(draft)
        session.flush()
        audit.record(
            session,
            actor=actor.name,
            action=f"{ENTITY}.create",
            entity=ENTITY,
            entity_id=draft.id,
            after={
                "name": name,
                "sha256": sha,
                "documents": [d.title for d in plan.documents],
                "items": sum(len(d.items) for d in plan.documents),
            },
        )
    return Upload(draft, warnings=list(source.warnings))


def get_draft(session: Session, *, actor: Actor, draft_id: int) -> ImportDraft:
    """A draft by id (any status)."""
    _require_editor(actor)
    draft = session.get(ImportDraft, draft_id)
    if draft is None:
        raise NotFoundError(f"导入草稿不存在：{draft_id}")
    return draft


def list_drafts(
    session: Session, *, actor: Actor, status: str | None = None, page: int = 1, per_page: int = 50
) -> tuple[list[ImportDraft], int]:
    """Drafts, newest first: (rows of the page, total)."""
    _require_editor(actor)
    if status is not None and status not in STATUS_NAMES:
        raise ValidationError(f"状态无效：{status}（可选：{'、'.join(STATUS_NAMES)}）")
    query = select(ImportDraft)
    count = select(func.count()).select_from(ImportDraft)
    if status:
        query, count = query.where(ImportDraft.status == status), count.where(ImportDraft.status == status)
    total = session.execute(count).scalar_one()
    rows = session.execute(
        query.order_by(ImportDraft.updated_at.desc(), ImportDraft.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).scalars()
    return list(rows), total


def draft_plan(draft: ImportDraft) -> pm.Plan:
    """The draft's Plan as corrected so far."""
    return plan_from_dict(draft.plan)


def draft_text(draft: ImportDraft) -> str:
    """The cleaned source text the draft was parsed from."""
    return str(draft.plan.get("text", ""))


def draft_plans(session: Session, draft: ImportDraft) -> list[Plan]:
    """The plans an imported draft became."""
    return _plans_of_source(session, draft.sha256) if draft.status == "imported" else []


def _open_for_change(session: Session, actor: Actor, draft_id: int, version: int | None) -> ImportDraft:
    draft = get_draft(session, actor=actor, draft_id=draft_id)
    if draft.status != "draft":
        raise TransitionError(f"该草稿{STATUS_NAMES.get(draft.status, draft.status)}，不能再修改")
    if version is not None and version != draft.version:
        raise ConflictError(
            f"草稿已被修改（当前第 {draft.version} 版，页面上是第 {version} 版），请刷新页面后重试"
        )
    return draft


def _store(draft: ImportDraft, plan: pm.Plan) -> None:
    data = plan.to_dict()
    data.update({k: draft.plan[k] for k in EXTRA_KEYS if k in draft.plan})
    draft.plan = data  # a new object, so the JSON column is seen as changed
    draft.updated_at = utcnow()


def edit_draft(
    session: Session, *, actor: Actor, draft_id: int, op: dict[str, Any], version: int | None = None
) -> tuple[ImportDraft, Scope]:
    """Apply one correction (a `duban.plan.edit` operation) to an open draft."""
    _require_editor(actor)
    with use_case(session):
        draft = _open_for_change(session, actor, draft_id, version)
        before = draft.plan.get("documents", [])
        try:
            plan, scope = apply_edit(draft_plan(draft), op)
        except EditError as exc:
            raise ValidationError(str(exc)) from None
        _store(draft, plan)
        audit.record(
            session,
            actor=actor.name,
            action=f"{ENTITY}.edit",
            entity=ENTITY,
            entity_id=draft.id,
            before={"version": draft.version, "documents": before},
            after={"op": op, "name": OP_NAMES[op["op"]]},
        )
        session.flush()
    return draft, scope


def _undo_stack(session: Session, draft_id: int) -> list[int]:
    """Sequence numbers of the edits still in effect (each undo takes back the latest one)."""
    rows = session.execute(
        select(AuditRecord.seq, AuditRecord.action)
        .where(
            AuditRecord.entity == ENTITY,
            AuditRecord.entity_id == str(draft_id),
            AuditRecord.action.in_((f"{ENTITY}.edit", f"{ENTITY}.undo")),
        )
        .order_by(AuditRecord.seq)
    ).all()
    stack: list[int] = []
    for seq, action in rows:
        if action.endswith(".edit"):
            stack.append(seq)
        elif stack:
            stack.pop()
    return stack


def undo_count(session: Session, draft: ImportDraft) -> int:
    """How many edits can be undone."""
    return len(_undo_stack(session, draft.id)) if draft.status == "draft" else 0


def last_edit_name(session: Session, draft: ImportDraft) -> str:
    """The Chinese name of the edit an undo would take back ("" when none)."""
    stack = _undo_stack(session, draft.id)
    if not stack:
        return ""
    after = session.execute(select(AuditRecord.after).where(AuditRecord.seq == stack[-1])).scalar_one()
    return str(json.loads(after).get("name", ""))


def undo_edit(session: Session, *, actor: Actor, draft_id: int, version: int | None = None) -> ImportDraft:
    """Take back the latest edit still in effect."""
    _require_editor(actor)
    with use_case(session):
        draft = _open_for_change(session, actor, draft_id, version)
        stack = _undo_stack(session, draft.id)
        if not stack:
            raise ValidationError("没有可撤销的修改")
        rec = session.execute(select(AuditRecord).where(AuditRecord.seq == stack[-1])).scalar_one()
        previous = json.loads(rec.before)["documents"]
        restored = plan_from_dict({"source": draft.plan.get("source", ""), "documents": previous})
        _store(draft, restored)
        audit.record(
            session,
            actor=actor.name,
            action=f"{ENTITY}.undo",
            entity=ENTITY,
            entity_id=draft.id,
            after={"undid": rec.seq, "name": json.loads(rec.after).get("name", "")},
        )
        session.flush()
    return draft


def discard_draft(
    session: Session, *, actor: Actor, draft_id: int, version: int | None = None
) -> ImportDraft:
    """Give up a draft (kept, with its file, for the record)."""
    _require_editor(actor)
    with use_case(session):
        draft = _open_for_change(session, actor, draft_id, version)
        draft.status = "discarded"
        draft.updated_at = utcnow()
        audit.record(
            session, actor=actor.name, action=f"{ENTITY}.discard", entity=ENTITY, entity_id=draft.id, after={}
        )
        session.flush()
    return draft


def _check_importable(plan: pm.Plan) -> None:
    if not plan.documents:
        raise ValidationError("草稿中没有文档，无法导入")
    for doc in plan.documents:
        if not doc.title.strip():
            raise ValidationError("有文档缺少标题，请先填写标题")
        if not doc.items:
            raise ValidationError(f"《{doc.title}》没有任何条目，无法导入")


def import_draft(
    session: Session, *, actor: Actor, draft_id: int, version: int | None = None
) -> tuple[ImportDraft, ImportResult]:
    """Import the corrected plan with the original file's bytes; the draft becomes "imported".

    The draft's status, its audit record and the plans are committed together by `import_plan`.
    """
    _require_editor(actor)
    try:
        draft = _open_for_change(session, actor, draft_id, version)
        plan = draft_plan(draft)
        _check_importable(plan)
        audit.lock(session)  # serialize with other imports: the duplicate check below is then exact
        refused = _already_imported(session, draft.sha256, draft.name)
        if refused:
            raise refused
        draft.status = "imported"
        draft.updated_at = utcnow()
        audit.record(
            session,
            actor=actor.name,
            action=f"{ENTITY}.import",
            entity=ENTITY,
            entity_id=draft.id,
            after={"documents": [d.title for d in plan.documents]},
        )
        session.flush()
        content = session.get(Blob, draft.sha256).content
    except StaleDataError as exc:
        session.rollback()
        raise ConflictError("草稿已被他人修改，请刷新页面后重试") from exc
    except BaseException:
        session.rollback()
        raise
    result = import_plan(session, plan=plan, content=content, name=draft.name, actor=actor)
    return draft, result
