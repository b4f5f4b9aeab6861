"""People as readers know them: the ledger keeps user names ("ducha"), pages show display names ("督查科王")."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, computed_field
from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger.models import User
from duban.ledger.rights import ROLE_NAMES
from duban.ledger.users import SYSTEM

SYSTEM_NAME = "系统"  # imports from the command line, the scheduler


class Person(BaseModel):
    """Who an account is, as every answer about a user (the session's or an account's) names it."""

    username: str
    display_name: str
    role: str
    unit_id: int | None

    @computed_field
    @property
    def role_name(self) -> str:
        return ROLE_NAMES.get(self.role, self.role)


def display_names(db: Session, usernames: Iterable[str]) -> dict[str, str]:
    """Each user name's display name; the user name itself for a user without one (or deleted)."""
    wanted = {u for u in usernames if u}
    rows = db.execute(select(User.username, User.display_name).where(User.username.in_(wanted))).all()
    shown = {u: d for u, d in rows if d}
    names = {u: shown.get(u, u) for u in wanted}
    if SYSTEM.name in names and SYSTEM.name not in shown:
        names[SYSTEM.name] = SYSTEM_NAME
    return names
