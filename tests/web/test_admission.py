"""The admission gate: never more requests inside the app than the pool lends connections, so a
crowd larger than the pool waits at the door instead of locking the server up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import anyio
import pytest

from duban.ledger import plans
from duban.ledger.db import ADMITTED, POOL, THREADS
from duban.ledger.users import SYSTEM, create_user
from duban.web.admission import Admission
from tests.conftest import _free_port, small_plan
from tests.web.conftest import PASSWORD

SRC = Path(__file__).parents[2] / "src"


def test_admitted_requests_fit_the_pool():
    assert POOL["pool_size"] >= ADMITTED  # each admitted request holds at most one connection
    assert ADMITTED >= THREADS  # the threads are never starved by the gate itself


def test_gate_admits_at_most_limit_and_lets_static_pass():
    inside = peak = 0

    async def app(scope, receive, send):  # noqa: ANN001
        nonlocal inside, peak
        inside += 1
        peak = max(peak, inside)
        await anyio.sleep(0.01)
        inside -= 1

    gate = Admission(app, limit=3)

    async def crowd(path: str) -> None:
        async with anyio.create_task_group() as tg:
            for _ in range(20):
                tg.start_soon(gate, {"type": "http", "path": path}, None, None)

    anyio.run(crowd, "/api/v1/tasks")
    assert peak == 3
    peak = 0
    anyio.run(crowd, "/static/app.css")
    assert peak == 20


def _get(port: int, path: str, token: str) -> int:
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Cookie": f"duban_session={token}"}
    )
    try:
        with urllib.request.urlopen(
            req, timeout=25
        ) as r:  # under the pool's 30 s wait: a stuck request fails
            r.read()
            return r.status
    except OSError as exc:
        return getattr(exc, "code", 0)


@pytest.mark.parametrize("path", ["/dashboard", "/api/v1/tasks"])
def test_a_crowd_larger_than_the_pool_is_answered_by_one_worker(Session, backend_url, tmp_path, path):  # noqa: N803
    with Session() as s:
        create_user(s, actor=SYSTEM, username="crowd_sup", password=PASSWORD, role="supervisor")
        plans.import_plan(s, plan=small_plan(), content=b"crowd", name="crowd.txt")
    port = _free_port()
    env = {
        **os.environ,
        "DUBAN_DATABASE_URL": backend_url,
        "DUBAN_DATA_DIR": str(tmp_path),
        "PYTHONPATH": str(SRC),
    }
    log = tmp_path / "serve.log"
    cmd = [sys.executable, "-m", "duban", "serve", "--port", str(port), "--workers", "1"]
    proc = subprocess.Popen(cmd, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    try:
        body = json.dumps({"username": "crowd_sup", "password": PASSWORD}).encode()
        for _ in range(300):
            assert proc.poll() is None, log.read_text(errors="replace")
            try:
                req = urllib.request.Request(
                    f"http://127.0.0.1:{port}/api/v1/auth/login",
                    data=body,
                    headers={"Content-Type": "application/json"},
                )
                with urllib.request.urlopen(req, timeout=10) as r:
                    token = json.loads(r.read())["token"]
                break
            except OSError:
                time.sleep(0.2)
        n = 3 * POOL["pool_size"]  # more requests at once than connections and threads together
        with ThreadPoolExecutor(n) as pool:
            statuses = list(pool.map(lambda _: _get(port, path, token), range(2 * n)))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert statuses == [200] * (2 * n), log.read_text(errors="replace")[-3000:]
