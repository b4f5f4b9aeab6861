"""Pushing reminders where people are: a pluggable notifier with three channels.

- webhook: a generic JSON POST, signed: X-Duban-Timestamp and X-Duban-Signature =
  "sha256=" + hex HMAC-SHA256(secret, timestamp + "." + body); X-Duban-Delivery names the delivery
  so a receiver can drop a repeat;
- wecom: 企业微信 group robot, {"msgtype": "markdown", "markdown": {"content": …}}, answered with
  {"errcode": 0};
- dingtalk: 钉钉 group robot, {"msgtype": "markdown", "markdown": {"title": …, "text": …}}; with a
  加签 secret the URL gets timestamp (ms) and sign = base64(HMAC-SHA256(secret, timestamp + "\\n" + secret)).

Each reminder becomes one `Delivery` per enabled channel (unique: at most once per channel). A
delivery is claimed (attempt counted, a lease on next_at) in one commit, sent outside any
transaction, and its outcome written in another; a failure is retried after `retry_minutes`, and
after `max_attempts` it is marked failed and listed for the admin.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from duban.ledger import audit
from duban.ledger.config import NotifyConfig
from duban.ledger.db import utcnow
from duban.ledger.errors import NotFoundError, PermissionDenied
from duban.ledger.models import Delivery, Reminder, Task, Unit
from duban.ledger.rights import can
from duban.ledger.uow import use_case
from duban.ledger.users import Actor

log = logging.getLogger(__name__)
CHANNEL_NAMES = {"webhook": "通用 Webhook", "wecom": "企业微信群机器人", "dingtalk": "钉钉群机器人"}
LEASE = timedelta(minutes=10)  # a claimed delivery whose sender died is tried again after this


@dataclass(frozen=True)
class Notice:
    """What a reminder says, whatever the channel."""

    delivery_id: int
    reminder_id: int
    task_id: int
    task: str
    unit: str
    message: str
    due_date: str


@dataclass(frozen=True)
class Request:
    url: str
    body: bytes
    headers: dict[str, str]


def _json(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def _title(n: Notice) -> str:
    return f"【督办提醒】{n.task[:40]}"


def webhook_request(cfg: NotifyConfig, n: Notice, now: datetime) -> Request:
    body = _json(
        {
            "event": "reminder",
            "delivery_id": n.delivery_id,
            "reminder_id": n.reminder_id,
            "task_id": n.task_id,
            "task": n.task,
            "unit": n.unit,
            "due_date": n.due_date,
            "message": n.message,
        }
    )
    ts = str(int(now.timestamp()))
    headers = {"Content-Type": "application/json; charset=utf-8", "X-Duban-Delivery": str(n.delivery_id)}
    if cfg.webhook_secret:
        digest = hmac.new(cfg.webhook_secret.encode(), ts.encode() + b"." + body, hashlib.sha256).hexdigest()
        headers |= {"X-Duban-Timestamp": ts, "X-Duban-Signature": f"sha256={digest}"}
    return Request(cfg.webhook_url, body, headers)


def wecom_request(cfg: NotifyConfig, n: Notice, now: datetime) -> Request:
    due = f"\n> 完成时限：{n.due_date}" if n.due_date else ""
    content = f"**{_title(n)}**\n> 承办单位：{n.unit}{due}\n{n.message}"
    body = _json({"msgtype": "markdown", "markdown": {"content": content[:1300]}})  # 4096 bytes at most
    return Request(cfg.wecom_url, body, {"Content-Type": "application/json; charset=utf-8"})


def dingtalk_sign(secret: str, timestamp_ms: str) -> str:
    """钉钉 加签: base64 of HMAC-SHA256 over "timestamp\\nsecret", keyed by the secret."""
    mac = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(mac).decode()


def dingtalk_request(cfg: NotifyConfig, n: Notice, now: datetime) -> Request:
    due = f"\n\n> 完成时限：{n.due_date}" if n.due_date else ""
    text = f"#### {_title(n)}\n\n> 承办单位：{n.unit}{due}\n\n{n.message}"
    body = _json({"msgtype": "markdown", "markdown": {"title": _title(n), "text": text}})
    url = cfg.dingtalk_url
    if cfg.dingtalk_secret:
        ts = str(int(now.timestamp() * 1000))
        sep = "&" if "?" in url else "?"
        url += f"{sep}timestamp={ts}&sign={urllib.parse.quote_plus(dingtalk_sign(cfg.dingtalk_secret, ts))}"
    return Request(url, body, {"Content-Type": "application/json; charset=utf-8"})


BUILDERS = {"webhook": webhook_request, "wecom": wecom_request, "dingtalk": dingtalk_request}


def channels(cfg: NotifyConfig) -> list[str]:
    """The channels switched on (their URL is set)."""
    urls = {"webhook": cfg.webhook_url, "wecom": cfg.wecom_url, "dingtalk": cfg.dingtalk_url}
    return [c for c in BUILDERS if urls[c]]


def post(req: Request, *, channel: str, timeout: float) -> None:
    """POST and check the answer; raises OSError / ValueError with the reason on any failure."""
    r = urllib.request.Request(req.url, data=req.body, headers=req.headers, method="POST")
    try:
        with urllib.request.urlopen(r, timeout=timeout) as resp:  # noqa: S310 (URL from the admin's config)
            answer = resp.read(65536)
    except urllib.error.HTTPError as exc:
        raise OSError(f"HTTP {exc.code}") from exc
    if channel in ("wecom", "dingtalk"):  # robots answer 200 with an error code in the body
        try:
            code = json.loads(answer or b"{}").get("errcode", -1)
        except ValueError as exc:
            raise ValueError("应答不是 JSON") from exc
        if code != 0:
            raise ValueError(f"errcode {code}: {json.loads(answer).get('errmsg', '')}")


def _backoff(cfg: NotifyConfig, attempts: int) -> timedelta:
    waits = cfg.retry_minutes or (1,)
    return timedelta(minutes=waits[min(attempts - 1, len(waits) - 1)])


def enqueue(session: Session, *, cfg: NotifyConfig, now: datetime) -> int:
    """One delivery per channel for every reminder that has none yet (inside the caller's transaction)."""
    made = 0
    for channel in channels(cfg):
        have = select(Delivery.reminder_id).where(Delivery.channel == channel)
        ids = session.execute(
            select(Reminder.id).where(Reminder.id.not_in(have)).order_by(Reminder.id)
        ).scalars()
        for rid in ids:
            session.add(Delivery(reminder_id=rid, channel=channel, next_at=now))
            made += 1
    session.flush()
    return made


def _claim(session: Session, *, cfg: NotifyConfig, now: datetime) -> list[tuple[str, Notice]]:
    """Due deliveries of enabled channels, each claimed (attempt counted, leased) in one commit."""
    on = channels(cfg)
    if not on:
        return []
    with use_case(session):
        enqueue(session, cfg=cfg, now=now)
        rows = session.execute(
            select(Delivery, Reminder, Task.title, Unit.name)
            .join(Reminder, Reminder.id == Delivery.reminder_id)
            .join(Task, Task.id == Reminder.task_id)
            .join(Unit, Unit.id == Reminder.unit_id)
            .where(Delivery.status == "pending", Delivery.next_at <= now, Delivery.channel.in_(on))
            .order_by(Delivery.id)
            .limit(200)
        ).all()
        out = []
        for d, rem, title, unit in rows:
            claimed = session.execute(
                update(Delivery)
                .where(Delivery.id == d.id, Delivery.attempts == d.attempts, Delivery.status == "pending")
                .values(attempts=d.attempts + 1, next_at=now + LEASE),
                execution_options={"synchronize_session": False},
            ).rowcount
            if claimed:
                due = rem.due_date.isoformat() if rem.due_date else ""
                out.append((d.channel, Notice(d.id, rem.id, rem.task_id, title, unit, rem.message, due)))
    return out


@dataclass
class PushResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def deliver(session: Session, *, cfg: NotifyConfig, now: datetime | None = None) -> PushResult:
    """Send what is due on every enabled channel; record each outcome (sent, retry later, failed)."""
    now = now or utcnow()
    result = PushResult()
    for channel, notice in _claim(session, cfg=cfg, now=now):
        error = ""
        try:
            post(BUILDERS[channel](cfg, notice, now), channel=channel, timeout=cfg.timeout)
        except (OSError, ValueError) as exc:
            error = str(exc) or exc.__class__.__name__
            log.warning("notify %s delivery %s failed: %s", channel, notice.delivery_id, error)
        with use_case(session):
            d = session.get(Delivery, notice.delivery_id)
            if not error:
                d.status, d.sent_at, d.last_error = "sent", now, ""
                result.sent += 1
            elif d.attempts >= cfg.max_attempts:
                d.status, d.last_error = "failed", error[:2000]
                result.failed += 1
            else:
                d.next_at, d.last_error = now + _backoff(cfg, d.attempts), error[:2000]
                result.retried += 1
    return result


def problem_deliveries(session: Session, *, limit: int = 200) -> list[dict]:
    """Failed deliveries and pending ones that have failed before: what the admin should see."""
    rows = session.execute(
        select(Delivery, Reminder.task_id, Task.title, Unit.name)
        .join(Reminder, Reminder.id == Delivery.reminder_id)
        .join(Task, Task.id == Reminder.task_id)
        .join(Unit, Unit.id == Reminder.unit_id)
        .where((Delivery.status == "failed") | ((Delivery.status == "pending") & (Delivery.last_error != "")))
        .order_by(Delivery.id.desc())
        .limit(limit)
    ).all()
    return [
        {
            "id": d.id,
            "channel": CHANNEL_NAMES.get(d.channel, d.channel),
            "status": "已放弃" if d.status == "failed" else "等待重试",
            "attempts": d.attempts,
            "next_at": d.next_at,
            "error": d.last_error,
            "task_id": task_id,
            "task": title,
            "unit": unit,
        }
        for d, task_id, title, unit in rows
    ]


def retry(session: Session, *, actor: Actor, delivery_id: int, now: datetime | None = None) -> None:
    """An admin's "try again" on a failed delivery: pending, attempts reset, due now; audited."""
    if not can(actor, "delivery.retry"):
        raise PermissionDenied("无权重发：需要系统管理员角色")
    with use_case(session):
        d = session.get(Delivery, delivery_id)
        if d is None or d.status != "failed":
            raise NotFoundError(f"没有可重发的推送：{delivery_id}")
        d.status, d.attempts, d.next_at = "pending", 0, now or utcnow()
        audit.record(
            session,
            actor=actor.name,
            action="delivery.retry",
            entity="delivery",
            entity_id=d.id,
            after={"channel": d.channel, "reminder_id": d.reminder_id},
        )
