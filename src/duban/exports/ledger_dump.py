"""The whole ledger for other systems: a zip of one CSV per table, or one JSON document.

CSV files are UTF-8 with a BOM so that Excel opens the Chinese text correctly. Secrets are
left out: password hashes, the login sessions' token and CSRF hashes, and file contents
(blobs keep their hash and size). Unlike a backup this is not meant to be restored.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger.db import utcnow
from duban.ledger.models import Base

FORMAT = "duban-ledger-export"
# table -> columns never exported
SECRET_COLUMNS: dict[str, frozenset[str]] = {
    "users": frozenset({"password_hash"}),
    "login_sessions": frozenset({"token_hash", "csrf_token"}),
    "blobs": frozenset({"content"}),
}


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return None  # binary content is never exported
    return value


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(_json_value(value))


def ledger_tables(session: Session) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    """Each table's exported columns and rows (by primary key), as the session sees them."""
    out = {}
    for table in Base.metadata.sorted_tables:
        hidden = SECRET_COLUMNS.get(table.name, frozenset())
        cols = [c for c in table.columns if c.name not in hidden]
        rows = session.execute(select(*cols).order_by(*table.primary_key.columns)).all()
        out[table.name] = ([c.name for c in cols], [tuple(r) for r in rows])
    return out


def ledger_json(session: Session, *, now: datetime | None = None) -> bytes:
    """The ledger as one JSON document: {"format", "exported_at", "tables": {name: [row, ...]}}."""
    tables = {
        name: [{c: _json_value(v) for c, v in zip(cols, row, strict=True)} for row in rows]
        for name, (cols, rows) in ledger_tables(session).items()
    }
    doc = {"format": FORMAT, "exported_at": (now or utcnow()).isoformat(), "tables": tables}
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def ledger_csv_zip(session: Session) -> bytes:
    """The ledger as a zip holding <table>.csv per table (UTF-8 with BOM, header row first)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, (cols, rows) in ledger_tables(session).items():
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\r\n")
            writer.writerow(cols)
            writer.writerows([_csv_value(v) for v in row] for row in rows)
            zf.writestr(f"{name}.csv", "\ufeff" + text.getvalue())
    return buf.getvalue()


def ledger_filename(ext: str, *, now: datetime | None = None) -> str:
    return f"督办台账_{(now or utcnow()):%Y%m%d}.{'zip' if ext == 'csv' else ext}"
