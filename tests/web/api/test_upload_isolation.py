"""An upload's parse never freezes the server: it runs in a worker within the configured limits.

Over real HTTP (uvicorn in a thread, one event loop, like `duban serve`): while a slow upload is
being parsed, another user's request answers at once; the upload then gets the timeout's
Chinese message, and nothing is stored.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import httpx
import uvicorn

from duban.ledger.config import Config, WebConfig
from duban.ledger.pgserver import free_port
from duban.web.app import create_app
from tests.plan.test_worker import dense_plan
from tests.web.conftest import PASSWORD, add_user


def _login(client: httpx.Client, username: str) -> None:
    r = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    client.headers["X-CSRF-Token"] = r.json()["csrf_token"]


def test_slow_upload_leaves_the_server_responsive_and_times_out_in_chinese(Session):  # noqa: N803
    add_user(Session, "sup", "supervisor")
    add_user(Session, "other", "supervisor")
    config = replace(Config(), web=WebConfig(parse_timeout_seconds=4))
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(session_factory=Session, config=config), port=free_port(), log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{server.config.port}"
    try:
        with httpx.Client(base_url=base, timeout=60) as up, httpx.Client(base_url=base, timeout=60) as other:
            _login(up, "sup")
            _login(other, "other")
            result: dict[str, httpx.Response] = {}
            content = dense_plan(60_000)  # parses for far longer than the 4 s limit
            sending = threading.Thread(
                target=lambda: result.update(
                    r=up.post("/api/v1/imports", files={"file": ("大文件.txt", content, "text/plain")})
                )
            )
            sending.start()
            time.sleep(1.5)  # the upload is being parsed now
            assert sending.is_alive()
            t = time.monotonic()
            me = other.get("/api/v1/auth/me")
            waited = time.monotonic() - t
            assert me.status_code == 200 and waited < 1.0, f"another request waited {waited:.1f} s"
            sending.join(30)
            r = result["r"]
            assert r.status_code == 422, r.text
            assert r.json()["error"]["message"].startswith("文件解析超时（超过 4 秒）")
            assert other.get("/api/v1/imports").json()["total"] == 0
    finally:
        server.should_exit = True
        thread.join(10)
