"""Time-driven jobs inside `duban serve`: status lights and the reminder ladder (`ledger.reminders.tick`).

With several worker processes exactly one ticks: the one holding the scheduler lock, a PostgreSQL
session-level advisory lock or, on SQLite, an exclusive lock on a file beside the database. The
others try again every interval, so when the ticking worker dies another takes over. (`tick` is
also serialized by the audit lock and idempotent, so even two ticks would send nothing twice.)
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
from pathlib import Path

from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import Session, sessionmaker

from duban.ledger.config import Config
from duban.ledger.reminders import tick

log = logging.getLogger("duban.scheduler")
ADVISORY_KEY = 0x64756261  # "duba": the key of the scheduler's advisory lock


class SchedulerLock:
    """Held by at most one process at a time; `acquire` does not wait."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._conn: Connection | None = None
        self._fd: int | None = None

    def _lock_file(self) -> Path | None:
        db = self.engine.url.database if self.engine.dialect.name == "sqlite" else None
        return Path(f"{db}.tick.lock") if db and db != ":memory:" else None

    def acquire(self) -> bool:
        if self.held:
            return True
        if self.engine.dialect.name == "postgresql":
            conn = self.engine.connect()
            if conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_KEY}).scalar():
                conn.commit()  # the lock belongs to the session, not the transaction
                self._conn = conn
                return True
            conn.close()
            return False
        path = self._lock_file()
        if path is None:  # an in-memory database lives in one process anyway
            self._fd = -1
            return True
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    @property
    def held(self) -> bool:
        return self._conn is not None or self._fd is not None

    def release(self) -> None:
        if self._conn is not None:
            self._conn.close()  # ends the session: PostgreSQL drops its advisory locks
            self._conn = None
        if self._fd is not None:
            if self._fd >= 0:
                os.close(self._fd)  # closing the descriptor releases the flock
            self._fd = None


class Ticker:
    """A daemon thread that runs `tick` now and then every `interval` seconds while it holds the lock."""

    def __init__(self, factory: sessionmaker[Session], cfg: Config, interval: float) -> None:
        self.factory, self.cfg, self.interval = factory, cfg, interval
        self.lock = SchedulerLock(factory.kw["bind"])
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="duban-tick", daemon=True)
        self.runs = 0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        self.lock.release()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                if self.lock.acquire():
                    with self.factory() as session:
                        result = tick(session, cfg=self.cfg)
                    self.runs += 1
                    log.info("tick (pid %s): %s", os.getpid(), result)
            except Exception:  # keep serving pages even when one run fails; next run retries
                log.exception("tick failed")
            self._stop.wait(self.interval)
