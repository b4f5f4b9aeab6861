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
