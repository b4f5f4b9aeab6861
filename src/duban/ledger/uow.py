"""One commit per use case: the helper every service entry point uses."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from duban.ledger.errors import ConflictError, LedgerError


@contextmanager
def use_case(session: Session) -> Iterator[Session]:
    """Commit at the end; on any error roll back everything and translate DB races."""
    try:
        yield session
        session.commit()
    except StaleDataError as exc:
        session.rollback()
        raise ConflictError("数据已被他人修改，请刷新后重试") from exc
    except IntegrityError as exc:
        session.rollback()
        raise LedgerError(f"数据冲突，未保存任何更改：{exc.orig.__class__.__name__}") from exc
    except BaseException:
        session.rollback()
        raise
