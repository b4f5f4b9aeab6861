"""Backup and restore.

- SQLite to a file: the online backup API (a consistent copy while the app runs).
- Any backend to `.json`: every table dumped as rows (portable between SQLite and PostgreSQL).
Restore replaces the whole content in one transaction and then upgrades to the newest
migration; a backup file is written to a temporary name and renamed, so nothing is half-written.
"""

from __future__ import annotations

import base64
import json
import os
import sqlite3
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Integer, LargeBinary, create_engine, insert, select, text, update
from sqlalchemy.types import Date, DateTime

from duban.ledger import db
from duban.ledger.errors import LedgerError
from duban.ledger.models import Base

FORMAT = "duban-backup"
SQLITE_MAGIC = b"SQLite format 3\x00"


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return {"b64": base64.b64encode(bytes(value)).decode("ascii")}
    return value


def _decode(column, value: Any) -> Any:  # noqa: ANN001
    if value is None:
        return None
    if isinstance(column.type, LargeBinary):
        return base64.b64decode(value["b64"])
    if isinstance(column.type, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return date.fromisoformat(value)
    return value


def dump_tables(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Every ledger table as a list of rows ordered by primary key."""
    out: dict[str, list[dict[str, Any]]] = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).mappings()
            out[table.name] = [{k: _encode(v) for k, v in row.items()} for row in rows]
    return out


def backup(engine: Engine, path: str | Path) -> Path:
    """Write a backup to PATH (SQLite file copy, or JSON when PATH ends with .json or the DB is not SQLite)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    tmp.unlink(missing_ok=True)
    try:
        if engine.dialect.name == "sqlite" and path.suffix.lower() != ".json":
            raw = engine.raw_connection()
            try:
                dest = sqlite3.connect(tmp)
                with dest:
                    raw.driver_connection.backup(dest)
                dest.close()
            finally:
                raw.close()
        else:
            data = {"format": FORMAT, "revision": db.current_revision(engine), "tables": dump_tables(engine)}
            with open(tmp, "w", encoding="utf-8") as fh:
                json.dump(data, fh, ensure_ascii=False)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _load(path: Path) -> tuple[dict[str, list[dict[str, Any]]], bool]:
    """(tables, is_sqlite_file)"""
    head = path.read_bytes()[:16]
    if head == SQLITE_MAGIC:
        src = create_engine(f"sqlite:///{path}")
        try:
            return dump_tables(src), True
        finally:
            src.dispose()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LedgerError(f"不是有效的备份文件：{path.name}") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise LedgerError(f"不是有效的备份文件：{path.name}")
    return data["tables"], False


def restore(engine: Engine, path: str | Path, *, actor: str = "system") -> dict[str, int]:
    """Replace the database content with a backup; returns row counts per table.

    The restored audit chain gets a new anchor (the old one is kept), and the restore itself is
    the first record after it."""
    counts = _restore(engine, Path(path))
    _audit_restore(engine, Path(path), actor, counts)
    return counts


def _audit_restore(engine: Engine, path: Path, actor: str, counts: dict[str, int]) -> None:
    from sqlalchemy.orm import Session

    from duban.ledger import anchor, audit
    from duban.ledger.models import AuditHead
    from duban.ledger.uow import use_case

    with Session(engine) as s:
        head = s.get(AuditHead, 1)
        anchor.restart(engine, head.seq if head else 0, head.hash if head else "")
        with use_case(s):
            audit.record(
                s,
                actor=actor,
                action="system.restore",
                entity="system",
                entity_id="restore",
                after={"file": path.name, "sha256": _sha256(path), "rows": counts},
            )


def _sha256(path: Path) -> str:
    import hashlib

    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _restore(engine: Engine, path: Path) -> dict[str, int]:
    if not path.exists():
        raise LedgerError(f"备份文件不存在：{path}")
    db.upgrade(engine)
    if engine.dialect.name == "sqlite" and path.read_bytes()[:16] == SQLITE_MAGIC:
        src = sqlite3.connect(path)
        raw = engine.raw_connection()
        try:
            src.backup(raw.driver_connection)
        finally:
            raw.close()
            src.close()
        engine.dispose()
        db.upgrade(engine)
        with engine.connect() as conn:
            return {
                t.name: conn.execute(select(text("count(*)")).select_from(t)).scalar_one()
                for t in Base.metadata.sorted_tables
            }
    tables, _ = _load(path)
    counts: dict[str, int] = {}
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
        for table in Base.metadata.sorted_tables:
            rows = [
                {c.name: _decode(c, row.get(c.name)) for c in table.columns}
                for row in tables.get(table.name, [])
            ]
            counts[table.name] = len(rows)
            if not rows:
                continue
            selfref = [
                fk.parent.name for fk in table.foreign_keys if fk.column.table is table
            ]  # parent_id, reviews_plan_id
            first = [{**r, **dict.fromkeys(selfref)} for r in rows] if selfref else rows
            for i in range(0, len(first), 1000):
                conn.execute(insert(table), first[i : i + 1000])
            if selfref:
                pk = next(iter(table.primary_key.columns))
                for r in rows:
                    vals = {k: r[k] for k in selfref if r[k] is not None}
                    if vals:
                        conn.execute(update(table).where(pk == r[pk.name]).values(**vals))
        if conn.dialect.name == "postgresql":
            for table in Base.metadata.sorted_tables:
                pk = list(table.primary_key.columns)
                if len(pk) == 1 and isinstance(pk[0].type, Integer) and pk[0].autoincrement in (True, "auto"):
                    conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', '{pk[0].name}'), "
                            f"COALESCE((SELECT MAX({pk[0].name}) FROM {table.name}), 0) + 1, false)"
                        )
                    )
    return counts
