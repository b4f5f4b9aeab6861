"""Login throttling (等保: lockout after failed logins), by account name and by client address.

Each key ("account:<name>", "address:<ip>") counts failures; at its threshold the key is locked
for a time that doubles with every lock (1, 2, 4 ... 30 minutes), so guessing gets slower and slower
while one typo after a lock has run out costs nothing: the count starts again from zero when a
lock expires. The account key is the name as typed, whether or not such a user exists, so a locked
name looks the same for a real and an unknown user; the address key slows one client trying many
names. A successful sign-in clears its account key; the security administrator can clear it too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from duban.ledger.models import LoginThrottle


@dataclass(frozen=True)
class Policy:
    prefix: str
    threshold: int  # failures before the first lock


ACCOUNT = Policy("account", 5)
ADDRESS = Policy("address", 20)  # an office behind one NAT address shares it
FIRST_LOCK = timedelta(minutes=1)
MAX_LOCK = timedelta(minutes=30)
FORGET_AFTER = timedelta(days=1)  # a key quiet this long starts from scratch (and is pruned)


def account_key(username: str) -> str:
    return f"{ACCOUNT.prefix}:{username.strip().lower()[:100]}"


def _keys(username: str, address: str) -> list[tuple[Policy, str]]:
    keys = [(ACCOUNT, account_key(username))]
    if address:
        keys.append((ADDRESS, f"{ADDRESS.prefix}:{address[:100]}"))
    return keys


def locked_until(session: Session, *, username: str, address: str, now: datetime) -> datetime | None:
    """When the latest lock on the name or the address ends; None when neither is locked."""
    keys = [k for _, k in _keys(username, address)]
    ends = session.execute(
        select(LoginThrottle.locked_until).where(
            LoginThrottle.key.in_(keys), LoginThrottle.locked_until > now
        )
    ).scalars()
    return max(ends, default=None)


def _lock_for(level: int) -> timedelta:
    return min(FIRST_LOCK * (2**level), MAX_LOCK)


def record_failure(session: Session, *, username: str, address: str, now: datetime) -> None:
    """Inside the caller's use case: count a failure on the name and the address, lock at threshold."""
    session.execute(
        delete(LoginThrottle).where(LoginThrottle.last_failure_at < now - FORGET_AFTER),
        execution_options={"synchronize_session": False},
    )
    for policy, key in _keys(username, address):
        row = session.get(LoginThrottle, key, populate_existing=True)
        if row is None:
            row = LoginThrottle(key=key, failures=0, level=0)
            session.add(row)
        if row.locked_until is not None and row.locked_until <= now:
            row.failures, row.locked_until = 0, None  # the lock ran out: start counting again
        row.failures += 1
        row.last_failure_at = now
        if row.failures >= policy.threshold:
            row.locked_until = now + _lock_for(row.level)
            row.level += 1
    session.flush()


def clear(session: Session, *, username: str) -> bool:
    """Inside the caller's use case: forget the name's failures and locks (sign-in, unlock)."""
    res = session.execute(
        delete(LoginThrottle).where(LoginThrottle.key == account_key(username)),
        execution_options={"synchronize_session": False},
    )
    return bool(res.rowcount)


@dataclass(frozen=True)
class AccountState:
    failures: int = 0
    locked_until: datetime | None = None

    def locked(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now


def states(session: Session, usernames: list[str]) -> dict[str, AccountState]:
    """The throttle state of each account name (names without failures are left out)."""
    by_key = {account_key(u): u for u in usernames}
    rows = session.execute(select(LoginThrottle).where(LoginThrottle.key.in_(list(by_key)))).scalars()
    return {by_key[r.key]: AccountState(r.failures, r.locked_until) for r in rows}
