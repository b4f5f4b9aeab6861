"""Reminders pushed to a real HTTP receiver this test starts on 127.0.0.1: the generic signed webhook,
企业微信 and 钉钉 group robot formats; once per channel, a failure retried, a lasting one shown."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import urllib.parse
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from duban.ledger import notify, reminders
from duban.ledger.config import Config, NotifyConfig
from duban.ledger.models import Delivery
from duban.ledger.users import Actor
from tests.exports.conftest import build_world

NOW = datetime(2024, 7, 10, 9, 0)


class Receiver:
    """A small HTTP server: records every POST; answers the first `fail_first` per path with an error."""

    def __init__(self, fail_first: int = 0) -> None:
        self.fail_first = fail_first
        self.calls: list[tuple[str, dict[str, str], bytes]] = []
        self.seen: dict[str, int] = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                path = urllib.parse.urlsplit(self.path).path
                receiver.calls.append((self.path, dict(self.headers), body))
                n = receiver.seen[path] = receiver.seen.get(path, 0) + 1
                fail = n <= receiver.fail_first
                if path == "/hook":
                    self.send_response(500 if fail else 204)
                    self.end_headers()
                    return
                answer = {"errcode": 93000 if fail else 0, "errmsg": "invalid" if fail else "ok"}
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def ok_calls(self, path: str) -> list[tuple[str, dict[str, str], bytes]]:
        return [c for c in self.calls if urllib.parse.urlsplit(c[0]).path == path]


def _cfg(url: str, **kw) -> NotifyConfig:
    return NotifyConfig(
        webhook_url=f"{url}/hook",
        webhook_secret="s3cret",
        wecom_url=f"{url}/wecom?key=abc",
        dingtalk_url=f"{url}/dingtalk?access_token=tok",
        dingtalk_secret="SECdemo",
        timeout=5,
        **kw,
    )


@pytest.fixture
def reminder(session):
    w = build_world(session)
    return reminders.remind(
        session,
        actor=Actor("dc1", "supervisor"),
        task_id=w.tasks["一/2"],
        message="请于本周内报送入园率",
        now=NOW,
    )


def test_each_channel_once_with_a_retry_after_a_failure(session, reminder):
    with Receiver(fail_first=1) as rx:
        cfg = _cfg(rx.url)
        first = notify.deliver(session, cfg=cfg, now=NOW)
        assert (first.sent, first.retried, first.failed) == (0, 3, 0)
        again = notify.deliver(session, cfg=cfg, now=NOW + timedelta(seconds=30))
        assert again.sent == 0  # not yet due: the retry waits retry_minutes[0]
        second = notify.deliver(session, cfg=cfg, now=NOW + timedelta(minutes=2))
        assert (second.sent, second.retried) == (3, 0)
        assert notify.deliver(session, cfg=cfg, now=NOW + timedelta(hours=1)).sent == 0  # at most once
        assert rx.seen == {"/hook": 2, "/wecom": 2, "/dingtalk": 2}

        path, headers, body = rx.ok_calls("/hook")[-1]
        data = json.loads(body)
        assert (data["event"], data["reminder_id"], data["unit"]) == ("reminder", reminder.id, "基础教育科")
        assert data["message"] == "请于本周内报送入园率"
        expected = hmac.new(b"s3cret", headers["X-Duban-Timestamp"].encode() + b"." + body, hashlib.sha256)
        assert headers["X-Duban-Signature"] == f"sha256={expected.hexdigest()}"
        assert headers["X-Duban-Delivery"] == str(data["delivery_id"])

        path, _, body = rx.ok_calls("/wecom")[-1]
        assert path == "/wecom?key=abc"
        wecom = json.loads(body)
        assert wecom["msgtype"] == "markdown" and "学前三年毛入园率" in wecom["markdown"]["content"]
        assert "请于本周内报送入园率" in wecom["markdown"]["content"]

        path, _, body = rx.ok_calls("/dingtalk")[-1]
        q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(path).query))
        assert q["access_token"] == "tok"
        mac = hmac.new(b"SECdemo", f"{q['timestamp']}\nSECdemo".encode(), hashlib.sha256).digest()
        assert q["sign"] == base64.b64encode(mac).decode()
        ding = json.loads(body)
        assert ding["msgtype"] == "markdown" and ding["markdown"]["title"].startswith("【督办提醒】")
        assert "请于本周内报送入园率" in ding["markdown"]["text"]
    states = {d.channel: (d.status, d.attempts) for d in session.query(Delivery)}
    assert states == {"webhook": ("sent", 2), "wecom": ("sent", 2), "dingtalk": ("sent", 2)}


def test_a_lasting_failure_is_shown_to_the_admin_and_can_be_retried(session, reminder):
    with Receiver(fail_first=99) as rx:
        cfg = _cfg(rx.url, max_attempts=2, retry_minutes=(1,))
        notify.deliver(session, cfg=cfg, now=NOW)
        last = notify.deliver(session, cfg=cfg, now=NOW + timedelta(minutes=2))
        assert last.failed == 3
        assert notify.deliver(session, cfg=cfg, now=NOW + timedelta(hours=5)).retried == 0  # given up
    shown = notify.problem_deliveries(session)
    assert {(p["channel"], p["status"], p["attempts"]) for p in shown} == {
        ("通用 Webhook", "已放弃", 2),
        ("企业微信群机器人", "已放弃", 2),
        ("钉钉群机器人", "已放弃", 2),
    }
    errors = {p["channel"]: p["error"] for p in shown}
    assert errors["通用 Webhook"] == "HTTP 500" and errors["企业微信群机器人"].startswith("errcode 93000")
    with pytest.raises(Exception, match="无权重发"):
        notify.retry(session, actor=Actor("dc1", "supervisor"), delivery_id=shown[0]["id"])
    notify.retry(
        session, actor=Actor("root", "admin"), delivery_id=shown[0]["id"], now=NOW + timedelta(hours=6)
    )
    with Receiver() as rx:
        cfg = _cfg(rx.url)
        assert notify.deliver(session, cfg=cfg, now=NOW + timedelta(hours=6)).sent == 1
        assert len(rx.calls) == 1


def test_tick_pushes_new_reminders_and_nothing_without_channels(session, reminder):
    assert notify.deliver(session, cfg=NotifyConfig(), now=NOW).sent == 0
    assert session.query(Delivery).count() == 0
    with Receiver() as rx:
        result = reminders.tick(
            session, cfg=Config(notify=NotifyConfig(wecom_url=f"{rx.url}/wecom")), now=NOW
        )
        assert result.pushed >= 1 and rx.seen["/wecom"] == result.pushed
    unreachable = NotifyConfig(webhook_url="http://127.0.0.1:9/hook", timeout=1)  # nothing listens on port 9
    assert notify.deliver(session, cfg=unreachable, now=NOW).retried >= 1
