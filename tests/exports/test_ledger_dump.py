"""The whole ledger as a zip of CSV files (UTF-8 with BOM) and as JSON, without secrets."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import datetime

from duban.exports.ledger_dump import ledger_csv_zip, ledger_json
from duban.ledger.models import Base, LoginSession
from duban.ledger.users import Actor, create_user

SECRETS = ("token-hash-secret", "csrf-secret", "$argon2")


def _with_secrets(session, world) -> None:
    user = create_user(
        session,
        actor=Actor("sec1", "security_admin"),
        username="jj",
        password="Jiaoyu#2024",
        role="supervisor",
    )
    session.add(LoginSession(token_hash="token-hash-secret", user_id=user.id, csrf_token="csrf-secret"))
    session.commit()


def test_csv_zip(session, world):
    _with_secrets(session, world)
    with zipfile.ZipFile(io.BytesIO(ledger_csv_zip(session))) as zf:
        names = set(zf.namelist())
        assert names == {f"{t.name}.csv" for t in Base.metadata.sorted_tables}
        raw = zf.read("tasks.csv")
        assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
        tasks = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
        users = list(csv.DictReader(io.StringIO(zf.read("users.csv").decode("utf-8-sig"))))
        sessions = list(csv.DictReader(io.StringIO(zf.read("login_sessions.csv").decode("utf-8-sig"))))
        blobs = list(csv.DictReader(io.StringIO(zf.read("blobs.csv").decode("utf-8-sig"))))
        everything = b"".join(zf.read(n) for n in names)
    by_path = {t["path"]: t for t in tasks}
    assert by_path["一/1"]["title"] == "新建幼儿园10所" and by_path["一/1"]["status"] == "closed"
    assert json.loads(by_path["一/1"]["responsible"]) == ["基础教育科", "财务科"]
    assert by_path["一/2"]["due_date"] == "2024-06-30"
    assert "password_hash" not in users[0] and users[0]["username"] == "jj"
    assert "token_hash" not in sessions[0] and "csrf_token" not in sessions[0]
    assert "content" not in blobs[0] and blobs[0]["size"] == "4"
    for secret in SECRETS:
        assert secret.encode() not in everything


def test_json(session, world):
    _with_secrets(session, world)
    data = json.loads(ledger_json(session, now=datetime(2024, 7, 10)))
    assert data["format"] == "duban-ledger-export" and data["exported_at"] == "2024-07-10T00:00:00"
    tables = data["tables"]
    assert len(tables["tasks"]) == 5 and len(tables["report_values"]) == 4
    assert {r["name"] for r in tables["periods"]} == {"2024-03", "2024-06"}
    assert tables["tasks"][1]["fields"] == {} and tables["tasks"][1]["responsible"] == [
        "基础教育科",
        "财务科",
    ]
    assert "password_hash" not in tables["users"][0] and "content" not in tables["blobs"][0]
    text = json.dumps(data, ensure_ascii=False)
    for secret in SECRETS:
        assert secret not in text
