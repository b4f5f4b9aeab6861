"""Tamper-evident, append-only audit log.

Each record's hash covers its own fields and the hash of the record before it; the single
`audit_head` row holds the last sequence number and hash. Writers take turns (uow.py), so the
chain stays linear under concurrent transactions, and deleting the newest record is also
detected. Records are written in the caller's transaction: the change and its audit record
succeed or fail together.

A chain alone cannot tell an emptied or cut-short log, or one re-hashed from the first record on,
from a genuine one: whoever can write the database can recompute every hash. So every commit that
wrote audit records also appends "<seq> <hash>" of its last record to the anchor, a file outside
the database (anchor.py); `verify` checks that each anchored record is still there with the same
hash, so a log shorter than its anchor, or rewritten, fails.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from duban.ledger import anchor
from duban.ledger.db import utcnow
from duban.ledger.models import AuditHead, AuditRecord

GENESIS = "0" * 64


@event.listens_for(AuditRecord, "before_update")
@event.listens_for(AuditRecord, "before_delete")
def _append_only(_mapper, _conn, target: AuditRecord) -> None:  # noqa: ANN001
    raise PermissionError(f"审计记录只能追加，不能修改或删除（序号 {target.seq}）")


def canonical(obj: Any) -> str:
    """Stable JSON text: sorted keys, no ASCII escaping, dates as ISO strings."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, default=str, separators=(",", ":"))


def _digest(r: AuditRecord) -> str:
    payload = [
        r.seq,
        r.at.isoformat(timespec="microseconds"),
        r.actor,
        r.action,
        r.entity,
        r.entity_id,
        r.before,
        r.after,
        r.prev_hash,
    ]
    return hashlib.sha256(canonical(payload).encode("utf-8")).hexdigest()


def _head(session: Session) -> AuditHead:
    head = session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one_or_none()
    if head is None:
        head = AuditHead(id=1, seq=0, hash=GENESIS)
        session.add(head)
        session.flush()
    return head


def lock(session: Session) -> None:
    """Serialize with every other writer for the rest of the transaction.

    A no-op UPDATE of the audit head: a row lock on PostgreSQL, the write lock on SQLite.
    """
    _head(session)
    session.execute(
        update(AuditHead).where(AuditHead.id == 1).values(seq=AuditHead.seq),
        execution_options={"synchronize_session": False},
    )


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: Any,
    before: Any = None,
    after: Any = None,
    at: datetime | None = None,
) -> AuditRecord:
    """Append one record to the chain (flushed, not committed)."""
    head = _head(session)
    rec = AuditRecord(
        seq=head.seq + 1,
        at=(at or utcnow()).replace(tzinfo=None),
        actor=actor,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        before=canonical(before),
        after=canonical(after),
        prev_hash=head.hash,
    )
    rec.hash = _digest(rec)
    head.seq = rec.seq
    head.hash = rec.hash
    session.add(rec)
    session.flush()
    session.info[anchor.PENDING] = (rec.seq, rec.hash)  # anchored once committed
    return rec


@dataclass
class VerifyResult:
    count: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(session: Session) -> VerifyResult:
    """Walk the chain and compare it with its anchor; report changed, deleted, inserted or
    missing records in Chinese."""
    result = VerifyResult()
    hashes: dict[int, str] = {}
    prev_hash, prev_seq = GENESIS, 0
    fresh = {"populate_existing": True}  # read what is stored now, not what this session cached
    for rec in session.execute(
        select(AuditRecord).order_by(AuditRecord.seq), execution_options=fresh
    ).scalars():
        result.count += 1
        hashes[rec.seq] = rec.hash
        if rec.seq != prev_seq + 1:
            result.problems.append(f"审计记录缺失：序号 {prev_seq + 1} 至 {rec.seq - 1} 不存在")
        if rec.prev_hash != prev_hash:
            result.problems.append(f"审计记录 {rec.seq} 与前一条记录的链接不符（前一条被修改或删除）")
        if _digest(rec) != rec.hash:
            result.problems.append(f"审计记录 {rec.seq} 的内容被修改")
        prev_hash, prev_seq = rec.hash, rec.seq
    head = session.get(AuditHead, 1, populate_existing=True)
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    if head_seq != prev_seq or head_hash != prev_hash:
        result.problems.append(f"审计链尾部不符：应有 {head_seq} 条记录，实际最后一条为 {prev_seq}")
    result.problems += anchor.check(session.get_bind(), hashes)
    return result


def history(session: Session, *, entity: str, entity_id: Any) -> list[AuditRecord]:
    """Audit records of one entity, oldest first."""
    stmt = (
        select(AuditRecord)
        .where(AuditRecord.entity == entity, AuditRecord.entity_id == str(entity_id))
        .order_by(AuditRecord.seq)
    )
    return list(session.execute(stmt).scalars())
