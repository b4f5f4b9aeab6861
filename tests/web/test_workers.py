"""`duban serve --workers 2`: one scheduler ticks, each reminder is e-mailed once, sessions and CSRF
hold whichever worker answers. A real server process on loopback, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import mailbox
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from duban.ledger import plans, tasks
from duban.ledger.clock import local_date
from duban.ledger.db import utcnow
from duban.ledger.models import Reminder, Task
from duban.ledger.users import SYSTEM, Actor, create_unit, create_user
from tests.conftest import _free_port, small_plan
from tests.ledger.test_reminders import smtp_server  # noqa: F401  (fixture)
from tests.web.conftest import PASSWORD

SRC = Path(__file__).parents[2] / "src"


def _call(port: int, method: str, path: str, *, token: str = "", csrf: str = "", body: dict | None = None):
    """One request on a new connection (so the kernel may hand it to either worker): (status, json)."""
    headers = {"Connection": "close"}
    if token:
        headers["Cookie"] = f"duban_session={token}"
    if csrf:
        headers["X-CSRF-Token"] = csrf
    data = None
    if body is not None:
        data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, None


def test_two_workers_one_ticker_one_mail_shared_sessions(Session, backend_url, smtp_server, tmp_path):  # noqa: F811, N803
    smtp_port, maildir = smtp_server
    to_unit = lambda: sum(m["To"] == "jichu@example.org" for m in mailbox.Maildir(maildir))  # noqa: E731
    before = to_unit()
    with Session() as s:
        unit = create_unit(s, actor=SYSTEM, name="基础教育科", email="jichu@example.org")
        create_user(s, actor=SYSTEM, username="member", password=PASSWORD, role="unit_member", unit=unit.name)
        plans.import_plan(s, plan=small_plan(), content=b"v1", name="plan.txt")
        task_id = s.execute(select(Task.id).where(Task.path == "一/1")).scalar_one()
        due = local_date(utcnow()) + timedelta(days=3)  # the ladder's 3-day rung is due today
        tasks.assign(s, actor=Actor("sup", "supervisor"), task_id=task_id, lead_unit_id=unit.id, due_date=due)
    config = tmp_path / "duban.toml"
    config.write_text(
        f'[web]\ntick_interval_minutes = 0.01\n[smtp]\nhost = "127.0.0.1"\nport = {smtp_port}\n',
        encoding="utf-8",
    )
    port = _free_port()
    env = {
        **os.environ,
        "DUBAN_DATABASE_URL": backend_url,
        "DUBAN_CONFIG": str(config),
        "DUBAN_DATA_DIR": str(tmp_path),
        "PYTHONPATH": str(SRC),
    }
    log = tmp_path / "serve.log"
    cmd = [sys.executable, "-m", "duban", "serve", "--port", str(port), "--workers", "2"]
    proc = subprocess.Popen(cmd, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    try:
        for _ in range(300):
            if len(re.findall(r"tick \(pid (\d+)\)", log.read_text(errors="replace"))) >= 6:
                break
            assert proc.poll() is None, log.read_text(errors="replace")
            time.sleep(0.2)
        status, me = _call(
            port, "POST", "/api/v1/auth/login", body={"username": "member", "password": PASSWORD}
        )
        assert status == 200
        token, csrf = me["token"], me["csrf_token"]
        reminder_id = _call(port, "GET", "/api/v1/inbox", token=token)[1]["reminders"][0]["id"]
        for _ in range(12):  # new connections: both workers answer, from the one session in the database
            assert _call(port, "GET", "/api/v1/auth/me", token=token)[0] == 200
            read = f"/api/v1/reminders/{reminder_id}/read"
            assert _call(port, "POST", read, token=token, csrf=csrf, body={})[0] == 200
            assert _call(port, "POST", read, token=token, body={})[0] == 403  # no CSRF token: refused
        text = log.read_text(errors="replace")  # before shutdown, when the other worker may take over
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    workers = set(re.findall(r"Started server process \[(\d+)\]", text))
    tickers = re.findall(r"tick \(pid (\d+)\)", text)
    assert len(workers) == 2, text
    assert len(tickers) >= 6 and len(set(tickers)) == 1 and set(tickers) <= workers, text
    with Session() as s:
        assert s.execute(select(func.count()).select_from(Reminder)).scalar_one() == 1
    assert to_unit() - before == 1  # the one reminder, e-mailed once
