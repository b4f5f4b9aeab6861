"""The ledger's version moves with every committed change of ledger data, and only then."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from duban.ledger import sessions, version
from duban.ledger.config import WebConfig
from duban.ledger.db import utcnow
from duban.ledger.models import LoginSession, Unit
from duban.ledger.users import SYSTEM, authenticate, create_unit, create_user


def test_an_orm_change_moves_the_version_and_a_rollback_does_not(session):
    create_unit(session, actor=SYSTEM, name="基础教育科")
    v1 = version.current(session)
    assert v1
    session.add(Unit(name="财务科"))
    session.rollback()
    assert version.current(session) == v1
    session.commit()  # nothing pending: nothing changed
    assert version.current(session) == v1
    session.add(Unit(name="人事科"))
    session.commit()
    v2 = version.current(session)
    assert v2 not in ("", v1)


def test_a_bulk_update_moves_it(session):
    create_unit(session, actor=SYSTEM, name="基础教育科")
    v1 = version.current(session)
    session.execute(update(Unit).values(name="基础教育处"))
    session.commit()
    assert version.current(session) != v1


def test_bookkeeping_leaves_it_alone(session):
    """Sign-ins and a session's last-seen refresh write only tables no read model shows."""
    create_unit(session, actor=SYSTEM, name="基础教育科")
    create_user(session, actor=SYSTEM, username="sup", password="Passw0rd-Long!", role="supervisor")
    v1 = version.current(session)
    actor = authenticate(session, username="sup", password="Passw0rd-Long!", client="10.0.0.1").actor
    token, _ = sessions.start(session, actor=actor)
    assert version.current(session) == v1
    session.execute(update(LoginSession).values(last_seen_at=utcnow() - timedelta(minutes=5)))
    session.commit()
    sessions.resume(session, token=token, cfg=WebConfig())  # refreshes last_seen_at
    assert version.current(session) == v1


def test_the_row_is_begun_again_when_the_tables_were_emptied(session):
    from sqlalchemy import delete

    from duban.ledger.models import LedgerVersion

    session.execute(delete(LedgerVersion))
    session.commit()
    assert version.current(session) == ""
    create_unit(session, actor=SYSTEM, name="基础教育科")
    assert version.current(session)


def test_read_once_per_transaction_and_afresh_after_it(Session, engine):  # noqa: N803
    from sqlalchemy import event

    with Session() as s:
        create_unit(s, actor=SYSTEM, name="基础教育科")
    reads: list[str] = []

    def count(conn, cursor, statement, *args):  # noqa: ANN001, ANN002
        if "ledger_version" in statement:
            reads.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        with Session() as a, Session() as b:
            v1 = version.current(a)
            assert version.current(a) == v1 and len(reads) == 1  # a page's second kept model: no query
            create_unit(b, actor=SYSTEM, name="财务科")  # another request commits a change
            a.commit()  # the next transaction of the same session sees it
            assert version.current(a) not in ("", v1) and len(reads) >= 2
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_a_transaction_that_changed_data_is_past_every_token(session):
    from duban.ledger.read.cache import kept

    create_unit(session, actor=SYSTEM, name="基础教育科")
    now = utcnow()
    names = lambda: sorted(u.name for u in session.query(Unit))  # noqa: E731
    assert kept(session, now=now, key=("names",), compute=names) == ["基础教育科"]
    session.add(Unit(name="财务科"))  # not committed yet: this transaction is ahead of the kept answer
    assert version.current(session) == ""
    assert kept(session, now=now, key=("names",), compute=names) == ["基础教育科", "财务科"]
    session.rollback()
    assert kept(session, now=now, key=("names",), compute=names) == ["基础教育科"]


def test_the_session_lookup_reads_the_version_with_it(Session, engine):  # noqa: N803
    """A request's read models use the token its session lookup read: no query of their own."""
    from sqlalchemy import event

    with Session() as s:
        create_user(s, actor=SYSTEM, username="sup", password="Passw0rd-Long!", role="supervisor")
        actor = authenticate(s, username="sup", password="Passw0rd-Long!", client="10.0.0.1").actor
        token, _ = sessions.start(s, actor=actor)
        expected = version.current(s)
    reads: list[str] = []
    listen = lambda conn, cursor, statement, *a: reads.append(statement)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listen)
    try:
        with Session() as s:
            sessions.resume(s, token=token, cfg=WebConfig())
            n = len(reads)
            assert version.current(s) == expected and len(reads) == n
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    assert n >= 1 and "ledger_version" in reads[-1]
