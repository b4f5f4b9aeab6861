"""The ledger's version: a random token that every committed change of ledger data replaces.

A read model computed at one version stays true while the version holds (read/cache.py keeps
them between requests). The rule lives here once, as session events, so no service has to
remember it: every ORM flush and every bulk INSERT/UPDATE/DELETE that touches a ledger table
marks the transaction, and a marked transaction writes a new token just before it commits (in
the same transaction: the token and the change it stands for land together or not at all).

Bookkeeping that no read model shows leaves the version alone, or every request would reset
every cache: a session's last-seen time, sign-in throttling, the audit head a writer locks and
the audit log itself (each change of data writes its own tables besides its audit record).

A random token rather than a counter: a database restored from a backup comes back with the
token it had then, which stood for exactly that data, and the next write picks a token never
seen before. Writes made outside SQLAlchemy's ORM session (a raw connection) are not seen.
"""

from __future__ import annotations

import uuid
from itertools import chain

from sqlalchemy import event, insert, select, update
from sqlalchemy.orm import ORMExecuteState, Session

from duban.ledger.models import LedgerVersion

QUIET_TABLES = frozenset({"login_sessions", "login_throttle", "audit_head", "audit_log", "ledger_version"})
CHANGED = "duban.changed"  # session.info key: this transaction changed ledger data


SEEN = "duban.version"  # session.info key: (transaction, the token it read)


def current(session: Session) -> str:
    """The version the session's transaction sees ("" before the migration made its row), read
    once per transaction: a page asks for several kept read models, the token cannot move under
    one transaction (a writer's new token is its commit), and a transaction that changed data
    itself is past every token, so it gets "" (nothing kept can be trusted for it)."""
    if session.info.get(CHANGED) or _pending(session):
        return ""
    known = session.info.get(SEEN)
    if known is not None and known[0] is session.get_transaction():
        return known[1]
    token = session.execute(select(_TOKEN)).scalar() or ""
    seen(session, token)
    return token


_TOKEN = select(LedgerVersion.token).where(LedgerVersion.id == 1).scalar_subquery()


def token_column():  # noqa: ANN201 - a scalar subquery
    """The token as a column, for a query every request makes anyway (the session lookup): one
    round trip less; hand what it read to `seen`."""
    return _TOKEN.label("ledger_version")


def seen(session: Session, token: str | None) -> None:
    """What the session's current transaction read of the version (by `current` or `token_column`)."""
    session.info[SEEN] = (session.get_transaction(), token or "")


def _changes_data(objects: object) -> bool:
    return any(getattr(o, "__tablename__", None) not in QUIET_TABLES for o in objects)  # type: ignore[attr-defined]


def _pending(session: Session) -> bool:
    return _changes_data(chain(session.new, session.dirty, session.deleted))


@event.listens_for(Session, "before_flush")
def _mark_flush(session: Session, _context: object, _instances: object) -> None:
    if _pending(session):
        session.info[CHANGED] = True


@event.listens_for(Session, "do_orm_execute")
def _mark_bulk(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) not in QUIET_TABLES:
            state.session.info[CHANGED] = True


@event.listens_for(Session, "before_commit")
def _bump(session: Session) -> None:
    # before_commit runs before the commit's last flush: look at what is still pending too
    if session.info.pop(CHANGED, False) or _pending(session):
        token = uuid.uuid4().hex
        moved = session.execute(
            update(LedgerVersion).where(LedgerVersion.id == 1).values(token=token),
            execution_options={"synchronize_session": False},
        )
        if moved.rowcount == 0:  # the row is gone (tables emptied by hand): begin it again
            session.execute(insert(LedgerVersion).values(id=1, token=token))
        session.info.pop(CHANGED, None)  # the update's own autoflush may have marked it again


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(CHANGED, None)


@event.listens_for(Session, "after_transaction_end")
def _unsee(session: Session, transaction: object) -> None:
    seen = session.info.get(SEEN)
    if seen is not None and seen[0] is transaction:
        del session.info[SEEN]
