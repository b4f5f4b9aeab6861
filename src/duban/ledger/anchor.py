"""The audit anchor: an append-only file outside the database that remembers the chain's head.

After each commit that wrote audit records, "<seq> <hash>" of the last one is appended (one short
line: an atomic append, also from several processes). `check` then finds a log emptied, cut short
or re-hashed by someone who could write the database but not this file. Put the file where the
database's users cannot write (`DUBAN_AUDIT_ANCHOR`, e.g. a directory of its own with
`chattr +a`); by default it sits beside the SQLite file, or in the data directory for a server
database. A restore starts a new anchor (the old one is kept beside it) and is itself audited.
"""

from __future__ import annotations

import hashlib
import logging
import os
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from duban.ledger.db import data_dir

log = logging.getLogger("duban.audit")
PENDING = "duban.audit_anchor"  # session.info: (seq, hash) of the last record written, not yet anchored


def path_for(bind: Engine | Connection) -> Path | None:
    """Where the anchor of this database lives; None for an in-memory database."""
    env = os.environ.get("DUBAN_AUDIT_ANCHOR")
    if env:
        return Path(env)
    url = bind.engine.url
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            return None
        db = Path(url.database)
        return db.with_name(db.name + ".audit-anchor")
    ident = f"{url.get_backend_name()}://{url.host}:{url.port}/{url.database}"
    return data_dir() / f"audit-anchor-{hashlib.sha256(ident.encode()).hexdigest()[:16]}"


def append(bind: Engine | Connection, seq: int, digest: str) -> None:
    path = path_for(bind)
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, f"{seq} {digest}\n".encode("ascii"))
    finally:
        os.close(fd)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    pending = session.info.pop(PENDING, None)
    if pending is None:
        return
    try:
        append(session.get_bind(), *pending)
    except OSError:  # the change is committed: say loudly that its anchor is missing
        log.exception("audit anchor not written for record %s", pending[0])


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(PENDING, None)


def check(bind: Engine | Connection, hashes: dict[int, str]) -> list[str]:
    """Problems (Chinese) between the anchor and the chain's records `hashes` (seq -> hash)."""
    path = path_for(bind)
    if path is None:
        return []
    if not path.exists():
        if hashes:
            return [f"未找到审计锚定文件（{path}）：无法确认日志未被整体替换或截短"]
        return []
    problems: list[str] = []
    last = 0
    for n, line in enumerate(path.read_text(encoding="ascii", errors="replace").splitlines(), 1):
        parts = line.split()
        if len(parts) != 2 or not parts[0].isdigit():
            problems.append(f"审计锚定文件第 {n} 行无法识别")
            continue
        seq, digest = int(parts[0]), parts[1]
        last = max(last, seq)
        if seq not in hashes:
            problems.append(f"审计记录 {seq} 已被锚定，但日志中不存在（日志被清空、截短或替换）")
        elif hashes[seq] != digest:
            problems.append(f"审计记录 {seq} 与锚定的哈希不符（记录被改写后重新计算了哈希链）")
    if last > len(hashes):
        problems.insert(0, f"审计日志比锚定记录短：锚定至第 {last} 条，日志只有 {len(hashes)} 条")
    return problems[:20] + ([f"……另有 {len(problems) - 20} 处不符"] if len(problems) > 20 else [])


def restart(bind: Engine | Connection, seq: int, digest: str) -> Path | None:
    """After a restore: keep the old anchor beside the new one, which starts at the restored head."""
    path = path_for(bind)
    if path is None:
        return None
    if path.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        path.rename(path.with_name(f"{path.name}.before-restore-{stamp}"))
    if seq:
        append(bind, seq, digest)
    return path
