"""Reminders: the ladder, idempotent tick, extensions, closed tasks, inbox, and real e-mail."""

from __future__ import annotations

import mailbox
import subprocess
import sys
import time
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select, text

from duban.ledger import reminders
from duban.ledger.config import Config, ReminderConfig, SmtpConfig
from duban.ledger.errors import PermissionDenied, TransitionError
from duban.ledger.models import Reminder, Task, Unit, User

from .conftest import _free_port
from .test_tasks import World

LADDER = ReminderConfig(days_before=(7, 3), overdue_daily=True, overdue_cap=2)


@pytest.mark.parametrize(
    ("today", "key"),
    [
        (date(2024, 8, 20), None),
        (date(2024, 8, 24), "2024-08-31:before:7"),
        (date(2024, 8, 28), "2024-08-31:before:3"),
        (date(2024, 8, 31), "2024-08-31:before:3"),
        (date(2024, 9, 2), "2024-08-31:overdue:2024-09-02"),
    ],
)
def test_ladder_key(today, key):
    got = reminders.ladder_key(due=date(2024, 8, 31), today=today, cfg=LADDER)
    assert (got[0] if got else None) == key


@pytest.fixture
def world(session):
    w = World(session)
    w.do("assign", "supervisor", lead_unit_id=w.lead, due_date=date(2024, 8, 31))
    return w


def _keys(session) -> list[str]:
    return list(session.execute(select(Reminder.key).order_by(Reminder.id)).scalars())


def test_tick_ladder_is_idempotent_and_capped(world, session):
    cfg = Config(reminders=LADDER)
    r = reminders.tick(session, cfg=cfg, now=datetime(2024, 8, 20, 8))
    assert r.reminders == []
    assert reminders.tick(session, cfg=cfg, now=datetime(2024, 8, 24, 8)).reminders
    assert reminders.tick(session, cfg=cfg, now=datetime(2024, 8, 24, 20)).reminders == []  # twice: nothing
    reminders.tick(session, cfg=cfg, now=datetime(2024, 8, 29, 8))
    reminders.tick(session, cfg=cfg, now=datetime(2024, 8, 30, 8))
    for day in (1, 1, 2, 3, 4):
        reminders.tick(session, cfg=cfg, now=datetime(2024, 9, day, 8))
    assert _keys(session) == [
        "2024-08-31:before:7",
        "2024-08-31:before:3",
        "2024-08-31:overdue:2024-09-01",
        "2024-08-31:overdue:2024-09-02",  # cap of 2 reached
    ]
    assert world.task().light == "red"


def test_extension_moves_the_ladder_and_closed_tasks_are_left_alone(world, session):
    cfg = Config(reminders=LADDER)
    reminders.tick(session, cfg=cfg, now=datetime(2024, 8, 28))
    world.do("start", "lead_member")
    world.do("request_extension", "lead_member", due_date=date(2024, 10, 31), reason="施工延误")
    world.do("approve_extension", "supervisor")
    for day in (29, 30, 31):
        assert reminders.tick(session, cfg=cfg, now=datetime(2024, 8, day)).reminders == []
    reminders.tick(session, cfg=cfg, now=datetime(2024, 10, 25))
    assert _keys(session) == ["2024-08-31:before:3", "2024-10-31:before:7"]
    world.do("request_closeout", "lead_member")
    world.do("close", "supervisor")
    assert reminders.tick(session, cfg=cfg, now=datetime(2024, 11, 5)).reminders == []
    with pytest.raises(TransitionError):
        reminders.remind(session, actor=world.actors["supervisor"], task_id=world.task_id)


def test_manual_reminder_and_inbox(world, session):
    with pytest.raises(PermissionDenied):
        reminders.remind(session, actor=world.actors["lead_member"], task_id=world.task_id)
    rem = reminders.remind(
        session, actor=world.actors["supervisor"], task_id=world.task_id, now=datetime(2024, 8, 1)
    )
    assert "2024年08月31日" in rem.message and "还有30天到期" in rem.message
    box = reminders.inbox(session, unit_id=world.lead, unread_only=True)
    assert [r.id for r in box] == [rem.id]
    with pytest.raises(PermissionDenied):
        reminders.mark_read(session, actor=world.actors["other_member"], reminder_id=rem.id)
    reminders.mark_read(session, actor=world.actors["lead_member"], reminder_id=rem.id)
    assert reminders.inbox(session, unit_id=world.lead, unread_only=True) == []
    assert reminders.inbox(session, unit_id=world.other) == []


@pytest.fixture(scope="module")
def smtp_server(tmp_path_factory):
    """A real SMTP server process (aiosmtpd) on loopback, delivering into a Maildir."""
    maildir = tmp_path_factory.mktemp("mail") / "box"
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"127.0.0.1:{port}",
            "-c",
            "aiosmtpd.handlers.Mailbox",
            str(maildir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    import socket

    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        raise RuntimeError("aiosmtpd did not start")
    yield port, maildir
    proc.terminate()
    proc.wait(10)


def test_reminders_by_email_once(world, session, smtp_server):
    port, maildir = smtp_server
    unit = session.get(Unit, world.lead)
    unit.email = "jjk@jyj.example.cn"
    session.add(
        User(
            username="jj1",
            role="unit_member",
            unit_id=world.lead,
            password_hash="x",
            email="li@jyj.example.cn",
        )
    )
    session.commit()
    cfg = Config(
        reminders=LADDER, smtp=SmtpConfig(host="127.0.0.1", port=port, sender="duban@jyj.example.cn")
    )
    before = set(mailbox.Maildir(maildir).keys()) if maildir.exists() else set()
    r1 = reminders.tick(session, cfg=cfg, now=datetime(2024, 8, 25))
    assert r1.emailed == 1
    r2 = reminders.tick(session, cfg=cfg, now=datetime(2024, 8, 25, 18))
    assert r2.emailed == 0 and r2.reminders == []
    box = mailbox.Maildir(maildir)
    new = [box[k] for k in set(box.keys()) - before]
    assert len(new) == 1 and new[0]["X-Duban-Reminder"] == str(r1.reminders[0])
    msg = new[0]
    assert "jjk@jyj.example.cn" in msg["To"] and "li@jyj.example.cn" in msg["To"]
    body = msg.get_payload(decode=True).decode(msg.get_content_charset())
    assert "还有6天到期" in body
    rem = session.get(Reminder, r1.reminders[0])
    session.refresh(rem)
    assert rem.emailed_at is not None
    assert session.execute(select(Task.light).where(Task.id == world.task_id)).scalar_one() == "blue"


def test_two_ticks_at_once_create_and_send_each_reminder_once(world, session, Session, smtp_server):
    import threading

    port, maildir = smtp_server
    session.get(Unit, world.lead).email = "jjk@jyj.example.cn"
    session.commit()
    cfg = Config(reminders=LADDER, smtp=SmtpConfig(host="127.0.0.1", port=port))
    reminders.tick(session, cfg=cfg, now=datetime(2024, 9, 1, 7))  # lights settle: red stays red below
    before = set(mailbox.Maildir(maildir).keys()) if maildir.exists() else set()
    results, errors = [], []

    def run():
        with Session() as s:
            try:
                results.append(reminders.tick(s, cfg=cfg, now=datetime(2024, 9, 2, 7)))
            except Exception as exc:  # noqa: BLE001
                errors.append(exc)

    # a third writer holds the lock while both ticks start, so they really run at the same time
    blocker = Session()
    blocker.execute(text("UPDATE audit_head SET seq = seq"))
    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    blocker.commit()
    blocker.close()
    for t in threads:
        t.join(60)
    assert errors == []
    assert sorted(len(r.reminders) for r in results) == [0, 1]
    assert sum(r.emailed for r in results) == 1
    assert _keys(session) == ["2024-08-31:overdue:2024-09-01", "2024-08-31:overdue:2024-09-02"]
    assert sum(r.lights_changed for r in results) == 0
    rid = next(r.reminders[0] for r in results if r.reminders)
    box = mailbox.Maildir(maildir)
    assert [box[k]["X-Duban-Reminder"] for k in set(box.keys()) - before] == [str(rid)]


def test_unsigned_task_is_reminded_once_after_the_sign_limit(world, session):
    world.do("reassign", "supervisor", lead_unit_id=world.lead, co_unit_ids=[world.co])
    assigned = world.task().assigned_at
    cfg = Config(reminders=ReminderConfig(days_before=(), overdue_daily=False, sign_days=3))
    assert reminders.tick(session, cfg=cfg, now=assigned + timedelta(days=2)).reminders == []
    world.do("sign", "co_member")
    r = reminders.tick(session, cfg=cfg, now=assigned + timedelta(days=3, minutes=1))
    rems = [session.get(Reminder, i) for i in r.reminders]
    assert [(x.unit_id, x.key.startswith("sign:")) for x in rems] == [(world.lead, True)]  # not the signed co
    assert "尚未签收" in rems[0].message and "超过3天" in rems[0].message
    assert reminders.tick(session, cfg=cfg, now=assigned + timedelta(days=5)).reminders == []  # once
    off = Config(reminders=ReminderConfig(days_before=(), overdue_daily=False, sign_days=0))
    session.execute(Reminder.__table__.delete())
    session.commit()
    assert reminders.tick(session, cfg=off, now=assigned + timedelta(days=9)).reminders == []
