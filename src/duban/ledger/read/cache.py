"""Read models kept between requests while the ledger, the local day and the due period hold.

A task list page, a dashboard or an inbox is a pure function of the ledger's data, the local day
(due dates, overdue) and which report period is due (the last cut-off passed): the same three
give the same answer. So each is kept under the key (version, day, cut-offs passed, its own
arguments) and recomputed only when one of them moves. The version (version.py) changes with
every committed change of data, in the same transaction, so a kept answer is never older than
what the request's own transaction sees; the version read comes first, so a concurrent commit
can only make an answer newer than its key, never staler.

One cache per engine (per database), bounded; each worker process has its own and they agree
because the key comes from the database. What callers get back is shared: read it, never change it.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session

from duban.ledger import version
from duban.ledger.clock import local_date
from duban.ledger.models import Period

T = TypeVar("T")
SIZE = 512  # answers kept per database: pages x filters x actors of a busy morning
_MISSING = object()


class ReadCache:
    """A bounded, thread-safe LRU map (the server's thread pool shares it)."""

    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable) -> object:
        with self._lock:
            value = self._items.get(key, _MISSING)
            if value is _MISSING:
                self.misses += 1
            else:
                self.hits += 1
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: object) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


_caches: WeakKeyDictionary[Engine, ReadCache] = WeakKeyDictionary()
_caches_lock = threading.Lock()


def cache_of(session: Session) -> ReadCache:
    bind = session.get_bind()
    engine = bind.engine if isinstance(bind, Connection) else bind
    with _caches_lock:
        cache = _caches.get(engine)
        if cache is None:
            cache = _caches[engine] = ReadCache()
        return cache


def _cutoffs(session: Session, cache: ReadCache, token: str) -> list[datetime]:
    """Every period's cut-off, sorted; periods are ledger data, so kept per version too."""
    key = ("cutoffs", token)
    found = cache.get(key)
    if found is _MISSING:
        found = sorted(session.execute(select(Period.cutoff)).scalars())
        cache.put(key, found)
    return found  # type: ignore[return-value]


def kept(session: Session, *, now: datetime, key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """`compute()`'s answer for `key` at the ledger's version, local day and due period."""
    cache = cache_of(session)
    token = version.current(session)
    if not token:  # no version row, or this transaction changed data itself: compute afresh
        return compute()
    passed = bisect_left(_cutoffs(session, cache, token), now)  # last_due_period: cutoff < now
    full = (token, local_date(now), passed, *key)
    found = cache.get(full)
    if found is _MISSING:
        found = compute()
        cache.put(full, found)
    return found  # type: ignore[return-value]
