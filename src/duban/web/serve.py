"""The app factory uvicorn calls in each worker process (configuration from the environment)."""

from __future__ import annotations

import logging
import os

from fastapi import FastAPI

from duban.web.app import create_app


def app_from_env() -> FastAPI:
    log = logging.getLogger("duban")
    if not log.handlers:  # uvicorn configures only its own loggers; ours carry the worker's pid
        handler = logging.StreamHandler()
        handler.setFormatter(
            logging.Formatter("%(asctime)s [%(process)d] %(name)s %(levelname)s: %(message)s")
        )
        log.addHandler(handler)
        log.propagate = False
    return create_app(run_scheduler=os.environ.get("DUBAN_SERVE_SCHEDULER", "1") == "1")
