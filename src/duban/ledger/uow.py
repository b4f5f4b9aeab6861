"""One commit per use case: the unit of work every service entry point opens, once.

`use_case` is outermost-only (Django/Zulip's `atomic(durable=True)`): opening one inside another
is a programming error and raises at once, so a helper can never commit half of its caller's
work. Helpers that a use case composes are `_do_*` functions that take the open session and never
commit.

A use case is a writer, and writers take turns: on SQLite its transaction starts with
`BEGIN IMMEDIATE` (the database's write lock, waited for up to the busy timeout; see db.py), on
PostgreSQL it first locks the audit head row. Every check a use case makes ("already reported?",
"next audit number?") therefore sees all that committed before it, and two writers never pick the
same sequence number. A race the database still catches (a unique key) answers in Chinese.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from duban.ledger.db import SQLITE_BUSY_MS
from duban.ledger.errors import ConflictError

log = logging.getLogger("duban.ledger")
OPEN = "duban.use_case"  # session.info key while a use case runs
WRITE = "duban_write"  # connection execution option: begin with the write lock (db.py)


class NestedUseCase(RuntimeError):
    """A use case was opened inside another: call the inner `_do_*` function instead."""


# SQLite writers of one process queue on a lock of their own before the database's: a writer that
# finds the database locked sleeps in SQLite's busy handler (up to 100 ms a try, no order), so
# under 50 concurrent reports most of the time went to sleeping and unlucky writers timed out. A
# Python lock hands over at once and in turn; other processes still meet at the busy timeout.
_sqlite_writers: dict[str, threading.Lock] = {}
_sqlite_writers_guard = threading.Lock()
WRITER = "duban.writer_lock"  # session.info key: the process lock this use case holds


def _writer_lock(url: str) -> threading.Lock:
    with _sqlite_writers_guard:
        return _sqlite_writers.setdefault(url, threading.Lock())


def begin_writer(session: Session) -> None:
    """Start the session's transaction as a writer (see the module docstring)."""
    if session.in_transaction():
        # a read-only transaction from before (a page's lookups): end it, so the writer's
        # transaction begins with the lock; nothing is expired (expire_on_commit=False)
        session.commit()
    url = session.get_bind().engine.url
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        lock = _writer_lock(str(url))
        if not lock.acquire(timeout=SQLITE_BUSY_MS / 1000):
            raise ConflictError("系统繁忙，未保存任何更改，请稍后重试")
        session.info[WRITER] = lock
    conn = session.connection(execution_options={WRITE: True})
    if conn.dialect.name != "sqlite":
        from duban.ledger import audit

        audit.lock(session)


def _release_writer(session: Session) -> None:
    lock = session.info.pop(WRITER, None)
    if lock is not None:
        lock.release()


@contextmanager
def use_case(session: Session, *, stale: str = "数据已被他人修改，请刷新后重试") -> Iterator[Session]:
    """Lock as a writer, run, commit; on any error roll back everything and translate DB races
    (`stale`: the message when a row's version changed under us)."""
    if session.info.get(OPEN):
        raise NestedUseCase("use_case() is outermost-only; compose the inner _do_* functions")
    session.info[OPEN] = True
    try:
        begin_writer(session)
        yield session
        session.commit()
    except StaleDataError as exc:
        session.rollback()
        raise ConflictError(stale) from exc
    except IntegrityError as exc:
        session.rollback()
        log.warning("integrity race in a use case: %s", exc.orig)
        raise ConflictError("数据已被他人同时提交或修改，未保存任何更改，请刷新后重试") from exc
    except OperationalError as exc:
        session.rollback()
        if "locked" not in str(exc.orig) and "busy" not in str(exc.orig):
            raise
        log.warning("write lock not obtained in time: %s", exc.orig)
        raise ConflictError("系统繁忙，未保存任何更改，请稍后重试") from exc
    except BaseException:
        session.rollback()
        raise
    finally:
        _release_writer(session)
        session.info.pop(OPEN, None)
