"""Time-driven jobs inside `duban serve`: status lights and the reminder ladder (`ledger.reminders.tick`).

`tick` is idempotent and serialized by the audit lock, so every worker process may run it.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy.orm import Session, sessionmaker

from duban.ledger.config import Config
from duban.ledger.reminders import tick

log = logging.getLogger("duban.scheduler")


class Ticker:
    """A daemon thread that runs `tick` now and then every `interval` seconds until stopped."""

    def __init__(self, factory: sessionmaker[Session], cfg: Config, interval: float) -> None:
        self.factory, self.cfg, self.interval = factory, cfg, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="duban-tick", daemon=True)
        self.runs = 0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with self.factory() as session:
                    result = tick(session, cfg=self.cfg)
                log.info("tick: %s", result)
            except Exception:  # keep serving pages even when one run fails; next run retries
                log.exception("tick failed")
            self.runs += 1
            self._stop.wait(self.interval)
